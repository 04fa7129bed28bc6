"""Action pages: your actions, completing with evidence, creating one, the tracker."""

import datetime

import pytest
from django.core import mail

from caseaudit.actions.models import Action, ActionStatus
from caseaudit.actions.services import action_create
from tests.concerns.factories import audit_with_teams, child


@pytest.fixture
def action(world):
    audit = audit_with_teams(world)
    return action_create(
        partnership=world.north,
        user=world.lena,
        owner=world.memberships["chris"],
        what="Record the direction on file",
        due_date=datetime.date(2099, 1, 1),
        success_measure="Supervision shows it done",
        sampled_case=child(audit, "Child A"),
    )


def test_your_actions_lists_only_your_own(client, world, action):
    client.force_login(world.chris)
    response = client.get("/actions/mine/")
    assert list(response.context["actions"]) == [action]
    assert b"Your actions" in response.content
    client.force_login(world.hana)
    assert list(client.get("/actions/mine/").context["actions"]) == []
    assert client.get(f"/actions/{action.pk}/").status_code == 404


def test_the_owner_completes_with_evidence(client, world, action):
    client.force_login(world.chris)
    response = client.post(f"/actions/{action.pk}/complete/", {"evidence": ""})
    assert b"Enter the evidence that the action is done" in response.content
    response = client.post(f"/actions/{action.pk}/complete/", {"evidence": "Note of 3 May"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    assert action.completed_by == world.chris


def test_the_lead_adds_an_action_for_a_child(client, world, action):
    client.force_login(world.lena)
    mail.outbox.clear()
    response = client.post(
        "/actions/new/",
        {
            "sampled_case": action.sampled_case_id,
            "what": "Hold a strategy discussion",
            "owner": world.memberships["sam"].pk,
            "due_date_0": "1",
            "due_date_1": "1",
            "due_date_2": "2099",
            "success_measure": "Minutes on file",
        },
    )
    assert response.status_code == 302
    created = Action.objects.get(what="Hold a strategy discussion")
    assert created.owner == world.memberships["sam"]
    assert [m.to for m in mail.outbox] == [["sam@north.example"]]


def test_board_viewers_see_the_tracker_not_the_actions(client, world, action):
    client.force_login(world.bea)
    response = client.get("/actions/tracker/")
    assert response.status_code == 200
    assert response.context["totals"]["total"] == 1
    assert b"Record the direction" not in response.content
    assert client.get("/actions/").status_code == 404
