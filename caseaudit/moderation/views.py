"""The audit meeting, grades and moderation, engagement and the grading scale.

Figures pages (grades, engagement) are for whoever may see the audit's results; the case-level
text on them, and the meeting record, only for VIEW_CASE_DISCUSSIONS (see caseaudit/access.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.accounts.roles import Permission
from caseaudit.forms import apply_errors
from caseaudit.moderation import selectors, services
from caseaudit.moderation.forms import (
    CaseDiscussionForm,
    CaseGradeForm,
    EngagementForm,
    GradingScaleForm,
    MeetingForm,
    ModerationForm,
)
from caseaudit.moderation.models import (
    AgencyAttendance,
    CaseDiscussion,
    CaseGrade,
    Engagement,
    Grade,
    Meeting,
    ModerationStatus,
)

# Meeting ----------------------------------------------------------------------------------------


@require_GET
@access.membership_required(Permission.VIEW_CASE_DISCUSSIONS)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_for_moderation(
        request.membership, pk, Permission.VIEW_CASE_DISCUSSIONS
    )
    meeting = Meeting.objects.filter(audit=audit).first()
    attendance = (
        AgencyAttendance.objects.filter(meeting=meeting).select_related("agency") if meeting else []
    )
    discussions = {
        d.sampled_case_id: d
        for d in CaseDiscussion.objects.filter(audit=audit).prefetch_related(
            "contributions__agency"
        )
    }
    cases = [(case, discussions.get(case.pk)) for case in selectors.audit_cases(audit)]
    return render(
        request,
        "moderation/meeting.html",
        {
            "audit": audit,
            "meeting": meeting,
            "attendance": attendance,
            "cases": cases,
            "can_record": request.membership.can(Permission.RECORD_MEETING),
        },
    )


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.RECORD_MEETING)
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_for_moderation(request.membership, pk, Permission.RECORD_MEETING)
    agencies = audit.agencies.order_by("name")
    meeting = Meeting.objects.filter(audit=audit).first()
    initial = {"held_on": meeting.held_on if meeting else audit.meeting_date}
    if meeting:
        initial["notes"] = meeting.notes
        for row in meeting.attendance.all():
            initial[f"attendance_{row.agency_id}"] = row.status
    form = MeetingForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(
                audit=audit,
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
                attendance=form.attendance(),
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Meeting saved")
            return redirect("meeting_detail", pk=audit.pk)
    return render(request, "moderation/meeting_form.html", {"audit": audit, "form": form})


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.RECORD_MEETING)
def case_discussion_record(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    sampled_case = access.get_case_for_moderation(
        request.membership, pk, case_pk, Permission.RECORD_MEETING
    )
    audit = sampled_case.sample.audit
    agencies = audit.agencies.order_by("name")
    discussion = CaseDiscussion.objects.filter(sampled_case=sampled_case).first()
    initial = {}
    if discussion:
        initial = {name: getattr(discussion, name) for name in services.DISCUSSION_FIELDS}
        for contribution in discussion.contributions.all():
            initial[f"contribution_{contribution.agency_id}"] = contribution.text
    form = CaseDiscussionForm(request.POST or None, agencies=agencies, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_discussion_save(
                sampled_case=sampled_case,
                contributions=form.contributions(),
                user=request.user,
                **{name: form.cleaned_data[name] for name in services.DISCUSSION_FIELDS},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Discussion of {sampled_case.pseudonym} saved")
            return redirect("meeting_detail", pk=audit.pk)
    return render(
        request,
        "moderation/case_discussion_form.html",
        {"audit": audit, "sampled_case": sampled_case, "form": form},
    )


# Grades and moderation --------------------------------------------------------------------------


@require_GET
@access.membership_required()
def audit_grades(request: HttpRequest, pk: int) -> HttpResponse:
    """Grade figures for everyone who may see the audit's results; the case list (grades with
    their rationale and reasons) for VIEW_CASE_DISCUSSIONS; drift per auditor for the lead."""
    audit = access.get_audit_moderation_figures_for_user(request.membership, pk)
    member = request.membership
    services.grade_scale_ensure(partnership=audit.partnership)
    show_cases = member.can(Permission.VIEW_CASE_DISCUSSIONS)
    return render(
        request,
        "moderation/grades.html",
        {
            "audit": audit,
            "figures": selectors.audit_grade_figures(audit),
            "cases": selectors.audit_cases(audit) if show_cases else None,
            "drift": selectors.drift_by_auditor(audit.partnership, audit)
            if member.can(Permission.VIEW_GRADING_DRIFT)
            else None,
        },
    )


def _case_grade_page(
    request: HttpRequest, sampled_case, *, grade_form=None, moderation_form=None, status=200
) -> HttpResponse:
    member = request.membership
    audit = sampled_case.sample.audit
    scale = Grade.objects.filter(partnership=audit.partnership)
    case_grade = (
        CaseGrade.objects.filter(sampled_case=sampled_case)
        .select_related("auditor_grade", "moderated_grade", "graded_by", "moderated_by")
        .first()
    )
    can_grade = member.can(Permission.GRADE_CASES) and (
        case_grade is None or case_grade.status == ModerationStatus.GRADED
    )
    can_moderate = (
        member.can(Permission.MODERATE_GRADES)
        and case_grade is not None
        and case_grade.graded_by_id != request.user.pk
    )
    if can_grade and grade_form is None:
        initial = (
            {"grade": case_grade.auditor_grade_id, "rationale": case_grade.auditor_rationale}
            if case_grade
            else {}
        )
        grade_form = CaseGradeForm(scale=scale, initial=initial)
    if can_moderate and moderation_form is None:
        initial = {
            "grade": case_grade.moderated_grade_id or case_grade.auditor_grade_id,
            "reason": case_grade.moderation_reason,
        }
        moderation_form = ModerationForm(scale=scale, initial=initial)
    form = grade_form if grade_form is not None and grade_form.errors else moderation_form
    return render(
        request,
        "moderation/case_grade.html",
        {
            "audit": audit,
            "sampled_case": sampled_case,
            "case_grade": case_grade,
            "grade_form": grade_form if can_grade else None,
            "moderation_form": moderation_form if can_moderate else None,
            "form": form,
        },
        status=status,
    )


@require_GET
@access.membership_required(Permission.VIEW_CASE_DISCUSSIONS)
def case_grade(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    sampled_case = access.get_case_for_moderation(
        request.membership, pk, case_pk, Permission.VIEW_CASE_DISCUSSIONS
    )
    services.grade_scale_ensure(partnership=sampled_case.sample.audit.partnership)
    return _case_grade_page(request, sampled_case)


@require_POST
@access.membership_required(Permission.GRADE_CASES)
def case_grade_record(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    sampled_case = access.get_case_for_moderation(
        request.membership, pk, case_pk, Permission.GRADE_CASES
    )
    audit = sampled_case.sample.audit
    scale = Grade.objects.filter(partnership=audit.partnership)
    form = CaseGradeForm(request.POST, scale=scale)
    if form.is_valid():
        try:
            services.case_grade_record(
                sampled_case=sampled_case,
                grade=form.cleaned_data["grade"],
                rationale=form.cleaned_data["rationale"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{sampled_case.pseudonym} graded")
            return redirect("audit_grades", pk=audit.pk)
    return _case_grade_page(request, sampled_case, grade_form=form)


@require_POST
@access.membership_required(Permission.MODERATE_GRADES)
def case_grade_moderate(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    sampled_case = access.get_case_for_moderation(
        request.membership, pk, case_pk, Permission.MODERATE_GRADES
    )
    audit = sampled_case.sample.audit
    case_grade = CaseGrade.objects.filter(sampled_case=sampled_case).first()
    if case_grade is None:
        messages.error(request, f"{sampled_case.pseudonym} has not been graded yet")
        return redirect("case_grade", pk=audit.pk, case_pk=sampled_case.pk)
    scale = Grade.objects.filter(partnership=audit.partnership)
    form = ModerationForm(request.POST, scale=scale)
    if form.is_valid():
        try:
            moderated = services.case_grade_moderate(
                case_grade=case_grade,
                grade=form.cleaned_data["grade"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"{sampled_case.pseudonym}: {moderated.get_status_display().lower()}"
            )
            return redirect("audit_grades", pk=audit.pk)
    return _case_grade_page(request, sampled_case, moderation_form=form)


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_GRADING_SCALE)
def grading_scale(request: HttpRequest) -> HttpResponse:
    member = request.membership
    services.grade_scale_ensure(partnership=member.partnership)
    scale = access.grading_scale_for_user(member, Permission.MANAGE_GRADING_SCALE)
    form = GradingScaleForm(
        request.POST or None, initial={"labels": "\n".join(g.label for g in scale)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.grade_scale_update(
                partnership=member.partnership,
                labels=form.cleaned_data["labels"].splitlines(),
                user=request.user,
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Grading scale saved")
            return redirect("grading_scale")
    return render(request, "moderation/grading_scale.html", {"form": form, "scale": scale})


# Engagement -------------------------------------------------------------------------------------


@require_GET
@access.membership_required()
def audit_engagement(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.get_audit_moderation_figures_for_user(request.membership, pk)
    show_cases = request.membership.can(Permission.VIEW_CASE_DISCUSSIONS)
    figures = selectors.engagement_figures(audit)
    return render(
        request,
        "moderation/engagement.html",
        {
            "audit": audit,
            "figures": figures,
            "summary": selectors.engagement_summary(figures),
            "cases": selectors.audit_cases(audit) if show_cases else None,
            "can_record": request.membership.can(Permission.RECORD_MEETING),
        },
    )


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.RECORD_MEETING)
def engagement_record(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    sampled_case = access.get_case_for_moderation(
        request.membership, pk, case_pk, Permission.RECORD_MEETING
    )
    audit = sampled_case.sample.audit
    engagement = Engagement.objects.filter(sampled_case=sampled_case).first()
    initial = {}
    if engagement:
        initial = {name: getattr(engagement, name) for name in EngagementForm.base_fields}
    form = EngagementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_save(
                sampled_case=sampled_case, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Engagement for {sampled_case.pseudonym} saved")
            return redirect("audit_engagement", pk=audit.pk)
    return render(
        request,
        "moderation/engagement_form.html",
        {"audit": audit, "sampled_case": sampled_case, "form": form},
    )
