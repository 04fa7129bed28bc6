"""The moderation pages: who sees figures, who sees case-level text, who may write."""

import datetime

from django.test import Client

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.audits.models import Audit
from caseaudit.moderation.models import CaseGrade, Engagement, Meeting, ModerationStatus
from caseaudit.moderation.services import case_grade_moderate, case_grade_record, engagement_save
from tests.moderation.factories import audit_with_children, scale

RATIONALE = "Risk assessment was thorough and timely."
FEEDBACK = "Mum said nobody had explained the plan."


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _graded(world, moderated: str | None = None):
    audit, children = audit_with_children(world, 2, month=datetime.date(2026, 5, 1))
    grades = scale(world)
    graded = case_grade_record(
        sampled_case=children[0], grade=grades["good"], rationale=RATIONALE, user=world.lena
    )
    if moderated:
        case_grade_moderate(
            case_grade=graded, grade=grades[moderated], reason="Plan is vague.", user=world.morgan
        )
    engagement_save(
        sampled_case=children[0],
        social_worker="engaged",
        team_manager="engaged",
        child="not_appropriate",
        child_reason="Aged 1",
        parents="engaged",
        parents_feedback=FEEDBACK,
    )
    return audit, children


def test_the_grades_page_shows_case_text_to_the_lead_and_figures_only_to_the_board(world):
    audit, children = _graded(world, moderated="requires-improvement")
    url = f"/audits/{audit.pk}/grades/"
    lead = _client(world, "lena").get(url)
    assert lead.status_code == 200
    body = lead.content.decode()
    assert 'id="case-grades"' in body
    assert 'id="drift"' in body
    assert "Child 1" in body
    board = _client(world, "bea").get(url)
    assert board.status_code == 200
    body = board.content.decode()
    assert 'id="grade-counts"' in body
    assert 'id="case-grades"' not in body
    assert 'id="drift"' not in body
    assert "Child 1" not in body
    # The moderator sees the cases but not the drift, which is for the lead only.
    body = _client(world, "morgan").get(url).content.decode()
    assert 'id="case-grades"' in body
    assert 'id="drift"' not in body
    assert (
        _client(world, "bea").get(f"/audits/{audit.pk}/grades/{children[0].pk}/").status_code == 404
    )


def test_agency_auditors_see_grade_figures_only_once_results_are_released(world):
    audit, _ = _graded(world, moderated="good")
    chris = _client(world, "chris")
    assert chris.get(f"/audits/{audit.pk}/grades/").status_code == 404
    assert chris.get(f"/audits/{audit.pk}/engagement/").status_code == 404
    Audit.objects.filter(pk=audit.pk).update(
        results_released_at=datetime.datetime.now(datetime.UTC)
    )
    response = chris.get(f"/audits/{audit.pk}/grades/")
    assert response.status_code == 200
    assert "Child 1" not in response.content.decode()
    response = chris.get(f"/audits/{audit.pk}/engagement/")
    assert response.status_code == 200
    assert FEEDBACK not in response.content.decode()
    assert chris.get(f"/audits/{audit.pk}/meeting/").status_code == 404


def test_a_moderator_changes_a_grade_with_a_reason(world):
    audit, children = _graded(world)
    url = f"/audits/{audit.pk}/grades/{children[0].pk}/moderate/"
    morgan = _client(world, "morgan")
    page = morgan.get(f"/audits/{audit.pk}/grades/{children[0].pk}/")
    assert RATIONALE in page.content.decode()
    assert "Save the moderation" in page.content.decode()
    inadequate = scale(world)["inadequate"]
    response = morgan.post(url, {"moderation-grade": inadequate.pk, "moderation-reason": ""})
    assert response.status_code == 200
    assert "Enter the reason for changing the grade" in response.content.decode()
    assert CaseGrade.objects.get(sampled_case=children[0]).status == ModerationStatus.GRADED
    response = morgan.post(
        url, {"moderation-grade": inadequate.pk, "moderation-reason": "No safety plan."}
    )
    assert response.status_code == 302
    graded = CaseGrade.objects.get(sampled_case=children[0])
    assert (graded.status, graded.moderated_grade, graded.moderated_by) == (
        ModerationStatus.CHANGED,
        inadequate,
        world.morgan,
    )
    assert AccessEvent.objects.filter(action=Action.GRADE_MODERATED, user=world.morgan).exists()
    # Only moderators moderate; the wrong method is refused.
    assert _client(world, "lena").post(url, {"moderation-grade": inadequate.pk}).status_code == 404
    assert morgan.get(url).status_code == 405


def test_the_lead_grades_a_case_and_the_form_keeps_what_was_typed(world):
    audit, children = audit_with_children(world, 1)
    lena = _client(world, "lena")
    url = f"/audits/{audit.pk}/grades/{children[0].pk}/grade/"
    response = lena.post(url, {"rationale": "Half a thought"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Select a grade" in body
    assert "Half a thought" in body
    good = scale(world)["good"]
    assert lena.post(url, {"grade": good.pk, "rationale": RATIONALE}).status_code == 302
    assert CaseGrade.objects.get().auditor_grade == good
    assert (
        _client(world, "morgan").post(url, {"grade": good.pk, "rationale": "x"}).status_code == 404
    )


def test_other_partnerships_and_swapped_out_children_answer_404(world):
    audit, children = _graded(world)
    sol = _client(world, "sol")
    for url in (
        f"/audits/{audit.pk}/grades/",
        f"/audits/{audit.pk}/meeting/",
        f"/audits/{audit.pk}/meeting/record/",
        f"/audits/{audit.pk}/engagement/",
        f"/audits/{audit.pk}/engagement/{children[0].pk}/",
    ):
        assert sol.get(url).status_code == 404, url
    children[1].removed_at = datetime.datetime.now(datetime.UTC)
    children[1].save()
    assert (
        _client(world, "lena").get(f"/audits/{audit.pk}/grades/{children[1].pk}/").status_code
        == 404
    )


def test_the_lead_records_the_meeting_and_a_case_discussion(world):
    audit, children = audit_with_children(world, 1)
    lena = _client(world, "lena")
    url = f"/audits/{audit.pk}/meeting/record/"
    response = lena.post(url, {"held_on_0": "20", "held_on_1": "5", "held_on_2": "2026"})
    assert response.status_code == 200
    assert "Select whether North Children&#x27;s Social Care attended" in response.content.decode()
    response = lena.post(
        url,
        {
            "held_on_0": "20",
            "held_on_1": "5",
            "held_on_2": "2026",
            f"attendance_{world.csc.pk}": "attended",
            f"attendance_{world.health.pk}": "return_only",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get().held_on == datetime.date(2026, 5, 20)
    response = lena.post(
        f"/audits/{audit.pk}/meeting/cases/{children[0].pk}/",
        {
            "chronology_summary": "Known to CSC since 2022.",
            f"contribution_{world.health.pk}": "Health visitor saw the child monthly.",
            "impact": "<b>Little</b> change",
        },
    )
    assert response.status_code == 302
    page = lena.get(f"/audits/{audit.pk}/meeting/").content.decode()
    assert "Sent a return only" in page
    assert "Health visitor saw the child monthly." in page
    assert "&lt;b&gt;Little&lt;/b&gt; change" in page
    # The senior manager reads it; the board viewer and agency auditors do not.
    assert _client(world, "sam").get(f"/audits/{audit.pk}/meeting/").status_code == 200
    assert _client(world, "bea").get(f"/audits/{audit.pk}/meeting/").status_code == 404
    assert _client(world, "sam").get(url).status_code == 404


def test_engagement_form_asks_for_the_reason(world):
    audit, children = audit_with_children(world, 1)
    lena = _client(world, "lena")
    url = f"/audits/{audit.pk}/engagement/{children[0].pk}/"
    data = {
        "social_worker": "engaged",
        "team_manager": "unavailable",
        "child": "not_appropriate",
        "parents": "not_invited",
    }
    response = lena.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter why it was not appropriate to engage the child" in body
    assert "Enter why parents or carers were not invited" in body
    data |= {"child_reason": "Aged 2", "parents_reason": "Court order: no contact"}
    assert lena.post(url, data).status_code == 302
    assert Engagement.objects.get().child_reason == "Aged 2"


def test_the_grading_scale_page(world):
    alice = _client(world, "alice")
    response = alice.get("/grading-scale/")
    assert response.status_code == 200
    assert "Requires improvement" in response.content.decode()
    response = alice.post("/grading-scale/", {"labels": "Good\nAdequate\nPoor"})
    assert response.status_code == 302
    assert "Adequate" in alice.get("/grading-scale/").content.decode()
    assert _client(world, "morgan").get("/grading-scale/").status_code == 404


def test_trends_show_moderated_grades_agreement_and_engagement(world):
    _graded(world, moderated="requires-improvement")
    body = _client(world, "bea").get("/trends/").content.decode()
    assert 'id="moderated-grades"' in body
    assert "moderated-grades-chart" in body
    assert "May 2026" in body
    assert 'id="agreement-over-time"' in body
    assert 'id="engagement-by-month"' in body
