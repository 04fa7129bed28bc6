"""Personal API tokens. A token acts as one membership (a person in one partnership), so the
API sees exactly what that person sees there. Only a hash of the token is stored; the token
itself is shown once, when it is made."""

from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the person uses it for.")
    prefix = models.CharField(
        max_length=12, help_text="The token's first letters, to tell it apart."
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
