"""The audit lead plans an audit, draws a sample from an imported case list, previews it, locks
it and swaps one child with a reason. Every page is checked with axe; no page but the
identifying-details panel shows a child's name."""

import datetime

import pytest
from playwright.sync_api import expect

from caseaudit.audits.models import Audit, SampledCase
from caseaudit.population.services import population_import
from tests.audits.test_views_audit_sample import SURNAME, population_csv
from tests.browser.support import axe_check, error_summary, field, follow, path_of, sign_in, submit

pytestmark = pytest.mark.browser


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_audit_lead_plans_an_audit_and_draws_locks_and_swaps_a_sample(page, world):
    population_import(
        partnership=world.north,
        content=population_csv(30),
        file_name="north-cases.csv",
        user=world.lena,
        today=datetime.date(2026, 3, 1),
    )
    sign_in(page, world.lena.email, world.totp_secrets["lena"])

    follow(page, page.get_by_role("link", name="Programme", exact=True).first)
    assert path_of(page) == "/audits/"
    axe_check(page)
    follow(page, page.get_by_role("link", name="Plan an audit"))
    assert path_of(page) == "/audits/new/"
    axe_check(page)

    # A first try with no title and a date that does not exist.
    field(page, "returns_due_0").fill("31")
    field(page, "returns_due_1").fill("2")
    field(page, "returns_due_2").fill("2027")
    submit(page, "title")
    assert path_of(page) == "/audits/new/"
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Enter a title for the audit")
    expect(error_summary(page)).to_contain_text("Returns due must be a real date")
    expect(field(page, "returns_due_0")).to_have_value("31")

    field(page, "title").fill("Repeat Child Protection Plans")
    field(page, "theme").fill("Repeat plans")
    field(page, "scope_questions").fill("Was the previous plan ended safely?\nWere fathers heard?")
    page.get_by_label("Multi-agency desktop audit").check()
    page.get_by_label("North Children's Social Care").check()
    field(page, "planned_month_0").fill("3")
    field(page, "planned_month_1").fill("2027")
    field(page, "returns_due_0").fill("12")
    submit(page, "title")
    audit = Audit.objects.get()
    assert path_of(page) == f"/audits/{audit.pk}/"
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Were fathers heard?")
    expect(page.locator("main")).to_contain_text("12 February 2027")

    follow(page, page.get_by_role("link", name="Draw a sample"))
    assert path_of(page) == f"/audits/{audit.pk}/sample/"
    axe_check(page)
    seed = field(page, "seed").input_value()
    assert seed.isdigit()
    field(page, "size").fill("8")
    page.get_by_label("Gender").check()
    submit(page, "size")
    assert path_of(page) == f"/audits/{audit.pk}/sample/"
    axe_check(page)
    expect(page.get_by_role("heading", name="Sample preview")).to_be_visible()
    expect(page.locator("#sampled-children")).to_contain_text("Child A")
    expect(page.locator("main")).to_contain_text(f"seed {seed}")
    expect(page.locator("main")).to_contain_text("Make-up of the sample")
    assert SURNAME not in page.content()

    follow(page, page.get_by_role("button", name="Lock this sample"))
    assert path_of(page) == f"/audits/{audit.pk}/sample/"
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Sample locked")

    follow(page, page.get_by_role("link", name="Swap Child B"))
    child = SampledCase.objects.get(sample__audit=audit, pseudonym="Child B")
    assert path_of(page) == f"/audits/{audit.pk}/sample/{child.pk}/swap/"
    axe_check(page)
    submit(page, "reason")
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Enter the reason for swapping this child")

    field(page, "reason").fill("The family moved out of the area before the plan started")
    submit(page, "reason")
    assert path_of(page) == f"/audits/{audit.pk}/sample/"
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Child B swapped for Child I")
    expect(page.locator("main")).to_contain_text("moved out of the area")
    assert SURNAME not in page.content()
