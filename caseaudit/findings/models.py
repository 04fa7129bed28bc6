"""What the audit lead writes from the evidence: numbered findings with their challenge and
supporting quotes, recommendations, learning themes, good practice, worries, next steps,
vignettes and the narrative sections of the publications. Everything here is free text that
the publications render (escaped by each renderer) and the privacy check scans."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReportText(models.Model):
    """The narrative parts of an audit's publications, one row per audit."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, related_name="report_text"
    )
    introduction = models.TextField(blank=True)
    background = models.TextField(
        blank=True, help_text="Why the audit was done: earlier audits, reviews, priorities."
    )
    overview = models.TextField(blank=True, help_text="What the audit looked at, in brief.")
    practitioners_perspective = models.TextField(blank=True)
    family_perspective = models.TextField(blank=True)
    conclusions = models.TextField(blank=True)
    triangulation = models.TextField(
        blank=True, help_text="Other quality-assurance findings that confirm or challenge these."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Report text of {self.audit}"


class _Numbered(models.Model):
    """Shared by the lists the lead orders: shown as 1, 2, 3 in `number` order."""

    number = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["number", "id"]


class Finding(_Numbered):
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="findings")
    text = models.TextField()
    challenge_for = models.CharField(
        max_length=200, blank=True, help_text="Who is challenged, for example all agencies."
    )
    challenge = models.TextField(blank=True)
    question_keys = models.JSONField(
        default=list, blank=True, help_text="Keys of the questions whose figures support it."
    )

    class Meta(_Numbered.Meta):
        pass

    def __str__(self) -> str:
        return f"Finding {self.number}"


class FindingQuote(models.Model):
    """An auditor's comment quoted under a finding. The words are copied when pulled in (with
    the child's name replaced by the pseudonym) so a later change to the return does not
    silently change a drafted or published quote."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="quotes")
    # Where the words came from: the return and the question (not the answer row, which is
    # rewritten whenever the answer changes).
    request = models.ForeignKey(
        "returns.AuditRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(
        "questionnaires.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField()
    attribution = models.CharField(max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"Quote under finding {self.finding.number}"


class Recommendation(_Numbered):
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    finding = models.ForeignKey(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="recommendations"
    )
    lead = models.CharField(
        max_length=200, blank=True, help_text="Who takes it forward, for example the partnership."
    )

    class Meta(_Numbered.Meta):
        pass

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class LearningTheme(_Numbered):
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.CASCADE, related_name="learning_themes"
    )
    title = models.CharField(max_length=200)
    what_we_found = models.TextField(blank=True)
    what_needs_to_happen = models.TextField(blank=True)
    practice_theme = models.ForeignKey(
        "themes.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    links = models.JSONField(
        default=list, blank=True, help_text='Tools or guidance: [{"title": ..., "url": ...}].'
    )

    class Meta(_Numbered.Meta):
        pass

    def __str__(self) -> str:
        return self.title


class PointKind(models.TextChoices):
    GOOD_PRACTICE = "good_practice", "Good practice"
    IMPROVEMENT = "improvement", "Area for improvement"
    WORRY = "worry", "What we are worried about"
    NEXT_STEP = "next_step", "Next step"


class ReportPoint(_Numbered):
    """One short point in a list: good practice, an area for improvement, a worry, a next step."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="points")
    kind = models.CharField(max_length=20, choices=PointKind.choices)
    text = models.TextField()

    class Meta(_Numbered.Meta):
        ordering = ["kind", "number", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class VignetteKind(models.TextChoices):
    CASE_EXAMPLE = "case_example", "A case example"
    WHAT_GOOD_LOOKS_LIKE = "what_good_looks_like", "What good looks like"
    PRACTITIONER_VIEW = "practitioner_view", "A practitioner's view"
    PARENTS_WORDS = "parents_words", "In parents' words"


class Vignette(_Numbered):
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="vignettes")
    kind = models.CharField(max_length=30, choices=VignetteKind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField()

    class Meta(_Numbered.Meta):
        pass

    def __str__(self) -> str:
        return self.title
