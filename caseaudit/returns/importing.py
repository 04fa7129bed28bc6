"""Importing returns completed in a spreadsheet (`caseaudit import_returns`).

Three steps, so that nothing is stored unless the whole file is right:

1. `read_returns_file` reads a CSV or XLSX file into raw rows, without the database. It uses the
   population import's reader, so encodings, separators, workbooks and their limits behave the
   same way, and cells are only ever data: a workbook formula is read as the value Excel last
   saved with it and never run.
2. `returns_check` checks every row against `ImportLookups` (loaded by `lookups_load` in a few
   queries, so checking makes none per row) and returns an `ImportPlan`, or raises ExtractError
   listing every problem as row, column and message. Values go through `answers.check_value`,
   so the import refuses exactly what the return form refuses.
3. `returns_import` stores a checked plan in one transaction: it creates missing requests,
   writes the answers with the form's own row writer (a revision for each changed question) and
   marks every imported return submitted.

Each return in the file is imported whole: a question of the template that the file leaves out
for a return ends up unanswered, as the audit lead would expect from "this file is the return".
The format is documented in docs/formats.md ("Returns import").
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.audits.models import Audit, SampledCase
from caseaudit.crypto import child_key
from caseaudit.population.parsing import (
    DEFAULT_MAX_BYTES,
    MESSAGE_EMPTY,
    ExtractError,
    ImportIssue,
    _first_non_blank,
    _is_blank_row,
    _IssueList,
    _normalise_header,
    _open_table,
    _parse_date,
    _quote,
    _text,
)
from caseaudit.questionnaires.models import Question, QuestionType, TemplateVersion
from caseaudit.questionnaires.services import version_freeze
from caseaudit.returns.answers import AnswerError, Value, check_value, is_visible
from caseaudit.returns.models import (
    CLOSED,
    AuditRequest,
    EventKind,
    RequestEvent,
    RequestStatus,
    Source,
)
from caseaudit.returns.services import _write_values

COLUMNS = ("case", "agency", "question", "answer", "comment")
REQUIRED_COLUMNS = ("case", "agency", "question", "answer")
MAX_PROBLEMS = 100
MESSAGE_NO_ROWS = "The file has no rows of answers under the header row"


# Reading the file (no database) ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row of the file as trimmed text. `number` is the row as a spreadsheet numbers it."""

    number: int
    case: str
    agency: str
    question: str
    answer: str
    comment: str


@dataclass
class ReturnsFile:
    rows: list[RawRow]
    # Our column name -> the header as the file spells it, for messages.
    headers: dict[str, str]
    file_hash: str
    format: str  # "csv" or "xlsx"
    ignored_columns: list[str] = field(default_factory=list)
    # Problems found while reading (a row wider than the header); reported with the rest.
    problems: list[ImportIssue] = field(default_factory=list)


def read_returns_file(
    content: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ReturnsFile:
    """The rows of a returns file, or ExtractError for a problem with the whole file (not a
    CSV or workbook, empty, a required column missing or given twice)."""
    table = _open_table(content, filename, max_bytes=max_bytes)
    rows: list[RawRow] = []
    problems: list[ImportIssue] = []
    with closing(table.records):
        _, header = _first_non_blank(table.records)
        if header is None:
            raise ExtractError([ImportIssue(None, None, MESSAGE_EMPTY)])
        positions, headers, ignored = _match_columns(header)
        width = len(header) if table.format == "csv" else None
        needed = max(positions.values()) + 1
        for number, cells in table.records:
            if _is_blank_row(cells):
                continue
            if width is not None and len(cells) > width and "".join(cells[width:]).strip():
                problems.append(
                    ImportIssue(
                        number,
                        None,
                        f"This row has {len(cells)} cells but the header has {width}. Check for "
                        "a separator inside a value that is not in quotes",
                    )
                )
            if len(cells) < needed:
                cells = [*cells, *([None] * (needed - len(cells)))]
            values = {column: _text(cells[at]) for column, at in positions.items()}
            rows.append(
                RawRow(
                    number=number,
                    case=values["case"],
                    agency=values["agency"],
                    question=values["question"],
                    answer=values["answer"],
                    comment=values.get("comment", ""),
                )
            )
    if not rows and not problems:
        raise ExtractError([ImportIssue(None, None, MESSAGE_NO_ROWS)])
    return ReturnsFile(
        rows=rows,
        headers=headers,
        file_hash=hashlib.sha256(content).hexdigest(),
        format=table.format,
        ignored_columns=ignored,
        problems=problems,
    )


def _match_columns(header: list) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Where each column is (by its name, ignoring case, spaces, hyphens and underscores)."""
    found: dict[str, list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    for index, cell in enumerate(header):
        name = _text(cell)
        if name:
            found[_normalise_header(name)].append(index)
            names[index] = name
    listed = ", ".join(names.values()) or "none"
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    issues: list[ImportIssue] = []
    for column in COLUMNS:
        indexes = found.get(column, [])
        if len(indexes) > 1:
            spelled = names[indexes[0]]
            issues.append(
                ImportIssue(
                    None,
                    spelled,
                    f"The header has {len(indexes)} columns called {spelled}. "
                    "Remove or rename all but one",
                )
            )
        elif indexes:
            positions[column] = indexes[0]
            headers[column] = names[indexes[0]]
        elif column in REQUIRED_COLUMNS:
            issues.append(
                ImportIssue(None, None, f"The file has no {column} column. Columns found: {listed}")
            )
    if issues:
        raise ExtractError(issues)
    ignored = [name for index, name in names.items() if index not in positions.values()]
    return positions, headers, ignored


# What the rows are checked against (loaded once) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseRef:
    pk: int
    pseudonym: str
    removed: bool


@dataclass(frozen=True, slots=True)
class AgencyRef:
    pk: int
    name: str


@dataclass(frozen=True, slots=True)
class ExistingRequest:
    pk: int
    status: str
    template_version_id: int


@dataclass
class ImportLookups:
    audit: Audit
    version: TemplateVersion
    questions: list[Question]  # in the template's order
    cases_by_pseudonym: dict[str, CaseRef]  # casefolded pseudonym
    cases_by_child_key: dict[str, CaseRef]
    agencies: dict[str, list[AgencyRef]]  # casefolded name or code
    agency_list: str  # for messages
    questions_by_key: dict[str, Question]  # casefolded key
    options: dict[int, tuple[list[str], dict[str, str]]]  # question id -> (keys, text -> key)
    existing: dict[tuple[int, int], ExistingRequest]  # (sampled case id, agency id)


def lookups_load(audit: Audit) -> ImportLookups:
    """Everything the rows are checked against, in seven queries. ValidationError when the
    audit cannot take returns yet."""
    version = audit.template_version
    if version is None:
        raise ValidationError("Choose the audit template before importing returns")
    sample = getattr(audit, "sample", None)
    if sample is None or not sample.is_locked:
        raise ValidationError("Lock the sample before importing returns")
    version = TemplateVersion.objects.select_related("template").get(pk=version.pk)

    by_pseudonym: dict[str, CaseRef] = {}
    by_child_key: dict[str, CaseRef] = {}
    cases = SampledCase.objects.filter(sample=sample).values_list(
        "pk", "pseudonym", "removed_at", "case__child_key"
    )
    # Active cases last, so that a child swapped out and back in is found as active.
    for pk, pseudonym, removed_at, key in sorted(cases, key=lambda c: c[2] is None):
        ref = CaseRef(pk, pseudonym, removed_at is not None)
        by_pseudonym[pseudonym.strip().casefold()] = ref
        by_child_key[key] = ref

    agencies: dict[str, list[AgencyRef]] = defaultdict(list)
    shown = []
    for agency in audit.agencies.order_by("name"):
        ref = AgencyRef(agency.pk, agency.name)
        spellings = {agency.name.strip().casefold()}
        if agency.code:
            spellings.add(agency.code.strip().casefold())
        for spelling in spellings:
            agencies[spelling].append(ref)
        shown.append(f"{agency.name} ({agency.code})" if agency.code else agency.name)

    questions = list(
        Question.objects.filter(version=version)
        .select_related("section")
        .prefetch_related("options")
        .order_by("section__order", "order", "id")
    )
    options: dict[int, tuple[list[str], dict[str, str]]] = {}
    for question in questions:
        keys = [option.key for option in question.options.all()]
        by_text = {option.label.strip().casefold(): option.key for option in question.options.all()}
        # A key wins over another option's label of the same spelling.
        by_text |= {key.casefold(): key for key in keys}
        options[question.pk] = (keys, by_text)
    by_key = {q.key.casefold(): q for q in questions}

    existing = {
        (case_id, agency_id): ExistingRequest(pk, status, version_id)
        for pk, case_id, agency_id, status, version_id in AuditRequest.objects.filter(
            audit=audit
        ).values_list("pk", "sampled_case_id", "agency_id", "status", "template_version_id")
    }
    return ImportLookups(
        audit=audit,
        version=version,
        questions=questions,
        cases_by_pseudonym=by_pseudonym,
        cases_by_child_key=by_child_key,
        agencies=dict(agencies),
        agency_list=", ".join(shown) or "none",
        questions_by_key=by_key,
        options=options,
        existing=existing,
    )


# Checking the rows (no database) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReturnRow:
    """A checked row: which return, which question, and the cleaned value."""

    row_number: int
    sampled_case_id: int
    agency_id: int
    question: Question
    value: Value


@dataclass
class ImportPlan:
    rows: list[ReturnRow]
    answers: int  # rows with an answer or a comment
    returns: int
    new_requests: int
    replaced: int  # returns already submitted, declined or inadmissible


def _closed_problem(
    existing: ExistingRequest, version: TemplateVersion, replace: bool, label: str
) -> str | None:
    """Why an existing request cannot take the import, or None."""
    if existing.template_version_id != version.pk:
        return (
            f"The return for {label} uses another version of the template than the audit "
            f"({version}), so it cannot be imported"
        )
    if existing.status in CLOSED and not replace:
        status = RequestStatus(existing.status).label.lower()
        return (
            f"The return for {label} is already {status}. Nothing has been replaced: import "
            "again with --replace to replace its answers"
        )
    return None


def returns_check(
    file: ReturnsFile, lookups: ImportLookups, *, replace: bool = False
) -> ImportPlan:
    """Every row checked; ExtractError listing every problem (at most MAX_PROBLEMS, then
    "and N more problems") when anything is wrong."""
    problems = _IssueList(MAX_PROBLEMS)
    for issue in file.problems:
        problems.add(issue.row, issue.column, issue.message)
    add = problems.add
    header = {column: file.headers.get(column, column) for column in COLUMNS}
    partnership_id = lookups.audit.partnership_id
    version = lookups.version
    key_cache: dict[str, CaseRef | None] = {}

    def case_for(text: str, number: int) -> CaseRef | None:
        column = header["case"]
        if not text:
            add(number, column, f"{column} must not be blank")
            return None
        ref = lookups.cases_by_pseudonym.get(text.casefold())
        if ref is None:
            if text not in key_cache:
                key_cache[text] = lookups.cases_by_child_key.get(child_key(partnership_id, text))
            ref = key_cache[text]
        if ref is None:
            add(
                number,
                column,
                f"{_quote(text)} is not the pseudonym or the child id of a child in the "
                "audit's sample",
            )
            return None
        if ref.removed:
            add(number, column, f"{ref.pseudonym} has been removed from the audit's sample")
            return None
        return ref

    def agency_for(text: str, number: int) -> AgencyRef | None:
        column = header["agency"]
        if not text:
            add(number, column, f"{column} must not be blank")
            return None
        found = lookups.agencies.get(text.casefold(), [])
        if len(found) > 1:
            add(
                number,
                column,
                f"{_quote(text)} is the code of more than one of the audit's agencies. "
                "Use the agency's name",
            )
            return None
        if not found:
            add(
                number,
                column,
                f"{_quote(text)} is not one of the audit's agencies: {lookups.agency_list}",
            )
            return None
        return found[0]

    def question_for(text: str, number: int) -> Question | None:
        column = header["question"]
        if not text:
            add(number, column, f"{column} must not be blank")
            return None
        question = lookups.questions_by_key.get(text.casefold())
        if question is None:
            add(number, column, f"{_quote(text)} is not a question of {version}")
        return question

    # (case, agency) -> {question id: (value, row number)}; rows whose value failed are left out
    # so that a failed value is not reported again as missing.
    returns: dict[tuple[CaseRef, AgencyRef], dict[int, tuple[Value, int]]] = {}
    failed: set[tuple[int, int, int]] = set()
    first_row: dict[tuple[CaseRef, AgencyRef], int] = {}
    seen: dict[tuple[int, int, int], int] = {}
    checked: list[tuple[RawRow, CaseRef, AgencyRef, Question, Value]] = []

    for row in file.rows:
        case = case_for(row.case, row.number)
        agency = agency_for(row.agency, row.number)
        question = question_for(row.question, row.number)
        if question is None:
            continue
        if case is not None and agency is not None:
            triple = (case.pk, agency.pk, question.pk)
            first = seen.setdefault(triple, row.number)
            if first != row.number:
                add(
                    row.number,
                    header["question"],
                    f"{case.pseudonym}, {agency.name}, {question.key} is also on row {first}. "
                    "Give each question once for each child and agency",
                )
                continue
        value = _value(question, row, lookups, header, add)
        if case is None or agency is None:
            continue
        pair = (case, agency)
        first_row.setdefault(pair, row.number)
        answers = returns.setdefault(pair, {})
        if value is None:
            failed.add((case.pk, agency.pk, question.pk))
            continue
        answers[question.pk] = (value, row.number)
        checked.append((row, case, agency, question, value))

    new_requests = replaced = 0
    questions_by_id = {q.pk: q for q in lookups.questions}
    for pair, answers in returns.items():
        case, agency = pair
        label = f"{case.pseudonym} from {agency.name}"
        existing = lookups.existing.get((case.pk, agency.pk))
        if existing is None:
            new_requests += 1
        else:
            problem = _closed_problem(existing, version, replace, label)
            if problem:
                add(first_row[pair], header["case"], problem)
                continue
            replaced += existing.status in CLOSED
        values_by_key = {questions_by_id[pk].key: value for pk, (value, _) in answers.items()}
        unsure = {pk for c, a, pk in failed if (c, a) == (case.pk, agency.pk)}
        for question in lookups.questions:
            given = answers.get(question.pk)
            # Whether a question applies is unknown while its controller's value is wrong.
            if question.pk in unsure or _controllers(question, questions_by_id) & unsure:
                continue
            if not is_visible(question, values_by_key, questions_by_id):
                if given and not given[0].is_empty:
                    controller = questions_by_id[question.show_if_question_id]
                    wanted = " or ".join(question.show_if_options)
                    add(
                        given[1],
                        header["answer"] if given[0].is_answered else header["comment"],
                        f"{question.key} applies only when {controller.key} is {wanted}, so "
                        f"leave it blank for {label}",
                    )
                continue
            if not question.required or (given and given[0].is_answered):
                continue
            if given:
                add(given[1], header["answer"], f"{question.key} must be answered")
            else:
                add(
                    first_row[pair],
                    header["question"],
                    f"The return for {label} has no row for {question.key}, which must be answered",
                )

    if problems:
        raise ExtractError(problems.finish())
    rows = [
        ReturnRow(row.number, case.pk, agency.pk, question, value)
        for row, case, agency, question, value in checked
    ]
    return ImportPlan(
        rows=rows,
        answers=sum(1 for row in rows if not row.value.is_empty),
        returns=len(returns),
        new_requests=new_requests,
        replaced=replaced,
    )


def _controllers(question: Question, questions_by_id: dict[int, Question]) -> set[int]:
    """The questions whose answers decide whether `question` applies."""
    found: set[int] = set()
    while question.show_if_question_id and question.show_if_question_id not in found:
        found.add(question.show_if_question_id)
        question = questions_by_id[question.show_if_question_id]
    return found


def _value(question: Question, row: RawRow, lookups: ImportLookups, header, add) -> Value | None:
    """The row's answer and comment as a checked Value, or None after reporting the problem."""
    keys, by_text = lookups.options[question.pk]
    answer = row.answer
    options: tuple[str, ...] = ()
    text = ""
    if question.is_choice:
        if answer:
            # A label holding ";" is still one option.
            whole = by_text.get(answer.casefold())
            parts = [answer] if whole else [p.strip() for p in answer.split(";") if p.strip()]
            unknown = [part for part in parts if part.casefold() not in by_text]
            if unknown:
                add(
                    row.number,
                    header["answer"],
                    f"{_quote(unknown[0])} is not an option of {question.key}. "
                    f"Use one of: {', '.join(keys)}",
                )
                return None
            options = tuple(dict.fromkeys(by_text[part.casefold()] for part in parts))
    else:
        text = answer
        if text and question.type == QuestionType.DATE:
            parsed = _parse_date(text)
            if not isinstance(parsed, date):
                found = _quote(text)
                add(
                    row.number,
                    header["answer"],
                    f"{question.key} must be a real date, like 27/03/2019 or 2019-03-27 "
                    f"(found {found})",
                )
                return None
            text = parsed.isoformat()
    # Answer and comment are checked apart so that each problem names its own column.
    try:
        cleaned = check_value(question, Value(options, text, ""), keys)
    except AnswerError as error:
        add(row.number, header["answer"], f"{error} (found {_quote(answer)})")
        return None
    comment = row.comment
    if comment and not question.comment:
        add(
            row.number,
            header["comment"],
            f"{question.key} has no comment box in the template, so leave the comment blank",
        )
        return None
    try:
        comment = check_value(question, Value(comment=comment), keys).comment
    except AnswerError as error:
        add(row.number, header["comment"], str(error))
        return None
    return Value(cleaned.options, cleaned.value, comment)


def parse_returns(
    audit: Audit, content: bytes, filename: str, *, replace: bool = False
) -> tuple[ReturnsFile, ImportPlan]:
    """Read and check a file for `audit`: ExtractError or ValidationError when it cannot be
    imported as it is."""
    file = read_returns_file(content, filename)
    return file, returns_check(file, lookups_load(audit), replace=replace)


def issue_lines(issues: Iterable[ImportIssue]) -> list[str]:
    """ "Row 5, column answer: ...", "Row 7: ..." or the message alone for the whole file."""
    lines = []
    for issue in issues:
        if issue.row is None:
            lines.append(
                issue.message if issue.column is None else f"Column {issue.column}: {issue.message}"
            )
        elif issue.column is None:
            lines.append(f"Row {issue.row}: {issue.message}")
        else:
            lines.append(f"Row {issue.row}, column {issue.column}: {issue.message}")
    return lines


# Storing -----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    answers: int
    returns: int
    new_requests: int
    replaced: int
    changed: int  # revisions written


def returns_import(
    *,
    audit: Audit,
    rows: list[ReturnRow],
    user=None,
    replace: bool = False,
    actor: str = "",
    file_hash: str = "",
) -> ImportResult:
    """Stores checked rows (see `returns_check`) in one transaction. The requests are locked and
    their status checked again, since a return may have been submitted since the file was
    checked; ExtractError then, with nothing stored."""
    version = audit.template_version
    values: dict[tuple[int, int], dict[Question, Value]] = defaultdict(dict)
    first_row: dict[tuple[int, int], int] = {}
    for row in rows:
        pair = (row.sampled_case_id, row.agency_id)
        values[pair][row.question] = row.value
        first_row.setdefault(pair, row.row_number)
    questions = list(Question.objects.filter(version=version))
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (r.sampled_case_id, r.agency_id): r
            for r in AuditRequest.objects.select_for_update()
            .filter(audit=audit)
            .select_related("sampled_case", "agency")
            if (r.sampled_case_id, r.agency_id) in values
        }
        problems = []
        for pair, request in existing.items():
            label = f"{request.sampled_case.pseudonym} from {request.agency.name}"
            state = ExistingRequest(request.pk, request.status, request.template_version_id)
            problem = _closed_problem(state, version, replace, label)
            if problem:
                problems.append(ImportIssue(first_row[pair], "case", problem))
        if problems:
            raise ExtractError(sorted(problems, key=lambda issue: issue.row))
        replaced = sum(1 for r in existing.values() if r.status in CLOSED)

        due_date = audit.returns_due or timezone.localdate()
        new_pairs = [pair for pair in values if pair not in existing]
        AuditRequest.objects.bulk_create(
            AuditRequest(
                audit=audit,
                sampled_case_id=case_id,
                agency_id=agency_id,
                template_version=version,
                due_date=due_date,
                source=Source.IMPORT,
                created_at=now,
            )
            for case_id, agency_id in new_pairs
        )
        requests = {
            (r.sampled_case_id, r.agency_id): r
            for r in AuditRequest.objects.filter(audit=audit)
            if (r.sampled_case_id, r.agency_id) in values
        }
        changed = 0
        for pair, given in values.items():
            whole = {question: given.get(question, Value()) for question in questions}
            changed += len(_write_values(requests[pair], user, whole, Source.IMPORT))
        AuditRequest.objects.filter(pk__in=[r.pk for r in requests.values()]).update(
            status=RequestStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=user,
            last_saved_at=now,
            last_saved_by=user,
            version=F("version") + 1,
            source=Source.IMPORT,
            # The reason belonged to a decline or a refusal that the import has replaced; the
            # history keeps it.
            reason="",
        )
        version_freeze(version)
        RequestEvent.objects.bulk_create(
            [
                *(
                    RequestEvent(request=requests[pair], kind=EventKind.CREATED, by=user, at=now)
                    for pair in new_pairs
                ),
                *(
                    RequestEvent(
                        request=request,
                        kind=EventKind.IMPORTED,
                        by=user,
                        at=now,
                        note="Replaced the answers given before"
                        if pair in existing and existing[pair].status in CLOSED
                        else "",
                    )
                    for pair, request in requests.items()
                ),
            ]
        )
        result = ImportResult(
            answers=sum(1 for row in rows if not row.value.is_empty),
            returns=len(values),
            new_requests=len(new_pairs),
            replaced=replaced,
            changed=changed,
        )
        access_event_record(
            action=Action.RETURNS_IMPORTED,
            user=user,
            actor=actor,
            partnership=audit.partnership,
            obj=audit,
            object_label=f"audit {audit.pk}",
            detail=(
                f"{result.answers} answers for {result.returns} returns "
                f"({result.new_requests} new requests, {result.replaced} replaced, "
                f"{result.changed} questions changed)"
                + (f", sha256 {file_hash[:12]}" if file_hash else "")
            ),
        )
    return result
