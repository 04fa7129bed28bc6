"""Practice themes of a partnership and the themes tagged on auditors' comments.

A comment is an Answer row's `comment` (on the question's first row) or the `text` of a free-text
question. Tags are rows, so theme counts are GROUP BY queries."""

from django.conf import settings
from django.db import models


class Theme(models.Model):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.CASCADE, related_name="themes"
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["partnership", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="one_theme_per_key")
        ]

    def __str__(self) -> str:
        return self.name


class CommentTheme(models.Model):
    """One theme on one comment. `suggested` rows come from the suggester; a person's
    confirmation sets `confirmed_by` and `confirmed_at` (a confirmed row may also have been
    suggested)."""

    answer = models.ForeignKey(
        "returns.Answer", on_delete=models.CASCADE, related_name="comment_themes"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="comment_themes")
    suggested = models.BooleanField(default=False)
    confirmed = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "theme"], name="one_tag_per_theme")
        ]
        indexes = [models.Index(fields=["theme", "confirmed"])]

    def __str__(self) -> str:
        return f"{self.theme_id} on {self.answer_id}"
