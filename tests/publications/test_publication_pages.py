"""The publications pages: the preview with the privacy check, accepting a hit, publishing,
a version's progress and its downloads, and who may see what."""

import io

import pypdf
import pytest
from django.utils import timezone

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.documents.model import document_to_dict
from caseaudit.findings.services import report_text_save
from caseaudit.publications.models import Publication
from caseaudit.publications.products import build_document
from tests.analysis.fixtures import CHILDREN, statistics_audit

pytestmark = pytest.mark.django_db

NAME = CHILDREN[0].name


@pytest.fixture
def audit(world):
    audit = statistics_audit(world, title="Neglect: multi-agency audit")
    report_text_save(
        audit=audit,
        fields={"background": f"Neglect is a priority since we met {NAME} last year."},
        user=world.lena,
    )
    return audit


def url(audit, *parts) -> str:
    return f"/audits/{audit.pk}/publications/" + "".join(f"{part}/" for part in parts)


def test_the_lead_previews_accepts_a_hit_and_publishes(client, world, audit):
    client.force_login(world.lena)
    page = client.get(url(audit, "seven-minute-briefing"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Child&#x27;s name (Child 1)" in html
    assert "02 Background" in html  # the location
    assert f"since we met <mark>{NAME}</mark> last year." in html
    assert "Publish version 1" not in html
    # Publishing is refused while the hit is outstanding.
    refused = client.post(url(audit, "seven-minute-briefing", "publish"))
    assert refused.status_code == 200
    assert "Change or accept each identifying detail before you publish: 1 still to do" in (
        refused.content.decode()
    )
    assert not Publication.objects.exists()
    # A reason is required.
    fingerprint = page.context["rows"][0]["form"].initial["fingerprint"]
    data = {"prefix": "hit-1", "hit-1-fingerprint": fingerprint, "hit-1-reason": " "}
    missing = client.post(url(audit, "seven-minute-briefing", "accept"), data)
    assert missing.status_code == 200
    assert "Enter why this can be published" in missing.content.decode()
    data["hit-1-reason"] = "The family asked for the name to be used"
    accepted = client.post(url(audit, "seven-minute-briefing", "accept"), data)
    assert accepted.status_code == 302
    assert AccessEvent.objects.filter(action=Action.PRIVACY_HIT_ACCEPTED).count() == 1
    assert "Publish version 1" in client.get(url(audit, "seven-minute-briefing")).content.decode()
    published = client.post(url(audit, "seven-minute-briefing", "publish"))
    publication = Publication.objects.get()
    assert published.status_code == 302
    assert published["Location"] == url(audit, "versions", publication.pk)
    version_page = client.get(published["Location"]).content.decode()
    assert "7 Minute Briefing: version 1" in version_page
    assert publication.files.get(format="pdf").sha256 in version_page
    assert 'http-equiv="refresh"' not in version_page
    download = client.get(url(audit, "versions", publication.pk, "pdf"))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="seven-minute-briefing-v1.pdf"'
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(download.content)).pages)
    assert "Aim of the audit" in text
    event = AccessEvent.objects.get(action=Action.PUBLICATION_DOWNLOADED)
    assert (event.user, event.detail) == (world.lena, "7 Minute Briefing version 1 (pdf)")


def test_docx_and_html_downloads_have_their_content_types(client, world, audit):
    client.force_login(world.lena)
    report_text_save(audit=audit, fields={"background": "Neglect is a priority."}, user=world.lena)
    client.post(url(audit, "learning-briefing", "publish"))
    publication = Publication.objects.get()
    docx = client.get(url(audit, "versions", publication.pk, "docx"))
    assert docx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    html = client.get(url(audit, "versions", publication.pk, "html"))
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert html["Content-Disposition"].startswith("attachment;")
    assert client.get(url(audit, "versions", publication.pk, "epub")).status_code == 404


def queued(audit, world, **fields) -> Publication:
    return Publication.objects.create(
        audit=audit,
        product="full-report",
        version=fields.pop("version", 1),
        title="Full audit report",
        formats=["html"],
        source=document_to_dict(build_document("seven-minute-briefing", audit)),
        published_by=world.lena,
        **fields,
    )


def test_a_version_being_made_shows_its_progress_and_refreshes(client, world, audit):
    publication = queued(audit, world, status="generating", progress=40, step="Making the PDF file")
    client.force_login(world.lena)
    html = client.get(url(audit, "versions", publication.pk)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Making the PDF file" in html
    assert '<progress id="progress" max="100" value="40">' in html
    assert ">Refresh</a>" in html


def test_board_viewers_see_ready_versions_only(client, world, audit):
    report_text_save(audit=audit, fields={"background": "Neglect is a priority."}, user=world.lena)
    client.force_login(world.lena)
    client.post(url(audit, "full-report", "publish"))
    ready = Publication.objects.get()
    failed = queued(audit, world, version=2, status="failed", error="ValueError: broken")
    client.force_login(world.bea)
    listing = client.get(url(audit)).content.decode()
    assert "Version 1" in listing
    assert "Version 2" not in listing
    assert "Preview and publish" not in listing
    assert client.get(url(audit, "versions", ready.pk)).status_code == 200
    assert client.get(url(audit, "versions", ready.pk, "docx")).status_code == 200
    assert client.get(url(audit, "versions", failed.pk)).status_code == 404
    assert client.get(url(audit, "full-report")).status_code == 404
    assert client.post(url(audit, "full-report", "publish")).status_code == 404


def test_agency_auditors_read_versions_once_the_results_are_released(client, world, audit):
    report_text_save(audit=audit, fields={"background": "Neglect is a priority."}, user=world.lena)
    client.force_login(world.lena)
    client.post(url(audit, "full-report", "publish"))
    ready = Publication.objects.get()
    client.force_login(world.chris)
    assert client.get(url(audit)).status_code == 404
    assert client.get(url(audit, "versions", ready.pk, "pdf")).status_code == 404
    audit.results_released_at = timezone.now()
    audit.save(update_fields=["results_released_at"])
    assert "Version 1" in client.get(url(audit)).content.decode()
    assert client.get(url(audit, "versions", ready.pk, "pdf")).status_code == 200
    assert client.get(url(audit, "full-report")).status_code == 404


def test_other_partnerships_get_404(client, world, audit):
    client.force_login(world.sol)
    assert client.get(url(audit)).status_code == 404
    assert client.get(url(audit, "full-report")).status_code == 404
