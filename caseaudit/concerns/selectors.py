"""Reads for the Cases of Concern register: filtering, and the figures (counts by week and by
month, by team; recurrence by team and by worker). Figures name workers only by the worker id
from the case list, never by name."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from caseaudit.concerns.models import CaseOfConcern, ConcernStatus


@dataclass(frozen=True)
class RegisterFilters:
    status: str = ""  # "", "open" (open or reviewed), "closed", or a ConcernStatus value
    category: str = ""  # "", "1", "2", "none"
    team: str = ""
    audit: int | None = None
    overdue: bool = False


def concerns_filter(
    concerns: QuerySet[CaseOfConcern],
    filters: RegisterFilters,
    today: datetime.date | None = None,
) -> QuerySet[CaseOfConcern]:
    today = today or timezone.localdate()
    if filters.status == "open":
        concerns = concerns.exclude(status=ConcernStatus.CLOSED)
    elif filters.status in ConcernStatus.values:
        concerns = concerns.filter(status=filters.status)
    if filters.category in ("1", "2"):
        concerns = concerns.filter(category=int(filters.category))
    elif filters.category == "none":
        concerns = concerns.filter(category__isnull=True)
    if filters.team:
        concerns = concerns.filter(sampled_case__case__team=filters.team)
    if filters.audit:
        concerns = concerns.filter(audit_id=filters.audit)
    if filters.overdue:
        concerns = concerns.filter(status=ConcernStatus.OPEN, review_due__lt=today)
    return concerns


def teams_of(concerns: QuerySet[CaseOfConcern]) -> list[str]:
    return sorted(
        {t for t in concerns.values_list("sampled_case__case__team", flat=True).distinct() if t}
    )


def _counts(concerns, trunc) -> list[dict]:
    rows = (
        concerns.annotate(period=trunc("raised_at"))
        .values("period")
        .annotate(
            total=Count("pk"),
            category_1=Count("pk", filter=Q(category=1)),
            category_2=Count("pk", filter=Q(category=2)),
        )
        .order_by("period")
    )
    return [
        {
            "period": timezone.localtime(row["period"]).date()
            if isinstance(row["period"], datetime.datetime)
            else row["period"],
            "total": row["total"],
            "category_1": row["category_1"],
            "category_2": row["category_2"],
        }
        for row in rows
    ]


def counts_by_month(concerns: QuerySet[CaseOfConcern]) -> list[dict]:
    """Concerns raised per calendar month (local time), with the split by category."""
    return _counts(concerns, TruncMonth)


def counts_by_week(concerns: QuerySet[CaseOfConcern]) -> list[dict]:
    """Concerns raised per week (weeks start on Monday)."""
    return _counts(concerns, TruncWeek)


def counts_by_team(concerns: QuerySet[CaseOfConcern]) -> list[dict]:
    rows = (
        concerns.values("sampled_case__case__team")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=~Q(status=ConcernStatus.CLOSED)),
            category_1=Count("pk", filter=Q(category=1)),
            category_2=Count("pk", filter=Q(category=2)),
        )
        .order_by("-total", "sampled_case__case__team")
    )
    return [
        {
            "team": row["sampled_case__case__team"] or "Team not recorded",
            "total": row["total"],
            "open": row["open"],
            "category_1": row["category_1"],
            "category_2": row["category_2"],
        }
        for row in rows
    ]


def recurrence_by_team(concerns: QuerySet[CaseOfConcern]) -> list[dict]:
    """Teams with more than one Case of Concern, and how many different children."""
    rows = (
        concerns.exclude(sampled_case__case__team="")
        .values("sampled_case__case__team")
        .annotate(total=Count("pk"), children=Count("sampled_case__case__child_key", distinct=True))
        .filter(total__gt=1)
        .order_by("-total", "sampled_case__case__team")
    )
    return [
        {"team": r["sampled_case__case__team"], "total": r["total"], "children": r["children"]}
        for r in rows
    ]


def recurrence_by_worker(concerns: QuerySet[CaseOfConcern]) -> list[dict]:
    """Workers (by worker id only) with more than one Case of Concern."""
    rows = (
        concerns.exclude(sampled_case__case__worker_id="")
        .values("sampled_case__case__worker_id", "sampled_case__case__team")
        .annotate(
            total=Count("pk"),
            category_1=Count("pk", filter=Q(category=1)),
            category_2=Count("pk", filter=Q(category=2)),
        )
        .filter(total__gt=1)
        .order_by("-total", "sampled_case__case__worker_id")
    )
    return [
        {
            "worker_id": r["sampled_case__case__worker_id"],
            "team": r["sampled_case__case__team"],
            "total": r["total"],
            "category_1": r["category_1"],
            "category_2": r["category_2"],
        }
        for r in rows
    ]


def register_summary(
    concerns: QuerySet[CaseOfConcern], today: datetime.date | None = None
) -> dict[str, int]:
    today = today or timezone.localdate()
    return concerns.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status=ConcernStatus.CLOSED)),
        closed=Count("pk", filter=Q(status=ConcernStatus.CLOSED)),
        category_1=Count("pk", filter=Q(category=1)),
        category_2=Count("pk", filter=Q(category=2)),
        uncategorised=Count("pk", filter=Q(category__isnull=True)),
        review_overdue=Count("pk", filter=Q(status=ConcernStatus.OPEN, review_due__lt=today)),
    )
