"""Audit templates: a template has numbered versions; a version has sections, questions and
options. A version is frozen when the first request using it is sent, and from then on its rows
never change, so every answer keeps pointing at the exact question it was given for."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class QuestionType(models.TextChoices):
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    YES_NO_NA = "yes_no_na", "Yes, no or not applicable"
    GRADE = "grade", "Grade"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    TEXT = "text", "Free text"


# Question types whose answers are options (rows of Option).
CHOICE_TYPES = frozenset(
    {
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.YES_NO_NA,
        QuestionType.GRADE,
    }
)


class Meaning(models.TextChoices):
    """How an option counts in statistics."""

    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_KNOWN = "not_known", "Not known"


# Left out of the "excluding not applicable" percentages.
EXCLUDED_MEANINGS = frozenset({Meaning.NOT_APPLICABLE, Meaning.NOT_KNOWN})

# The options a yes / no / not applicable question gets unless the template says otherwise.
YES_NO_NA_OPTIONS = (
    ("yes", "Yes", Meaning.POSITIVE),
    ("no", "No", Meaning.NEGATIVE),
    ("not_applicable", "Not applicable", Meaning.NOT_APPLICABLE),
)

# The grading scale a template gets unless it sets its own.
DEFAULT_GRADE_SCALE = (
    ("outstanding", "Outstanding", Meaning.POSITIVE),
    ("good", "Good", Meaning.POSITIVE),
    ("requires_improvement", "Requires improvement", Meaning.NEGATIVE),
    ("inadequate", "Inadequate", Meaning.NEGATIVE),
)


class Template(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="templates"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="template_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> "TemplateVersion | None":
        return self.versions.order_by("-number").first()


class TemplateVersion(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    grade_scale = models.JSONField(
        default=list,
        blank=True,
        help_text='The grades of this version, best first: [{"key", "label", "meaning"}].',
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    frozen_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the first request using it is sent."
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="Where it came from: a file name or the builder."
    )

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.template.name}, version {self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Section(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField()
    key = models.SlugField(
        max_length=80,
        help_text="Stable name used to compare results across audits and template versions.",
    )
    text = models.TextField()
    help = models.TextField(blank=True)
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    required = models.BooleanField(default=True)
    comment = models.BooleanField(default=False, help_text="Offer a comment box.")
    comment_label = models.CharField(max_length=200, blank=True)
    show_if_question = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shown_questions",
        help_text="Show only when this earlier question has one of show_if_options.",
    )
    show_if_options = models.JSONField(default=list, blank=True)
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["version", "section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_key_unique")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField()
    key = models.SlugField(max_length=80)
    label = models.CharField(max_length=300)
    meaning = models.CharField(max_length=20, choices=Meaning.choices)

    class Meta:
        ordering = ["question", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="option_key_unique")
        ]

    def __str__(self) -> str:
        return self.label
