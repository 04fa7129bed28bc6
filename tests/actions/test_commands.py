"""`caseaudit send_action_reminders` and `caseaudit send_notification_digest`."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from caseaudit.actions.services import action_create
from caseaudit.notifications.services import preference_set
from tests.concerns.factories import audit_with_teams, child


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_reminders_command_with_a_date(world):
    audit = audit_with_teams(world)
    action_create(
        partnership=world.north,
        user=world.lena,
        owner=world.memberships["chris"],
        what="Do it",
        due_date=datetime.date(2030, 5, 10),
        success_measure="Done",
        sampled_case=child(audit, "Child A"),
        originated_on=datetime.date(2030, 5, 1),
    )
    assert "0 due-soon reminder(s), 1 overdue" in run(
        "send_action_reminders", "--date", "2030-05-11"
    )
    assert "0 due-soon reminder(s), 0 overdue" in run(
        "send_action_reminders", "--date", "2030-05-11"
    )
    with pytest.raises(CommandError):
        run("send_action_reminders", "--date", "tomorrow")


def test_digest_command(world):
    preference_set(user=world.chris, daily_digest=True)
    audit = audit_with_teams(world)
    mail.outbox.clear()
    action_create(
        partnership=world.north,
        user=world.lena,
        owner=world.memberships["chris"],
        what="Do it",
        due_date=datetime.date(2099, 5, 10),
        success_measure="Done",
        sampled_case=child(audit, "Child A"),
    )
    assert mail.outbox == []
    assert "Sent 1 digest email(s)." in run("send_notification_digest")
    assert "Sent 0 digest email(s)." in run("send_notification_digest")
