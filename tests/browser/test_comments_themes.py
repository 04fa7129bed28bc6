"""The comments page of an audit: filter by theme without JavaScript, confirm a comment's
themes, each page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from caseaudit.returns.models import Answer
from caseaudit.themes.models import CommentTheme
from caseaudit.themes.services import themes_seed_for_partnership
from tests.analysis.fixtures import statistics_audit
from tests.browser.support import axe_check, sign_in

pytestmark = pytest.mark.browser


def test_lead_filters_comments_and_confirms_themes(page, world):
    themes_seed_for_partnership(partnership=world.north)
    audit = statistics_audit(world)
    sign_in(page, world.lena.email, world.totp_secrets["lena"])

    page.goto(f"/audits/{audit.pk}/comments/")
    axe_check(page)
    expect(page.locator("main h1")).to_have_text("Comments")

    page.select_option("#filter-theme", "fathers-significant-males")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("He wants to see his dad more.")).to_be_visible()
    expect(page.get_by_text("No tools were recorded on the file.")).to_have_count(0)
    axe_check(page)

    answer = Answer.objects.get(request__audit=audit, text="He wants to see his dad more.")
    card = page.locator(f"#comment-{answer.pk}")
    card.get_by_label("Voice of the child").check()
    card.get_by_role("button", name="Confirm themes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Themes confirmed")
    axe_check(page)
    assert CommentTheme.objects.filter(
        answer=answer, theme__key="voice-of-child", confirmed=True
    ).exists()

    page.goto("/themes/")
    axe_check(page)
