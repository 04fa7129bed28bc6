"""`caseaudit publish --audit ID --product P --format F --output PATH [--user EMAIL]`."""

import hashlib
import io
import json

import docx
import pypdf
import pytest
from django.core.management import CommandError, call_command

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.findings.services import report_text_save
from caseaudit.publications.models import Publication
from tests.analysis.fixtures import CHILDREN, statistics_audit

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("publish", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue()


@pytest.fixture
def audit(world):
    return statistics_audit(world, title="Neglect: multi-agency audit")


def test_it_writes_the_file_and_records_a_version_with_its_hash(audit, world, tmp_path):
    output = tmp_path / "report.docx"
    code, out = run(
        "--audit", str(audit.pk), "--product", "full-report", "--format", "docx",
        "--output", str(output), "--user", "lena@north.example",
    )  # fmt: skip
    assert code == 0
    summary = json.loads(out)
    content = output.read_bytes()
    publication = Publication.objects.get(audit=audit, product="full-report")
    file = publication.files.get()
    assert summary == {
        "audit": audit.pk,
        "product": "full-report",
        "version": 1,
        "format": "docx",
        "output": str(output),
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
    }
    assert (file.format, file.sha256, publication.published_by, publication.published_via) == (
        "docx", summary["sha256"], world.lena, "command"
    )  # fmt: skip
    headings = [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    assert "Audit methodology" in headings
    event = AccessEvent.objects.get(action=Action.PUBLICATION_PUBLISHED)
    assert event.user == world.lena
    # Publishing again makes version 2.
    code, out = run(
        "--audit", str(audit.pk), "--product", "full-report", "--format", "pdf",
        "--output", str(tmp_path / "report.pdf"),
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["version"] == 2
    pdf = pypdf.PdfReader(tmp_path / "report.pdf")
    assert "Audit methodology" in " ".join(page.extract_text() for page in pdf.pages)
    assert AccessEvent.objects.filter(actor="caseaudit publish").count() == 1


def test_outstanding_hits_are_listed_and_nothing_is_written(audit, world, tmp_path):
    report_text_save(
        audit=audit,
        fields={"introduction": f"We met {CHILDREN[0].name} at LS1 4AP."},
        user=world.lena,
    )
    output = tmp_path / "report.pdf"
    code, out = run(
        "--audit", str(audit.pk), "--product", "full-report", "--format", "pdf",
        "--output", str(output),
    )  # fmt: skip
    assert code == 1
    hits = json.loads(out)
    assert [(hit["kind"], hit["text"], hit.get("case")) for hit in hits] == [
        ("name", CHILDREN[0].name, CHILDREN[0].pseudonym),
        ("postcode", "LS1 4AP", None),
    ]
    assert hits[0]["location"].startswith("Introduction")
    assert not output.exists()
    assert not Publication.objects.exists()
    assert AccessEvent.objects.filter(action=Action.VIEW_IDENTIFYING_DETAILS).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--audit", "999999"], "No audit with id 999999"),
        (["--user", "nobody@north.example"], "No active person nobody@north.example"),
        (["--user", "sol@south.example"], "No active person sol@south.example"),
    ],
)
def test_bad_input_exits_2(audit, tmp_path, args, message):
    base = ["--audit", str(audit.pk), "--product", "seven-minute-briefing", "--format", "html",
            "--output", str(tmp_path / "b.html")]  # fmt: skip
    with pytest.raises(CommandError, match=message) as error:
        call_command("publish", *base, *args)
    assert error.value.returncode == 2
    assert not (tmp_path / "b.html").exists()
