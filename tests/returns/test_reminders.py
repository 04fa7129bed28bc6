"""Reminders: which one is due on a given day (reminder_due), and the daily run that marks
requests late and emails the reminders (reminders_send, through the send_reminders task).

Every day is explicit: the run is always given `today`. The requests are due on Friday
29 March 2030; by default reminders go 3 days before, on the day, 2 days after and then every
7 days."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from caseaudit.returns.models import (
    AuditRequest,
    EventKind,
    ReminderSettings,
    RequestEvent,
    RequestStatus,
)
from caseaudit.returns.services import (
    reminder_due,
    reminders_send,
    request_decline,
    request_reassign,
    requests_create,
    requests_send,
    return_submit,
)
from caseaudit.returns.tasks import send_reminders
from tests.returns.factories import (
    DUE,
    assert_no_identifying_details,
    audit_with_locked_sample,
    auditor,
    request_for,
    save_answers,
)

BEFORE = EventKind.REMINDER_BEFORE
ON_THE_DAY = EventKind.REMINDER_DUE
AFTER = EventKind.REMINDER_AFTER
AUDIT_TITLE = "Neglect: multi-agency audit"


def day(offset: int) -> datetime.date:
    """The day `offset` days from the due date."""
    return DUE + datetime.timedelta(days=offset)


def due_on(offset: int, sent: dict | None = None, **settings) -> str | None:
    """reminder_due for a request due on DUE, `offset` days from it."""
    return reminder_due(
        AuditRequest(due_date=DUE), ReminderSettings(**settings), day(offset), sent or {}
    )


# Which reminder is due -------------------------------------------------------------------------


def test_the_default_settings():
    settings = ReminderSettings()
    assert (
        settings.before_days,
        settings.on_due_date,
        settings.after_days,
        settings.after_every_days,
    ) == (3, True, 2, 7)


@pytest.mark.parametrize(("offset", "expected"), [(-10, None), (-4, None), (-3, BEFORE)])
def test_before_the_due_date(offset, expected):
    assert due_on(offset) == expected


def test_before_goes_once():
    assert due_on(-2, {BEFORE: day(-3)}) is None
    assert due_on(-1, {BEFORE: day(-3)}) is None


def test_a_missed_before_reminder_goes_on_a_later_day_before_the_due_date():
    assert due_on(-2) == BEFORE
    assert due_on(-1) == BEFORE


def test_the_number_of_days_before_is_the_audits():
    assert due_on(-6, before_days=5) is None
    assert due_on(-5, before_days=5) == BEFORE


def test_no_reminder_before_when_before_days_is_0():
    for offset in (-3, -1):
        assert due_on(offset, before_days=0) is None


def test_on_the_due_date():
    assert due_on(0) == ON_THE_DAY
    assert due_on(0, {BEFORE: day(-3)}) == ON_THE_DAY
    assert due_on(0, {BEFORE: day(-3), ON_THE_DAY: day(0)}) is None


def test_no_reminder_on_the_due_date_when_switched_off():
    assert due_on(0, on_due_date=False) is None


@pytest.mark.parametrize(("offset", "expected"), [(1, None), (2, AFTER)])
def test_after_the_due_date(offset, expected):
    assert due_on(offset, {ON_THE_DAY: day(0)}) == expected


def test_a_missed_after_reminder_goes_on_the_next_run():
    assert due_on(5, {BEFORE: day(-3)}) == AFTER


def test_after_days_of_0_means_the_day_after():
    assert due_on(0, after_days=0) == ON_THE_DAY
    assert due_on(1, after_days=0) == AFTER


@pytest.mark.parametrize(
    ("offset", "expected"), [(2, None), (3, None), (8, None), (9, AFTER), (10, AFTER)]
)
def test_after_reminders_repeat_every_so_many_days(offset, expected):
    assert due_on(offset, {AFTER: day(2)}) == expected


def test_a_missed_repeat_goes_on_the_next_run():
    assert due_on(20, {AFTER: day(2)}) == AFTER


def test_the_repeat_interval_is_the_audits():
    assert due_on(4, {AFTER: day(2)}, after_every_days=2) == AFTER
    assert due_on(3, {AFTER: day(2)}, after_every_days=2) is None


def test_no_repeat_when_after_every_days_is_0():
    for offset in (9, 30, 365):
        assert due_on(offset, {AFTER: day(2)}, after_every_days=0) is None
    assert due_on(2, after_every_days=0) == AFTER


# The daily run -----------------------------------------------------------------------------------


@pytest.fixture
def audit(world):
    audit = audit_with_locked_sample(world)
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    return audit


@pytest.fixture
def sent(world, audit):
    """Child A and B to chris (children's social care), Child A and C to hana (health)."""
    requests_send(audit=audit, user=world.lena)
    mail.outbox.clear()
    return audit


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def reminders(kind=None) -> list[tuple[int, str, datetime.date]]:
    events = RequestEvent.objects.filter(reminder_date__isnull=False)
    if kind:
        events = events.filter(kind=kind)
    return list(events.order_by("id").values_list("request", "kind", "reminder_date"))


def statuses(audit) -> set[str]:
    return set(AuditRequest.objects.filter(audit=audit).values_list("status", flat=True))


def test_reminders_before_the_due_date_go_to_each_assignee(sent):
    counts = reminders_send(today=day(-3))

    assert counts == {"marked_late": 0, BEFORE: 4}
    assert recipients() == [
        "chris@north.example",
        "chris@north.example",
        "hana@north.example",
        "hana@north.example",
    ]
    for message in mail.outbox:
        assert message.subject == (
            f"[caseaudit] Reminder: audit return due 29 March 2030: {AUDIT_TITLE}"
        )
        assert "is due on 29 March 2030" in message.body
        assert "was due" not in message.body
    assert {(kind, when) for _, kind, when in reminders()} == {(BEFORE, day(-3))}
    assert len(reminders()) == 4


def test_each_reminder_goes_to_the_assignee_of_its_own_request(world, sent):
    carl = auditor(world, "carl", world.csc)
    request_reassign(
        request=request_for(sent, "Child B", world.csc), user=world.lena, assignee=carl
    )
    mail.outbox.clear()

    reminders_send(today=day(-3))

    for message in mail.outbox:
        [request] = [
            r
            for r in AuditRequest.objects.filter(audit=sent)
            if reverse("return_start", args=[r.pk]) in message.body
        ]
        assert message.to == [request.assignee.email]
    assert recipients() == [
        "carl@north.example",
        "chris@north.example",
        "hana@north.example",
        "hana@north.example",
    ]


def test_running_twice_the_same_day_sends_nothing_twice(sent):
    reminders_send(today=day(-3))
    mail.outbox.clear()

    assert reminders_send(today=day(-3)) == {"marked_late": 0}
    assert reminders_send(today=day(-2)) == {"marked_late": 0}

    assert mail.outbox == []
    assert len(reminders()) == 4


def test_the_reminder_on_the_due_date(sent):
    reminders_send(today=day(-3))
    mail.outbox.clear()

    assert reminders_send(today=day(0)) == {"marked_late": 0, ON_THE_DAY: 4}

    assert {m.subject for m in mail.outbox} == {
        f"[caseaudit] Audit return due today: {AUDIT_TITLE}"
    }
    assert all("is due today" in m.body for m in mail.outbox)
    assert statuses(sent) == {RequestStatus.SENT}  # due today is not late


def test_two_runs_overlapping_send_each_reminder_once(sent, monkeypatch):
    """Two runs that both read the history before either wrote to it: the database refuses
    the second record of a reminder for the same day, so its email is not sent again."""
    monkeypatch.setattr(
        "caseaudit.returns.services.reminder_due", lambda request, settings, today, sent: BEFORE
    )
    assert reminders_send(today=day(-3)) == {"marked_late": 0, BEFORE: 4}
    assert reminders_send(today=day(-3)) == {"marked_late": 0}
    assert len(mail.outbox) == 4
    assert len(reminders()) == 4


def test_the_day_after_the_due_date_requests_are_marked_late_once(sent):
    assert reminders_send(today=day(1)) == {"marked_late": 4}
    assert statuses(sent) == {RequestStatus.LATE}
    assert RequestEvent.objects.filter(kind=EventKind.MARKED_LATE).count() == 4
    assert mail.outbox == []  # the first late reminder waits for the second day after

    assert reminders_send(today=day(1)) == {"marked_late": 0}
    assert RequestEvent.objects.filter(kind=EventKind.MARKED_LATE).count() == 4


def test_reminders_after_the_due_date_say_it_is_overdue_and_repeat(sent):
    reminders_send(today=day(1))

    assert reminders_send(today=day(2)) == {"marked_late": 0, AFTER: 4}
    for message in mail.outbox:
        assert message.subject == (
            f"[caseaudit] Audit return overdue since 29 March 2030: {AUDIT_TITLE}"
        )
        assert "was due on 29 March 2030 and has not been submitted yet" in message.body
    mail.outbox.clear()

    for offset in range(3, 9):
        assert reminders_send(today=day(offset)) == {"marked_late": 0}
    assert mail.outbox == []
    assert reminders_send(today=day(9)) == {"marked_late": 0, AFTER: 4}
    assert [when for _, kind, when in reminders(AFTER)] == [day(2)] * 4 + [day(9)] * 4


def test_no_repeats_when_the_audit_says_none(sent):
    ReminderSettings.objects.create(audit=sent, after_every_days=0)
    reminders_send(today=day(2))
    for offset in (9, 16, 60):
        assert reminders_send(today=day(offset)) == {"marked_late": 0}
    assert len(reminders(AFTER)) == 4


def test_a_run_after_days_missed_catches_up(sent):
    """Nothing ran from the day the requests went until five days after the due date: the run
    marks them late and sends the late reminder (and not the ones before or on the day)."""
    counts = reminders_send(today=day(5))
    assert counts == {"marked_late": 4, AFTER: 4}
    assert {kind for _, kind, _ in reminders()} == {AFTER}


def test_a_missed_before_reminder_is_caught_up_before_the_due_date(sent):
    assert reminders_send(today=day(-1)) == {"marked_late": 0, BEFORE: 4}


def test_each_audit_has_its_own_settings(world, sent):
    other = audit_with_locked_sample(world, title="Second audit")
    requests_create(audit=other, user=world.lena, due_date=DUE)
    requests_send(audit=other, user=world.lena)
    ReminderSettings.objects.create(audit=sent, before_days=7, on_due_date=False)
    mail.outbox.clear()

    assert reminders_send(today=day(-7)) == {"marked_late": 0, BEFORE: 4}
    assert {request.audit for request in AuditRequest.objects.filter(events__kind=BEFORE)} == {sent}
    assert reminders_send(today=day(-3)) == {"marked_late": 0, BEFORE: 4}  # the other audit
    assert reminders_send(today=day(0)) == {"marked_late": 0, ON_THE_DAY: 4}  # the other again
    assert set(
        AuditRequest.objects.filter(events__kind=ON_THE_DAY).values_list("audit", flat=True)
    ) == {other.pk}


def test_no_reminder_for_a_return_submitted_or_declined(world, sent):
    submitted = request_for(sent, "Child A", world.csc)
    save_answers(submitted, world.chris, {"lead_agency": "health", "seen_alone": "no"})
    return_submit(request=submitted, user=world.chris, expected_version=1)
    declined = request_for(sent, "Child C", world.health)
    request_decline(request=declined, user=world.hana, reason="No involvement with this child")

    assert reminders_send(today=day(-3)) == {"marked_late": 0, BEFORE: 2}
    assert reminders_send(today=day(5)) == {"marked_late": 2, AFTER: 2}

    reminded = {request for request, _, _ in reminders()}
    assert submitted.pk not in reminded
    assert declined.pk not in reminded
    assert AuditRequest.objects.get(pk=submitted.pk).status == RequestStatus.SUBMITTED
    assert AuditRequest.objects.get(pk=declined.pk).status == RequestStatus.DECLINED


def test_an_in_progress_return_is_marked_late_and_reminded(world, sent):
    started = request_for(sent, "Child B", world.csc)
    save_answers(started, world.chris, {"visits": "3"})
    reminders_send(today=day(2))
    assert AuditRequest.objects.get(pk=started.pk).status == RequestStatus.LATE
    assert started.pk in {request for request, _, _ in reminders(AFTER)}


def test_no_reminder_without_an_assignee_who_can_sign_in(world, sent):
    nobody = request_for(sent, "Child A", world.health)
    request_reassign(request=nobody, user=world.lena, assignee=None)
    world.chris.is_active = False
    world.chris.save()
    mail.outbox.clear()

    assert reminders_send(today=day(-3)) == {"marked_late": 0, BEFORE: 1}
    assert recipients() == ["hana@north.example"]
    assert [request for request, _, _ in reminders()] == [
        request_for(sent, "Child C", world.health).pk
    ]
    # Late all the same.
    assert reminders_send(today=day(1))["marked_late"] == 4


def test_unsent_requests_get_no_reminder_and_are_never_late(audit):
    assert reminders_send(today=day(-3)) == {"marked_late": 0}
    assert reminders_send(today=day(5)) == {"marked_late": 0}
    assert statuses(audit) == {RequestStatus.NOT_SENT}
    assert mail.outbox == []
    assert reminders() == []


def test_reminder_emails_name_no_child(sent):
    for offset in (-3, 0, 2):
        reminders_send(today=day(offset))
    assert len(mail.outbox) == 12
    assert_no_identifying_details(mail.outbox)


def test_the_task_runs_the_reminders_for_the_day_given(sent):
    result = send_reminders.enqueue(today=day(-3).isoformat())
    assert result.is_finished
    assert result.return_value == {"marked_late": 0, BEFORE: 4}
    assert len(mail.outbox) == 4
