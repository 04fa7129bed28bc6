"""The audit lead builds a template in the browser: a section, a single choice question whose
options carry their meanings, a yes / no / not applicable question shown only on one answer to
it; a duplicate key first; a reorder, and one refused because it would break the condition; then
the preview, drawn by the return form. Every page is checked with axe."""

import pytest
from playwright.sync_api import expect

from caseaudit.questionnaires.models import Question, Template
from tests.browser.support import axe_check, error_summary, field, follow, path_of, sign_in, submit

pytestmark = pytest.mark.browser


def at(page) -> str:
    """The page's path, without the #fragment the builder adds to show what changed."""
    return path_of(page).split("#")[0]


def main(page):
    return page.locator("main")


def fill_option(page, number: int, key: str, label: str, meaning: str) -> None:
    field(page, f"option_{number}_key").fill(key)
    field(page, f"option_{number}_label").fill(label)
    field(page, f"option_{number}_meaning").select_option(meaning)


def add_question(page, text: str, key: str, type_label: str) -> None:
    follow(page, main(page).get_by_role("link", name="Add a question to section 1"))
    axe_check(page)
    field(page, "text").fill(text)
    field(page, "key").fill(key)
    page.get_by_label(type_label, exact=True).check()


def test_audit_lead_builds_previews_and_reorders_a_template(page, world):
    sign_in(page, world.lena.email, world.totp_secrets["lena"])
    follow(page, page.get_by_role("link", name="Templates", exact=True).first)
    assert at(page) == "/templates/"
    axe_check(page)

    follow(page, main(page).get_by_role("link", name="Create a template"))
    axe_check(page)
    submit(page, "name")
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Enter a name for the template")
    field(page, "name").fill("Neglect deep dive")
    submit(page, "name")
    template = Template.objects.get()
    base = f"/templates/{template.pk}/versions/1/"
    assert at(page) == base
    axe_check(page)
    expect(main(page)).to_contain_text("Draft")

    follow(page, main(page).get_by_role("link", name="Add a section"))
    axe_check(page)
    field(page, "title").fill("Assessment")
    submit(page, "title")
    axe_check(page)
    expect(main(page).get_by_role("heading", name="1. Assessment")).to_be_visible()

    # A single choice question; one option row left without a meaning first.
    add_question(page, "Was the child seen?", "seen", "Single choice")
    fill_option(page, 1, "seen_alone", "Seen alone", "positive")
    fill_option(page, 2, "seen_with_carer", "Seen with a carer", "neutral")
    field(page, "option_3_key").fill("not_seen")
    field(page, "option_3_label").fill("Not seen")
    submit(page, "text")
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Select what option 3 means for statistics")
    expect(field(page, "option_2_label")).to_have_value("Seen with a carer")
    field(page, "option_3_meaning").select_option("negative")
    submit(page, "text")
    assert at(page) == base
    axe_check(page)
    expect(main(page)).to_contain_text("1.1 Was the child seen?")
    expect(main(page)).to_contain_text("Seen with a carer")

    # A yes / no / n.a. question, first with a key already used.
    add_question(page, "Was there a plan for the child?", "seen", "Yes, no or not applicable")
    submit(page, "text")
    axe_check(page)
    expect(error_summary(page)).to_contain_text(
        "Key “seen” is already used by another question in this version"
    )
    field(page, "key").fill("plan")
    submit(page, "text")
    axe_check(page)
    plan = Question.objects.get(key="plan")
    assert [o.key for o in plan.options.all()] == ["yes", "no", "not_applicable"]

    # Shown only when the child was not seen.
    follow(page, main(page).get_by_role("link", name="Condition for question 1.2"))
    axe_check(page)
    page.get_by_label("Was the child seen? (seen)").check()
    submit(page, "on")
    axe_check(page)
    page.get_by_label("Not seen").check()
    submit(page, "options")
    assert at(page) == base
    axe_check(page)
    expect(main(page)).to_contain_text("Only when “Was the child seen?” (seen) is Not seen")

    # A free-text question, then moved up above the plan question.
    add_question(page, "What did the records show?", "records", "Free text")
    page.get_by_label("Auditors must answer this question").uncheck()
    submit(page, "text")
    axe_check(page)
    follow(page, main(page).get_by_role("button", name="Move up question 1.3"))
    axe_check(page)
    expect(main(page)).to_contain_text("1.2 What did the records show?")
    assert [q.key for q in Question.objects.order_by("order")] == ["seen", "records", "plan"]

    # The condition must stay after the question it depends on.
    follow(page, main(page).get_by_role("button", name="Move down question 1.1"))
    axe_check(page)
    follow(page, main(page).get_by_role("button", name="Move up question 1.3"))
    axe_check(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Question “plan” must come after question “seen”"
    )
    assert [q.key for q in Question.objects.order_by("order")] == ["records", "seen", "plan"]

    # The preview: the return form's own fields, and its checks.
    follow(page, main(page).get_by_role("link", name="Preview as an auditor"))
    assert at(page) == f"{base}preview/"
    axe_check(page)
    expect(main(page).get_by_role("heading", name="Assessment", level=1)).to_be_visible()
    expect(main(page)).to_contain_text("What did the records show? (optional)")
    expect(page.get_by_label("Seen with a carer")).to_be_visible()
    follow(page, main(page).get_by_role("button", name="Check this page"))
    axe_check(page)
    expect(error_summary(page)).to_be_visible()
    page.get_by_label("Not seen").check()
    page.locator("main [name='q-plan'][value='no']").check()
    follow(page, main(page).get_by_role("button", name="Check this page"))
    axe_check(page)
    expect(main(page)).to_contain_text("No problems on this page")
