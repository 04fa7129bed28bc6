"""Trends across a partnership's audits, against two copies of the hand-worked audit of
fixtures.py (the second on a new version of the template: keys are compared across versions)
and a small graded audit."""

import datetime

import pytest
from django.test import Client

from caseaudit.analysis import trends
from caseaudit.audits.models import Audit
from caseaudit.returns.models import AuditRequest
from caseaudit.returns.services import requests_create, requests_send, return_submit
from tests.analysis.fixtures import statistics_audit
from tests.returns.factories import DUE, audit_with_locked_sample, save_answers, template_version

pytestmark = pytest.mark.django_db

GRADED = {
    "name": "Graded audit",
    "sections": [
        {
            "title": "Overall",
            "questions": [{"key": "overall_grade", "text": "Overall grade", "type": "grade"}],
        }
    ],
}
JANUARY, FEBRUARY, MARCH = (datetime.date(2030, month, 1) for month in (1, 2, 3))


def plan(audit, month):
    Audit.objects.filter(pk=audit.pk).update(planned_month=month)


@pytest.fixture
def history(world):
    first = statistics_audit(world, title="January audit")
    second = statistics_audit(world, title="February audit")
    plan(first, JANUARY)
    plan(second, FEBRUARY)
    # In the second audit, social care's Child 3 return says "yes" instead of "no".
    request = AuditRequest.objects.get(
        audit=second, sampled_case__pseudonym="Child 3", agency=world.csc
    )
    from caseaudit.returns.services import request_reopen

    request_reopen(request=request, user=world.lena, reason="Wrong answer")
    request.refresh_from_db()
    result = save_answers(request, world.chris, {"seen_alone": "yes", "child_view": "no"})
    return_submit(request=request, user=world.chris, expected_version=result.version)
    graded = audit_with_locked_sample(
        world, title="March audit", version=template_version(world.north, GRADED)
    )
    plan(graded, MARCH)
    requests_create(audit=graded, user=world.lena, due_date=DUE)
    requests_send(audit=graded, user=world.lena)
    for pseudonym, agency, user, grade in [
        ("Child A", world.csc, world.chris, "good"),
        ("Child A", world.health, world.hana, "requires_improvement"),
        ("Child B", world.csc, world.chris, "requires_improvement"),
    ]:
        request = AuditRequest.objects.get(
            audit=graded, sampled_case__pseudonym=pseudonym, agency=agency
        )
        result = save_answers(request, user, {"overall_grade": grade})
        return_submit(request=request, user=user, expected_version=result.version)
    return first, second, graded


def test_response_rates_by_audit(world, history):
    first, second, graded = history
    assert [(r["audit"], r["sent"], r["returned"]) for r in trends.response_rates(world.north)] == [
        (first.pk, 10, 9),
        (second.pk, 10, 9),
        (graded.pk, 4, 3),
    ]
    assert trends.response_rates(world.north)[2]["percent"] == pytest.approx(75.0)
    assert trends.response_rates(world.south) == []


def test_grades_by_month(world, history):
    grades = trends.grades_by_month(world.north)
    # The grades given, best first.
    assert grades["grades"] == [
        {"key": "good", "label": "Good"},
        {"key": "requires_improvement", "label": "Requires improvement"},
    ]
    assert grades["months"] == [
        {"month": MARCH, "n": 3, "counts": {"good": 1, "requires_improvement": 2}}
    ]


def test_questions_sharing_a_key_across_audits_and_versions(world, history):
    first, second, _ = history
    assert first.template_version_id != second.template_version_id
    by_key = {t["key"]: t for t in trends.question_trends(world.north)}
    # Asked in one audit only: left out.
    assert "overall_grade" not in by_key
    seen = by_key["seen_alone"]
    assert seen["text"] == "Was the child seen alone?"
    assert [(p["audit"], p["positive"], p["n"]) for p in seen["audits"]] == [
        (first.pk, 5, 7),
        (second.pk, 6, 7),
    ]
    assert seen["audits"][1]["percent"] == pytest.approx(600 / 7)
    assert seen["audits"][0]["small_n"] is True
    # Multiple choice is not compared (a return may choose several options).
    assert "tools" not in by_key


def test_the_counts_follow_returns_changed_after_they_were_made(world, history):
    """The trends read per-audit counts kept between calls (analysis.AuditOptionCount): a
    return reopened, answered differently and submitted again after they were made shows at
    the next call, and a reopened return leaves the figures while it is open."""
    from caseaudit.analysis.models import AuditSummary
    from caseaudit.returns.services import request_reopen

    first, second, _ = history

    def seen():
        by_key = {t["key"]: t for t in trends.question_trends(world.north)}
        return [(p["audit"], p["positive"], p["n"]) for p in by_key["seen_alone"]["audits"]]

    assert seen() == [(first.pk, 5, 7), (second.pk, 6, 7)]
    assert AuditSummary.objects.filter(audit=second).exists()
    request = AuditRequest.objects.get(
        audit=second, sampled_case__pseudonym="Child 3", agency=world.csc
    )
    request_reopen(request=request, user=world.lena, reason="Check again")
    assert seen() == [(first.pk, 5, 7), (second.pk, 5, 6)]
    request.refresh_from_db()
    result = save_answers(request, world.chris, {"seen_alone": "no", "child_view": "no"})
    return_submit(request=request, user=world.chris, expected_version=result.version)
    assert seen() == [(first.pk, 5, 7), (second.pk, 5, 7)]
    # Unchanged audits are not counted again.
    made = AuditSummary.objects.get(audit=first).made_at
    seen()
    assert AuditSummary.objects.get(audit=first).made_at == made


def test_the_page(world, history):
    client = Client()
    client.force_login(world.lena)
    response = client.get("/trends/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "January audit" in page
    assert "85.7% (6 of 7)" in page
    assert "March 2030" in page
    client.force_login(world.chris)
    assert client.get("/trends/").status_code == 404
    client.force_login(world.lena)
    assert client.post("/trends/").status_code == 405
