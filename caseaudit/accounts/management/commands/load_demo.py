from django.conf import settings
from django.core.management.base import BaseCommand

from caseaudit.accounts.demo import DEMO_PASSWORD, load_demo, sign_ins


class Command(BaseCommand):
    help = "Load the fictional demo partnerships, agencies and people (safe to run again)."

    def handle(self, *args, **options):
        created = load_demo()
        self.stdout.write("Demo data loaded." if created else "Demo data already loaded.")
        self.stdout.write("")
        self.stdout.write("Demo sign-ins (all fictional), password for each: " + DEMO_PASSWORD)
        for email, what in sign_ins():
            self.stdout.write(f"  {email:<32} {what}")
        if not settings.REQUIRE_MFA:
            self.stdout.write(
                "Two-factor sign-in is switched off for this demo (CASEAUDIT_REQUIRE_MFA=0)."
            )
        self.stdout.write("Open http://127.0.0.1:8000 once the server below has started.")
