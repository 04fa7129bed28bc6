from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    LOCKED_OUT = "locked_out", "Locked out"
    SIGN_OUT = "sign_out", "Signed out"
    MFA_ENABLED = "mfa_enabled", "Set up two-factor authentication"
    MFA_DISABLED = "mfa_disabled", "Removed two-factor authentication"
    VIEW_IDENTIFYING_DETAILS = "view_identifying_details", "Viewed identifying details"
    EXPORT = "export", "Exported data"
    INVITATION_SENT = "invitation_sent", "Sent an invitation"
    INVITATION_ACCEPTED = "invitation_accepted", "Accepted an invitation"
    INVITATION_WITHDRAWN = "invitation_withdrawn", "Withdrew an invitation"
    ROLE_CHANGED = "role_changed", "Changed a role"
    MEMBERSHIP_DEACTIVATED = "membership_deactivated", "Deactivated a person"
    MEMBERSHIP_REACTIVATED = "membership_reactivated", "Reactivated a person"
    AGENCY_CHANGED = "agency_changed", "Added or changed an agency"
    POPULATION_IMPORTED = "population_imported", "Imported a case population"
    SETTINGS_CHANGED = "settings_changed", "Changed the partnership's settings"
    TEMPLATE_IMPORTED = "template_imported", "Imported an audit template"
    REQUESTS_SENT = "requests_sent", "Sent requests to agencies"
    RETURN_REOPENED = "return_reopened", "Reopened a return"
    RETURN_INADMISSIBLE = "return_inadmissible", "Marked a return inadmissible"
    RETURNS_IMPORTED = "returns_imported", "Imported returns from a spreadsheet"
    CONCERN_RAISED = "concern_raised", "Raised an immediate concern"
    API_TOKEN_CREATED = "api_token_created", "Made an API token"
    API_TOKEN_REVOKED = "api_token_revoked", "Revoked an API token"
    RESULTS_RELEASED = "results_released", "Released collated results to agencies"
    RESULTS_WITHDRAWN = "results_withdrawn", "Withdrew collated results from agencies"
    THEMES_CONFIRMED = "themes_confirmed", "Confirmed the themes of a comment"
    THEME_LIST_CHANGED = "theme_list_changed", "Changed the practice theme list"
    CASE_GRADED = "case_graded", "Graded a sampled case"
    GRADE_MODERATED = "grade_moderated", "Moderated a case's grade"
    GRADING_SCALE_CHANGED = "grading_scale_changed", "Changed the grading scale"
    MEETING_RECORDED = "meeting_recorded", "Recorded the audit meeting"
    CONCERN_CATEGORISED = "concern_categorised", "Set a Case of Concern's category"
    CONCERN_REVIEWED = "concern_reviewed", "Reviewed a Case of Concern"
    CONCERN_CLOSED = "concern_closed", "Closed a Case of Concern"
    ACTION_CREATED = "action_created", "Created an action"
    ACTION_COMPLETED = "action_completed", "Completed an action"
    ACTION_CANCELLED = "action_cancelled", "Cancelled an action"
    ACTION_LINKED = "action_linked", "Linked an action to a recommendation"
    ACTION_UNLINKED = "action_unlinked", "Unlinked an action from a recommendation"
    PRIVACY_HIT_ACCEPTED = "privacy_hit_accepted", "Accepted a privacy-check hit for publishing"
    PUBLICATION_PUBLISHED = "publication_published", "Published a version of a publication"
    PUBLICATION_DOWNLOADED = "publication_downloaded", "Downloaded a published file"


class AccessEventQuerySet(models.QuerySet):
    """Refuses bulk changes: the log is append-only (the database refuses them too)."""

    def update(self, **kwargs):
        raise PermissionError("The access log is append-only")

    def delete(self):
        raise PermissionError("The access log is append-only")


class AccessEvent(models.Model):
    """One line of the append-only access log: who did what to which object, when (UTC) and from
    where. Foreign keys carry no database constraint so that no cascade can ever rewrite a row."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.CharField(max_length=254, blank=True, help_text="Email at the time.")
    partnership = models.ForeignKey(
        "accounts.Partnership",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("The access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only")
