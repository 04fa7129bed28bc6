"""The home page `/`, signed in: what every page costs before it does any work of its own
(sessions, the membership and MFA middleware, the page shell)."""

import http.client
import time

from bench.client import Browser
from bench.core import Benchmark, Context
from bench.load import Record, run_load
from bench.stats import Outcome, Row

LEVELS = (8, 32)
BUDGET_CONCURRENCY = 8
BUDGET_P95 = 0.300
OP = "GET /"


def get_home(browser: Browser, record: Record) -> None:
    start = time.perf_counter()
    try:
        response = browser.get("/")
    except (OSError, http.client.HTTPException) as error:
        record(OP, start, time.perf_counter(), False, f"{type(error).__name__}: {error}", True)
        time.sleep(0.05)
        return
    end = time.perf_counter()
    if response.status == 200:
        record(OP, start, end, True)
    else:
        record(OP, start, end, False, f"{OP}: {response.describe()}", response.status >= 400)


def run(ctx: Context) -> Outcome:
    outcome = Outcome()
    timings = ctx.timings(warmup=3, duration=20)
    browsers = ctx.signed_in_browsers(max(LEVELS))
    probe = browsers[0].get("/")
    outcome.notes.append(
        f"Home: `/` answered HTTP {probe.status} with {len(probe.body):,} bytes of HTML; the "
        "bench does not fetch the page's static files (WhiteNoise serves those)."
    )
    for concurrency in LEVELS:
        result = run_load(
            concurrency=concurrency,
            warmup=timings.warmup,
            duration=timings.duration,
            make_state=lambda i: browsers[i],
            iteration=get_home,
            cpu=ctx.cpu,
        )
        row = Row.from_latencies(
            benchmark=BENCHMARK.name,
            label="GET / (signed in)",
            concurrency=concurrency,
            latencies=result.latencies(OP),
            duration=result.duration,
            rate_unit="req/s",
            errors=len(result.errors()),
        ).add_cpu(result.cpu)
        if concurrency == BUDGET_CONCURRENCY:
            row.judge(metric="p95", limit=BUDGET_P95, text="p95 < 300 ms")
        outcome.rows.append(row)
        outcome.errors += [
            f"home, {concurrency} concurrent: {s.error}" for s in result.all_errors()
        ]
    return outcome


BENCHMARK = Benchmark(
    name="home",
    title="Home page, signed in",
    order=10,
    description=(
        "Signed-in virtual users each GET `/` in a loop, with no pause between requests. "
        f"Concurrency {', '.join(map(str, LEVELS))}."
    ),
    budget="p95 < 300 ms at 8 concurrent users",
    run=run,
)
