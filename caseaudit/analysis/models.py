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
