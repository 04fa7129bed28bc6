"""Reads about grades, moderation and engagement: per audit, per month and per auditor. Every
figure is one GROUP BY (or aggregate) over the rows; Python arranges the grouped rows.

The shapes returned here are shared with the trends page and the publications: plain dicts and
lists, no model instances except where a page needs links."""

from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from caseaudit.access import IDENTIFYING_CASE_FIELDS
from caseaudit.audits.models import Audit, SampledCase
from caseaudit.moderation.agreement import Agreement, agreement
from caseaudit.moderation.models import (
    MODERATED,
    CaseGrade,
    ChildEngagement,
    Engagement,
    Grade,
    ModerationStatus,
    ParentEngagement,
    PractitionerEngagement,
)


def grading_scale(partnership) -> list[Grade]:
    return list(Grade.objects.filter(partnership=partnership))


def audit_cases(audit: Audit) -> QuerySet[SampledCase]:
    """The audit's sampled children still in the sample, with their grade, discussion and
    engagement, never loading identifying details."""
    return (
        SampledCase.objects.filter(sample__audit=audit, removed_at__isnull=True)
        .defer(*IDENTIFYING_CASE_FIELDS)
        .select_related(
            "case",
            "grade__auditor_grade",
            "grade__moderated_grade",
            "grade__graded_by",
            "grade__moderated_by",
            "engagement",
            "discussion",
        )
        .order_by("order")
    )


def _live_grades(**filters) -> QuerySet[CaseGrade]:
    return CaseGrade.objects.filter(sampled_case__removed_at__isnull=True, **filters)


def _agreement(grades: QuerySet[CaseGrade], scale: list[Grade]) -> Agreement:
    rank = {grade.pk: index for index, grade in enumerate(scale)}
    pairs = [
        (rank[auditor], rank[moderated])
        for auditor, moderated in grades.filter(status__in=MODERATED).values_list(
            "auditor_grade_id", "moderated_grade_id"
        )
    ]
    return agreement(pairs, len(scale))


def _counts(grades: QuerySet[CaseGrade], field: str, scale: list[Grade]) -> list[dict]:
    counted = dict(grades.values_list(field).annotate(n=Count("id")).order_by())
    return [
        {"key": grade.key, "label": grade.label, "count": counted.get(grade.pk, 0)}
        for grade in scale
    ]


def audit_grade_figures(audit: Audit) -> dict:
    """How far grading and moderation have gone for one audit and how far they agree:
    {"cases", "status": [{"status", "label", "count"}], "auditor": [...], "moderated": [...],
    "agreement": Agreement}. Grade counts are per grade of the scale, best first."""
    scale = grading_scale(audit.partnership)
    grades = _live_grades(audit=audit)
    cases = SampledCase.objects.filter(sample__audit=audit, removed_at__isnull=True).count()
    by_status = dict(grades.values_list("status").annotate(n=Count("id")).order_by())
    by_status[ModerationStatus.NOT_GRADED] = cases - sum(by_status.values())
    return {
        "cases": cases,
        "status": [
            {"status": status.value, "label": status.label, "count": by_status.get(status, 0)}
            for status in ModerationStatus
        ],
        "auditor": _counts(grades, "auditor_grade", scale),
        "moderated": _counts(grades.filter(status__in=MODERATED), "moderated_grade", scale),
        "agreement": _agreement(grades, scale),
    }


def agreement_by_audit(partnership) -> list[dict]:
    """Agreement for every audit with a moderated grade, oldest planned first: the trend of
    agreement over time."""
    scale = grading_scale(partnership)
    audits = (
        Audit.objects.filter(partnership=partnership, case_grades__status__in=MODERATED)
        .distinct()
        .order_by("planned_month", "created_at", "pk")
    )
    return [
        {
            "audit": audit.pk,
            "title": audit.title,
            "month": audit.planned_month,
            "agreement": _agreement(_live_grades(audit=audit), scale),
        }
        for audit in audits
    ]


def drift_by_auditor(partnership, audit: Audit | None = None) -> list[dict]:
    """For each person who graded cases (of one audit, or of all the partnership's audits), how
    many of their moderated grades the moderator moved up or down, and the shares of those."""
    scale = grading_scale(partnership)
    rank = {grade.pk: index for index, grade in enumerate(scale)}
    grades = _live_grades(audit__partnership=partnership, status__in=MODERATED)
    if audit is not None:
        grades = grades.filter(audit=audit)
    per_person: dict = defaultdict(lambda: {"moderated": 0, "up": 0, "down": 0})
    rows = grades.values_list(
        "graded_by__full_name", "graded_by__email", "auditor_grade_id", "moderated_grade_id"
    )
    for name, email, auditor, moderated in rows:
        person = per_person[name or email or "No longer known"]
        person["moderated"] += 1
        if rank[moderated] < rank[auditor]:
            person["up"] += 1
        elif rank[moderated] > rank[auditor]:
            person["down"] += 1
    return [
        {
            "auditor": who,
            **counts,
            "up_share": counts["up"] / counts["moderated"],
            "down_share": counts["down"] / counts["moderated"],
        }
        for who, counts in sorted(per_person.items())
    ]


def moderated_grades_by_month(partnership) -> dict:
    """Moderated grades by the month each audit was planned for, in the shape of
    `caseaudit.analysis.trends.grades_by_month`: {"grades": [{"key", "label"}], "months":
    [{"month", "n", "counts": {key: count}}]}, grades best first. Only moderated cases count:
    these are the grades "following moderation"."""
    scale = grading_scale(partnership)
    keys = {grade.pk: grade.key for grade in scale}
    rows = (
        _live_grades(
            audit__partnership=partnership,
            status__in=MODERATED,
            audit__planned_month__isnull=False,
        )
        .values_list("audit__planned_month", "moderated_grade_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict = defaultdict(dict)
    for month, grade_id, n in rows:
        counts[month][keys[grade_id]] = n
    return {
        "grades": [{"key": grade.key, "label": grade.label} for grade in scale],
        "months": [
            {
                "month": month,
                "n": sum(counts[month].values()),
                "counts": {grade.key: counts[month].get(grade.key, 0) for grade in scale},
            }
            for month in sorted(counts)
        ],
    }


ENGAGEMENT_DIMENSIONS = (
    ("social_worker", "Social workers", PractitionerEngagement),
    ("team_manager", "Team managers", PractitionerEngagement),
    ("child", "Children", ChildEngagement),
    ("parents", "Parents and carers", ParentEngagement),
)


def _engagement_counts() -> dict:
    return {
        f"{field}__{choice.value}": Count("id", filter=Q(**{field: choice.value}))
        for field, _, choices in ENGAGEMENT_DIMENSIONS
        for choice in choices
    }


def _engagement_shape(row: dict) -> dict:
    return {
        "n": row["n"],
        "dimensions": [
            {
                "field": field,
                "label": label,
                "counts": [
                    {
                        "status": choice.value,
                        "label": choice.label,
                        "count": row[f"{field}__{choice.value}"],
                    }
                    for choice in choices
                ],
            }
            for field, label, choices in ENGAGEMENT_DIMENSIONS
        ],
    }


def engagement_figures(audit: Audit) -> dict:
    """Engagement records of one audit: {"n": cases recorded, "dimensions": [{"field", "label",
    "counts": [{"status", "label", "count"}]}]} for social workers, team managers, children and
    parents, in that order."""
    row = Engagement.objects.filter(audit=audit, sampled_case__removed_at__isnull=True).aggregate(
        n=Count("id"), **_engagement_counts()
    )
    return _engagement_shape(row)


def engagement_by_month(partnership) -> list[dict]:
    """The same figures for each month audits were planned for, oldest first:
    [{"month", "n", "dimensions"}]."""
    rows = (
        Engagement.objects.filter(
            audit__partnership=partnership,
            audit__planned_month__isnull=False,
            sampled_case__removed_at__isnull=True,
        )
        .values("audit__planned_month")
        .annotate(n=Count("id"), **_engagement_counts())
        .order_by("audit__planned_month")
    )
    return [{"month": row["audit__planned_month"], **_engagement_shape(row)} for row in rows]


def count_of(figures: dict, field: str, status: str) -> int:
    """One number out of an engagement shape, e.g. count_of(f, "child", "engaged")."""
    for dimension in figures["dimensions"]:
        if dimension["field"] == field:
            for count in dimension["counts"]:
                if count["status"] == status:
                    return count["count"]
    raise KeyError(f"{field}/{status}")


def _people(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def engagement_summary(figures: dict) -> str:
    """The figures in words, as the seed's learning briefing puts them, for pages and
    publications: "16 team managers and 18 social workers were engaged; ..."."""
    if not figures["n"]:
        return "No engagement has been recorded."
    tm = count_of(figures, "team_manager", "engaged")
    sw = count_of(figures, "social_worker", "engaged")
    tm_tried = count_of(figures, "team_manager", "unavailable")
    sw_tried = count_of(figures, "social_worker", "unavailable")
    children = count_of(figures, "child", "engaged")
    not_appropriate = count_of(figures, "child", "not_appropriate")
    no_response = count_of(figures, "child", "no_response")
    parents = count_of(figures, "parents", "engaged")
    parents_tried = count_of(figures, "parents", "attempted")
    not_invited = count_of(figures, "parents", "not_invited")
    practitioners = (
        f"Out of {_people(figures['n'], 'case', 'cases')}, "
        f"{_people(tm, 'team manager', 'team managers')} and "
        f"{_people(sw, 'social worker', 'social workers')} were engaged; attempts were made "
        f"with {tm_tried} other team {'manager' if tm_tried == 1 else 'managers'} and "
        f"{sw_tried} other social {'worker' if sw_tried == 1 else 'workers'} who were not "
        "available."
    )
    if children:
        child = f"{_people(children, 'child was', 'children were')} engaged."
    else:
        child = "No child was engaged."
    child += (
        f" For {not_appropriate} it was not appropriate; for {no_response} attempts were made "
        "but there was no response."
    )
    family = (
        f"{_people(parents, 'parent or carer', 'parents or carers')} took part, with "
        f"{parents_tried} further {'attempt' if parents_tried == 1 else 'attempts'} and "
        f"{not_invited} not invited."
    )
    sentences = [practitioners, child, family]
    return " ".join(sentences)
