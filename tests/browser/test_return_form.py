"""An agency auditor completes a return: they see only their own agency's request, fill half
the form (saved as they type), their session is ended on the server, they sign in again and
land back on the form with every answer, then finish, check and submit. The audit lead sees the
tracker count the return. Every page is checked with axe."""

import datetime
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from caseaudit.audits.models import Sample, SampledCase
from caseaudit.audits.services import audit_create
from caseaudit.population.services import population_import
from caseaudit.questionnaires.services import template_create
from caseaudit.returns.models import Answer, AuditRequest
from caseaudit.returns.services import requests_create, requests_send
from tests.browser.support import (
    axe_check,
    error_summary,
    field,
    follow,
    fresh_totp_code,
    path_of,
    sign_in,
    submit,
)
from tests.conftest import PASSWORD
from tests.returns.test_return_views import CHILD_NAME, SPEC

pytestmark = pytest.mark.browser


def two_agency_audit(world):
    audit = audit_create(
        partnership=world.north, title="Seen alone", agencies=[world.csc, world.health]
    )
    _, version = template_create(partnership=world.north, spec=SPEC)
    audit.template_version = version
    audit.save()
    snapshot = population_import(
        partnership=world.north,
        content=(
            "child_id,plan_category,name,date_of_birth,agencies\n"
            f"FT-1,neglect,{CHILD_NAME},2015-03-04,CSC;HEALTH\n"
        ).encode(),
        file_name="form.csv",
    )
    sample = Sample.objects.create(
        audit=audit,
        snapshot=snapshot,
        size=1,
        seed=1,
        locked_at=datetime.datetime.now(datetime.UTC),
    )
    SampledCase.objects.create(
        sample=sample, case=snapshot.cases.get(), order=1, pseudonym="Child A"
    )
    requests_create(audit=audit, user=world.lena, due_date=datetime.date(2030, 1, 31))
    AuditRequest.objects.filter(agency=world.csc).update(assignee=world.chris)
    AuditRequest.objects.filter(agency=world.health).update(assignee=world.hana)
    requests_send(audit=audit, user=world.lena)
    return audit, AuditRequest.objects.get(agency=world.csc)


def saved_keys(request) -> set[str]:
    return set(Answer.objects.filter(request=request).values_list("question__key", flat=True))


def wait_until_saved(page, request, keys: set[str]) -> None:
    """Autosave runs a moment after typing stops: wait for the server to hold every answer."""
    for _ in range(50):
        if saved_keys(request) == keys:
            break
        page.wait_for_timeout(200)
    assert saved_keys(request) == keys
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at")


def test_auditor_fills_half_is_signed_out_signs_in_again_and_submits(page, new_page, world):
    audit, request = two_agency_audit(world)
    sign_in(page, world.chris.email, world.totp_secrets["chris"])

    follow(page, page.get_by_role("link", name="Your returns").first)
    assert path_of(page) == "/returns/"
    axe_check(page)
    mine = page.locator("table").first
    expect(mine.locator("tbody tr")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Child A")
    follow(page, mine.get_by_role("link", name="Child A"))
    assert path_of(page) == f"/returns/{request.pk}/"
    axe_check(page)
    expect(page.locator("main")).to_contain_text("North Children's Social Care")
    assert CHILD_NAME not in page.content()

    follow(page, page.get_by_role("link", name="Work with the family"))
    section_one = f"/returns/{request.pk}/section/1/"
    assert path_of(page) == section_one
    axe_check(page)
    # The follow-up appears only once "Yes" is chosen (scripts on; without them it shows
    # with its condition as a hint).
    notes = field(page, "q-seen_alone_notes")
    expect(notes).to_be_hidden()
    page.locator("#question-seen_alone").get_by_label("Yes", exact=True).check()
    expect(notes).to_be_visible()
    wait_until_saved(page, request, {"seen_alone"})
    notes.fill("Said that school was going well")
    field(page, "q-visits").fill("4")
    page.get_by_label("Graded care profile").check()
    field(page, "q-tools-comment").fill("Used at the start only")
    wait_until_saved(page, request, {"seen_alone", "seen_alone_notes", "visits", "tools"})
    axe_check(page)

    # The server ends the session (as after 30 minutes idle); the next page asks to sign in
    # and then comes straight back here with every answer.
    Session.objects.all().delete()
    page.reload()
    assert path_of(page) == "/accounts/login/"
    axe_check(page)
    field(page, "login").fill(world.chris.email)
    field(page, "password").fill(PASSWORD)
    submit(page, "login")
    axe_check(page)
    # The code used a moment ago is refused a second time, as it should be: wait for the next.
    period = mfa_settings.TOTP_PERIOD
    time.sleep(period - time.time() % period + 0.5)
    field(page, "code").fill(fresh_totp_code(world.totp_secrets["chris"]))
    submit(page, "code")
    assert path_of(page) == section_one
    axe_check(page)
    expect(page.locator("#question-seen_alone").get_by_label("Yes", exact=True)).to_be_checked()
    expect(field(page, "q-seen_alone_notes")).to_have_value("Said that school was going well")
    expect(field(page, "q-visits")).to_have_value("4")
    expect(page.get_by_label("Graded care profile")).to_be_checked()
    expect(field(page, "q-tools-comment")).to_have_value("Used at the start only")

    follow(page, page.get_by_role("button", name="Save and continue"))
    assert path_of(page) == f"/returns/{request.pk}/section/2/"
    axe_check(page)
    # Continue without the required grade: the page says what to fix.
    follow(page, page.get_by_role("button", name="Save and continue"))
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Select an answer")
    page.get_by_label("Requires improvement").check()
    page.locator("#question-alone_follow_up").get_by_label("Yes", exact=True).check()
    follow(page, page.get_by_role("button", name="Save and continue"))
    assert path_of(page) == f"/returns/{request.pk}/check/"
    axe_check(page)
    main = page.locator("main")
    expect(main).to_contain_text("Said that school was going well")
    expect(main).to_contain_text("Requires improvement")
    expect(main).to_contain_text("Used at the start only")
    follow(page, page.get_by_role("button", name="Submit the return"))
    assert path_of(page) == f"/returns/{request.pk}/submitted/"
    axe_check(page)
    expect(page.locator("h1")).to_have_text("Return submitted")
    request.refresh_from_db()
    assert request.status == "submitted"

    lead = new_page()
    sign_in(lead, world.lena.email, world.totp_secrets["lena"])
    lead.goto(f"/audits/{audit.pk}/requests/")
    axe_check(lead)
    expect(lead.locator("main")).to_contain_text("1 of 2")
