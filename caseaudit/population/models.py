from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.fields import EncryptedTextField


class PlanCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    EMOTIONAL_ABUSE = "emotional_abuse", "Emotional abuse"
    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    MULTIPLE = "multiple", "Multiple"


class AgeBand(models.TextChoices):
    UNDER_5 = "0-4", "0 to 4"
    FROM_5 = "5-9", "5 to 9"
    FROM_10 = "10-15", "10 to 15"
    FROM_16 = "16+", "16 and over"
    UNKNOWN = "unknown", "Not known"


def age_band_for(age_years: int | None) -> str:
    if age_years is None or age_years < 0:
        return AgeBand.UNKNOWN
    if age_years <= 4:
        return AgeBand.UNDER_5
    if age_years <= 9:
        return AgeBand.FROM_5
    if age_years <= 15:
        return AgeBand.FROM_10
    return AgeBand.FROM_16


class PopulationSnapshot(models.Model):
    """One imported case-management extract, kept as it was on the day."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="snapshots"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    as_of = models.DateField(help_text="Ages and intervals are worked out at this date.")
    file_name = models.CharField(max_length=255)
    file_hash = models.CharField(max_length=64, help_text="SHA-256 of the uploaded file.")
    file_format = models.CharField(max_length=10)
    encoding = models.CharField(max_length=20, blank=True)
    mapping_name = models.CharField(max_length=100, blank=True)
    row_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at", "-id"]
        get_latest_by = "imported_at"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.row_count} children, {self.imported_at:%d %b %Y})"


class PopulationCase(models.Model):
    """One child in a snapshot. Identifying details are encrypted; everything used for figures
    and sampling is kept in derived, non-identifying fields."""

    snapshot = models.ForeignKey(PopulationSnapshot, on_delete=models.CASCADE, related_name="cases")
    row_number = models.PositiveIntegerField()
    child_key = models.CharField(
        max_length=64, db_index=True, help_text="Keyed digest of child_id."
    )
    child_id = EncryptedTextField()
    name = EncryptedTextField(blank=True)
    date_of_birth = EncryptedTextField(blank=True, help_text="ISO date, encrypted.")
    age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    gender = models.CharField(max_length=40, blank=True)
    ethnicity = models.CharField(max_length=100, blank=True)
    team = models.CharField(max_length=100, blank=True)
    worker_id = models.CharField(max_length=60, blank=True)
    sibling_group = models.CharField(max_length=60, blank=True)
    plan_category = models.CharField(max_length=20, choices=PlanCategory.choices)
    plan_start = models.DateField(null=True, blank=True)
    previous_plan_end = models.DateField(null=True, blank=True)
    previous_plans = models.PositiveSmallIntegerField(default=0)
    is_repeat = models.BooleanField(default=False)
    days_since_previous_plan = models.PositiveIntegerField(null=True, blank=True)
    agencies = models.JSONField(default=list, blank=True)
    characteristics = models.JSONField(default=list, blank=True)
    identifying_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["snapshot", "row_number"]

    def __str__(self) -> str:
        return f"Row {self.row_number} of snapshot {self.snapshot_id}"


class ColumnMapping(models.Model):
    """How one kind of extract (Annex A, the Standard Safeguarding Dataset, a case system's
    report) names our columns, saved by name for the next import."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="column_mappings"
    )
    name = models.CharField(max_length=100)
    columns = models.JSONField(help_text="Our column name to the extract's header.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="mapping_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class BenchmarkKind(models.TextChoices):
    NATIONAL = "national", "National (England)"
    REGIONAL = "regional", "Regional"
    NEIGHBOUR = "neighbour", "Statistical neighbour"


class Benchmark(models.Model):
    """A comparison figure the admin enters, such as the national repeat-plan rate."""

    class Measure(models.TextChoices):
        REPEAT_PLAN_RATE = "repeat_plan_rate", "Children on a repeat plan (%)"

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="benchmarks"
    )
    measure = models.CharField(max_length=40, choices=Measure.choices)
    kind = models.CharField(max_length=20, choices=BenchmarkKind.choices)
    label = models.CharField(max_length=100, help_text="For example England or Northshire.")
    value = models.DecimalField(max_digits=7, decimal_places=2)
    period = models.CharField(max_length=20, blank=True, help_text="For example 2023 to 2024.")

    class Meta:
        ordering = ["measure", "kind", "label"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"
