"""Actions: the tracker, the list, "your actions", creating one (from a child's case or a Case
of Concern), completing it with evidence and cancelling it with a reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from caseaudit import access
from caseaudit.accesslog.models import Action as LogAction
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.roles import Permission
from caseaudit.actions import selectors, services
from caseaudit.actions.forms import ActionForm, CancelForm, CompleteForm
from caseaudit.actions.models import ActionStatus
from caseaudit.concerns.models import ConcernStatus
from caseaudit.forms import apply_errors

STATES = [
    ("", "All"),
    ("open", "Open"),
    ("overdue", "Overdue"),
    ("not_yet_due", "Not yet due"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
]


@require_GET
@access.membership_required(Permission.VIEW_ACTION_TRACKER)
def action_tracker(request: HttpRequest) -> HttpResponse:
    member = request.membership
    actions = access.action_tracker_for_user(member)
    audits = access.audits_for_user(member).filter(actions__isnull=False).distinct()
    audit_id = request.GET.get("audit", "")
    if audit_id.isdigit():
        actions = actions.filter(audit_id=int(audit_id))
    rows = selectors.tracker_by_month(actions)
    return render(
        request,
        "actions/tracker.html",
        {
            "rows": rows,
            "totals": selectors.tracker_totals(rows),
            "audits": audits,
            "audit_id": int(audit_id) if audit_id.isdigit() else None,
            "today": timezone.localdate(),
            "may_list": member.can(Permission.VIEW_ACTIONS),
        },
    )


def _list(request, actions, template, title):
    state = request.GET.get("state", "")
    if state not in dict(STATES):
        state = ""
    listed = selectors.action_filter(actions, state=state).order_by("due_date", "pk")
    page = Paginator(listed, 100).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "actions": page.object_list,
            "page": page,
            "count": page.paginator.count,
            "states": STATES,
            "state": state,
            "title": title,
            "today": timezone.localdate(),
            "may_create": request.membership.can(Permission.MANAGE_ACTIONS),
        },
    )


@require_GET
@access.membership_required(Permission.VIEW_ACTIONS)
def action_list(request: HttpRequest) -> HttpResponse:
    return _list(
        request, access.actions_for_user(request.membership), "actions/list.html", "Actions"
    )


@require_GET
@access.membership_required(Permission.OWN_ACTIONS)
def my_actions(request: HttpRequest) -> HttpResponse:
    actions = access.actions_for_user(request.membership).filter(owner=request.membership)
    return _list(request, actions, "actions/list.html", "Your actions")


def _create(request, *, concern=None, recommendation=None):
    member = request.membership
    cases = None
    initial = {}
    if recommendation is not None:
        initial["what"] = recommendation.text
    elif concern is None:
        cases = access.sampled_cases_for_concerns(member).order_by(
            "-sample__audit__created_at", "order"
        )
        if request.GET.get("case", "").isdigit():
            initial["sampled_case"] = access.get_sampled_case_for_concerns(
                member, int(request.GET["case"])
            ).pk
    form = ActionForm(
        request.POST or None,
        owners=services.owner_choices(member.partnership),
        senior_managers=services.senior_manager_choices(member.partnership),
        cases=cases,
        initial=initial,
        for_child=recommendation is None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(
                partnership=member.partnership,
                user=request.user,
                owner=data["owner"],
                what=data["what"],
                due_date=data["due_date"],
                success_measure=data["success_measure"],
                escalate_to=data.get("escalate_to"),
                sampled_case=data.get("sampled_case"),
                concern=concern,
                source=recommendation,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if recommendation is not None:
                label = f"Recommendation {recommendation.number}"
            else:
                label = action.sampled_case.pseudonym if action.sampled_case else ""
            access_event_record(
                action=LogAction.ACTION_CREATED,
                request=request,
                obj=action,
                object_label=label,
                detail=f"Owner {action.owner.user.email}",
            )
            messages.success(request, "Action added. Its owner has been told")
            if recommendation is not None:
                return redirect(
                    "findings_recommendation_actions", recommendation.audit_id, recommendation.pk
                )
            return redirect("action_detail", pk=action.pk)
    return render(
        request,
        "actions/new.html",
        {"form": form, "concern": concern, "recommendation": recommendation},
    )


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_ACTIONS)
def action_new(request: HttpRequest) -> HttpResponse:
    return _create(request)


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_ACTIONS)
def action_new_from_concern(request: HttpRequest, pk: int) -> HttpResponse:
    concern = access.get_concern_for_user(request.membership, pk)
    if concern.status == ConcernStatus.CLOSED:
        return redirect("concern_detail", pk=pk)
    return _create(request, concern=concern)


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_ACTIONS)
def action_new_from_recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = access.get_recommendation_for_actions(request.membership, pk)
    return _create(request, recommendation=recommendation)


def _recommendation_of(action):
    """The recommendation the action answers, if it answers one (of its own partnership)."""
    from caseaudit.findings.models import Recommendation

    if action.source_type_id is None or action.source_type.model_class() is not Recommendation:
        return None
    return (
        Recommendation.objects.filter(
            pk=action.source_id, audit__partnership_id=action.partnership_id
        )
        .select_related("audit")
        .first()
    )


def _may_complete(member, action) -> bool:
    return action.status == ActionStatus.OPEN and (
        action.owner_id == member.pk or member.can(Permission.MANAGE_ACTIONS)
    )


@require_GET
@access.membership_required()
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = request.membership
    action = access.get_action_for_user(member, pk)
    may_see_concern = (
        action.concern_id is not None
        and access.concerns_for_user(member).filter(pk=action.concern_id).exists()
    )
    recommendation = _recommendation_of(action)
    may_see_recommendation = (
        recommendation is not None
        and member.can(Permission.WRITE_FINDINGS)
        and member.can(Permission.MANAGE_ACTIONS)
        and access.recommendations_for_actions(member).filter(pk=recommendation.pk).exists()
    )
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "overdue": action.is_overdue(),
            "may_complete": _may_complete(member, action),
            "may_cancel": action.status == ActionStatus.OPEN
            and member.can(Permission.MANAGE_ACTIONS),
            "may_see_concern": may_see_concern,
            "recommendation": recommendation,
            "may_see_recommendation": may_see_recommendation,
        },
    )


@require_http_methods(["GET", "POST"])
@access.membership_required()
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    member = request.membership
    action = access.get_action_for_user(member, pk)
    if not (action.owner_id == member.pk or member.can(Permission.MANAGE_ACTIONS)):
        raise Http404("Page not found")
    if action.status != ActionStatus.OPEN:
        return redirect("action_detail", pk=pk)
    form = CompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_complete(
                action=action, user=request.user, evidence=form.cleaned_data["evidence"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            access_event_record(action=LogAction.ACTION_COMPLETED, request=request, obj=action)
            messages.success(request, "Action completed")
            return redirect("action_detail", pk=pk)
    return render(request, "actions/complete.html", {"action": action, "form": form})


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_ACTIONS)
def action_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    action = access.get_action_for_user(request.membership, pk)
    if action.status != ActionStatus.OPEN:
        return redirect("action_detail", pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_cancel(
                action=action, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            access_event_record(action=LogAction.ACTION_CANCELLED, request=request, obj=action)
            messages.success(request, "Action cancelled")
            return redirect("action_detail", pk=pk)
    return render(request, "actions/cancel.html", {"action": action, "form": form})
