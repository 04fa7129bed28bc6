import json

from django.core.management.base import CommandError

from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.analysis.statistics import audit_statistics
from caseaudit.audits.models import Audit


class Command(ProvisioningCommand):
    help = (
        "Print an audit's per-question statistics as JSON: the same figures as its statistics "
        "page and GET /api/v1/audits/{id}/statistics (see docs/api.md for the shape)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, type=int, metavar="ID")
        parser.add_argument(
            "--no-by-case",
            action="store_true",
            help="Leave out the breakdown by child (smaller output for very large audits)",
        )

    def handle(self, *args, **options):
        audit = Audit.objects.filter(pk=options["audit"]).first()
        if audit is None:
            raise CommandError(f"No audit with id {options['audit']}")
        statistics = audit_statistics(audit, by_case=not options["no_by_case"])
        self.stdout.write(json.dumps(statistics, indent=2, ensure_ascii=False))
