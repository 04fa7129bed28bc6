"""A partnership's history of many audits, each of `cases` children x `agencies` agencies x
`questions` questions, all submitted, loaded by PostgreSQL itself (INSERT ... SELECT over
generate_series and joins), for the statistics and trend benchmarks.

    seed_history(n_audits=3_334, cases=25, agencies=12, questions=20) -> dict

The template, the first audit, its agencies, sample and population go through the real services
or a few ORM rows; every further audit, sample, sampled case, request and answer row is copied
from those by SQL, so 1,000,000 returns with 20,000,000 answer rows need no Python per row.
Audits are planned one a month over six years (several per month), answers are drawn from a
hash of (request, question), so every run gives the same figures. Each question has exactly one
row per return: a multiple-choice return chooses one option here."""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from caseaudit.accounts.models import Agency, Partnership, Sector
from caseaudit.audits.models import Sample
from caseaudit.audits.services import audit_create
from caseaudit.population.models import PopulationCase, PopulationSnapshot
from caseaudit.questionnaires.services import template_create
from caseaudit.returns.services_lead import audit_template_set

# Every type the statistics and trends handle; grades and yes/no are the trend questions.
TYPES = [
    "grade", "yes_no_na", "single_choice", "yes_no_na", "multiple_choice", "number",
    "yes_no_na", "text", "grade", "date",
]  # fmt: skip
PHRASES = [
    "the chronology was up to date and the plan was clear",
    "the child's voice was recorded at most visits",
    "drift in the plan between core groups",
    "father not seen during the assessment",
    "good information sharing with school",
]


def _spec(n_questions: int) -> dict:
    questions = []
    for index in range(n_questions):
        kind = TYPES[index % len(TYPES)]
        question = {
            "key": f"h{index + 1:02d}",
            "text": f"History question {index + 1} ({kind})",
            "type": kind,
            "required": False,
            "comment": kind == "yes_no_na",
        }
        if kind in ("single_choice", "multiple_choice"):
            question["options"] = [
                {"key": "a", "label": "Option A", "meaning": "positive"},
                {"key": "b", "label": "Option B", "meaning": "negative"},
                {"key": "c", "label": "Option C", "meaning": "negative"},
                {"key": "unknown", "label": "Not known", "meaning": "not_known"},
            ]
        questions.append(question)
    half = (n_questions + 1) // 2
    return {
        "name": "Bench history template",
        "sections": [
            {"title": "Practice", "questions": questions[:half]},
            {"title": "Outcomes", "questions": questions[half:]},
        ],
    }


def _columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]


def _clone(cursor, table: str, source: str, overrides: dict[str, str], params=()) -> int:
    """INSERT INTO table (every column but id) SELECT the same columns of `source` (a FROM ...
    clause whose rows to copy are aliased `t`), with some columns replaced by SQL expressions.
    Table, columns and expressions are this module's literals, not input."""
    columns = [c for c in _columns(cursor, table) if c != "id"]
    select = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    cursor.execute(f"INSERT INTO {table} ({names}) SELECT {select} FROM {source}", params)  # noqa: S608
    return cursor.rowcount


@transaction.atomic
def seed_history(
    n_audits: int = 3_334, *, cases: int = 25, agencies: int = 12, questions: int = 20,
    slug: str = "bench-history", progress=print,
) -> dict:  # fmt: skip
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_history uses PostgreSQL's SQL: run it on PostgreSQL")
    now = timezone.now()
    partnership = Partnership.objects.create(slug=slug, name=f"Bench history ({slug})")
    agency_rows = []
    for index in range(agencies):
        agency = Agency.objects.create(
            name=f"{slug} agency {index + 1}", code=f"{slug[:6]}{index + 1}", sector=Sector.HEALTH
        )
        agency.partnerships.add(partnership)
        agency_rows.append(agency)
    _, version = template_create(partnership=partnership, spec=_spec(questions))
    first = audit_create(
        partnership=partnership, title="Bench history audit 1", agencies=agency_rows,
        returns_due=datetime.date(2020, 2, 28), planned_month=datetime.date(2020, 1, 1),
    )  # fmt: skip
    audit_template_set(audit=first, version=version)
    snapshot = PopulationSnapshot.objects.create(
        partnership=partnership, as_of=datetime.date(2020, 1, 1), file_name="bench.csv",
        file_hash="0" * 64, file_format="csv", row_count=cases,
    )  # fmt: skip
    population = PopulationCase.objects.bulk_create(
        PopulationCase(
            snapshot=snapshot,
            row_number=i + 1,
            child_key=f"h{i}",
            child_id="BENCH-CHILD",
            name="Bench child",
            date_of_birth="2015-01-01",
            previous_plans=0,
        )
        for i in range(cases)
    )
    sample = Sample.objects.create(
        audit=first, snapshot=snapshot, size=cases, seed=1, locked_at=now
    )
    from caseaudit.audits.models import SampledCase
    from caseaudit.returns.models import AuditRequest

    sampled = SampledCase.objects.bulk_create(
        SampledCase(sample=sample, case=case, order=i + 1, pseudonym=f"Child {i + 1}")
        for i, case in enumerate(population)
    )
    AuditRequest.objects.bulk_create(
        AuditRequest(
            audit=first,
            sampled_case=case,
            agency=agency,
            template_version=version,
            due_date=datetime.date(2020, 2, 28),
            status="submitted",
            source="web",
            version=1,
            created_at=now,
            submitted_at=now,
        )
        for case in sampled
        for agency in agency_rows
    )
    with connection.cursor() as cursor:
        # Foreign keys are checked by triggers, one per row: 20 million of them would take
        # longer than the rows themselves. Every key below is taken from existing rows.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        added = (
            _clone(
                cursor,
                "audits_audit",
                f"audits_audit t, generate_series(2, %s) g WHERE t.id = {first.pk}",
                {
                    "title": "'Bench history audit ' || g",
                    # Several audits a month over six years, oldest first.
                    "planned_month": "(t.planned_month + ((g - 1) * 72 / %s) "
                    "* interval '1 month')::date",
                    "created_at": "t.created_at + g * interval '1 second'",
                },
                [n_audits, n_audits],
            )
            if n_audits > 1
            else 0
        )
        progress(f"  {added + 1:,} audits")
        where_new = f"a.partnership_id = {partnership.pk} AND a.id <> {first.pk}"
        _clone(
            cursor, "audits_audit_agencies",
            "audits_audit_agencies t, audits_audit a "
            f"WHERE t.audit_id = {first.pk} AND {where_new}",
            {"audit_id": "a.id"},
        )  # fmt: skip
        _clone(
            cursor, "audits_sample",
            f"audits_sample t, audits_audit a WHERE t.id = {sample.pk} AND {where_new}",
            {"audit_id": "a.id"},
        )  # fmt: skip
        _clone(
            cursor, "audits_sampledcase",
            f"audits_sampledcase t, audits_sample s, audits_audit a WHERE t.sample_id = "
            f"{sample.pk} AND s.audit_id = a.id AND {where_new}",
            {"sample_id": "s.id"},
        )  # fmt: skip
        requests = _clone(
            cursor, "returns_auditrequest",
            "returns_auditrequest t JOIN audits_sampledcase tc ON tc.id = t.sampled_case_id "
            "JOIN audits_sampledcase nc ON nc.\"order\" = tc.\"order\" "
            "JOIN audits_sample s ON s.id = nc.sample_id JOIN audits_audit a ON a.id = s.audit_id "
            f"WHERE t.audit_id = {first.pk} AND {where_new}",
            {
                "audit_id": "a.id", "sampled_case_id": "nc.id",
                "due_date": "(a.planned_month + interval '2 months')::date",
                "submitted_at": "a.created_at + interval '40 days'",
            },
        )  # fmt: skip
        progress(f"  {requests + cases * agencies:,} requests")
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_q ON COMMIT DROP AS "
            'SELECT q.id, q.type, array_agg(o.id ORDER BY o."order") '
            "FILTER (WHERE o.id IS NOT NULL) AS options "
            "FROM questionnaires_question q LEFT JOIN questionnaires_option o "
            "ON o.question_id = q.id WHERE q.version_id = %s GROUP BY q.id, q.type",
            [version.pk],
        )
        # h: a well-mixed integer per (request, question); options skewed to the first ones
        # so that percentages differ between options.
        cursor.execute(
            """
            INSERT INTO returns_answer (request_id, question_id, option_id, text, number, date,
                                        comment)
            SELECT r.id, q.id,
                   CASE WHEN q.options IS NOT NULL THEN
                       q.options[1 + least(h %% 10, h %% 7, h %% 13) %% cardinality(q.options)] END,
                   CASE WHEN q.type = 'text' THEN (%(phrases)s::text[])[1 + h %% 5] ELSE '' END,
                   CASE WHEN q.type = 'number' THEN h %% 30 END,
                   CASE WHEN q.type = 'date' THEN date '2019-01-01' + (h %% 365)::int END,
                   CASE WHEN q.type = 'yes_no_na' AND h %% 10 < 3
                        THEN (%(phrases)s::text[])[1 + (h / 10) %% 5] ELSE '' END
            FROM returns_auditrequest r
            JOIN audits_audit a ON a.id = r.audit_id
            CROSS JOIN bench_q q
            CROSS JOIN LATERAL (SELECT abs(hashint8(r.id::bigint * 1000 + q.id)::bigint) AS h) x
            WHERE a.partnership_id = %(partnership)s
            """,
            {"phrases": PHRASES, "partnership": partnership.pk},
        )
        answers = cursor.rowcount
        progress(f"  {answers:,} answer rows")
        for table in ("audits_audit", "audits_sample", "audits_sampledcase",
                      "returns_auditrequest", "returns_answer"):  # fmt: skip
            cursor.execute(f"ANALYZE {table}")
    return {
        "partnership": partnership.pk,
        "first_audit": first.pk,
        "audits": n_audits,
        "returns": requests + cases * agencies,
        "answers": answers,
    }
