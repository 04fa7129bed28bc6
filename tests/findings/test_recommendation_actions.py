"""Recommendations create or link actions (issue 7, part 1): a new action from a recommendation
answers it; an open action that answers nothing else can be linked, and unlinked again; deleting
a recommendation keeps its actions; each step is in the access log; other partnerships' and
audits' recommendations and actions answer 404."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from caseaudit.accesslog.models import AccessEvent
from caseaudit.accesslog.models import Action as LogAction
from caseaudit.actions import services as action_services
from caseaudit.actions.models import Action, ActionStatus
from caseaudit.actions.selectors import action_counts_by_source
from caseaudit.audits.services import audit_create
from caseaudit.findings.models import Recommendation
from tests.concerns.factories import audit_with_teams, child
from tests.returns.factories import DUE

pytestmark = pytest.mark.django_db

FUTURE = datetime.date(2099, 1, 31)


@pytest.fixture
def audit(world):
    return audit_with_teams(world)


@pytest.fixture
def recommendation(audit):
    return Recommendation.objects.create(
        audit=audit, number=1, text="Every plan names who does what by when.", lead="Practice group"
    )


@pytest.fixture
def lena(world) -> Client:
    client = Client()
    client.force_login(world.lena)
    return client


def make_action(world, what="Run two plan-writing workshops for team managers", **kwargs):
    return action_services.action_create(
        partnership=world.north,
        user=world.lena,
        owner=world.memberships["sam"],
        what=what,
        due_date=FUTURE,
        success_measure="A dip sample in March finds SMART plans on 8 files in 10.",
        **kwargs,
    )


def page(recommendation) -> str:
    return f"/audits/{recommendation.audit_id}/findings/recommendation/{recommendation.pk}/actions/"


def test_a_new_action_from_a_recommendation_answers_it(lena, world, recommendation):
    form = lena.get(f"/actions/new/recommendation/{recommendation.pk}/")
    assert form.status_code == 200
    text = form.content.decode()
    assert "Every plan names who does what by when." in text
    assert "recommendation 1" in text
    mail.outbox.clear()
    response = lena.post(
        f"/actions/new/recommendation/{recommendation.pk}/",
        {
            "what": "Plan-writing workshops for every team",
            "owner": world.memberships["sam"].pk,
            "due_date_0": "31",
            "due_date_1": "1",
            "due_date_2": "2099",
            "success_measure": "Dip sample of plans in March",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == page(recommendation)
    action = Action.objects.get(what="Plan-writing workshops for every team")
    assert action.source == recommendation
    assert action.audit == recommendation.audit
    assert action.sampled_case is None
    assert [m.to for m in mail.outbox] == [["sam@north.example"]]
    event = AccessEvent.objects.get(action=LogAction.ACTION_CREATED)
    assert (event.object_label, event.user) == ("Recommendation 1", world.lena)
    listed = lena.get(page(recommendation)).content.decode()
    assert "Plan-writing workshops for every team" in listed
    detail = lena.get(f"/actions/{action.pk}/").content.decode()
    assert f'href="{page(recommendation)}"' in detail


def test_a_new_action_with_mistakes_keeps_what_was_typed(lena, world, recommendation):
    response = lena.post(
        f"/actions/new/recommendation/{recommendation.pk}/",
        {"what": "Workshops", "owner": world.memberships["sam"].pk, "success_measure": ""},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter how we will know it made a difference" in text
    assert ">\nWorkshops</textarea>" in text
    assert not Action.objects.exists()


def test_linking_an_open_action_and_unlinking_it(lena, world, audit, recommendation):
    action = make_action(world, sampled_case=child(audit, "Child A"))
    response = lena.get(page(recommendation))
    assert f'value="{action.pk}"' in response.content.decode()
    response = lena.post(page(recommendation), {"action": action.pk})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.source == recommendation
    assert action.sampled_case == child(audit, "Child A")
    linked = AccessEvent.objects.get(action=LogAction.ACTION_LINKED)
    assert linked.object_id == str(action.pk)
    assert linked.object_label == "Recommendation 1"
    text = lena.get(page(recommendation)).content.decode()
    assert "Unlink" in text
    # Now linked, it is no longer offered.
    assert f'<option value="{action.pk}"' not in text
    overview = lena.get(f"/audits/{audit.pk}/findings/").content.decode()
    assert "1 action: 1 open, 0 overdue, 0 completed." in overview
    response = lena.post(page(recommendation) + f"{action.pk}/unlink/")
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.source_type is None
    assert action.source_id is None
    assert action.status == ActionStatus.OPEN
    assert AccessEvent.objects.filter(action=LogAction.ACTION_UNLINKED).count() == 1
    assert (
        "No action answers this recommendation yet."
        in lena.get(page(recommendation)).content.decode()
    )


def test_only_open_actions_that_answer_nothing_else_can_be_linked(
    lena, world, audit, recommendation
):
    second = Recommendation.objects.create(audit=audit, number=2, text="Fathers are seen.")
    taken = make_action(world, what="Taken", source=second)
    closed = make_action(world, what="Closed")
    action_services.action_complete(action=closed, user=world.lena, evidence="Done in May")
    for action in (taken, closed):
        response = lena.post(page(recommendation), {"action": action.pk})
        assert response.status_code == 200
        assert "Select an open action that answers no other recommendation" in (
            response.content.decode()
        )
        action.refresh_from_db()
        assert action.source == (second if action == taken else None)
    with pytest.raises(ValidationError):
        action_services.action_link_source(action=taken, source=recommendation, user=world.lena)
    with pytest.raises(ValidationError):
        action_services.action_link_source(action=closed, source=recommendation, user=world.lena)
    # Linking to the recommendation it already answers changes nothing.
    assert action_services.action_link_source(action=taken, source=second, user=world.lena) == taken
    for empty in ({"action": ""}, {}):
        response = lena.post(page(recommendation), empty)
        assert "Select the action to link" in response.content.decode()


def test_the_overview_counts_actions_by_state(lena, world, audit, recommendation):
    make_action(world, what="Open", source=recommendation)
    done = make_action(world, what="Done", source=recommendation)
    action_services.action_complete(action=done, user=world.lena, evidence="Seen in supervision")
    late = make_action(world, what="Late", source=recommendation)
    Action.objects.filter(pk=late.pk).update(due_date=datetime.date(2020, 1, 1))
    gone = make_action(world, what="Gone", source=recommendation)
    action_services.action_cancel(action=gone, user=world.lena, reason="Covered by another")
    counts = action_counts_by_source([recommendation], datetime.date(2026, 5, 1))
    assert counts == {
        recommendation.pk: {
            "total": 4,
            "not_yet_due": 1,
            "outstanding": 1,
            "completed": 1,
            "cancelled": 1,
        }
    }
    overview = lena.get(f"/audits/{audit.pk}/findings/").content.decode()
    assert "4 actions: 1 open, 1 overdue, 1 completed, 1 cancelled." in overview


def test_deleting_a_recommendation_keeps_its_actions(lena, world, audit, recommendation):
    action = make_action(world, source=recommendation)
    confirm = lena.get(f"/audits/{audit.pk}/findings/recommendation/{recommendation.pk}/delete/")
    text = confirm.content.decode()
    assert "Every plan names who does what by when." in text
    assert "1 action answers this recommendation. It stays in the action tracker" in text
    lena.post(f"/audits/{audit.pk}/findings/recommendation/{recommendation.pk}/delete/")
    assert not Recommendation.objects.exists()
    action.refresh_from_db()
    assert (action.source_type, action.source_id, action.status) == (None, None, "open")


def test_a_recommendation_of_another_partnership_or_audit_is_404(
    lena, world, audit, recommendation
):
    south_audit = audit_create(
        partnership=world.south,
        title="South audit",
        agencies=[world.south_csc],
        returns_due=DUE,
        user=world.sol,
    )
    foreign = Recommendation.objects.create(audit=south_audit, number=1, text="Elsewhere")
    assert lena.get(page(foreign)).status_code == 404
    assert lena.get(f"/actions/new/recommendation/{foreign.pk}/").status_code == 404
    # The right recommendation under another audit's address is 404 too.
    other = audit_with_teams(world, title="Another audit")
    wrong = f"/audits/{other.pk}/findings/recommendation/{recommendation.pk}/actions/"
    assert lena.get(wrong).status_code == 404
    # An action of another partnership cannot be linked or unlinked.
    south_action = action_services.action_create(
        partnership=world.south,
        user=world.sol,
        owner=world.memberships["sol"],
        what="South's own",
        due_date=FUTURE,
        success_measure="South knows",
    )
    response = lena.post(page(recommendation), {"action": south_action.pk})
    assert response.status_code == 200
    south_action.refresh_from_db()
    assert south_action.source_id is None
    with pytest.raises(ValidationError):
        action_services.action_link_source(action=south_action, source=recommendation, user=None)
    with pytest.raises(ValidationError):
        make_action(world, source=foreign)
    mine = make_action(world, source=recommendation)
    assert lena.post(page(foreign) + f"{mine.pk}/unlink/").status_code == 404
    assert lena.post(page(recommendation) + f"{south_action.pk}/unlink/").status_code == 404
    mine.refresh_from_db()
    assert mine.source == recommendation


def test_who_may_add_and_link_actions(world, audit, recommendation):
    for persona, status in [
        ("alice", 200),
        ("lena", 200),
        # A senior manager manages actions but does not write findings: the access helper
        # hides the recommendation.
        ("sam", 404),
        ("morgan", 404),
        ("chris", 404),
        ("bea", 404),
        ("sol", 404),
    ]:
        client = Client()
        client.force_login(world.users[persona])
        assert client.get(page(recommendation)).status_code == status, persona
    client = Client()
    client.force_login(world.lena)
    overview = client.get(f"/audits/{audit.pk}/findings/").content.decode()
    assert f'href="{page(recommendation)}"' in overview
