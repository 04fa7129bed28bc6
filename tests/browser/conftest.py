"""Browser tests: Debian's chromium driven by Playwright, every page checked with axe-core.

Chromium or axe missing: the tests skip with the reason, except under CI=true, where they fail,
because CI must run them. Playwright's sync API keeps an event loop running in the test thread,
so Django's guard against ORM calls from async code would trip on the test's own queries; the
tests never run async code of their own, hence DJANGO_ALLOW_ASYNC_UNSAFE."""

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# Exactly these, and never `playwright install`: the tests use the distribution's chromium.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def unavailable(reason: str):
    """Skips locally; fails under CI, which must run the browser tests."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"Browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"Browser tests skipped: {reason} (run scripts/ensure_chromium.sh)")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        unavailable(f"Playwright is not installed ({error})")
    try:
        playwright = sync_playwright().start()
    except Exception as error:
        unavailable(f"Playwright did not start: {error}")
    try:
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except Exception as error:
            unavailable(f"{CHROMIUM} did not launch: {error}")
        _check_axe_loads(chromium)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


def _check_axe_loads(chromium) -> None:
    try:
        from tests.browser.support import axe_version

        page = chromium.new_page()
        try:
            page.set_content('<html lang="en"><title>axe</title><main><h1>axe</h1></main></html>')
            version = axe_version(page)
        finally:
            page.close()
    except Exception as error:
        unavailable(f"axe-core did not load: {error}")
    if not version:
        unavailable("axe-core did not load: no version reported")


@pytest.fixture
def new_page(browser, live_server):
    """Opens a page in a fresh browser context (its own cookies: another person, another
    device). Every page it opens must be axe-checked after each navigation, and must raise no
    script errors and no Content-Security-Policy refusals."""
    from tests.browser.support import Watch

    contexts, watches = [], []

    def open_page():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watches.append(Watch(page))
        return page

    yield open_page
    problems = [problem for watch in watches for problem in watch.problems()]
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page):
    return new_page()
