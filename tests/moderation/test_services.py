import datetime

import pytest
from django.core.exceptions import ValidationError

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.audits.models import Audit, Status
from caseaudit.moderation.models import (
    AgencyAttendance,
    AttendanceStatus,
    CaseGrade,
    Grade,
    ModerationStatus,
)
from caseaudit.moderation.services import (
    case_discussion_save,
    case_grade_moderate,
    case_grade_record,
    engagement_save,
    grade_scale_ensure,
    grade_scale_update,
    meeting_record,
)
from tests.moderation.factories import audit_with_children, scale


def test_the_default_scale_is_ordered_best_first(world):
    labels = [g.label for g in grade_scale_ensure(partnership=world.north)]
    assert labels == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    # Asking again makes nothing new; South gets its own scale.
    grade_scale_ensure(partnership=world.north)
    grade_scale_ensure(partnership=world.south)
    assert Grade.objects.filter(partnership=world.north).count() == 4
    assert Grade.objects.filter(partnership=world.south).count() == 4


def test_grading_moves_a_case_from_not_graded_to_graded_and_logs_it(world):
    audit, children = audit_with_children(world, 2)
    grades = scale(world)
    assert not CaseGrade.objects.exists()
    graded = case_grade_record(
        sampled_case=children[0],
        grade=grades["good"],
        rationale="Risks were assessed promptly.",
        user=world.lena,
    )
    assert graded.status == ModerationStatus.GRADED
    assert graded.audit == audit
    # Still the auditor's to change until moderated.
    graded = case_grade_record(
        sampled_case=children[0],
        grade=grades["requires-improvement"],
        rationale="On reflection the plan is not specific.",
        user=world.lena,
    )
    assert graded.auditor_grade == grades["requires-improvement"]
    events = AccessEvent.objects.filter(action=Action.CASE_GRADED).order_by("id")
    assert [e.detail for e in events] == ["Good", "Good to Requires improvement"]
    assert events[0].partnership == world.north


def test_a_grade_needs_a_rationale(world):
    _, children = audit_with_children(world, 1)
    with pytest.raises(ValidationError) as error:
        case_grade_record(
            sampled_case=children[0], grade=scale(world)["good"], rationale="  ", user=world.lena
        )
    assert error.value.message_dict == {"rationale": ["Enter the rationale for the grade"]}


def test_a_grade_from_another_partnerships_scale_is_refused(world):
    _, children = audit_with_children(world, 1)
    south_good = grade_scale_ensure(partnership=world.south)[1]
    with pytest.raises(ValidationError):
        case_grade_record(
            sampled_case=children[0], grade=south_good, rationale="Fine.", user=world.lena
        )


def test_moderation_agrees_without_a_reason_and_changes_only_with_one(world):
    _, children = audit_with_children(world, 2)
    grades = scale(world)
    first = case_grade_record(
        sampled_case=children[0], grade=grades["good"], rationale="Good.", user=world.lena
    )
    agreed = case_grade_moderate(
        case_grade=first, grade=grades["good"], reason="", user=world.morgan
    )
    assert agreed.status == ModerationStatus.AGREED

    second = case_grade_record(
        sampled_case=children[1], grade=grades["good"], rationale="Good.", user=world.lena
    )
    with pytest.raises(ValidationError) as error:
        case_grade_moderate(
            case_grade=second, grade=grades["inadequate"], reason="", user=world.morgan
        )
    assert error.value.message_dict == {"reason": ["Enter the reason for changing the grade"]}
    second.refresh_from_db()
    assert second.status == ModerationStatus.GRADED
    assert second.moderated_grade is None

    changed = case_grade_moderate(
        case_grade=second,
        grade=grades["inadequate"],
        reason="No safety plan; risk not reduced.",
        user=world.morgan,
    )
    assert changed.status == ModerationStatus.CHANGED
    event = AccessEvent.objects.filter(action=Action.GRADE_MODERATED).order_by("-id").first()
    assert event.detail == "auditor Good, moderated Inadequate"
    assert event.user == world.morgan


def test_once_moderated_only_the_moderator_can_change_the_grade(world):
    _, children = audit_with_children(world, 1)
    grades = scale(world)
    graded = case_grade_record(
        sampled_case=children[0], grade=grades["good"], rationale="Good.", user=world.lena
    )
    case_grade_moderate(
        case_grade=graded,
        grade=grades["requires-improvement"],
        reason="Plan vague.",
        user=world.morgan,
    )
    with pytest.raises(ValidationError):
        case_grade_record(
            sampled_case=children[0], grade=grades["outstanding"], rationale="!", user=world.lena
        )
    # Moderated again, back to the auditor's grade: agreed now, and the log keeps both.
    again = case_grade_moderate(
        case_grade=graded, grade=grades["good"], reason="", user=world.morgan
    )
    assert again.status == ModerationStatus.AGREED
    assert again.moderation_reason == ""
    details = list(
        AccessEvent.objects.filter(action=Action.GRADE_MODERATED)
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [
        "auditor Good, moderated Requires improvement",
        "auditor Good, moderated Good (was Requires improvement)",
    ]


def test_nobody_moderates_their_own_grade(world):
    _, children = audit_with_children(world, 1)
    grades = scale(world)
    graded = case_grade_record(
        sampled_case=children[0], grade=grades["good"], rationale="Good.", user=world.morgan
    )
    with pytest.raises(ValidationError):
        case_grade_moderate(case_grade=graded, grade=grades["good"], reason="", user=world.morgan)


def test_a_swapped_out_child_cannot_be_graded(world):
    _, children = audit_with_children(world, 1)
    children[0].removed_at = datetime.datetime.now(datetime.UTC)
    children[0].save()
    with pytest.raises(ValidationError):
        case_grade_record(
            sampled_case=children[0], grade=scale(world)["good"], rationale="x", user=world.lena
        )


def test_the_scale_can_be_reordered_and_extended_but_a_used_grade_stays(world):
    _, children = audit_with_children(world, 1)
    grades = scale(world)
    case_grade_record(
        sampled_case=children[0], grade=grades["inadequate"], rationale="x", user=world.lena
    )
    updated = grade_scale_update(
        partnership=world.north,
        labels=["Good", "outstanding", "Requires improvement", "Inadequate", "", "Not gradable"],
        user=world.alice,
    )
    assert [g.label for g in updated] == [
        "Good",
        "outstanding",
        "Requires improvement",
        "Inadequate",
        "Not gradable",
    ]
    assert updated[1].pk == grades["outstanding"].pk  # kept, only its capitals changed
    with pytest.raises(ValidationError) as error:
        grade_scale_update(partnership=world.north, labels=["Good", "Poor"], user=world.alice)
    assert "Inadequate cannot be taken off the scale" in str(error.value)
    assert AccessEvent.objects.filter(action=Action.GRADING_SCALE_CHANGED).count() == 1
    with pytest.raises(ValidationError):
        grade_scale_update(partnership=world.north, labels=["Only one"], user=world.alice)


def test_the_meeting_needs_attendance_for_every_agency_of_the_audit(world):
    audit, _ = audit_with_children(world, 1)
    with pytest.raises(ValidationError) as error:
        meeting_record(
            audit=audit,
            held_on=datetime.date(2026, 5, 20),
            attendance={world.csc.pk: AttendanceStatus.ATTENDED},
            user=world.lena,
        )
    assert "Select whether North Health Trust attended" in str(error.value)
    with pytest.raises(ValidationError):
        meeting_record(
            audit=audit,
            held_on=datetime.date(2026, 5, 20),
            attendance={
                world.csc.pk: AttendanceStatus.ATTENDED,
                world.health.pk: AttendanceStatus.RETURN_ONLY,
                world.police.pk: AttendanceStatus.APOLOGIES,
            },
            user=world.lena,
        )
    meeting = meeting_record(
        audit=audit,
        held_on=datetime.date(2026, 5, 20),
        attendance={
            world.csc.pk: AttendanceStatus.ATTENDED,
            world.health.pk: AttendanceStatus.RETURN_ONLY,
        },
        user=world.lena,
    )
    assert dict(
        AgencyAttendance.objects.filter(meeting=meeting).values_list("agency", "status")
    ) == {
        world.csc.pk: "attended",
        world.health.pk: "return_only",
    }
    assert AccessEvent.objects.filter(action=Action.MEETING_RECORDED).count() == 1


def test_a_case_discussion_keeps_each_agencys_contribution(world):
    _, children = audit_with_children(world, 1)
    discussion = case_discussion_save(
        sampled_case=children[0],
        contributions={world.csc.pk: "Chronology shared.", world.health.pk: ""},
        chronology_summary="Known since 2021.",
        impact="Little lasting change.",
        user=world.lena,
    )
    assert list(discussion.contributions.values_list("agency", "text")) == [
        (world.csc.pk, "Chronology shared.")
    ]
    discussion = case_discussion_save(
        sampled_case=children[0], contributions={world.csc.pk: ""}, user=world.lena
    )
    assert not discussion.contributions.exists()
    assert discussion.chronology_summary == ""
    with pytest.raises(ValidationError):
        case_discussion_save(
            sampled_case=children[0], contributions={world.police.pk: "x"}, user=world.lena
        )


def test_engagement_needs_reasons_for_a_child_not_engaged_and_parents_not_invited(world):
    _, children = audit_with_children(world, 1)
    with pytest.raises(ValidationError) as error:
        engagement_save(
            sampled_case=children[0],
            social_worker="engaged",
            team_manager="unavailable",
            child="not_appropriate",
            parents="not_invited",
        )
    assert set(error.value.message_dict) == {"child_reason", "parents_reason"}
    saved = engagement_save(
        sampled_case=children[0],
        social_worker="engaged",
        team_manager="unavailable",
        child="not_appropriate",
        child_reason="Aged 2",
        parents="engaged",
        parents_reason="left over from a draft",
        parents_feedback="Mum said the plan was explained well.",
    )
    assert saved.child_reason == "Aged 2"
    assert saved.parents_reason == ""  # a reason only goes with "not invited"
    with pytest.raises(ValidationError) as error:
        engagement_save(
            sampled_case=children[0],
            social_worker="maybe",
            team_manager="engaged",
            child="engaged",
            parents="engaged",
        )
    assert list(error.value.message_dict) == ["social_worker"]


def test_nothing_changes_once_the_audit_is_published(world):
    audit, children = audit_with_children(world, 1)
    grades = scale(world)
    graded = case_grade_record(
        sampled_case=children[0], grade=grades["good"], rationale="Good.", user=world.lena
    )
    Audit.objects.filter(pk=audit.pk).update(status=Status.PUBLISHED)
    children[0].refresh_from_db()
    graded.refresh_from_db()
    with pytest.raises(ValidationError, match="published"):
        case_grade_moderate(case_grade=graded, grade=grades["good"], reason="", user=world.morgan)
    with pytest.raises(ValidationError, match="published"):
        case_grade_record(
            sampled_case=children[0], grade=grades["good"], rationale="x", user=world.lena
        )
    with pytest.raises(ValidationError, match="published"):
        engagement_save(
            sampled_case=children[0],
            social_worker="engaged",
            team_manager="engaged",
            child="engaged",
            parents="engaged",
        )
    audit.refresh_from_db()
    with pytest.raises(ValidationError, match="published"):
        meeting_record(audit=audit, held_on=datetime.date(2026, 5, 1), attendance={})
