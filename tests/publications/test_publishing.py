"""Publishing a product: the privacy gate, versions, the background task's progress and
failure, stored files with their hashes, and immutability once ready."""

import hashlib
import io

import docx
import pypdf
import pytest
from django.db import IntegrityError, connection

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.documents.model import Document, Paragraph, Section, Table, document_to_dict
from caseaudit.publications import publishing
from caseaudit.publications.models import Publication, PublicationFile
from caseaudit.publications.services import privacy_hit_accept
from caseaudit.publications.tasks import generate_publication
from tests.publications.files import nhs_number
from tests.publications.fixtures import CHILDREN, privacy_audit

pytestmark = pytest.mark.django_db

NHS = nhs_number("401023213")


def seeded_document(*paragraphs: str) -> Document:
    return Document(
        title="Audit of neglect",
        partnership="North",
        sections=(
            Section("Summary", tuple(Paragraph.of(text) for text in paragraphs)),
            Section(
                "Sample",
                (Table(header=("Child", "Area"), rows=(("Child A", "North of the county"),)),),
            ),
        ),
    )


SEEDED = (
    f"{CHILDREN[0].name} was seen alone at school.",
    "Her date of birth, 03/04/2015, was checked.",
    f"Health records were matched on {NHS}.",
    "The family lives at LS1 4AP.",
)
CLEAN = ("Child A was seen alone at school.", "Health records were matched.")


@pytest.fixture
def audit(world):
    return privacy_audit(world)


def publish(audit, world, document, **options):
    return publishing.publication_publish(
        audit=audit, product="full-report", user=world.lena, document=document, **options
    )


def test_a_document_with_a_name_a_birth_date_an_nhs_number_and_a_postcode_is_refused(audit, world):
    with pytest.raises(publishing.PrivacyCheckFailed) as refused:
        publish(audit, world, seeded_document(*SEEDED))
    assert [(hit.kind, hit.text, hit.location) for hit in refused.value.hits] == [
        ("name", CHILDREN[0].name, "Summary, paragraph 1"),
        ("date_of_birth", "03/04/2015", "Summary, paragraph 2"),
        ("nhs_number", NHS, "Summary, paragraph 3"),
        ("postcode", "LS1 4AP", "Summary, paragraph 4"),
    ]
    assert not Publication.objects.exists()


def test_accepted_hits_let_it_through_and_the_acceptance_is_logged(audit, world):
    document = seeded_document(*SEEDED)
    with pytest.raises(publishing.PrivacyCheckFailed) as refused:
        publish(audit, world, document)
    for hit in refused.value.hits:
        privacy_hit_accept(audit=audit, hit=hit, reason="Invented for training", user=world.lena)
    publication = publish(audit, world, document)
    assert publication.status == Publication.Status.READY
    accepted = AccessEvent.objects.filter(action=Action.PRIVACY_HIT_ACCEPTED, user=world.lena)
    assert accepted.count() == 4
    # The log names the kind and place, never the detail itself.
    assert not accepted.filter(detail__contains=CHILDREN[0].name).exists()
    assert AccessEvent.objects.filter(action=Action.PUBLICATION_PUBLISHED).count() == 1


def test_publishing_stores_every_format_with_its_hash_and_the_source(audit, world):
    document = seeded_document(*CLEAN)
    publication = publish(audit, world, document)
    assert publication.version == 1
    assert publication.progress == 100
    assert publication.step == "Ready"
    assert publication.published_by == world.lena
    assert publication.published_at is not None
    assert publication.source == document_to_dict(document)
    files = {file.format: file for file in publication.files.all()}
    assert sorted(files) == ["docx", "html", "pdf"]
    for file in files.values():
        content = file.full_path.read_bytes()
        assert hashlib.sha256(content).hexdigest() == file.sha256
        assert len(content) == file.size
    word = docx.Document(io.BytesIO(files["docx"].full_path.read_bytes()))
    assert "Child A was seen alone at school." in [p.text for p in word.paragraphs]
    pdf = pypdf.PdfReader(io.BytesIO(files["pdf"].full_path.read_bytes()))
    assert "Child A was seen alone" in " ".join(page.extract_text() for page in pdf.pages)
    assert b"Health records were matched." in files["html"].full_path.read_bytes()


def test_publishing_again_makes_the_next_version_and_leaves_the_first_alone(audit, world):
    first = publish(audit, world, seeded_document(*CLEAN))
    first_files = {f.format: (f.path, f.sha256) for f in first.files.all()}
    second = publish(audit, world, seeded_document("Changed text."), formats=("pdf",))
    assert (first.version, second.version) == (1, 2)
    assert [f.format for f in second.files.all()] == ["pdf"]
    assert {f.format: (f.path, f.sha256) for f in first.files.all()} == first_files
    for path, sha256 in first_files.values():
        assert (
            hashlib.sha256((publishing.settings.DATA_DIR / path).read_bytes()).hexdigest() == sha256
        )
    # Other products number their own versions.
    other = publishing.publication_publish(
        audit=audit,
        product="seven-minute-briefing",
        user=world.lena,
        document=seeded_document(*CLEAN),
        formats=("html",),
    )
    assert other.version == 1


def test_a_ready_version_cannot_be_changed_or_deleted(audit, world):
    publication = publish(audit, world, seeded_document(*CLEAN), formats=("html",))
    publication.title = "Something else"
    with pytest.raises(PermissionError):
        publication.save()
    with pytest.raises(PermissionError):
        publication.delete()
    with pytest.raises(PermissionError):
        Publication.objects.filter(pk=publication.pk).update(title="Other")
    with pytest.raises(PermissionError):
        Publication.objects.filter(pk=publication.pk).delete()
    file = publication.files.get()
    with pytest.raises(PermissionError):
        file.save()
    with pytest.raises(PermissionError):
        file.delete()
    with pytest.raises(PermissionError):
        PublicationFile.objects.filter(pk=file.pk).update(sha256="0" * 64)
    with pytest.raises(PermissionError):
        PublicationFile.objects.filter(pk=file.pk).delete()
    publication.refresh_from_db()
    assert publication.title == "Full audit report"


def test_a_stored_file_is_never_overwritten(audit, world, monkeypatch):
    """Even were the random part of a name to repeat, the exclusive create refuses to write."""
    monkeypatch.setattr(publishing.secrets, "token_hex", lambda n: "0" * (2 * n))
    publication = publish(audit, world, seeded_document(*CLEAN), formats=("html",))
    file = publication.files.get()
    before = file.full_path.read_bytes()
    with pytest.raises(FileExistsError):
        publishing._store(publication, "html", b"other", "text/html", "html")
    assert file.full_path.read_bytes() == before


def test_files_left_by_an_earlier_database_do_not_block_a_new_version(audit, world):
    """A reset database (or the other database of a test run) reuses ids; the files of the
    earlier version stay where they are, untouched, and the new version gets its own."""
    first = publish(audit, world, seeded_document(*CLEAN), formats=("html", "docx"))
    old_paths = {f.path: f.full_path.read_bytes() for f in first.files.all()}
    pk = first.pk
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM publications_publicationfile WHERE publication_id = %s", [pk])
        cursor.execute("DELETE FROM publications_publication WHERE id = %s", [pk])
    again = Publication.objects.create(
        pk=pk,
        audit=audit,
        product="full-report",
        version=1,
        title="Full audit report",
        formats=["html", "docx"],
        source=document_to_dict(seeded_document(*CLEAN)),
        published_by=world.lena,
    )
    result = generate_publication.enqueue(publication_id=again.pk)
    assert result.status == "SUCCESSFUL"
    again.refresh_from_db()
    assert again.status == Publication.Status.READY
    new_paths = set(again.files.values_list("path", flat=True))
    assert len(new_paths) == 2
    assert not new_paths & set(old_paths)
    for path, content in old_paths.items():
        assert PublicationFile(path=path).full_path.read_bytes() == content


def test_the_task_records_progress_per_format_and_fails_with_the_error(audit, world):
    """A version asked for a format no renderer makes: the task makes the first two files,
    stops at the third with its progress and step, and marks the version failed."""
    publication = Publication.objects.create(
        audit=audit,
        product="full-report",
        version=1,
        title="Full audit report",
        formats=["html", "docx", "epub"],
        source=document_to_dict(seeded_document(*CLEAN)),
        published_by=world.lena,
    )
    result = generate_publication.enqueue(publication_id=publication.pk)
    assert result.status == "FAILED"
    publication.refresh_from_db()
    assert publication.status == Publication.Status.FAILED
    assert (publication.progress, publication.step) == (65, "Failed")
    assert publication.error == "ValueError: Unknown format 'epub': one of html, docx, pdf"
    assert sorted(publication.files.values_list("format", flat=True)) == ["docx", "html"]
    assert publication.published_at is None
    # A failed version is not the record of a publication: the next one takes number 2.
    again = publish(audit, world, seeded_document(*CLEAN), formats=("html",))
    assert again.version == 2


def test_the_task_runs_a_queued_version_once(audit, world):
    publication = publish(audit, world, seeded_document(*CLEAN), formats=("html",))
    generate_publication.enqueue(publication_id=publication.pk)
    assert publication.files.count() == 1


def test_the_database_refuses_a_second_version_with_the_same_number(audit, world):
    publish(audit, world, seeded_document(*CLEAN), formats=("html",))
    with connection.cursor() as cursor, pytest.raises(IntegrityError):
        cursor.execute(
            "INSERT INTO publications_publication (audit_id, product, version, status, "
            "progress, step, error, formats, title, source, published_via, created_at) "
            "VALUES (%s, 'full-report', 1, 'queued', 0, '', '', '[]', 't', '{}', '', "
            "CURRENT_TIMESTAMP)",
            [audit.pk],
        )
