"""Requests to agencies and the returns they send back.

One request per sampled child per involved agency. The return is the request's answers: one row
per answer (one per chosen option of a multiple-choice question), every change kept as a revision.
`version` counts saves so two people saving the same return cannot overwrite each other."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.fields import EncryptedTextField


class RequestStatus(models.TextChoices):
    NOT_SENT = "not_sent", "Not sent"
    SENT = "sent", "Sent"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    LATE = "late", "Late"
    DECLINED = "declined", "Declined"
    INADMISSIBLE = "inadmissible", "Inadmissible"
    REOPENED = "reopened", "Reopened"


# Waiting for the agency: these can be edited by the auditor, chased and become late.
OUTSTANDING = frozenset(
    {
        RequestStatus.SENT,
        RequestStatus.IN_PROGRESS,
        RequestStatus.LATE,
        RequestStatus.REOPENED,
    }
)
# Closed for the agency: nothing more is expected.
CLOSED = frozenset({RequestStatus.SUBMITTED, RequestStatus.DECLINED, RequestStatus.INADMISSIBLE})


class Source(models.TextChoices):
    WEB = "web", "Web form"
    IMPORT = "import", "Imported from a spreadsheet"


class AuditRequest(models.Model):
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="requests")
    sampled_case = models.ForeignKey(
        "audits.SampledCase", on_delete=models.PROTECT, related_name="requests"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    template_version = models.ForeignKey(
        "questionnaires.TemplateVersion", on_delete=models.PROTECT, related_name="requests"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_requests",
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.NOT_SENT
    )
    reason = models.TextField(
        blank=True, help_text="Why it was declined, inadmissible or reopened."
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    version = models.PositiveIntegerField(default=0, help_text="Goes up by one at every save.")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_saved_at = models.DateTimeField(null=True, blank=True)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_chased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "sampled_case__order", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["sampled_case", "agency"], name="one_request_each"),
        ]
        indexes = [models.Index(fields=["audit", "status"]), models.Index(fields=["assignee"])]

    def __str__(self) -> str:
        return f"{self.sampled_case.pseudonym}: {self.agency}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OUTSTANDING and self.due_date < today

    @property
    def is_editable(self) -> bool:
        """The agency can still change the answers."""
        return self.status in OUTSTANDING

    @property
    def submitted_in_time(self) -> bool | None:
        if self.submitted_at is None:
            return None
        return timezone.localdate(self.submitted_at) <= self.due_date

    def display_status(self, today: datetime.date | None = None) -> str:
        """The stored status, except that an outstanding request past its due date is late even
        before the nightly task has marked it."""
        if self.is_overdue(today):
            return RequestStatus.LATE
        return self.status


class Answer(models.Model):
    """One answer: for a choice question the chosen option (one row per option chosen), for
    other types its text, number or date. The comment is held on the question's first row; a
    comment given with no answer sits on a row with no value."""

    request = models.ForeignKey(AuditRequest, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "questionnaires.Question", on_delete=models.PROTECT, related_name="answers"
    )
    option = models.ForeignKey(
        "questionnaires.Option",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "question", "option__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "question", "option"], name="one_row_per_option"
            ),
        ]
        indexes = [
            models.Index(fields=["question", "option"]),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}/{self.question_id}"


class AnswerRevision(models.Model):
    """Every change to the answer of one question: who, when, what it was and what it became.
    `old` and `new` are {"options": [keys], "value": str, "comment": str}."""

    request = models.ForeignKey(AuditRequest, on_delete=models.CASCADE, related_name="revisions")
    question = models.ForeignKey(
        "questionnaires.Question", on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)

    class Meta:
        ordering = ["request", "changed_at", "id"]

    def __str__(self) -> str:
        return f"Change to {self.question_id} on request {self.request_id}"


class EventKind(models.TextChoices):
    CREATED = "created", "Request created"
    SENT = "sent", "Sent to the agency"
    REASSIGNED = "reassigned", "Reassigned"
    DUE_DATE_CHANGED = "due_date_changed", "Due date changed"
    REMINDER_BEFORE = "reminder_before", "Reminder before the due date"
    REMINDER_DUE = "reminder_due", "Reminder on the due date"
    REMINDER_AFTER = "reminder_after", "Reminder after the due date"
    CHASED = "chased", "Chased by the audit lead"
    MARKED_LATE = "marked_late", "Marked late"
    SUBMITTED = "submitted", "Submitted"
    DECLINED = "declined", "Declined"
    INADMISSIBLE = "inadmissible", "Marked inadmissible"
    REOPENED = "reopened", "Reopened"
    IMPORTED = "imported", "Imported from a spreadsheet"
    CONCERN = "concern", "Immediate concern raised"


class RequestEvent(models.Model):
    """The history of a request. Reminders are recorded here too, which is what stops the
    nightly task sending the same reminder twice."""

    request = models.ForeignKey(AuditRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    reminder_date = models.DateField(
        null=True, blank=True, help_text="For reminders: the day it was due to go."
    )

    class Meta:
        ordering = ["request", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "reminder_date"],
                condition=models.Q(reminder_date__isnull=False),
                name="one_reminder_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d %b %Y})"


class ReminderSettings(models.Model):
    """When reminders go for an audit: days before the due date, on it, and days after it
    (repeating every `after_every_days` until returned)."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="reminder_settings"
    )
    before_days = models.PositiveSmallIntegerField(default=3)
    on_due_date = models.BooleanField(default=True)
    after_days = models.PositiveSmallIntegerField(default=2)
    after_every_days = models.PositiveSmallIntegerField(
        default=7, help_text="Then again every so many days; 0 for no repeats."
    )

    def __str__(self) -> str:
        return f"Reminders for {self.audit}"


class PendingSave(models.Model):
    """Answers posted from a return page after the session had ended (a form sent without
    scripts, after 30 minutes' thought). They are kept, encrypted, under a single-use token that
    travels through sign-in, and applied as soon as someone who may edit the return signs in
    again. Kept for a day at most."""

    request = models.ForeignKey(AuditRequest, on_delete=models.CASCADE, related_name="+")
    section_number = models.PositiveIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    data = EncryptedTextField(help_text="The posted form as JSON.")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Answers waiting for sign-in on request {self.request_id}"
