"""An audit with many submitted returns, loaded fast with PostgreSQL COPY (not the ORM), for
the export benchmark and any later benchmark of the statistics.

    seed_returns(n_returns=100_000, n_questions=20, n_agencies=4) -> Audit

makes a partnership, `n_agencies` agencies, a template of `n_questions` questions (cycling
yes/no/n.a. with a comment box, single choice, free text, number, date), an audit, a
population snapshot of n_returns / n_agencies children, a locked sample of all of them and one
submitted return per child per agency with one answer row per question: n_returns x
n_questions answer rows. Runs inside a configured Django (DJANGO_SETTINGS_MODULE) on
PostgreSQL; the template, audit and agencies go through the real services, the bulk tables
through COPY. Values are deterministic for a given `seed`."""

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from caseaudit.accounts.models import Agency, Partnership, Sector
from caseaudit.audits.models import Sample
from caseaudit.audits.services import audit_create
from caseaudit.population.models import PopulationCase, PopulationSnapshot
from caseaudit.questionnaires.services import template_create
from caseaudit.returns.services_lead import audit_template_set

TYPES = ["yes_no_na", "single_choice", "text", "yes_no_na", "number", "yes_no_na", "date"]
_SENTENCE = (
    "the family engaged well with the plan but the chronology was not kept up to date and "
    "the child's voice was recorded at most visits"
)
WORDS = _SENTENCE.split(" ")


def _spec(n_questions: int) -> dict:
    questions = []
    for index in range(n_questions):
        kind = TYPES[index % len(TYPES)]
        question = {
            "key": f"q{index + 1:02d}",
            "text": f"Question {index + 1} ({kind})",
            "type": kind,
            "required": False,
            "comment": kind == "yes_no_na",
        }
        if kind == "single_choice":
            question["options"] = [
                {"key": "good", "label": "Good", "meaning": "positive"},
                {
                    "key": "requires_improvement",
                    "label": "Requires improvement",
                    "meaning": "negative",
                },
                {"key": "inadequate", "label": "Inadequate", "meaning": "negative"},
            ]
        questions.append(question)
    half = (n_questions + 1) // 2
    return {
        "name": "Bench export template",
        "sections": [
            {"title": "First section", "questions": questions[:half]},
            {"title": "Second section", "questions": questions[half:]},
        ],
    }


def _copy(table: str, columns: list[str], rows) -> None:
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


@transaction.atomic
def seed_returns(
    n_returns: int = 100_000, n_questions: int = 20, *, n_agencies: int = 4, seed: int = 1
):
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_returns uses COPY: run it on PostgreSQL")
    rng = random.Random(seed)
    now = timezone.now()
    partnership, _ = Partnership.objects.get_or_create(
        slug="bench-exports", defaults={"name": "Bench exports"}
    )
    agencies = []
    for index in range(n_agencies):
        agency = Agency.objects.create(
            name=f"Bench agency {index + 1}", code=f"BX{index + 1}", sector=Sector.HEALTH
        )
        agency.partnerships.add(partnership)
        agencies.append(agency)
    _, version = template_create(partnership=partnership, spec=_spec(n_questions))
    audit = audit_create(
        partnership=partnership, title="Bench export audit", agencies=agencies,
        returns_due=datetime.date(2030, 3, 29),
    )  # fmt: skip
    audit_template_set(audit=audit, version=version)
    audit.refresh_from_db()
    n_cases = -(-n_returns // n_agencies)
    snapshot = PopulationSnapshot.objects.create(
        partnership=partnership, as_of=datetime.date(2030, 1, 15), file_name="bench.csv",
        file_hash="0" * 64, file_format="csv", row_count=n_cases,
    )  # fmt: skip
    # One ciphertext for every child: decrypts like any other, and costs one encryption.
    field = PopulationCase._meta.get_field("child_id")
    secret = field.get_prep_value("BENCH-CHILD")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM population_populationcase")
        first_case = cursor.fetchone()[0] + 1
    _copy(
        "population_populationcase",
        ["id", "snapshot_id", "row_number", "child_key", "child_id", "name", "date_of_birth",
         "age_band", "gender", "ethnicity", "team", "worker_id", "sibling_group",
         "plan_category", "previous_plans", "is_repeat", "agencies", "characteristics"],
        (
            [first_case + i, snapshot.pk, i + 1, f"k{i}", secret, secret, secret, "", "", "",
             "", "", "", "", 0, False, "[]", "{}"]
            for i in range(n_cases)
        ),
    )  # fmt: skip
    sample = Sample.objects.create(
        audit=audit, snapshot=snapshot, size=n_cases, seed=seed, locked_at=now
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM audits_sampledcase")
        first_sampled = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM returns_auditrequest")
        first_request = cursor.fetchone()[0] + 1
    _copy(
        "audits_sampledcase",
        ["id", "sample_id", "case_id", '"order"', "pseudonym", "removal_reason"],
        ([first_sampled + i, sample.pk, first_case + i, i + 1, f"Child {i + 1}", ""]
         for i in range(n_cases)),
    )  # fmt: skip
    _copy(
        "returns_auditrequest",
        ["id", "audit_id", "sampled_case_id", "agency_id", "template_version_id", "due_date",
         "status", "reason", "source", "version", "created_at", "submitted_at"],
        (
            [first_request + r, audit.pk, first_sampled + r // n_agencies,
             agencies[r % n_agencies].pk, version.pk, datetime.date(2030, 3, 29), "submitted",
             "", "web", 1, now, now]
            for r in range(n_returns)
        ),
    )  # fmt: skip
    questions = list(version.questions.order_by("section__order", "order"))
    options = {q.pk: list(q.options.values_list("pk", flat=True)) for q in questions}

    def answers():
        for r in range(n_returns):
            request_id = first_request + r
            for question in questions:
                kind, choices = question.type, options[question.pk]
                text, number, date, comment, option = "", None, None, "", None
                if choices:
                    option = choices[rng.randrange(len(choices))]
                    if question.comment and rng.random() < 0.3:
                        comment = " ".join(rng.sample(WORDS, 8))
                elif kind == "text":
                    text = " ".join(rng.sample(WORDS, 12))
                elif kind == "number":
                    number = rng.randrange(0, 30)
                elif kind == "date":
                    date = datetime.date(2029, 1, 1) + datetime.timedelta(rng.randrange(365))
                yield [request_id, question.pk, option, text, number, date, comment]

    _copy(
        "returns_answer",
        ["request_id", "question_id", "option_id", "text", "number", "date", "comment"],
        answers(),
    )
    with connection.cursor() as cursor:
        for table in ("population_populationcase", "audits_sampledcase", "returns_auditrequest"):
            # The table names are the literals above, not input.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {table}))"
            )
        # What autovacuum would do soon after such a load: without it the planner takes the
        # 100,000-return audit for one of a few hundred.
        for table in ("audits_sampledcase", "returns_auditrequest", "returns_answer"):
            cursor.execute(f"ANALYZE {table}")
    return audit
