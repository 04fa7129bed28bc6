"""The audit lead opens a category 1 Case of Concern from a sampled child (the senior manager is
emailed at once); the senior manager finds it in the register, records the review and closes it
with a named sign-off; the board viewer sees the figures only. Every page is checked with axe;
no page shows a child's name."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from caseaudit.concerns.models import CaseOfConcern, ConcernStatus
from tests.browser.support import axe_check, error_summary, follow, path_of, sign_in, submit
from tests.concerns.factories import audit_with_teams, child
from tests.returns.factories import CHILDREN

pytestmark = pytest.mark.browser


def test_a_senior_manager_reviews_and_closes_a_case_of_concern(new_page, world):
    audit = audit_with_teams(world)
    case = child(audit, "Child C")
    mail.outbox.clear()

    lead = new_page()
    sign_in(lead, world.lena.email, world.totp_secrets["lena"])
    follow(
        lead,
        lead.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases of Concern"),
    )
    assert path_of(lead) == "/concerns/"
    axe_check(lead)
    lead.goto(f"/audits/{audit.pk}/sample/")
    axe_check(lead)
    follow(lead, lead.get_by_role("link", name="Open a Case of Concern about Child C"))
    axe_check(lead)
    expect(lead.locator("main")).to_contain_text("A senior manager must act at once")
    lead.locator("main [name='description']").fill("Not seen alone since the conference.")
    submit(lead, "description")
    axe_check(lead)
    expect(error_summary(lead)).to_contain_text("Select the category")
    expect(lead.locator("main [name='sampled_case']")).to_have_value(str(case.pk))
    lead.get_by_label("Category 1: a child may be at risk now").check()
    submit(lead, "description")
    concern = CaseOfConcern.objects.get(sampled_case=case)
    assert path_of(lead) == f"/concerns/{concern.pk}/"
    axe_check(lead)
    expect(lead.locator("main")).to_contain_text("The senior managers have been emailed")
    assert [m.to for m in mail.outbox] == [["sam@north.example"]]

    manager = new_page()
    sign_in(manager, world.sam.email, world.totp_secrets["sam"])
    expect(manager.locator("header")).to_contain_text("Notifications 1 unread")
    follow(manager, manager.get_by_role("link", name="Notifications"))
    axe_check(manager)
    follow(manager, manager.get_by_role("button", name="Category 1 Case of Concern"))
    assert path_of(manager) == f"/concerns/{concern.pk}/"
    axe_check(manager)
    follow(manager, manager.get_by_role("link", name="Record the review"))
    axe_check(manager)
    manager.locator("main [name='action_taken']").fill("Visited with the team manager.")
    submit(manager, "action_taken")
    axe_check(manager)
    expect(error_summary(manager)).to_contain_text("Enter the assurance given")
    expect(manager.locator("main [name='action_taken']")).to_have_value(
        "Visited with the team manager."
    )
    manager.locator("main [name='assurance']").fill("A safety plan is in place and working.")
    manager.locator("main [name='review_date_0']").fill("2")
    manager.locator("main [name='review_date_1']").fill("5")
    manager.locator("main [name='review_date_2']").fill("2026")
    submit(manager, "assurance")
    assert path_of(manager) == f"/concerns/{concern.pk}/"
    axe_check(manager)
    expect(manager.locator("main")).to_contain_text("Review saved")
    follow(manager, manager.get_by_role("link", name="Close and sign off"))
    axe_check(manager)
    manager.locator("main [name='signed_off_name']").fill("Pat Green")
    manager.locator("main [name='signed_off_role']").fill("Improvement Director")
    submit(manager, "signed_off_name")
    axe_check(manager)
    expect(manager.locator("main")).to_contain_text(
        "signed off by Pat Green (Improvement Director)"
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED
    manager.goto("/concerns/?status=closed")
    axe_check(manager)
    expect(manager.locator("main table").first).to_contain_text("Child C")
    for page in (lead, manager):
        for known in CHILDREN:
            assert known.name not in page.content()

    board = new_page()
    sign_in(board, world.bea.email, world.totp_secrets["bea"])
    follow(
        board,
        board.get_by_role("navigation", name="Menu").get_by_role("link", name="Cases of Concern"),
    )
    axe_check(board)
    expect(board.locator("main")).to_contain_text("Raised by month")
    expect(board.locator("main")).not_to_contain_text("Child C")
