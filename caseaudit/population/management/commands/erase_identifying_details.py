from django.conf import settings
from django.core.management.base import BaseCommand

from caseaudit.population.services import identifying_details_erase_due


class Command(BaseCommand):
    help = (
        "Erase the identifying details of children sampled in audits closed more than "
        "CASEAUDIT_ERASE_AFTER_DAYS days ago. Run it daily (cron or a systemd timer)."
    )

    def handle(self, *args, **options):
        erased = identifying_details_erase_due()
        self.stdout.write(
            f"Erased the identifying details of {erased} "
            f"{'child' if erased == 1 else 'children'} "
            f"(audits closed more than {settings.ERASE_AFTER_DAYS} days ago)."
        )
