"""Population pages: snapshots, importing an extract, column mappings, figures, benchmarks.

Everything here needs Permission.MANAGE_POPULATION (audit leads and partnership admins) and
reaches only the current partnership's rows. No page shows a child's name or id.
"""

import json
import secrets
import time
from urllib.parse import urlencode

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.accounts.roles import Permission
from caseaudit.crypto import decrypt_text, encrypt_text
from caseaudit.population import selectors, services
from caseaudit.population.charts import repeat_rate_chart
from caseaudit.population.forms import (
    BenchmarkForm,
    ImportForm,
    MappingColumnsForm,
    MappingUploadForm,
)
from caseaudit.population.models import Benchmark, ColumnMapping
from caseaudit.population.parsing import ExtractError, ImportIssue, issues_as_csv, read_header

MANAGE = Permission.MANAGE_POPULATION
SHOWN_PROBLEMS = 10
# The problems of a failed import are kept, encrypted, in the session this long for the
# download: they quote the file's values (a duplicated child id, a date of birth).
PROBLEMS_SECONDS = 10 * 60
PROBLEMS_SESSION_KEY = "population_import_problems"
MAPPING_SESSION_KEY = "population_mapping_headers"


def _mappings_for_user(request: HttpRequest):
    return access.column_mappings_for_user(request.membership, Permission.MANAGE_POPULATION)


def _issue_line(issue: ImportIssue) -> str:
    if issue.row is None:
        return issue.message
    if issue.column:
        return f"Row {issue.row}, column {issue.column}: {issue.message}"
    return f"Row {issue.row}: {issue.message}"


def _keep_problems(request: HttpRequest, issues: list[ImportIssue]) -> str:
    """Keeps one failed import's problems for the download; returns the key for its URL."""
    token = secrets.token_urlsafe(16)
    payload = json.dumps([[issue.row, issue.column, issue.message] for issue in issues])
    request.session[PROBLEMS_SESSION_KEY] = {
        "token": token,
        "expires": time.time() + PROBLEMS_SECONDS,
        "issues": encrypt_text(payload),
    }
    return token


def _problems_as_shown(error: ExtractError) -> str:
    count = len(error.issues)
    if count == 1:
        return "The file has a problem. Nothing has been imported"
    return f"The file has {count} problems. Nothing has been imported"


def _posted(request: HttpRequest) -> tuple:
    """Form data and files; bound on POST even when nothing was sent, so that an empty
    submission says what is missing."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


# Snapshots -------------------------------------------------------------------------------------


@require_GET
@access.membership_required(MANAGE)
def population(request: HttpRequest) -> HttpResponse:
    snapshots = access.snapshots_for_user(request.membership, MANAGE).select_related("imported_by")
    return render(
        request,
        "population/list.html",
        {"snapshots": snapshots, "mappings": _mappings_for_user(request)},
    )


@require_http_methods(["GET", "POST"])
@access.membership_required(MANAGE)
def population_import(request: HttpRequest) -> HttpResponse:
    mappings = list(_mappings_for_user(request).values_list("name", flat=True))
    form = ImportForm(
        *_posted(request),
        mappings=mappings,
        initial={"mapping": request.GET.get("mapping", "")},
    )
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            snapshot = services.population_import(
                partnership=request.membership.partnership,
                content=upload.read(),
                file_name=upload.name,
                user=request.user,
                mapping_name=form.cleaned_data.get("mapping", ""),
                request=request,
            )
        except ExtractError as error:
            form.add_error("file", _problems_as_shown(error))
            context["problems"] = [_issue_line(issue) for issue in error.issues[:SHOWN_PROBLEMS]]
            context["problem_count"] = len(error.issues)
            context["problems_url"] = reverse(
                "population_import_problems", args=[_keep_problems(request, error.issues)]
            )
        else:
            messages.success(
                request,
                f"{snapshot.row_count} children imported from {snapshot.file_name}",
            )
            return redirect("population_figures", pk=snapshot.pk)
    return render(request, "population/import.html", context)


@require_GET
@access.membership_required(MANAGE)
def population_import_problems(request: HttpRequest, token: str) -> HttpResponse:
    """Every problem of the last failed import, as a CSV file."""
    kept = request.session.get(PROBLEMS_SESSION_KEY)
    if not kept or not secrets.compare_digest(kept.get("token", ""), token):
        raise Http404("Page not found")
    if kept["expires"] < time.time():
        del request.session[PROBLEMS_SESSION_KEY]
        return render(request, "population/problems_expired.html", status=410)
    rows = json.loads(decrypt_text(kept["issues"]))
    issues = [ImportIssue(row, column, message) for row, column, message in rows]
    response = HttpResponse(issues_as_csv(issues), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="import-problems.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@access.membership_required(MANAGE)
def population_figures(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = access.get_snapshot_for_user(request.membership, pk, MANAGE)
    figures = selectors.population_figures(snapshot)
    comparison = selectors.benchmark_comparison(snapshot, figures)
    return render(
        request,
        "population/figures.html",
        {
            "snapshot": snapshot,
            "figures": figures,
            "comparison": comparison,
            "chart": repeat_rate_chart(comparison),
        },
    )


# Column mappings -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@access.membership_required(MANAGE)
def population_mapping_new(request: HttpRequest) -> HttpResponse:
    """Step 1: read only the header row of a file. The header names go in the session; the
    file itself is not kept (it holds children's details), so it is imported afterwards with
    the saved mapping."""
    form = MappingUploadForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            headers = read_header(upload.read(), upload.name)
        except ExtractError as error:
            form.add_error("file", error.issues[0].message if error.issues else str(error))
        else:
            request.session[MAPPING_SESSION_KEY] = {"headers": headers, "file_name": upload.name}
            return redirect("population_mapping_columns")
    return render(request, "population/mapping_upload.html", {"form": form})


@require_http_methods(["GET", "POST"])
@access.membership_required(MANAGE)
def population_mapping_columns(request: HttpRequest) -> HttpResponse:
    """Step 2: match each of our columns to one of the file's headers and name the mapping."""
    kept = request.session.get(MAPPING_SESSION_KEY)
    if not kept:
        return redirect("population_mapping_new")
    partnership = request.membership.partnership
    form = MappingColumnsForm(
        request.POST if request.method == "POST" else None,
        partnership=partnership,
        headers=kept["headers"],
    )
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["mapping_name"]
        try:
            ColumnMapping.objects.create(partnership=partnership, name=name, columns=form.columns())
        except IntegrityError:
            form.add_error(
                "mapping_name", f"A mapping called {name} already exists. Enter a different name"
            )
        else:
            del request.session[MAPPING_SESSION_KEY]
            messages.success(
                request, f"Mapping {name} saved. Now import {kept['file_name']} with it"
            )
            return redirect(reverse("population_import") + "?" + urlencode({"mapping": name}))
    return render(
        request,
        "population/mapping_columns.html",
        {"form": form, "file_name": kept["file_name"], "headers": kept["headers"]},
    )


# Benchmarks ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@access.membership_required(MANAGE)
def population_benchmarks(request: HttpRequest) -> HttpResponse:
    form = BenchmarkForm(
        request.POST if request.method == "POST" else None,
        initial={"measure": Benchmark.Measure.REPEAT_PLAN_RATE},
    )
    if request.method == "POST" and form.is_valid():
        benchmark = Benchmark(partnership=request.membership.partnership, **form.cleaned_data)
        benchmark.full_clean()
        benchmark.save()
        messages.success(request, f"Benchmark {benchmark.label} added")
        return redirect("population_benchmarks")
    return render(
        request,
        "population/benchmarks.html",
        {
            "form": form,
            "benchmarks": access.benchmarks_for_user(
                request.membership, Permission.MANAGE_POPULATION
            ),
        },
    )


@require_POST
@access.membership_required(MANAGE)
def population_benchmark_delete(request: HttpRequest, pk: int) -> HttpResponse:
    benchmark = access.get_benchmark_for_user(request.membership, pk, Permission.MANAGE_POPULATION)
    benchmark.delete()
    messages.success(request, f"Benchmark {benchmark.label} deleted")
    return redirect("population_benchmarks")
