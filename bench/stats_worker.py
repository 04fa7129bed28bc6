"""One step of the statistics benchmark in its own process (DJANGO_SETTINGS_MODULE and
DATABASE_URL in the environment, PostgreSQL), writing JSON to --out:

    python -m bench.stats_worker seed --kind history|small|returns --out seed.json
    python -m bench.stats_worker measure --kind history|small|returns --out figures.json

`seed` loads a data set once and records it in the table `bench_seed` of that database, in the
same transaction, so a later run finds it there (`seeded` answers whether it is) and never loads
it twice; an interrupted seed leaves nothing behind. `measure` times what the pages call, on
the data set's audits, against the bare SQL GROUP BY over the same rows."""

import argparse
import json
import statistics as stats
import time

SEEDS = {
    # kind: (function, keyword arguments); the arguments are recorded with the seed, and a
    # seed recorded with other arguments is not the one asked for.
    "small": ("history", {"n_audits": 1, "slug": "bench-one-audit"}),
    "history": ("history", {"n_audits": 3_334, "slug": "bench-history"}),
    "returns": ("returns", {"n_returns": 100_000, "n_questions": 20}),
}

# The audit's questions are given as a list, as audit_statistics gives them: without it
# PostgreSQL may plan a scan of every answer row in the database (22 million beside the
# 100,000-return audit: 0.76 s against 0.34 s for the app's own count, on 2026-12-04).
BARE_AUDIT = """
    SELECT a.question_id, a.option_id, count(*)
    FROM returns_answer a JOIN returns_auditrequest r ON r.id = a.request_id
    WHERE r.audit_id = %s AND r.status = 'submitted' AND a.question_id = ANY(%s)
    GROUP BY a.question_id, a.option_id
"""
BARE_TRENDS = """
    SELECT q.key, r.audit_id, o.meaning, count(*)
    FROM returns_answer a JOIN returns_auditrequest r ON r.id = a.request_id
    JOIN audits_audit au ON au.id = r.audit_id
    JOIN questionnaires_question q ON q.id = a.question_id
    JOIN questionnaires_option o ON o.id = a.option_id
    WHERE au.partnership_id = %s AND r.status = 'submitted'
    GROUP BY q.key, r.audit_id, o.meaning
"""


def _table(cursor) -> None:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_seed (kind text PRIMARY KEY, params jsonb NOT NULL, "
        "result jsonb NOT NULL, seconds double precision NOT NULL, "
        "created_at timestamptz NOT NULL DEFAULT now())"
    )


def recorded(kind: str) -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        _table(cursor)
        cursor.execute("SELECT params, result, seconds FROM bench_seed WHERE kind = %s", [kind])
        row = cursor.fetchone()
    if row is None:
        return None
    params, result, seconds = (json.loads(v) if isinstance(v, str) else v for v in row)
    if params != SEEDS[kind][1]:
        return None
    return {**result, "seconds": seconds}


def seed(kind: str) -> dict:
    from django.db import connection, transaction

    found = recorded(kind)
    if found is not None:
        return {**found, "reused": True}
    function, kwargs = SEEDS[kind]
    started = time.perf_counter()
    with transaction.atomic():
        if function == "history":
            from bench.history_seed import seed_history

            result = seed_history(**kwargs)
        else:
            from bench.returns_seed import seed_returns
            from caseaudit.returns.models import Answer

            audit = seed_returns(kwargs["n_returns"], kwargs["n_questions"])
            result = {
                "partnership": audit.partnership_id,
                "first_audit": audit.pk,
                "audits": 1,
                "returns": kwargs["n_returns"],
                "answers": Answer.objects.filter(request__audit=audit).count(),
            }
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            _table(cursor)
            cursor.execute("DELETE FROM bench_seed WHERE kind = %s", [kind])
            cursor.execute(
                "INSERT INTO bench_seed (kind, params, result, seconds) VALUES (%s, %s, %s, %s)",
                [kind, json.dumps(kwargs), json.dumps(result), seconds],
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE returns_answer")
    return {**result, "seconds": seconds, "reused": False}


def _times(function, repeats: int, warmup: int = 1, before=None) -> list[float]:
    """Seconds of each of `repeats` calls of function, after `warmup` calls; `before` (not
    timed) runs before every call."""
    for _ in range(warmup):
        function()
    found = []
    for _ in range(repeats):
        if before is not None:
            before()
        started = time.perf_counter()
        function()
        found.append(time.perf_counter() - started)
    return found


def _summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "runs": len(ordered),
        "min": ordered[0],
        "p50": stats.median(ordered),
        "max": ordered[-1],
        "times": ordered,
    }


def _bare(sql: str, *params):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchall()

    return run


def measure(kind: str, repeats: int) -> dict:
    from caseaudit.analysis.models import StatisticsCounts
    from caseaudit.analysis.statistics import audit_statistics, request_version_ids
    from caseaudit.analysis.views import partnership_trend_figures
    from caseaudit.audits.models import Audit
    from caseaudit.questionnaires.models import Question

    seeded = recorded(kind)
    if seeded is None:
        raise SystemExit(f"no {kind} data set in this database: run the seed step first")
    audit = Audit.objects.get(pk=seeded["first_audit"])
    figures: dict = {"seed": seeded}
    if kind == "history":
        # An audit from the middle of the history, not the first one created.
        audit = Audit.objects.filter(partnership_id=seeded["partnership"]).order_by("pk")[
            seeded["audits"] // 2
        ]

    def forget() -> None:
        StatisticsCounts.objects.filter(audit=audit).delete()

    # Counted from the answer rows, as after a return changed: nothing kept before each call.
    cold_repeats = max(3, repeats // 3)
    figures["statistics_counting"] = _summary(
        _times(lambda: audit_statistics(audit, by_case=True), cold_repeats, before=forget)
    )
    figures["statistics_no_cases_counting"] = _summary(
        _times(lambda: audit_statistics(audit, by_case=False), cold_repeats, before=forget)
    )
    # As every page view finds it while no return changes: the kept counts read.
    figures["statistics"] = _summary(_times(lambda: audit_statistics(audit, by_case=True), repeats))
    figures["statistics_no_cases"] = _summary(
        _times(lambda: audit_statistics(audit, by_case=False), repeats)
    )
    questions = list(
        Question.objects.filter(version_id__in=request_version_ids(audit)).values_list(
            "pk", flat=True
        )
    )
    figures["bare_audit"] = _summary(_times(_bare(BARE_AUDIT, audit.pk, questions), repeats))
    figures["audit"] = audit.pk
    if kind == "history":
        from caseaudit.accounts.models import Partnership

        partnership = Partnership.objects.get(pk=seeded["partnership"])
        trend_repeats = max(3, repeats // 3)
        figures["trends"] = _summary(
            _times(lambda: partnership_trend_figures(partnership), trend_repeats)
        )
        # A scan of 20 million rows: three runs, the first one warming the cache.
        figures["bare_trends"] = _summary(_times(_bare(BARE_TRENDS, partnership.pk), 3, 0))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["seed", "seeded", "measure"])
    parser.add_argument("--kind", choices=sorted(SEEDS), required=True)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    import django

    django.setup()
    if args.step == "seed":
        result = seed(args.kind)
    elif args.step == "seeded":
        result = {"seeded": recorded(args.kind)}
    else:
        result = measure(args.kind, args.repeats)
    with open(args.out, "w") as out:
        json.dump(result, out, default=str)


if __name__ == "__main__":
    main()
