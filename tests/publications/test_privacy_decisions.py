"""Publishing waits for `outstanding_hits` to be empty: each hit is changed in the document or
accepted by the audit lead with a reason (recorded, and written to the access log)."""

import pytest
from django.core.exceptions import ValidationError

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.publications.extraction import extract_texts_from_bytes
from caseaudit.publications.models import PrivacyDecision
from caseaudit.publications.privacy import find_identifying_details
from caseaudit.publications.services import outstanding_hits, privacy_hit_accept
from tests.publications.files import make_docx, nhs_number
from tests.publications.fixtures import privacy_audit

pytestmark = pytest.mark.django_db

NHS = nhs_number("401023213")

SEEDED = [
    "Summary of the audit of neglect.",
    "Ottoline Brackenbury was seen alone at school.",
    "Her date of birth, 03/04/2015, was checked.",
    f"Health records were matched on {NHS}.",
    "The family lives at LS1 4AP.",
]
CLEANED = [
    "Summary of the audit of neglect.",
    "Child A was seen alone at school.",
    "Her date of birth was checked.",
    "Health records were matched.",
    "The family lives in the north of the county.",
]


@pytest.fixture
def audit(world):
    return privacy_audit(world)


def docx_texts(paragraphs):
    return extract_texts_from_bytes(make_docx(paragraphs=paragraphs), "report.docx")


def kinds(hits):
    return [(hit.kind, hit.text) for hit in hits]


def test_a_document_with_a_name_a_birth_date_an_nhs_number_and_a_postcode_is_blocked(audit):
    assert kinds(outstanding_hits(audit, docx_texts(SEEDED))) == [
        ("name", "Ottoline Brackenbury"),
        ("date_of_birth", "03/04/2015"),
        ("nhs_number", NHS),
        ("postcode", "LS1 4AP"),
    ]


def test_it_passes_once_they_are_removed(audit):
    assert outstanding_hits(audit, docx_texts(CLEANED)) == []


def test_it_passes_once_each_is_accepted_with_a_reason(world, audit):
    texts = docx_texts(SEEDED)
    hits = outstanding_hits(audit, texts)
    for hit in hits[:-1]:
        privacy_hit_accept(audit=audit, hit=hit, reason="Agreed with the family", user=world.lena)
        assert outstanding_hits(audit, texts)  # still blocked until the last one
    privacy_hit_accept(audit=audit, hit=hits[-1], reason="Office address", user=world.lena)
    assert outstanding_hits(audit, texts) == []

    decisions = PrivacyDecision.objects.filter(audit=audit)
    assert decisions.count() == 4
    assert {d.decided_by for d in decisions} == {world.lena}
    assert {d.decision for d in decisions} == {PrivacyDecision.Decision.ACCEPTED}
    events = AccessEvent.objects.filter(action=Action.PRIVACY_HIT_ACCEPTED)
    assert events.count() == 4
    name = events.get(detail__startswith="Child's name")
    assert name.detail == "Child's name (Child A) at paragraph 3. Reason: Agreed with the family"
    assert name.user == world.lena
    assert name.partnership == world.north
    for event in events:
        for secret in ("Ottoline", "Brackenbury", "03/04/2015", NHS, "LS1 4AP"):
            assert secret not in event.detail
    for decision in decisions.values():
        for secret in ("Ottoline", "Brackenbury", "03/04/2015", NHS, "LS1 4AP"):
            assert secret not in str(decision.values())


def test_an_acceptance_holds_for_that_detail_in_that_place_only(world, audit):
    texts = [("paragraph 1", "Call LS1 4AP"), ("paragraph 2", "LS1 4AP again")]
    first = outstanding_hits(audit, texts)[0]
    privacy_hit_accept(audit=audit, hit=first, reason="Our office", user=world.lena)
    assert kinds(outstanding_hits(audit, texts)) == [("postcode", "LS1 4AP")]
    assert outstanding_hits(audit, texts)[0].location == "paragraph 2"
    # written differently in the same place, it is the same postcode
    assert outstanding_hits(audit, [("paragraph 1", "Call ls14ap")]) == []
    # another postcode in the same place is not accepted
    assert outstanding_hits(audit, [("paragraph 1", "Call LS1 4AQ")]) != []


def test_an_acceptance_belongs_to_its_audit(world, audit):
    other = privacy_audit(world, title="Another audit")
    hit = find_identifying_details([("paragraph 1", "LS1 4AP")])[0]
    privacy_hit_accept(audit=audit, hit=hit, reason="Our office", user=world.lena)
    assert outstanding_hits(other, [("paragraph 1", "LS1 4AP")]) != []


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(world, audit, reason):
    hit = find_identifying_details([("paragraph 1", "LS1 4AP")])[0]
    with pytest.raises(ValidationError, match="Enter why this can be published"):
        privacy_hit_accept(audit=audit, hit=hit, reason=reason, user=world.lena)
    assert not PrivacyDecision.objects.exists()
    assert not AccessEvent.objects.filter(action=Action.PRIVACY_HIT_ACCEPTED).exists()


def test_the_same_hit_cannot_be_accepted_twice(world, audit):
    hit = find_identifying_details([("paragraph 1", "LS1 4AP")])[0]
    privacy_hit_accept(audit=audit, hit=hit, reason="Our office", user=world.lena)
    with pytest.raises(ValidationError, match="already been accepted"):
        privacy_hit_accept(audit=audit, hit=hit, reason="Again", user=world.alice)
    assert PrivacyDecision.objects.count() == 1
