"""The patterns of the privacy check, each with text that must be found and text that must not.
No audit: these find identifying details of anyone, known to the system or not."""

import pytest

from caseaudit.publications.privacy import (
    find_identifying_details,
    hit_fingerprint,
    nhs_number_is_valid,
)
from tests.publications.files import bad_check_digit, nhs_number

VALID = nhs_number("943476591")  # 9434765919
ANOTHER = nhs_number("401023213")


def found(text: str) -> list[tuple[str, str]]:
    return [(hit.kind, hit.text) for hit in find_identifying_details([("paragraph 1", text)])]


def kinds(text: str) -> set[str]:
    return {kind for kind, _ in found(text)}


def test_the_check_digit_is_modulus_11():
    assert VALID == "9434765919"
    assert nhs_number_is_valid(VALID)
    assert nhs_number_is_valid(ANOTHER)
    assert not nhs_number_is_valid(bad_check_digit(VALID))
    # 10 as the check digit means no valid number has these nine digits
    assert not any(nhs_number_is_valid(f"000000006{d}") for d in range(10))
    assert not nhs_number_is_valid("12345")


@pytest.mark.parametrize(
    "written",
    [VALID, f"{VALID[:3]} {VALID[3:6]} {VALID[6:]}", f"{VALID[:3]}-{VALID[3:6]}-{VALID[6:]}"],
)
def test_it_finds_an_nhs_number_as_people_write_it(written):
    assert found(f"Her NHS number is {written}.") == [("nhs_number", written)]


@pytest.mark.parametrize(
    "text",
    [
        f"Reference {bad_check_digit(VALID)} on the file",  # 10 digits, wrong check digit
        f"Card {VALID}1 was used",  # part of a longer number
        f"{VALID[:3]} {VALID[3:6]}-{VALID[6:]}",  # separators that do not match
        f"{VALID[:4]} {VALID[4:]}",  # not grouped 3-3-4
        f"Order 7{VALID}",
    ],
)
def test_a_number_that_is_not_an_nhs_number_is_not_found(text):
    assert "nhs_number" not in kinds(text)


@pytest.mark.parametrize(
    "postcode",
    ["SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB",
     "GIR 0AA", "gir0aa", "LS1 4AP"],
)  # fmt: skip
def test_it_finds_a_postcode_in_any_case_with_or_without_the_space(postcode):
    assert found(f"The family moved to {postcode} in May.") == [("postcode", postcode)]


@pytest.mark.parametrize(
    "text",
    [
        "A SMART target was set",
        "The plan was reviewed at 10 am",
        "QA1 1AA is not a postcode: no area starts with Q",
        "V1 2AB has no V area",
        "AB1 1CA: C is not used in the inward code",
        "Section 2B1 4XY",  # glued to a digit first
        "SW1A1AAA",  # one letter too many
    ],
)
def test_text_that_is_not_a_postcode_is_not_found(text):
    assert "postcode" not in kinds(text)


@pytest.mark.parametrize(
    "number",
    ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "0044 7700 900123",
     "0161 496 0000", "01632 960001", "020 7946 0000", "+44 (0)20 7946 0000", "(0161) 496 0000",
     "0300 123 4567", "0808 157 0000"],
)  # fmt: skip
def test_it_finds_uk_mobile_and_landline_numbers(number):
    assert found(f"Call {number} after school.") == [("phone_number", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Call 0770 090 12",  # too short
        "Call 077009001234 now",  # too long
        "Mobile 06700 900123",  # 06 is not in use
        "The year 2015 and 2016",
        "Between 0 and 12345678 children",
        "+33 1 23 45 67 89 in Paris",
    ],
)
def test_numbers_that_are_not_uk_phone_numbers_are_not_found(text):
    assert "phone_number" not in kinds(text)


@pytest.mark.parametrize(
    "email", ["parent.one@example.org", "J.Doe+school@mail.example.co.uk", "a_b@x-y.example"]
)
def test_it_finds_an_email_address(email):
    assert found(f"Email {email}, please.") == [("email_address", email)]


@pytest.mark.parametrize(
    "text", ["Meet @ the school", "user@localhost", "an @mention", "name@example.", "x@.org"]
)
def test_text_that_is_not_an_email_address_is_not_found(text):
    assert "email_address" not in kinds(text)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("DOB: 03/04/2015", "03/04/2015"),
        ("D.O.B. 3.4.15", "3.4.15"),
        ("date of birth 3 April 2015", "3 April 2015"),
        ("Date of Birth - April 3rd 2015", "April 3rd 2015"),
        ("born on 2015-04-03", "2015-04-03"),
        ("she was born 3rd of April, 2015", "3rd of April, 2015"),
        ("(dob 03-Apr-2015)", "03-Apr-2015"),
        ("Birthday: 3 Apr 2015", "3 Apr 2015"),
    ],
)
def test_a_date_given_as_a_date_of_birth_is_found(text, date):
    assert found(text) == [("possible_date_of_birth", date)]


@pytest.mark.parametrize(
    "text",
    [
        "The audit met on 3 April 2015.",  # a date, but not said to be a birth
        "Returns were due by 03/04/2015",
        "DOB: 31/02/2015",  # no such day
        "Paragraph 1.2.15 of the procedures",
        "born in April",  # no full date
    ],
)
def test_other_dates_are_not_found(text):
    assert "possible_date_of_birth" not in kinds(text)


def test_positions_and_locations_are_reported():
    text = "Line one.\nCall 07700 900123 or email a@example.org"
    hits = find_identifying_details([("", text)], file="report.txt")
    assert [(h.location, h.position, h.file) for h in hits] == [
        ("line 2", 15, "report.txt"),
        ("line 2", 37, "report.txt"),
    ]
    assert text[hits[0].position :].startswith("07700 900123")
    hits = find_identifying_details([("page 3", text)])
    assert {h.location for h in hits} == {"page 3"}


def test_the_fingerprint_ignores_how_a_detail_is_written_but_not_where_it_is():
    def fingerprint(text, location="paragraph 1"):
        return hit_fingerprint(find_identifying_details([(location, text)])[0])

    assert fingerprint("SW1A 1AA") == fingerprint("sw1a1aa")
    assert fingerprint("07700 900123") == fingerprint("+44 7700 900123")
    assert fingerprint(VALID) == fingerprint(f"{VALID[:3]} {VALID[3:6]} {VALID[6:]}")
    assert fingerprint("SW1A 1AA") != fingerprint("SW1A 1AA", "paragraph 2")
    assert fingerprint("SW1A 1AA") != fingerprint("SW1A 2AA")
    assert "1AA" not in fingerprint("SW1A 1AA").upper()
