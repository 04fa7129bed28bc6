"""The audit lead opens an audit's statistics from the audit page, reads a question's chart and
table, opens the breakdown by agency and by child, and releases the results; an agency auditor
then reaches them. Every page is checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.analysis.fixtures import statistics_audit
from tests.browser.support import axe_check, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def test_lead_reads_the_statistics_and_releases_them(new_page, world):
    audit = statistics_audit(world)
    page = new_page()
    sign_in(page, world.lena.email, world.totp_secrets["lena"])
    page.goto(f"/audits/{audit.pk}/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Statistics: the collated answers"))
    assert path_of(page) == f"/audits/{audit.pk}/statistics/"
    axe_check(page)
    seen_alone = page.locator("section", has=page.locator("#q-seen_alone"))
    expect(seen_alone.get_by_role("img")).to_have_accessible_name(
        re.compile(r"^Was the child seen alone\? \(% of returns\) Based on 9 returns\. Yes: 5")
    )
    expect(seen_alone.locator("table").first).to_contain_text("55.6%")
    seen_alone.get_by_text("By agency and by child").click()
    expect(seen_alone.get_by_role("row", name="Child 3")).to_contain_text("2")
    axe_check(page)
    follow(page, page.get_by_role("button", name="Release results to agency auditors"))
    expect(page.locator("main")).to_contain_text("Agency auditors can now see the collated results")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Trends"))
    expect(page.get_by_role("heading", name="Trends across audits")).to_be_visible()
    expect(page.locator("main")).to_contain_text("90.0%")
    axe_check(page)

    auditor = new_page()
    sign_in(auditor, world.chris.email, world.totp_secrets["chris"])
    auditor.goto(f"/audits/{audit.pk}/statistics/")
    expect(auditor.get_by_role("heading", name="Statistics")).to_be_visible()
    expect(auditor.get_by_role("button", name="Release results")).to_have_count(0)
    axe_check(auditor)
    auditor.goto(f"/audits/{audit.pk}/dashboard/")
    expect(auditor.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(auditor.locator("main")).to_contain_text("28.6% (2 of 7)")
    axe_check(auditor)
