"""What the browser journeys share: axe-core checks, watching pages, signing in."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import PASSWORD, totp_code

# Fail on these; moderate and minor findings are for review, not for the build.
FAILING_IMPACTS = ("serious", "critical")
_axe = Axe()


def axe_version(page) -> str:
    page.evaluate(_axe.axe_script)
    return page.evaluate("() => window.axe && window.axe.version")


def axe_check(page, context: str | None = None) -> None:
    """Runs axe-core on the page as it is now and fails listing every serious or critical
    violation. axe goes in through page.evaluate, which the page's Content-Security-Policy does
    not govern, so the app's CSP stays exactly as served."""
    page.wait_for_load_state("load")
    results = _axe.run(page, context=context)
    Watch.of(page).checked(page.url)
    violations = [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]
    if violations:
        lines = [f"axe-core found {len(violations)} serious or critical violation(s) on {page.url}"]
        for violation in violations:
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}"
                f" <{violation['helpUrl']}>"
            )
            for node in violation["nodes"]:
                target = " ".join(str(part) for part in node["target"])
                lines.append(f"    at {target}: {node.get('failureSummary', '')!s}".rstrip())
        pytest.fail("\n".join(lines), pytrace=False)


class Watch:
    """Records, for one page, every document it loads and whether axe checked it, and every
    script error or Content-Security-Policy refusal."""

    def __init__(self, page):
        self.loads: list[list] = []  # [url, checked]
        self.errors: list[str] = []
        page.caseaudit_watch = self
        page.on("load", lambda p: self.loads.append([p.url, False]))
        page.on("pageerror", lambda error: self.errors.append(f"script error on page: {error}"))
        page.on("console", self._console)

    @staticmethod
    def of(page) -> "Watch":
        return page.caseaudit_watch

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.errors.append(f"CSP refusal at {message.location.get('url')}: {text}")

    def checked(self, url: str) -> None:
        if self.loads:
            self.loads[-1][1] = True

    def problems(self) -> list[str]:
        unchecked = [url for url, checked in self.loads if not checked]
        return [
            *self.errors,
            *(f"page loaded but never axe-checked: {url}" for url in unchecked),
        ]


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]


def field(page, name: str):
    return page.locator(f"main [name='{name}']")


def follow(page, locator) -> None:
    """Clicks a link or button and waits for the page it leads to to load."""
    with page.expect_navigation(wait_until="load"):
        locator.click()


def submit(page, field_name: str) -> None:
    """Presses the submit button of the form holding the named field, as a person would."""
    form = page.locator(f"main form:has([name='{field_name}'])")
    follow(page, form.locator("button:not([type='button']), input[type='submit']").first)


def fresh_totp_code(secret: str) -> str:
    """The authenticator app's current code, waiting for the next one if this one has under
    three seconds to live (the server must see it in the same 30-second period)."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:
        time.sleep(left + 0.2)
    return totp_code(secret)


def sign_in(page, email: str, secret: str, password: str = PASSWORD) -> None:
    """Email and password, then the authenticator code, checking each page on the way."""
    page.goto("/accounts/login/")
    axe_check(page)
    field(page, "login").fill(email)
    field(page, "password").fill(password)
    submit(page, "login")
    assert path_of(page) == "/accounts/2fa/authenticate/", f"expected the code step, at {page.url}"
    axe_check(page)
    field(page, "code").fill(fresh_totp_code(secret))
    submit(page, "code")
    assert path_of(page) == "/", f"expected home after signing in, at {page.url}"
    axe_check(page)


def error_summary(page):
    """The GOV.UK error summary at the top of a page re-rendered with errors."""
    return page.locator(".govuk-error-summary")


SECRET_PATTERN = re.compile(r"\b((?:[A-Z2-7]{4}[ -]?){7}[A-Z2-7]{4})\b")


def read_totp_secret(page) -> str:
    """The set-up key the activation page shows as text (for people who cannot scan the QR
    code), as a person would copy it into their authenticator app."""
    shown = page.locator("main #authenticator_secret")
    if shown.count():
        value = shown.first.input_value() if shown.first.evaluate("e => 'value' in e") else ""
        value = value or shown.first.inner_text()
    else:
        match = SECRET_PATTERN.search(page.locator("main").inner_text())
        assert match, f"no set-up key shown as text on {page.url}"
        value = match.group(1)
    return re.sub(r"[\s-]", "", value)


def set_up_authenticator(page) -> str:
    """Where sign-in sends a person without an authenticator: reads the set-up key shown as
    text, tries a mistyped code first, then the code the app shows, saves the recovery codes and
    continues to the home page. Returns the key."""
    assert path_of(page) == "/accounts/2fa/totp/activate/", f"expected TOTP set-up, at {page.url}"
    axe_check(page)
    secret = read_totp_secret(page)
    code = fresh_totp_code(secret)
    field(page, "code").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    submit(page, "code")
    assert path_of(page) == "/accounts/2fa/totp/activate/"
    axe_check(page)
    expect(error_summary(page)).to_be_visible()
    assert read_totp_secret(page) == secret, "the set-up key changed after a mistyped code"

    field(page, "code").fill(fresh_totp_code(secret))
    submit(page, "code")
    assert path_of(page) == "/accounts/2fa/recovery-codes/", f"code refused, at {page.url}"
    axe_check(page)
    expect(page.locator("main #recovery_codes li").first).to_be_visible()
    follow(page, page.locator("main").get_by_role("button", name="Continue"))
    assert path_of(page) == "/", f"expected home, at {page.url}"
    axe_check(page)
    return secret
