"""The audit lead's pages for requests and returns: the audit's template, the tracker, creating,
sending and chasing requests, the agencies asked about each child, reminders, and per request
reassigning, the due date, reopening, inadmissible and the history of changes.

Pages show children by pseudonym only: no query here loads a child's identifying details."""

import datetime
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.models import Agency, User
from caseaudit.accounts.roles import Permission
from caseaudit.concerns.models import CaseOfConcern, ConcernStatus
from caseaudit.forms import apply_errors
from caseaudit.questionnaires.models import Option, TemplateVersion
from caseaudit.returns import services, services_lead
from caseaudit.returns.forms import ReasonForm
from caseaudit.returns.forms_lead import (
    OUTSTANDING_FILTER,
    CaseAgenciesForm,
    DueDateForm,
    ReassignForm,
    ReminderSettingsForm,
    ReopenForm,
    TemplateChoiceForm,
    TrackerFilterForm,
)
from caseaudit.returns.models import OUTSTANDING, AuditRequest, RequestStatus

manage_requests = access.membership_required(Permission.MANAGE_REQUESTS)
REOPENABLE = (RequestStatus.SUBMITTED, RequestStatus.DECLINED, RequestStatus.INADMISSIBLE)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _posted(request: HttpRequest):
    """The submitted data, so that a form is bound on POST even when nothing was posted."""
    return request.POST if request.method == "POST" else None


def _requests_of(request: HttpRequest, audit):
    return access.requests_for_user(request.membership).filter(audit=audit)


def _label(audit_request: AuditRequest) -> str:
    return f"{audit_request.sampled_case.pseudonym} ({audit_request.agency.name})"


def _back(request: HttpRequest, audit) -> str:
    """Where a button on the tracker returns to: the page it was pressed on (with its filters),
    when that is a page of this site; the tracker otherwise."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("audit_requests", args=[audit.pk])


# The audit's template ---------------------------------------------------------------------------


def _template_choices(templates, current: TemplateVersion | None) -> list[tuple[int, str]]:
    """The latest version of each template that is not archived; and the version in use, if it
    is older than its template's latest, so it can be kept."""
    versions = (
        TemplateVersion.objects.filter(template__in=templates, template__archived_at=None)
        .select_related("template")
        .order_by("template__name", "template_id", "-number")
    )
    choices, seen = [], set()
    for version in versions:
        if version.template_id in seen:
            if current is not None and version.pk == current.pk:
                choices.append((version.pk, f"{version} (in use now)"))
            continue
        seen.add(version.template_id)
        choices.append((version.pk, str(version)))
    return choices


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_AUDITS)
def audit_template(request: HttpRequest, pk: int) -> HttpResponse:
    member = request.membership
    audit = access.get_audit_for_user(member, pk)
    templates = access.templates_for_user(member, Permission.MANAGE_TEMPLATES)
    current = (
        TemplateVersion.objects.select_related("template").get(pk=audit.template_version_id)
        if audit.template_version_id
        else None
    )
    context = {"audit": audit, "current": current}
    if _requests_of(request, audit).exclude(status=RequestStatus.NOT_SENT).exists():
        if request.method == "POST":
            messages.error(request, "Requests have been sent, so the template cannot be changed")
            return redirect("audit_template", pk=audit.pk)
        return render(request, "returns/lead/template.html", context | {"locked": True})
    latest = current.template.latest_version() if current else None
    form = TemplateChoiceForm(
        _posted(request),
        initial={"version": current.pk if current else None},
        choices=_template_choices(templates, current),
    )
    if request.method == "POST" and form.is_valid():
        version = get_object_or_404(
            TemplateVersion.objects.select_related("template"),
            pk=form.cleaned_data["version"],
            template__in=templates,
        )
        try:
            moved = services_lead.audit_template_set(audit=audit, version=version)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            text = f"Template chosen: {version}"
            if moved:
                text += f". {_plural(moved, 'request', 'requests')} not sent yet now use it"
            messages.success(request, text)
            return redirect("audit_detail", pk=audit.pk)
    context |= {
        "form": form,
        "newer": latest if latest and current and latest.number > current.number else None,
    }
    return render(request, "returns/lead/template.html", context)


# The tracker ------------------------------------------------------------------------------------


def _filter_by_status(requests, status: str, today: datetime.date):
    """The list's status filter matches the status it shows (AuditRequest.display_status):
    a request still waiting after its due date shows, and filters, as late."""
    overdue = Q(status__in=OUTSTANDING, due_date__lt=today)
    if status == OUTSTANDING_FILTER:
        return requests.filter(status__in=OUTSTANDING)
    if status == RequestStatus.LATE:
        return requests.filter(overdue | Q(status=RequestStatus.LATE))
    if status in OUTSTANDING:
        return requests.filter(status=status).exclude(overdue)
    return requests.filter(status=status)


def _case_rows(audit, requests, today: datetime.date) -> list[dict]:
    """Counts per child: every child now in the sample (with no requests yet, all zero) and any
    swapped-out child that still has requests."""
    rows = {
        row["sampled_case_id"]: row
        for row in services_lead.tracker_groups(
            requests, ["sampled_case_id", "sampled_case__pseudonym", "sampled_case__order"], today
        )
    }
    for case in services.active_cases(audit).only("pk", "pseudonym", "order"):
        rows.setdefault(
            case.pk,
            {
                "sampled_case_id": case.pk,
                "sampled_case__pseudonym": case.pseudonym,
                "sampled_case__order": case.order,
                "total": 0,
                "response_rate": None,
                **dict.fromkeys(services_lead.COUNTS, 0),
            },
        )
    active = set(services.active_cases(audit).values_list("pk", flat=True))
    concerns = set(
        CaseOfConcern.objects.filter(audit=audit, status=ConcernStatus.OPEN).values_list(
            "sampled_case_id", flat=True
        )
    )
    for pk, row in rows.items():
        row["name"] = row["sampled_case__pseudonym"]
        row["concern"] = pk in concerns
        if pk in active:
            row["link"] = reverse("audit_case_agencies", args=[audit.pk, pk])
        else:
            row["note"] = "swapped out"
    return sorted(rows.values(), key=lambda row: row["sampled_case__order"])


def reminder_summary(settings) -> str:
    """The reminder settings in one plain sentence."""
    parts = []
    if settings.before_days:
        parts.append(f"{_plural(settings.before_days, 'day', 'days')} before the due date")
    if settings.on_due_date:
        parts.append("on the due date")
    after = settings.after_days or 1
    late = f"{_plural(after, 'day', 'days')} after it"
    if settings.after_every_days:
        late += f", then every {_plural(settings.after_every_days, 'day', 'days')} until returned"
    parts.append(late)
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"Reminders go {text}."


@require_GET
@manage_requests
def audit_requests(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_for_user(request.membership, pk)
    today = timezone.localdate()
    requests = _requests_of(request, audit)
    counts = services.tracker_counts(requests, today)
    counts["rate"] = services_lead.percent(counts["returned"], counts["sent"])
    by_agency = sorted(
        services_lead.tracker_groups(requests, ["agency_id", "agency__name"], today),
        key=lambda row: row["agency__name"].lower(),
    )
    for row in by_agency:
        row["name"] = row["agency__name"]
    agencies = Agency.objects.filter(Q(audits=audit) | Q(pk__in=requests.values("agency")))
    filters = TrackerFilterForm(request.GET or None, agencies=agencies.distinct().order_by("name"))
    listed = requests.select_related("sampled_case", "agency", "assignee")
    if agency := filters.value("agency"):
        listed = listed.filter(agency_id=agency)
    if status := filters.value("status"):
        listed = _filter_by_status(listed, status, today)
    rows = [
        {
            "request": item,
            "status": item.display_status(today),
            "can_chase": item.status in OUTSTANDING and item.assignee_id is not None,
        }
        for item in listed.order_by("sampled_case__order", "agency__name")
    ]
    sample = getattr(audit, "sample", None)
    return render(
        request,
        "returns/lead/requests.html",
        {
            "audit": audit,
            "counts": counts,
            "by_agency": by_agency,
            "by_case": _case_rows(audit, requests, today),
            "filters": filters,
            "filtered": bool(filters.value("agency") or filters.value("status")),
            "rows": rows,
            "sample": sample,
            "can_create": bool(sample and sample.is_locked and audit.template_version_id),
            "to_send": requests.filter(
                status=RequestStatus.NOT_SENT, assignee__isnull=False
            ).count(),
            "unassigned": requests.filter(
                status=RequestStatus.NOT_SENT, assignee__isnull=True
            ).count(),
            "to_chase": requests.filter(status__in=OUTSTANDING, assignee__isnull=False).count(),
            "reminders": reminder_summary(services.reminder_settings(audit)),
            "here": request.get_full_path(),
        },
    )


@require_http_methods(["GET", "POST"])
@manage_requests
def audit_requests_create(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_for_user(request.membership, pk)
    sample = getattr(audit, "sample", None)
    agencies = list(audit.agencies.order_by("name"))
    ready = bool(sample and sample.is_locked and audit.template_version_id and agencies)
    today = timezone.localdate()
    due = audit.returns_due if audit.returns_due and audit.returns_due >= today else None
    form = DueDateForm(
        _posted(request), initial={"due_date": due}, label="When are the returns due?"
    )
    if request.method == "POST" and ready and form.is_valid():
        try:
            made = services.requests_create(
                audit=audit, user=request.user, due_date=form.cleaned_data["due_date"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if made:
                messages.success(
                    request,
                    f"{_plural(made, 'request', 'requests')} created. Check who is assigned, "
                    "then send them",
                )
            else:
                messages.info(
                    request,
                    "No new requests were needed: every child already has a request for each "
                    "agency named for them",
                )
            without = services.active_cases(audit).filter(requests__isnull=True).count()
            if without:
                messages.warning(
                    request,
                    f"{_plural(without, 'child has', 'children have')} no agency of this audit "
                    "named in the case list: choose their agencies below",
                )
            return redirect("audit_requests", pk=audit.pk)
    return render(
        request,
        "returns/lead/requests_create.html",
        {
            "audit": audit,
            "form": form,
            "sample": sample,
            "agencies": agencies,
            "ready": ready,
            "children": services.active_cases(audit).count() if sample else 0,
        },
    )


@require_POST
@manage_requests
def audit_requests_send(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_for_user(request.membership, pk)
    result = services.requests_send(audit=audit, user=request.user)
    if result.sent:
        access_event_record(
            action=Action.REQUESTS_SENT,
            request=request,
            obj=audit,
            object_label=audit.title,
            detail=f"{_plural(result.sent, 'request', 'requests')} sent",
        )
    text = f"{_plural(result.sent, 'request', 'requests')} sent." if result.sent else ""
    if result.without_assignee:
        verb = "was" if result.without_assignee == 1 else "were"
        text += (
            f" {result.without_assignee} {verb} not sent because nobody is assigned: "
            "assign someone first"
        )
        messages.warning(request, text.strip())
    elif result.sent:
        messages.success(request, text + " Each assignee has been emailed a link")
    else:
        messages.info(request, "There are no requests waiting to be sent")
    return redirect("audit_requests", pk=audit.pk)


@require_http_methods(["GET", "POST"])
@manage_requests
def audit_requests_chase(request: HttpRequest, pk: int) -> HttpResponse:
    """Chase everything outstanding: a page to confirm, then one email to each request's
    assignee."""
    audit = access.get_audit_for_user(request.membership, pk)
    requests = _requests_of(request, audit)
    if request.method == "POST":
        chased = services.requests_chase(audit=audit, user=request.user)
        if chased:
            messages.success(
                request,
                f"{_plural(chased, 'request', 'requests')} chased: each assignee has been "
                "emailed a reminder",
            )
        else:
            messages.info(request, "There are no outstanding requests to chase")
        return redirect("audit_requests", pk=audit.pk)
    outstanding = requests.filter(status__in=OUTSTANDING)
    return render(
        request,
        "returns/lead/requests_chase.html",
        {
            "audit": audit,
            "to_chase": outstanding.filter(assignee__isnull=False).count(),
            "unassigned": outstanding.filter(assignee__isnull=True).count(),
            "by_agency": services_lead.tracker_groups(
                outstanding.filter(assignee__isnull=False), ["agency__name"]
            ),
        },
    )


# The agencies asked about one child -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@manage_requests
def audit_case_agencies(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    member = request.membership
    audit = access.get_audit_for_user(member, pk)
    case = access.get_sampled_case_for_user(member, audit.pk, case_pk)
    if case.removed_at is not None:
        raise Http404("Page not found")
    current = list(_requests_of(request, audit).filter(sampled_case=case).select_related("agency"))
    today = timezone.localdate()
    due = next((r.due_date for r in current), None) or audit.returns_due
    form = CaseAgenciesForm(
        _posted(request),
        agencies=audit.agencies.order_by("name"),
        initial={
            "agencies": [r.agency_id for r in current],
            "due_date": due if due and due >= today else None,
        },
    )
    ready = case.sample.is_locked and audit.template_version_id
    if request.method == "POST" and ready and form.is_valid():
        try:
            services.request_set_agencies(
                audit=audit,
                case=case,
                agencies=list(form.cleaned_data["agencies"]),
                user=request.user,
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            form.add_error("agencies", error.messages)
        else:
            names = ", ".join(agency.name for agency in form.cleaned_data["agencies"])
            messages.success(request, f"Agencies asked about {case.pseudonym}: {names}")
            return redirect("audit_requests", pk=audit.pk)
    return render(
        request,
        "returns/lead/case_agencies.html",
        {
            "audit": audit,
            "case": case,
            "form": form,
            "ready": ready,
            "named": case.case.agencies,
            "sent": [r for r in current if r.status != RequestStatus.NOT_SENT],
        },
    )


# Reminders --------------------------------------------------------------------------------------


def reminder_dates(settings, due: datetime.date, days_after: int = 30) -> list[dict]:
    """The days reminders would go for a request due on `due` that is never returned, up to
    `days_after` days after it, worked out with the nightly task's own rule."""
    request = SimpleNamespace(due_date=due)
    sent: dict = {}
    dates = []
    for offset in range(-61, days_after + 1):
        day = due + datetime.timedelta(days=offset)
        kind = services.reminder_due(request, settings, day, sent)
        if kind:
            sent[kind] = day
            if offset:
                days = _plural(abs(offset), "day", "days")
                when = f"{days} {'before' if offset < 0 else 'after'} the due date"
            else:
                when = "On the due date"
            dates.append({"date": day, "when": when})
    return dates


@require_http_methods(["GET", "POST"])
@manage_requests
def audit_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_for_user(request.membership, pk)
    settings = services.reminder_settings(audit)
    form = ReminderSettingsForm(
        _posted(request), initial=ReminderSettingsForm.initial_from(settings)
    )
    if request.method == "POST" and form.is_valid():
        for name, value in form.cleaned_data.items():
            setattr(settings, name, value)
        settings.full_clean()
        settings.save()
        messages.success(request, f"Reminder settings saved. {reminder_summary(settings)}")
        return redirect("audit_requests", pk=audit.pk)
    today = timezone.localdate()
    example = audit.returns_due
    if example is None or example < today:
        example = today + datetime.timedelta(days=28)
    return render(
        request,
        "returns/lead/reminders.html",
        {
            "audit": audit,
            "form": form,
            "summary": reminder_summary(settings),
            "example_due": example,
            "example": reminder_dates(settings, example),
        },
    )


# One request ------------------------------------------------------------------------------------


def _managed_request(request: HttpRequest, pk: int) -> AuditRequest:
    """A request of the member's partnership; the view's decorator has checked MANAGE_REQUESTS."""
    return access.get_request_for_user(request.membership, pk)


@require_http_methods(["GET", "POST"])
@access.membership_required()
def return_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """The audit lead reassigns any request; an agency lead (an agency auditor marked as such)
    those of their own agency. Either way the new assignee audits for the request's agency."""
    member = request.membership
    audit_request = access.get_request_for_user(member, pk)
    manages = member.can(Permission.MANAGE_REQUESTS)
    agency_lead = (
        member.can(Permission.COMPLETE_RETURNS)
        and member.is_agency_lead
        and member.agency_id == audit_request.agency_id
    )
    if not (manages or agency_lead):
        raise Http404("Page not found")
    people = services.agency_auditors(audit_request.agency, audit_request.audit.partnership)
    form = ReassignForm(
        _posted(request),
        people=User.objects.filter(pk__in=[person.pk for person in people]).order_by(
            "full_name", "email"
        ),
        agency=audit_request.agency,
        initial={"assignee": audit_request.assignee_id},
    )
    if request.method == "POST" and form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            services.request_reassign(request=audit_request, user=request.user, assignee=assignee)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            text = (
                f"{assignee.get_full_name()} will complete the return for {_label(audit_request)}"
            )
            if audit_request.status != RequestStatus.NOT_SENT:
                text += ". They have been emailed a link"
            messages.success(request, text)
            if manages:
                return redirect("audit_requests", pk=audit_request.audit_id)
            return redirect("return_start", pk=audit_request.pk)
    return render(
        request,
        "returns/lead/reassign.html",
        {
            "audit_request": audit_request,
            "form": form,
            "people": people,
            "manages": manages,
            "can_invite": member.can(Permission.MANAGE_PEOPLE),
        },
    )


@require_http_methods(["GET", "POST"])
@manage_requests
def return_due_date(request: HttpRequest, pk: int) -> HttpResponse:
    audit_request = _managed_request(request, pk)
    form = DueDateForm(
        _posted(request),
        initial={"due_date": audit_request.due_date},
        label=f"When is the return for {audit_request.sampled_case.pseudonym} due?",
    )
    if request.method == "POST" and form.is_valid():
        services.request_set_due_date(
            request=audit_request, user=request.user, due_date=form.cleaned_data["due_date"]
        )
        messages.success(
            request,
            f"The return for {_label(audit_request)} is now due on "
            f"{audit_request.due_date:%-d %B %Y}",
        )
        return redirect("audit_requests", pk=audit_request.audit_id)
    return render(
        request, "returns/lead/due_date.html", {"audit_request": audit_request, "form": form}
    )


@require_POST
@manage_requests
def return_chase(request: HttpRequest, pk: int) -> HttpResponse:
    audit_request = _managed_request(request, pk)
    chased = services.requests_chase(
        audit=audit_request.audit, user=request.user, requests=[audit_request]
    )
    if chased:
        messages.success(
            request,
            f"Reminder emailed to {audit_request.assignee.get_full_name()} about "
            f"{_label(audit_request)}",
        )
    elif audit_request.assignee_id is None:
        messages.warning(
            request,
            f"{_label(audit_request)} was not chased because nobody is assigned: assign "
            "someone first",
        )
    else:
        messages.warning(
            request,
            f"{_label(audit_request)} was not chased because it is not waiting for the agency",
        )
    return redirect(_back(request, audit_request.audit))


@require_http_methods(["GET", "POST"])
@manage_requests
def return_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    audit_request = _managed_request(request, pk)
    form = ReopenForm(
        _posted(request),
        label=f"Why are you reopening the return for {audit_request.sampled_case.pseudonym}?",
        hint="The agency's auditor sees this reason. Do not include the child's name.",
        message="Enter the reason for reopening the return",
    )
    allowed = audit_request.status in REOPENABLE
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.request_reopen(
                request=audit_request,
                user=request.user,
                reason=form.cleaned_data["reason"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            access_event_record(
                action=Action.RETURN_REOPENED,
                request=request,
                obj=audit_request,
                object_label=str(audit_request),
                detail=f"Audit {audit_request.audit_id}",
            )
            messages.success(
                request,
                f"Return reopened: {audit_request.agency.name} can change its answers and "
                "submit again",
            )
            return redirect("return_start", pk=audit_request.pk)
    return render(
        request,
        "returns/lead/reopen.html",
        {"audit_request": audit_request, "form": form, "allowed": allowed},
    )


@require_http_methods(["GET", "POST"])
@manage_requests
def return_inadmissible(request: HttpRequest, pk: int) -> HttpResponse:
    audit_request = _managed_request(request, pk)
    form = ReasonForm(
        _posted(request),
        label=f"Why can the return for {audit_request.sampled_case.pseudonym} not be used?",
        hint="For example, it is about the wrong period. The agency's auditor sees this "
        "reason. Do not include the child's name.",
        message="Enter the reason the return cannot be used",
    )
    allowed = audit_request.status not in (RequestStatus.NOT_SENT, RequestStatus.INADMISSIBLE)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.request_inadmissible(
                request=audit_request, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            access_event_record(
                action=Action.RETURN_INADMISSIBLE,
                request=request,
                obj=audit_request,
                object_label=str(audit_request),
                detail=f"Audit {audit_request.audit_id}",
            )
            messages.success(
                request,
                f"The return for {_label(audit_request)} is marked inadmissible: it is left "
                "out of the collated results",
            )
            return redirect("return_start", pk=audit_request.pk)
    return render(
        request,
        "returns/lead/inadmissible.html",
        {"audit_request": audit_request, "form": form, "allowed": allowed},
    )


def _readable(question, data, labels: dict) -> dict:
    """One side of a change to an answer, as the page shows it."""
    if not data:
        return {"answer": "No answer", "comment": ""}
    options = [labels.get((question.pk, key), key) for key in data.get("options") or []]
    value = data.get("value") or ""
    if value and question.type == "date":
        # Dates are stored checked, as ISO dates.
        value = f"{datetime.date.fromisoformat(value):%-d %B %Y}"
    return {
        "answer": ", ".join(options) or value or "No answer",
        "comment": data.get("comment") or "",
    }


@require_GET
@manage_requests
def return_history(request: HttpRequest, pk: int) -> HttpResponse:
    audit_request = _managed_request(request, pk)
    revisions = list(
        audit_request.revisions.select_related("changed_by", "question", "question__section")
    )
    labels = {
        (question_id, key): label
        for question_id, key, label in Option.objects.filter(
            question__in={revision.question_id for revision in revisions}
        ).values_list("question_id", "key", "label")
    }
    changes = []
    for revision in revisions:
        old = _readable(revision.question, revision.old, labels)
        new = _readable(revision.question, revision.new, labels)
        changes.append(
            {
                "revision": revision,
                "old": old,
                "new": new,
                "answer_changed": old["answer"] != new["answer"],
                "comment_changed": old["comment"] != new["comment"],
            }
        )
    return render(
        request,
        "returns/lead/history.html",
        {
            "audit_request": audit_request,
            "events": audit_request.events.select_related("by"),
            "changes": changes,
            "status": audit_request.display_status(),
        },
    )
