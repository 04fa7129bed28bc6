"""`make bench`: caseaudit under concurrent load on PostgreSQL and gunicorn.

Sets up a throw-away database and server (bench/core.py), runs every benchmark module in
bench/benchmarks/ (or those named with --only), prints a table and appends a dated section to
docs/performance.md. Exit status: 0 when it ran cleanly (a missed budget is reported, not
fatal), 1 when any request failed, 2 when the bench could not run, 130 on Ctrl-C.
"""

import argparse
import importlib
import os
import pkgutil
import signal
import sys
import time
from pathlib import Path

# `python bench/run.py` puts bench/ itself first on the path; import it as the package `bench`.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

from bench import benchmarks as benchmark_package  # noqa: E402
from bench import report  # noqa: E402
from bench.core import PG_SERVER, BenchError, Benchmark, Context, machine_info  # noqa: E402
from bench.stats import Outcome  # noqa: E402


def discover() -> list[Benchmark]:
    found = []
    for module in pkgutil.iter_modules(benchmark_package.__path__):
        loaded = importlib.import_module(f"{benchmark_package.__name__}.{module.name}")
        if isinstance(getattr(loaded, "BENCHMARK", None), Benchmark):
            found.append(loaded.BENCHMARK)
    return sorted(found, key=lambda b: (b.order, b.name))


def parse_args(argv: list[str] | None, names: list[str]) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run (not recorded)")
    parser.add_argument("--only", help=f"comma-separated benchmarks to run, of: {', '.join(names)}")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument(
        "--workers", type=int, default=2 * cores + 1, help="gunicorn workers (2 x cores + 1)"
    )
    parser.add_argument("--users", type=int, default=600, help="bench users to create")
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG_SERVER", PG_SERVER), help="PostgreSQL server"
    )
    record = parser.add_mutually_exclusive_group()
    record.add_argument("--record", action="store_true", help="record a --quick run too")
    record.add_argument("--no-record", action="store_true", help="do not touch the docs")
    return parser.parse_args(argv)


def _terminate(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    available = discover()
    args = parse_args(argv, [b.name for b in available])
    if args.list:
        for b in available:
            print(f"{b.name:<10} {b.title}. Budget: {b.budget or 'none'}")
        return 0
    selected = available
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = set(wanted) - {b.name for b in available}
        if unknown:
            print(f"Unknown benchmark(s): {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        selected = [b for b in available if b.name in wanted]
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even if started with it ignored

    started = report.now()
    clock = time.monotonic()
    outcomes: dict[str, Outcome] = {}
    ctx = Context(quick=args.quick, workers=args.workers, users=args.users, pg_server=args.pg)
    machine: dict[str, str] = {}
    log_problems: dict[str, int] = {}
    status = 0
    try:
        print(f"Creating database {ctx.db_name} ...", flush=True)
        pg_version = ctx.create_database()
        if any(b.needs_data for b in selected):
            print(f"Migrating, loading the demo data and {args.users} bench users ...", flush=True)
            ctx.prepare_data()
        machine = machine_info(ctx, pg_version)
        print(
            f"{machine['cpu']}, {machine['cores']} cores, PostgreSQL {pg_version}, "
            f"gunicorn {machine['gunicorn']} with {ctx.workers} sync workers"
            + (" (quick run)" if args.quick else ""),
            flush=True,
        )
        for benchmark in selected:
            print(f"\n== {benchmark.title} ({benchmark.name})", flush=True)
            outcome = benchmark.run(ctx)
            outcomes[benchmark.name] = outcome
            print(report.text_table(outcome.rows), flush=True)
            if outcome.errors:
                print(f"!! {len(outcome.errors)} errors in {benchmark.name}", flush=True)
        log_problems = ctx.log_problems()
        if log_problems or any(o.errors for o in outcomes.values()):
            print("\nLast lines of the gunicorn log:\n" + ctx.log_tail(), flush=True)
    except KeyboardInterrupt:
        print("\nInterrupted: cleaning up.", file=sys.stderr)
        status = 130
    except BenchError as error:
        print(f"\nThe bench could not run: {error}", file=sys.stderr)
        if ctx.server is not None:
            print("Last lines of the gunicorn log:\n" + ctx.log_tail(), file=sys.stderr)
        status = 2
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # let the clean-up finish
        for problem in ctx.close():
            print(f"Clean-up problem: {problem}", file=sys.stderr)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if status:
        return status

    rows = [row for outcome in outcomes.values() for row in outcome.rows]
    errors = [e for outcome in outcomes.values() for e in outcome.errors]
    busy = report.busy_machine_warning(rows)
    notes = ([f"!! {busy}"] if busy else []) + ctx.warnings
    notes += [n for outcome in outcomes.values() for n in outcome.notes]
    print(f"\n== Results ({time.monotonic() - clock:.0f} s in all)\n")
    print(report.text_table(rows))
    print()
    for row in rows:
        if row.cpu:
            at = f" at {row.concurrency}" if row.concurrency else ""
            print(f"CPU, {row.label}{at}: {row.cpu}")
        if row.memory:
            print(f"Memory, {row.label}: {row.memory}")
    for note in notes:
        print(f"Note: {note}")
    if log_problems:
        print("Server log: " + ", ".join(f"{n} {label}" for label, n in log_problems.items()))
    if errors:
        banner = "!" * 78
        print(
            f"\n{banner}\n!! ERRORS: {len(errors)} requests or flows FAILED. "
            "These figures are not valid."
        )
        for error in errors[:10]:
            print(f"!!   {error}")
        print(banner)
        status = 1

    print(f"\nJSON: {report.save_json(started, machine, outcomes).relative_to(ROOT)}")
    if (not args.quick or args.record) and not args.no_record:
        section = report.markdown_section(
            started=started,
            machine=machine,
            quick=args.quick,
            benchmarks=selected,
            outcomes=outcomes,
            log_problems=log_problems,
            warnings=ctx.warnings,
        )
        print(f"Appended to {report.append_to_doc(section).relative_to(ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
