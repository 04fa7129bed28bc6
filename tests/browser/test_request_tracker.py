"""The audit lead chooses the audit's template, creates requests for a locked sample, assigns
the one nobody has, sends them, reads the tracker and chases one request. Every page is checked
with axe; no page shows a child's name."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from caseaudit.accounts.models import Membership, User
from caseaudit.accounts.roles import Role
from caseaudit.audits.models import Sample, SampledCase
from caseaudit.audits.services import audit_create
from caseaudit.population.services import population_import
from caseaudit.questionnaires.services import template_create
from caseaudit.returns.models import AuditRequest, RequestStatus
from tests.browser.support import axe_check, error_summary, follow, path_of, sign_in, submit
from tests.returns.test_lead_views import CHILD_NAME, SPEC

pytestmark = pytest.mark.browser


def north_audit(world):
    """North's audit of two children with a locked sample and no template chosen. Health has
    two auditors, so its request starts with nobody assigned."""
    harriet = User.objects.create_user("harriet@north.example", "pw", full_name="Harriet")
    Membership.objects.create(
        user=harriet, partnership=world.north, role=Role.AGENCY_AUDITOR, agency=world.health
    )
    template_create(partnership=world.north, spec=SPEC)
    audit = audit_create(
        partnership=world.north,
        title="Neglect",
        agencies=[world.csc, world.health],
        returns_due=timezone.localdate() + datetime.timedelta(days=30),
    )
    snapshot = population_import(
        partnership=world.north,
        content=(
            "child_id,plan_category,name,date_of_birth,agencies\n"
            f"BT-1,neglect,{CHILD_NAME},2015-03-04,CSC;HEALTH\n"
            "BT-2,neglect,Other Child,2016-05-06,CSC\n"
        ).encode(),
        file_name="tracker.csv",
    )
    sample = Sample.objects.create(
        audit=audit, snapshot=snapshot, size=2, seed=1, locked_at=timezone.now()
    )
    for order, case in enumerate(snapshot.cases.order_by("pk"), start=1):
        SampledCase.objects.create(
            sample=sample, case=case, order=order, pseudonym=f"Child {'AB'[order - 1]}"
        )
    return audit


def test_lead_chooses_the_template_sends_requests_and_chases_one(page, world):
    audit = north_audit(world)
    main = page.locator("main")
    sign_in(page, world.lena.email, world.totp_secrets["lena"])

    page.goto(f"/audits/{audit.pk}/")
    axe_check(page)
    follow(page, page.get_by_role("link", name="Choose the template"))
    assert path_of(page) == f"/audits/{audit.pk}/template/"
    axe_check(page)
    submit(page, "version")
    axe_check(page)
    expect(error_summary(page)).to_contain_text("Select a template")
    page.get_by_label("Neglect audit tool, version 1").check()
    submit(page, "version")
    assert path_of(page) == f"/audits/{audit.pk}/"
    axe_check(page)
    expect(main).to_contain_text("Template chosen: Neglect audit tool, version 1")

    follow(page, page.get_by_role("link", name="Create, send, track and chase requests"))
    assert path_of(page) == f"/audits/{audit.pk}/requests/"
    axe_check(page)
    follow(page, page.get_by_role("button", name="Create requests"))
    assert path_of(page) == f"/audits/{audit.pk}/requests/create/"
    axe_check(page)
    submit(page, "due_date_0")
    assert path_of(page) == f"/audits/{audit.pk}/requests/"
    axe_check(page)
    expect(main).to_contain_text("3 requests created")
    expect(page.locator("#request-list")).to_contain_text("Nobody assigned")

    follow(
        page,
        page.get_by_role(
            "link", name="Assign who completes the return for Child A, North Health Trust"
        ),
    )
    axe_check(page)
    page.get_by_label("Hana (hana@north.example)").check()
    submit(page, "assignee")
    assert path_of(page) == f"/audits/{audit.pk}/requests/"
    axe_check(page)
    expect(main).to_contain_text("Hana will complete the return for Child A")

    follow(page, page.get_by_role("button", name="Send 3 requests"))
    assert path_of(page) == f"/audits/{audit.pk}/requests/"
    axe_check(page)
    expect(main).to_contain_text("3 requests sent. Each assignee has been emailed a link")
    assert not AuditRequest.objects.filter(status=RequestStatus.NOT_SENT).exists()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "chris@north.example",
        "chris@north.example",
        "hana@north.example",
    ]
    expect(page.locator("#response-rate")).to_have_text("0 of 3 returned (0%)")
    expect(page.locator("#by-agency")).to_contain_text("North Health Trust")
    expect(page.locator("#by-child")).to_contain_text("Child B")

    mail.outbox.clear()
    follow(
        page,
        page.get_by_role("button", name="Chase Child A, North Children's Social Care"),
    )
    assert path_of(page) == f"/audits/{audit.pk}/requests/"
    axe_check(page)
    expect(main).to_contain_text(
        "Reminder emailed to Chris about Child A (North Children's Social Care)"
    )
    assert [message.to for message in mail.outbox] == [["chris@north.example"]]
    assert CHILD_NAME not in page.content()
