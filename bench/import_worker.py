"""One database's half of the import benchmark: run by bench/benchmarks/import_population.py as
`python -m bench.import_worker` in its own process, with DJANGO_SETTINGS_MODULE and the
DATABASE_URL of one freshly migrated database, so that settings are clean per database.

It creates a partnership, generates an invented population with `demo_population_csv` (timed,
but not part of the import), imports it with `population_import` exactly as the command and the
upload page do (parse, validate, encrypt, store; one transaction), checks how many rows were
stored, then creates an audit and draws a sample from the snapshot with `sample_draw` several
times with the same seed (each draw replaces the unlocked sample before it). Writes what it
measured as JSON to --out.

The split of the import into "parse and validate" and "encrypt and store" comes from timing the
service's own call to `parse_extract` (wrapped here, in this process only); the rest of
`population_import` is building the rows (age, interval, keyed digest of the child id),
encrypting the identifying fields and inserting them.
"""

import argparse
import gc
import json
import time
from datetime import date

import django

django.setup()

from django.db import connection  # noqa: E402

from bench.load import CpuMeter  # noqa: E402
from caseaudit.accounts.models import Partnership  # noqa: E402
from caseaudit.audits.models import SampledCase  # noqa: E402
from caseaudit.audits.sample_services import sample_draw  # noqa: E402
from caseaudit.audits.services import audit_create  # noqa: E402
from caseaudit.population import services as population_services  # noqa: E402
from caseaudit.population.demo import demo_population_csv  # noqa: E402
from caseaudit.population.models import PopulationCase  # noqa: E402

# The "Repeat Child Protection Plans" audit of the seed report: repeat plans only, an interval of
# three years or less since the previous plan, balanced by gender and category.
CRITERIA = {"repeat_only": True, "max_interval_years": 3}
STRATIFY = ("gender", "category")
SAMPLE_SIZE = 15
SAMPLE_SEED = 1
TODAY = date(2026, 11, 1)  # the demo generator's "today", so ages and intervals are stable


def timed_parse(store: dict):
    """Wraps the service's `parse_extract` to time it; the service itself is unchanged."""
    original = population_services.parse_extract

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            store["parse"] = time.perf_counter() - start

    population_services.parse_extract = wrapper


def cpu_use(meter: CpuMeter, before) -> dict:
    """Cores used on average since `before`: by this process, by PostgreSQL's backends (0 on
    SQLite, which runs inside this process), and by everything else on the machine."""
    use = meter.describe(before, meter.snapshot())
    return {
        "process": use.client,
        "postgres": use.postgres,
        "other": use.other,
        "machine": use.machine,
        "cores": use.cores,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--draws", type=int, default=5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    result: dict = {"vendor": connection.vendor, "rows": args.rows}
    if connection.vendor == "sqlite":
        result["server"] = "SQLite " + connection.Database.sqlite_version
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            result["server"] = "PostgreSQL " + cursor.fetchone()[0].split()[0]

    partnership = Partnership.objects.create(name="Import bench", slug="import-bench")

    start = time.perf_counter()
    content = demo_population_csv(args.rows, seed=1, today=TODAY)
    result["generate"] = time.perf_counter() - start
    result["bytes"] = len(content)

    parse: dict = {}
    timed_parse(parse)
    meter = CpuMeter(lambda: None)  # no server: "client" is this process
    gc.collect()
    before = meter.snapshot()
    start = time.perf_counter()
    snapshot = population_services.population_import(
        partnership=partnership, content=content, file_name="bench-population.csv", today=TODAY
    )
    result["import"] = time.perf_counter() - start
    result["import_cpu"] = cpu_use(meter, before)
    result["parse"] = parse["parse"]
    result["stored"] = PopulationCase.objects.filter(snapshot=snapshot).count()
    result["snapshot_rows"] = snapshot.row_count

    audit = audit_create(
        partnership=partnership, title="Repeat Child Protection Plans (bench)", theme="Repeat plans"
    )
    draws = []
    mappings = []
    before = meter.snapshot()
    for _ in range(args.draws):
        gc.collect()
        start = time.perf_counter()
        sample = sample_draw(
            audit=audit,
            snapshot=snapshot,
            size=SAMPLE_SIZE,
            seed=SAMPLE_SEED,
            criteria=CRITERIA,
            stratify=STRATIFY,
        )
        draws.append(time.perf_counter() - start)
        mappings.append(
            dict(
                SampledCase.objects.filter(sample=sample)
                .order_by("order")
                .values_list("pseudonym", "case_id")
            )
        )
    result["draw_cpu"] = cpu_use(meter, before)
    drawn = sample.draw  # type: ignore[attr-defined]
    result.update(
        draws=draws,
        sampled=len(mappings[-1]),
        reproducible=all(mapping == mappings[0] for mapping in mappings),
        eligible=drawn.eligible,
        excluded=drawn.excluded,
        warnings=drawn.warnings,
        first_cases=list(mappings[0].items())[:3],
    )
    with open(args.out, "w") as handle:
        json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
