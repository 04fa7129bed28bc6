"""The results: a table for the terminal, a dated section for docs/performance.md, and JSON in
bench/results/ (git-ignored) for anyone who wants to compare runs."""

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

from bench.core import Benchmark
from bench.stats import Outcome, Row

DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
RESULTS = Path(__file__).resolve().parent / "results"

COLUMNS = ("Benchmark", "Users", "Count", "Throughput", "p50", "p95", "p99", "Errors", "Budget")


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    value = seconds * 1000
    return f"{value:,.1f} ms" if value < 10 else f"{value:,.0f} ms"


def rate(row: Row) -> str:
    if row.rate is None:
        return "-"
    return (
        f"{row.rate:,.2f} {row.rate_unit}" if row.rate < 10 else f"{row.rate:,.1f} {row.rate_unit}"
    )


def cells(row: Row) -> list[str]:
    budget = f"{row.verdict} ({row.budget})" if row.verdict else ""
    label = f"  · {row.label}" if row.sub else row.label
    return [
        label,
        str(row.concurrency or ""),
        f"{row.count:,}",
        rate(row),
        ms(row.p50),
        ms(row.p95),
        ms(row.p99),
        str(row.errors) if row.errors else ("0" if not row.sub else ""),
        budget,
    ]


def text_table(rows: list[Row]) -> str:
    lines = [list(COLUMNS)] + [cells(row) for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    right = {1, 2, 3, 4, 5, 6, 7}

    def fmt(line: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ).rstrip()

    out = [fmt(lines[0]), "  ".join("-" * w for w in widths)]
    out += [fmt(line) for line in lines[1:]]
    return "\n".join(out)


def markdown_table(rows: list[Row]) -> str:
    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join(["---", *["---:"] * 7, "---"]) + "|"]
    for row in rows:
        line = cells(row)
        line[0] = f"&nbsp;&nbsp;↳ {row.label}" if row.sub else f"**{row.label}**"
        if row.verdict:
            line[8] = f"**{row.verdict}** ({row.budget})"
        out.append("| " + " | ".join(line) + " |")
    return "\n".join(out)


INTRO = """# Performance

`make bench` measures caseaudit under concurrent load, the way it runs in production, and
appends a dated section with the figures to this file. It takes six to seven minutes.

```
make bench                    # full run: records its figures below
.venv/bin/python bench/run.py --quick       # smoke check, a few seconds per benchmark,
                                            # not recorded here (add --record to record it)
.venv/bin/python bench/run.py --list        # the benchmarks; --only home,signin to choose
```

It needs PostgreSQL at `127.0.0.1:5432` (user `postgres`, trust authentication). Each run
creates its own database (`caseaudit_bench_<pid>`), migrates it, loads the demo data, adds a few
hundred bench users each with a TOTP authenticator, and starts gunicorn on a free loopback port
with `2 x cores + 1` sync workers and the production settings (`DEBUG=0`,
`CASEAUDIT_REQUIRE_MFA=1`; `CASEAUDIT_HTTPS=0` only because it serves plain HTTP on loopback).
gunicorn, the database and the temporary folder are removed at the end, also after an error or
Ctrl-C.

The load generator is the bench process itself: one thread per virtual user, each with its own
connection and cookies (Python's `http.client`), requesting with no pause in between. Every
virtual user waits for its answer before sending the next request (a closed loop), so the
throughput is what the server sustained at that many users and the latencies are what each user
saw. Each level has a warm-up that is not measured, then a measured window (20 s); only requests
that finish inside the window count. A request that fails (no answer, 4xx/5xx, or not the
expected answer, such as a redirect to the sign-in page) is an error; a run with errors says so
in capitals, exits with status 1, and its figures should not be trusted.

Each bench user connects from its own loopback address (127.0.1.1, 127.0.1.2, ...), as people
sign in from many addresses: allauth allows 30 sign-ins a minute per client address, and a whole
bench signing in from one address would measure that limit instead of the server.

**The load generator and the server share the same machine.** The CPU figures under each table
(cores used during the measured window) show how much the load generator took from the server,
and how much other processes did: a run on a busy machine says so, and its figures are
pessimistic.

## Benchmarks

- **home**: signed-in users GET `/` in a loop, 8 and 32 at once. The cost of every page
  before it does its own work: session, membership and MFA middleware, the page shell.
- **signin**: the whole sign-in, as a new browser and a different user each time: GET
  `/accounts/login/`, POST email and password, GET `/accounts/2fa/authenticate/`, POST the
  current TOTP code, GET `/`. 4 and 8 at once. Reported per flow and per step. The password
  check is Django's PBKDF2 with 1,000,000 iterations: slow on purpose, so this benchmark is
  CPU-bound and measures how many sign-ins a server can take at once. The bench does not
  weaken it.

- **import_population**: no server and no concurrency; the service the upload page and
  `caseaudit import_population` both call. For SQLite and for PostgreSQL in turn, a fresh
  migrated database (a file in a temporary data folder; a `caseaudit_bench_import_<pid>`
  database, dropped afterwards) and its own process with `DJANGO_SETTINGS_MODULE` and that
  `DATABASE_URL` (`bench/import_worker.py`): 100,000 invented children from
  `demo_population_csv` (generating the 13 MB file is not counted) go through
  `population_import` end to end (parse, validate every row, work out ages and intervals,
  encrypt name, date of birth and child id, insert, in one transaction); the stored row count
  is checked. Reported as the total and split into "parse + validate" and "build + encrypt +
  store". Then `sample_draw` of 15 children from that snapshot (repeat plans only, at most 3
  years since the previous plan, one per sibling group, stratified by gender and category,
  seed 1), 5 times: each draw replaces the unlocked sample, and every draw must give the same
  pseudonyms to the same cases. Single timed runs show their time in the p50 column. With
  `--quick`: 10,000 rows, no budget. `--only import_population` runs it alone (about a
  minute; it skips the demo data and bench users the other benchmarks need).

- **autosave**: the return form under load. Before anything is measured,
  `bench/autosave_seed.py` makes 200 agency auditors (spread over the demo partnership's
  agencies, each with TOTP) and, through the real services, an audit with a 3-page,
  18-question template, a locked sample of one child per auditor and a sent request each;
  every auditor signs in through the sign-in flow (4 at a time, not measured) and opens page 1
  of their return. Then 50, 100 and 200 of them at once (30 s each, after 5 s of warm-up) POST
  their open page's answers to `/returns/<pk>/autosave/` every 3 s ± 1 s, as the page's
  script does while someone types: every field of the page, the text growing at each save and
  other answers changing every third save, with the version their last save gave back; every
  4 saves they open the next page (GET). Unlike the other benchmarks this is paced, not a tight
  loop: 200 auditors offer 67 saves a second, and a save is an error unless it answers 200
  with the next version and no refused answer. Then all 200, each at a random moment within
  10 s, GET "Check your answers" and POST it to submit (302 to the submitted page expected;
  anyone who has not reached a page yet fills it in first, not measured). Afterwards the
  database is checked: every return submitted, its version exactly one per save plus one for
  the submit, and the last text typed on every page stored as sent. About four minutes, over a
  minute of it signing 200 people in; `--quick` runs 10 and 20 auditors.

Each benchmark is a module in `bench/benchmarks/`; `run.py` finds them there.

## Budgets

| What | Budget |
|---|---|
| Home page, 8 concurrent users | p95 < 300 ms |
| Sign-in flow, 4 concurrent users | p95 < 3 s |
| Import of 100,000 rows, on SQLite and on PostgreSQL | < 15 s each |
| Sample of 15 from those 100,000, on each | p95 of 5 draws < 1 s |
| Autosave, 200 auditors saving every 3 s | p95 < 500 ms |
| Submit, 200 auditors within 10 s | p95 < 1 s |

A missed budget is reported as FAIL in the table; it does not make `make bench` fail.

## Results

Newest last. Each section records the machine it ran on: compare figures only between runs on
the same machine.
"""


QUIET_LIMIT = 0.25  # cores


def busy_machine_warning(rows: list[Row]) -> str | None:
    """Other work on the machine takes CPU from the server: say so next to the figures."""
    others = [row.cpu_other for row in rows if row.cpu_other is not None]
    if not others or max(others) < QUIET_LIMIT:
        return None
    return (
        f"The machine was not quiet: other processes used up to {max(others):.2f} cores during "
        "the measurements, CPU the server did not get. These figures are pessimistic."
    )


def markdown_section(
    *,
    started: datetime,
    machine: dict[str, str],
    quick: bool,
    benchmarks: list[Benchmark],
    outcomes: dict[str, Outcome],
    log_problems: dict[str, int],
    warnings: list[str],
) -> str:
    rows = [row for name in outcomes for row in outcomes[name].rows]
    errors = [e for name in outcomes for e in outcomes[name].errors]
    busy = busy_machine_warning(rows)
    notes = ([f"**{busy}**"] if busy else []) + warnings
    notes += [n for name in outcomes for n in outcomes[name].notes]
    out = [f"### {started:%Y-%m-%d %H:%M} UTC" + (" (quick smoke run)" if quick else ""), ""]
    if errors:
        out += [
            (
                f"> **ERRORS: {len(errors)} requests or flows failed in this run. Its figures "
                "are not valid.** The first ones are listed below."
            ),
            "",
        ]
    out += [
        (
            f"- Machine: {machine['cpu']}, {machine['cores']} cores (shared by the load "
            f"generator and the server), {machine['ram']} RAM, {machine['os']}; load average "
            f"{machine['loadavg']} at the start"
        ),
        (
            f"- Software: Python {machine['python']}, PostgreSQL {machine['postgresql']}, "
            f"Django {machine['django']}, gunicorn {machine['gunicorn']} ({machine['workers']}), "
            f"psycopg {machine['psycopg']}"
        ),
        f"- caseaudit: commit {machine['commit']}",
        f"- Benchmarks: {', '.join(b.name for b in benchmarks)}",
        "",
        markdown_table(rows),
    ]
    cpu = [
        f"- {row.label}{f', {row.concurrency} users' if row.concurrency else ''}: {row.cpu}"
        for row in rows
        if row.cpu and not row.sub
    ]
    if cpu:
        out += ["", "CPU during each measured window, in cores:", "", *cpu]
    memory = [f"- {row.label}: {row.memory}" for row in rows if row.memory]
    if memory:
        out += ["", "Peak memory of each measured process:", "", *memory]
    if log_problems:
        found = ", ".join(f"{count} {label}" for label, count in log_problems.items())
        out += ["", f"**Server log**: {found}."]
    if notes:
        out += ["", *[f"- {note}" for note in notes]]
    if errors:
        out += ["", "Errors (first 10):", "", *[f"- `{e}`" for e in errors[:10]]]
    return "\n".join(out) + "\n"


def append_to_doc(section: str) -> Path:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    if not DOC.exists():
        DOC.write_text(INTRO)
    text = DOC.read_text()
    with DOC.open("a") as handle:
        handle.write(("\n" if text.endswith("\n") else "\n\n") + section)
    return DOC


def save_json(started: datetime, machine: dict[str, str], outcomes: dict[str, Outcome]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{started:%Y%m%dT%H%M%SZ}.json"
    data = {
        "started": started.isoformat(),
        "machine": machine,
        "benchmarks": {name: dataclasses.asdict(outcome) for name, outcome in outcomes.items()},
    }
    path.write_text(json.dumps(data, indent=2))
    return path


def now() -> datetime:
    return datetime.now(UTC)
