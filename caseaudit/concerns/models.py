"""Cases of Concern: a child who may be at risk now, or whose risk assessment or service is not
right for their need. This issue opens the record (from an immediate-concern flag on a return);
the register, categories, senior-manager review and sign-off build on it."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ConcernSource(models.TextChoices):
    RETURN_FLAG = "return_flag", "Immediate concern flagged on a return"
    AUDIT_LEAD = "audit_lead", "Raised by the audit lead"
    MODERATOR = "moderator", "Raised by a moderator"


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
        null=True, blank=True, help_text="1 or 2, set when it is triaged."
    )
    status = models.CharField(
        max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    audit_lead_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name_plural = "cases of concern"

    def __str__(self) -> str:
        return f"Case of Concern for {self.sampled_case.pseudonym}"
