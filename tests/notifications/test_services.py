"""Notifications: emailed at once by default; kept for the daily digest when the person chose
it; the digest sends one email and nothing twice; marking read."""

import pytest
from django.core import mail

from caseaudit.notifications import services
from caseaudit.notifications.models import Notification, NotificationKind


def note(world, user, message="Action assigned to you", **kwargs):
    return services.notify(
        users=[user],
        partnership=world.north,
        kind=NotificationKind.ACTION_ASSIGNED,
        message=message,
        link="/actions/mine/",
        **kwargs,
    )


def test_immediate_email_by_default(world):
    mail.outbox.clear()
    [created] = note(world, world.chris)
    [message] = mail.outbox
    assert message.to == ["chris@north.example"]
    assert "http://127.0.0.1:8000/actions/mine/" in message.body
    created.refresh_from_db()
    assert created.emailed_at is not None
    assert created.read_at is None


def test_digest_instead_of_immediate_emails(world):
    services.preference_set(user=world.chris, daily_digest=True)
    mail.outbox.clear()
    note(world, world.chris, "First")
    note(world, world.chris, "Second")
    note(world, world.hana, "For Hana")  # immediate
    assert [m.to for m in mail.outbox] == [["hana@north.example"]]
    mail.outbox.clear()

    assert services.digest_send() == 1
    [digest] = mail.outbox
    assert digest.to == ["chris@north.example"]
    assert "2 notification(s)" in digest.subject
    assert "- First" in digest.body
    assert "- Second" in digest.body
    assert services.digest_send() == 0
    assert len(mail.outbox) == 1


def test_urgent_is_emailed_even_with_the_digest(world):
    services.preference_set(user=world.sam, daily_digest=True)
    mail.outbox.clear()
    note(world, world.sam, urgent=True)
    assert len(mail.outbox) == 1
    assert services.digest_send() == 0


def test_a_dedupe_key_sends_once(world):
    mail.outbox.clear()
    assert note(world, world.chris, dedupe_key="x-1")
    assert note(world, world.chris, dedupe_key="x-1") == []
    assert len(mail.outbox) == 1


def test_inactive_people_get_nothing(world):
    world.chris.is_active = False
    world.chris.save()
    assert note(world, world.chris) == []


@pytest.mark.parametrize("one", [True, False])
def test_mark_read(world, one):
    first = note(world, world.chris, "One")[0]
    note(world, world.chris, "Two")
    count = services.notifications_mark_read(
        user=world.chris, partnership=world.north, pk=first.pk if one else None
    )
    assert count == (1 if one else 2)
    assert Notification.objects.filter(read_at__isnull=True).count() == (1 if one else 0)
