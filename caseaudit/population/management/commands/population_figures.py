import json

from django.core.management.base import CommandError

from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.population.models import PopulationSnapshot
from caseaudit.population.selectors import population_figures


class Command(ProvisioningCommand):
    help = "Print the figures of the latest (or a given) population snapshot."

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, metavar="SLUG")
        parser.add_argument("--snapshot", type=int, metavar="ID")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        partnership = self.partnership(options["partnership"])
        snapshots = PopulationSnapshot.objects.filter(partnership=partnership)
        if options["snapshot"]:
            snapshot = snapshots.filter(pk=options["snapshot"]).first()
            if snapshot is None:
                raise CommandError(f"No snapshot {options['snapshot']} in {partnership.slug}")
        else:
            snapshot = snapshots.first()
            if snapshot is None:
                raise CommandError(f"{partnership.slug} has no population imported yet")
        figures = population_figures(snapshot)
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
            return
        repeat = figures["repeat_plans"]
        self.stdout.write(f"Snapshot {snapshot.pk} ({snapshot.as_of}): {figures['total']} children")
        self.stdout.write(f"Repeat plans: {repeat['count']} ({repeat['rate']}%)")
        for title, key in [
            ("Category", "by_category"),
            ("Age band", "by_age_band"),
            ("Gender", "by_gender"),
            ("Team", "by_team"),
        ]:
            self.stdout.write(f"{title}:")
            for row in figures[key]:
                label = row.get("label", row["value"]) or "Not recorded"
                self.stdout.write(f"  {label:<28} {row['count']:>6} {row['percent']:>6}%")
