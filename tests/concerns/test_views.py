"""The register and the concern pages: who sees what, the filters, the forms."""

import datetime

import pytest
from django.core import mail

from caseaudit.concerns.models import CaseOfConcern, ConcernStatus
from caseaudit.concerns.services import concern_open
from caseaudit.returns.services import concern_raise, requests_create, requests_send
from tests.concerns.factories import audit_with_teams, child
from tests.returns.factories import CHILDREN, DUE, request_for


@pytest.fixture
def audit(world):
    audit = audit_with_teams(world)
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    requests_send(audit=audit, user=world.lena)
    return audit


@pytest.fixture
def concerns(world, audit):
    """Child A flagged on health's return (hana); Child B opened by the lead (children's social
    care only is asked about Child B); Child C opened by the lead (health only)."""
    flagged = concern_raise(
        request=request_for(audit, "Child A", world.health), user=world.hana, description="Flag"
    )
    lead_b = concern_open(
        sampled_case=child(audit, "Child B"),
        user=world.lena,
        source="audit_lead",
        category=2,
        description="Plan drifting",
    )
    lead_c = concern_open(
        sampled_case=child(audit, "Child C"),
        user=world.lena,
        source="audit_lead",
        category=1,
        description="At risk",
    )
    return flagged, lead_b, lead_c


def listed(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/concerns/{query}")
    assert response.status_code == 200
    return response


def test_the_lead_lists_all_and_sees_figures(client, world, concerns):
    response = listed(client, world.lena)
    assert len(response.context["concerns"]) == 3
    assert response.context["summary"]["total"] == 3
    # Child A and Child B share worker W-101: recurrence by worker id, never by name.
    assert response.context["recurrence_worker"][0]["worker_id"] == "W-101"


def test_agency_auditors_list_their_own_agencys_only(client, world, concerns):
    flagged, lead_b, lead_c = concerns
    assert {c.pk for c in listed(client, world.hana).context["concerns"]} == {flagged.pk, lead_c.pk}
    response = listed(client, world.chris)
    assert {c.pk for c in response.context["concerns"]} == {lead_b.pk}
    assert "summary" not in response.context  # no partnership-wide figures
    assert client.get(f"/concerns/{flagged.pk}/").status_code == 404


def test_board_viewers_see_figures_only(client, world, concerns):
    response = listed(client, world.bea)
    assert "concerns" not in response.context
    assert response.context["summary"]["open"] == 3
    assert b"Child A" not in response.content
    assert client.get(f"/concerns/{concerns[0].pk}/").status_code == 404


def test_register_filters(client, world, concerns):
    response = listed(client, world.lena, "?category=1")
    assert [c.sampled_case.pseudonym for c in response.context["concerns"]] == ["Child C"]
    response = listed(client, world.lena, "?team=Riverside+Safeguarding")
    assert sorted(c.sampled_case.pseudonym for c in response.context["concerns"]) == [
        "Child A",
        "Child B",
    ]
    response = listed(client, world.lena, "?category=none")
    assert [c.sampled_case.pseudonym for c in response.context["concerns"]] == ["Child A"]


def test_no_name_on_the_register_or_the_case(client, world, concerns):
    client.force_login(world.lena)
    pages = [client.get("/concerns/")] + [client.get(f"/concerns/{c.pk}/") for c in concerns]
    for page in pages:
        for c in CHILDREN:
            assert c.name.encode() not in page.content
            assert c.child_id.encode() not in page.content


def test_a_moderator_opens_a_category_one_concern(client, world, audit):
    client.force_login(world.morgan)
    case = child(audit, "Child D")
    assert b"Category 1" in client.get(f"/concerns/new/?case={case.pk}").content
    mail.outbox.clear()
    response = client.post(
        "/concerns/new/",
        {"sampled_case": case.pk, "category": "1", "description": "Not seen for a month"},
    )
    concern = CaseOfConcern.objects.get(sampled_case=case)
    assert response.status_code == 302
    assert response.url == f"/concerns/{concern.pk}/"
    assert concern.source == "moderator"
    assert [m.to for m in mail.outbox] == [["sam@north.example"]]


def test_the_form_keeps_what_was_typed(client, world, audit):
    client.force_login(world.lena)
    response = client.post("/concerns/new/", {"description": "Kept text"})
    assert response.status_code == 200
    assert b"Kept text" in response.content
    assert b"Select the child" in response.content
    assert b"Select the category" in response.content


def test_the_senior_manager_reviews_and_closes(client, world, concerns):
    concern = concerns[2]
    client.force_login(world.sam)
    response = client.post(
        f"/concerns/{concern.pk}/review/",
        {
            "action_taken": "Visited with the team manager",
            "assurance": "Safety plan in place",
            "review_date_0": "2",
            "review_date_1": "5",
            "review_date_2": "2026",
        },
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.review_date == datetime.date(2026, 5, 2)
    response = client.post(
        f"/concerns/{concern.pk}/close/",
        {"signed_off_name": "Pat Green", "signed_off_role": "Improvement Director"},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    page = client.get(f"/concerns/{concern.pk}/")
    assert b"Pat Green (Improvement Director)" in page.content


def test_wrong_methods(client, world, concerns):
    client.force_login(world.lena)
    assert client.post("/concerns/").status_code == 405
    assert client.delete(f"/concerns/{concerns[0].pk}/").status_code == 405
