"""A summary the trends read instead of scanning every answer row of a partnership's history:
per audit, how many answer rows of submitted returns chose each option. It is a cache, kept
right by a stamp of the audit's submitted returns (caseaudit/analysis/summary.py): nothing
writes it but `summary.answer_counts`, and a stale audit is counted again before it is read."""

from django.db import models


class AuditSummary(models.Model):
    """When the audit's option counts were last made, and from which submitted returns: their
    number, the sum of their versions and of their ids, and the latest submission. Every change
    to a return's answers or status moves its version on (returns.services), and versions never
    go back, so the same stamp means the same submitted answers."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    submitted = models.PositiveIntegerField()
    version_sum = models.BigIntegerField()
    id_sum = models.BigIntegerField()
    last_submitted_at = models.DateTimeField(null=True)
    made_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.audit_id}: {self.submitted} submitted"


class AuditOptionCount(models.Model):
    """Answer rows of the audit's submitted returns choosing this option of this question."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(
        "questionnaires.Question", on_delete=models.CASCADE, related_name="+"
    )
    option = models.ForeignKey("questionnaires.Option", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "question", "option"], name="one_count_per_option"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audit_id}/{self.question_id}/{self.option_id}: {self.count}"


class Breakdown(models.TextChoices):
    AGENCY = "agency", "By agency"
    CASE = "case", "By case"


class StatisticsCounts(models.Model):
    """The grouped rows one audit's statistics are arranged from (caseaudit/analysis/
    statistics.py), for one breakdown, as the database counted them, with the stamp of the
    submitted returns they were counted from (the same stamp as AuditSummary's). A cache: the
    statistics count again whenever the audit's stamp differs, and deleting these rows is
    always safe.

    `rows` is JSON text, by column: {"answers": [questions, options (null for number, date
    and text), groups, counts, number sums (as text), number counts, number minimums, number
    maximums], "distinct": [questions, groups, returns, returns excluding not applicable]},
    each a list with one entry per grouped row. Text rather than jsonb, and columns rather
    than rows: a 25,000-child case breakdown is over a million grouped rows, which jsonb took
    seconds to take in and give back. Ids only, so question wording, option labels, agency
    names and pseudonyms are always read as they are now."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="+")
    breakdown = models.CharField(max_length=10, choices=Breakdown.choices)
    submitted = models.PositiveIntegerField()
    version_sum = models.BigIntegerField()
    id_sum = models.BigIntegerField()
    last_submitted_at = models.DateTimeField(null=True)
    rows = models.TextField()
    made_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "breakdown"], name="one_statistics_cache_per_breakdown"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audit_id}/{self.breakdown}: {self.submitted} submitted"

    @property
    def stamp(self) -> tuple:
        return (self.submitted, self.version_sum, self.id_sum, self.last_submitted_at)
