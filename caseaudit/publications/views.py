"""Publications of an audit: the products with their versions, each product's preview with the
privacy check (accept a hit with a reason, publish), a version's progress and its downloads.
See docs/publishing.md."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from caseaudit import access
from caseaudit.accounts.roles import Permission
from caseaudit.documents.html import render_html
from caseaudit.publications import publishing
from caseaudit.publications.models import Publication
from caseaudit.publications.privacy import HitKind, hit_fingerprint
from caseaudit.publications.products import PRODUCTS
from caseaudit.publications.services import privacy_hit_accept

# Words either side of a hit shown on the page, so the lead can find it in the text.
CONTEXT_CHARS = 60


class AcceptHitForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why can this be published?",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why this can be published"},
        max_length=2000,
    )


def _product(key: str):
    product = PRODUCTS.get(key)
    if product is None:
        raise Http404("Page not found")
    return product


def _context_of(hit, texts: dict[str, str]) -> tuple[str, str, str]:
    text = texts.get(hit.location, "")
    start, end = hit.position, hit.end
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    return (
        ("…" if start > CONTEXT_CHARS else "") + before,
        text[start:end] or hit.text,
        after + ("…" if end + CONTEXT_CHARS < len(text) else ""),
    )


def _rows(hits, texts, bound: dict | None = None) -> list[dict]:
    """Each hit with what the page shows of it and its own acceptance form."""
    kinds = dict(HitKind.choices)
    rows = []
    for number, hit in enumerate(hits, start=1):
        fingerprint = hit_fingerprint(hit)
        form = (bound or {}).get(fingerprint) or AcceptHitForm(
            initial={"fingerprint": fingerprint}, prefix=f"hit-{number}"
        )
        before, found, after = _context_of(hit, texts)
        rows.append(
            {
                "number": number,
                "hit": hit,
                "kind": kinds.get(str(hit.kind), str(hit.kind)),
                "before": before,
                "found": found,
                "after": after,
                "form": form,
                "prefix": f"hit-{number}",
            }
        )
    return rows


def _preview_page(request, audit, product, *, bound=None, refused=False, status=200):
    document = publishing.product_document(audit=audit, product=product.key)
    texts = publishing.document_texts(document)
    hits = publishing.publication_hits(audit=audit, document=document)
    publishing.record_identifying_details_shown(audit=audit, hits=hits, request=request)
    rows = _rows(hits, dict(texts), bound)
    error_form = next((row["form"] for row in rows if row["form"].errors), None)
    return render(
        request,
        "publications/preview.html",
        {
            "audit": audit,
            "product": product,
            "preview": render_html(document),
            "rows": rows,
            "refused": refused,
            "error_form": error_form,
            "form": error_form,  # the page title starts "Error:" while a form has errors
            "versions": Publication.objects.filter(audit=audit, product=product.key),
        },
        status=status,
    )


@require_GET
@access.membership_required()
def publications_list(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_publications_for_user(request.membership, pk)
    can_publish = request.membership.can(Permission.PUBLISH)
    versions = Publication.objects.filter(audit=audit).prefetch_related("files")
    if not can_publish:
        versions = versions.filter(status=Publication.Status.READY)
    by_product = {key: [] for key in PRODUCTS}
    for version in versions:
        by_product.setdefault(version.product, []).append(version)
    return render(
        request,
        "publications/list.html",
        {
            "audit": audit,
            "can_publish": can_publish,
            "products": [(PRODUCTS[key], by_product[key]) for key in PRODUCTS],
        },
    )


@require_GET
@access.membership_required(Permission.PUBLISH)
def publication_preview(request: HttpRequest, pk: int, product: str) -> HttpResponse:
    audit = access.get_audit_for_publishing(request.membership, pk)
    return _preview_page(request, audit, _product(product))


@require_POST
@access.membership_required(Permission.PUBLISH)
def publication_hit_accept(request: HttpRequest, pk: int, product: str) -> HttpResponse:
    audit = access.get_audit_for_publishing(request.membership, pk)
    product = _product(product)
    prefix = request.POST.get("prefix", "")
    form = AcceptHitForm(request.POST, prefix=prefix or None)
    preview_url = reverse("publication_preview", args=[audit.pk, product.key])
    fingerprint = request.POST.get(f"{prefix}-fingerprint" if prefix else "fingerprint", "")
    document = publishing.product_document(audit=audit, product=product.key)
    hits = publishing.publication_hits(audit=audit, document=document)
    hit = next((h for h in hits if hit_fingerprint(h) == fingerprint), None)
    if hit is None:
        messages.info(request, "That detail is no longer in the document or is already accepted")
        return redirect(preview_url + "#privacy-check")
    if not form.is_valid():
        return _preview_page(request, audit, product, bound={fingerprint: form})
    try:
        privacy_hit_accept(
            audit=audit,
            hit=hit,
            reason=form.cleaned_data["reason"],
            user=request.user,
            request=request,
        )
    except ValidationError as error:
        form.add_error("reason", error.messages[0])
        return _preview_page(request, audit, product, bound={fingerprint: form})
    messages.success(request, "Accepted for publishing, with your reason")
    return redirect(preview_url + "#privacy-check")


@require_POST
@access.membership_required(Permission.PUBLISH)
def publication_publish(request: HttpRequest, pk: int, product: str) -> HttpResponse:
    audit = access.get_audit_for_publishing(request.membership, pk)
    product = _product(product)
    try:
        publication = publishing.publication_publish(
            audit=audit, product=product.key, user=request.user, request=request
        )
    except publishing.PrivacyCheckFailed:
        return _preview_page(request, audit, product, refused=True)
    # Ready, failed (the version's page says why) or, with a worker, queued (the page refreshes).
    return redirect("publication_version", audit.pk, publication.pk)


def _version(request, pk: int, version_pk: int) -> Publication:
    audit = access.get_audit_publications_for_user(request.membership, pk)
    publication = get_object_or_404(
        Publication.objects.select_related("audit", "published_by"), audit=audit, pk=version_pk
    )
    if not publication.is_ready and not request.membership.can(Permission.PUBLISH):
        raise Http404("Page not found")
    return publication


@require_GET
@access.membership_required()
def publication_version(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    publication = _version(request, pk, version_pk)
    return render(
        request,
        "publications/version.html",
        {
            "audit": publication.audit,
            "publication": publication,
            "files": publication.files.all(),
            "can_publish": request.membership.can(Permission.PUBLISH),
        },
    )


@require_GET
@access.membership_required()
def publication_download(request: HttpRequest, pk: int, version_pk: int, fmt: str):
    file = access.get_publication_file_for_user(request.membership, pk, version_pk, fmt)
    content = publishing.publication_file_read(file=file, user=request.user, request=request)
    response = HttpResponse(content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.download_name()}"'
    response["Content-Length"] = str(file.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response
