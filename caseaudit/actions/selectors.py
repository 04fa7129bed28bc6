"""Reads for actions. `tracker_by_month` is the action tracker (the seed's "May: 132 actions,
28 completed, 62 outstanding, 42 not yet due"); the publications reuse it with any queryset."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from caseaudit.actions.models import Action, ActionStatus


def action_filter(actions: QuerySet[Action], *, state: str = "", today=None) -> QuerySet[Action]:
    """state: "", "open", "overdue", "not_yet_due", "completed", "cancelled"."""
    today = today or timezone.localdate()
    if state == "open":
        return actions.filter(status=ActionStatus.OPEN)
    if state == "overdue":
        return actions.filter(status=ActionStatus.OPEN, due_date__lt=today)
    if state == "not_yet_due":
        return actions.filter(status=ActionStatus.OPEN, due_date__gte=today)
    if state in (ActionStatus.COMPLETED, ActionStatus.CANCELLED):
        return actions.filter(status=state)
    return actions


def tracker_by_month(
    actions: QuerySet[Action], *, today: datetime.date | None = None
) -> list[dict]:
    """One row per month of origin (the month the action was agreed), oldest first: total,
    completed, outstanding (open and past its due date), not yet due (open, due today or
    later) and cancelled. total = completed + outstanding + not_yet_due + cancelled."""
    today = today or timezone.localdate()
    open_ = Q(status=ActionStatus.OPEN)
    rows = (
        actions.annotate(month=TruncMonth("originated_on"))
        .values("month")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=ActionStatus.COMPLETED)),
            outstanding=Count("pk", filter=open_ & Q(due_date__lt=today)),
            not_yet_due=Count("pk", filter=open_ & Q(due_date__gte=today)),
            cancelled=Count("pk", filter=Q(status=ActionStatus.CANCELLED)),
        )
        .order_by("month")
    )
    return [dict(row) for row in rows]


def tracker_totals(rows: list[dict]) -> dict[str, int]:
    keys = ("total", "completed", "outstanding", "not_yet_due", "cancelled")
    return {key: sum(row[key] for row in rows) for key in keys}
