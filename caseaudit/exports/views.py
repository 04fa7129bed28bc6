"""The exports page of an audit and the downloads it links to.

Reached through `access.get_audit_results_for_user`: everyone with VIEW_RESULTS, and agency
auditors of the audit's agencies once the results are released. Once released, an agency
auditor's export holds every agency's returns, pseudonymised, as the collated view does
(DESIGN.md: nothing of another agency's answers *until* release); before release they get 404."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from caseaudit import access
from caseaudit.exports.forms import ExportForm
from caseaudit.exports.services import (
    EXPORTS,
    FORMATS,
    export_build,
    export_filename,
    may_identify,
)
from caseaudit.exports.writers import csv_lines, xlsx_tempfile


@require_GET
@access.membership_required()
def audit_exports(request: HttpRequest, pk: int) -> HttpResponse:
    member = request.membership
    audit = access.get_audit_results_for_user(member, pk)
    can_identify = may_identify(member)
    form = ExportForm(request.GET or None, can_identify=can_identify)
    if request.GET and form.is_valid():
        url = reverse(
            "audit_export_download",
            kwargs={
                "pk": audit.pk,
                "kind": form.cleaned_data["export"],
                "fmt": form.cleaned_data["format"],
            },
        )
        if form.cleaned_data.get("identifying"):
            url += "?identifying=1"
        return redirect(url)
    return render(
        request,
        "exports/audit_exports.html",
        {"audit": audit, "form": form, "can_identify": can_identify},
    )


@require_GET
@access.membership_required()
def audit_export_download(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    member = request.membership
    audit = access.get_audit_results_for_user(member, pk)
    if kind not in EXPORTS or fmt not in FORMATS:
        raise Http404("Page not found")
    identifying = request.GET.get("identifying") == "1"
    if identifying and not (EXPORTS[kind].identifying and may_identify(member)):
        raise Http404("Page not found")
    export = export_build(
        audit=audit,
        kind=kind,
        fmt=fmt,
        identifying=identifying,
        user=request.user,
        request=request,
        member=member,
    )
    filename = export_filename(audit, kind, fmt, identifying=identifying)
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(export), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            xlsx_tempfile(export, EXPORTS[kind].sheet),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Cache-Control"] = "no-store"
    return response
