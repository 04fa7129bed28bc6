"""Autosave and submit of returns: up to 200 agency auditors, each with their own return, typing
into the return form at once, then all submitting within a few seconds of each other.

Before anything is measured, `python -m bench.autosave_seed` makes the auditors (each with TOTP),
an audit with the template below, a locked sample of one child per auditor and a sent request
for each, through the real services; every auditor then signs in through the real sign-in flow
(a few at a time) and opens page 1 of their return.

Measured with 50, then 100, then 200 of them typing: each auditor POSTs the page's answers to
`/returns/<pk>/autosave/` every 3 s (± 1 s), as the page's script does while someone types,
sending the version of their last save and following the version each answer gives back; every
few saves they open the next page (GET). Then, in a second measurement, all 200 open "Check
your answers" and submit, all within a few seconds. Afterwards the database is checked: every
return submitted, its version exactly one more than the auditor's saves (no save lost or
doubled), and the last text typed on every page stored as sent."""

import http.client
import json
import random
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.client import BenchUser, Browser, FlowError, csrf_token, sign_in
from bench.core import BENCH_PASSWORD, BenchError, Benchmark, Context, _pg_connect, loopback_address
from bench.load import CpuMeter, Record, Sample, run_load
from bench.stats import Outcome, Row

LEVELS = (50, 100, 200)  # auditors typing at once; the first of them carry on at each level
QUICK_LEVELS = (10, 20)
AUDITORS = max(LEVELS)
INTERVAL = 3.0  # seconds between one auditor's saves, from the start of one to the next
JITTER = 1.0  # plus or minus
SAVES_PER_PAGE = 4  # then the auditor opens the next page
SIGN_IN_AT_ONCE = 4  # sign-ins before the measurement: PBKDF2 is CPU-heavy by design
SUBMIT_SPREAD = 10.0  # seconds over which the auditors submit, each at a random moment
BUDGET_AUTOSAVE_P95 = 0.5
BUDGET_SUBMIT_P95 = 1.0

SAVE = "POST /returns/<pk>/autosave/"
PAGE = "GET /returns/<pk>/section/<n>/"
CHECK = "GET /returns/<pk>/check/"
SUBMIT = "POST /returns/<pk>/check/ (submit)"

# A multi-agency audit template of the usual size: three pages of six questions, each kind of
# question the form stores differently, comment boxes and one show-if.
SPEC = {
    "name": "Bench: multi-agency audit of a child protection plan",
    "sections": [
        {
            "title": "The child's experience",
            "questions": [
                {
                    "key": "seen_alone",
                    "text": "Was the child seen alone?",
                    "type": "yes_no_na",
                    "comment": True,
                },
                {
                    "key": "child_words",
                    "text": "What did the child say?",
                    "type": "text",
                    "show_if": {"question": "seen_alone", "options": ["yes"]},
                },
                {
                    "key": "visits",
                    "text": "How many times was the child seen in the period?",
                    "type": "number",
                    "min": 0,
                    "max": 200,
                },
                {"key": "last_seen", "text": "When was the child last seen?", "type": "date"},
                {
                    "key": "lived_experience",
                    "text": "Grade how well the child's lived experience is understood",
                    "type": "grade",
                    "comment": True,
                },
                {
                    "key": "experience_notes",
                    "text": "Describe the child's daily life as the records show it",
                    "type": "text",
                },
            ],
        },
        {
            "title": "Working together",
            "questions": [
                {
                    "key": "referral_timely",
                    "text": "Was the referral made without delay?",
                    "type": "yes_no_na",
                },
                {
                    "key": "strategy_meeting",
                    "text": "Did your agency attend the strategy meeting?",
                    "type": "yes_no_na",
                    "comment": True,
                },
                {
                    "key": "shared_with",
                    "text": "Which agencies did you share information with?",
                    "type": "multiple_choice",
                    "options": [
                        {"key": "police", "label": "Police", "meaning": "positive"},
                        {"key": "health", "label": "Health", "meaning": "positive"},
                        {"key": "education", "label": "Education", "meaning": "positive"},
                        {"key": "early_help", "label": "Early help", "meaning": "positive"},
                        {"key": "housing", "label": "Housing", "meaning": "positive"},
                    ],
                },
                {
                    "key": "information_sharing",
                    "text": "Grade the quality of information sharing",
                    "type": "grade",
                },
                {
                    "key": "meetings",
                    "text": "How many core group meetings did your agency attend?",
                    "type": "number",
                    "min": 0,
                    "max": 50,
                },
                {
                    "key": "partnership_notes",
                    "text": "What helped or got in the way of working together?",
                    "type": "text",
                },
            ],
        },
        {
            "title": "Outcomes and learning",
            "questions": [
                {
                    "key": "plan_smart",
                    "text": "Was the plan specific and timed?",
                    "type": "yes_no_na",
                },
                {
                    "key": "plan_reviewed",
                    "text": "When was the plan last reviewed?",
                    "type": "date",
                },
                {
                    "key": "outcome",
                    "text": "Grade the impact of your agency's work on the child",
                    "type": "grade",
                    "comment": True,
                },
                {
                    "key": "tools",
                    "text": "Which assessment tools were used?",
                    "type": "multiple_choice",
                    "required": False,
                    "options": [
                        {
                            "key": "graded_care",
                            "label": "Graded care profile",
                            "meaning": "positive",
                        },
                        {"key": "chronology", "label": "Chronology", "meaning": "positive"},
                        {"key": "genogram", "label": "Genogram", "meaning": "positive"},
                        {"key": "none", "label": "None", "meaning": "negative"},
                    ],
                },
                {
                    "key": "learning",
                    "text": "What is the learning for your agency?",
                    "type": "text",
                },
                {
                    "key": "good_practice",
                    "text": "Describe any good practice",
                    "type": "text",
                    "required": False,
                },
            ],
        },
    ],
}
PAGES = len(SPEC["sections"])
YES_NO_NA = ("yes", "no", "not_applicable")
GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
SENTENCES = (
    "Seen at home with her mother present and appeared settled.",
    "The chronology was checked against the plan and the case notes.",
    "School reported improved attendance over the last half term.",
    "Health visitor contact was missed twice and followed up by phone.",
    "The social worker changed in March and the handover was recorded.",
    "Information was shared with the police on the same day.",
    "Father was not invited to the first core group meeting.",
)
_VERSION = re.compile(rb"""<input\b[^>]*\bname="version"[^>]*\bvalue="(\d+)\"""")


def typed_text(auditor: int, key: str, save: int) -> str:
    """What the auditor has typed into one box so far: a little more at every save (up to
    about 800 characters), ending differently every time so each save changes it."""
    sentences = [SENTENCES[(auditor + n) % len(SENTENCES)] for n in range(1 + save % 12)]
    return " ".join(sentences) + f" ({key}, auditor {auditor}, save {save})"


def page_fields(number: int, auditor: int, save: int) -> tuple[list[tuple[str, str]], dict]:
    """The fields of page `number` as the page posts them at the auditor's `save`th save, and
    the text answers among them (by question key) that are always stored. Every question is
    answered, so the return is complete once each page has been saved."""
    fields: list[tuple[str, str]] = []
    texts: dict[str, str] = {}
    for index, question in enumerate(SPEC["sections"][number - 1]["questions"]):
        key, kind = question["key"], question["type"]
        name = f"q-{key}"
        # Text is typed at every save; each other answer changes every third save, each
        # question at its own moment.
        step = auditor + (save + index) // 3
        if kind == "text":
            value = typed_text(auditor, key, save)
            fields.append((name, value))
            if not question.get("show_if"):
                texts[key] = value
        elif kind == "yes_no_na":
            fields.append((name, YES_NO_NA[step % len(YES_NO_NA)]))
        elif kind == "grade":
            fields.append((name, GRADES[step % len(GRADES)]))
        elif kind == "multiple_choice":
            keys = [option["key"] for option in question["options"]]
            fields += [(name, keys[step % len(keys)]), (name, keys[(step + 2) % len(keys)])]
        elif kind == "number":
            fields.append((name, str(step % (question["max"] + 1))))
        elif kind == "date":
            day = date(2024, 1, 1) + timedelta(days=step % 365)
            fields += [(f"{name}_0", str(day.day)), (f"{name}_1", str(day.month))]
            fields.append((f"{name}_2", str(day.year)))
        if question.get("comment"):
            fields.append((f"{name}-comment", f"Checked with the team manager ({step})."))
    return fields, texts


@dataclass
class Auditor:
    """One virtual auditor and what their browser knows of their return."""

    index: int
    user: BenchUser
    request: int
    rng: random.Random
    browser: Browser | None = None
    page: int = 1
    version: int = 0  # of the return, as the last page or save gave it
    token: str = ""
    saves: int = 0  # autosaves that succeeded
    saves_on_page: int = 0
    pages_saved: set[int] = field(default_factory=set)
    texts: dict[str, str] = field(default_factory=dict)  # last text saved, by question key
    next_at: float = 0.0  # perf_counter time of the next save


def _failed(op: str, auditor: Auditor, problem: str) -> str:
    return f"{op}, return {auditor.request} ({auditor.user.email}): {problem}"


def _timed(call: Callable) -> tuple[float, float, object]:
    start = time.perf_counter()
    try:
        response = call()
    except (OSError, http.client.HTTPException) as error:
        return start, time.perf_counter(), error
    return start, time.perf_counter(), response


def open_page(auditor: Auditor, path: str, op: str, record: Record) -> bool:
    """GETs a page of the return and takes its version and CSRF token, as the browser's form
    holds them. The version must be the one the auditor's last save gave."""
    start, end, response = _timed(lambda: auditor.browser.get(path))
    if isinstance(response, Exception):
        record(op, start, end, False, _failed(op, auditor, f"{response!r}"), True)
        return False
    problem = None
    if response.status != 200:
        problem = response.describe()
    else:
        found = _VERSION.search(response.body)
        token = csrf_token(response.body)
        if not found or not token:
            problem = f"no version or CSRF token in the page ({response.describe()})"
        elif int(found.group(1)) != auditor.version:
            problem = (
                f"the page shows version {found.group(1)}, the last save gave {auditor.version}"
            )
        else:
            auditor.token = token
    ok = problem is None
    record(
        op, start, end, ok, None if ok else _failed(op, auditor, problem), response.status >= 400
    )
    return ok


def open_section(auditor: Auditor, number: int, record: Record) -> bool:
    if not open_page(auditor, f"/returns/{auditor.request}/section/{number}/", PAGE, record):
        return False
    auditor.page, auditor.saves_on_page = number, 0
    return True


def autosave(auditor: Auditor, record: Record) -> bool:
    """One autosave of the open page: every field, some answers changed since the last one."""
    fields, texts = page_fields(auditor.page, auditor.index, auditor.saves)
    form = [
        ("csrfmiddlewaretoken", auditor.token),
        ("version", str(auditor.version)),
        ("section", str(auditor.page)),
        *fields,
    ]
    path = f"/returns/{auditor.request}/autosave/"
    start, end, response = _timed(lambda: auditor.browser.post(path, form))
    if isinstance(response, Exception):
        record(SAVE, start, end, False, _failed(SAVE, auditor, f"{response!r}"), True)
        return False
    problem = None
    try:
        answer = json.loads(response.body) if response.status == 200 else {}
    except ValueError:
        answer = {}
    if response.status != 200:
        problem = f"{response.describe()} {response.body[:200]!r}"
    elif not answer.get("ok"):
        problem = f"not saved: {response.body[:200]!r}"
    elif answer["version"] != auditor.version + 1:
        problem = f"version {auditor.version} became {answer['version']}, not one more"
    elif answer.get("errors"):
        problem = f"answers refused: {answer['errors']}"
    ok = problem is None
    record(
        SAVE,
        start,
        end,
        ok,
        None if ok else _failed(SAVE, auditor, problem),
        response.status >= 400,
    )
    if ok:
        auditor.version = answer["version"]
        auditor.saves += 1
        auditor.saves_on_page += 1
        auditor.pages_saved.add(auditor.page)
        auditor.texts.update(texts)
    else:
        auditor.saves_on_page = SAVES_PER_PAGE  # reload: open the next page afresh
    return ok


def keep_typing(auditor: Auditor, record: Record) -> None:
    """One iteration of the load: wait for the next save, move page if it is time, save."""
    pause = auditor.next_at - time.perf_counter()
    if pause > 0:
        time.sleep(pause)
    auditor.next_at = time.perf_counter() + INTERVAL + auditor.rng.uniform(-JITTER, JITTER)
    if auditor.saves_on_page >= SAVES_PER_PAGE and not open_section(
        auditor, auditor.page % PAGES + 1, record
    ):
        return
    autosave(auditor, record)


class Collector:
    """`record` for work outside run_load (set-up, submit), thread-safe."""

    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self._lock = threading.Lock()

    def __call__(self, op, start, end, ok, error=None, http_error=False) -> None:
        with self._lock:
            self.samples.append(Sample(op, start, end, ok, error, http_error))

    def latencies(self, op: str) -> list[float]:
        return [s.seconds for s in self.samples if s.op == op and s.ok]

    def errors(self, op: str | None = None) -> list[Sample]:
        return [s for s in self.samples if not s.ok and (op is None or s.op == op)]


def seed(ctx: Context, count: int) -> tuple[int, list[Auditor]]:
    out = ctx.tmp / "autosave-auditors.json"
    ctx.django_script(
        "bench.autosave_seed", "--auditors", str(count), "--password", BENCH_PASSWORD,
        "--out", str(out),
    )  # fmt: skip
    seeded = json.loads(out.read_text())
    auditors = [
        Auditor(
            index=i,
            # Addresses after the other bench users', so no sign-in limit per address is shared.
            user=BenchUser(
                row["email"],
                BENCH_PASSWORD,
                row["secret"],
                address=loopback_address(ctx.user_count + i),
            ),
            request=row["request"],
            rng=random.Random(i),
        )
        for i, row in enumerate(seeded["auditors"])
    ]
    return seeded["audit"], auditors


def sign_in_all(ctx: Context, auditors: list[Auditor], record: Collector) -> None:
    """Signs every auditor in (a few at a time) and opens page 1 of their return."""
    base_url = ctx.base_url

    def one(auditor: Auditor) -> None:
        auditor.browser = Browser(base_url, source_address=auditor.user.address)
        sign_in(auditor.browser, auditor.user)
        if not open_section(auditor, 1, record):
            raise BenchError(f"opening page 1 failed: {record.errors()[-1].error}")

    try:
        with ThreadPoolExecutor(max_workers=SIGN_IN_AT_ONCE) as executor:
            list(executor.map(one, auditors))
    except FlowError as error:
        raise BenchError(f"signing in the auditors failed: {error}") from error


def finish_pages(auditors: list[Auditor], record: Record) -> int:
    """An auditor who has not yet reached a page fills it in before submitting (in a short run,
    and the auditors who only joined at the last level). Not measured. Returns how many pages
    that took."""
    behind = [a for a in auditors if len(a.pages_saved) < PAGES]
    pages = sum(PAGES - len(a.pages_saved) for a in behind)

    def one(auditor: Auditor) -> None:
        for number in range(1, PAGES + 1):
            if number not in auditor.pages_saved and open_section(auditor, number, record):
                autosave(auditor, record)

    with ThreadPoolExecutor(max_workers=8) as executor:
        list(executor.map(one, behind))
    return pages


def submit_all(ctx: Context, auditors: list[Auditor], spread: float, record: Collector):
    """Every auditor, each at a random moment within `spread` seconds, opens "Check your
    answers" and submits straight away. Returns (seconds from the start to the last answer,
    CPU use over that time)."""
    start_at = time.perf_counter() + 0.5
    offsets = [a.rng.uniform(0, spread) for a in auditors]

    def one(auditor: Auditor, offset: float) -> None:
        time.sleep(max(0.0, start_at + offset - time.perf_counter()))
        path = f"/returns/{auditor.request}/check/"
        if not open_page(auditor, path, CHECK, record):
            return
        form = {"csrfmiddlewaretoken": auditor.token, "version": str(auditor.version)}
        start, end, response = _timed(lambda: auditor.browser.post(path, form))
        if isinstance(response, Exception):
            record(SUBMIT, start, end, False, _failed(SUBMIT, auditor, f"{response!r}"), True)
            return
        wanted = f"/returns/{auditor.request}/submitted/"
        ok = response.status == 302 and response.location_path == wanted
        problem = (
            None if ok else _failed(SUBMIT, auditor, f"{response.describe()}, not -> {wanted}")
        )
        record(SUBMIT, start, end, ok, problem, response.status >= 400)

    threads = [
        threading.Thread(target=one, args=(a, offset), daemon=True, name=f"submit-{a.index}")
        for a, offset in zip(auditors, offsets, strict=True)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, start_at - time.perf_counter()))
    before = ctx.cpu.snapshot()
    for thread in threads:
        thread.join(120 + spread)
    after = ctx.cpu.snapshot()
    ends = [s.end for s in record.samples if s.op in (CHECK, SUBMIT)]
    return (max(ends) if ends else time.perf_counter()) - start_at, CpuMeter.describe(before, after)


def verify(ctx: Context, audit: int, auditors: list[Auditor]) -> list[str]:
    """What the database holds after the run: every return submitted, one version per save
    (and one for the submit), the last text typed on every page stored exactly."""
    problems = []
    ids = [a.request for a in auditors]
    with _pg_connect(ctx.db_name, ctx.pg_server) as conn:
        stored = {
            pk: (status, version)
            for pk, status, version in conn.execute(
                "SELECT id, status, version FROM returns_auditrequest WHERE audit_id = %s", [audit]
            ).fetchall()
        }
        texts = {
            (pk, key): text
            for pk, key, text in conn.execute(
                "SELECT a.request_id, q.key, a.text FROM returns_answer a "
                "JOIN questionnaires_question q ON q.id = a.question_id "
                "WHERE a.request_id = ANY(%s) AND q.type = 'text'",
                [ids],
            ).fetchall()
        }
    for auditor in auditors:
        status, version = stored.get(auditor.request, ("missing", None))
        if status != "submitted":
            problems.append(f"return {auditor.request} is {status}, not submitted")
        if version != auditor.saves + 1:
            problems.append(
                f"return {auditor.request} is at version {version} after {auditor.saves} saves "
                "and the submit"
            )
        for key, text in auditor.texts.items():
            if texts.get((auditor.request, key)) != text.strip():
                problems.append(f"return {auditor.request}: the last answer to {key} was lost")
    return problems


def run(ctx: Context) -> Outcome:
    outcome = Outcome()
    levels = QUICK_LEVELS if ctx.quick else LEVELS
    count = max(levels)
    timings = ctx.timings(warmup=5, duration=30)
    spread = 2.0 if ctx.quick else SUBMIT_SPREAD

    print(f"  making {count} auditors, an audit and {count} sent requests ...", flush=True)
    audit, auditors = seed(ctx, count)
    print(f"  signing them in, {SIGN_IN_AT_ONCE} at a time ...", flush=True)
    setup = Collector()
    clock = time.monotonic()
    sign_in_all(ctx, auditors, setup)
    signed_in = time.monotonic() - clock

    results = []
    for level in levels:
        print(f"  {level} auditors autosaving every {INTERVAL:.0f} s ...", flush=True)
        typing = auditors[:level]
        begin = time.perf_counter()
        for auditor in typing:
            auditor.next_at = begin + auditor.rng.uniform(0, INTERVAL)
        result = run_load(
            concurrency=level,
            warmup=timings.warmup,
            duration=timings.duration,
            make_state=lambda i, typing=typing: typing[i],
            iteration=keep_typing,
            cpu=ctx.cpu,
        )
        results.append(result)
        row = Row.from_latencies(
            benchmark=BENCHMARK.name,
            label="autosave (POST, one page's answers)",
            concurrency=level,
            latencies=result.latencies(SAVE),
            duration=result.duration,
            rate_unit="req/s",
            errors=len(result.errors(SAVE)) + len(result.errors("bench")),
        ).add_cpu(result.cpu)
        if level == AUDITORS:
            row.judge(metric="p95", limit=BUDGET_AUTOSAVE_P95, text="p95 < 500 ms")
        outcome.rows.append(row)
        outcome.rows.append(
            Row.from_latencies(
                benchmark=BENCHMARK.name,
                label="next page (GET)",
                concurrency=level,
                latencies=result.latencies(PAGE),
                duration=result.duration,
                rate_unit="req/s",
                errors=len(result.errors(PAGE)),
                sub=True,
            )
        )
        if result.stragglers:
            outcome.errors.append(
                f"autosave, {level} auditors: {result.stragglers} auditors never finished"
            )

    finishing = Collector()
    caught_up = finish_pages(auditors, finishing)
    print(f"  {count} auditors submitting within {spread:.0f} s ...", flush=True)
    submits = Collector()
    took, cpu = submit_all(ctx, auditors, spread, submits)
    row = Row.from_latencies(
        benchmark=BENCHMARK.name,
        label=f"submit (POST), all within {spread:.0f} s",
        concurrency=count,
        latencies=submits.latencies(SUBMIT),
        duration=took,
        rate_unit="req/s",
        errors=len(submits.errors(SUBMIT)),
    ).add_cpu(cpu)
    if count == AUDITORS:
        row.judge(metric="p95", limit=BUDGET_SUBMIT_P95, text="p95 < 1 s")
    outcome.rows.append(row)
    outcome.rows.append(
        Row.from_latencies(
            benchmark=BENCHMARK.name,
            label="check your answers (GET) just before",
            concurrency=count,
            latencies=submits.latencies(CHECK),
            duration=took,
            rate_unit="req/s",
            errors=len(submits.errors(CHECK)),
            sub=True,
        )
    )

    loaded = [sample for result in results for sample in result.all_errors()]
    outcome.errors += [s.error for s in setup.errors() + loaded if s.error]
    outcome.errors += [s.error for s in finishing.errors() + submits.errors() if s.error]
    problems = verify(ctx, audit, auditors)
    outcome.errors += [f"autosave, in the database afterwards: {p}" for p in problems]

    saves = sum(a.saves for a in auditors)
    offered = ", ".join(f"{n / INTERVAL:.0f}" for n in levels)
    outcome.notes.append(
        f"Autosave: the {count} auditors signed in through the sign-in flow, {SIGN_IN_AT_ONCE} "
        f"at a time, in {signed_in:.0f} s before the measurement. Offered load {offered} "
        f"autosaves/s at {', '.join(map(str, levels))} auditors (one every {INTERVAL:.0f} ± "
        f"{JITTER:.0f} s each, never two at once); each posts a whole page (6 questions, 0.4 "
        f"to 2 kB as the text grows) and moves page after {SAVES_PER_PAGE} saves. {saves:,} "
        "saves in all."
        + (f" {caught_up} pages filled in just before submitting." if caught_up else "")
    )
    if not problems:
        outcome.notes.append(
            f"Autosave: checked in the database afterwards: all {count} returns submitted, each "
            "at exactly one version per save plus one for the submit (no save lost or counted "
            "twice), and the last text typed on every page stored as sent."
        )
    return outcome


BENCHMARK = Benchmark(
    name="autosave",
    title="Autosave and submit of returns",
    order=40,
    description=(
        f"{AUDITORS} agency auditors, each signed in (before the measurement) with their own "
        f"sent request on a 3-page, 18-question template, POST their open page's answers to "
        f"`/returns/<pk>/autosave/` every {INTERVAL:.0f} ± {JITTER:.0f} s with the version of "
        f"their last save, opening the next page (GET) every {SAVES_PER_PAGE} saves; then "
        f"each opens `/returns/<pk>/check/` and submits, all within {SUBMIT_SPREAD:.0f} s. "
        f"Levels {', '.join(map(str, LEVELS))} auditors, 30 s each. The database is checked "
        f"afterwards. {', '.join(map(str, QUICK_LEVELS))} auditors with --quick."
    ),
    budget=f"autosave p95 < 500 ms and submit p95 < 1 s, at {AUDITORS} auditors",
    run=run,
)
