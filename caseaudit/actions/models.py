"""Actions: SMART follow-up from a sampled case (for the child's team manager), from a Case of
Concern, or from a recommendation. One owner (a membership), a due date, how we will know it
made a difference; open, completed with evidence, or cancelled with a reason. Overdue is worked
out from the date, never stored."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Action(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="actions"
    )
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    sampled_case = models.ForeignKey(
        "audits.SampledCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    concern = models.ForeignKey(
        "concerns.CaseOfConcern",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    # Any other origin, such as a publication's recommendation (the publications issue links
    # it): a generic key so this app need not know that model.
    source_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    what = models.TextField(help_text="What must be done.")
    owner = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="actions_owned"
    )
    escalate_to = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_escalated",
        help_text="The owner's senior manager, told when it is overdue. Empty: every senior "
        "manager of the partnership.",
    )
    due_date = models.DateField()
    success_measure = models.TextField(help_text="How we will know it made a difference.")
    originated_on = models.DateField(
        default=timezone.localdate, help_text="The day it was agreed; the tracker's month."
    )
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completion_evidence = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["partnership", "originated_on"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("action_detail", args=[self.pk])

    def is_overdue(self, today=None) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < (today or timezone.localdate())


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon (to the owner)"
    OVERDUE = "overdue", "Overdue (to the owner and their senior manager)"


class ActionReminder(models.Model):
    """What was sent, so a reminder run repeated (or run by two workers) sends nothing twice."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    run_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "kind"], name="action_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for action {self.action_id}"
