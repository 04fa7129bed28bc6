"""Row iterators for every export: each returns the header and a generator of rows of plain
values (str, int, Decimal, date, datetime), where cells that repeat together on many rows may
come as one `Cells` group (xlsx.Cells; `xlsx.flat` opens a row's groups). The writers in
`writers.py` turn the same rows into CSV or XLSX, so the two formats never drift (pretix's
exporter pattern).

Rows are read a batch of returns at a time (`_batches`, REQUEST_BATCH returns and their answer
rows, as tuples, no model instances), so memory stays flat however many answers an audit has.
Identifying details are read only when `identifying=True`; the caller checks the permission and
logs the export."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, Func

from caseaudit.analysis.statistics import audit_statistics, request_version_ids
from caseaudit.exports.xlsx import Cells
from caseaudit.questionnaires.models import Option, Question
from caseaudit.returns.models import Answer, AuditRequest, RequestStatus

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


def _batches(audit, own_fields: list[str]) -> Iterator[tuple[list[tuple], dict]]:
    """The audit's submitted returns a batch at a time, in export order (by case, agency, id):
    (the batch's `(id, *own_fields)` tuples, {return id: its answer rows as (question id,
    option id, text, number, date, comment)}). The answers are read by the index on their
    return with no join at all: the exports name questions and options from the few they have
    already read, so each return's own fields are read once, not once per answer row, and no
    answer row is parsed twice (docs/performance.md). Memory holds one batch at a time."""
    returns = returns_of(audit, own_fields)
    for start in range(0, len(returns), REQUEST_BATCH):
        batch = returns[start : start + REQUEST_BATCH]
        answers: dict[int, list[tuple]] = defaultdict(list)
        # A list, not a server-side cursor: a batch is a few thousand rows, and PostgreSQL
        # plans a cursor for its first rows, which cost more here.
        for row in answers_of([r[0] for r in batch]):
            answers[row[0]].append(row[1:])
        yield batch, answers


class EpochMicroseconds(Func):
    """A time as whole microseconds since 1970-01-01 UTC (PostgreSQL: EXTRACT gives an exact
    numeric there, Django 5.2 needing PostgreSQL 14 or later)."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
    output_field = BigIntegerField()


UNIX_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def returns_of(audit, own_fields: list[str]) -> list[tuple]:
    """The audit's submitted returns in export order, as `(id, *own_fields)` tuples.

    On PostgreSQL a submission time is read as microseconds and made a datetime here: Django
    loads `timestamptz` values with psycopg's Python loader (to set the connection's time
    zone), which took 0.5-0.75 s of reading 100,000 returns (docs/performance.md). The value
    is the same aware UTC datetime the ORM gives."""
    query = AuditRequest.objects.filter(audit=audit, status=RequestStatus.SUBMITTED).order_by(
        "sampled_case__order", "agency__name", "id"
    )
    if connection.vendor != "postgresql" or "submitted_at" not in own_fields:
        return list(query.values_list("id", *own_fields))
    at = own_fields.index("submitted_at") + 1
    fields = ["id", *own_fields]
    fields[at] = "submitted_us"
    rows = query.annotate(submitted_us=EpochMicroseconds("submitted_at")).values_list(*fields)
    micro = datetime.timedelta(microseconds=1)
    return [
        (*row[:at], None if row[at] is None else UNIX_EPOCH + row[at] * micro, *row[at + 1 :])
        for row in rows
    ]


ANSWER_FIELDS = ["request_id", "question_id", "option_id", "text", "number", "date", "comment"]


def answers_of(request_ids: list[int]) -> list[tuple]:
    """The answer rows of these returns, as `_batches` reads them: `ANSWER_FIELDS` tuples.

    On PostgreSQL the ids go as one array (`= ANY(%s)`) and the rows are read with one
    `fetchall`: the ORM's `IN` list made a parameter of each of the 1,000 ids, and its iterator
    fetches 100 rows at a time; together they were 1.2-1.7 s of reading a 2,000,000-answer
    export's 3.2-3.7 s (docs/performance.md). psycopg gives the same values the ORM does for
    these fields (text, Decimal, date, ids), so both ways give the same tuples; SQLite has no
    arrays and keeps the ORM."""
    if connection.vendor != "postgresql":
        return list(
            Answer.objects.filter(request_id__in=request_ids).order_by().values_list(*ANSWER_FIELDS)
        )
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Answer._meta.get_field(name).column) for name in ANSWER_FIELDS)
    request = quote(Answer._meta.get_field("request").column)
    with connection.cursor() as cursor:
        table = quote(Answer._meta.db_table)
        # Names from the model, quoted; the ids are the one parameter.
        sql = f"SELECT {columns} FROM {table} WHERE {request} = ANY(%s)"  # noqa: S608
        cursor.execute(sql, [list(request_ids)])
        return cursor.fetchall()


def _own_fields(identifying: bool) -> list[str]:
    """The return's own fields every export row starts from: case, (identifying details,)
    agency, submitted at, source."""
    fields = ["sampled_case__pseudonym", "agency__name", "submitted_at", "source"]
    if identifying:
        fields[1:1] = IDENTIFYING_FIELDS
    return fields


def returns_long(audit, *, identifying: bool = False) -> Export:
    """One row per answer row of every submitted return (a multiple-choice answer has one row
    per chosen option), by case, agency and return, each return's rows in form order."""
    questions = _questions(audit)
    # The columns from section to meaning, as one Cells group, the same object on every row:
    # by option id for a row with an option (an option belongs to one question), by question
    # id for a row without. `whole` adds the four empty answer columns (text, number, date,
    # comment) of a chosen option with no comment, most rows of a long export.
    columns = {q.pk: (q.section.title, q.key, q.text, q.type) for q in questions}
    options = list(
        Option.objects.filter(question__in=questions).values_list(
            "pk", "question_id", "key", "label", "meaning", "order"
        )
    )
    no_option = {pk: Cells((*cells, "", "", "")) for pk, cells in columns.items()}
    by_option = {o[0]: Cells((*columns[o[1]], *o[2:5])) for o in options}
    whole = {pk: Cells((*cells, "", "", "", "")) for pk, cells in by_option.items()}
    # Form order as one integer per answer row: the question's place, then the option's.
    step = len(options) + 1
    question_rank = {
        q.pk: rank * step
        for rank, q in enumerate(sorted(questions, key=lambda q: (q.section.order, q.order, q.pk)))
    }
    option_rank: dict = {None: 0}
    option_rank.update(
        {o[0]: rank for rank, o in enumerate(sorted(options, key=lambda o: (o[5], o[0])), start=1)}
    )

    header = list(LONG_HEADER)
    if identifying:
        header[2:2] = IDENTIFYING_HEADER
    own_fields = _own_fields(identifying)

    def place(row: tuple) -> int:
        return question_rank[row[0]] + option_rank[row[1]]

    def rows() -> Iterator[list]:
        for batch, answers in _batches(audit, own_fields):
            for info in batch:
                found = answers.get(info[0])
                if not found:
                    continue
                # audit, case, (identifying,) agency; then submitted at and source at the end
                start, end = Cells((audit.pk, *info[1:-2])), Cells(info[-2:])
                found.sort(key=place)
                for question_id, option_id, text, number, date, comment in found:
                    if option_id is None:
                        middle = no_option[question_id]
                    elif text or comment or number is not None or date is not None:
                        middle = by_option[option_id]
                    else:
                        yield [start, whole[option_id], end]
                        continue
                    yield [
                        start,
                        middle,
                        text,
                        "" if number is None else number,
                        "" if date is None else date,
                        comment,
                        end,
                    ]

    return Export(header, rows())


def _questions(audit) -> list[Question]:
    """The questions of the template versions the audit's requests use, in template order."""
    return list(
        Question.objects.filter(version_id__in=request_version_ids(audit))
        .select_related("section")
        .order_by("version__number", "section__order", "order")
    )


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
    own_fields = _own_fields(identifying)
    width = len(header)

    def rows() -> Iterator[list]:
        for batch, answers in _batches(audit, own_fields):
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
