"""Publications rendered from the document model: the full report of a 25-case audit with 16
charts, a 7 Minute Briefing, and the full report of a 25-case audit seeded in the bench
database, each as DOCX and as tagged PDF, in a fresh process (bench/documents_worker.py)."""

import json
import subprocess
import sys

from bench.core import ROOT, BenchError, Benchmark, Context
from bench.stats import Outcome, Row, percentile

RUNS = 5
QUICK_RUNS = 2
REPORT_BUDGET = 5.0  # DOCX + PDF together
BRIEFING_BUDGET = 1.0
TIMEOUT = 600


def _row(label: str, times: list[float], *, sub: bool, unit: str = "files/s") -> Row:
    return Row(
        benchmark=BENCHMARK.name,
        label=label,
        concurrency=None,
        count=len(times),
        duration=sum(times),
        rate=len(times) / sum(times) if sum(times) else None,
        rate_unit=unit,
        p50=percentile(times, 50),
        p95=percentile(times, 95),
        p99=None,
        sub=sub,
    )


def run(ctx: Context) -> Outcome:
    outcome = Outcome()
    runs = QUICK_RUNS if ctx.quick else RUNS
    out = ctx.tmp / "documents.json"
    env = {**ctx.env, "DJANGO_SETTINGS_MODULE": "caseaudit.settings"}
    command = [
        sys.executable,
        "-m",
        "bench.documents_worker",
        "--runs",
        str(runs),
        "--out",
        str(out),
        "--database",
    ]
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"the documents worker took more than {TIMEOUT} s") from error
    if done.returncode != 0:
        raise BenchError(f"the documents worker failed:\n{done.stdout}{done.stderr}")
    for found, budget in zip(
        json.loads(out.read_text()), (REPORT_BUDGET, BRIEFING_BUDGET, REPORT_BUDGET), strict=True
    ):
        together = [a + b for a, b in zip(found["docx"], found["pdf"], strict=True)]
        label = f"{found['name']}: DOCX + PDF"
        if found["builds"]:
            # Read from the database each time: the build counts.
            together = [t + b for t, b in zip(together, found["builds"], strict=True)]
            label = f"{found['name']}: build + DOCX + PDF"
        main = _row(label, together, sub=False, unit="documents/s")
        if found["docx_pictures"] != found["charts"]:
            main.errors += 1
            outcome.errors.append(
                f"documents, {found['name']}: {found['docx_pictures']} pictures in the DOCX for "
                f"{found['charts']} charts"
            )
        # The first render in a fresh process loads python-docx, Typst and the fonts: judge the
        # median of the runs, and show the first run in the notes.
        main.judge(metric="p50", limit=budget, text=f"p50 < {budget:g} s")
        main.cpu = (
            f"bench process {found['cpu']['process']:.2f}, other processes "
            f"{found['cpu']['other']:.2f}; machine busy {found['cpu']['machine']:.2f} of "
            f"{found['cpu']['cores']} cores"
        )
        main.cpu_other = found["cpu"]["other"]
        outcome.rows += [
            main,
            *(
                [_row("build from the database", found["builds"], sub=True)]
                if found["builds"]
                else []
            ),
            _row("DOCX (python-docx, charts as PNG)", found["docx"], sub=True),
            _row("PDF (Typst, PDF/UA-1)", found["pdf"], sub=True),
        ]
        counted = "then once more before each run, counted" if found["builds"] else "not counted"
        outcome.notes.append(
            f"Documents, {found['name']}: {found['sections']} sections, {found['charts']} charts; "
            f"PDF {found['pdf_pages']} pages ({found['pdf_bytes'] / 1e3:,.0f} kB), DOCX "
            f"{found['docx_bytes'] / 1e3:,.0f} kB; building the document model took "
            f"{found['build'] * 1000:.0f} ms ({counted}); first run in the fresh process "
            f"{found['docx'][0]:.2f} s DOCX + {found['pdf'][0]:.2f} s PDF."
        )
    return outcome


BENCHMARK = Benchmark(
    name="documents",
    title="Publications as DOCX and tagged PDF",
    order=40,
    description=(
        "In a fresh process (`python -m bench.documents_worker`), the synthetic full report of "
        "a 25-case audit (`sample_full_report`: 11 sections, 15 question charts and the "
        "population chart, each with its data table, 18 PDF pages) and the 7 Minute Briefing "
        f"(`sample_seven_minute_briefing`: seven panels, one page) are each rendered {RUNS} "
        "times as DOCX (python-docx, every chart drawn as a PNG) and as PDF (Typst, tagged, "
        "PDF/UA-1); the files are opened again to check pictures and pages. Then a 25-child, "
        "12-agency, 20-question audit with every return submitted is seeded in the bench "
        "database (`bench/returns_seed.py`) and its full report is built with `build_document` "
        "and rendered the same number of times (build + DOCX + PDF judged), and the seed rolled "
        "back. The median of the runs is judged; the first run (cold imports and fonts) is in the "
        "notes. No server."
    ),
    budget=(
        "full report < 5 s, 7 Minute Briefing < 1 s (DOCX + PDF together; for the seeded "
        "audit, building from the database too)"
    ),
    run=run,
    needs_data=True,  # the seeded audit needs a migrated database
)
