import datetime

from django_tasks import task


@task()
def send_action_reminders(today: str | None = None) -> dict[str, int]:
    """The daily run: action reminders and Case of Concern review reminders."""
    from caseaudit.actions.services import reminders_send
    from caseaudit.concerns.services import review_reminders_send

    day = datetime.date.fromisoformat(today) if today else None
    return {**reminders_send(today=day), **review_reminders_send(today=day)}
