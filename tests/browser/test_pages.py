"""The service's other pages, signed out and signed in, each checked with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_check, error_summary, field, path_of, sign_in, submit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path", ["/accessibility/", "/privacy/", "/cookies/", "/session/timed-out/"]
)
def test_information_pages_open_signed_out(page, world, path):
    response = page.goto(path)
    assert response.status == 200
    axe_check(page)
    expect(page.locator("main h1")).to_have_count(1)


def test_unknown_address_shows_page_not_found(page, world):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    axe_check(page)
    expect(page.locator("main h1")).to_contain_text("Page not found")


def test_admin_reads_pages_agencies_and_the_access_log(page, world):
    sign_in(page, world.alice.email, world.totp_secrets["alice"])

    for path in ["/accessibility/", "/privacy/", "/cookies/"]:
        page.goto(path)
        axe_check(page)

    response = page.goto("/no-such-page/")
    assert response.status == 404
    axe_check(page)

    page.goto("/agencies/")
    axe_check(page)
    expect(page.locator("main")).to_contain_text(world.health.name)
    page.goto("/agencies/add/")
    axe_check(page)
    submit(page, "name")
    assert path_of(page) == "/agencies/add/"
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Enter the agency name")

    page.goto("/access-log/")
    axe_check(page)
    expect(page.locator("main table")).to_contain_text(world.alice.email)
    page.get_by_text("Filter the log").click()
    field(page, "date_from").fill("not a date")
    submit(page, "date_from")
    assert path_of(page) == "/access-log/"
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Date from must be a real date")

    page.goto("/partnership/settings/")
    axe_check(page)
    field(page, "recency_months").fill("twelve")
    submit(page, "recency_months")
    assert path_of(page) == "/partnership/settings/"
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Enter the number of months as a whole number")
