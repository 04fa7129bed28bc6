"""Builders for tests of requests and returns, for any test that needs a return to work on.

They go through the real services wherever one exists: `template_create` for the template,
`audit_create` and `audit_template_set` for the audit, `population_import` for the case list
(so the identifying details are encrypted exactly as in production) and `sample_lock` for the
sample. The sample itself is written directly rather than drawn (as tests/audits do for a locked
sample): a draw puts children in random order and leaves out anyone another audit of the
partnership sampled recently, and these builders need a known child behind each pseudonym in
every test, however many audits it makes.

The usual set-up, with the `world` fixture of tests/conftest.py:

    audit = audit_with_locked_sample(world)           # North, agencies csc and health, CHILDREN
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    requests_send(audit=audit, user=world.lena)         # emails chris and hana
    request = request_for(audit, "Child A", world.csc)  # chris is its assignee
    save_answers(request, world.chris, {"seen_alone": "yes", "visits": "4"})

`identifying_details` gives the strings that must never appear in an email about a child, and
`assert_no_identifying_details` checks a list of sent emails for them."""

import csv
import datetime
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from caseaudit.accounts.models import Agency, Membership, Partnership, User
from caseaudit.accounts.roles import Role
from caseaudit.audits.models import Audit, Sample, SampledCase
from caseaudit.audits.sample_services import sample_lock
from caseaudit.audits.services import audit_create
from caseaudit.population.models import PopulationSnapshot
from caseaudit.population.services import population_import
from caseaudit.questionnaires.models import Question, TemplateVersion
from caseaudit.questionnaires.services import template_create
from caseaudit.returns.answers import Value, check_value
from caseaudit.returns.models import AuditRequest
from caseaudit.returns.services import SaveResult, answers_save
from caseaudit.returns.services_lead import audit_template_set

# The day returns are due and the day the case list was extracted: fixed, so that no test
# depends on the real date.
DUE = datetime.date(2030, 3, 29)
AS_OF = datetime.date(2030, 1, 15)

# A small template with one question of each kind the returns code treats differently:
#   lead_agency  single choice, required
#   tools        multiple choice, optional, with a comment box
#   seen_alone   yes / no / not applicable (the standard three options), required, comment box
#   child_view   yes / no / n.a., required, shown only if seen_alone is "yes"
#   child_words  free text, required, shown only if child_view is "yes" (a show-if chain)
#   visits       number from 0 to 50, optional
#   plan_date    date, optional
#   summary      free text, optional, comment box
SPEC = {
    "name": "Returns test template",
    "sections": [
        {
            "title": "Work with the family",
            "questions": [
                {
                    "key": "lead_agency",
                    "text": "Which agency led the plan?",
                    "type": "single_choice",
                    "options": [
                        {"key": "social_care", "label": "Social care", "meaning": "positive"},
                        {"key": "health", "label": "Health", "meaning": "neutral"},
                        {"key": "unclear", "label": "Not clear", "meaning": "not_known"},
                    ],
                },
                {
                    "key": "tools",
                    "text": "Which assessment tools were used?",
                    "type": "multiple_choice",
                    "required": False,
                    "comment": True,
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
                    "key": "seen_alone",
                    "text": "Was the child seen alone?",
                    "type": "yes_no_na",
                    "comment": True,
                },
                {
                    "key": "child_view",
                    "text": "Was the child's view recorded?",
                    "type": "yes_no_na",
                    "show_if": {"question": "seen_alone", "options": ["yes"]},
                },
                {
                    "key": "child_words",
                    "text": "What did the child say?",
                    "type": "text",
                    "show_if": {"question": "child_view", "options": ["yes"]},
                },
            ],
        },
        {
            "title": "Plan and visits",
            "questions": [
                {
                    "key": "visits",
                    "text": "How many home visits were there?",
                    "type": "number",
                    "required": False,
                    "min": 0,
                    "max": 50,
                },
                {
                    "key": "plan_date",
                    "text": "When was the plan made?",
                    "type": "date",
                    "required": False,
                },
                {
                    "key": "summary",
                    "text": "Summarise the work with the family",
                    "type": "text",
                    "required": False,
                    "comment": True,
                },
            ],
        },
    ],
}


@dataclass(frozen=True)
class Child:
    """One row of the case list: identifying details, the `agencies` column as written in the
    file (";" between agencies) and the pseudonym the child gets in the sample."""

    child_id: str
    name: str
    date_of_birth: str
    agencies: str
    pseudonym: str


# North's audit asks children's social care (code CSC) and health (code HEALTH):
CHILDREN = (
    # both agencies, by code
    Child("RT-1001", "Ottoline Brackenbury", "2014-02-03", "CSC;HEALTH", "Child A"),
    # children's social care, by name in another case
    Child(
        "RT-1002", "Jasper Quillfeather", "2016-09-21", "north children's social care", "Child B"
    ),
    # health by code in another case; police is not in the audit, the last is no agency at all
    Child("RT-1003", "Marigold Tenterden", "2012-11-30", " health ;POL;Youth Offending", "Child C"),
    # no agency of the audit: no request
    Child("RT-1004", "Florian Ashdown", "2018-05-17", "POL", "Child D"),
)


def many_children(count: int, agencies: str = "CSC;HEALTH") -> tuple[Child, ...]:
    """`count` children known to the same agencies, pseudonyms Child 1, Child 2, ..."""
    return tuple(
        Child(
            f"MC-{n:04d}",
            f"Wilhelmina Farthing{n:03d}",
            f"2015-01-{n % 28 + 1:02d}",
            agencies,
            f"Child {n}",
        )
        for n in range(1, count + 1)
    )


def template_version(partnership: Partnership, spec: dict = SPEC, user=None) -> TemplateVersion:
    """A new version of the template in `spec` (a new template the first time)."""
    return template_create(partnership=partnership, spec=spec, user=user)[1]


def questions(version: TemplateVersion) -> dict[str, Question]:
    """The version's questions by key, options prefetched."""
    return {
        q.key: q
        for q in Question.objects.filter(version=version)
        .select_related("section", "show_if_question")
        .prefetch_related("options")
    }


def case_list(children: Iterable[Child]) -> bytes:
    """The CSV a partnership would import for these children."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["child_id", "plan_category", "name", "date_of_birth", "agencies"])
    for child in children:
        writer.writerow(
            [child.child_id, "neglect", child.name, child.date_of_birth, child.agencies]
        )
    return out.getvalue().encode()


def population(
    partnership: Partnership, children: Iterable[Child] = CHILDREN, user=None
) -> PopulationSnapshot:
    """A population snapshot holding `children`, imported through the real import."""
    return population_import(
        partnership=partnership,
        content=case_list(children),
        file_name="returns-test.csv",
        user=user,
        today=AS_OF,
    )


def locked_sample(
    audit: Audit, snapshot: PopulationSnapshot, children: Iterable[Child] = CHILDREN, user=None
) -> Sample:
    """Every child of the snapshot in the audit's sample, in file order, each with its
    pseudonym; then locked through `sample_lock`."""
    pseudonyms = [child.pseudonym for child in children]
    cases = list(snapshot.cases.order_by("row_number"))
    sample = Sample.objects.create(audit=audit, snapshot=snapshot, size=len(cases), seed=1)
    SampledCase.objects.bulk_create(
        SampledCase(sample=sample, case=case, order=order, pseudonym=name)
        for order, (case, name) in enumerate(zip(cases, pseudonyms, strict=True), start=1)
    )
    return sample_lock(sample=sample, user=user)


def audit_with_locked_sample(
    world,
    *,
    title: str = "Neglect: multi-agency audit",
    agencies: list[Agency] | None = None,
    children: Iterable[Child] = CHILDREN,
    version: TemplateVersion | None = None,
) -> Audit:
    """North's audit of `agencies` (children's social care and health unless given), with the
    template in SPEC (or `version`) chosen and `children` in a locked sample. No requests yet."""
    children = tuple(children)
    agencies = [world.csc, world.health] if agencies is None else agencies
    audit = audit_create(
        partnership=world.north, title=title, agencies=agencies, returns_due=DUE, user=world.lena
    )
    audit_template_set(audit=audit, version=version or template_version(world.north))
    audit.refresh_from_db()
    locked_sample(audit, population(world.north, children), children, user=world.lena)
    audit.refresh_from_db()
    return audit


def auditor(world, name: str, agency: Agency, *, active: bool = True) -> User:
    """Another agency auditor in North (`name`@north.example), for an agency with more than one."""
    user = User.objects.create_user(f"{name}@north.example", "pw", full_name=name.title())
    Membership.objects.create(
        user=user,
        partnership=world.north,
        role=Role.AGENCY_AUDITOR,
        agency=agency,
        is_active=active,
    )
    return user


def sampled_case(audit: Audit, pseudonym: str) -> SampledCase:
    return SampledCase.objects.select_related("case").get(sample__audit=audit, pseudonym=pseudonym)


def request_for(audit: Audit, pseudonym: str, agency: Agency) -> AuditRequest:
    return AuditRequest.objects.get(audit=audit, sampled_case__pseudonym=pseudonym, agency=agency)


def value_for(question: Question, raw) -> Value:
    """A checked Value from a short form: a Value as it is; a tuple or list of option keys; a
    string, which is the option key of a choice question and the typed value otherwise."""
    if isinstance(raw, Value):
        value = raw
    elif isinstance(raw, (tuple, list)):
        value = Value(tuple(raw))
    elif question.is_choice:
        value = Value((raw,))
    else:
        value = Value(value=raw)
    return check_value(question, value, [o.key for o in question.options.all()])


def save_answers(
    request: AuditRequest,
    user,
    answers: Mapping[str, object],
    *,
    expected_version: int | None = None,
) -> SaveResult:
    """Saves `answers` ({question key: short form, see value_for}) as `user` through
    `answers_save`, from the version now stored unless `expected_version` is given."""
    by_key = questions(request.template_version)
    if expected_version is None:
        expected_version = AuditRequest.objects.get(pk=request.pk).version
    values = {by_key[key]: value_for(by_key[key], raw) for key, raw in answers.items()}
    return answers_save(
        request=request, user=user, values=values, expected_version=expected_version
    )


def identifying_details(child: Child) -> list[str]:
    """The strings that would identify `child`: the case-system id, the full name and each part
    of it, and the date of birth as ISO and as it would be written in a letter."""
    born = datetime.date.fromisoformat(child.date_of_birth)
    return [
        child.child_id,
        child.name,
        *child.name.split(),
        child.date_of_birth,
        f"{born:%d/%m/%Y}",
        f"{born.day} {born:%B %Y}",
    ]


def assert_no_identifying_details(messages, children: Iterable[Child] = CHILDREN) -> None:
    """Fails naming the detail and the message if any of `children`'s identifying details is
    in the subject or body of any of `messages` (django.core.mail.outbox)."""
    for message in messages:
        text = f"{message.subject}\n{message.body}"
        for child in children:
            for detail in identifying_details(child):
                assert detail.lower() not in text.lower(), (
                    f"{detail!r} is in the email {message.subject!r} to {message.to}"
                )
