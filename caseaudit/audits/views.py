from datetime import date
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.roles import Permission
from caseaudit.audits import sample_services, sampling, services
from caseaudit.audits.forms import AuditForm, MoveForm, SampleDrawForm, SwapForm
from caseaudit.audits.models import ALLOWED_MOVES, SampledCase, Status
from caseaudit.forms import apply_errors
from caseaudit.population.models import PlanCategory, PopulationCase

# The fields of a sampled child that pages may show. Name, date of birth and child id are left
# out of the query, so they are neither decrypted nor reachable from a template; only the
# identifying-details panel reads them.
IDENTIFYING_FIELDS = access.IDENTIFYING_CASE_FIELDS

# Programme and planning -------------------------------------------------------------------------


@require_GET
@access.membership_required(Permission.VIEW_PROGRAMME)
def programme(request: HttpRequest) -> HttpResponse:
    """The rolling programme, month by month; audits not yet given a month come last."""
    audits = (
        access.audits_for_user(request.membership)
        .prefetch_related("agencies")
        .order_by(F("planned_month").asc(nulls_last=True), "created_at", "pk")
    )
    months = [
        {"month": month, "audits": list(group)}
        for month, group in groupby(audits, key=lambda audit: audit.planned_month)
    ]
    can_plan = request.membership.can(Permission.MANAGE_AUDITS)
    return render(request, "audits/programme.html", {"months": months, "can_plan": can_plan})


def _audit_form_fields(form: AuditForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("agencies")
    return data


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_AUDITS)
def audit_new(request: HttpRequest) -> HttpResponse:
    member = request.membership
    form = AuditForm(request.POST or None, agencies=access.agencies_for_user(member))
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_create(
                partnership=member.partnership,
                user=request.user,
                agencies=form.cleaned_data["agencies"],
                **_audit_form_fields(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Audit planned: {audit.title}")
            return redirect("audit_detail", pk=audit.pk)
    return render(request, "audits/audit_form.html", {"form": form, "audit": None})


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_AUDITS)
def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = request.membership
    audit = access.get_audit_for_user(member, pk)
    agencies = access.agencies_for_user(member)
    if request.method == "POST":
        form = AuditForm(request.POST, agencies=agencies)
    else:
        form = AuditForm(initial=AuditForm.initial_for(audit), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_update(
                audit=audit, agencies=form.cleaned_data["agencies"], **_audit_form_fields(form)
            )
        except ValidationError as error:
            audit.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, "Audit plan saved")
            return redirect("audit_detail", pk=audit.pk)
    return render(request, "audits/audit_form.html", {"form": form, "audit": audit})


# One audit and its lifecycle --------------------------------------------------------------------


def _detail_context(request: HttpRequest, audit) -> dict:
    can_manage = request.membership.can(Permission.MANAGE_AUDITS)
    return {
        "audit": audit,
        "agencies": audit.agencies.all(),
        "status_changes": audit.status_changes.select_related("changed_by"),
        "moves": [Status(status) for status in ALLOWED_MOVES[audit.status]] if can_manage else [],
        "can_manage": can_manage,
        "can_sample": request.membership.can(Permission.MANAGE_POPULATION),
        "can_write_findings": request.membership.can(Permission.WRITE_FINDINGS),
        "sample": getattr(audit, "sample", None),
        "can_see_results": access.audits_with_results_for_user(request.membership)
        .filter(pk=audit.pk)
        .exists(),
    }


@require_GET
@access.membership_required(Permission.VIEW_PROGRAMME)
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_for_user(request.membership, pk)
    return render(request, "audits/audit_detail.html", _detail_context(request, audit))


@require_POST
@access.membership_required(Permission.MANAGE_AUDITS)
def audit_move(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_for_user(request.membership, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.audit_move(
                audit=audit, to_status=form.cleaned_data["status"], user=request.user
            )
        except ValidationError as error:
            audit.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, f"Audit moved to {audit.get_status_display().lower()}")
            return redirect("audit_detail", pk=audit.pk)
    context = _detail_context(request, audit) | {"form": form}
    return render(request, "audits/audit_detail.html", context)


# Sample -----------------------------------------------------------------------------------------


def _sampled_cases(sample):
    return (
        SampledCase.objects.filter(sample=sample)
        .select_related("case", "removed_by", "replaces")
        .defer(*IDENTIFYING_FIELDS)
        .order_by("order")
    )


def _teams(member) -> list[str]:
    return list(
        PopulationCase.objects.filter(snapshot__partnership=member.partnership)
        .exclude(team="")
        .values_list("team", flat=True)
        .distinct()
        .order_by("team")
    )


def _draw_form(request: HttpRequest, audit, data=None) -> SampleDrawForm:
    member = request.membership
    snapshots = access.snapshots_for_user(member, Permission.MANAGE_POPULATION)
    sample = getattr(audit, "sample", None)
    seed = sampling.random_seed()
    if sample is not None:
        initial = SampleDrawForm.initial_from(sample, seed)
    else:
        latest = snapshots.first()
        initial = {"snapshot": latest.pk if latest else None, "seed": seed}
    return SampleDrawForm(data, initial=initial, snapshots=snapshots, teams=_teams(member))


def _make_up(sample, cases) -> dict:
    """Sample against population by gender, category and age band, for the current children."""
    population = sample_services.sample_candidates(sample.snapshot, characteristics=False)
    by_id = {candidate.id: candidate for candidate in population}
    current = [by_id[case.case_id] for case in cases if case.removed_at is None]
    return sampling.make_up(current, population, population)


def _sample_page(request: HttpRequest, audit, form=None) -> HttpResponse:
    sample = getattr(audit, "sample", None)
    context = {
        "audit": audit,
        "sample": sample,
        "form": form,
        "can_identify": request.membership.can(Permission.VIEW_IDENTIFYING_DETAILS),
        "can_raise_concern": request.membership.can(Permission.RAISE_CONCERNS),
        "can_add_action": request.membership.can(Permission.MANAGE_ACTIONS),
    }
    if sample is None:
        context["form"] = form or _draw_form(request, audit)
        context["has_snapshots"] = context["form"].fields["snapshot"].queryset.exists()
        return render(request, "audits/sample_draw.html", context)
    cases = list(_sampled_cases(sample))
    criteria = sampling.Criteria.from_dict(sample.criteria or {})
    context |= {
        "cases": [case for case in cases if case.removed_at is None],
        "swapped": [case for case in cases if case.removed_at is not None],
        "make_up": _make_up(sample, cases),
        "criteria": criteria,
        "categories": [PlanCategory(value).label.lower() for value in criteria.categories],
        "stratify": [
            label
            for key, label in sampling.STRATIFY_LABELS.items()
            if key in (sample.criteria or {}).get("stratify", [])
        ],
    }
    if not sample.is_locked:
        context["form"] = form or _draw_form(request, audit)
    return render(request, "audits/sample.html", context)


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_POPULATION)
def audit_sample(request: HttpRequest, pk: int) -> HttpResponse:
    """The sample: a form to draw it, then a preview to draw again or lock, then the locked
    sample with swaps. Posting the form draws (or, while unlocked, draws again)."""
    audit = access.get_audit_for_user(request.membership, pk)
    if request.method == "GET":
        return _sample_page(request, audit)
    form = _draw_form(request, audit, request.POST)
    if form.is_valid():
        try:
            sample = sample_services.sample_draw(
                audit=audit,
                snapshot=form.cleaned_data["snapshot"],
                size=form.cleaned_data["size"],
                seed=form.cleaned_data["seed"],
                criteria=form.criteria(),
                stratify=form.cleaned_data["stratify"],
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            result = sample.draw
            messages.success(
                request,
                f"{len(result.cases)} children drawn with seed {sample.seed}: "
                f"{result.eligible} of {result.population} could be sampled",
            )
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("audit_sample", pk=audit.pk)
    audit.refresh_from_db()
    return _sample_page(request, audit, form)


@require_POST
@access.membership_required(Permission.MANAGE_POPULATION)
def audit_sample_lock(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_for_user(request.membership, pk)
    sample = getattr(audit, "sample", None)
    if sample is None:
        raise Http404("Page not found")
    try:
        sample_services.sample_lock(sample=sample, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Sample locked. Swapping a child now needs a reason")
    return redirect("audit_sample", pk=audit.pk)


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_POPULATION)
def audit_sample_swap(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    audit = access.get_audit_for_user(request.membership, pk)
    sampled_case = access.get_sampled_case_for_user(request.membership, audit.pk, case_pk)
    form = SwapForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = sample_services.sample_swap(
                sampled_case=sampled_case, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{sampled_case.pseudonym} swapped for {new.pseudonym}")
            return redirect("audit_sample", pk=audit.pk)
    return render(
        request,
        "audits/sample_swap.html",
        {"audit": audit, "sampled_case": sampled_case, "form": form},
    )


@require_GET
@access.membership_required(Permission.VIEW_IDENTIFYING_DETAILS)
def audit_sample_identifying_details(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    """The one page that shows who a sampled child is. Every view is logged, by pseudonym."""
    audit = access.get_audit_for_user(request.membership, pk)
    sampled_case = access.get_sampled_case_for_user(
        request.membership, audit.pk, case_pk, identifying=True
    )
    access_event_record(
        action=Action.VIEW_IDENTIFYING_DETAILS,
        request=request,
        obj=sampled_case,
        object_label=sampled_case.pseudonym,
        detail=f"Audit {audit.pk}",
    )
    case = sampled_case.case
    return render(
        request,
        "audits/sample_identifying_details.html",
        {
            "audit": audit,
            "sampled_case": sampled_case,
            "case": case,
            "date_of_birth": date.fromisoformat(case.date_of_birth) if case.date_of_birth else None,
        },
    )
