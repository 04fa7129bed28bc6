"""Shared by the provisioning commands: one way to report bad input and exit non-zero."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from caseaudit.accounts.models import Partnership


class ProvisioningCommand(BaseCommand):
    requires_system_checks: list = []

    def partnership(self, slug: str) -> Partnership:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No partnership with slug '{slug}' (known: {known})")
        return partnership

    @staticmethod
    def as_command_error(error: ValidationError) -> CommandError:
        if hasattr(error, "error_dict"):
            lines = [
                f"{field}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
        else:
            lines = error.messages
        return CommandError("; ".join(lines))
