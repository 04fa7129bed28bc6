"""Cases of Concern: opening, category 1 email at once, review, closure, history, overdue
reviews and review reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from caseaudit.concerns import services
from caseaudit.concerns.models import (
    CaseOfConcern,
    ConcernEventKind,
    ConcernSource,
    ConcernStatus,
)
from caseaudit.notifications.models import Notification, NotificationKind
from caseaudit.notifications.services import preference_set
from tests.concerns.factories import audit_with_teams, child
from tests.returns.factories import CHILDREN, assert_no_identifying_details

DESCRIPTION = "No safety plan since the second plan began; the child has not been seen for weeks."


@pytest.fixture
def audit(world):
    return audit_with_teams(world)


def open_concern(world, audit, category=2, pseudonym="Child A", **kwargs):
    return services.concern_open(
        sampled_case=child(audit, pseudonym),
        user=world.lena,
        source=ConcernSource.AUDIT_LEAD,
        category=category,
        description=DESCRIPTION,
        **kwargs,
    )


def test_category_one_emails_the_senior_managers_at_once(world, audit):
    mail.outbox.clear()
    preference_set(user=world.sam, daily_digest=True)  # urgent: sent at once all the same

    concern = open_concern(world, audit, category=1)

    [message] = mail.outbox
    assert message.to == ["sam@north.example"]
    assert "Category 1 Case of Concern: act today (Child A" in message.subject
    assert f"/concerns/{concern.pk}/" in message.body
    assert_no_identifying_details(mail.outbox, CHILDREN)
    assert DESCRIPTION not in message.body
    concern.refresh_from_db()
    assert concern.senior_managers_notified_at is not None
    notification = Notification.objects.get(user=world.sam)
    assert notification.kind == NotificationKind.CONCERN_CATEGORY_ONE
    assert notification.emailed_at is not None
    kinds = list(concern.events.values_list("kind", flat=True))
    assert kinds == [ConcernEventKind.RAISED, ConcernEventKind.SENIOR_MANAGERS_EMAILED]


def test_category_two_emails_nobody(world, audit):
    mail.outbox.clear()
    concern = open_concern(world, audit, category=2)
    assert mail.outbox == []
    assert concern.senior_managers_notified_at is None


def test_default_review_due_follows_the_category(world, audit, settings):
    settings.CONCERN_REVIEW_DAYS_CATEGORY_1 = 1
    settings.CONCERN_REVIEW_DAYS_CATEGORY_2 = 20
    one = open_concern(world, audit, category=1)
    two = open_concern(world, audit, category=2, pseudonym="Child B")
    today = timezone.localdate()
    assert one.review_due == today + datetime.timedelta(days=1)
    assert two.review_due == today + datetime.timedelta(days=20)


def test_opening_needs_a_description_and_a_category(world, audit):
    with pytest.raises(ValidationError) as error:
        services.concern_open(
            sampled_case=child(audit, "Child A"),
            user=world.lena,
            source=ConcernSource.AUDIT_LEAD,
            category=3,
            description="  ",
        )
    assert set(error.value.message_dict) == {"category", "description"}


def test_setting_category_one_on_a_return_flag_emails_once(world, audit):
    concern = CaseOfConcern.objects.create(
        audit=audit,
        sampled_case=child(audit, "Child C"),
        source=ConcernSource.RETURN_FLAG,
        description=DESCRIPTION,
    )
    mail.outbox.clear()
    services.concern_categorise(concern=concern, user=world.lena, category=1)
    services.concern_categorise(concern=concern, user=world.lena, category=1)
    assert len(mail.outbox) == 1
    assert concern.review_due is not None


def test_review_then_close_is_time_stamped(world, audit):
    concern = open_concern(world, audit, category=1)
    with pytest.raises(ValidationError):
        services.concern_close(
            concern=concern, user=world.sam, signed_off_name="Pat", signed_off_role="Director"
        )
    services.concern_review(
        concern=concern,
        user=world.sam,
        action_taken="Reviewed with the team manager; strategy discussion held.",
        assurance="The child is seen weekly and the plan is progressing.",
        review_date=datetime.date(2026, 5, 1),
    )
    assert concern.status == ConcernStatus.REVIEWED
    assert concern.reviewed_by == world.sam
    services.concern_close(
        concern=concern,
        user=world.sam,
        signed_off_name="Pat Green",
        signed_off_role="Improvement Director",
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    assert (concern.signed_off_name, concern.signed_off_role) == (
        "Pat Green",
        "Improvement Director",
    )
    events = list(concern.events.all())
    assert [e.kind for e in events][-2:] == [ConcernEventKind.REVIEWED, ConcernEventKind.CLOSED]
    assert all(e.at is not None for e in events)
    assert events == sorted(events, key=lambda e: (e.at, e.pk))


def test_review_needs_what_was_done_assurance_and_a_past_date(world, audit):
    concern = open_concern(world, audit)
    with pytest.raises(ValidationError) as error:
        services.concern_review(
            concern=concern,
            user=world.sam,
            action_taken="",
            assurance=" ",
            review_date=datetime.date(2999, 1, 1),
        )
    assert set(error.value.message_dict) == {"action_taken", "assurance", "review_date"}


def test_review_overdue_with_a_fixed_date(world, audit):
    concern = open_concern(world, audit, review_due=datetime.date(2026, 5, 10))
    assert not concern.review_overdue(today=datetime.date(2026, 5, 10))
    assert concern.review_overdue(today=datetime.date(2026, 5, 11))
    concern.status = ConcernStatus.REVIEWED
    assert not concern.review_overdue(today=datetime.date(2026, 5, 11))


@override_settings(CONCERN_REVIEW_DAYS_CATEGORY_2=20)
def test_review_reminders_are_sent_once(world, audit):
    due = open_concern(world, audit, review_due=datetime.date(2026, 5, 11))
    late = open_concern(world, audit, pseudonym="Child B", review_due=datetime.date(2026, 5, 1))
    mail.outbox.clear()

    first = services.review_reminders_send(today=datetime.date(2026, 5, 10))
    again = services.review_reminders_send(today=datetime.date(2026, 5, 10))

    assert first == {"review_due": 1, "review_overdue": 1}
    assert again == {"review_due": 0, "review_overdue": 0}
    assert len(mail.outbox) == 2
    kinds = dict(Notification.objects.values_list("link", "kind"))
    assert kinds[f"/concerns/{due.pk}/"] == NotificationKind.CONCERN_REVIEW_DUE
    assert kinds[f"/concerns/{late.pk}/"] == NotificationKind.CONCERN_REVIEW_OVERDUE
