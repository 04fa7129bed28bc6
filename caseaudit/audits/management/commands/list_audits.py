import json

from caseaudit.accounts.management.commands._base import ProvisioningCommand


def _date(value):
    return value.isoformat() if value else None


class Command(ProvisioningCommand):
    help = "List a partnership's audits with id, title, theme, status and dates."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, metavar="SLUG")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        partnership = self.partnership(options["partnership"])
        audits = [
            {
                "id": audit.pk,
                "title": audit.title,
                "theme": audit.theme,
                "status": audit.status,
                "planned_month": _date(audit.planned_month),
                "returns_due": _date(audit.returns_due),
                "meeting_date": _date(audit.meeting_date),
                "report_due": _date(audit.report_due),
            }
            for audit in partnership.audits.all()
        ]
        if options["json"]:
            self.stdout.write(json.dumps(audits, indent=2))
            return
        for audit in audits:
            self.stdout.write(
                f"{audit['id']:>5}  {audit['status']:<10} {audit['title']}"
                + (f" ({audit['theme']})" if audit["theme"] else "")
            )
