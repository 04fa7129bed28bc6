"""Many people saving returns at the same moment, on PostgreSQL (run by `make test-postgres`;
skipped on SQLite, which takes one writer at a time and so cannot show a race).

Each thread is one person with their own database connection, as each request to the server
would be; a barrier lets them all go at once. The tests use the services the views call
(`answers_save` with the version the person read, then `return_submit`), and the data is
committed for real (`transaction=True`) so every connection sees it."""

import datetime
import threading
from collections.abc import Callable
from functools import partial

import pytest
from django.db import connection

from caseaudit.accounts.models import Membership, User
from caseaudit.accounts.roles import Role
from caseaudit.audits.models import Sample, SampledCase
from caseaudit.audits.services import audit_create
from caseaudit.population.services import population_import
from caseaudit.questionnaires.models import Question
from caseaudit.questionnaires.services import template_create
from caseaudit.returns.answers import Value, check_value
from caseaudit.returns.models import (
    Answer,
    AnswerRevision,
    AuditRequest,
    EventKind,
    RequestEvent,
    RequestStatus,
)
from caseaudit.returns.services import (
    SaveConflict,
    answers_save,
    current_values,
    questions_of,
    requests_create,
    requests_send,
    return_submit,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
    pytest.mark.django_db(transaction=True),
]

AUDITORS = 50
RACES = 20
TIMEOUT = 60  # seconds a barrier or a thread may take before the test gives up

# Two pages, every kind of question the save code stores differently, and a show-if that the
# answers below meet (so submitting removes nothing).
SPEC = {
    "name": "Concurrency test template",
    "sections": [
        {
            "title": "Work with the family",
            "questions": [
                {"key": "seen_alone", "text": "Was the child seen alone?", "type": "yes_no_na"},
                {
                    "key": "child_words",
                    "text": "What did the child say?",
                    "type": "text",
                    "show_if": {"question": "seen_alone", "options": ["yes"]},
                },
                {
                    "key": "visits",
                    "text": "How many visits were there?",
                    "type": "number",
                    "min": 0,
                    "max": 500,
                },
                {
                    "key": "tools",
                    "text": "Which tools were used?",
                    "type": "multiple_choice",
                    "comment": True,
                    "options": [
                        {"key": "graded_care", "label": "Graded care", "meaning": "positive"},
                        {"key": "chronology", "label": "Chronology", "meaning": "positive"},
                        {"key": "genogram", "label": "Genogram", "meaning": "positive"},
                        {"key": "none", "label": "None", "meaning": "negative"},
                    ],
                },
            ],
        },
        {
            "title": "Impact",
            "questions": [
                {"key": "impact", "text": "Grade the impact on the child", "type": "grade"},
                {"key": "plan_date", "text": "When was the plan made?", "type": "date"},
                {"key": "summary", "text": "Summary", "type": "text", "comment": True},
            ],
        },
    ],
}
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
TOOLS = ["graded_care", "chronology", "genogram", "none"]
YES_NO_NA = ["yes", "no", "not_applicable"]


def auditors_of(world, count: int) -> list[User]:
    """`count` agency auditors of North's children's social care (no password: the services
    do not sign anyone in)."""
    users = User.objects.bulk_create(
        User(email=f"auditor{i:03d}@north.example", full_name=f"Auditor {i}") for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(user=u, partnership=world.north, role=Role.AGENCY_AUDITOR, agency=world.csc)
        for u in users
    )
    return users


def sent_requests(world, assignees: list[User]) -> list[AuditRequest]:
    """An audit of North with the template above and a locked sample of one child per assignee,
    each child known to children's social care only: one sent request per assignee, in order."""
    audit = audit_create(partnership=world.north, title="Many at once", agencies=[world.csc])
    _, version = template_create(partnership=world.north, spec=SPEC)
    audit.template_version = version
    audit.save()
    rows = "".join(
        f"CC-{i:04d},neglect,Child Number{i},2015-03-04,CSC\n" for i in range(len(assignees))
    )
    snapshot = population_import(
        partnership=world.north,
        content=("child_id,plan_category,name,date_of_birth,agencies\n" + rows).encode(),
        file_name="many.csv",
    )
    sample = Sample.objects.create(
        audit=audit,
        snapshot=snapshot,
        size=len(assignees),
        seed=1,
        locked_at=datetime.datetime.now(datetime.UTC),
    )
    SampledCase.objects.bulk_create(
        SampledCase(sample=sample, case=case, order=order, pseudonym=f"Child {order}")
        for order, case in enumerate(snapshot.cases.order_by("pk"), start=1)
    )
    requests_create(audit=audit, user=world.lena, due_date=datetime.date(2030, 1, 31))
    requests = list(AuditRequest.objects.filter(audit=audit).order_by("sampled_case__order"))
    assert len(requests) == len(assignees)
    for request, person in zip(requests, assignees, strict=True):
        request.assignee = person
    AuditRequest.objects.bulk_update(requests, ["assignee"])
    requests_send(audit=audit, user=world.lena)
    return list(AuditRequest.objects.filter(audit=audit).order_by("sampled_case__order"))


def answers_for(n: int, seen_alone: str = "yes") -> dict[str, Value]:
    """Answers by question key that differ from person to person in every question but the
    first, and that complete the return. Options in the template's order, numbers and dates as
    `check_value` leaves them, so they compare equal to what is read back."""
    return {
        "seen_alone": Value((seen_alone,)),
        "child_words": Value(value=f"Said they feel safe at home (return {n})"),
        "visits": Value(value=str(n % 400 + 1)),
        "tools": Value(
            tuple(sorted({TOOLS[n % 4], TOOLS[(n + 1) % 4]}, key=TOOLS.index)),
            comment=f"Comment {n}",
        ),
        "impact": Value((GRADES[n % 4],)),
        "plan_date": Value(value=(datetime.date(2024, 1, 1) + datetime.timedelta(n)).isoformat()),
        "summary": Value(value=f"Summary {n}", comment=f"Summary comment {n}"),
    }


def as_values(questions: list[Question], answers: dict[str, Value]) -> dict[Question, Value]:
    """Checked values, as the form and the autosave endpoint give them to answers_save."""
    by_key = {q.key: q for q in questions}
    return {
        by_key[key]: check_value(by_key[key], value, [o.key for o in by_key[key].options.all()])
        for key, value in answers.items()
    }


def by_key(request: AuditRequest) -> dict[str, Value]:
    keys = dict(Question.objects.filter(version=request.template_version).values_list("pk", "key"))
    return {keys[pk]: value for pk, value in current_values(request).items()}


def row_count(answers: dict[str, Value]) -> int:
    """Answer rows that store `answers`: one per chosen option, otherwise one."""
    return sum(max(1, len(value.options)) for value in answers.values() if not value.is_empty)


def run_at_once(jobs: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Runs every job on its own thread with its own database connection, all released at the
    same moment. Returns each job's result (None if it raised) and the exceptions raised."""
    barrier = threading.Barrier(len(jobs), timeout=TIMEOUT)
    results: list[object] = [None] * len(jobs)
    raised: list[BaseException] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = jobs[index]()
        except BaseException as error:
            with lock:
                raised.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return results, raised


def test_fifty_auditors_saving_and_submitting_at_once_all_land(world):
    people = auditors_of(world, AUDITORS)
    requests = sent_requests(world, people)
    expected = {r.pk: answers_for(n) for n, r in enumerate(requests)}
    sections = [{q["key"] for q in section["questions"]} for section in SPEC["sections"]]
    save_barrier = threading.Barrier(AUDITORS, timeout=TIMEOUT)
    submit_barrier = threading.Barrier(AUDITORS, timeout=TIMEOUT)

    def auditor(request_pk: int, person: User) -> Callable[[], list[int]]:
        def work() -> list[int]:
            # What the person's browser does: read the return, save each page as they go with
            # the version it was given, then submit with the version of the last save.
            request = AuditRequest.objects.get(pk=request_pk)
            values = as_values(questions_of(request), expected[request_pk])
            version = request.version
            versions = []
            for keys in sections:
                save_barrier.wait()
                page = {q: value for q, value in values.items() if q.key in keys}
                version = answers_save(
                    request=request, user=person, values=page, expected_version=version
                ).version
                versions.append(version)
            submit_barrier.wait()
            return_submit(request=request, user=person, expected_version=version)
            return versions

        return work

    results, raised = run_at_once([auditor(r.pk, p) for r, p in zip(requests, people, strict=True)])

    assert raised == []
    assert results == [[1, 2]] * AUDITORS
    for request, person in zip(requests, people, strict=True):
        request.refresh_from_db()
        assert request.status == RequestStatus.SUBMITTED
        assert request.submitted_by == person
        assert request.version == 3  # two saves and the submit
        assert by_key(request) == expected[request.pk]
        assert Answer.objects.filter(request=request).count() == row_count(expected[request.pk])
        # One revision per question answered (each from nothing), none for the submit.
        revisions = AnswerRevision.objects.filter(request=request)
        assert revisions.count() == len(expected[request.pk])
        assert set(revisions.values_list("changed_by", flat=True)) == {person.pk}
        assert RequestEvent.objects.filter(request=request, kind=EventKind.SUBMITTED).count() == 1
    assert AuditRequest.objects.filter(status=RequestStatus.SUBMITTED).count() == AUDITORS


def save_from(request_pk: int, person: User, values: dict, version: int) -> int:
    """One person's save, from the return as their page showed it at `version`."""
    request = AuditRequest.objects.get(pk=request_pk)
    return answers_save(
        request=request, user=person, values=values, expected_version=version
    ).version


def test_two_saves_of_one_return_at_once_give_one_conflict_and_lose_nothing(world):
    (colleague,) = auditors_of(world, 1)
    (request,) = sent_requests(world, [world.chris])
    questions = questions_of(request)
    people = [world.chris, colleague]

    for race in range(RACES):
        request.refresh_from_db()
        seen = request.version
        before = by_key(request)
        revisions_before = AnswerRevision.objects.filter(request=request).count()
        # Each person's answers differ from the other's in every question, so any answer of
        # the loser's that got stored would show.
        attempts = [
            answers_for(2 * race, YES_NO_NA[race % 3]),
            answers_for(2 * race + 1, YES_NO_NA[(race + 1) % 3]),
        ]
        results, raised = run_at_once(
            [
                partial(save_from, request.pk, people[n], as_values(questions, attempts[n]), seen)
                for n in (0, 1)
            ]
        )

        assert len(raised) == 1, f"race {race}: {raised!r}"
        assert isinstance(raised[0], SaveConflict), f"race {race}: {raised[0]!r}"
        winner = 0 if results[0] is not None else 1
        assert results[winner] == seen + 1
        request.refresh_from_db()
        assert request.version == seen + 1
        assert request.last_saved_by == people[winner]
        assert request.status == RequestStatus.IN_PROGRESS
        assert by_key(request) == attempts[winner], f"race {race}"
        assert Answer.objects.filter(request=request).count() == row_count(attempts[winner])
        changed = [key for key, value in attempts[winner].items() if before.get(key) != value]
        revisions = AnswerRevision.objects.filter(request=request)
        assert revisions.count() == revisions_before + len(changed)
        assert set(revisions[revisions_before:].values_list("changed_by", flat=True)) == {
            people[winner].pk
        }
        # The loser was told who saved first.
        assert raised[0].request.last_saved_by == people[winner]
