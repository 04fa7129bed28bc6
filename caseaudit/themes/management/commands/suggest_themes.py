from django.core.management.base import BaseCommand, CommandError

from caseaudit.audits.models import Audit
from caseaudit.themes.services import themes_suggest_for_audit


class Command(BaseCommand):
    help = (
        "Suggests practice themes for every comment of an audit's submitted returns. Comments "
        "that already carry a theme are left alone unless --all is given; confirmed themes are "
        "never removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", type=int, required=True, help="The audit's id.")
        parser.add_argument(
            "--all", action="store_true", help="Suggest again for comments that have themes."
        )

    def handle(self, *args, **options):
        audit = Audit.objects.filter(pk=options["audit"]).select_related("partnership").first()
        if audit is None:
            raise CommandError(f"There is no audit with id {options['audit']}")
        made = themes_suggest_for_audit(audit=audit, only_new=not options["all"])
        self.stdout.write(f"Suggested {made} theme(s) for comments of “{audit.title}”.")
