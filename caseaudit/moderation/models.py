"""The audit meeting, grades and their moderation, and the engagement of practitioners, children
and families, for each sampled case of an audit.

Records hang off the sampled case (one of each per child) and also carry the audit, so that every
figure per audit or per month is one GROUP BY without joining through the sample."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

DEFAULT_GRADES = ("Outstanding", "Good", "Requires improvement", "Inadequate")


class Grade(models.Model):
    """One step of a partnership's grading scale. `order` 1 is the best grade."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="grades"
    )
    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["partnership", "order", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("label"), "partnership", name="grade_label_unique_ci"),
            models.UniqueConstraint(fields=["partnership", "key"], name="grade_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class ModerationStatus(models.TextChoices):
    NOT_GRADED = "not_graded", "Not graded"
    GRADED = "graded", "Graded, not yet moderated"
    AGREED = "agreed", "Moderated: grade agreed"
    CHANGED = "changed", "Moderated: grade changed"


MODERATED = (ModerationStatus.AGREED, ModerationStatus.CHANGED)


class CaseGrade(models.Model):
    """The auditor's grade of one sampled case and, once moderated, the moderated grade."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="case_grades")
    sampled_case = models.OneToOneField(
        "audits.SampledCase", on_delete=models.CASCADE, related_name="grade"
    )
    auditor_grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    auditor_rationale = models.TextField()
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    graded_at = models.DateTimeField(default=timezone.now)
    moderated_grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderation_reason = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ModerationStatus.choices, default=ModerationStatus.GRADED
    )

    class Meta:
        ordering = ["audit", "sampled_case__order"]
        indexes = [models.Index(fields=["audit", "status"])]

    def __str__(self) -> str:
        return f"Grade of {self.sampled_case}"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    RETURN_ONLY = "return_only", "Sent a return only"
    APOLOGIES = "apologies", "Sent apologies"
    NOT_INVITED = "not_invited", "Not invited"


class Meeting(models.Model):
    """The multi-agency meeting of an audit (one per audit)."""

    audit = models.OneToOneField("audits.Audit", on_delete=models.CASCADE, related_name="meeting")
    held_on = models.DateField()
    notes = models.TextField(blank=True, help_text="Anything about the meeting as a whole.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Meeting of {self.audit}"


class AgencyAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)

    class Meta:
        ordering = ["meeting", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="one_attendance_each"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_status_display()}"


class CaseDiscussion(models.Model):
    """What the meeting said about one child, in the order the methodology sets: the social care
    chronology first, then each agency's contribution, then the group's collective evaluation,
    then what practitioners and the family said."""

    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="case_discussions"
    )
    sampled_case = models.OneToOneField(
        "audits.SampledCase", on_delete=models.CASCADE, related_name="discussion"
    )
    chronology_summary = models.TextField(blank=True)
    quality = models.TextField(blank=True)
    timeliness = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    practitioner_perspectives = models.TextField(blank=True)
    family_perspectives = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "sampled_case__order"]

    def __str__(self) -> str:
        return f"Discussion of {self.sampled_case}"


class AgencyContribution(models.Model):
    discussion = models.ForeignKey(
        CaseDiscussion, on_delete=models.CASCADE, related_name="contributions"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["discussion", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "agency"], name="one_contribution_each"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} on {self.discussion.sampled_case}"


class PractitionerEngagement(models.TextChoices):
    ENGAGED = "engaged", "Engaged"
    UNAVAILABLE = "unavailable", "Attempted but unavailable"
    NOT_ATTEMPTED = "not_attempted", "Not attempted"


class ChildEngagement(models.TextChoices):
    ENGAGED = "engaged", "Engaged"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"
    NO_RESPONSE = "no_response", "Attempted, no response"


class ParentEngagement(models.TextChoices):
    ENGAGED = "engaged", "Engaged"
    ATTEMPTED = "attempted", "Attempted, did not take part"
    NOT_INVITED = "not_invited", "Not invited"


class Engagement(models.Model):
    """Who the audit heard from for one child, and what they said."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="engagements")
    sampled_case = models.OneToOneField(
        "audits.SampledCase", on_delete=models.CASCADE, related_name="engagement"
    )
    social_worker = models.CharField(max_length=20, choices=PractitionerEngagement.choices)
    social_worker_feedback = models.TextField(blank=True)
    team_manager = models.CharField(max_length=20, choices=PractitionerEngagement.choices)
    team_manager_feedback = models.TextField(blank=True)
    child = models.CharField(max_length=20, choices=ChildEngagement.choices)
    child_reason = models.CharField(max_length=500, blank=True)
    child_feedback = models.TextField(blank=True)
    parents = models.CharField(max_length=20, choices=ParentEngagement.choices)
    parents_reason = models.CharField(max_length=500, blank=True)
    parents_feedback = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "sampled_case__order"]

    def __str__(self) -> str:
        return f"Engagement for {self.sampled_case}"
