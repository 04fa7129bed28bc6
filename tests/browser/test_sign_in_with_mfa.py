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
    path_of,
    set_up_authenticator,
    sign_in,
    submit,
)
from tests.conftest import PASSWORD, has_totp

pytestmark = pytest.mark.browser


def signed_in(page) -> bool:
    return page.request.get("/session/status/").json()["signed_in"]


def test_audit_lead_signs_in_with_password_and_code(page, world):
    sign_in(page, world.lena.email, world.totp_secrets["lena"])

    assert signed_in(page)
    expect(page.get_by_text(re.compile(r"sign out", re.I)).first).to_be_visible()


def test_wrong_password_shows_an_error_summary(page, world):
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
    page.goto("/")
    assert path_of(page) == "/"
    axe_check(page)
    assert signed_in(page)
