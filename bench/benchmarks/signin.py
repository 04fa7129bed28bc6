"""The whole sign-in: GET the sign-in page, POST email and password (PBKDF2: deliberately
CPU-heavy), GET the authenticator-code page, POST the TOTP code, GET `/`. Each virtual user
signs in as a fresh browser, as a new user each time (allauth refuses a TOTP code used twice)."""

import threading
import time

from bench.client import STEP_LABELS, Browser, Flow, FlowError, sign_in
from bench.core import Benchmark, Context
from bench.load import Record, run_load
from bench.stats import Outcome, Row

LEVELS = (4, 8)
BUDGET_CONCURRENCY = 4
BUDGET_P95 = 3.0


def run(ctx: Context) -> Outcome:
    outcome = Outcome()
    timings = ctx.timings(warmup=5, duration=20)
    base_url = ctx.base_url
    totals = {"waited": 0.0, "waits": 0, "rollovers": 0}
    lock = threading.Lock()
    pool_waits_before = ctx.pool.waits

    def one_flow(_state: object, record: Record) -> None:
        user = ctx.pool.acquire()
        browser = Browser(base_url, source_address=user.address)
        flow = Flow()
        ok, error = True, None
        try:
            sign_in(browser, user, flow)
        except FlowError as failure:
            ok, error = False, failure
            time.sleep(0.5)  # no tight loop of failures
        finally:
            browser.close()
            ctx.pool.release(user, ok=ok)
        for step in flow.steps:
            failed_here = error is not None and not step.ok
            record(
                f"step:{step.label}",
                step.start,
                step.end,
                step.ok,
                str(error) if failed_here else None,
                bool(error and error.http_error),
            )
        if flow.steps:
            # The flow's latency is server time: the sum of its steps, not the wait for a code.
            end = flow.steps[-1].end
            record("flow", end - flow.seconds, end, ok, str(error) if error else None)
        with lock:
            totals["waited"] += flow.waited
            totals["waits"] += flow.waited > 0
            totals["rollovers"] += flow.rollover_retries

    for concurrency in LEVELS:
        result = run_load(
            concurrency=concurrency,
            warmup=timings.warmup,
            duration=timings.duration,
            make_state=lambda i: None,
            iteration=one_flow,
            cpu=ctx.cpu,
        )
        row = Row.from_latencies(
            benchmark=BENCHMARK.name,
            label="sign-in flow (5 requests)",
            concurrency=concurrency,
            latencies=result.latencies("flow"),
            duration=result.duration,
            rate_unit="flows/s",
            errors=len(result.errors("flow")) + len(result.errors("bench")),
        ).add_cpu(result.cpu)
        if concurrency == BUDGET_CONCURRENCY:
            row.judge(metric="p95", limit=BUDGET_P95, text="flow p95 < 3 s")
        outcome.rows.append(row)
        for label in STEP_LABELS:
            op = f"step:{label}"
            outcome.rows.append(
                Row.from_latencies(
                    benchmark=BENCHMARK.name,
                    label=label,
                    concurrency=concurrency,
                    latencies=result.latencies(op),
                    duration=result.duration,
                    rate_unit="req/s",
                    errors=len(result.errors(op)),
                    sub=True,
                )
            )
        outcome.errors += [
            f"sign-in, {concurrency} concurrent: {s.error}"
            for s in result.all_errors()
            if s.op in ("flow", "bench")
        ]
        if result.stragglers:
            outcome.errors.append(
                f"sign-in, {concurrency} concurrent: {result.stragglers} flows never finished"
            )
    if totals["waits"]:
        outcome.notes.append(
            f"Sign-in: {totals['waits']} flows waited for a fresh 30-second TOTP period before "
            f"sending their code (less than 1 s left; {totals['waited']:.1f} s in all). That wait "
            "counts against flows/s but not against a flow's latency."
        )
    if totals["rollovers"]:
        outcome.notes.append(
            f"Sign-in: {totals['rollovers']} TOTP codes were refused because their 30-second "
            "period ended while the request queued for a worker; the virtual user sent the new "
            "code (allauth's MFA_TOTP_TOLERANCE is 0). A person would have to retype it."
        )
    if ctx.pool.waits > pool_waits_before:
        outcome.notes.append(
            f"Sign-in: {ctx.pool.waits - pool_waits_before} times every bench user had already "
            "signed in during the current TOTP period; raise --users."
        )
    return outcome


BENCHMARK = Benchmark(
    name="signin",
    title="Sign-in with password and TOTP",
    order=20,
    description=(
        "Each virtual user, as a new browser and a different user each time: GET "
        "`/accounts/login/`, POST email and password, GET `/accounts/2fa/authenticate/`, POST "
        "the current TOTP code, GET `/`. Concurrency "
        f"{', '.join(map(str, LEVELS))}. The password check (Django's PBKDF2, 1,000,000 "
        "iterations) is CPU-bound by design and left as in production."
    ),
    budget="flow p95 < 3 s at 4 concurrent users",
    run=run,
)
