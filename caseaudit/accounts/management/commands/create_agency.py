from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from caseaudit.accounts import services
from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.accounts.models import Sector


class Command(ProvisioningCommand):
    help = "Add an agency to a partnership (an existing agency of that name is shared, not copied)."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, metavar="SLUG")
        parser.add_argument("--name", required=True)
        parser.add_argument("--sector", required=True, help=", ".join(Sector.values))
        parser.add_argument("--code", default="", help="Short code used in imports")

    def handle(self, *args, **options):
        partnership = self.partnership(options["partnership"])
        if options["sector"] not in Sector.values:
            raise CommandError(
                f"Unknown sector '{options['sector']}'. Use one of: {', '.join(Sector.values)}"
            )
        try:
            agency, created = services.agency_create(
                partnership=partnership,
                name=options["name"],
                sector=options["sector"],
                code=options["code"],
            )
        except ValidationError as error:
            raise self.as_command_error(error) from error
        verb = "Created agency" if created else "Linked existing agency"
        self.stdout.write(
            f"{verb} {agency.name} ({agency.get_sector_display()}, id {agency.pk}) "
            f"for partnership {partnership.slug}"
        )
