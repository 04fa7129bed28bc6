"""`caseaudit send_reminders`: the daily run, with a fixed date."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from caseaudit.returns.models import AuditRequest, EventKind, RequestEvent
from tests.returns.test_return_views import sent_request  # noqa: F401 - fixture


def run(day: str) -> str:
    out = StringIO()
    call_command("send_reminders", "--date", day, stdout=out)
    return out.getvalue()


def test_reminders_go_once_before_and_after_the_due_date(sent_request):  # noqa: F811
    mail.outbox.clear()
    assert "Reminders sent: 1 before the due date, 0 on it, 0 after it" in run("2030-01-28")
    assert "Reminders sent: 0 before" in run("2030-01-28")  # not twice the same day
    assert [m.to for m in mail.outbox] == [["chris@north.example"]]
    assert "due on 31 January 2030" in mail.outbox[0].body
    assert "Marked 1 request(s) late" in run("2030-02-02")
    assert AuditRequest.objects.get(pk=sent_request.pk).status == "late"
    assert RequestEvent.objects.filter(kind=EventKind.REMINDER_AFTER).count() == 1
    assert "overdue" in mail.outbox[-1].subject.lower()


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="--date must be a date"):
        call_command("send_reminders", "--date", "31/01/2030")
