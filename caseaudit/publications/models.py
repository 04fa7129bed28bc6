from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.publications.privacy import HitKind


class PrivacyDecision(models.Model):
    """A privacy-check hit the audit lead has accepted, with the reason. The hit is known by its
    fingerprint (a keyed digest of kind, normalised text and location), so the identifying
    detail itself is never stored here: the same detail in the same place is accepted, the same
    detail anywhere else is a new hit."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"

    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="privacy_decisions"
    )
    fingerprint = models.CharField(max_length=64)
    kind = models.CharField(max_length=30, choices=HitKind.choices)
    location = models.CharField(max_length=200, blank=True)
    case = models.CharField(max_length=200, blank=True, help_text="Pseudonym(s), when known.")
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.ACCEPTED)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "fingerprint"], name="privacy_decision_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="privacy_decision_has_reason"
            ),
        ]

    def __str__(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"{self.get_kind_display()}{where}: {self.get_decision_display().lower()}"
