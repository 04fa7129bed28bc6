"""The sample's own identifying details: names, dates of birth and case-system ids, found by
the child's pseudonym, read from the encrypted fields without being logged."""

import logging

import pytest
from django.utils import timezone

from caseaudit.accesslog.models import AccessEvent
from caseaudit.audits.models import SampledCase
from caseaudit.publications.privacy import KnownDetails, find_identifying_details
from tests.publications.fixtures import privacy_audit
from tests.returns.factories import Child, audit_with_locked_sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(world):
    return privacy_audit(world)


def found(audit, text: str) -> list[tuple[str, str, str]]:
    return [
        (hit.kind, hit.text, hit.case)
        for hit in find_identifying_details([("paragraph 1", text)], audit=audit)
    ]


def test_it_finds_a_full_name_however_it_is_spaced_or_cased(audit):
    assert found(audit, "We met OTTOLINE  brackenbury's mother.") == [
        ("name", "OTTOLINE  brackenbury", "Child A")
    ]
    assert found(audit, "Ottoline\nBrackenbury") == [("name", "Ottoline\nBrackenbury", "Child A")]


def test_it_finds_a_distinctive_first_or_last_name_on_its_own(audit):
    assert found(audit, "Ottoline said she was happy; Mrs Brackenbury agreed.") == [
        ("name", "Ottoline", "Child A"),
        ("name", "Brackenbury", "Child A"),
    ]


def test_a_name_made_of_common_words_is_found_only_in_full(audit):
    assert found(audit, "We hope the summer holiday goes well. Hope is important.") == []
    assert found(audit, "Hope Summer was seen alone.") == [("name", "Hope Summer", "Child B")]


def test_a_name_is_not_found_inside_another_word(audit):
    assert found(audit, "Ottolines and Brackenburyshire, Anne-Ottoline") == []


def test_a_name_in_quotes_is_found(audit):
    assert found(audit, "\u2018Ottoline\u2019 and 'Brackenbury'") == [
        ("name", "Ottoline", "Child A"),
        ("name", "Brackenbury", "Child A"),
    ]


def test_accents_and_hyphens(audit):
    assert found(audit, "Zoe Quillfeather-Marsh") == [("name", "Zoe Quillfeather-Marsh", "Child C")]
    assert found(audit, "Zoë went home; the Quillfeather-Marsh family moved.") == [
        ("name", "Zoë", "Child C"),
        ("name", "Quillfeather-Marsh", "Child C"),
    ]
    # half of the double-barrelled name is not the name
    assert found(audit, "Quillfeather is a made-up word") == []


def test_a_name_recorded_surname_first(audit):
    assert found(audit, "Marigold Tenterden and Tenterden, Marigold Anne") == [
        ("name", "Marigold Tenterden", "Child D"),
        ("name", "Tenterden, Marigold Anne", "Child D"),
    ]
    assert found(audit, "Anne, the social worker") == []  # a middle name is not searched alone


@pytest.mark.parametrize(
    "written",
    ["03/04/2015", "3.4.15", "3 April 2015", "3rd April 2015", "April 3rd 2015",
     "Apr 3, 2015", "2015-04-03", "03-04-2015", "3/4/15"],
)  # fmt: skip
def test_it_finds_a_date_of_birth_in_the_ways_people_write_dates(audit, written):
    assert found(audit, f"Seen on {written} at home.") == [("date_of_birth", written, "Child A")]


def test_other_dates_are_not_a_childs_date_of_birth(audit):
    assert found(audit, "Seen on 4 April 2015 and on 2015-04-30 and 3 April 2016.") == []


def test_a_known_date_of_birth_wins_over_the_label(audit):
    assert found(audit, "DOB 21/09/2016; DOB 22/09/2016") == [
        ("date_of_birth", "21/09/2016", "Child B"),
        ("possible_date_of_birth", "22/09/2016", ""),
    ]


@pytest.mark.parametrize("written", ["PC-20417", "pc20417", "PC 20417", "PC/20417"])
def test_it_finds_a_case_system_id(audit, written):
    assert found(audit, f"File {written} was read.") == [("child_id", written, "Child A")]


def test_a_longer_id_or_a_pseudonym_is_not_found(audit):
    assert found(audit, "File PC-204170 and PC-2041 concern Child A and Child D.") == []


def test_children_of_other_audits_are_not_searched_for(world, audit):
    other = Child("PC-99999", "Peregrine Ashdown", "2011-01-01", "CSC", "Child A")
    audit_with_locked_sample(world, title="Another audit", children=[other])
    assert found(audit, "Peregrine Ashdown PC-99999") == []
    assert found(None, "Ottoline Brackenbury PC-20417") == []


def test_a_child_swapped_out_of_the_sample_is_still_searched_for(audit):
    SampledCase.objects.filter(sample__audit=audit, pseudonym="Child A").update(
        removed_at=timezone.now()
    )
    assert found(audit, "Ottoline Brackenbury") == [("name", "Ottoline Brackenbury", "Child A")]


def test_erased_details_are_not_searched_for(audit):
    case = SampledCase.objects.get(sample__audit=audit, pseudonym="Child A").case
    case.name = case.child_id = case.date_of_birth = ""
    case.identifying_erased_at = timezone.now()
    case.save()
    assert found(audit, "Ottoline Brackenbury, PC-20417, 03/04/2015") == []


def test_the_check_logs_none_of_the_details_it_decrypts(audit, caplog):
    before = AccessEvent.objects.count()
    with caplog.at_level(logging.DEBUG):
        hits = find_identifying_details([("p", "Nothing to see.")], audit=audit)
    assert hits == []
    for secret in ("Ottoline", "Brackenbury", "PC-20417", "2015-04-03", "Quillfeather"):
        assert secret not in caplog.text
    assert AccessEvent.objects.count() == before
    details = repr(KnownDetails.for_audit(audit))
    assert "ottoline" not in details.casefold()
    assert "dates of birth" in details


def test_a_surname_that_is_an_everyday_word_is_found_only_in_full(world):
    audit = audit_with_locked_sample(
        world, children=[Child("EX-0001", "Dee Example", "2020-01-01", "CSC", "Child A")]
    )
    assert found(audit, "For example, Dee was seen alone.") == [("name", "Dee", "Child A")]
    assert found(audit, "Dee Example was seen.") == [("name", "Dee Example", "Child A")]
    assert found(audit, "Example, Dee") == [("name", "Dee", "Child A")]


def test_a_name_written_surname_first(audit):
    assert found(audit, "Brackenbury, Ottoline") == [("name", "Brackenbury, Ottoline", "Child A")]
