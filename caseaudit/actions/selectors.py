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


STATES = ("total", "completed", "outstanding", "not_yet_due", "cancelled")


def _state_counts(today: datetime.date) -> dict:
    """The database counts behind the tracker and a recommendation's actions: total,
    completed, outstanding (open and past its due date), not yet due (open, due today or
    later) and cancelled. total = completed + outstanding + not_yet_due + cancelled."""
    open_ = Q(status=ActionStatus.OPEN)
    return {
        "total": Count("pk"),
        "completed": Count("pk", filter=Q(status=ActionStatus.COMPLETED)),
        "outstanding": Count("pk", filter=open_ & Q(due_date__lt=today)),
        "not_yet_due": Count("pk", filter=open_ & Q(due_date__gte=today)),
        "cancelled": Count("pk", filter=Q(status=ActionStatus.CANCELLED)),
    }


def tracker_by_month(
    actions: QuerySet[Action], *, today: datetime.date | None = None
) -> list[dict]:
    """One row per month of origin (the month the action was agreed), oldest first, with the
    counts of `_state_counts`."""
    today = today or timezone.localdate()
    rows = (
        actions.annotate(month=TruncMonth("originated_on"))
        .values("month")
        .annotate(**_state_counts(today))
        .order_by("month")
    )
    return [dict(row) for row in rows]


def action_counts_by_source(sources, today: datetime.date) -> dict[int, dict[str, int]]:
    """For each of `sources` (recommendations), the counts of `_state_counts` over the actions
    that answer it. One query, counted by the database."""
    from django.contrib.contenttypes.models import ContentType

    sources = list(sources)
    counts = {s.pk: dict.fromkeys(STATES, 0) for s in sources}
    if not sources:
        return counts
    rows = (
        Action.objects.filter(
            source_type=ContentType.objects.get_for_model(sources[0]),
            source_id__in=list(counts),
        )
        .values("source_id")
        .annotate(**_state_counts(today))
    )
    for row in rows:
        counts[row.pop("source_id")].update(row)
    return counts


def tracker_totals(rows: list[dict]) -> dict[str, int]:
    return {key: sum(row[key] for row in rows) for key in STATES}
