"""The agency auditor's return form: their requests, a page per template section, check your
answers, submit; autosave as they type; decline; raise an immediate concern.

Answers are only ever kept on the server. Every save carries the version of the return the
page was drawn from, so a save from an out-of-date page is refused rather than overwriting
someone's newer answers."""

import hashlib
import json
import secrets
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.roles import Permission
from caseaudit.questionnaires.models import Section
from caseaudit.returns import services
from caseaudit.returns.answers import AnswerError, Value, check_value
from caseaudit.returns.forms import (
    ConcernForm,
    ReasonForm,
    field_name,
    initial_for,
    section_form,
)
from caseaudit.returns.models import (
    OUTSTANDING,
    AuditRequest,
    PendingSave,
    RequestStatus,
)

PENDING_SAVE_DAYS = 1
PENDING_SAVE_MAX_BYTES = 400_000


def can_edit(member, audit_request: AuditRequest) -> bool:
    """Agency auditors of the request's agency complete it while it is open."""
    return (
        member.can(Permission.COMPLETE_RETURNS)
        and member.agency_id == audit_request.agency_id
        and audit_request.is_editable
    )


def _editable_request(request: HttpRequest, pk: int) -> AuditRequest:
    audit_request = access.get_request_for_user(request.membership, pk)
    if not (
        request.membership.can(Permission.COMPLETE_RETURNS)
        and request.membership.agency_id == audit_request.agency_id
    ):
        raise Http404("Page not found")
    return audit_request


def _sections(audit_request: AuditRequest) -> list[Section]:
    return list(Section.objects.filter(version=audit_request.template_version).order_by("order"))


def _section(sections: list[Section], number: int) -> Section:
    if not 1 <= number <= len(sections):
        raise Http404("Page not found")
    return sections[number - 1]


def _values_by_key(questions, values) -> dict[str, Value]:
    return {q.key: values[q.pk] for q in questions if q.pk in values}


def _section_states(audit_request, sections, questions, values) -> list[dict]:
    """For the task list: each section with Completed / In progress / Not yet started."""
    visible = {q.pk for q in services.visible_questions(questions, values)}
    states = []
    for number, section in enumerate(sections, start=1):
        asked = [q for q in questions if q.section_id == section.pk and q.pk in visible]
        answered = [q for q in asked if values.get(q.pk, Value()).is_answered]
        missing = [q for q in asked if q.required and q not in answered]
        if asked and not missing:
            state = "completed"
        elif answered:
            state = "in_progress"
        else:
            state = "not_started"
        states.append({"number": number, "section": section, "state": state})
    return states


# My returns ------------------------------------------------------------------------------------


@require_GET
@access.membership_required(Permission.COMPLETE_RETURNS)
def my_returns(request: HttpRequest) -> HttpResponse:
    member = request.membership
    requests = (
        access.requests_for_user(member)
        .select_related("audit", "agency", "assignee", "sampled_case")
        .order_by("due_date", "audit__title", "sampled_case__order")
    )
    today = timezone.localdate()
    mine = [r for r in requests if r.assignee_id == request.user.pk and r.status in OUTSTANDING]
    others = [r for r in requests if r.assignee_id != request.user.pk and r.status in OUTSTANDING]
    done = [r for r in requests if r.status not in OUTSTANDING]
    return render(
        request,
        "returns/my_returns.html",
        {"mine": mine, "others": others, "done": done, "today": today},
    )


# One return: the task list ---------------------------------------------------------------------


@require_GET
@access.membership_required()
def return_start(request: HttpRequest, pk: int) -> HttpResponse:
    member = request.membership
    audit_request = access.get_request_for_user(member, pk)
    sections = _sections(audit_request)
    questions = services.questions_of(audit_request)
    values = services.current_values(audit_request)
    editable = can_edit(member, audit_request)
    summary = _answer_summary(audit_request, sections, questions, values)
    return render(
        request,
        "returns/start.html",
        {
            "audit_request": audit_request,
            "case": audit_request.sampled_case,
            "facts": _case_facts(audit_request),
            "states": _section_states(audit_request, sections, questions, values),
            "summary": summary,
            "editable": editable,
            "can_complete": member.can(Permission.COMPLETE_RETURNS)
            and member.agency_id == audit_request.agency_id,
            "can_manage": member.can(Permission.MANAGE_REQUESTS),
            "agency_lead": member.is_agency_lead
            and member.agency_id == audit_request.agency_id
            and audit_request.is_editable,
            "concerns": audit_request.sampled_case.concerns.all(),
            "status": audit_request.display_status(),
        },
    )


def _case_facts(audit_request: AuditRequest) -> dict:
    """What the request page shows about the child: nothing that identifies them."""
    case = (
        audit_request.sampled_case.__class__.objects.filter(pk=audit_request.sampled_case_id)
        .values(
            "case__age_band",
            "case__gender",
            "case__plan_category",
            "case__plan_start",
            "case__previous_plans",
            "case__team",
        )
        .get()
    )
    return {key.removeprefix("case__"): value for key, value in case.items()}


def _answer_summary(audit_request, sections, questions, values) -> list[dict]:
    """Check-your-answers rows per section: question, answer text, comment."""
    visible = {q.pk for q in services.visible_questions(questions, values)}
    summary = []
    for number, section in enumerate(sections, start=1):
        rows = []
        for q in questions:
            if q.section_id != section.pk or q.pk not in visible:
                continue
            value = values.get(q.pk, Value())
            labels = {o.key: o.label for o in q.options.all()}
            if q.is_choice:
                answer = [labels.get(key, key) for key in value.options]
            elif q.type == "date" and value.value:
                answer = [date.fromisoformat(value.value).strftime("%-d %B %Y")]
            else:
                answer = [value.value] if value.value else []
            rows.append(
                {
                    "question": q,
                    "answer": answer,
                    "comment": value.comment,
                    "missing": q.required and not value.is_answered,
                }
            )
        summary.append({"number": number, "section": section, "rows": rows})
    return summary


# A section of the form -------------------------------------------------------------------------


def _stash_and_sign_in(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Signed out while the page was open: keep what was sent, then go through sign-in and back
    (see PendingSave). Only answers to an existing request are kept, and only briefly."""
    target = reverse("return_section", args=[pk, number])
    body = json.dumps({key: request.POST.getlist(key) for key in request.POST})
    if (
        request.method == "POST"
        and len(body) <= PENDING_SAVE_MAX_BYTES
        and AuditRequest.objects.filter(pk=pk).exists()
    ):
        token = secrets.token_urlsafe(24)
        PendingSave.objects.filter(
            created_at__lt=timezone.now() - timedelta(days=PENDING_SAVE_DAYS)
        ).delete()
        PendingSave.objects.create(
            request_id=pk,
            section_number=number,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            data=body,
        )
        target += f"?resume={token}"
    return redirect_to_login(target, reverse("account_login"))


def _pending_data(request: HttpRequest, audit_request: AuditRequest, number: int):
    token = request.GET.get("resume", "")
    if not token:
        return None
    with transaction.atomic():
        pending = (
            PendingSave.objects.select_for_update()
            .filter(
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
                request=audit_request,
                section_number=number,
                created_at__gte=timezone.now() - timedelta(days=PENDING_SAVE_DAYS),
            )
            .first()
        )
        if pending is None:
            return None
        data = QueryDict(mutable=True)
        for key, items in json.loads(pending.data).items():
            data.setlist(key, items)
        pending.delete()
    return data


def _expected_version(data) -> int | None:
    try:
        return int(data.get("version", ""))
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def return_section(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _stash_and_sign_in(request, pk, number)
    if request.membership is None:
        raise Http404("Page not found")
    return _return_section(request, pk, number)


def _return_section(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    audit_request = _editable_request(request, pk)
    if not audit_request.is_editable:
        messages.info(request, "This return can no longer be changed")
        return redirect("return_start", pk=pk)
    sections = _sections(audit_request)
    section = _section(sections, number)
    questions = services.questions_of(audit_request)
    values = services.current_values(audit_request)
    outside = _values_by_key([q for q in questions if q.section_id != section.pk], values)
    data = (
        request.POST if request.method == "POST" else _pending_data(request, audit_request, number)
    )
    resumed = request.method == "GET" and data is not None
    conflict = None
    unsaved: list[dict] = []

    if data is not None:
        form = section_form(section, data, all_questions=questions, outside_values=outside)
        action = data.get("action", "later" if resumed else "continue")
        expected = _expected_version(data)
        if form.is_valid() and expected is not None:
            try:
                services.answers_save(
                    request=audit_request,
                    user=request.user,
                    values=form.values(),
                    expected_version=expected,
                )
            except services.SaveConflict as error:
                conflict = str(error)
                unsaved = _unsaved(form, services.current_values(audit_request))
            except services.ReturnClosed as error:
                messages.info(request, str(error))
                return redirect("return_start", pk=pk)
            else:
                if resumed:
                    messages.success(
                        request,
                        "The answers you sent just before you were signed out have been saved",
                    )
                if action == "later":
                    messages.success(request, "Your answers have been saved")
                    return redirect("return_start", pk=pk)
                if action == "continue" and form.require_answers():
                    if number < len(sections):
                        return redirect("return_section", pk=pk, number=number + 1)
                    return redirect("return_check", pk=pk)
                if resumed:
                    return redirect("return_section", pk=pk, number=number)
        elif expected is None:
            form.add_error(None, "The page was out of date. Check your answers and save again")
        if conflict:
            audit_request.refresh_from_db()
            values = services.current_values(audit_request)
            form = section_form(
                section,
                initial=initial_for(questions, values),
                all_questions=questions,
                outside_values=outside,
            )
    else:
        form = section_form(
            section,
            initial=initial_for(questions, values),
            all_questions=questions,
            outside_values=outside,
        )
    return render(
        request,
        "returns/section.html",
        {
            "audit_request": audit_request,
            "section": section,
            "number": number,
            "count": len(sections),
            "form": form,
            "version": audit_request.version,
            "conflict": conflict,
            "unsaved": unsaved,
            "concerns": audit_request.sampled_case.concerns.all(),
        },
    )


def _unsaved(form, current) -> list[dict]:
    """What the person typed that was not saved because of a conflict, to show beside the
    newer answers so they can make their changes again."""
    rows = []
    if not hasattr(form, "cleaned_data"):
        return rows
    for q, value in form.values().items():
        if current.get(q.pk, Value()) != value and not value.is_empty:
            labels = {o.key: o.label for o in q.options.all()}
            shown = ", ".join(labels.get(k, k) for k in value.options) or value.value
            rows.append({"question": q.text, "answer": shown, "comment": value.comment})
    return rows


# Autosave --------------------------------------------------------------------------------------


@require_POST
def return_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Saves one section's answers as they are typed. Answers that do not fit their question
    (a half-typed date) are left unsaved and reported; the others are saved. Answers JSON so the
    page can say "Saved at 10:32", or that the person has been signed out, or that someone else
    saved first."""
    if not request.user.is_authenticated:
        return JsonResponse({"ok": False, "signed_out": True}, status=401)
    if request.membership is None:
        raise Http404("Page not found")
    audit_request = _editable_request(request, pk)
    try:
        number = int(request.POST.get("section", ""))
    except ValueError:
        return JsonResponse({"ok": False, "error": "Which page was this?"}, status=400)
    expected = _expected_version(request.POST)
    if expected is None:
        return JsonResponse({"ok": False, "error": "The page was out of date"}, status=400)
    sections = _sections(audit_request)
    section = _section(sections, number)
    questions = services.questions_of(audit_request)
    form = section_form(section, request.POST, all_questions=questions)
    form.is_valid()  # fills cleaned_data for every field that parses
    values, errors = {}, {}
    for q in form.questions:
        name = field_name(q)
        if name in form.errors:
            errors[name] = form.errors[name][0]
            continue
        try:
            values[q] = check_value(
                q, form._raw_value(q, form.cleaned_data), [o.key for o in q.options.all()]
            )
        except AnswerError as error:
            errors[name] = str(error)
    try:
        result = services.answers_save(
            request=audit_request, user=request.user, values=values, expected_version=expected
        )
    except services.SaveConflict as error:
        fresh = error.request
        message = str(error)
        if fresh.last_saved_by_id == request.user.pk:
            message = (
                "You saved this return in another window or tab after opening this page. "
                "Your latest changes here have not been saved. Reload the page to see the "
                "answers saved, then make your changes again."
            )
        return JsonResponse(
            {"ok": False, "conflict": True, "message": message, "version": fresh.version},
            status=409,
        )
    except services.ReturnClosed as error:
        return JsonResponse({"ok": False, "closed": True, "message": str(error)}, status=409)
    saved_at = timezone.localtime(result.saved_at)
    return JsonResponse(
        {
            "ok": True,
            "version": result.version,
            "saved_at": f"{saved_at:%H:%M}",
            "changed": result.changed,
            "errors": errors,
        }
    )


# Check your answers and submit -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.COMPLETE_RETURNS)
def return_check(request: HttpRequest, pk: int) -> HttpResponse:
    audit_request = _editable_request(request, pk)
    if not audit_request.is_editable:
        return redirect("return_start", pk=pk)
    error = None
    missing = []
    if request.method == "POST":
        expected = _expected_version(request.POST)
        try:
            if expected is None:
                raise services.SaveConflict(audit_request)
            services.return_submit(
                request=audit_request, user=request.user, expected_version=expected
            )
        except services.MissingAnswers as problem:
            missing = problem.questions
        except services.SaveConflict as problem:
            error = str(problem)
        except services.ReturnClosed as problem:
            messages.info(request, str(problem))
            return redirect("return_start", pk=pk)
        else:
            return redirect("return_submitted", pk=pk)
        audit_request.refresh_from_db()
    sections = _sections(audit_request)
    questions = services.questions_of(audit_request)
    values = services.current_values(audit_request)
    summary = _answer_summary(audit_request, sections, questions, values)
    section_of = {}
    for block in summary:
        for row in block["rows"]:
            section_of[row["question"].pk] = block["number"]
    return render(
        request,
        "returns/check.html",
        {
            "audit_request": audit_request,
            "summary": summary,
            "version": audit_request.version,
            "conflict": error,
            "missing": [{"question": q, "number": section_of.get(q.pk, 1)} for q in missing],
            "concerns": audit_request.sampled_case.concerns.all(),
        },
    )


@require_GET
@access.membership_required(Permission.COMPLETE_RETURNS)
def return_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    audit_request = _editable_request(request, pk)
    if audit_request.status != RequestStatus.SUBMITTED:
        return redirect("return_start", pk=pk)
    return render(request, "returns/submitted.html", {"audit_request": audit_request})


# Decline and immediate concern ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.COMPLETE_RETURNS)
def return_decline(request: HttpRequest, pk: int) -> HttpResponse:
    audit_request = _editable_request(request, pk)
    if not audit_request.is_editable:
        return redirect("return_start", pk=pk)
    form = ReasonForm(
        request.POST or None,
        label="Why is your agency declining this request?",
        hint="For example, your agency has had no involvement with this child.",
        message="Enter why your agency is declining this request",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_decline(
                request=audit_request, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Request declined. The audit lead can see your reason")
            return redirect("my_returns")
    return render(request, "returns/decline.html", {"audit_request": audit_request, "form": form})


@require_http_methods(["GET", "POST"])
@access.membership_required()
def return_concern(request: HttpRequest, pk: int) -> HttpResponse:
    """Any auditor of the request's agency may raise a concern, whatever the return's status:
    a child at risk matters more than where the paperwork has got to."""
    member = request.membership
    audit_request = access.get_request_for_user(member, pk)
    if not (
        member.can(Permission.COMPLETE_RETURNS) and member.agency_id == audit_request.agency_id
    ) and not member.can(Permission.MANAGE_REQUESTS):
        raise Http404("Page not found")
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        concern = services.concern_raise(
            request=audit_request,
            user=request.user,
            description=form.cleaned_data["description"],
        )
        access_event_record(
            action=Action.CONCERN_RAISED,
            request=request,
            obj=concern,
            object_label=audit_request.sampled_case.pseudonym,
            detail=f"Audit {audit_request.audit_id}",
        )
        messages.success(
            request,
            "Immediate concern raised. The audit lead has been emailed and a Case of Concern "
            "has been opened",
        )
        return redirect("return_start", pk=pk)
    return render(request, "returns/concern.html", {"audit_request": audit_request, "form": form})


@require_GET
@access.membership_required()
def return_identifying_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Who the child is, for the auditor who must find them in their agency's records (and for
    the audit lead). Every view is logged."""
    member = request.membership
    audit_request = access.get_request_for_user(member, pk)
    own_agency = (
        member.can(Permission.COMPLETE_RETURNS) and member.agency_id == audit_request.agency_id
    )
    if not (own_agency or member.can(Permission.VIEW_IDENTIFYING_DETAILS)):
        raise Http404("Page not found")
    sampled_case = access.get_sampled_case_for_user(
        member, audit_request.audit_id, audit_request.sampled_case_id, identifying=True
    )
    access_event_record(
        action=Action.VIEW_IDENTIFYING_DETAILS,
        request=request,
        obj=sampled_case,
        object_label=sampled_case.pseudonym,
        detail=f"Audit {audit_request.audit_id}, request {audit_request.pk}",
    )
    case = sampled_case.case
    return render(
        request,
        "returns/identifying_details.html",
        {
            "audit_request": audit_request,
            "sampled_case": sampled_case,
            "case": case,
            "date_of_birth": date.fromisoformat(case.date_of_birth) if case.date_of_birth else None,
        },
    )
