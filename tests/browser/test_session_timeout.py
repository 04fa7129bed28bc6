"""The warning before an idle session ends, and staying signed in from it."""

import time
from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import expect

from caseaudit.accounts.middleware import LAST_ACTIVITY_KEY
from tests.browser.support import axe_check, sign_in

pytestmark = pytest.mark.browser


def leave_idle(page, seconds: int) -> None:
    """Makes the server believe the person's last request was `seconds` ago (the browser's own
    clock is moved on separately, with Playwright's clock)."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_idle_person_is_warned_and_stays_signed_in(page, world):
    timeout = settings.SESSION_TIMEOUT_MINUTES * 60
    warning = settings.SESSION_WARNING_MINUTES * 60
    page.clock.install()
    sign_in(page, world.bea.email, world.totp_secrets["bea"])
    dialog = page.locator("dialog#session-timeout")
    expect(dialog).to_be_hidden()

    # Idle until just inside the warning period: the page asks the server, which agrees.
    leave_idle(page, timeout - warning + 20)
    page.clock.fast_forward((timeout - warning) * 1000)

    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("You're about to be signed out")
    expect(dialog).to_contain_text("We will sign you out in 2 minutes.")
    expect(dialog).to_be_focused()
    axe_check(page)

    dialog.get_by_role("button", name="Stay signed in").click()

    expect(dialog).to_be_hidden()
    status = page.request.get("/session/status/").json()
    assert status["signed_in"]
    assert status["seconds_left"] > timeout - 10
    axe_check(page)
