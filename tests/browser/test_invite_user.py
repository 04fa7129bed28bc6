"""A partnership admin invites someone; they accept, set up their authenticator and start."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from caseaudit.accounts.models import Membership
from caseaudit.accounts.roles import Role
from tests.browser.support import (
    axe_check,
    error_summary,
    field,
    follow,
    path_of,
    set_up_authenticator,
    sign_in,
    submit,
)

pytestmark = pytest.mark.browser

NEW_EMAIL = "ravi.shah@north.example"
NEW_PASSWORD = "violet tractor monsoon harbour"


def test_admin_invites_a_health_auditor_who_accepts_and_sets_up_mfa(page, new_page, world):
    mail.outbox.clear()
    sign_in(page, world.alice.email, world.totp_secrets["alice"])

    follow(page, page.get_by_role("link", name="People", exact=True).first)
    assert path_of(page) == "/people/"
    axe_check(page)
    follow(page, page.get_by_role("link", name="Invite someone"))
    assert path_of(page) == "/people/invite/"
    axe_check(page)

    submit(page, "email")
    assert path_of(page) == "/people/invite/"
    axe_check(page)
    expect(error_summary(page)).to_be_visible()
    expect(error_summary(page)).to_contain_text("Enter an email address")
    expect(error_summary(page)).to_contain_text("Select a role")

    field(page, "email").fill(NEW_EMAIL)
    page.locator(f"main input[name='role'][value='{Role.AGENCY_AUDITOR}']").check()
    field(page, "agency").select_option(str(world.health.pk))
    submit(page, "email")
    assert path_of(page) == "/people/"
    axe_check(page)
    expect(page.get_by_text(f"Invitation sent to {NEW_EMAIL}")).to_be_visible()

    assert [message.to for message in mail.outbox] == [[NEW_EMAIL]]
    link = re.search(r"https?://\S+/invitation/[^/\s]+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    # The invited person, in their own browser.
    invited = new_page()
    invited.goto(link.group(0))
    axe_check(invited)
    expect(invited.locator("main")).to_contain_text("North")
    field(invited, "full_name").fill("Ravi Shah")
    field(invited, "password1").fill(NEW_PASSWORD)
    field(invited, "password2").fill(NEW_PASSWORD + " typo")
    submit(invited, "full_name")
    assert path_of(invited).startswith("/invitation/")
    axe_check(invited)
    expect(error_summary(invited)).to_contain_text("Passwords do not match")

    field(invited, "password1").fill(NEW_PASSWORD)
    field(invited, "password2").fill(NEW_PASSWORD)
    submit(invited, "full_name")
    set_up_authenticator(invited)
    header = invited.locator("header").first
    expect(header).to_contain_text(NEW_EMAIL)
    expect(header).to_contain_text("North Health Trust")
    membership = Membership.objects.get(user__email=NEW_EMAIL)
    assert (membership.partnership, membership.role, membership.agency) == (
        world.north,
        Role.AGENCY_AUDITOR,
        world.health,
    )

    page.goto("/people/")
    axe_check(page)
    expect(page.locator("main")).to_contain_text(NEW_EMAIL)
    expect(page.locator("main")).to_contain_text("Ravi Shah")
