import json
import sys

from django.core.management.base import CommandError

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.audits.models import Audit
from caseaudit.publications.extraction import UnreadableFile, extract_texts
from caseaudit.publications.privacy import KNOWN_KINDS, KnownDetails, find_identifying_details

ACTOR = "caseaudit privacy_check"


class Command(ProvisioningCommand):
    help = (
        "Check text, Markdown, HTML, DOCX and PDF files for identifying details of the audit's "
        "sampled children and for NHS numbers, dates of birth, postcodes, phone numbers and "
        "email addresses. Prints the hits as JSON; exits 0 with none, 1 with any, 2 on an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, type=int, metavar="ID")
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, **options):
        audit = Audit.objects.select_related("partnership").filter(pk=options["audit"]).first()
        if audit is None:
            raise CommandError(f"No audit with id {options['audit']}", returncode=2)
        # Every file is read before anything is checked, so a bad path prints no half result.
        try:
            files = [(name, extract_texts(name)) for name in options["files"]]
        except UnreadableFile as error:
            raise CommandError(str(error), returncode=2) from error
        known = KnownDetails.for_audit(audit)
        hits = [
            hit
            for name, texts in files
            for hit in find_identifying_details(texts, file=name, known=known)
        ]
        known_hits = sum(1 for hit in hits if hit.kind in KNOWN_KINDS)
        if known_hits:
            # The output ties text found in the files to the children's pseudonyms.
            access_event_record(
                action=Action.VIEW_IDENTIFYING_DETAILS,
                actor=ACTOR,
                partnership=audit.partnership,
                obj=audit,
                object_label=audit.title,
                detail=f"Privacy check of {len(files)} file(s): {known_hits} match(es) of the "
                "sample's identifying details",
            )
        self.stdout.write(json.dumps([hit.as_dict() for hit in hits], indent=2, ensure_ascii=False))
        if hits:
            self.stdout.flush()
            sys.exit(1)
