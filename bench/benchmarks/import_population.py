"""A case population of 100,000 children imported (parsed, validated, encrypted, stored) and a
sample of 15 drawn from it, on SQLite and on PostgreSQL.

Each database gets its own fresh, migrated database and data folder, and its own process
(`python -m bench.import_worker`) with DJANGO_SETTINGS_MODULE=caseaudit.settings and that
database's DATABASE_URL, so the settings are exactly what a deployment on that database gets.
No server is involved: this measures the service the upload page and `caseaudit
import_population` both call.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.core import DB_PREFIX, ROOT, BenchError, Benchmark, Context, _pg_connect
from bench.stats import Outcome, Row, percentile

ROWS = 100_000
QUICK_ROWS = 10_000
DRAWS = 5
IMPORT_BUDGET = 15.0
SAMPLE_BUDGET = 1.0
TIMEOUT = 900  # seconds for one database's worker: far beyond any sane figure


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{' '.join(command[:4])} took more than {TIMEOUT} s") from error
    if done.returncode != 0:
        raise BenchError(
            f"{' '.join(command[:4])} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )


def _measure(ctx: Context, label: str, database_url: str, rows: int) -> dict:
    """Migrates the empty database at `database_url`, then runs the worker against it."""
    data_dir = ctx.tmp / f"import-{label.lower()}"
    data_dir.mkdir(exist_ok=True)
    env = {
        **ctx.env,
        "DATABASE_URL": database_url,
        "CASEAUDIT_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "caseaudit.settings",
    }
    _run([str(Path(sys.executable).parent / "caseaudit"), "migrate", "--no-input"], env)
    out = data_dir / "result.json"
    _run(
        [
            sys.executable, "-m", "bench.import_worker",
            "--rows", str(rows), "--draws", str(DRAWS), "--out", str(out),
        ],
        env,
    )  # fmt: skip
    return json.loads(out.read_text())


def _sqlite(ctx: Context, rows: int) -> dict:
    path = ctx.tmp / "import-sqlite.sqlite3"
    return _measure(ctx, "SQLite", f"sqlite:///{path}", rows)


def _postgresql(ctx: Context, rows: int) -> dict:
    # Named like the harness's own database, so a bench killed outright has it dropped next time.
    name = f"{DB_PREFIX}_import_{os.getpid()}"
    with _pg_connect(url=ctx.pg_server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        return _measure(ctx, "PostgreSQL", f"{ctx.pg_server}/{name}", rows)
    finally:
        with _pg_connect(url=ctx.pg_server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _cpu(row: Row, use: dict, label: str) -> Row:
    postgres = f", postgres {use['postgres']:.2f}" if label == "PostgreSQL" else ""
    row.cpu = (
        f"bench process {use['process']:.2f}{postgres}, other processes {use['other']:.2f}; "
        f"machine busy {use['machine']:.2f} of {use['cores']} cores"
    )
    row.cpu_other = use["other"]
    return row


def _rows(label: str, found: dict, *, judged: bool) -> list[Row]:
    count = found["rows"]
    total, parse = found["import"], found["parse"]
    store = total - parse

    def single(text: str, seconds: float, *, sub: bool) -> Row:
        # One timed run: its time is in the p50 column, the rate is rows per second.
        return Row(
            benchmark=BENCHMARK.name,
            label=text,
            concurrency=None,
            count=count,
            duration=seconds,
            rate=count / seconds if seconds > 0 else None,
            rate_unit="rows/s",
            p50=seconds,
            p95=None,
            p99=None,
            sub=sub,
        )

    errors = 0 if found["stored"] == count == found["snapshot_rows"] else 1
    main = single(f"import {count:,} rows ({label})", total, sub=False)
    main.errors = errors
    if judged:
        main.judge(metric="p50", limit=IMPORT_BUDGET, text="< 15 s")
    draws = found["draws"]
    sample = Row(
        benchmark=BENCHMARK.name,
        label=f"sample {found['sampled']} of {count:,} ({label})",
        concurrency=None,
        count=len(draws),
        duration=sum(draws),
        rate=None,
        rate_unit="draws/s",
        p50=percentile(draws, 50),
        p95=percentile(draws, 95),
        p99=percentile(draws, 99),
        errors=0 if found["reproducible"] and found["sampled"] == 15 else 1,
    )
    if judged:
        sample.judge(metric="p95", limit=SAMPLE_BUDGET, text="p95 < 1 s")
    return [
        _cpu(main, found["import_cpu"], label),
        single("parse + validate", parse, sub=True),
        single("build + encrypt + store", store, sub=True),
        _cpu(sample, found["draw_cpu"], label),
    ]


def run(ctx: Context) -> Outcome:
    outcome = Outcome()
    rows = QUICK_ROWS if ctx.quick else ROWS
    judged = rows == ROWS
    for label, measure in (("SQLite", _sqlite), ("PostgreSQL", _postgresql)):
        print(f"  {label}: migrating, importing {rows:,} rows, drawing samples ...", flush=True)
        start = time.monotonic()
        try:
            found = measure(ctx, rows)
        except BenchError as error:
            outcome.errors.append(f"import_population on {label}: {error}")
            continue
        print(f"  {label}: done in {time.monotonic() - start:.0f} s", flush=True)
        outcome.rows += _rows(label, found, judged=judged)
        if found["stored"] != rows or found["snapshot_rows"] != rows:
            outcome.errors.append(
                f"import_population on {label}: {found['stored']:,} cases stored and a snapshot "
                f"of {found['snapshot_rows']:,} rows, for {rows:,} rows in the file"
            )
        if not found["reproducible"]:
            outcome.errors.append(
                f"import_population on {label}: {DRAWS} draws with the same seed gave different "
                "samples"
            )
        if found["sampled"] != 15:
            outcome.errors.append(
                f"import_population on {label}: the sample has {found['sampled']} children, not "
                f"15 ({'; '.join(found['warnings'])})"
            )
        excluded = found["excluded"]
        outcome.notes.append(
            f"Import, {label} ({found['server']}): generating the {found['bytes'] / 1e6:.1f} MB "
            f"CSV took {found['generate']:.1f} s, not counted. {found['stored']:,} cases stored. "
            f"Sample: {found['eligible']:,} eligible after the criteria "
            f"({excluded['criteria']:,} left out), recency ({excluded['recency']}) and one per "
            f"sibling group ({excluded['sibling_group']:,} left out); {DRAWS} draws with seed 1 "
            f"gave {'the same' if found['reproducible'] else 'DIFFERENT'} pseudonym to case "
            f"mapping (first draw {found['draws'][0] * 1000:,.0f} ms)."
        )
    return outcome


BENCHMARK = Benchmark(
    name="import_population",
    title="Population import and sampling, SQLite and PostgreSQL",
    order=30,
    description=(
        f"For each of SQLite and PostgreSQL, in a fresh migrated database and its own process: "
        f"`population_import` of {ROWS:,} invented children (`demo_population_csv`; generating "
        "the file is not counted) timed end to end, parse and validate versus build, encrypt "
        "and store, the stored count checked; then `sample_draw` of 15 children (repeat plans "
        f"only, at most 3 years since the previous plan, stratified by gender and category, "
        f"seed 1) {DRAWS} times, checking every draw gives the same pseudonyms to the same "
        f"cases. {QUICK_ROWS:,} rows with --quick."
    ),
    budget="import < 15 s and sample p95 < 1 s, on each database",
    run=run,
    needs_data=False,
)
