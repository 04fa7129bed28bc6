from django.core.exceptions import ValidationError

from caseaudit.accounts import services
from caseaudit.accounts.management.commands._base import ProvisioningCommand


class Command(ProvisioningCommand):
    help = "Create a partnership (the tenant)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="Lower-case, like north-shire")

    def handle(self, *args, **options):
        try:
            partnership = services.partnership_create(name=options["name"], slug=options["slug"])
        except ValidationError as error:
            raise self.as_command_error(error) from error
        self.stdout.write(
            f"Created partnership {partnership.name} (slug {partnership.slug}, id {partnership.pk})"
        )
