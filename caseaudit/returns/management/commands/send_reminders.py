import datetime

from django.core.management.base import BaseCommand, CommandError

from caseaudit.returns.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Marks requests past their due date late and sends the reminders due today. Run it once "
        "a day (cron or a systemd timer); running it again the same day sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Act as if today were this date (YYYY-MM-DD), for catching up."
        )

    def handle(self, *args, **options):
        today = options["date"]
        if today:
            try:
                datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--date must be a date like 2027-01-15") from None
        result = send_reminders.enqueue(today=today)
        if result.is_finished:
            counts = result.return_value or {}
            self.stdout.write(
                f"Marked {counts.get('marked_late', 0)} request(s) late. Reminders sent: "
                f"{counts.get('reminder_before', 0)} before the due date, "
                f"{counts.get('reminder_due', 0)} on it, "
                f"{counts.get('reminder_after', 0)} after it."
            )
        else:
            self.stdout.write(f"Queued the reminder run as task {result.id}.")
