"""The audit lead records the meeting, grades a case and records engagement; a moderator then
changes the grade, first without the reason (refused), then with it. Every page is checked
with axe, including the grading scale and the trends page."""

import datetime

import pytest
from playwright.sync_api import expect

from caseaudit.moderation.models import CaseGrade, ModerationStatus
from caseaudit.moderation.services import case_grade_record
from tests.browser.support import axe_check, error_summary, field, follow, path_of, sign_in, submit
from tests.moderation.factories import audit_with_children, scale

pytestmark = pytest.mark.browser


def test_the_lead_records_the_meeting_grades_and_engagement(page, world):
    audit, children = audit_with_children(world, 2, month=datetime.date(2026, 5, 1))
    child = children[0]
    sign_in(page, world.lena.email, world.totp_secrets["lena"])

    page.goto("/grading-scale/")
    axe_check(page)
    expect(page.locator("#current-scale")).to_contain_text("Requires improvement")

    page.goto(f"/audits/{audit.pk}/")
    axe_check(page)
    follow(
        page,
        page.get_by_role("link", name="Meeting record: attendance and each child's discussion"),
    )
    assert path_of(page) == f"/audits/{audit.pk}/meeting/"
    axe_check(page)
    follow(page, page.get_by_role("link", name="Record the meeting"))
    axe_check(page)
    field(page, "held_on_0").fill("20")
    field(page, "held_on_1").fill("5")
    field(page, "held_on_2").fill("2026")
    page.locator(f"#id_attendance_{world.csc.pk}_0").check()
    submit(page, "held_on_0")
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Select whether North Health Trust attended")
    expect(field(page, "held_on_0")).to_have_value("20")
    page.locator(f"#id_attendance_{world.health.pk}_1").check()
    submit(page, "held_on_0")
    assert path_of(page) == f"/audits/{audit.pk}/meeting/"
    axe_check(page)
    expect(page.locator("#attendance")).to_contain_text("Sent a return only")

    follow(page, page.get_by_role("link", name=f"Record the discussion of {child.pseudonym}"))
    axe_check(page)
    field(page, "chronology_summary").fill("Known to social care since 2022.")
    field(page, f"contribution_{world.health.pk}").fill("Health visitor saw the child monthly.")
    field(page, "impact").fill("Little lasting change.")
    submit(page, "chronology_summary")
    assert path_of(page) == f"/audits/{audit.pk}/meeting/"
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Health visitor saw the child monthly.")

    page.goto(f"/audits/{audit.pk}/grades/")
    axe_check(page)
    follow(page, page.locator("#case-grades").get_by_role("link", name=child.pseudonym))
    axe_check(page)
    field(page, "rationale").fill("The plan follows from a sound assessment.")
    submit(page, "rationale")
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Select a grade")
    expect(field(page, "rationale")).to_have_value("The plan follows from a sound assessment.")
    page.get_by_label("Good", exact=True).check()
    submit(page, "rationale")
    assert path_of(page) == f"/audits/{audit.pk}/grades/"
    axe_check(page)
    expect(page.locator("#case-grades")).to_contain_text("Graded, not yet moderated")

    page.goto(f"/audits/{audit.pk}/engagement/")
    axe_check(page)
    follow(page, page.get_by_role("link", name=f"Record engagement for {child.pseudonym}"))
    axe_check(page)
    page.locator("#id_social_worker_0").check()
    page.locator("#id_team_manager_1").check()
    page.locator("#id_child_1").check()
    page.locator("#id_parents_0").check()
    submit(page, "social_worker")
    axe_check(page)
    expect(error_summary(page)).to_contain_text(
        "Enter why it was not appropriate to engage the child"
    )
    field(page, "child_reason").fill("Aged 1")
    field(page, "parents_feedback").fill("Mum said the plan was explained well.")
    submit(page, "social_worker")
    assert path_of(page) == f"/audits/{audit.pk}/engagement/"
    axe_check(page)
    expect(page.locator("#engagement-child")).to_contain_text("Not appropriate")
    expect(page.locator("main")).to_contain_text("Mum said the plan was explained well.")


def test_a_moderator_changes_a_grade_with_a_reason(page, world):
    audit, children = audit_with_children(world, 2, month=datetime.date(2026, 5, 1))
    child = children[0]
    grades = scale(world)
    case_grade_record(
        sampled_case=child,
        grade=grades["good"],
        rationale="Purposeful visits and a clear plan.",
        user=world.lena,
    )
    sign_in(page, world.morgan.email, world.totp_secrets["morgan"])
    page.goto(f"/audits/{audit.pk}/grades/")
    axe_check(page)
    follow(page, page.locator("#case-grades").get_by_role("link", name=child.pseudonym))
    assert path_of(page) == f"/audits/{audit.pk}/grades/{child.pk}/"
    axe_check(page)
    expect(page.locator("#grade-summary")).to_contain_text("Purposeful visits and a clear plan.")

    page.get_by_label("Requires improvement").check()
    submit(page, "moderation-reason")
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Enter the reason for changing the grade")
    assert CaseGrade.objects.get(sampled_case=child).status == ModerationStatus.GRADED

    field(page, "moderation-reason").fill("The plan has no measurable outcomes for the child.")
    submit(page, "moderation-reason")
    assert path_of(page) == f"/audits/{audit.pk}/grades/"
    axe_check(page)
    expect(page.locator("#case-grades")).to_contain_text("Moderated: grade changed")
    graded = CaseGrade.objects.get(sampled_case=child)
    assert graded.status == ModerationStatus.CHANGED
    assert graded.moderated_grade == grades["requires-improvement"]

    page.goto("/trends/")
    axe_check(page)
    expect(page.locator("#moderated-grades")).to_contain_text("May 2026")
