"""Requests and returns for the demo audit: sent to every agency that knows each sampled child,
most returned, a few declined, some still outstanding, so the tracker and the return form have
something to show. Answers are drawn at random (fixed seed) and every sentence is invented."""

import random

from caseaudit.audits.models import Audit, Status
from caseaudit.audits.services import audit_move
from caseaudit.questionnaires.models import QuestionType, Template
from caseaudit.returns import services
from caseaudit.returns.answers import Value, is_visible
from caseaudit.returns.models import AuditRequest

TEMPLATE_NAME = "Repeat Child Protection Plan"

TEXTS = [
    "The file shows regular visits, but the records say little about what changed for the child.",
    "Actions from the first plan were closed when the family moved, without a handover meeting.",
    "Supervision notes set tasks but rarely come back to check whether they were done.",
    "School attendance improved for a term and then fell again once the plan ended.",
    "The health visitor's concerns about home conditions were shared promptly.",
]
COMMENTS = [
    "The child's wishes are recorded once, early on, and not revisited.",
    "Good use of a chronology to show the pattern of neglect over time.",
    "Father is mentioned in passing only; no assessment of his role.",
    "Core group attendance by our agency was patchy during the summer.",
    "Language in the records is respectful and explains decisions to the family.",
    "Strengths in the wider family were identified but not built into the plan.",
]
# How often an answer of each meaning is chosen, roughly as the seed's figures run.
WEIGHTS = {"positive": 5, "negative": 3, "neutral": 1, "not_applicable": 1, "not_known": 1}


def _value(question, rng: random.Random) -> Value:
    comment = rng.choice(COMMENTS) if question.comment and rng.random() < 0.4 else ""
    options = list(question.options.all())
    if question.type == QuestionType.MULTIPLE_CHOICE:
        chosen = rng.sample(options, k=min(len(options), rng.randint(1, 2)))
        return Value(tuple(o.key for o in options if o in chosen), "", comment)
    if question.is_choice:
        weights = [WEIGHTS.get(o.meaning, 1) for o in options]
        return Value((rng.choices(options, weights=weights)[0].key,), "", comment)
    if question.type == QuestionType.NUMBER:
        low = int(question.min_value or 0)
        high = int(question.max_value or low + 12)
        return Value((), str(rng.randint(low, high)), comment)
    if question.type == QuestionType.DATE:
        return Value((), f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", comment)
    return Value((), rng.choice(TEXTS), comment)


def _answer_all(request: AuditRequest, rng: random.Random, share: float = 1.0) -> None:
    questions = services.questions_of(request)
    by_id = {q.pk: q for q in questions}
    values_by_key: dict[str, Value] = {}
    values = {}
    for question in questions[: max(1, int(len(questions) * share))]:
        if not is_visible(question, values_by_key, by_id):
            continue
        value = _value(question, rng)
        values_by_key[question.key] = value
        values[question] = value
    services.answers_save(
        request=request, user=request.assignee, values=values, expected_version=request.version
    )
    request.refresh_from_db()


def load_demo_returns(audit: Audit, lead, *, seed: int = 2026) -> None:
    template = Template.objects.filter(partnership=audit.partnership, name=TEMPLATE_NAME).first()
    if template is None:
        return
    audit.template_version = template.latest_version()
    audit.save(update_fields=["template_version"])
    if audit.status == Status.PLANNING:
        audit_move(audit=audit, to_status=Status.SAMPLING, user=lead, note="Sample drawn")
    audit_move(audit=audit, to_status=Status.FIELDWORK, user=lead, note="Returns requested")
    services.requests_create(audit=audit, user=lead, due_date=audit.returns_due)
    services.requests_send(audit=audit, user=lead)
    rng = random.Random(seed)  # noqa: S311 - invented demo answers, not security
    requests = AuditRequest.objects.filter(audit=audit).select_related("assignee", "agency")
    kept_for_demo = 0
    for request in requests.order_by("sampled_case__order", "agency__name"):
        if request.assignee is None:
            continue
        if request.agency.code == "CSC" and kept_for_demo < 2:
            # Left for the demo's children's social care auditor: one half done, one not begun.
            if kept_for_demo == 0:
                _answer_all(request, rng, share=0.5)
            kept_for_demo += 1
            continue
        roll = rng.random()
        if roll < 0.07:
            services.request_decline(
                request=request,
                user=request.assignee,
                reason="No involvement with this child or family during the period audited.",
            )
        elif roll < 0.87:
            _answer_all(request, rng)
            services.return_submit(
                request=request, user=request.assignee, expected_version=request.version
            )
