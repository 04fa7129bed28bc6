"""The audit lead turns a recommendation into actions: from the findings editor to the
recommendation's actions, links an open action that already exists, adds a new one (a mistake
first, kept and explained), unlinks the first again and sees the counts on the editor. Every
page is checked with axe."""

import datetime

import pytest
from playwright.sync_api import expect

from caseaudit.actions.models import Action
from caseaudit.actions.services import action_create
from caseaudit.findings.models import Recommendation
from tests.analysis.fixtures import statistics_audit
from tests.browser.support import axe_check, error_summary, field, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def test_lead_links_and_adds_actions_for_a_recommendation(new_page, world):
    audit = statistics_audit(world)
    recommendation = Recommendation.objects.create(
        audit=audit, number=1, text="Agencies report the use of neglect tools each quarter."
    )
    existing = action_create(
        partnership=world.north,
        user=world.lena,
        owner=world.memberships["sam"],
        what="Add the neglect tools to every agency's supervision template",
        due_date=datetime.date(2099, 3, 31),
        success_measure="The next audit finds a tool on most files",
    )
    page = new_page()
    sign_in(page, world.lena.email, world.totp_secrets["lena"])
    page.goto(f"/audits/{audit.pk}/findings/")
    card = page.locator(f"#recommendation-{recommendation.pk}")
    expect(card).to_contain_text("No action answers it yet.")
    axe_check(page)
    follow(page, card.get_by_role("link", name="Add or link actions for recommendation 1"))
    assert path_of(page) == (
        f"/audits/{audit.pk}/findings/recommendation/{recommendation.pk}/actions/"
    )
    expect(page.get_by_role("heading", name="Actions for recommendation 1")).to_be_visible()
    axe_check(page)

    follow(page, page.get_by_role("button", name="Link the action"))
    expect(error_summary(page)).to_contain_text("Select the action to link")
    axe_check(page)
    page.get_by_label("Action", exact=True).select_option(str(existing.pk))
    follow(page, page.get_by_role("button", name="Link the action"))
    expect(page.locator("main")).to_contain_text("Action linked to recommendation 1")
    expect(page.get_by_role("table")).to_contain_text("Add the neglect tools")
    axe_check(page)

    follow(page, page.get_by_role("link", name="Add a new action"))
    expect(field(page, "what")).to_have_value(recommendation.text)
    axe_check(page)
    field(page, "what").fill("Quarterly report on neglect tools to the partnership board")
    page.get_by_label("Owner").select_option(str(world.memberships["sam"].pk))
    follow(page, page.get_by_role("button", name="Add the action"))
    expect(error_summary(page)).to_contain_text("Enter how we will know it made a difference")
    expect(field(page, "what")).to_have_value(
        "Quarterly report on neglect tools to the partnership board"
    )
    axe_check(page)
    field(page, "due_date_0").fill("30")
    field(page, "due_date_1").fill("6")
    field(page, "due_date_2").fill("2099")
    field(page, "success_measure").fill("The board receives the report each quarter")
    follow(page, page.get_by_role("button", name="Add the action"))
    assert path_of(page).endswith(f"/recommendation/{recommendation.pk}/actions/")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(3)
    axe_check(page)

    follow(page, page.get_by_role("button", name="Unlink the action due 31 March 2099"))
    expect(page.locator("main")).to_contain_text("Action unlinked from recommendation 1")
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)
    axe_check(page)
    existing.refresh_from_db()
    assert existing.source_id is None
    new = Action.objects.get(what__startswith="Quarterly report")
    assert new.source == recommendation

    follow(page, page.get_by_role("link", name="Back to findings and learning"))
    expect(page.locator(f"#recommendation-{recommendation.pk}")).to_contain_text(
        "1 action: 1 open, 0 overdue, 0 completed."
    )
    axe_check(page)
    follow(page, page.get_by_role("link", name="Delete recommendation 1"))
    expect(page.locator("main")).to_contain_text("1 action answers this recommendation.")
    axe_check(page)
