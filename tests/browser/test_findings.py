"""The audit lead drafts a finding next to the evidence: a mistake first (kept and explained),
then the finding with its challenge and a supporting question, a quote pulled in with one click,
a recommendation that answers it, a worry and the texts of the publications. Every page is
checked with axe."""

import pytest
from playwright.sync_api import expect

from tests.analysis.fixtures import statistics_audit
from tests.browser.support import axe_check, error_summary, field, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def test_lead_drafts_a_finding_with_a_quote(new_page, world):
    audit = statistics_audit(world)
    page = new_page()
    sign_in(page, world.lena.email, world.totp_secrets["lena"])
    page.goto(f"/audits/{audit.pk}/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Findings and learning"))
    assert path_of(page) == f"/audits/{audit.pk}/findings/"
    expect(page.get_by_role("heading", name="The evidence")).to_be_visible()
    axe_check(page)

    follow(page, page.get_by_role("link", name="Add a finding"))
    axe_check(page)
    field(page, "challenge_for").fill("all agencies")
    follow(page, page.get_by_role("button", name="Save the finding"))
    expect(error_summary(page)).to_contain_text("Enter the finding")
    expect(field(page, "challenge_for")).to_have_value("all agencies")
    axe_check(page)
    field(page, "text").fill("Tools to assess neglect were seldom used.")
    field(page, "challenge").fill("Show how each tool changed the plan.")
    page.get_by_label("Which assessment tools were used?").check()
    follow(page, page.get_by_role("button", name="Save the finding"))
    expect(page.locator("main")).to_contain_text("Finding 1 saved")
    expect(page.get_by_role("heading", name="Figures this finding rests on")).to_be_visible()
    axe_check(page)

    page.get_by_label("Question").select_option("tools")
    follow(page, page.get_by_role("button", name="Show comments"))
    axe_check(page)
    follow(page, page.get_by_role("button", name="Quote this comment from North Children's"))
    quotes = page.locator(".govuk-inset-text")
    expect(quotes).to_contain_text("No tools were recorded on the file.")
    expect(quotes).to_contain_text("North Children's Social Care, Child 4")
    axe_check(page)

    follow(page, page.get_by_role("link", name="Back to findings and learning"))
    axe_check(page)
    follow(page, page.get_by_role("link", name="Add a recommendation"))
    field(page, "text").fill("Agencies report the use of neglect tools each quarter.")
    page.get_by_label("The finding it answers (optional)").select_option(
        label="Finding 1: Tools to assess neglect were seldom used."
    )
    axe_check(page)
    follow(page, page.get_by_role("button", name="Save the recommendation"))
    expect(page.locator("#recommendations ~ .govuk-summary-card").first).to_contain_text(
        "Answers finding 1."
    )
    axe_check(page)

    follow(page, page.get_by_role("link", name="Add a worry"))
    expect(page.get_by_label("What we are worried about")).to_be_checked()
    axe_check(page)
    field(page, "text").fill("Core groups were cancelled again and again.")
    follow(page, page.get_by_role("button", name="Save the point"))
    expect(page.locator("#points-worry + dl")).to_contain_text("Core groups were cancelled")
    axe_check(page)

    follow(page, page.get_by_role("link", name="Change the texts"))
    field(page, "introduction").fill("Neglect remains a priority for the partnership.")
    axe_check(page)
    follow(page, page.get_by_role("button", name="Save the texts"))
    expect(page.locator("main")).to_contain_text("Neglect remains a priority")
    axe_check(page)

    follow(page, page.get_by_role("link", name="Delete finding 1"))
    expect(
        page.get_by_role("heading", name="Are you sure you want to delete finding 1?")
    ).to_be_visible()
    axe_check(page)
