"""North's audit with three requests: Child A to children's social care (chris) and to health
(hana), both submitted, and Child B to children's social care, saved but not submitted, which
no export may contain. Free text, comments and one option label start with formula characters."""

import pytest

from caseaudit.questionnaires.models import Option
from caseaudit.returns.answers import Value
from caseaudit.returns.models import AuditRequest
from caseaudit.returns.services import requests_create, requests_send, return_submit
from tests.returns.factories import DUE, audit_with_locked_sample, request_for, save_answers

DANGEROUS = ["=1+2", "+44 1234", "-3", "@SUM(A1)", "\tTabbed", "\rReturn"]


@pytest.fixture
def audit(world):
    audit = audit_with_locked_sample(world)
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    requests_send(audit=audit, user=world.lena)
    Option.objects.filter(question__version=audit.template_version, key="genogram").update(
        label="=Genogram"
    )
    csc = request_for(audit, "Child A", world.csc)
    save_answers(
        csc,
        world.chris,
        {
            "lead_agency": "social_care",
            "tools": Value(("chronology", "genogram"), comment='=HYPERLINK("x")'),
            "seen_alone": Value(("yes",), comment="@seen at school"),
            "child_view": "yes",
            "child_words": "-I want to stay",
            "visits": "4",
            "plan_date": "2029-11-02",
            "summary": Value(value="=SUM(A1:A9)", comment="+good work"),
        },
    )
    return_submit(request=csc, user=world.chris, expected_version=_version(csc))
    health = request_for(audit, "Child A", world.health)
    save_answers(health, world.hana, {"lead_agency": "health", "seen_alone": "no"})
    return_submit(request=health, user=world.hana, expected_version=_version(health))
    draft = request_for(audit, "Child B", world.csc)
    save_answers(draft, world.chris, {"lead_agency": "unclear", "summary": "Draft only"})
    return audit


def _version(request) -> int:
    return AuditRequest.objects.get(pk=request.pk).version
