"""In-app notifications, each also emailed: at once, or in a daily digest for people who chose
one. Urgent ones (a category 1 Case of Concern) are emailed at once whatever the choice. A
notification names the child only by pseudonym and links into the service."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationKind(models.TextChoices):
    CONCERN_CATEGORY_ONE = "concern_category_one", "Category 1 Case of Concern raised"
    CONCERN_REVIEW_DUE = "concern_review_due", "Case of Concern review due"
    CONCERN_REVIEW_OVERDUE = "concern_review_overdue", "Case of Concern review overdue"
    ACTION_ASSIGNED = "action_assigned", "Action assigned to you"
    ACTION_DUE_SOON = "action_due_soon", "Action due soon"
    ACTION_OVERDUE = "action_overdue", "Action overdue"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True, help_text="A path inside the service.")
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A notification that must be sent once only (a reminder) carries a key; the constraint
    # makes a second run of the same reminder a no-op.
    # NULL, not "", when there is none: NULLs never collide in the unique constraint.
    dedupe_key = models.CharField(max_length=100, null=True, blank=True)  # noqa: DJ001

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], name="notification_sent_once_each"
            )
        ]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    daily_digest = models.BooleanField(
        default=False, help_text="One email a day listing notifications, instead of one each."
    )

    def __str__(self) -> str:
        return f"{self.user}: {'daily digest' if self.daily_digest else 'immediate'}"
