"""The row iterators behind every export, checked cell by cell, and the neutralisation of
formula characters."""

import datetime
import decimal

from caseaudit.exports.rows import (
    ANSWER_FIELDS,
    _own_fields,
    answers_of,
    returns_long,
    returns_of,
    returns_wide,
)
from caseaudit.exports.writers import neutralise
from caseaudit.exports.xlsx import Cells, flat
from caseaudit.returns.models import Answer, AuditRequest
from tests.exports.conftest import DANGEROUS
from tests.returns.factories import CHILDREN


def submitted_at(audit, agency):
    return AuditRequest.objects.get(
        audit=audit, sampled_case__pseudonym="Child A", agency=agency
    ).submitted_at


def test_long_has_one_row_per_answer_row_of_submitted_returns(world, audit):
    export = returns_long(audit)
    assert export.header == [
        "audit_id", "case", "agency", "section", "question_key", "question_text",
        "question_type", "option_key", "option_label", "meaning", "text", "number", "date",
        "comment", "submitted_at", "source",
    ]  # fmt: skip
    grouped = list(export.rows)
    rows = [flat(row) for row in grouped]
    csc_at, health_at = submitted_at(audit, world.csc), submitted_at(audit, world.health)
    csc = "North Children's Social Care"
    family, plan = "Work with the family", "Plan and visits"
    tools = "Which assessment tools were used?"
    seen = "Was the child seen alone?"
    expected_csc = [
        [audit.pk, "Child A", csc, family, "lead_agency", "Which agency led the plan?",
         "single_choice", "social_care", "Social care", "positive", "", "", "", "", csc_at, "web"],
        [audit.pk, "Child A", csc, family, "tools", tools, "multiple_choice", "chronology",
         "Chronology", "positive", "", "", "", '=HYPERLINK("x")', csc_at, "web"],
        [audit.pk, "Child A", csc, family, "tools", tools, "multiple_choice", "genogram",
         "=Genogram", "positive", "", "", "", "", csc_at, "web"],
        [audit.pk, "Child A", csc, family, "seen_alone", seen, "yes_no_na", "yes", "Yes",
         "positive", "", "", "", "@seen at school", csc_at, "web"],
        [audit.pk, "Child A", csc, family, "child_view", "Was the child's view recorded?",
         "yes_no_na", "yes", "Yes", "positive", "", "", "", "", csc_at, "web"],
        [audit.pk, "Child A", csc, family, "child_words", "What did the child say?", "text",
         "", "", "", "-I want to stay", "", "", "", csc_at, "web"],
        [audit.pk, "Child A", csc, plan, "visits", "How many home visits were there?",
         "number", "", "", "", "", decimal.Decimal("4"), "", "", csc_at, "web"],
        [audit.pk, "Child A", csc, plan, "plan_date", "When was the plan made?", "date", "",
         "", "", "", "", datetime.date(2029, 11, 2), "", csc_at, "web"],
        [audit.pk, "Child A", csc, plan, "summary", "Summarise the work with the family",
         "text", "", "", "", "=SUM(A1:A9)", "", "", "+good work", csc_at, "web"],
    ]  # fmt: skip
    expected_health = [
        [audit.pk, "Child A", "North Health Trust", family, "lead_agency",
         "Which agency led the plan?", "single_choice", "health", "Health", "neutral", "", "",
         "", "", health_at, "web"],
        [audit.pk, "Child A", "North Health Trust", family, "seen_alone", seen, "yes_no_na",
         "no", "No", "negative", "", "", "", "", health_at, "web"],
    ]  # fmt: skip
    # by case, then agency; Child B's draft is not there
    for got, want in zip(rows, [*expected_csc, *expected_health], strict=True):
        assert got == want
    # The cells that repeat come as groups (xlsx.Cells): a return's own columns, the same
    # object on each of its rows (the writers know a group by identity); a question's and its
    # option's columns, with the four empty answer columns when there is nothing else.
    assert all(type(row[0]) is Cells and type(row[-1]) is Cells for row in grouped)
    assert grouped[0][0] is grouped[8][0]
    assert grouped[0][-1] is grouped[8][-1]
    assert grouped[0][0] is not grouped[9][0]
    assert [len(row) for row in grouped] == [3, 7, 3, 7, 3, 7, 7, 7, 7, 3, 3]
    assert grouped[2][1] == Cells((family, "tools", tools, "multiple_choice", "genogram",
                                   "=Genogram", "positive", "", "", "", ""))  # fmt: skip
    assert grouped[5][1] == Cells((family, "child_words", "What did the child say?", "text",
                                   "", "", ""))  # fmt: skip


def test_answers_are_read_as_the_orm_reads_them(world, audit):
    """On PostgreSQL the exports read answers with one array parameter and a bare cursor
    (rows.answers_of): the same tuples, of the same types, as the ORM's values_list. (On
    SQLite answers_of is the ORM.)"""
    ids = list(AuditRequest.objects.filter(audit=audit).values_list("id", flat=True))
    orm = list(Answer.objects.filter(request_id__in=ids).values_list(*ANSWER_FIELDS))
    got = answers_of(ids)
    assert sorted(got, key=repr) == sorted(orm, key=repr)
    assert [[type(value) for value in row] for row in sorted(got, key=repr)] == [
        [type(value) for value in row] for row in sorted(orm, key=repr)
    ]
    assert decimal.Decimal("4") in {row[4] for row in got}
    assert datetime.date(2029, 11, 2) in {row[5] for row in got}
    assert answers_of(ids[:1])
    assert answers_of([]) == []


def test_returns_are_read_as_the_orm_reads_them(world, audit):
    """On PostgreSQL the submission time is read as microseconds and made a datetime again
    (rows.returns_of): the same aware UTC datetimes, to the microsecond, as the ORM's."""
    AuditRequest.objects.filter(audit=audit, submitted_at__isnull=False).update(
        submitted_at=datetime.datetime(2030, 5, 6, 7, 8, 9, 123457, tzinfo=datetime.UTC)
    )
    for identifying in (False, True):
        fields = _own_fields(identifying)
        orm = list(
            AuditRequest.objects.filter(audit=audit, status="submitted")
            .order_by("sampled_case__order", "agency__name", "id")
            .values_list("id", *fields)
        )
        got = returns_of(audit, fields)
        assert got == orm
        assert len(got) == 2
        at = fields.index("submitted_at") + 1
        assert {row[at] for row in got} == {
            datetime.datetime(2030, 5, 6, 7, 8, 9, 123457, tzinfo=datetime.UTC)
        }
        assert all(row[at].utcoffset() == datetime.timedelta(0) for row in got)


def test_wide_has_one_row_per_submitted_return(world, audit):
    export = returns_wide(audit)
    assert export.header == [
        "case", "agency", "submitted_at", "source", "lead_agency", "tools", "tools_comment",
        "seen_alone", "seen_alone_comment", "child_view", "child_words", "visits",
        "plan_date", "summary", "summary_comment",
    ]  # fmt: skip
    rows = {row[1]: row for row in export.rows}
    assert set(rows) == {"North Children's Social Care", "North Health Trust"}
    assert rows["North Children's Social Care"] == [
        "Child A", "North Children's Social Care", submitted_at(audit, world.csc), "web",
        "social_care", "chronology; genogram", '=HYPERLINK("x")', "yes", "@seen at school",
        "yes", "-I want to stay", decimal.Decimal("4"), datetime.date(2029, 11, 2),
        "=SUM(A1:A9)", "+good work",
    ]  # fmt: skip
    assert rows["North Health Trust"] == [
        "Child A", "North Health Trust", submitted_at(audit, world.health), "web", "health",
        "", "", "no", "", "", "", "", "", "", "",
    ]  # fmt: skip


def test_identifying_details_only_when_asked(world, audit):
    child = CHILDREN[0]
    plain_long, plain_wide = returns_long(audit), returns_wide(audit)
    for export in (plain_long, plain_wide):
        cells = {str(cell) for row in export.rows for cell in flat(row)}
        assert not {child.child_id, child.name, child.date_of_birth} & cells
    long = returns_long(audit, identifying=True)
    assert long.header[:5] == ["audit_id", "case", "child_id", "child_name", "date_of_birth"]
    assert {tuple(flat(row)[2:5]) for row in long.rows} == {
        (child.child_id, child.name, child.date_of_birth)
    }
    wide = returns_wide(audit, identifying=True)
    assert wide.header[:4] == ["case", "child_id", "child_name", "date_of_birth"]
    assert [row[1:4] for row in wide.rows] == [
        [child.child_id, child.name, child.date_of_birth]
    ] * 2


def test_every_dangerous_prefix_is_neutralised():
    for text in DANGEROUS:
        assert neutralise(text) == "'" + text
    assert neutralise("Plain text") == "Plain text"
    assert neutralise("") == ""
    assert neutralise(-3) == -3
    assert neutralise(decimal.Decimal("-1.5")) == decimal.Decimal("-1.5")


def test_statistics_has_one_row_per_question_option(world, audit):
    from caseaudit.exports.rows import STATISTICS_HEADER, statistics

    export = statistics(audit)
    assert export.header == STATISTICS_HEADER
    rows = {(row[2], row[8]): row for row in export.rows}
    yes = rows[("seen_alone", "yes")]
    assert yes[:12] == [
        audit.pk, "Work with the family", "seen_alone", "Was the child seen alone?",
        "yes_no_na", 2, 2, "yes", "yes", "Yes", "positive", 1,
    ]  # fmt: skip
    assert yes[12] == 50.0
    assert 0 < yes[14] < 50 < yes[15] < 100
    genogram = rows[("tools", "genogram")]
    assert (genogram[5], genogram[9], genogram[11], genogram[12]) == (1, "=Genogram", 1, 100.0)
    assert rows[("visits", "")][5] == 1
    assert rows[("visits", "")][8:] == [""] * 10


def test_wide_keeps_a_zero_and_lists_choices_in_the_template_order(world):
    """A number answered 0 is an answer, not a blank; several options of a multiple-choice
    question come in the template's order, whatever order they were chosen in."""
    from tests.analysis.fixtures import statistics_audit

    export = returns_wide(statistics_audit(world))
    rows = {(row[0], row[1]): row for row in export.rows}
    visits, tools = export.header.index("visits"), export.header.index("tools")
    csc, health = "North Children's Social Care", "North Health Trust"
    assert rows[("Child 3", csc)][visits] == decimal.Decimal("0")
    assert rows[("Child 1", csc)][visits] == decimal.Decimal("4")
    assert rows[("Child 4", csc)][visits] == ""
    assert rows[("Child 1", health)][tools] == "graded_care; chronology; genogram"
    # Child 5's health return is not submitted.
    assert ("Child 5", health) not in rows
    assert len(rows) == 9
