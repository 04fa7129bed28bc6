"""Background work for requests and returns, through the Django Tasks API. With the embedded
default backend each task runs as soon as it is enqueued; with CASEAUDIT_TASKS=database a
`caseaudit db_worker` process runs them."""

import datetime

from django_tasks import task


@task()
def send_request_emails(kind: str, request_ids: list[int]) -> int:
    from caseaudit.returns import emails

    return emails.send_request_emails(kind, request_ids)


@task()
def send_concern_email(concern_id: int) -> int:
    from caseaudit.returns import emails

    return emails.send_concern_email(concern_id)


@task()
def send_reminders(today: str | None = None) -> dict[str, int]:
    """The daily reminder run (`caseaudit send_reminders` enqueues it; run that from cron)."""
    from caseaudit.returns import services

    return services.reminders_send(datetime.date.fromisoformat(today) if today else None)
