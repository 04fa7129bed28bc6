import datetime

from django.core.management.base import BaseCommand, CommandError

from caseaudit.actions.tasks import send_action_reminders


class Command(BaseCommand):
    help = (
        "Reminds action owners before the due date, tells owners and their senior managers "
        "when an action is overdue, and tells senior managers about Case of Concern reviews "
        "due or overdue. Run it once a day; each reminder is sent once only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = options["date"]
        if today:
            try:
                datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--date must be a date like 2027-01-15") from None
        result = send_action_reminders.enqueue(today=today)
        if result.is_finished:
            counts = result.return_value or {}
            self.stdout.write(
                f"Actions: {counts.get('due_soon', 0)} due-soon reminder(s), "
                f"{counts.get('overdue', 0)} overdue notice(s). Cases of Concern: "
                f"{counts.get('review_due', 0)} review(s) due, "
                f"{counts.get('review_overdue', 0)} overdue."
            )
        else:
            self.stdout.write(f"Queued the reminder run as task {result.id}.")
