"""Writes about an audit's meeting, grades, moderation and engagement.

Rules (docs/moderation.md):
- A case is graded by someone who may grade cases (the audit lead or the partnership admin) with
  a rationale. Until it is moderated the grade may be changed; once moderated it is the
  moderator's to change.
- A moderator moderates a graded case: the moderated grade is the same (agreed) or different
  (changed, and then the reason is required). Nobody moderates a grade they gave themselves.
- Every grade and moderation is written to the access log, with the grades before and after.
- Once the audit is published (or closed) its meeting, grades and engagement no longer change.
"""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.models import Agency, Partnership
from caseaudit.audits.models import Audit, SampledCase, Status
from caseaudit.moderation.models import (
    DEFAULT_GRADES,
    AgencyAttendance,
    AgencyContribution,
    AttendanceStatus,
    CaseDiscussion,
    CaseGrade,
    ChildEngagement,
    Engagement,
    Grade,
    Meeting,
    ModerationStatus,
    ParentEngagement,
    PractitionerEngagement,
)

MAX_GRADES = 10


def grade_scale_ensure(*, partnership: Partnership) -> list[Grade]:
    """The partnership's grading scale, best first; the default scale when it has none yet."""
    grades = list(Grade.objects.filter(partnership=partnership))
    if grades:
        return grades
    with transaction.atomic():
        for order, label in enumerate(DEFAULT_GRADES, start=1):
            Grade.objects.get_or_create(
                partnership=partnership,
                key=slugify(label),
                defaults={"label": label, "order": order},
            )
    return list(Grade.objects.filter(partnership=partnership))


def _grade_in_use(grade: Grade) -> bool:
    return (
        CaseGrade.objects.filter(auditor_grade=grade).exists()
        or CaseGrade.objects.filter(moderated_grade=grade).exists()
    )


def grade_scale_update(
    *,
    partnership: Partnership,
    labels: Sequence[str],
    user=None,
    request: HttpRequest | None = None,
) -> list[Grade]:
    """Replaces the scale with `labels`, best first. A grade keeps its identity (and the cases
    graded with it) when its label is kept, matched without regard to case; a grade that cases
    already have cannot be taken off the scale."""
    cleaned: list[str] = []
    for label in labels:
        text = " ".join(str(label).split())
        if text and text.lower() not in [c.lower() for c in cleaned]:
            cleaned.append(text)
    if len(cleaned) < 2:
        raise ValidationError({"labels": "Enter at least 2 grades, one on each line"})
    if len(cleaned) > MAX_GRADES:
        raise ValidationError({"labels": f"Enter no more than {MAX_GRADES} grades"})
    if any(len(label) > 60 for label in cleaned):
        raise ValidationError({"labels": "Each grade must be 60 characters or fewer"})
    with transaction.atomic():
        existing = {g.label.lower(): g for g in grade_scale_ensure(partnership=partnership)}
        removed = [g for key, g in existing.items() if key not in [c.lower() for c in cleaned]]
        in_use = [g.label for g in removed if _grade_in_use(g)]
        if in_use:
            raise ValidationError(
                {
                    "labels": f"{', '.join(in_use)} cannot be taken off the scale because cases "
                    "have been given it"
                }
            )
        for grade in removed:
            grade.delete()
        for order, label in enumerate(cleaned, start=1):
            grade = existing.get(label.lower())
            if grade is None:
                key = slugify(label) or f"grade-{order}"
                while Grade.objects.filter(partnership=partnership, key=key).exists():
                    key = f"{key}-{order}"
                Grade.objects.create(partnership=partnership, key=key, label=label, order=order)
            else:
                grade.label = label
                grade.order = order
                grade.save(update_fields=["label", "order"])
        access_event_record(
            action=Action.GRADING_SCALE_CHANGED,
            request=request,
            user=user,
            partnership=partnership,
            detail="; ".join(cleaned),
        )
    return list(Grade.objects.filter(partnership=partnership))


FIXED_STATUSES = (Status.PUBLISHED, Status.CLOSED)


def _check_case(sampled_case: SampledCase) -> Audit:
    """The child's audit, if its records may still change: not for a child swapped out of the
    sample, nor once the audit is published (what was published must stay true)."""
    if sampled_case.removed_at is not None:
        raise ValidationError("This child was swapped out of the sample")
    audit = sampled_case.sample.audit
    if audit.status in FIXED_STATUSES:
        raise ValidationError(
            f"The audit is {audit.get_status_display().lower()}, so its meeting, grades and "
            "engagement can no longer change"
        )
    return audit


def _check_grade(grade: Grade, audit: Audit, field: str) -> None:
    if grade.partnership_id != audit.partnership_id:
        raise ValidationError({field: "Select a grade from the partnership's scale"})


def case_grade_record(
    *,
    sampled_case: SampledCase,
    grade: Grade,
    rationale: str,
    user,
    request: HttpRequest | None = None,
) -> CaseGrade:
    """The auditor's grade and rationale; refused once the case has been moderated."""
    audit = _check_case(sampled_case)
    _check_grade(grade, audit, "grade")
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": "Enter the rationale for the grade"})
    with transaction.atomic():
        current = CaseGrade.objects.select_for_update().filter(sampled_case=sampled_case).first()
        before = ""
        if current is None:
            current = CaseGrade(audit=audit, sampled_case=sampled_case)
        elif current.status != ModerationStatus.GRADED:
            raise ValidationError(
                "This case has been moderated, so its grade can only be changed by a moderator"
            )
        else:
            before = current.auditor_grade.label
        current.auditor_grade = grade
        current.auditor_rationale = rationale
        current.graded_by = user
        current.graded_at = timezone.now()
        current.status = ModerationStatus.GRADED
        current.save()
        access_event_record(
            action=Action.CASE_GRADED,
            request=request,
            user=user,
            partnership=audit.partnership,
            obj=current,
            object_label=f"{audit.title}: {sampled_case.pseudonym}",
            detail=f"{before} to {grade.label}" if before else grade.label,
        )
    return current


def case_grade_moderate(
    *,
    case_grade: CaseGrade,
    grade: Grade,
    reason: str,
    user,
    request: HttpRequest | None = None,
) -> CaseGrade:
    """The moderated grade: agreed when it is the auditor's, changed (with a reason) otherwise.
    A moderated case may be moderated again (the latest moderation stands; the log keeps all)."""
    audit = _check_case(case_grade.sampled_case)
    _check_grade(grade, audit, "grade")
    reason = (reason or "").strip()
    with transaction.atomic():
        current = CaseGrade.objects.select_for_update().get(pk=case_grade.pk)
        if user is not None and current.graded_by_id == user.pk:
            raise ValidationError("You gave this grade, so someone else must moderate it")
        if grade.pk != current.auditor_grade_id and not reason:
            raise ValidationError({"reason": "Enter the reason for changing the grade"})
        before = current.moderated_grade.label if current.moderated_grade_id else ""
        current.moderated_grade = grade
        current.moderation_reason = reason
        current.moderated_by = user
        current.moderated_at = timezone.now()
        current.status = (
            ModerationStatus.AGREED
            if grade.pk == current.auditor_grade_id
            else ModerationStatus.CHANGED
        )
        current.save()
        detail = f"auditor {current.auditor_grade.label}, moderated {grade.label}"
        if before:
            detail += f" (was {before})"
        access_event_record(
            action=Action.GRADE_MODERATED,
            request=request,
            user=user,
            partnership=audit.partnership,
            obj=current,
            object_label=f"{audit.title}: {current.sampled_case.pseudonym}",
            detail=detail,
        )
    return current


def meeting_record(
    *,
    audit: Audit,
    held_on,
    notes: str = "",
    attendance: Mapping[int, str],
    user=None,
    request: HttpRequest | None = None,
) -> Meeting:
    """The meeting's date and each agency's attendance (agency id -> AttendanceStatus). Every
    agency of the audit must be given a status; agencies not in the audit are refused."""
    if audit.status in FIXED_STATUSES:
        raise ValidationError(
            f"The audit is {audit.get_status_display().lower()}, so its meeting can no longer "
            "change"
        )
    if held_on is None:
        raise ValidationError({"held_on": "Enter the date of the meeting"})
    agency_ids = set(audit.agencies.values_list("pk", flat=True))
    unknown = set(attendance) - agency_ids
    if unknown:
        raise ValidationError("Give attendance only for the agencies in the audit")
    missing = agency_ids - set(attendance)
    if missing:
        names = (
            Agency.objects.filter(pk__in=missing).order_by("name").values_list("name", flat=True)
        )
        raise ValidationError(f"Select whether {', '.join(names)} attended")
    if any(status not in AttendanceStatus.values for status in attendance.values()):
        raise ValidationError("Select an attendance from the list")
    with transaction.atomic():
        meeting, _ = Meeting.objects.update_or_create(
            audit=audit,
            defaults={
                "held_on": held_on,
                "notes": (notes or "").strip(),
                "recorded_by": user,
                "updated_at": timezone.now(),
            },
        )
        for agency_id, status in attendance.items():
            AgencyAttendance.objects.update_or_create(
                meeting=meeting, agency_id=agency_id, defaults={"status": status}
            )
        access_event_record(
            action=Action.MEETING_RECORDED,
            request=request,
            user=user,
            partnership=audit.partnership,
            obj=meeting,
            detail=f"held on {held_on:%Y-%m-%d}",
        )
    return meeting


DISCUSSION_FIELDS = (
    "chronology_summary",
    "quality",
    "timeliness",
    "impact",
    "practitioner_perspectives",
    "family_perspectives",
)


def case_discussion_save(
    *,
    sampled_case: SampledCase,
    contributions: Mapping[int, str],
    user=None,
    **fields: str,
) -> CaseDiscussion:
    """What the meeting said about one child. `contributions` maps an agency of the audit to
    its contribution; an empty contribution removes it."""
    audit = _check_case(sampled_case)
    unknown = set(fields) - set(DISCUSSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    agency_ids = set(audit.agencies.values_list("pk", flat=True))
    if set(contributions) - agency_ids:
        raise ValidationError("Give contributions only for the agencies in the audit")
    with transaction.atomic():
        discussion, _ = CaseDiscussion.objects.update_or_create(
            sampled_case=sampled_case,
            defaults={
                "audit": audit,
                **{name: (fields.get(name) or "").strip() for name in DISCUSSION_FIELDS},
                "updated_by": user,
                "updated_at": timezone.now(),
            },
        )
        for agency_id, text in contributions.items():
            text = (text or "").strip()
            if text:
                AgencyContribution.objects.update_or_create(
                    discussion=discussion, agency_id=agency_id, defaults={"text": text}
                )
            else:
                AgencyContribution.objects.filter(
                    discussion=discussion, agency_id=agency_id
                ).delete()
    return discussion


def engagement_save(
    *,
    sampled_case: SampledCase,
    social_worker: str,
    team_manager: str,
    child: str,
    parents: str,
    child_reason: str = "",
    parents_reason: str = "",
    social_worker_feedback: str = "",
    team_manager_feedback: str = "",
    child_feedback: str = "",
    parents_feedback: str = "",
    user=None,
) -> Engagement:
    """Who the audit heard from about one child. A child not engaged because it was not
    appropriate, and parents not invited, each need the reason."""
    audit = _check_case(sampled_case)
    errors: dict[str, str] = {}
    if social_worker not in PractitionerEngagement.values:
        errors["social_worker"] = "Select whether the social worker was engaged"
    if team_manager not in PractitionerEngagement.values:
        errors["team_manager"] = "Select whether the team manager was engaged"
    if child not in ChildEngagement.values:
        errors["child"] = "Select whether the child was engaged"
    if parents not in ParentEngagement.values:
        errors["parents"] = "Select whether parents or carers were engaged"
    child_reason = (child_reason or "").strip()
    parents_reason = (parents_reason or "").strip()
    if child == ChildEngagement.NOT_APPROPRIATE and not child_reason:
        errors["child_reason"] = "Enter why it was not appropriate to engage the child"
    if parents == ParentEngagement.NOT_INVITED and not parents_reason:
        errors["parents_reason"] = "Enter why parents or carers were not invited"
    if errors:
        raise ValidationError(errors)
    engagement, _ = Engagement.objects.update_or_create(
        sampled_case=sampled_case,
        defaults={
            "audit": audit,
            "social_worker": social_worker,
            "social_worker_feedback": (social_worker_feedback or "").strip(),
            "team_manager": team_manager,
            "team_manager_feedback": (team_manager_feedback or "").strip(),
            "child": child,
            "child_reason": child_reason if child == ChildEngagement.NOT_APPROPRIATE else "",
            "child_feedback": (child_feedback or "").strip(),
            "parents": parents,
            "parents_reason": parents_reason if parents == ParentEngagement.NOT_INVITED else "",
            "parents_feedback": (parents_feedback or "").strip(),
            "recorded_by": user,
            "updated_at": timezone.now(),
        },
    )
    return engagement
