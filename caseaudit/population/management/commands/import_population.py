import json
from pathlib import Path

from django.core.management.base import CommandError

from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.population.parsing import ExtractError
from caseaudit.population.services import population_import

SHOWN_PROBLEMS = 20


class Command(ProvisioningCommand):
    help = (
        "Import a case-management extract (CSV or XLSX) as a population snapshot. Every row is "
        "checked first: on any problem nothing is stored and the command exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, metavar="SLUG")
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--mapping", default="", metavar="NAME", help="A saved column mapping")
        parser.add_argument("--json", action="store_true", help='Print {"snapshot": id, "rows": n}')

    def handle(self, *args, **options):
        partnership = self.partnership(options["partnership"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            snapshot = population_import(
                partnership=partnership,
                content=path.read_bytes(),
                file_name=path.name,
                mapping_name=options["mapping"],
            )
        except ExtractError as error:
            lines = [
                f"{'row ' + str(issue.row) if issue.row else 'file'}"
                f"{', column ' + issue.column if issue.column else ''}: {issue.message}"
                for issue in error.issues[:SHOWN_PROBLEMS]
            ]
            if len(error.issues) > SHOWN_PROBLEMS:
                lines.append(f"and {len(error.issues) - SHOWN_PROBLEMS} more problems")
            raise CommandError(
                f"Nothing was imported from {path.name}:\n  " + "\n  ".join(lines)
            ) from error
        if options["json"]:
            self.stdout.write(json.dumps({"snapshot": snapshot.pk, "rows": snapshot.row_count}))
        else:
            self.stdout.write(
                f"Imported {snapshot.row_count} children from {path.name} "
                f"into {partnership.name} (snapshot {snapshot.pk})"
            )
