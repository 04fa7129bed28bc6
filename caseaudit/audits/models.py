from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Methodology(models.TextChoices):
    MULTI_AGENCY_DESKTOP = "multi_agency_desktop", "Multi-agency desktop audit"
    DEEP_DIVE = "deep_dive", "Deep dive"
    MODERATED_SINGLE_AGENCY = "moderated_single_agency", "Moderated single-agency audit"


class Status(models.TextChoices):
    PLANNING = "planning", "Planning"
    SAMPLING = "sampling", "Sampling"
    FIELDWORK = "fieldwork", "Fieldwork"
    REVIEW = "review", "Review"
    REPORTING = "reporting", "Reporting"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed"


# The moves that make sense: forwards one step, back one step to correct (not once published),
# and closing a published audit. Anything else is refused.
ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Status.PLANNING: (Status.SAMPLING,),
    Status.SAMPLING: (Status.FIELDWORK, Status.PLANNING),
    Status.FIELDWORK: (Status.REVIEW, Status.SAMPLING),
    Status.REVIEW: (Status.REPORTING, Status.FIELDWORK),
    Status.REPORTING: (Status.PUBLISHED, Status.REVIEW),
    Status.PUBLISHED: (Status.CLOSED,),
    Status.CLOSED: (),
}


class Audit(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="audits"
    )
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=200, blank=True)
    aim = models.TextField(blank=True)
    scope_questions = models.JSONField(default=list, blank=True)
    terms_of_reference = models.TextField(blank=True)
    methodology = models.CharField(
        max_length=40, choices=Methodology.choices, default=Methodology.MULTI_AGENCY_DESKTOP
    )
    agencies = models.ManyToManyField("accounts.Agency", blank=True, related_name="audits")
    # Free-text name from before templates existed; template_version is the real link.
    template_name = models.CharField(max_length=200, blank=True)
    template_version = models.ForeignKey(
        "questionnaires.TemplateVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        help_text="The template version requests are sent with.",
    )
    planned_month = models.DateField(
        null=True, blank=True, help_text="First day of the month the audit is planned for."
    )
    returns_due = models.DateField(null=True, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    report_due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    results_released_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the audit lead let agency auditors see the collated results.",
    )
    results_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["planned_month", "created_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.returns_due and self.meeting_date and self.meeting_date < self.returns_due:
            raise ValidationError({"meeting_date": "The meeting must be after returns are due"})
        if self.meeting_date and self.report_due and self.report_due < self.meeting_date:
            raise ValidationError({"report_due": "The report must be due after the meeting"})

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_MOVES.get(self.status, ())


class StatusChange(models.Model):
    """Every move of an audit through its lifecycle: who, when, from and to."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.audit}: {self.from_status or 'new'} to {self.to_status}"


class Sample(models.Model):
    """The children drawn for an audit: the snapshot, criteria and random seed that reproduce it."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="sample")
    snapshot = models.ForeignKey(
        "population.PopulationSnapshot", on_delete=models.PROTECT, related_name="samples"
    )
    size = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    criteria = models.JSONField(default=dict)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sample of {self.size} for {self.audit}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class SampledCase(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey(
        "population.PopulationCase", on_delete=models.PROTECT, related_name="sampled"
    )
    order = models.PositiveIntegerField(help_text="Order drawn, from 1.")
    pseudonym = models.CharField(max_length=60)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    removal_reason = models.CharField(max_length=500, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )

    class Meta:
        ordering = ["sample", "order"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "pseudonym"], name="pseudonym_unique"),
        ]

    def __str__(self) -> str:
        return self.pseudonym
