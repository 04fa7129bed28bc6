import json
import shutil
import sys

from django.core.management.base import CommandError

from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.accounts.models import User
from caseaudit.audits.models import Audit
from caseaudit.documents.render import FORMATS
from caseaudit.publications import publishing
from caseaudit.publications.models import Publication
from caseaudit.publications.products import PRODUCTS

ACTOR = "caseaudit publish"


class Command(ProvisioningCommand):
    help = (
        "Publish the next version of one product of an audit in one format and copy the file to "
        "--output. Runs the privacy check first: with outstanding hits it prints them as JSON, "
        "writes nothing and exits 1. Exits 2 on bad input or a failed rendering."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, type=int, metavar="ID")
        parser.add_argument("--product", required=True, choices=list(PRODUCTS))
        parser.add_argument("--format", required=True, choices=list(FORMATS), dest="fmt")
        parser.add_argument("--output", required=True, metavar="PATH")
        parser.add_argument(
            "--user", metavar="EMAIL", help="Recorded as the publisher (default: none)."
        )

    def handle(self, *args, **options):
        audit = Audit.objects.select_related("partnership").filter(pk=options["audit"]).first()
        if audit is None:
            raise CommandError(f"No audit with id {options['audit']}", returncode=2)
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if (
                user is None
                or not user.memberships.filter(
                    partnership=audit.partnership, is_active=True
                ).exists()
            ):
                raise CommandError(
                    f"No active person {options['user']} in the audit's partnership",
                    returncode=2,
                )
        try:
            publication = publishing.publication_publish(
                audit=audit,
                product=options["product"],
                formats=(options["fmt"],),
                user=user,
                via="command",
                actor="" if user else ACTOR,
            )
        except publishing.PrivacyCheckFailed as refused:
            publishing.record_identifying_details_shown(
                audit=audit, hits=refused.hits, user=user, actor="" if user else ACTOR
            )
            self.stdout.write(
                json.dumps([hit.as_dict() for hit in refused.hits], indent=2, ensure_ascii=False)
            )
            self.stdout.flush()
            sys.exit(1)
        except Exception as error:
            raise CommandError(f"Could not publish: {error}", returncode=2) from error
        if publication.status != Publication.Status.READY:
            if publication.status == Publication.Status.FAILED:
                raise CommandError(f"Could not publish: {publication.error}", returncode=2)
            # A database task backend: the worker makes the file later.
            raise CommandError(
                f"Version {publication.version} is {publication.status}: run the command with "
                "the immediate task backend (CASEAUDIT_TASKS unset) to get the file at once",
                returncode=2,
            )
        file = publication.files.get(format=options["fmt"])
        shutil.copyfile(file.full_path, options["output"])
        self.stdout.write(
            json.dumps(
                {
                    "audit": audit.pk,
                    "product": publication.product,
                    "version": publication.version,
                    "format": file.format,
                    "output": options["output"],
                    "sha256": file.sha256,
                    "size": file.size,
                },
                indent=2,
            )
        )
