"""Trends across a partnership's audits: response rates, grades by month and the results of
questions that share a key across audits and template versions. Each is one GROUP BY over the
partnership's requests or over its per-audit option counts (caseaudit/analysis/summary.py, a
summary of the answer rows kept up to date by a stamp); Python only arranges the grouped rows."""

from collections import defaultdict

from django.db.models import Sum

from caseaudit.analysis import summary
from caseaudit.analysis.statistics import is_small, percent
from caseaudit.audits.models import Audit
from caseaudit.questionnaires.models import (
    EXCLUDED_MEANINGS,
    Meaning,
    Option,
    Question,
    QuestionType,
)


def _audits(partnership) -> dict[int, Audit]:
    return {
        audit.pk: audit
        for audit in Audit.objects.filter(partnership=partnership)
        .only("pk", "title", "planned_month", "created_at")
        .order_by("planned_month", "created_at", "pk")
    }


def response_rates(partnership, *, rates: dict | None = None) -> list[dict]:
    """Requests sent and returned per audit, oldest planned first; audits with no request sent
    are left out. `rates` is what `summary.refresh` returned, when the caller has it."""
    audits = _audits(partnership)
    if rates is None:
        rates = summary.refresh(partnership)
    return [
        {
            "audit": audit.pk,
            "title": audit.title,
            "month": audit.planned_month,
            "sent": rates[audit.pk][0],
            "returned": rates[audit.pk][1],
            "percent": percent(rates[audit.pk][1], rates[audit.pk][0]),
        }
        for audit in audits.values()
        if audit.pk in rates
    ]


def _submitted_choice_rows(partnership):
    """How many answer rows of submitted returns chose each option, per audit and question
    (analysis.AuditOptionCount: see caseaudit/analysis/summary.py; brought up to date by the
    caller)."""
    return summary.counts(partnership).filter(count__gt=0)


def grades_by_month(partnership, *, refreshed: bool = False) -> dict:
    """Answers to grade questions of submitted returns, by the month the audit was planned
    for: {"grades": [{"key", "label"}], "months": [{"month", "n", "counts": {key: count}}]}.
    The grades are in the order of the newest scale that uses them (best first). `refreshed`:
    the caller has just called `summary.refresh`."""
    if not refreshed:
        summary.refresh(partnership)
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


def question_trends(
    partnership, keys: list[str] | None = None, *, refreshed: bool = False
) -> list[dict]:
    """For every question key asked in more than one audit (or the given keys), the share of
    positive answers per audit, leaving out not applicable and not known. Single choice,
    yes / no and grade questions only: a multiple-choice return may count twice. `refreshed`:
    the caller has just called `summary.refresh`."""
    if not refreshed:
        summary.refresh(partnership)
    # The counts as they are stored (audit, question, option: integers, no join or sort in the
    # database), named by the few questions and options they refer to.
    counts = _submitted_choice_rows(partnership)
    questions = {
        pk: (key, kind, text, number)
        for pk, key, kind, text, number in Question.objects.filter(
            pk__in=counts.values("question_id")
        ).values_list("pk", "key", "type", "text", "version__number")
        if kind != QuestionType.MULTIPLE_CHOICE and (keys is None or key in keys)
    }
    meanings = dict(
        Option.objects.filter(question_id__in=list(questions)).values_list("pk", "meaning")
    )
    grouped: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for audit_id, question_id, option_id, count in counts.values_list(
        "audit_id", "question_id", "option_id", "count"
    ).order_by():
        if question_id in questions:
            grouped[questions[question_id][0]][audit_id][meanings[option_id]] += count
    # The newest version's wording of each key (dict keeps the last of each key), among the
    # questions with answers.
    texts = {
        key: text for key, _, text, _ in sorted(questions.values(), key=lambda q: (q[0], q[3]))
    }
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
