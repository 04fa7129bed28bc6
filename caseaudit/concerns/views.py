"""The Cases of Concern register, opening a concern from a sampled case, setting its category,
the senior manager's review and the closure sign-off."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit import access
from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.roles import Permission
from caseaudit.concerns import selectors, services
from caseaudit.concerns.forms import (
    CategoryForm,
    CloseForm,
    ConcernOpenForm,
    RegisterFilterForm,
    ReviewForm,
)
from caseaudit.concerns.models import CATEGORY_DEFINITIONS, ConcernSource, ConcernStatus
from caseaudit.forms import apply_errors


def _may_list(member) -> bool:
    return member.can(Permission.VIEW_CONCERNS) or (
        member.can(Permission.COMPLETE_RETURNS) and member.agency_id is not None
    )


@require_GET
@access.membership_required()
def concern_register(request: HttpRequest) -> HttpResponse:
    """The list (for those who may open cases) and the figures (VIEW_CONCERN_FIGURES). Board
    viewers get the figures only; agency auditors the list of their own agency's only."""
    member = request.membership
    may_list = _may_list(member)
    may_count = member.can(Permission.VIEW_CONCERN_FIGURES)
    if not (may_list or may_count):
        raise Http404("Page not found")
    context: dict = {"may_list": may_list, "may_count": may_count}
    if may_list:
        concerns = access.concerns_for_user(member)
        audits = access.audits_for_user(member).filter(concerns__in=concerns).distinct()
        form = RegisterFilterForm(
            request.GET or None, teams=selectors.teams_of(concerns), audits=audits
        )
        data = form.cleaned_data if form.is_valid() else {}
        filters = selectors.RegisterFilters(
            status=data.get("status") or "",
            category=data.get("category") or "",
            team=data.get("team") or "",
            audit=data.get("audit"),
            overdue=bool(data.get("overdue")),
        )
        listed = selectors.concerns_filter(concerns, filters).select_related(
            "audit", "sampled_case", "sampled_case__case"
        )
        context.update(form=None, filter_form=form, concerns=listed[:500])
    if may_count:
        counted = access.concern_figures_for_user(member)
        context.update(
            summary=selectors.register_summary(counted),
            by_month=selectors.counts_by_month(counted),
            by_week=selectors.counts_by_week(counted)[-12:],
            by_team=selectors.counts_by_team(counted),
            recurrence_team=selectors.recurrence_by_team(counted),
            recurrence_worker=selectors.recurrence_by_worker(counted),
        )
    context["may_raise"] = member.can(Permission.RAISE_CONCERNS)
    return render(request, "concerns/register.html", context)


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.RAISE_CONCERNS)
def concern_new(request: HttpRequest) -> HttpResponse:
    member = request.membership
    cases = access.sampled_cases_for_concerns(member).order_by(
        "-sample__audit__created_at", "order"
    )
    initial = {}
    if request.GET.get("case", "").isdigit():
        initial["sampled_case"] = access.get_sampled_case_for_concerns(
            member, int(request.GET["case"])
        ).pk
    form = ConcernOpenForm(request.POST or None, cases=cases, initial=initial)
    if request.method == "POST" and form.is_valid():
        source = ConcernSource.MODERATOR if member.role == "moderator" else ConcernSource.AUDIT_LEAD
        try:
            concern = services.concern_open(
                sampled_case=form.cleaned_data["sampled_case"],
                user=request.user,
                source=source,
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                review_due=form.cleaned_data.get("review_due"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            access_event_record(
                action=Action.CONCERN_RAISED,
                request=request,
                obj=concern,
                object_label=concern.sampled_case.pseudonym,
                detail=f"Audit {concern.audit_id}, category {concern.category}",
            )
            messages.success(
                request,
                "Case of Concern opened"
                + (". The senior managers have been emailed" if concern.category == 1 else ""),
            )
            return redirect("concern_detail", pk=concern.pk)
    return render(
        request,
        "concerns/new.html",
        {"form": form, "definitions": CATEGORY_DEFINITIONS.items()},
    )


@require_GET
@access.membership_required()
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = request.membership
    concern = access.get_concern_for_user(member, pk)
    open_ = concern.status != ConcernStatus.CLOSED
    actions = access.actions_for_user(member).filter(concern=concern)
    return render(
        request,
        "concerns/detail.html",
        {
            "concern": concern,
            "events": concern.events.select_related("by"),
            "actions": actions,
            "definition": CATEGORY_DEFINITIONS.get(concern.category),
            "may_categorise": open_ and member.can(Permission.RAISE_CONCERNS),
            "may_review": concern.status == ConcernStatus.OPEN
            and concern.category is not None
            and member.can(Permission.REVIEW_CONCERNS),
            "may_close": concern.status == ConcernStatus.REVIEWED
            and member.can(Permission.REVIEW_CONCERNS),
            "may_add_action": open_ and member.can(Permission.MANAGE_ACTIONS),
            "overdue": concern.review_overdue(),
        },
    )


def _concern_step(request, pk, permission):
    member = request.membership
    if not member.can(permission):
        raise Http404("Page not found")
    return access.get_concern_for_user(member, pk)


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.RAISE_CONCERNS)
def concern_category(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern_step(request, pk, Permission.RAISE_CONCERNS)
    if concern.status == ConcernStatus.CLOSED:
        return redirect("concern_detail", pk=pk)
    form = CategoryForm(request.POST or None, initial={"category": concern.category})
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_categorise(
                concern=concern,
                user=request.user,
                category=form.cleaned_data["category"],
                review_due=form.cleaned_data.get("review_due"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            access_event_record(
                action=Action.CONCERN_CATEGORISED,
                request=request,
                obj=concern,
                object_label=concern.sampled_case.pseudonym,
                detail=f"Category {concern.category}",
            )
            messages.success(request, f"Category {concern.category} saved")
            return redirect("concern_detail", pk=pk)
    return render(
        request,
        "concerns/category.html",
        {"concern": concern, "form": form, "definitions": CATEGORY_DEFINITIONS.items()},
    )


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.REVIEW_CONCERNS)
def concern_review(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern_step(request, pk, Permission.REVIEW_CONCERNS)
    if concern.status != ConcernStatus.OPEN:
        return redirect("concern_detail", pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_review(
                concern=concern,
                user=request.user,
                action_taken=form.cleaned_data["action_taken"],
                assurance=form.cleaned_data["assurance"],
                review_date=form.cleaned_data["review_date"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            access_event_record(
                action=Action.CONCERN_REVIEWED,
                request=request,
                obj=concern,
                object_label=concern.sampled_case.pseudonym,
            )
            messages.success(request, "Review saved")
            return redirect("concern_detail", pk=pk)
    return render(request, "concerns/review.html", {"concern": concern, "form": form})


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.REVIEW_CONCERNS)
def concern_close(request: HttpRequest, pk: int) -> HttpResponse:
    concern = _concern_step(request, pk, Permission.REVIEW_CONCERNS)
    if concern.status != ConcernStatus.REVIEWED:
        return redirect("concern_detail", pk=pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_close(
                concern=concern,
                user=request.user,
                signed_off_name=form.cleaned_data["signed_off_name"],
                signed_off_role=form.cleaned_data["signed_off_role"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            access_event_record(
                action=Action.CONCERN_CLOSED,
                request=request,
                obj=concern,
                object_label=concern.sampled_case.pseudonym,
                detail=f"Signed off by {concern.signed_off_role}",
            )
            messages.success(request, "Case of Concern closed")
            return redirect("concern_detail", pk=pk)
    return render(request, "concerns/close.html", {"concern": concern, "form": form})
