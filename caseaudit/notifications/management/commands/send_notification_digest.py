from django.core.management.base import BaseCommand

from caseaudit.notifications.tasks import send_digest


class Command(BaseCommand):
    help = (
        "Emails each person who chose the daily digest one summary of the notifications not yet "
        "emailed to them. Run it once a day; a second run sends nothing already sent."
    )

    def handle(self, *args, **options):
        result = send_digest.enqueue()
        if result.is_finished:
            self.stdout.write(f"Sent {result.return_value or 0} digest email(s).")
        else:
            self.stdout.write(f"Queued the digest run as task {result.id}.")
