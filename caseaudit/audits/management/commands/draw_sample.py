import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.audits.models import Audit
from caseaudit.audits.sample_services import sample_draw
from caseaudit.population.models import PopulationSnapshot

EXCLUDED_LABELS = {
    "criteria": "do not meet the criteria",
    "recency": "audited recently",
    "sibling_group": "siblings of a child kept",
}
MAKE_UP_TITLES = {"by_gender": "Gender", "by_category": "Category", "by_age_band": "Age band"}


def _list_option(values: list[str] | None) -> list[str]:
    """A repeatable option that also takes a comma-separated list."""
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


class Command(ProvisioningCommand):
    help = (
        "Draw (or draw again, until locked) an audit's sample from the partnership's latest "
        "population snapshot, and print it with its make-up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--audit", required=True, type=int, metavar="ID")
        parser.add_argument("--size", required=True, type=int, metavar="N")
        parser.add_argument("--seed", required=True, metavar="S", help="A whole number, recorded")
        parser.add_argument("--snapshot", type=int, metavar="ID", help="Default: the latest")
        parser.add_argument(
            "--category",
            action="append",
            metavar="CATEGORY",
            help="neglect, emotional_abuse, physical_abuse, sexual_abuse or multiple; "
            "repeat the option or separate with commas",
        )
        parser.add_argument("--repeat-only", action="store_true")
        parser.add_argument("--max-interval-years", metavar="N")
        parser.add_argument("--min-age", metavar="YEARS")
        parser.add_argument("--max-age", metavar="YEARS")
        parser.add_argument("--team", action="append", metavar="TEAM")
        parser.add_argument("--characteristic", action="append", metavar="TAG")
        parser.add_argument(
            "--stratify", default="", metavar="KEYS", help="Any of gender,category,age_band"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        audit = Audit.objects.select_related("partnership").filter(pk=options["audit"]).first()
        if audit is None:
            raise CommandError(f"No audit with id {options['audit']}")
        snapshots = PopulationSnapshot.objects.filter(partnership=audit.partnership)
        if options["snapshot"]:
            snapshot = snapshots.filter(pk=options["snapshot"]).first()
            if snapshot is None:
                raise CommandError(f"No snapshot {options['snapshot']} in {audit.partnership.slug}")
        else:
            snapshot = snapshots.first()
            if snapshot is None:
                raise CommandError(
                    f"{audit.partnership.slug} has no population imported yet "
                    "(use caseaudit import_population)"
                )
        criteria = {
            "categories": _list_option(options["category"]),
            "repeat_only": options["repeat_only"],
            "max_interval_years": options["max_interval_years"],
            "min_age": options["min_age"],
            "max_age": options["max_age"],
            "teams": _list_option(options["team"]),
            "characteristics": _list_option(options["characteristic"]),
        }
        try:
            sample = sample_draw(
                audit=audit,
                snapshot=snapshot,
                size=options["size"],
                seed=options["seed"],
                criteria=criteria,
                stratify=options["stratify"],
            )
        except ValidationError as error:
            raise self.as_command_error(error) from error
        result = sample.draw
        sampled = list(sample.cases.select_related("case").order_by("order"))
        if options["json"]:
            self._print_json(audit, sample, sampled, result)
        else:
            self._print_text(audit, snapshot, sample, sampled, result)

    def _print_json(self, audit, sample, sampled, result) -> None:
        cases = [
            {
                "pseudonym": row.pseudonym,
                "child_id": row.case.child_id,
                "category": row.case.plan_category,
                "gender": row.case.gender,
                "age_band": row.case.age_band,
                "sibling_group": row.case.sibling_group,
                "days_since_previous_plan": row.case.days_since_previous_plan,
            }
            for row in sampled
        ]
        # The child ids are identifying details: printing them is a view, so it is logged.
        access_event_record(
            action=Action.VIEW_IDENTIFYING_DETAILS,
            actor="caseaudit draw_sample",
            partnership=audit.partnership,
            obj=sample,
            object_label=f"sample {sample.pk} of audit {audit.pk}",
            detail=f"child ids of {len(cases)} sampled children printed on the command line",
        )
        self.stdout.write(
            json.dumps(
                {
                    "audit": audit.pk,
                    "sample": sample.pk,
                    "snapshot": sample.snapshot_id,
                    "seed": sample.seed,
                    "criteria": sample.criteria,
                    "cases": cases,
                    "make_up": result.make_up,
                    "excluded": result.excluded,
                    "warnings": result.warnings,
                },
                indent=2,
            )
        )

    def _print_text(self, audit, snapshot, sample, sampled, result) -> None:
        write = self.stdout.write
        write(
            f"Sample {sample.pk} for audit {audit.pk} ({audit.title}): {len(sampled)} of "
            f"{result.eligible} eligible children, snapshot {snapshot.pk}, seed {sample.seed}"
        )
        for warning in result.warnings:
            write(f"Warning: {warning}")
        for row in sampled:
            case = row.case
            interval = (
                f"{case.days_since_previous_plan} days since previous plan"
                if case.days_since_previous_plan is not None
                else "no previous plan"
            )
            write(
                f"  {row.pseudonym:<12} {case.get_plan_category_display():<16} "
                f"{case.gender or 'Not recorded':<14} {case.age_band:<8} "
                f"{case.sibling_group or '-':<10} {interval}"
            )
        excluded = ", ".join(
            f"{count} {EXCLUDED_LABELS[key]}" for key, count in result.excluded.items()
        )
        write(f"Left out of {result.population} children: {excluded}")
        make_up = result.make_up
        write(f"{'Make-up':<30} {'Sample':>14} {'Eligible':>14} {'Population':>14}")
        for key, title in MAKE_UP_TITLES.items():
            write(f"{title}:")
            for row in make_up[key]:
                cells = "".join(
                    f" {row[name]['count']:>6} {row[name]['percent']:>6}%"
                    for name in ("sample", "eligible", "population")
                )
                write(f"  {row['label']:<28}{cells}")
