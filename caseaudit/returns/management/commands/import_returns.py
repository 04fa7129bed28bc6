from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.accounts.models import Membership, normalise_email
from caseaudit.audits.models import Audit
from caseaudit.population.parsing import ExtractError
from caseaudit.returns.importing import issue_lines, parse_returns, returns_import


class Command(ProvisioningCommand):
    help = (
        "Import returns completed in a spreadsheet (CSV or XLSX, one row per answer: case, "
        "agency, question, answer, comment). Every row is checked first: on any problem nothing "
        "is stored and the command exits non-zero. Imported returns are submitted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, type=int, metavar="ID")
        parser.add_argument("file", metavar="FILE")
        parser.add_argument(
            "--user", metavar="EMAIL", help="Recorded as the person who gave the answers"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the answers of returns already submitted, declined or inadmissible",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; store nothing"
        )

    def handle(self, *args, **options):
        audit = (
            Audit.objects.select_related("partnership", "template_version")
            .filter(pk=options["audit"])
            .first()
        )
        if audit is None:
            raise CommandError(f"No audit with id {options['audit']}")
        user = None
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
            user = membership.user
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            file, plan = parse_returns(
                audit, path.read_bytes(), path.name, replace=options["replace"]
            )
            if options["dry_run"]:
                self.stdout.write(
                    f"Would import {plan.answers} answers for {plan.returns} returns "
                    f"({plan.new_requests} new requests, {plan.replaced} replaced). "
                    "Nothing was stored (--dry-run)"
                )
                return
            result = returns_import(
                audit=audit,
                rows=plan.rows,
                user=user,
                replace=options["replace"],
                actor="" if user else "caseaudit import_returns",
                file_hash=file.file_hash,
            )
        except ExtractError as error:
            raise CommandError(
                f"Nothing was imported from {path.name}:\n  "
                + "\n  ".join(issue_lines(error.issues))
            ) from error
        except ValidationError as error:
            raise self.as_command_error(error) from error
        self.stdout.write(
            f"Imported {result.answers} answers for {result.returns} returns "
            f"({result.new_requests} new requests)"
        )
        if result.replaced:
            self.stdout.write(f"Replaced the answers of {result.replaced} closed returns")
        if file.ignored_columns:
            self.stdout.write(f"Columns not used: {', '.join(file.ignored_columns)}")
