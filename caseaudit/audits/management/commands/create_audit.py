import json

from django.core.exceptions import ValidationError

from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.audits.models import Methodology
from caseaudit.audits.services import audit_create


class Command(ProvisioningCommand):
    help = "Create an audit in a partnership's programme and print its id."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, metavar="SLUG")
        parser.add_argument("--title", required=True)
        parser.add_argument("--theme", default="")
        parser.add_argument("--template", default="", metavar="NAME")
        parser.add_argument(
            "--methodology", default=Methodology.MULTI_AGENCY_DESKTOP, choices=Methodology.values
        )
        parser.add_argument("--json", action="store_true", help='Print {"audit": id}')

    def handle(self, *args, **options):
        partnership = self.partnership(options["partnership"])
        try:
            audit = audit_create(
                partnership=partnership,
                title=options["title"],
                theme=options["theme"],
                template_name=options["template"],
                methodology=options["methodology"],
            )
        except ValidationError as error:
            raise self.as_command_error(error) from error
        if options["json"]:
            self.stdout.write(json.dumps({"audit": audit.pk}))
        else:
            self.stdout.write(str(audit.pk))
