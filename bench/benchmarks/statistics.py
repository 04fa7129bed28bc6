"""Statistics, trends and the returns export on large data sets, on PostgreSQL (issue 5).

The data live in databases of their own that are kept between runs (loading 20 million answer
rows takes minutes): BENCH_DATA_DB (default caseaudit_bench_stats_data) and the same name with
`_small`. Each run migrates them (a no-op when nothing changed) and loads only a data set
recorded as missing in their `bench_seed` table (bench/stats_worker.py). Drop the databases to
start again.

- small: one audit of 25 children x 12 agencies x 20 questions (300 returns, 6,000 rows), alone.
- history: a partnership of 3,334 such audits, 1,000,000 returns, 20,000,000 answer rows.
- returns: one audit of 100,000 returns of 20 questions (2,000,000 rows), bench/returns_seed.py.

Every measurement runs in its own process (bench/stats_worker.py, bench/export_worker.py), so
the export's peak RSS is its own."""

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.benchmarks.export_returns import export_row
from bench.core import ROOT, BenchError, Benchmark, Context, _pg_connect
from bench.stats import Outcome, Row

DATA_DB = os.environ.get("BENCH_DATA_DB", "caseaudit_bench_stats_data")
# The field-encryption and secret keys the kept databases were written with.
DATA_DIR = ROOT / "data" / "bench"
TIMEOUT = 3600
STATS_BUDGET = 0.050
TRENDS_BUDGET = 2.0
BIG_STATS_BUDGET = 0.6


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False,
            timeout=TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{' '.join(command[:4])} took more than {TIMEOUT} s") from error
    if done.returncode != 0:
        raise BenchError(f"{' '.join(command[:5])} failed:\n{done.stdout}{done.stderr}")


def _worker(env: dict[str, str], out: Path, module: str, *args: str) -> dict:
    _run([sys.executable, "-m", module, *args, "--out", str(out)], env)
    return json.loads(out.read_text())


def _database(ctx: Context, name: str) -> dict[str, str]:
    """Creates the kept database when it is missing, migrates it, returns the environment."""
    with _pg_connect(url=ctx.pg_server) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        **ctx.env,
        "DATABASE_URL": f"{ctx.pg_server}/{name}",
        "CASEAUDIT_DATA_DIR": str(DATA_DIR),
        "DJANGO_SETTINGS_MODULE": "caseaudit.settings",
    }
    _run([str(Path(sys.executable).parent / "caseaudit"), "migrate", "--no-input"], env)
    return env


def _seed(env: dict[str, str], out: Path, kind: str, notes: list[str]) -> None:
    found = _worker(env, out, "bench.stats_worker", "seeded", "--kind", kind)["seeded"]
    if found is None:
        print(f"  loading the {kind} data set (once; kept for later runs) ...", flush=True)
        found = _worker(env, out, "bench.stats_worker", "seed", "--kind", kind)
        notes.append(
            f"Data set {kind}: {found['returns']:,} returns, {found['answers']:,} answer rows, "
            f"loaded in {found['seconds']:.0f} s in this run (not counted)."
        )
    else:
        notes.append(
            f"Data set {kind}: {found['returns']:,} returns, {found['answers']:,} answer rows, "
            f"kept from an earlier run (loading it took {found['seconds']:.0f} s)."
        )


def _row(label: str, figures: dict, **kwargs) -> Row:
    return Row(
        benchmark=BENCHMARK.name,
        label=label,
        concurrency=None,
        count=figures["runs"],
        duration=sum(figures["times"]),
        rate=None,
        rate_unit="",
        p50=figures["p50"],
        p95=figures["max"],  # of a handful of runs: the slowest, shown as p95 and p99
        p99=figures["max"],
        **kwargs,
    )


def _statistics_rows(
    outcome: Outcome, name: str, figures: dict, budget: float | None, *, by_case: bool = True
) -> None:
    """The statistics rows of one data set. The judged row is the page's for a sample of up
    to 100 children (with the case breakdown) or, with by_case=False, the issue's JSON shape
    (overall and by agency: the dashboard, the statistics export, the publications and the
    page past 100 children); both as a page view finds them
    while no return changes (the kept counts read), then both counted from the answer rows as
    after a change."""
    judged, other = ("statistics", "statistics_no_cases")
    if not by_case:
        judged, other = other, judged
    labels = {
        "statistics": "with the case breakdown (API default; the page up to 100 children)",
        "statistics_no_cases": "overall and by agency (dashboard, exports, API by_case=false)",
    }
    row = _row(f"statistics of one audit, {name}, {labels[judged]}", figures[judged])
    if budget is not None:
        row.judge(metric="p50", limit=budget, text=f"p50 < {budget * 1000:.0f} ms")
    outcome.rows.append(row)
    outcome.rows.append(_row(labels[other], figures[other], sub=True))
    for key in (judged, other):
        outcome.rows.append(
            _row(
                f"{labels[key]}, counted again (after a return changed)",
                figures[f"{key}_counting"],
                sub=True,
            )
        )
    outcome.rows.append(_row("bare SQL GROUP BY, same rows", figures["bare_audit"], sub=True))
    ratio = figures[judged]["p50"] / figures["bare_audit"]["p50"]
    counting = figures[f"{judged}_counting"]["p50"] / figures["bare_audit"]["p50"]
    outcome.notes.append(
        f"Statistics, {name} (audit {figures['audit']}), {labels[judged]}: p50 "
        f"{figures[judged]['p50'] * 1000:.1f} ms reading the kept counts, {ratio:.2f} x the bare "
        f"SQL GROUP BY of (question, option) over the same rows "
        f"({figures['bare_audit']['p50'] * 1000:.1f} ms); counted again from the answer rows "
        f"{figures[f'{judged}_counting']['p50'] * 1000:.1f} ms ({counting:.1f} x); runs: "
        f"{', '.join(f'{t * 1000:.1f}' for t in figures[judged]['times'])} ms."
    )


def run(ctx: Context) -> Outcome:
    outcome = Outcome()
    work = ctx.tmp / "statistics"
    work.mkdir(exist_ok=True)
    repeats = "5" if ctx.quick else "15"
    try:
        env = _database(ctx, f"{DATA_DB}_small")
        _seed(env, work / "seed.json", "small", outcome.notes)
        small = _worker(
            env, work / "small.json", "bench.stats_worker", "measure", "--kind", "small",
            "--repeats", repeats,
        )  # fmt: skip
        _statistics_rows(outcome, "25 cases x 12 agencies x 20 questions", small, STATS_BUDGET)
        if ctx.quick:
            outcome.notes.append("Quick run: the small data set only.")
            return outcome

        env = _database(ctx, DATA_DB)
        _seed(env, work / "seed.json", "history", outcome.notes)
        _seed(env, work / "seed.json", "returns", outcome.notes)
        history = _worker(
            env, work / "history.json", "bench.stats_worker", "measure", "--kind", "history",
            "--repeats", repeats,
        )  # fmt: skip
        row = _row(f"trend view figures, {history['seed']['returns']:,} returns", history["trends"])
        row.judge(metric="p50", limit=TRENDS_BUDGET, text="p50 < 2 s")
        outcome.rows.append(row)
        outcome.rows.append(_row("bare SQL GROUP BY, same rows", history["bare_trends"], sub=True))
        outcome.notes.append(
            f"Trends: the figures the /trends/ page shows (`partnership_trend_figures`: response "
            f"rates, grades by month, question trends with their charts, theme recurrence; the "
            f"template not rendered) take {history['trends']['p50']:.2f} s, "
            f"{history['trends']['p50'] / history['bare_trends']['p50']:.2f} x the bare SQL "
            f"GROUP BY of (key, audit, meaning) over the answer rows "
            f"({history['bare_trends']['p50']:.2f} s); runs: "
            f"{', '.join(f'{t:.2f}' for t in history['trends']['times'])} s."
        )
        _statistics_rows(outcome, "in the 1,000,000-return history", history, STATS_BUDGET)
        big = _worker(
            env, work / "returns.json", "bench.stats_worker", "measure", "--kind", "returns",
            "--repeats", "5",
        )  # fmt: skip
        _statistics_rows(
            outcome, "100,000 returns of 20 questions", big, BIG_STATS_BUDGET, by_case=False
        )

        audit = str(big["audit"])
        answers = big["seed"]["answers"]
        for shape in ("long", "wide"):
            for fmt in ("xlsx", "csv"):
                print(f"  exporting {shape} {fmt} ...", flush=True)
                found = _worker(
                    env, work / "export.json", "bench.export_worker", "export", "--audit",
                    audit, "--shape", shape, "--format", fmt,
                )  # fmt: skip
                rows = answers if shape == "long" else big["seed"]["returns"]
                row, note = export_row(BENCHMARK.name, shape, fmt, rows, found, judged=True)
                outcome.rows.append(row)
                outcome.notes.append(note)
        outcome.notes.append(
            "For comparison, Kobo's formpack took 6.0 s (statistics) and 33.6 s (XLSX export) "
            "for 100,000 returns of 20 questions on this kind of machine."
        )
    except BenchError as error:
        outcome.errors.append(f"statistics: {error}")
    return outcome


BENCHMARK = Benchmark(
    name="statistics",
    title="Statistics, trends and the returns export on large data sets, PostgreSQL",
    order=50,
    description=(
        "One audit's statistics alone (25 x 12 x 20) and inside a 1,000,000-return history; "
        "the trend view's figures over that history; statistics and the long and wide XLSX and "
        "CSV exports of 100,000 returns of 20 questions; each against the bare SQL GROUP BY. "
        "Data sets kept between runs in their own databases. --quick: the small one only."
    ),
    budget="one audit p50 < 50 ms; trends p50 < 2 s; 100,000 returns p50 < 0.6 s; "
    "XLSX < 17 s and peak RSS < 200 MB",
    run=run,
    needs_data=False,
)
