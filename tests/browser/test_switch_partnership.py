"""Someone with roles in two partnerships switches between them from the page header."""

import pytest
from playwright.sync_api import expect

from caseaudit.accounts.models import Membership
from caseaudit.accounts.roles import Role
from tests.browser.support import axe_check, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def test_audit_lead_switches_from_north_to_south(page, world):
    Membership.objects.create(user=world.lena, partnership=world.south, role=Role.AUDIT_LEAD)
    sign_in(page, world.lena.email, world.totp_secrets["lena"])
    switcher = page.locator("form[action='/partnership/switch/']")
    expect(switcher).to_have_count(1)
    expect(current_partnership(page)).to_contain_text("North")

    choose(switcher, world.south)

    assert path_of(page) == "/"
    axe_check(page)
    expect(page.get_by_text("You are now working in South")).to_be_visible()
    expect(current_partnership(page)).to_contain_text("South")


def current_partnership(page):
    """Where the header names the partnership being worked in: the switcher's selected option,
    or the header's text."""
    selected = page.locator("form[action='/partnership/switch/'] select option:checked")
    return selected if selected.count() else page.locator("header").first


def choose(switcher, partnership) -> None:
    """Picks the partnership in the switcher and submits it: a select with a button, or one
    button per partnership."""
    select = switcher.locator("select[name='partnership']")
    if select.count():
        select.select_option(str(partnership.pk))
        button = switcher.locator("button:not([type='button']), input[type='submit']").first
    else:
        button = switcher.locator(f"[name='partnership'][value='{partnership.pk}']")
    follow(switcher.page, button)
