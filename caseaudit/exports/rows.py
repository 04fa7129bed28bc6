"""Row iterators for every export: each returns the header and a generator of rows of plain
values (str, int, Decimal, date, datetime). The writers in `writers.py` turn the same rows into
CSV or XLSX, so the two formats never drift (pretix's exporter pattern).

Rows come from `values_list(...).iterator(chunk_size=...)`: a server-side cursor on PostgreSQL,
no model instances, so memory stays flat however many answers an audit has. Identifying details
are read only when `identifying=True`; the caller checks the permission and logs the export."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from caseaudit.questionnaires.models import Option, Question
from caseaudit.returns.models import Answer, AuditRequest, RequestStatus

CHUNK_SIZE = 5000
# Returns whose answers are read in one query.
REQUEST_BATCH = 1000
IDENTIFYING_HEADER = ["child_id", "child_name", "date_of_birth"]
IDENTIFYING_FIELDS = [
    "sampled_case__case__child_id",
    "sampled_case__case__name",
    "sampled_case__case__date_of_birth",
]


@dataclass
class Export:
    """What an export produces: the header row and an iterator over the data rows."""

    header: list[str]
    rows: Iterator[list]


LONG_HEADER = [
    "audit_id",
    "case",
    "agency",
    "section",
    "question_key",
    "question_text",
    "question_type",
    "option_key",
    "option_label",
    "meaning",
    "text",
    "number",
    "date",
    "comment",
    "submitted_at",
    "source",
]


# The order of a return's answer rows.
ANSWER_ORDER = ("question__section__order", "question__order", "option__order", "id")


def submitted_answers(audit):
    return Answer.objects.filter(
        request__audit=audit, request__status=RequestStatus.SUBMITTED
    ).order_by(
        "request__sampled_case__order",
        "request__agency__name",
        "request_id",
        *ANSWER_ORDER,
    )


def answers_of(request_ids: list[int]):
    """The answer rows of these returns, by return and then in form order. No join to the
    returns: over a large audit, joining them again for every batch cost more than the batch
    (and pushed the planner into compiling each query)."""
    return Answer.objects.filter(request_id__in=request_ids).order_by("request_id", *ANSWER_ORDER)


def _submitted_rows(audit, fields: list[str]) -> Iterator[tuple]:
    """`submitted_answers(audit).values_list(*fields)`, the same tuples in the same order, read
    a batch of returns at a time. The return's own fields (`request__...`) are read once per
    return, not once per answer row (2,000,000 times in a 100,000-return audit, each with a
    timestamp to parse), and each batch's answers are found through the index on their request
    instead of a scan of every audit's answer rows (docs/performance.md)."""
    request_fields = [f for f in fields if f.startswith("request__")]
    answer_fields = [f for f in fields if not f.startswith("request__")]
    # Where each output value comes from: (True, index in the return's tuple) or (False, index
    # in the answer's tuple); both tuples start with the request id.
    sources = [
        (True, 1 + request_fields.index(f)) if f in request_fields
        else (False, 1 + answer_fields.index(f))
        for f in fields
    ]  # fmt: skip
    returns = list(
        AuditRequest.objects.filter(audit=audit, status=RequestStatus.SUBMITTED)
        .order_by("sampled_case__order", "agency__name", "id")
        .values_list("id", *[f.removeprefix("request__") for f in request_fields])
    )
    for start in range(0, len(returns), REQUEST_BATCH):
        batch = returns[start : start + REQUEST_BATCH]
        answers: dict[int, list[tuple]] = defaultdict(list)
        query = answers_of([r[0] for r in batch]).values_list("request_id", *answer_fields)
        for row in query.iterator(chunk_size=CHUNK_SIZE):
            answers[row[0]].append(row)
        for info in batch:
            for row in answers.get(info[0], ()):
                yield tuple(info[i] if own else row[i] for own, i in sources)


def returns_long(audit, *, identifying: bool = False) -> Export:
    """One row per answer row of every submitted return (a multiple-choice answer has one row
    per chosen option)."""
    fields = [
        "request__sampled_case__pseudonym",
        "request__agency__name",
        "question__section__title",
        "question__key",
        "question__text",
        "question__type",
        "option__key",
        "option__label",
        "option__meaning",
        "text",
        "number",
        "date",
        "comment",
        "request__submitted_at",
        "request__source",
    ]
    header = list(LONG_HEADER)
    if identifying:
        fields += [f"request__{name}" for name in IDENTIFYING_FIELDS]
        header[2:2] = IDENTIFYING_HEADER

    def rows() -> Iterator[list]:
        for row in _submitted_rows(audit, fields):
            row = list(row)
            out = [audit.pk, row[0]]
            if identifying:
                out += row[15:18]
            out += [v if v is not None else "" for v in row[1:15]]
            yield out

    return Export(header, rows())


def _questions(audit) -> list[Question]:
    """The questions of the template versions the audit's requests use, in template order."""
    versions = AuditRequest.objects.filter(audit=audit).values("template_version_id")
    return list(
        Question.objects.filter(version_id__in=versions).order_by(
            "version__number", "section__order", "order"
        )
    )


def _wide_batches(audit, own_fields: list[str]) -> Iterator[tuple[list[tuple], dict]]:
    """The audit's submitted returns a batch at a time, in export order (by case, agency, id):
    (the batch's `(id, *own_fields)` tuples, {return id: its answer rows as (question id,
    option id, text, number, date, comment)}). The answers are read by the index on their
    return with no join at all: the wide export names questions and options from the few it
    has already read."""
    returns = list(
        AuditRequest.objects.filter(audit=audit, status=RequestStatus.SUBMITTED)
        .order_by("sampled_case__order", "agency__name", "id")
        .values_list("id", *own_fields)
    )
    for start in range(0, len(returns), REQUEST_BATCH):
        batch = returns[start : start + REQUEST_BATCH]
        answers: dict[int, list[tuple]] = defaultdict(list)
        rows = (
            Answer.objects.filter(request_id__in=[r[0] for r in batch])
            .order_by()
            .values_list(
                "request_id", "question_id", "option_id", "text", "number", "date", "comment"
            )
        )
        # A list, not a server-side cursor: a batch is a few thousand rows, and PostgreSQL
        # plans a cursor for its first rows, which cost more here (docs/performance.md).
        for row in list(rows):
            answers[row[0]].append(row[1:])
        yield batch, answers


def returns_wide(audit, *, identifying: bool = False) -> Export:
    """One row per submitted return: case, agency, submitted at, then a column per question key
    (multiple choice as option keys joined with "; ", in the template's order) and
    `<key>_comment` after each question that has a comment box."""
    questions = _questions(audit)
    columns: dict[str, int] = {}
    header = ["case", "agency", "submitted_at", "source"]
    if identifying:
        header[1:1] = IDENTIFYING_HEADER
    for question in questions:
        if question.key in columns:
            continue
        columns[question.key] = len(header)
        header.append(question.key)
        if question.comment:
            columns[f"{question.key}_comment"] = len(header)
            header.append(f"{question.key}_comment")
    # Question id -> its column and its comment's column (None without a comment box).
    column_of = {q.pk: columns[q.key] for q in questions}
    comment_of = {q.pk: columns.get(f"{q.key}_comment") for q in questions}
    options = {
        pk: (order, key)
        for pk, order, key in Option.objects.filter(question__in=questions).values_list(
            "pk", "order", "key"
        )
    }
    own_fields = ["sampled_case__pseudonym", "agency__name", "submitted_at", "source"]
    if identifying:
        own_fields[1:1] = IDENTIFYING_FIELDS
    width = len(header)

    def rows() -> Iterator[list]:
        for batch, answers in _wide_batches(audit, own_fields):
            for info in batch:
                out = [""] * width
                out[: len(own_fields)] = info[1:]
                chosen: dict[int, list] = {}
                for question_id, option_id, text, number, date, comment in answers.get(info[0], ()):
                    at = column_of[question_id]
                    if option_id is not None:
                        chosen.setdefault(at, []).append(options[option_id])
                    elif text:
                        out[at] = text
                    elif number is not None:
                        out[at] = number
                    elif date is not None:
                        out[at] = date
                    if comment and comment_of[question_id] is not None:
                        out[comment_of[question_id]] = comment
                for at, picked in chosen.items():
                    out[at] = "; ".join(key for _, key in sorted(picked))
                yield out

    return Export(header, rows())


STATISTICS_HEADER = [
    "audit_id",
    "section",
    "question_key",
    "question_text",
    "question_type",
    "n",
    "n_excluding_na",
    "small_n",
    "option_key",
    "option_label",
    "meaning",
    "count",
    "percent",
    "percent_excluding_na",
    "ci_low",
    "ci_high",
    "ci_low_excluding_na",
    "ci_high_excluding_na",
]


def statistics(audit, *, identifying: bool = False) -> Export:
    """One row per question option from `audit_statistics` (one row with the option columns
    empty for a question without options: number, date, text). Never identifying."""
    from caseaudit.analysis.statistics import audit_statistics

    if identifying:
        raise ValueError("The statistics export has no identifying details")
    figures = audit_statistics(audit, by_case=False)

    def blank(value):
        return "" if value is None else value

    def rows() -> Iterator[list]:
        for question in figures["questions"]:
            start = [
                audit.pk,
                question.get("section", ""),
                question["key"],
                question["text"],
                question["type"],
                question["n"],
                blank(question.get("n_excluding_na")),
                "yes" if question.get("small_n") else "no",
            ]
            options = question.get("options") or []
            if not options:
                yield start + [""] * 10
            for option in options:
                yield [
                    *start,
                    option["key"],
                    option["label"],
                    option["meaning"],
                    option["count"],
                    *(blank(option[name]) for name in STATISTICS_HEADER[12:]),
                ]

    return Export(list(STATISTICS_HEADER), rows())
