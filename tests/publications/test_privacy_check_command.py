"""`caseaudit privacy_check --audit ID FILE...` on real text, DOCX and PDF files."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from caseaudit.accesslog.models import AccessEvent, Action
from tests.publications.files import make_docx, make_pdf, nhs_number
from tests.publications.fixtures import privacy_audit

pytestmark = pytest.mark.django_db

NHS = nhs_number("943476591")


def run(*args) -> tuple[int, list[dict]]:
    out = io.StringIO()
    try:
        call_command("privacy_check", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


@pytest.fixture
def audit(world):
    return privacy_audit(world)


def test_it_finds_details_in_a_docx_and_a_pdf(audit, tmp_path):
    report = tmp_path / "report.docx"
    report.write_bytes(
        make_docx(
            paragraphs=["Child A was seen alone.", f"Ottoline's NHS number {NHS} was on file."],
            table=[["Child", "Postcode"], ["Child B", "SW1A 1AA"]],
            footer="Contact lscp@north.example",
            author="Ottoline Brackenbury",
            alt_text="Chart for PC-20418",
        )
    )
    briefing = tmp_path / "briefing.pdf"
    briefing.write_bytes(
        make_pdf([["Seven minute briefing"], ["Hope Summer, born 21 September 2016."]])
    )
    code, hits = run("--audit", str(audit.pk), str(report), str(briefing))
    assert code == 1
    assert hits == [
        {"file": str(report), "location": "paragraph 3", "text": "Ottoline",
         "kind": "name", "position": 0, "case": "Child A"},
        {"file": str(report), "location": "paragraph 3", "text": NHS,
         "kind": "nhs_number", "position": 22},
        {"file": str(report), "location": "table 1, row 2, cell 2", "text": "SW1A 1AA",
         "kind": "postcode", "position": 0},
        {"file": str(report), "location": "section 1 footer, paragraph 1",
         "text": "lscp@north.example", "kind": "email_address", "position": 8},
        {"file": str(report), "location": "image 1 alt text", "text": "PC-20418",
         "kind": "child_id", "position": 10, "case": "Child B"},
        {"file": str(report), "location": "document property author",
         "text": "Ottoline Brackenbury", "kind": "name", "position": 0, "case": "Child A"},
        {"file": str(briefing), "location": "page 2", "text": "Hope Summer",
         "kind": "name", "position": 0, "case": "Child B"},
        {"file": str(briefing), "location": "page 2", "text": "21 September 2016",
         "kind": "date_of_birth", "position": 18, "case": "Child B"},
    ]  # fmt: skip


def test_a_clean_file_exits_0_with_an_empty_list(audit, tmp_path):
    clean = tmp_path / "clean.md"
    clean.write_text("# Findings\n\nChild A and Child B were seen alone on 3 May 2025.\n")
    assert run("--audit", str(audit.pk), str(clean)) == (0, [])


def test_a_text_file_reports_lines_and_offsets_in_the_file(audit, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Findings\nCall 07700 900123\n")
    code, hits = run("--audit", str(audit.pk), str(notes))
    assert code == 1
    assert hits == [
        {"file": str(notes), "location": "line 2", "text": "07700 900123",
         "kind": "phone_number", "position": 14}
    ]  # fmt: skip


def test_printing_known_details_is_logged_without_them(audit, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Ottoline Brackenbury\nSW1A 1AA")
    run("--audit", str(audit.pk), str(notes))
    event = AccessEvent.objects.get(action=Action.VIEW_IDENTIFYING_DETAILS)
    assert event.actor == "caseaudit privacy_check"
    assert event.partnership == audit.partnership
    assert (
        event.detail
        == "Privacy check of 1 file(s): 1 match(es) of the sample's identifying details"
    )
    assert "Ottoline" not in event.detail


def test_pattern_hits_alone_are_not_a_view_of_identifying_details(audit, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("SW1A 1AA")
    assert run("--audit", str(audit.pk), str(notes))[0] == 1
    assert not AccessEvent.objects.filter(action=Action.VIEW_IDENTIFYING_DETAILS).exists()


def test_an_unknown_audit_is_an_error_with_exit_status_2(db, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    with pytest.raises(CommandError, match="No audit with id 999") as error:
        call_command("privacy_check", "--audit", "999", str(notes))
    assert error.value.returncode == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "missing.txt: cannot be read"),
        ("broken.docx", b"not a zip", "broken.docx: is not a valid DOCX file"),
        ("picture.bin", b"\x00\x01\x02", "picture.bin: is not a text, DOCX or PDF file"),
    ],
)
def test_an_unreadable_file_is_an_error_with_exit_status_2(audit, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("SW1A 1AA")
    out = io.StringIO()
    with pytest.raises(CommandError, match=message) as error:
        call_command("privacy_check", "--audit", str(audit.pk), str(good), str(path), stdout=out)
    assert error.value.returncode == 2
    assert out.getvalue() == ""  # nothing printed for the files that could be read
