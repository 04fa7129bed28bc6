"""Publishing a product of an audit (docs/publishing.md).

`publication_publish` builds the product's document, runs the privacy check on every text of
it (`document_texts`) and, when nothing is outstanding, records the next version with the
document's JSON source and enqueues `generate_publication` (caseaudit.publications.tasks),
which renders each format from that source, stores the files and marks the version ready.
The command `caseaudit publish` goes through the same functions."""

import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.documents.model import Document, document_from_dict, document_to_dict
from caseaudit.documents.render import FORMATS, render
from caseaudit.publications.document_texts import document_texts
from caseaudit.publications.models import Publication, PublicationFile
from caseaudit.publications.privacy import KNOWN_KINDS, Hit
from caseaudit.publications.products import PRODUCTS, build_document
from caseaudit.publications.services import outstanding_hits

# The formats in the order the task renders them (the quickest first, so the preview-like HTML
# is there soonest).
ALL_FORMATS = ("html", "docx", "pdf")
PUBLICATIONS_DIR = "publications"


class PrivacyCheckFailed(Exception):
    """Publishing refused: `hits` are in the document and not accepted."""

    def __init__(self, hits: list[Hit]):
        self.hits = hits
        super().__init__(f"{len(hits)} identifying detail(s) to change or accept first")


def product_document(*, audit, product: str) -> Document:
    if product not in PRODUCTS:
        raise ValueError(f"Unknown product {product!r}: one of {', '.join(PRODUCTS)}")
    return build_document(product, audit)


def publication_hits(*, audit, document: Document) -> list[Hit]:
    """The privacy-check hits of the document not yet accepted (publishing waits for none)."""
    return outstanding_hits(audit, document_texts(document))


def record_identifying_details_shown(*, audit, hits: list[Hit], user=None, actor="", request=None):
    """Hits of the sample's own details tie text to a child's pseudonym: showing them is
    logged, as the privacy_check command does."""
    known = sum(1 for hit in hits if hit.kind in KNOWN_KINDS)
    if known:
        access_event_record(
            action=Action.VIEW_IDENTIFYING_DETAILS,
            request=request,
            user=user,
            actor=actor,
            partnership=audit.partnership,
            obj=audit,
            object_label=audit.title,
            detail=f"Privacy check before publishing: {known} match(es) of the sample's "
            "identifying details",
        )


def _next_version(audit, product: str) -> int:
    latest = Publication.objects.filter(audit=audit, product=product).aggregate(Max("version"))
    return (latest["version__max"] or 0) + 1


def publication_publish(
    *,
    audit,
    product: str,
    user=None,
    formats: tuple[str, ...] = ALL_FORMATS,
    via: str = "web",
    actor: str = "",
    request=None,
    document: Document | None = None,
) -> Publication:
    """Publish the next version of `product` for `audit` in `formats`. Raises PrivacyCheckFailed
    (nothing recorded) while the privacy check has outstanding hits. Returns the version: ready
    at once with the default (immediate) task backend, queued with a database worker."""
    if not formats or set(formats) - set(FORMATS):
        raise ValueError(f"Formats are some of {', '.join(ALL_FORMATS)}")
    formats = tuple(fmt for fmt in ALL_FORMATS if fmt in formats)
    if document is None:
        document = product_document(audit=audit, product=product)
    hits = publication_hits(audit=audit, document=document)
    if hits:
        raise PrivacyCheckFailed(hits)
    for _ in range(3):  # two people publishing at once: the second takes the next number
        try:
            with transaction.atomic():
                publication = Publication.objects.create(
                    audit=audit,
                    product=product,
                    version=_next_version(audit, product),
                    title=PRODUCTS[product].title,
                    formats=list(formats),
                    source=document_to_dict(document),
                    published_by=user,
                    published_via=via,
                    step="Waiting to start",
                )
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("Could not number the new version")
    access_event_record(
        action=Action.PUBLICATION_PUBLISHED,
        request=request,
        user=user,
        actor=actor,
        partnership=audit.partnership,
        obj=audit,
        object_label=audit.title,
        detail=f"{publication.title} version {publication.version} "
        f"({', '.join(formats)}) via {via}",
    )
    from caseaudit.publications.tasks import generate_publication

    generate_publication.enqueue(publication_id=publication.pk)
    publication.refresh_from_db()
    return publication


def _progress(publication: Publication, progress: int, step: str, **changes) -> None:
    # A queryset update (not save) so a worker's progress never races a page's read-modify-save.
    Publication.objects.filter(pk=publication.pk).update(progress=progress, step=step, **changes)


def _store(publication: Publication, fmt: str, content: bytes, content_type: str, ext: str):
    """Write the file once (exclusive create: an existing file is never overwritten). The name
    carries a random part so that a file left by an earlier database (a reset demo, the other
    database of a test run) never blocks a new version that happens to reuse its id."""
    audit = publication.audit
    relative = (
        f"{PUBLICATIONS_DIR}/{audit.partnership_id}/{audit.pk}/"
        f"{publication.product}-v{publication.version}-{publication.pk}-"
        f"{secrets.token_hex(6)}.{ext}"
    )
    path = Path(settings.DATA_DIR) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return PublicationFile.objects.create(
        publication=publication,
        format=fmt,
        content_type=content_type,
        path=relative,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def publication_generate(*, publication_id: int) -> Publication:
    """Render each format of the version from its stored source, store the files, mark it
    ready. On any error the version is marked failed with the error and the exception is
    raised again (the task backend records it too)."""
    publication = Publication.objects.select_related("audit").get(pk=publication_id)
    if publication.status != Publication.Status.QUEUED:
        return publication
    _progress(publication, 5, "Reading the document", status=Publication.Status.GENERATING)
    try:
        document = document_from_dict(publication.source)
        count = len(publication.formats)
        for index, fmt in enumerate(publication.formats):
            _progress(publication, 5 + 90 * index // count, f"Making the {fmt.upper()} file")
            content, content_type, ext = render(document, fmt)
            _store(publication, fmt, content, content_type, ext)
        Publication.objects.filter(pk=publication.pk).update(
            status=Publication.Status.READY,
            progress=100,
            step="Ready",
            published_at=timezone.now(),
        )
    except Exception as error:
        Publication.objects.filter(pk=publication.pk).update(
            status=Publication.Status.FAILED,
            step="Failed",
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    publication.refresh_from_db()
    return publication


def publication_file_read(*, file: PublicationFile, user=None, request=None) -> bytes:
    """The stored bytes of a ready version's file, checked against the recorded hash; the
    download is logged."""
    content = file.full_path.read_bytes()
    if hashlib.sha256(content).hexdigest() != file.sha256:
        raise ValueError("The stored file does not match its recorded hash")
    publication = file.publication
    access_event_record(
        action=Action.PUBLICATION_DOWNLOADED,
        request=request,
        user=user,
        partnership=publication.audit.partnership,
        obj=publication.audit,
        object_label=publication.audit.title,
        detail=f"{publication.title} version {publication.version} ({file.format})",
    )
    return content
