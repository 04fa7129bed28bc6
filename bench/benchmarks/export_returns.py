"""The returns export of an audit with 100,000 submitted returns of 20 questions (2,000,000
answer rows), long shape, as XLSX and as CSV, on PostgreSQL.

A fresh migrated database is loaded by bench/returns_seed.py (COPY, not counted); each export
then runs in its own process (`python -m bench.export_worker export`) so its peak RSS
(getrusage ru_maxrss) is the export's alone. This measures what the download view and
`caseaudit export_returns` both call: the row iterator and the writer, to a file."""

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.core import DB_PREFIX, ROOT, BenchError, Benchmark, Context, _pg_connect
from bench.stats import Outcome, Row

RETURNS = 100_000
QUICK_RETURNS = 5_000
QUESTIONS = 20
XLSX_BUDGET = 17.0
MEMORY_BUDGET_MB = 200.0
TIMEOUT = 1800


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False,
            timeout=TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{' '.join(command[:4])} took more than {TIMEOUT} s") from error
    if done.returncode != 0:
        raise BenchError(f"{' '.join(command[:4])} failed:\n{done.stdout}{done.stderr}")


def _worker(env: dict[str, str], out: Path, *args: str) -> dict:
    _run([sys.executable, "-m", "bench.export_worker", *args, "--out", str(out)], env)
    return json.loads(out.read_text())


def export_row(
    benchmark: str, shape: str, fmt: str, rows: int, found: dict, *, judged: bool
) -> tuple[Row, str]:
    """The table row and the note of one export measured by bench/export_worker.py. When judged,
    an XLSX is judged on its time and its peak memory (the budget); a CSV's are only reported."""
    row = Row(
        benchmark=benchmark,
        label=f"returns {shape} {fmt.upper()}, {rows:,} rows",
        concurrency=None,
        count=rows,
        duration=found["seconds"],
        rate=rows / found["seconds"],
        rate_unit="rows/s",
        p50=found["seconds"],
        p95=None,
        p99=None,
    )
    row.memory = (
        f"peak RSS {found['peak_rss_mb']:.0f} MB (process at start {found['rss_before_mb']:.0f} MB)"
    )
    if judged and fmt == "xlsx":
        row.judge(metric="p50", limit=XLSX_BUDGET, text="< 17 s")
        memory = "PASS" if found["peak_rss_mb"] < MEMORY_BUDGET_MB else "FAIL"
        if memory == "FAIL":
            row.verdict = "FAIL"
        row.budget += f"; peak RSS < 200 MB: {memory}"
    note = f"Export {shape} {fmt.upper()}: {found['bytes'] / 1e6:.0f} MB file."
    return row, note


def run(ctx: Context) -> Outcome:
    outcome = Outcome()
    returns = QUICK_RETURNS if ctx.quick else RETURNS
    judged = returns == RETURNS
    name = f"{DB_PREFIX}_exports_{os.getpid()}"
    with _pg_connect(url=ctx.pg_server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    data_dir = ctx.tmp / "exports"
    data_dir.mkdir(exist_ok=True)
    env = {
        **ctx.env,
        "DATABASE_URL": f"{ctx.pg_server}/{name}",
        "CASEAUDIT_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "caseaudit.settings",
    }
    try:
        _run([str(Path(sys.executable).parent / "caseaudit"), "migrate", "--no-input"], env)
        print(f"  seeding {returns:,} returns of {QUESTIONS} questions ...", flush=True)
        seeded = _worker(
            env, data_dir / "seed.json", "seed", "--returns", str(returns),
            "--questions", str(QUESTIONS),
        )  # fmt: skip
        for fmt in ("xlsx", "csv"):
            print(f"  exporting long {fmt} ...", flush=True)
            found = _worker(
                env, data_dir / f"{fmt}.json", "export", "--audit", str(seeded["audit"]),
                "--shape", "long", "--format", fmt,
            )  # fmt: skip
            row, note = export_row(
                BENCHMARK.name, "long", fmt, seeded["answers"], found, judged=judged
            )
            outcome.rows.append(row)
            outcome.notes.append(note)
        outcome.notes.append(f"Seeding with COPY took {seeded['seconds']:.0f} s, not counted.")
        outcome.notes.append(
            "For comparison, Kobo's formpack took 33.6 s for an XLSX export of 100,000 returns "
            "of 20 questions on this kind of machine."
        )
    except BenchError as error:
        outcome.errors.append(f"export_returns: {error}")
    finally:
        with _pg_connect(url=ctx.pg_server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return outcome


BENCHMARK = Benchmark(
    name="export_returns",
    title="Returns export, long shape, XLSX and CSV, PostgreSQL",
    order=40,
    description=(
        f"{RETURNS:,} submitted returns of {QUESTIONS} questions ({RETURNS * QUESTIONS:,} answer "
        "rows) loaded with COPY by bench/returns_seed.py (not counted); the long export written "
        "to a file as XLSX (the streaming writer in caseaudit/exports/xlsx.py) and as CSV, each in "
        "its own process "
        f"with its peak RSS. {QUICK_RETURNS:,} returns with --quick."
    ),
    budget="XLSX < 17 s; peak RSS < 200 MB",
    run=run,
    needs_data=False,
)
