"""Cases of Concern: a child who may be at risk now (category 1), or whose risk assessment or
service is not right for their need (category 2), after Ofsted's Annex H. A concern is opened
from an immediate-concern flag on a return or by the audit lead or a moderator from a sampled
case; a senior manager reviews it (what was done, the assurance given, the date) and closure is
signed off by a named role. Every step is written to ConcernEvent with its time."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    REVIEWED = "reviewed", "Reviewed"
    CLOSED = "closed", "Closed"


class ConcernSource(models.TextChoices):
    RETURN_FLAG = "return_flag", "Immediate concern flagged on a return"
    AUDIT_LEAD = "audit_lead", "Raised by the audit lead"
    MODERATOR = "moderator", "Raised by a moderator"


class ConcernCategory(models.IntegerChoices):
    ONE = 1, "Category 1: a child may be at risk now"
    TWO = 2, "Category 2: risk assessment or service not appropriate to need"


CATEGORY_DEFINITIONS = {
    ConcernCategory.ONE: (
        "The audit raised issues suggesting a child may be at risk now. A senior manager must "
        "act at once: the partnership's senior managers are emailed as soon as it is saved."
    ),
    ConcernCategory.TWO: (
        "The audit raised issues suggesting the risk assessment or the service offered to the "
        "child is not appropriate to their needs. A senior manager reviews it by the due date."
    ),
}


class CaseOfConcern(models.Model):
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="concerns")
    sampled_case = models.ForeignKey(
        "audits.SampledCase", on_delete=models.PROTECT, related_name="concerns"
    )
    request = models.ForeignKey(
        "returns.AuditRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
        help_text="The return it was flagged on, if any.",
    )
    source = models.CharField(max_length=20, choices=ConcernSource.choices)
    description = models.TextField()
    category = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=ConcernCategory.choices,
        help_text="1 or 2; a flag from a return has none until the audit lead sets it.",
    )
    status = models.CharField(
        max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    audit_lead_notified_at = models.DateTimeField(null=True, blank=True)
    senior_managers_notified_at = models.DateTimeField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    # The senior manager's review.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True, help_text="When the case was reviewed.")
    review_action_taken = models.TextField(blank=True)
    review_assurance = models.TextField(blank=True)
    # Closure.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    signed_off_name = models.CharField(max_length=200, blank=True)
    signed_off_role = models.CharField(max_length=200, blank=True)
    closure_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name_plural = "cases of concern"
        indexes = [models.Index(fields=["status", "review_due"])]

    def __str__(self) -> str:
        return f"Case of Concern for {self.sampled_case.pseudonym}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("concern_detail", args=[self.pk])

    def review_overdue(self, today=None) -> bool:
        """Open (not yet reviewed) with its review due date gone by."""
        today = today or timezone.localdate()
        return (
            self.status == ConcernStatus.OPEN
            and self.review_due is not None
            and self.review_due < today
        )


class ConcernEventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    CATEGORISED = "categorised", "Category set"
    SENIOR_MANAGERS_EMAILED = "senior_managers_emailed", "Senior managers emailed"
    REVIEWED = "reviewed", "Reviewed by a senior manager"
    CLOSED = "closed", "Closed and signed off"
    ACTION_ADDED = "action_added", "Action added"


class ConcernEvent(models.Model):
    """The time-stamped history of a Case of Concern. Rows are only ever added."""

    concern = models.ForeignKey(CaseOfConcern, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=ConcernEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
