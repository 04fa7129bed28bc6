"""Per-question statistics of an audit, computed by the database.

Everything here is a GROUP BY over the answer rows of the audit's submitted returns: the
database counts, Python only turns a few hundred grouped rows into the published shape. The
same dict is what the statistics page, `caseaudit statistics`, the API and the publications
show, so a figure can never differ between them. The grouped rows are kept per audit with the
stamp of the submitted returns they came from (analysis.StatisticsCounts) and counted again
whenever that stamp moves, so an audit nothing happened to is not scanned again.

Counting rules (they follow the seed report's tables):

- `returns` is the number of submitted returns of the audit.
- A question's `n` is the number of returns that answered it. A comment with no answer is not
  an answer. A question shown only under a condition is answered by fewer returns: its `n` says
  so.
- An option's `count` is the number of returns that chose it; `percent` is count / n. For a
  multiple-choice question a return may choose several options, so the percentages may add up
  to more than 100.
- `n_excluding_na` leaves out returns whose only answers mean "not applicable" or "not known";
  `percent_excluding_na` is count / n_excluding_na, and is null for those options themselves.
- Every percentage carries a Wilson 95% score interval. Percentages run from 0 to 100 and are
  not rounded: round only for display.
"""

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone

from caseaudit.accounts.models import Agency
from caseaudit.analysis.models import Breakdown, StatisticsCounts
from caseaudit.analysis.summary import audit_stamp
from caseaudit.audits.models import SampledCase
from caseaudit.questionnaires.models import (
    CHOICE_TYPES,
    EXCLUDED_MEANINGS,
    Option,
    Question,
    QuestionType,
)
from caseaudit.returns.models import Answer, AuditRequest, RequestStatus

# The normal quantile for a two-sided 95% interval.
Z_95 = 1.959963984540054
# A figure resting on fewer returns than this carries a warning with its n.
SMALL_N = 10


def wilson_interval(count: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for count successes out of n, as percentages (0 to 100).
    None when n is 0 (there is nothing to estimate)."""
    if n <= 0:
        return None
    if not 0 <= count <= n:
        raise ValueError(f"count {count} is not between 0 and n {n}")
    p = count / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # At the ends the exact bounds are 0 and 1; floating point can land a hair outside.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == n else min(1.0, centre + half)
    return low * 100, high * 100


def percent(count: int, n: int) -> float | None:
    return count / n * 100 if n else None


def is_small(n: int) -> bool:
    """True when a figure rests on fewer than SMALL_N returns (and on at least one)."""
    return 0 < n < SMALL_N


def submitted_requests(audit) -> QuerySet[AuditRequest]:
    return AuditRequest.objects.filter(audit=audit, status=RequestStatus.SUBMITTED)


def request_version_ids(audit) -> set[int]:
    """The template versions the audit's requests use, as a handful of ids. Read first rather
    than as a subquery: PostgreSQL planned that as a scan of every request of every audit
    (2.4 s beside a 100,000-return audit)."""
    return set(
        AuditRequest.objects.filter(audit=audit)
        .order_by()
        .values_list("template_version_id", flat=True)
        .distinct()
    )


def _all_questions(audit) -> list[Question]:
    """Every question of the template versions the audit uses, newest version first, with
    their options and sections."""
    version_ids = request_version_ids(audit)
    if audit.template_version_id:
        version_ids.add(audit.template_version_id)
    return list(
        Question.objects.filter(version_id__in=version_ids)
        .select_related("section", "version")
        .prefetch_related("options")
        .order_by("-version__number", "section__order", "order", "id")
    )


def _shown(questions: list[Question]) -> list[Question]:
    # Should an audit ever hold two versions, each key is shown once, as its newest version
    # asks it, and both versions' answers count towards it.
    seen: dict[str, Question] = {}
    for question in questions:
        seen.setdefault(question.key, question)
    return sorted(seen.values(), key=lambda q: (q.section.order, q.order, q.pk))


def audit_questions(audit) -> list[Question]:
    """The questions of the template version the audit's requests use, in form order, with
    their options and sections. An audit has one version: it cannot change once a request is
    sent (returns.services_lead.audit_template_set)."""
    return _shown(_all_questions(audit))


@dataclass
class _Plan:
    """What the grouped queries need to know about the questions, read once per call: every
    question row (of any version the audit uses) answering each key, and its options."""

    key_of: dict[int, str]  # question id -> key
    option_key: dict[int, str]  # option id -> key
    excluded_options: list[int]  # options meaning not applicable or not known
    multiple: list[int]  # question ids of multiple-choice questions

    @classmethod
    def from_versions(cls, questions: list[Question]) -> "_Plan":
        """From every question of the audit's versions, options prefetched (no query)."""
        key_of, option_key, excluded, multiple = {}, {}, [], set()
        for question in questions:
            key_of[question.pk] = question.key
            for option in question.options.all():
                option_key[option.pk] = option.key
                if option.meaning in EXCLUDED_MEANINGS:
                    excluded.append(option.pk)
                if question.type == QuestionType.MULTIPLE_CHOICE:
                    multiple.add(question.pk)
        return cls(key_of, option_key, excluded, sorted(multiple))

    def ids_of(self, key: str) -> list[int]:
        return [pk for pk, k in self.key_of.items() if k == key]


@dataclass
class _Groups:
    """Grouped counts for one breakdown (overall, by agency or by case). The group is None
    overall, else the agency's or the sampled case's id."""

    option_counts: dict = field(default_factory=lambda: defaultdict(int))  # (key, option, group)
    answered: dict = field(default_factory=lambda: defaultdict(int))  # (key, group) -> n
    answered_excluding: dict = field(default_factory=lambda: defaultdict(int))
    # key -> [sum, count, min, max] of the numbers answered (whatever the group)
    numbers: dict = field(default_factory=dict)

    def add_numbers(self, key: str, total, count: int, low, high) -> None:
        if not count:
            return
        if key not in self.numbers:
            self.numbers[key] = [total, count, low, high]
            return
        found = self.numbers[key]
        found[0] += total
        found[1] += count
        found[2] = min(found[2], low)
        found[3] = max(found[3], high)


# A row holds an answer (not only a comment): a chosen option, a number, a date or some text.
HAS_ANSWER = (
    Q(option__isnull=False)
    | Q(number__isnull=False)
    | Q(date__isnull=False)
    | (Q(option__isnull=True) & ~Q(text=""))
)


def _answer_rows(audit, plan: _Plan, request_id: int | None = None):
    rows = Answer.objects.filter(
        request__audit=audit,
        request__status=RequestStatus.SUBMITTED,
        question_id__in=list(plan.key_of),
    )
    return rows if request_id is None else rows.filter(request_id=request_id)


# The breakdowns the grouped counts are made for, and the request column each groups by.
GROUP_COLUMNS = {Breakdown.AGENCY: "request__agency_id", Breakdown.CASE: "request__sampled_case_id"}


def _count_rows(audit, plan: _Plan, breakdown: str, request_id: int | None = None) -> dict:
    """Two GROUP BY queries over the answer rows of submitted returns, by the breakdown's
    column (the agency or the sampled case of the return), as plain rows (StatisticsCounts):

    1. "answers": rows with an answer, grouped by question, option (null for number, date and
       text) and group, with the count and the sum, count, minimum and maximum of the numbers.
       For a choice question each answer row is one return choosing one option (one row per
       request, question and option is a constraint); for the other types each is one
       return's answer.
    2. "distinct": for multiple-choice questions only, distinct returns per question and
       group, with and without the not-applicable options, since a return may have several
       rows there.

    With `request_id`, the same counts of that one return's answer rows (count_submitted)."""
    column = GROUP_COLUMNS[breakdown]
    rows = _answer_rows(audit, plan, request_id)
    grouped = (
        rows.filter(HAS_ANSWER)
        .values("question_id", "option_id", column)
        .annotate(
            count=Count("id"),
            number_sum=Sum("number"),
            number_count=Count("number"),
            number_min=Min("number"),
            number_max=Max("number"),
        )
        .values_list(
            "question_id", "option_id", column, "count", "number_sum", "number_count",
            "number_min", "number_max",
        )
        .order_by()
    )  # fmt: skip
    answers = [
        row if not row[5] else (*row[:4], str(row[4]), row[5], str(row[6]), str(row[7]))
        for row in grouped
    ]
    distinct = []
    if plan.multiple:
        distinct = list(
            rows.filter(question_id__in=plan.multiple, option__isnull=False)
            .values("question_id", column)
            .annotate(
                n=Count("request_id", distinct=True),
                n_excluding=Count(
                    "request_id", distinct=True, filter=~Q(option_id__in=plan.excluded_options)
                ),
            )
            .values_list("question_id", column, "n", "n_excluding")
            .order_by()
        )
    return {"answers": answers, "distinct": distinct}


# The columns of each kind of grouped row (StatisticsCounts.rows).
ANSWER_COLUMNS, DISTINCT_COLUMNS = 8, 4


def _encode(rows: dict) -> str:
    """The grouped rows as JSON text by column (StatisticsCounts.rows)."""
    return json.dumps(
        {
            "answers": [list(column) for column in zip(*rows["answers"], strict=True)]
            or [[]] * ANSWER_COLUMNS,
            "distinct": [list(column) for column in zip(*rows["distinct"], strict=True)]
            or [[]] * DISTINCT_COLUMNS,
        },
        separators=(",", ":"),
    )


def _decode(text: str) -> dict:
    """The grouped rows back from `_encode`, as iterators of row tuples for `_fold`."""
    columns = json.loads(text)
    return {
        "answers": zip(*columns["answers"], strict=True),
        "distinct": zip(*columns["distinct"], strict=True),
    }


def _fold(rows: dict, plan: _Plan) -> _Groups:
    """The grouped rows of `_count_rows` arranged by question key, option key and group.
    Single-choice n is the sum of its option counts; multiple-choice n is the distinct
    returns. Rows of a question the plan does not hold are left out."""
    excluded = set(plan.excluded_options)
    multiple = set(plan.multiple)
    groups = _Groups()
    for question_id, option, group, count, total, numbers, low, high in rows["answers"]:
        key = plan.key_of.get(question_id)
        if key is None:
            continue
        if numbers:
            groups.add_numbers(key, Decimal(total), numbers, Decimal(low), Decimal(high))
        if option is not None:
            groups.option_counts[(key, plan.option_key[option], group)] += count
        if question_id in multiple:
            continue
        groups.answered[(key, group)] += count
        if option not in excluded:
            groups.answered_excluding[(key, group)] += count
    for question_id, group, n, n_excluding in rows["distinct"]:
        key = plan.key_of.get(question_id)
        if key is None:
            continue
        groups.answered[(key, group)] += n
        groups.answered_excluding[(key, group)] += n_excluding
    return groups


def _grouped_counts(audit, plan: _Plan, stamp: tuple, breakdowns: list[str]) -> dict:
    """{breakdown: _Groups} for the audit's submitted returns as they are now.

    The grouped rows are kept per audit and breakdown (StatisticsCounts) with the stamp of the
    submitted returns they were counted from (summary.audit_stamp): when the stamp is the same,
    the submitted answers are the same and the kept rows are read instead of the answer rows
    (docs/statistics.md). The stamp is read before the answers are counted, so a return
    submitted in between can only make the kept stamp older than the counts, which counts
    them again next time, never the other way round."""
    kept = {
        found.breakdown: found
        for found in StatisticsCounts.objects.filter(audit=audit, breakdown__in=breakdowns)
    }
    result, counted = {}, {}
    for breakdown in breakdowns:
        found = kept.get(breakdown)
        if found is not None and found.stamp == stamp:
            rows = _decode(found.rows)
        else:
            rows = counted[breakdown] = _count_rows(audit, plan, breakdown)
        result[breakdown] = _fold(rows, plan)
    if counted:
        _keep(audit, stamp, counted)
    return result


def _keep(audit, stamp: tuple, counted: dict[str, dict]) -> None:
    """Replaces the kept rows of these breakdowns with the ones just counted."""
    submitted, version_sum, id_sum, last_submitted_at = stamp
    now = timezone.now()
    try:
        with transaction.atomic():
            StatisticsCounts.objects.filter(audit=audit, breakdown__in=list(counted)).delete()
            StatisticsCounts.objects.bulk_create(
                StatisticsCounts(
                    audit=audit,
                    breakdown=breakdown,
                    submitted=submitted,
                    version_sum=version_sum,
                    id_sum=id_sum,
                    last_submitted_at=last_submitted_at,
                    rows=_encode(rows),
                    made_at=now,
                )
                for breakdown, rows in counted.items()
            )
    except IntegrityError:
        # Another call kept the same audit's counts at the same moment and committed first.
        pass


# A kept breakdown whose rows are longer than this (characters of JSON) is not brought up to
# date at each submission but counted again when next asked for: the case breakdown of an audit
# of thousands of children runs to a million rows, too many to rewrite on every submission.
DELTA_LIMIT = 1_000_000


def hold_counts(audit_id: int) -> tuple:
    """The first step of submitting a return (returns.services.return_submit), in its
    transaction: locks the audit's kept counts, so that submissions bring them up to date one
    at a time, and gives the stamp of the submitted returns as they are before this one."""
    list(StatisticsCounts.objects.select_for_update().filter(audit_id=audit_id).values("id"))
    return audit_stamp(audit_id)


def count_submitted(request, before: tuple) -> None:
    """The last step of submitting a return, in the same transaction: the kept counts that were
    up to date just before it (their stamp is `before`, from hold_counts) get this return's
    counts added, which the database counts with the same GROUP BY over this return's answer
    rows alone, and the stamp of the returns with it. Any other kept counts (already out of
    date, or too large: DELTA_LIMIT) are left to be counted again when next asked for, as are
    the counts after every other change (a reopened or declined return, an import). Adding is
    exact: counts and number sums add, minimum and maximum compare, and a return newly
    submitted is one more distinct return in every group it answers."""
    kept = [
        found
        for found in StatisticsCounts.objects.filter(audit_id=request.audit_id)
        if found.stamp == before and len(found.rows) <= DELTA_LIMIT
    ]
    if not kept:
        return
    audit = request.audit
    # The stamp of the returns before it and this one, worked out rather than read again: had
    # anything else changed since hold_counts (an import takes no lock), the kept rows would
    # not hold it, and reading the stamp now would say they did.
    version, submitted_at = AuditRequest.objects.values_list("version", "submitted_at").get(
        pk=request.pk
    )
    count, version_sum, id_sum, last = before
    after = (
        count + 1,
        version_sum + version,
        id_sum + request.pk,
        submitted_at if last is None else max(last, submitted_at),
    )
    plan = _Plan.from_versions(_all_questions(audit))
    now = timezone.now()
    for found in kept:
        rows = _add(json.loads(found.rows), _count_rows(audit, plan, found.breakdown, request.pk))
        found.rows = _encode(rows)
        found.submitted, found.version_sum, found.id_sum, found.last_submitted_at = after
        found.made_at = now
        found.save(
            update_fields=[
                "rows", "submitted", "version_sum", "id_sum", "last_submitted_at", "made_at",
            ]
        )  # fmt: skip


def _add(columns: dict, delta: dict) -> dict:
    """Kept rows (`_encode`'s columns) with the grouped rows of one more return added, as
    `_count_rows` gives them."""
    answers = {row[:3]: list(row) for row in zip(*columns["answers"], strict=True)}
    for row in delta["answers"]:
        found = answers.get(row[:3])
        if found is None:
            answers[row[:3]] = list(row)
            continue
        found[3] += row[3]
        if not row[5]:
            continue
        if not found[5]:
            found[4:8] = row[4:8]
            continue
        found[4] = str(Decimal(found[4]) + Decimal(row[4]))
        found[5] += row[5]
        found[6] = str(min(Decimal(found[6]), Decimal(row[6])))
        found[7] = str(max(Decimal(found[7]), Decimal(row[7])))
    distinct = {row[:2]: list(row) for row in zip(*columns["distinct"], strict=True)}
    for row in delta["distinct"]:
        found = distinct.setdefault(row[:2], [*row[:2], 0, 0])
        found[2] += row[2]
        found[3] += row[3]
    return {"answers": list(answers.values()), "distinct": list(distinct.values())}


def _overall(groups: _Groups) -> _Groups:
    """The overall counts from a breakdown: every return has exactly one agency (and one case),
    so counts and distinct returns per group add up to the overall ones, without a further scan
    of the answer rows."""
    overall = _Groups()
    for (key, option, _), count in groups.option_counts.items():
        overall.option_counts[(key, option, None)] += count
    for (key, _), count in groups.answered.items():
        overall.answered[(key, None)] += count
    for (key, _), count in groups.answered_excluding.items():
        overall.answered_excluding[(key, None)] += count
    overall.numbers = groups.numbers
    return overall


def _option_figures(option: Option, count: int, n: int, n_excluding: int) -> dict:
    excluded = option.meaning in EXCLUDED_MEANINGS
    interval = wilson_interval(count, n)
    interval_excluding = None if excluded else wilson_interval(count, n_excluding)
    return {
        "key": option.key,
        "label": option.label,
        "meaning": option.meaning,
        "count": count,
        "percent": percent(count, n),
        "percent_excluding_na": None if excluded else percent(count, n_excluding),
        "ci_low": interval[0] if interval else None,
        "ci_high": interval[1] if interval else None,
        "ci_low_excluding_na": interval_excluding[0] if interval_excluding else None,
        "ci_high_excluding_na": interval_excluding[1] if interval_excluding else None,
    }


def _number_summary(groups: _Groups, key: str) -> dict | None:
    """Mean, minimum and maximum of a number question's answers, from the grouped counts."""
    if key not in groups.numbers:
        return None
    total, count, low, high = groups.numbers[key]
    return {"mean": float(total / count), "min": float(low), "max": float(high)}


def _breakdown(question: Question, groups: _Groups, names: dict) -> dict:
    """{group name: {"n", "n_excluding_na", "small_n", "counts": {option key: count}}} for the
    groups that answered the question, ordered by name."""
    result = {}
    option_keys = [option.key for option in question.options.all()]
    for group_id, name in names.items():
        n = groups.answered.get((question.key, group_id), 0)
        if not n:
            continue
        result[name] = {
            "n": n,
            "n_excluding_na": groups.answered_excluding.get((question.key, group_id), 0),
            "small_n": is_small(n),
            "counts": {
                key: groups.option_counts.get((question.key, key, group_id), 0)
                for key in option_keys
            },
        }
    return result


def audit_statistics(audit, *, by_case: bool = True) -> dict:
    """The statistics of an audit in the published JSON shape (docs/api.md).

    `by_agency` is keyed by agency name and `by_case` by the child's pseudonym, never by
    anything that identifies a child. `by_case=False` leaves the case breakdown out (its
    grouped rows run to one per child, question and option: for very large audits)."""
    every_question = _all_questions(audit)
    questions = _shown(every_question)
    plan = _Plan.from_versions(every_question)
    stamp = audit_stamp(audit.pk)
    returns = stamp[0]
    breakdowns = [Breakdown.AGENCY, Breakdown.CASE] if by_case else [Breakdown.AGENCY]
    grouped = _grouped_counts(audit, plan, stamp, breakdowns)
    by_agency_groups = grouped[Breakdown.AGENCY]
    overall = _overall(by_agency_groups)
    # Named as they are now: the agencies that answered anything (a handful of ids, from the
    # counts), the children of the submitted returns (a semi-join, however many).
    agency_names = dict(
        Agency.objects.filter(pk__in={group for _, group in by_agency_groups.answered})
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    case_groups = case_names = None
    if by_case:
        case_groups = grouped[Breakdown.CASE]
        case_names = dict(
            SampledCase.objects.filter(
                pk__in=submitted_requests(audit).order_by().values("sampled_case_id")
            )
            .order_by("order", "pk")
            .values_list("pk", "pseudonym")
        )
    result_questions = []
    for question in questions:
        n = overall.answered.get((question.key, None), 0)
        n_excluding = overall.answered_excluding.get((question.key, None), 0)
        entry = {
            "key": question.key,
            "text": question.text,
            "type": question.type,
            "section": question.section.title,
            "n": n,
            "n_excluding_na": n_excluding,
            "small_n": is_small(n),
            "options": [
                _option_figures(
                    option,
                    overall.option_counts.get((question.key, option.key, None), 0),
                    n,
                    n_excluding,
                )
                for option in question.options.all()
            ]
            if question.type in CHOICE_TYPES
            else [],
            "by_agency": _breakdown(question, by_agency_groups, agency_names),
        }
        if by_case:
            entry["by_case"] = _breakdown(question, case_groups, case_names)
        if question.type == QuestionType.NUMBER:
            entry["number_summary"] = _number_summary(overall, question.key)
        result_questions.append(entry)
    return {"audit": audit.pk, "returns": returns, "questions": result_questions}
