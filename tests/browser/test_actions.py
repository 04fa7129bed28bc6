"""The audit lead adds an action for a sampled child; its owner finds it under "Your actions",
tries to complete it without evidence, then with; the tracker counts it. Every page is checked
with axe."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from caseaudit.actions.models import Action, ActionStatus
from tests.browser.support import axe_check, error_summary, follow, path_of, sign_in, submit
from tests.concerns.factories import audit_with_teams, child

pytestmark = pytest.mark.browser


def test_an_action_owner_completes_an_action_with_evidence(new_page, world):
    audit = audit_with_teams(world)
    case = child(audit, "Child A")
    due = datetime.date.today() + datetime.timedelta(days=30)
    mail.outbox.clear()

    lead = new_page()
    sign_in(lead, world.lena.email, world.totp_secrets["lena"])
    follow(
        lead,
        lead.get_by_role("navigation", name="Menu").get_by_role("link", name="Actions", exact=True),
    )
    assert path_of(lead) == "/actions/tracker/"
    axe_check(lead)
    follow(lead, lead.get_by_role("link", name="See every action"))
    axe_check(lead)
    follow(lead, lead.get_by_role("link", name="Add an action for a child"))
    axe_check(lead)
    lead.locator("main [name='sampled_case']").select_option(str(case.pk))
    lead.locator("main [name='what']").fill("Record directions on file and review them.")
    lead.locator("main [name='owner']").select_option(str(world.memberships["chris"].pk))
    lead.locator("main [name='due_date_0']").fill(str(due.day))
    lead.locator("main [name='due_date_1']").fill(str(due.month))
    lead.locator("main [name='due_date_2']").fill(str(due.year))
    submit(lead, "what")
    axe_check(lead)
    expect(error_summary(lead)).to_contain_text("Enter how we will know it made a difference")
    lead.locator("main [name='success_measure']").fill("Supervision shows the plan changed.")
    submit(lead, "what")
    action = Action.objects.get()
    assert path_of(lead) == f"/actions/{action.pk}/"
    axe_check(lead)
    assert [m.to for m in mail.outbox] == [["chris@north.example"]]

    owner = new_page()
    sign_in(owner, world.chris.email, world.totp_secrets["chris"])
    follow(
        owner, owner.get_by_role("navigation", name="Menu").get_by_role("link", name="Your actions")
    )
    assert path_of(owner) == "/actions/mine/"
    axe_check(owner)
    follow(owner, owner.get_by_role("link", name="Record directions on file"))
    axe_check(owner)
    follow(owner, owner.get_by_role("link", name="Complete the action"))
    axe_check(owner)
    submit(owner, "evidence")
    axe_check(owner)
    expect(error_summary(owner)).to_contain_text("Enter the evidence that the action is done")
    owner.locator("main [name='evidence']").fill("Supervision note of 3 May; plan revised.")
    submit(owner, "evidence")
    assert path_of(owner) == f"/actions/{action.pk}/"
    axe_check(owner)
    expect(owner.locator("main")).to_contain_text("Action completed")
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED

    lead.goto("/actions/tracker/")
    axe_check(lead)
    expect(lead.locator("main table")).to_contain_text("All months")
    lead.goto("/notifications/preferences/")
    axe_check(lead)
    lead.get_by_label("One email a day listing them").check()
    submit(lead, "delivery")
    axe_check(lead)
    expect(lead.locator("main")).to_contain_text("Your email choice has been saved")
