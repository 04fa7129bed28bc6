"""`caseaudit import_returns`: returns kept in a spreadsheet imported in the long format (one row
per answer). The whole file is checked before anything is stored; every problem names its row
and column; imported returns are submitted, with a revision for every answer."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.audits.models import Sample, SampledCase
from caseaudit.audits.services import audit_create
from caseaudit.population.parsing import ExtractError
from caseaudit.population.services import population_import
from caseaudit.questionnaires.services import template_create
from caseaudit.returns.answers import Value
from caseaudit.returns.importing import (
    lookups_load,
    parse_returns,
    read_returns_file,
    returns_check,
    returns_import,
)
from caseaudit.returns.models import (
    Answer,
    AnswerRevision,
    AuditRequest,
    EventKind,
    RequestEvent,
    RequestStatus,
    Source,
)
from caseaudit.returns.services import (
    answers_save,
    current_values,
    request_decline,
    requests_create,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "returns.csv"

# The template the example in docs/examples/returns.csv is written for.
SPEC = {
    "name": "Repeat plans template",
    "sections": [
        {
            "title": "Work with the child",
            "questions": [
                {
                    "key": "seen_alone",
                    "text": "Was the child seen alone?",
                    "type": "yes_no_na",
                    "comment": True,
                },
                {
                    "key": "seen_alone_notes",
                    "text": "What did the child say?",
                    "type": "text",
                    "show_if": {"question": "seen_alone", "options": ["yes"]},
                },
                {
                    "key": "risks",
                    "text": "Which risks were recorded?",
                    "type": "multiple_choice",
                    "options": [
                        {"key": "domestic_abuse", "label": "Domestic abuse", "meaning": "neutral"},
                        {
                            "key": "parental_mental_health",
                            "label": "Parental mental health",
                            "meaning": "neutral",
                        },
                        {
                            "key": "substance_misuse",
                            "label": "Substance misuse",
                            "meaning": "neutral",
                        },
                        {"key": "none", "label": "None recorded", "meaning": "neutral"},
                    ],
                },
                {
                    "key": "contacts",
                    "text": "How many contacts were there with the family?",
                    "type": "number",
                    "required": False,
                    "min": 0,
                    "max": 200,
                },
                {
                    "key": "last_review",
                    "text": "When was the plan last reviewed?",
                    "type": "date",
                    "required": False,
                },
            ],
        },
        {
            "title": "Judgement",
            "questions": [
                {
                    "key": "impact",
                    "text": "Grade the impact on the child",
                    "type": "grade",
                    "comment": True,
                },
                {
                    "key": "summary",
                    "text": "Summary",
                    "type": "text",
                    "required": False,
                },
            ],
        },
    ],
}

# Children of the fixture sample: (child id, pseudonym); Child D was swapped out.
CHILDREN = [
    ("C100234", "Child A"),
    ("C100235", "Child B"),
    ("C100236", "Child C"),
    ("C100241", "Child D"),
]
HEADER = "case,agency,question,answer,comment\n"


def make_audit(world, spec=SPEC, children=CHILDREN, *, title="Repeat plans", lock=True):
    """An audit of North with CSC and Health, `spec` as its template and a sample (locked
    unless told otherwise) of `children`, the last of them removed from it."""
    audit = audit_create(
        partnership=world.north,
        title=title,
        agencies=[world.csc, world.health],
        returns_due=datetime.date(2030, 1, 31),
    )
    _, version = template_create(partnership=world.north, spec=spec)
    audit.template_version = version
    audit.save()
    content = "child_id,plan_category,agencies\n" + "".join(
        f"{child_id},neglect,CSC;HEALTH\n" for child_id, _ in children
    )
    snapshot = population_import(
        partnership=world.north, content=content.encode(), file_name="cases.csv"
    )
    now = datetime.datetime.now(datetime.UTC)
    sample = Sample.objects.create(
        audit=audit,
        snapshot=snapshot,
        size=len(children),
        seed=1,
        locked_at=now if lock else None,
    )
    cases = {case.child_id: case for case in snapshot.cases.all()}
    for order, (child_id, pseudonym) in enumerate(children, start=1):
        SampledCase.objects.create(
            sample=sample, case=cases[child_id], order=order, pseudonym=pseudonym
        )
    if len(children) > 1:
        SampledCase.objects.filter(sample=sample, order=len(children)).update(
            removed_at=now, removal_reason="Moved out of the area"
        )
    return audit


@pytest.fixture
def audit(world):
    return make_audit(world)


def write(tmp_path, text: str, name="returns.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(audit, path, *args) -> str:
    out = io.StringIO()
    call_command("import_returns", "--audit", str(audit.pk), str(path), *args, stdout=out)
    return out.getvalue()


def stored() -> tuple[int, int, int, int]:
    return (
        AuditRequest.objects.count(),
        Answer.objects.count(),
        AnswerRevision.objects.count(),
        RequestEvent.objects.count(),
    )


def refused(audit, path, *args) -> str:
    """The command's error message, having checked that nothing was stored."""
    imports = AccessEvent.objects.filter(action=Action.RETURNS_IMPORTED)
    before = (stored(), imports.count())
    with pytest.raises(CommandError) as error:
        run(audit, path, *args)
    assert (stored(), imports.count()) == before
    return str(error.value)


def request_for(audit, pseudonym, agency) -> AuditRequest:
    return AuditRequest.objects.get(audit=audit, sampled_case__pseudonym=pseudonym, agency=agency)


def values_of(request) -> dict[str, Value]:
    keys = dict(request.template_version.questions.values_list("pk", "key"))
    return {keys[pk]: value for pk, value in current_values(request).items()}


# A complete, correct return for Child A from CSC, used to build files with one thing wrong.
GOOD_ROWS = [
    "Child A,CSC,seen_alone,yes,Seen at school",
    "Child A,CSC,seen_alone_notes,Said she felt safe,",
    "Child A,CSC,risks,domestic_abuse,",
    "Child A,CSC,contacts,4,",
    "Child A,CSC,impact,good,",
]


def csv_with(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


class TestTheDocumentedExample:
    def test_it_imports(self, world, audit):
        output = run(audit, EXAMPLE, "--user", "lena@north.example")

        assert output.splitlines()[0] == "Imported 19 answers for 4 returns (4 new requests)"
        requests = AuditRequest.objects.filter(audit=audit)
        assert requests.count() == 4
        for request in requests:
            assert request.status == RequestStatus.SUBMITTED
            assert request.submitted_at is not None
            assert request.submitted_by == world.lena
            assert request.source == Source.IMPORT
            assert request.assignee is None
            assert request.due_date == datetime.date(2030, 1, 31)
            assert request.template_version == audit.template_version
            kinds = list(request.events.values_list("kind", flat=True))
            assert kinds == [EventKind.CREATED, EventKind.IMPORTED]
        audit.template_version.refresh_from_db()
        assert audit.template_version.is_frozen

    def test_the_answers_are_stored_as_the_form_stores_them(self, world, audit):
        run(audit, EXAMPLE, "--user", "lena@north.example")

        child_a_csc = request_for(audit, "Child A", world.csc)
        values = values_of(child_a_csc)
        assert values["seen_alone"] == Value(
            ("yes",), "", "Seen alone at school on two of five visits"
        )
        assert values["risks"].options == ("domestic_abuse", "parental_mental_health")
        assert values["contacts"].value == "14"
        assert values["last_review"].value == "2026-03-12"
        assert values["impact"] == Value(
            ("requires_improvement",), "", "Plan actions drifted between reviews"
        )
        assert values["summary"].value.startswith("Visits were regular, but")
        # One row per chosen option of the multiple-choice question.
        risk_rows = Answer.objects.filter(request=child_a_csc, question__key="risks")
        assert sorted(risk_rows.values_list("option__key", flat=True)) == [
            "domestic_abuse",
            "parental_mental_health",
        ]
        assert Answer.objects.get(request=child_a_csc, question__key="contacts").number == 14
        assert Answer.objects.get(
            request=child_a_csc, question__key="last_review"
        ).date == datetime.date(2026, 3, 12)

        revisions = AnswerRevision.objects.filter(request=child_a_csc)
        assert revisions.count() == 7
        assert set(revisions.values_list("source", flat=True)) == {Source.IMPORT}
        assert set(revisions.values_list("changed_by", flat=True)) == {world.lena.pk}
        assert revisions.get(question__key="risks").old is None

    def test_labels_are_accepted_for_options_ignoring_case(self, world, audit):
        run(audit, EXAMPLE)

        values = values_of(request_for(audit, "Child A", world.health))
        assert values["seen_alone"].options == ("no",)  # "No"
        assert values["risks"].options == ("parental_mental_health",)  # "Parental mental health"
        assert values["impact"].options == ("good",)  # "Good"

    def test_a_child_id_finds_the_sampled_child(self, world, audit):
        run(audit, EXAMPLE)

        values = values_of(request_for(audit, "Child C", world.health))
        assert values["impact"].options == ("outstanding",)
        assert values["risks"].options == ("none",)

    def test_without_user_nobody_is_recorded_and_the_access_log_has_counts(self, world, audit):
        run(audit, EXAMPLE)

        assert set(AnswerRevision.objects.values_list("changed_by", flat=True)) == {None}
        event = AccessEvent.objects.get(action=Action.RETURNS_IMPORTED)
        assert event.partnership == world.north
        assert event.object_id == str(audit.pk)
        assert event.actor == "caseaudit import_returns"
        assert event.detail.startswith("19 answers for 4 returns (4 new requests, 0 replaced")


class TestGoodFiles:
    def test_an_xlsx_file_imports_with_typed_cells(self, world, audit, tmp_path):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["Question", "Answer", "Case", "Agency", "Comment", "Auditor"])
        sheet.append(["seen_alone", "Yes", "Child B", "Health", None, "Jo"])
        sheet.append(["seen_alone_notes", "She likes nursery", "Child B", "Health", None, None])
        sheet.append(["risks", "Domestic abuse; substance_misuse", "Child B", "Health", None])
        sheet.append(["contacts", 12, "Child B", "Health", None])
        sheet.append(["last_review", datetime.datetime(2026, 2, 3), "Child B", "Health", None])
        sheet.append(["impact", "Requires improvement", "Child B", "Health", "Drift"])
        sheet.append(["summary", "=1+1", "Child B", "Health", None])  # saved as a formula
        path = tmp_path / "returns.xlsx"
        workbook.save(path)

        output = run(audit, path)

        assert output.splitlines() == [
            "Imported 6 answers for 1 returns (1 new requests)",
            "Columns not used: Auditor",
        ]
        values = values_of(request_for(audit, "Child B", world.health))
        assert values["seen_alone"].options == ("yes",)
        assert values["risks"].options == ("domestic_abuse", "substance_misuse")
        assert values["contacts"].value == "12"
        assert values["last_review"].value == "2026-02-03"
        assert values["impact"] == Value(("requires_improvement",), "", "Drift")
        # A formula is never run: it is read as the value last saved with it, and this
        # workbook was never opened in Excel, so it has none.
        assert "summary" not in values

    def test_a_csv_cell_that_looks_like_a_formula_is_text(self, world, audit, tmp_path):
        run(audit, write(tmp_path, csv_with(*GOOD_ROWS, "Child A,CSC,summary,=1+1,")))

        assert values_of(request_for(audit, "Child A", world.csc))["summary"].value == "=1+1"

    def test_headers_ignore_case_and_order_and_comment_is_optional(self, world, audit, tmp_path):
        path = write(
            tmp_path,
            "ANSWER,Question,Agency,Case\n"
            "yes,seen_alone,North Children's Social Care,child b\n"
            "Talked about nursery,seen_alone_notes,csc,Child B\n"
            "none,risks,CSC,Child B\n"
            "inadequate,impact,CSC,Child B\n",
        )

        run(audit, path)

        values = values_of(request_for(audit, "Child B", world.csc))
        assert values["impact"].options == ("inadequate",)

    def test_a_request_not_yet_sent_is_used_and_submitted(self, world, audit, tmp_path):
        requests_create(audit=audit, user=world.lena, due_date=datetime.date(2030, 2, 1))
        existing = request_for(audit, "Child A", world.csc)
        assert existing.status == RequestStatus.NOT_SENT

        output = run(audit, write(tmp_path, csv_with(*GOOD_ROWS)))

        assert output.startswith("Imported 5 answers for 1 returns (0 new requests)")
        existing.refresh_from_db()
        assert existing.status == RequestStatus.SUBMITTED
        assert existing.due_date == datetime.date(2030, 2, 1)
        assert AuditRequest.objects.filter(audit=audit).count() == 6  # 3 children x 2 agencies
        assert existing.events.filter(kind=EventKind.IMPORTED).count() == 1

    def test_a_return_in_progress_becomes_the_file(self, world, audit, tmp_path):
        """The file holds the whole return: a draft answer it leaves out is removed, with a
        revision, as a web submit removes answers to questions that no longer apply."""
        requests_create(audit=audit, user=world.lena, due_date=datetime.date(2030, 2, 1))
        request = request_for(audit, "Child A", world.csc)
        AuditRequest.objects.filter(pk=request.pk).update(status=RequestStatus.SENT)
        request.refresh_from_db()
        summary = request.template_version.questions.get(key="summary")
        answers_save(
            request=request,
            user=world.chris,
            values={summary: Value((), "Draft typed in the browser")},
            expected_version=request.version,
        )

        run(audit, write(tmp_path, csv_with(*GOOD_ROWS)))

        request.refresh_from_db()
        assert request.status == RequestStatus.SUBMITTED
        assert "summary" not in values_of(request)
        revision = AnswerRevision.objects.filter(request=request, question=summary).last()
        assert revision.source == Source.IMPORT
        assert revision.old["value"] == "Draft typed in the browser"
        assert revision.new is None

    def test_a_large_file_imports(self, world, tmp_path):
        """90 returns of 30 questions: 2,700 rows."""
        spec = {
            "name": "Thirty questions",
            "sections": [
                {
                    "title": "All",
                    "questions": [
                        {"key": f"q{n:02}", "text": f"Question {n}", "type": kind}
                        for n, kind in enumerate(
                            ["yes_no_na", "grade", "number", "date", "text"] * 6, start=1
                        )
                    ],
                }
            ],
        }
        children = [(f"L{n:05}", f"Child {n}") for n in range(1, 46)]
        audit = make_audit(world, spec, [*children, ("L99999", "Child X")], title="Large")
        answers = {
            "yes_no_na": "yes",
            "grade": "good",
            "number": "3",
            "date": "01/02/2026",
            "text": "Seen and heard",
        }
        kinds = ["yes_no_na", "grade", "number", "date", "text"] * 6
        rows = [
            f"{pseudonym},{agency},q{n:02},{answers[kind]},"
            for _, pseudonym in children
            for agency in ("CSC", "HEALTH")
            for n, kind in enumerate(kinds, start=1)
        ]
        assert len(rows) == 2700

        output = run(audit, write(tmp_path, csv_with(*rows)))

        assert output.startswith("Imported 2700 answers for 90 returns (90 new requests)")
        assert Answer.objects.filter(request__audit=audit).count() == 2700
        assert AnswerRevision.objects.filter(request__audit=audit).count() == 2700
        assert (
            AuditRequest.objects.filter(audit=audit, status=RequestStatus.SUBMITTED).count() == 90
        )

    def test_checking_makes_no_query_per_row(self, audit, django_assert_num_queries):
        file = read_returns_file(EXAMPLE.read_bytes(), "returns.csv")
        lookups = lookups_load(audit)
        with django_assert_num_queries(0):
            plan = returns_check(file, lookups)
        assert (plan.answers, plan.returns, plan.new_requests) == (19, 4, 4)


class TestRowProblems:
    @pytest.mark.parametrize(
        ("row", "expected"),
        [
            (
                "Child Z,CSC,summary,x,",
                (
                    "Row 7, column case: Child Z is not the pseudonym or the child id of a child "
                    "in the audit's sample"
                ),
            ),
            (
                "C100241,CSC,summary,x,",
                "Row 7, column case: Child D has been removed from the audit's sample",
            ),
            (",CSC,summary,x,", "Row 7, column case: case must not be blank"),
            (
                "Child A,Shire Police,summary,x,",
                (
                    "Row 7, column agency: Shire Police is not one of the audit's agencies: "
                    "North Children's Social Care (CSC), North Health Trust (HEALTH)"
                ),
            ),
            (
                "Child A,CSC,tone,x,",
                (
                    "Row 7, column question: tone is not a question of Repeat plans template, "
                    "version 1"
                ),
            ),
            (
                "Child A,CSC,impact,excellent,",
                (
                    "Row 6, column answer: excellent is not an option of impact. Use one of: "
                    "outstanding, good, requires_improvement, inadequate"
                ),
            ),
            (
                "Child A,CSC,seen_alone,yes;no,",
                "Row 2, column answer: Select only one option (found yes;no)",
            ),
            (
                "Child A,CSC,contacts,lots,",
                "Row 5, column answer: Enter a number, like 3 or 12.5 (found lots)",
            ),
            (
                "Child A,CSC,contacts,201,",
                "Row 5, column answer: The number must be 200 or less (found 201)",
            ),
            (
                "Child A,CSC,last_review,2026/03/12,",
                (
                    "Row 7, column answer: last_review must be a real date, like 27/03/2019 or "
                    "2019-03-27 (found 2026/03/12)"
                ),
            ),
            (
                "Child A,CSC,last_review,31/02/2026,",
                "Row 7, column answer: last_review must be a real date",
            ),
            (
                "Child A,CSC,risks,none,A comment",
                (
                    "Row 4, column comment: risks has no comment box in the template, so leave the "
                    "comment blank"
                ),
            ),
            (
                "Child A,CSC,impact,,",
                "Row 6, column answer: impact must be answered",
            ),
            (
                "Child A,CSC,seen_alone,no,",
                (
                    "Row 3, column answer: seen_alone_notes applies only when seen_alone is yes, "
                    "so leave it blank for Child A from North Children's Social Care"
                ),
            ),
        ],
    )
    def test_it_names_row_and_column_and_stores_nothing(self, audit, tmp_path, row, expected):
        """`row` takes the place of the good row for the same question of Child A from CSC
        (rows 2 to 6), or is added as row 7."""
        rows = list(GOOD_ROWS)
        same = [i for i, good in enumerate(GOOD_ROWS) if good.split(",")[:3] == row.split(",")[:3]]
        if same:
            rows[same[0]] = row
        else:
            rows.append(row)

        message = refused(audit, write(tmp_path, csv_with(*rows)))

        assert message.startswith("Nothing was imported from returns.csv:")
        assert expected in message

    def test_a_required_question_left_out(self, audit, tmp_path):
        rows = [row for row in GOOD_ROWS if ",impact," not in row]

        message = refused(audit, write(tmp_path, csv_with(*rows)))

        assert (
            "Row 2, column question: The return for Child A from North Children's Social Care "
            "has no row for impact, which must be answered"
        ) in message

    def test_the_same_question_twice(self, audit, tmp_path):
        path = write(tmp_path, csv_with(*GOOD_ROWS, "child a,csc,Contacts,5,"))

        message = refused(audit, path)

        assert (
            "Row 7, column question: Child A, North Children's Social Care, contacts is also on "
            "row 5. Give each question once for each child and agency"
        ) in message

    def test_messages_use_the_headers_as_the_file_spells_them(self, audit, tmp_path):
        path = write(tmp_path, "Case,Agency,Question,Answer\n" + "Child A,CSC,contacts,x\n")

        message = refused(audit, path)

        assert "Row 2, column Answer: Enter a number" in message

    def test_every_problem_is_reported(self, audit, tmp_path):
        path = write(
            tmp_path,
            csv_with(
                *GOOD_ROWS[:3],
                "Child A,CSC,contacts,-1,",
                "Child A,CSC,impact,great,",
                "Child Q,CSC,impact,good,",
            ),
        )

        message = refused(audit, path)

        lines = message.splitlines()[1:]
        assert [line.strip().split(":")[0] for line in lines] == [
            "Row 5, column answer",
            "Row 6, column answer",
            "Row 7, column case",
        ]

    def test_at_most_100_problems_are_listed(self, audit, tmp_path):
        path = write(tmp_path, csv_with(*(f"Child A,CSC,nothing{n},x," for n in range(150))))

        message = refused(audit, path)

        lines = message.splitlines()
        assert len(lines) == 1 + 100 + 1
        assert lines[-1].strip() == "and 50 more problems"

    def test_a_row_wider_than_the_header(self, audit, tmp_path):
        path = write(tmp_path, csv_with(*GOOD_ROWS[:3], "Child A,CSC,contacts,4,,extra"))

        message = refused(audit, path)

        assert "Row 5: This row has 6 cells but the header has 5" in message


class TestFileProblems:
    def test_a_missing_column(self, audit, tmp_path):
        path = write(tmp_path, "case,agency,question,comment\nChild A,CSC,contacts,\n")

        message = refused(audit, path)

        assert "The file has no answer column. Columns found: case, agency, question, comment" in (
            message
        )

    def test_an_empty_file(self, audit, tmp_path):
        assert "The selected file is empty" in refused(audit, write(tmp_path, "\n\n"))

    def test_a_header_only(self, audit, tmp_path):
        message = refused(audit, write(tmp_path, HEADER))

        assert "The file has no rows of answers under the header row" in message

    def test_not_a_spreadsheet(self, audit, tmp_path):
        path = tmp_path / "returns.csv"
        path.write_bytes(b"%PDF-1.7 not a spreadsheet")

        assert "must be a CSV or Excel (.xlsx) file" in refused(audit, path)


class TestClosedReturns:
    def import_once(self, audit, tmp_path):
        run(audit, write(tmp_path, csv_with(*GOOD_ROWS), "first.csv"))

    def test_a_submitted_return_is_refused(self, world, audit, tmp_path):
        self.import_once(audit, tmp_path)
        path = write(tmp_path, csv_with("Child B,CSC,impact,good,", *GOOD_ROWS))

        message = refused(audit, path)

        assert (
            "Row 3, column case: The return for Child A from North Children's Social Care is "
            "already submitted. Nothing has been replaced: import again with --replace"
        ) in message
        assert request_for(audit, "Child A", world.csc).status == RequestStatus.SUBMITTED

    def test_replace_replaces_the_answers_with_revisions(self, world, audit, tmp_path):
        self.import_once(audit, tmp_path)
        rows = [row.replace("impact,good", "impact,inadequate") for row in GOOD_ROWS]

        output = run(
            audit, write(tmp_path, csv_with(*rows)), "--replace", "--user", "lena@north.example"
        )

        assert output.splitlines() == [
            "Imported 5 answers for 1 returns (0 new requests)",
            "Replaced the answers of 1 closed returns",
        ]
        request = request_for(audit, "Child A", world.csc)
        assert values_of(request)["impact"].options == ("inadequate",)
        revision = AnswerRevision.objects.filter(request=request, question__key="impact").last()
        assert revision.old["options"] == ["good"]
        assert revision.new["options"] == ["inadequate"]
        assert revision.changed_by == world.lena
        # Only the question that changed has a new revision.
        assert AnswerRevision.objects.filter(request=request).count() == 6
        note = request.events.filter(kind=EventKind.IMPORTED).last().note
        assert note == "Replaced the answers given before"

    def test_a_declined_return_needs_replace_and_then_is_submitted(self, world, audit, tmp_path):
        requests_create(audit=audit, user=world.lena, due_date=datetime.date(2030, 2, 1))
        request = request_for(audit, "Child A", world.csc)
        AuditRequest.objects.filter(pk=request.pk).update(status=RequestStatus.SENT)
        request_decline(request=request, user=world.chris, reason="Not known to us")
        path = write(tmp_path, csv_with(*GOOD_ROWS))

        assert "is already declined" in refused(audit, path)
        run(audit, path, "--replace")

        request.refresh_from_db()
        assert request.status == RequestStatus.SUBMITTED
        assert request.reason == ""

    def test_a_return_submitted_after_the_check_is_not_overwritten(self, world, audit):
        """The check and the write are apart; the write checks the status again, locked."""
        _file, plan = parse_returns(audit, csv_with(*GOOD_ROWS).encode(), "r.csv")
        other = csv_with(*GOOD_ROWS).encode()
        _, other_plan = parse_returns(audit, other, "other.csv")
        returns_import(audit=audit, rows=other_plan.rows)
        before = stored()

        with pytest.raises(ExtractError) as error:
            returns_import(audit=audit, rows=plan.rows)

        assert "Row 2" in str(error.value)
        assert "already submitted" in str(error.value)
        assert stored() == before


class TestDryRun:
    def test_it_reports_and_stores_nothing(self, world, audit):
        before = stored()

        output = run(audit, EXAMPLE, "--dry-run")

        assert output.strip() == (
            "Would import 19 answers for 4 returns (4 new requests, 0 replaced). "
            "Nothing was stored (--dry-run)"
        )
        assert stored() == before
        audit.template_version.refresh_from_db()
        assert not audit.template_version.is_frozen

    def test_it_reports_problems_too(self, audit, tmp_path):
        path = write(tmp_path, csv_with("Child A,CSC,contacts,many,"))

        assert "Row 2, column answer" in refused(audit, path, "--dry-run")


class TestRefusedAudits:
    def test_an_audit_without_a_template(self, world, audit):
        audit.template_version = None
        audit.save()

        message = refused(audit, EXAMPLE)

        assert message == "Choose the audit template before importing returns"

    def test_an_audit_whose_sample_is_not_locked(self, world):
        audit = make_audit(world, lock=False)

        assert refused(audit, EXAMPLE) == "Lock the sample before importing returns"

    def test_lookups_refuse_without_a_sample(self, world):
        audit = audit_create(partnership=world.north, title="No sample")
        _, version = template_create(partnership=world.north, spec=SPEC)
        audit.template_version = version

        with pytest.raises(ValidationError):
            lookups_load(audit)

    def test_an_unknown_audit(self, db):
        with pytest.raises(CommandError, match="No audit with id 999"):
            call_command("import_returns", "--audit", "999", str(EXAMPLE))

    def test_a_user_outside_the_partnership(self, world, audit):
        message = refused(audit, EXAMPLE, "--user", "sol@south.example")

        assert message == "No active user sol@south.example in north"

    def test_a_missing_file(self, audit, tmp_path):
        assert refused(audit, tmp_path / "nowhere.csv").startswith("No file at")
