"""Actions: creation tells the owner, completion needs evidence, cancelling a reason; overdue
from a fixed date; the tracker by month of origin; reminders before and after the due date,
each sent once, the overdue one to the owner's senior manager too."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from caseaudit.accounts.models import Membership, User
from caseaudit.accounts.roles import Role
from caseaudit.actions import selectors, services
from caseaudit.actions.models import Action, ActionReminder, ActionStatus
from caseaudit.notifications.models import Notification, NotificationKind
from tests.concerns.factories import audit_with_teams, child

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def audit(world):
    return audit_with_teams(world)


def make(world, audit, *, due, originated=datetime.date(2026, 5, 1), owner="chris", **kwargs):
    return services.action_create(
        partnership=world.north,
        user=world.lena,
        owner=world.memberships[owner],
        what="Team manager to record a direction on the child's file and review it in supervision.",
        due_date=due,
        success_measure="The next supervision note shows the plan updated and the child seen.",
        sampled_case=child(audit, "Child A"),
        originated_on=originated,
        **kwargs,
    )


def test_creating_tells_the_owner(world, audit):
    mail.outbox.clear()
    action = make(world, audit, due=datetime.date(2026, 6, 1))
    assert action.audit == audit
    [message] = mail.outbox
    assert message.to == ["chris@north.example"]
    assert "Action assigned to you, due 1 June 2026 (Child A)" in message.subject
    assert Notification.objects.get(user=world.chris).kind == NotificationKind.ACTION_ASSIGNED


def test_an_action_needs_smart_fields_and_a_proper_owner(world, audit):
    with pytest.raises(ValidationError) as error:
        services.action_create(
            partnership=world.north,
            user=world.lena,
            owner=world.memberships["bea"],
            what=" ",
            due_date=datetime.date(2026, 4, 1),
            success_measure="",
            originated_on=datetime.date(2026, 5, 1),
        )
    assert set(error.value.message_dict) == {"what", "owner", "due_date", "success_measure"}
    with pytest.raises(ValidationError):
        make(world, audit, due=datetime.date(2026, 6, 1), owner="sol")


def test_complete_needs_evidence_and_cancel_a_reason(world, audit):
    action = make(world, audit, due=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        services.action_complete(action=action, user=world.chris, evidence="  ")
    services.action_complete(action=action, user=world.chris, evidence="Supervision note, 2 June.")
    assert action.status == ActionStatus.COMPLETED
    with pytest.raises(ValidationError):
        services.action_cancel(action=action, user=world.lena, reason="Too late")
    other = make(world, audit, due=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        services.action_cancel(action=other, user=world.lena, reason="")
    services.action_cancel(action=other, user=world.lena, reason="The child moved away.")
    assert other.status == ActionStatus.CANCELLED


def test_overdue_is_worked_out_from_the_date(world, audit):
    action = make(world, audit, due=datetime.date(2026, 5, 19))
    assert action.is_overdue(today=TODAY)
    assert not action.is_overdue(today=datetime.date(2026, 5, 19))
    action.status = ActionStatus.COMPLETED
    assert not action.is_overdue(today=TODAY)


def test_tracker_by_month_of_origin(world, audit):
    april, may = datetime.date(2026, 4, 3), datetime.date(2026, 5, 6)
    done = make(world, audit, due=datetime.date(2026, 5, 1), originated=april)
    services.action_complete(action=done, user=world.chris, evidence="Done")
    make(world, audit, due=datetime.date(2026, 5, 1), originated=april)  # outstanding
    make(world, audit, due=datetime.date(2026, 5, 19), originated=may)  # outstanding
    make(world, audit, due=TODAY, originated=may)  # due today: not yet due
    make(world, audit, due=datetime.date(2026, 6, 30), originated=may)  # not yet due
    cancelled = make(world, audit, due=datetime.date(2026, 6, 30), originated=may)
    services.action_cancel(action=cancelled, user=world.lena, reason="Duplicate")

    rows = selectors.tracker_by_month(Action.objects.all(), today=TODAY)

    assert rows == [
        {
            "month": datetime.date(2026, 4, 1),
            "total": 2,
            "completed": 1,
            "outstanding": 1,
            "not_yet_due": 0,
            "cancelled": 0,
        },
        {
            "month": datetime.date(2026, 5, 1),
            "total": 4,
            "completed": 0,
            "outstanding": 1,
            "not_yet_due": 2,
            "cancelled": 1,
        },
    ]
    assert selectors.tracker_totals(rows)["total"] == 6


def test_reminders_before_and_after_the_due_date_once_each(world, audit, settings):
    settings.ACTION_REMINDER_DAYS = 7
    soon = make(world, audit, due=datetime.date(2026, 5, 25))
    late = make(world, audit, due=datetime.date(2026, 5, 10), escalate_to=world.memberships["sam"])
    make(world, audit, due=datetime.date(2026, 6, 30))  # not yet in the window
    mail.outbox.clear()

    first = services.reminders_send(today=TODAY)
    again = services.reminders_send(today=TODAY)

    assert first == {"due_soon": 1, "overdue": 1}
    assert again == {"due_soon": 0, "overdue": 0}
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == [
        ("chris@north.example", "[caseaudit] Your action is due 25 May 2026 (Child A)"),
        ("chris@north.example", "[caseaudit] Your action is overdue"),
        ("sam@north.example", "[caseaudit] An action owned by Chris is overdue"),
    ]
    assert set(ActionReminder.objects.values_list("action_id", "kind")) == {
        (soon.pk, "due_soon"),
        (late.pk, "overdue"),
    }


def test_overdue_goes_to_every_senior_manager_when_none_is_named(world, audit):
    second = User.objects.create_user("sasha@north.example", "pw", full_name="Sasha")
    Membership.objects.create(user=second, partnership=world.north, role=Role.SENIOR_MANAGER)
    make(world, audit, due=datetime.date(2026, 5, 10))
    mail.outbox.clear()
    services.reminders_send(today=TODAY)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chris@north.example",
        "sam@north.example",
        "sasha@north.example",
    ]


def test_an_action_from_a_concern_is_in_its_history(world, audit):
    from caseaudit.concerns.models import ConcernEventKind, ConcernSource
    from caseaudit.concerns.services import concern_open

    concern = concern_open(
        sampled_case=child(audit, "Child B"),
        user=world.lena,
        source=ConcernSource.AUDIT_LEAD,
        category=2,
        description="Plan not SMART",
    )
    action = services.action_create(
        partnership=world.north,
        user=world.sam,
        owner=world.memberships["chris"],
        what="Rewrite the plan",
        due_date=datetime.date(2099, 1, 1),
        success_measure="Plan reviewed at core group",
        concern=concern,
    )
    assert action.sampled_case == concern.sampled_case
    assert concern.events.filter(kind=ConcernEventKind.ACTION_ADDED).exists()
