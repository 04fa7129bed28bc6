"""Writes for notifications: `notify` (in-app, plus email at once unless the person chose the
daily digest), `notifications_mark_read` and `digest_send`."""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from caseaudit.notifications.models import Notification, NotificationPreference


def wants_digest(user) -> bool:
    return NotificationPreference.objects.filter(user=user, daily_digest=True).exists()


def _absolute(link: str) -> str:
    return settings.BASE_URL.rstrip("/") + link if link else settings.BASE_URL


def _email(notification: Notification) -> tuple[str, str, str, list[str]]:
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + notification.message
    body = render_to_string(
        "notifications/email/notification.txt",
        {
            "notification": notification,
            "link": _absolute(notification.link),
            "preferences": _absolute("/notifications/preferences/"),
            "service_name": settings.SERVICE_NAME,
        },
    )
    return subject, body, settings.DEFAULT_FROM_EMAIL, [notification.user.email]


def notify(
    *,
    users: Iterable,
    partnership,
    kind: str,
    message: str,
    link: str = "",
    urgent: bool = False,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """One notification per person (active users only). Emailed at once when urgent or when the
    person has not chosen the daily digest. With a dedupe_key, a person who already has that
    notification gets nothing new, so a reminder run can be repeated safely."""
    created = []
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user,
                        partnership=partnership,
                        kind=kind,
                        message=message[:300],
                        link=link,
                        urgent=urgent,
                        dedupe_key=dedupe_key,
                    )
                )
        except IntegrityError:
            continue  # already sent once
    immediate = [n for n in created if n.urgent or not wants_digest(n.user)]
    if immediate:
        send_mass_mail([_email(n) for n in immediate], fail_silently=False)
        Notification.objects.filter(pk__in=[n.pk for n in immediate]).update(
            emailed_at=timezone.now()
        )
    return created


def notifications_mark_read(*, user, partnership, pk: int | None = None) -> int:
    """Marks one of the person's notifications read (or all of them in this partnership)."""
    notifications = Notification.objects.filter(
        user=user, partnership=partnership, read_at__isnull=True
    )
    if pk is not None:
        notifications = notifications.filter(pk=pk)
    return notifications.update(read_at=timezone.now())


def preference_set(*, user, daily_digest: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest}
    )
    return preference


def digest_send() -> int:
    """One email to each person who chose the daily digest, listing every notification not yet
    emailed. Each is marked emailed, so running it twice sends nothing the second time.
    Returns the number of emails sent."""
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            user__is_active=True,
            user__notification_preference__daily_digest=True,
        )
        .select_related("user", "partnership")
        .order_by("user_id", "created_at", "id")
    )
    by_user: dict = defaultdict(list)
    for notification in pending:
        by_user[notification.user].append(notification)
    messages = []
    for user, notifications in by_user.items():
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "notifications": [(n, _absolute(n.link)) for n in notifications],
                "preferences": _absolute("/notifications/preferences/"),
                "service_name": settings.SERVICE_NAME,
            },
        )
        subject = (
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
            + f"Your daily summary: {len(notifications)} notification(s)"
        )
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if not messages:
        return 0
    sent = send_mass_mail(messages, fail_silently=False)
    Notification.objects.filter(pk__in=[n.pk for ns in by_user.values() for n in ns]).update(
        emailed_at=timezone.now()
    )
    return sent
