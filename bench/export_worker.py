"""One step of the export benchmark in its own process, so the peak memory measured is the
export's alone: `seed` loads the data (bench/returns_seed.py), `export` writes one export of
the audit to a file and reports its time and the process's peak RSS as JSON.

    python -m bench.export_worker seed --returns 100000 --questions 20 --out seed.json
    python -m bench.export_worker export --audit ID --shape long --format xlsx --out x.json

Needs DJANGO_SETTINGS_MODULE and DATABASE_URL (PostgreSQL) in the environment."""

import argparse
import json
import os
import resource
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["seed", "export"])
    parser.add_argument("--returns", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--audit", type=int)
    parser.add_argument("--shape", choices=["long", "wide"], default="long")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    import django

    django.setup()
    if args.step == "seed":
        from bench.returns_seed import seed_returns
        from caseaudit.returns.models import Answer

        started = time.perf_counter()
        audit = seed_returns(args.returns, args.questions)
        result = {
            "audit": audit.pk,
            "seconds": time.perf_counter() - started,
            "answers": Answer.objects.filter(request__audit=audit).count(),
        }
    else:
        from caseaudit.audits.models import Audit
        from caseaudit.exports.services import EXPORTS
        from caseaudit.exports.writers import write_csv, write_xlsx

        audit = Audit.objects.get(pk=args.audit)
        kind = f"returns-{args.shape}"
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, f"export.{args.format}")
            started = time.perf_counter()
            export = EXPORTS[kind].build(audit)
            if args.format == "csv":
                write_csv(export, path)
            else:
                write_xlsx(export, path, EXPORTS[kind].sheet)
            seconds = time.perf_counter() - started
            size = os.path.getsize(path)
        result = {
            "seconds": seconds,
            "bytes": size,
            # ru_maxrss is in KiB on Linux
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_before_mb": before / 1024,
        }
    with open(args.out, "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
