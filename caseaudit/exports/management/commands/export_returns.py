from pathlib import Path

from django.core.management.base import CommandError

from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.accounts.models import Membership, normalise_email
from caseaudit.audits.models import Audit
from caseaudit.exports.services import EXPORTS, export_build, may_identify
from caseaudit.exports.writers import write_csv, write_xlsx


class Command(ProvisioningCommand):
    help = (
        "Export an audit's submitted returns as CSV or XLSX, pseudonymised. With --identifying "
        "(and --user, a person allowed to view identifying details) the child's id, name and "
        "date of birth are added; every export is recorded in the access log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, type=int, metavar="ID")
        parser.add_argument("--shape", required=True, choices=["long", "wide"])
        parser.add_argument("--format", required=True, choices=["csv", "xlsx"])
        parser.add_argument("--output", required=True, metavar="PATH")
        parser.add_argument("--identifying", action="store_true")
        parser.add_argument("--user", metavar="EMAIL", help="Recorded in the access log")

    def handle(self, *args, **options):
        audit = Audit.objects.select_related("partnership").filter(pk=options["audit"]).first()
        if audit is None:
            raise CommandError(f"No audit with id {options['audit']}")
        membership = None
        if options["user"]:
            membership = (
                Membership.objects.select_related("user")
                .filter(
                    partnership=audit.partnership,
                    user__email__iexact=normalise_email(options["user"]),
                    is_active=True,
                    user__is_active=True,
                )
                .first()
            )
            if membership is None:
                raise CommandError(f"No active user {options['user']} in {audit.partnership.slug}")
        if options["identifying"]:
            if membership is None:
                raise CommandError("--identifying needs --user EMAIL")
            if not may_identify(membership):
                raise CommandError(f"{options['user']} may not view identifying details")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"No directory {output.parent}")
        kind = f"returns-{options['shape']}"
        export = export_build(
            audit=audit,
            kind=kind,
            fmt=options["format"],
            identifying=options["identifying"],
            user=membership.user if membership else None,
            member=membership,
            actor="" if membership else "caseaudit export_returns",
        )
        if options["format"] == "csv":
            write_csv(export, str(output))
        else:
            write_xlsx(export, str(output), EXPORTS[kind].sheet)
        self.stdout.write(f"Wrote {output}")
