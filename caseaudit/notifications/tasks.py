from django_tasks import task


@task()
def send_digest() -> int:
    """The daily digest run (`caseaudit send_notification_digest` enqueues it)."""
    from caseaudit.notifications.services import digest_send

    return digest_send()
