"""Signing in: email and password, then the code from an authenticator app."""

import re

import pytest
from playwright.sync_api import expect

from caseaudit.accounts import services
from caseaudit.accounts.roles import Role
from tests.browser.support import (
    axe_check,
    error_summary,
    field,
    fresh_totp_code,
    path_of,
    set_up_authenticator,
    sign_in,
    submit,
)
from tests.conftest import PASSWORD, has_totp

pytestmark = pytest.mark.browser


def signed_in(page) -> bool:
    """Asks the server, as the page's timeout warning does (this does not extend the session)."""
    return page.request.get("/session/status/").json()["signed_in"]


def test_audit_lead_signs_in_with_password_and_code(page, world):
    sign_in(page, world.lena.email, world.totp_secrets["lena"])

    assert signed_in(page)
    header = page.locator("header").first
    expect(header).to_contain_text(world.lena.email)
    expect(header).to_contain_text("North")
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()


def test_wrong_password_then_wrong_code_show_error_summaries(page, world):
    page.goto("/accounts/login/")
    axe_check(page)
    field(page, "login").fill(world.lena.email)
    field(page, "password").fill("not the password at all")
    submit(page, "login")

    assert path_of(page) == "/accounts/login/"
    axe_check(page)
    expect(error_summary(page)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert not signed_in(page)

    field(page, "password").fill(PASSWORD)
    submit(page, "login")
    assert path_of(page) == "/accounts/2fa/authenticate/"
    axe_check(page)
    code = fresh_totp_code(world.totp_secrets["lena"])
    field(page, "code").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    submit(page, "code")

    assert path_of(page) == "/accounts/2fa/authenticate/"
    axe_check(page)
    expect(error_summary(page)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert not signed_in(page)

    field(page, "code").fill(fresh_totp_code(world.totp_secrets["lena"]))
    submit(page, "code")
    assert path_of(page) == "/"
    axe_check(page)
    assert signed_in(page)


def test_person_without_an_authenticator_is_sent_to_set_one_up(page, world):
    user, _, _ = services.user_create_with_membership(
        email="nia@north.example",
        partnership=world.north,
        role=Role.AUDIT_LEAD,
        full_name="Nia Patel",
        password=PASSWORD,
    )
    page.goto("/accounts/login/")
    axe_check(page)
    field(page, "login").fill(user.email)
    field(page, "password").fill(PASSWORD)
    submit(page, "login")

    set_up_authenticator(page)

    assert has_totp(user)
    assert signed_in(page)
    expect(page.locator("header").first).to_contain_text(user.email)
