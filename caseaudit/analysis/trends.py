"""Trends across a partnership's audits: response rates, grades by month and the results of
questions that share a key across audits and template versions. Each is one GROUP BY over the
partnership's requests or over its per-audit option counts (caseaudit/analysis/summary.py, a
summary of the answer rows kept up to date by a stamp); Python only arranges the grouped rows."""

from collections import defaultdict

from django.db.models import Count, Q, Sum

from caseaudit.analysis.statistics import is_small, percent
from caseaudit.analysis.summary import answer_counts
from caseaudit.audits.models import Audit
from caseaudit.questionnaires.models import EXCLUDED_MEANINGS, Meaning, QuestionType
from caseaudit.returns.models import AuditRequest, RequestStatus


def _audits(partnership) -> dict[int, Audit]:
    return {
        audit.pk: audit
        for audit in Audit.objects.filter(partnership=partnership).order_by(
            "planned_month", "created_at", "pk"
        )
    }


def response_rates(partnership) -> list[dict]:
    """Requests sent and returned per audit, oldest planned first; audits with no request sent
    are left out."""
    audits = _audits(partnership)
    counts = (
        AuditRequest.objects.filter(audit__partnership=partnership)
        .exclude(status=RequestStatus.NOT_SENT)
        .values("audit_id")
        .annotate(
            sent=Count("id"),
            returned=Count("id", filter=Q(status=RequestStatus.SUBMITTED)),
        )
        .order_by()
    )
    by_audit = {row["audit_id"]: row for row in counts}
    return [
        {
            "audit": audit.pk,
            "title": audit.title,
            "month": audit.planned_month,
            "sent": by_audit[audit.pk]["sent"],
            "returned": by_audit[audit.pk]["returned"],
            "percent": percent(by_audit[audit.pk]["returned"], by_audit[audit.pk]["sent"]),
        }
        for audit in audits.values()
        if audit.pk in by_audit
    ]


def _submitted_choice_rows(partnership):
    """How many answer rows of submitted returns chose each option, per audit and question
    (analysis.AuditOptionCount, brought up to date first: see caseaudit/analysis/summary.py)."""
    return answer_counts(partnership).filter(count__gt=0)


def grades_by_month(partnership) -> dict:
    """Answers to grade questions of submitted returns, by the month the audit was planned
    for: {"grades": [{"key", "label"}], "months": [{"month", "n", "counts": {key: count}}]}.
    The grades are in the order of the newest scale that uses them (best first)."""
    rows = (
        _submitted_choice_rows(partnership)
        .filter(question__type=QuestionType.GRADE, audit__planned_month__isnull=False)
        .values("audit__planned_month", "option__key")
        .annotate(rows=Sum("count"))
        .order_by()
    )
    counts: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts[row["audit__planned_month"]][row["option__key"]] += row["rows"]
    scale: dict[str, str] = {}
    labels = (
        _submitted_choice_rows(partnership)
        .filter(question__type=QuestionType.GRADE)
        .values_list("option__key", "option__label", "option__order")
        .distinct()
        .order_by("option__order")
    )
    for key, label, _ in labels:
        scale.setdefault(key, label)
    return {
        "grades": [{"key": key, "label": label} for key, label in scale.items()],
        "months": [
            {
                "month": month,
                "n": sum(counts[month].values()),
                "counts": {key: counts[month].get(key, 0) for key in scale},
            }
            for month in sorted(counts)
        ],
    }


def question_trends(partnership, keys: list[str] | None = None) -> list[dict]:
    """For every question key asked in more than one audit (or the given keys), the share of
    positive answers per audit, leaving out not applicable and not known. Single choice,
    yes / no and grade questions only: a multiple-choice return may count twice."""
    rows = (
        _submitted_choice_rows(partnership)
        .exclude(question__type=QuestionType.MULTIPLE_CHOICE)
        .values("question__key", "audit_id", "option__meaning")
        .annotate(rows=Sum("count"))
        .order_by()
    )
    if keys is not None:
        rows = rows.filter(question__key__in=keys)
    grouped: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for row in rows:
        grouped[row["question__key"]][row["audit_id"]][row["option__meaning"]] += row["rows"]
    # The newest version's wording of each key (dict keeps the last of each key).
    texts = dict(
        _submitted_choice_rows(partnership)
        .filter(question__key__in=list(grouped))
        .values_list("question__key", "question__text")
        .order_by("question__key", "question__version__number")
        .distinct()
    )
    audits = _audits(partnership)
    trends = []
    for key, per_audit in sorted(grouped.items()):
        if keys is None and len(per_audit) < 2:
            continue
        points = []
        for audit_pk, audit in audits.items():
            if audit_pk not in per_audit:
                continue
            meanings = per_audit[audit_pk]
            n = sum(c for m, c in meanings.items() if m not in EXCLUDED_MEANINGS)
            positive = meanings.get(Meaning.POSITIVE, 0)
            points.append(
                {
                    "audit": audit_pk,
                    "title": audit.title,
                    "month": audit.planned_month,
                    "n": n,
                    "positive": positive,
                    "percent": percent(positive, n),
                    "small_n": is_small(n),
                }
            )
        trends.append({"key": key, "text": texts.get(key, key), "audits": points})
    return trends
