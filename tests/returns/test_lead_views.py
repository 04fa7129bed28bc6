"""The audit lead's request pages: the audit's template, the tracker, creating, sending and
chasing requests, agencies per child, reminders, and per request reassign, due date, chase,
reopen, inadmissible and history. North's audit asks children's social care (chris, and carl)
and health (hana, and harriet) about three children; South's admin (sol) sees none of it."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.accounts.models import Membership, User
from caseaudit.accounts.roles import Role
from caseaudit.audits.models import Sample, SampledCase
from caseaudit.audits.services import audit_create
from caseaudit.population.services import population_import
from caseaudit.questionnaires.models import Question
from caseaudit.questionnaires.services import template_create
from caseaudit.returns.answers import Value
from caseaudit.returns.models import (
    AuditRequest,
    EventKind,
    ReminderSettings,
    RequestEvent,
    RequestStatus,
)
from caseaudit.returns.services import (
    answers_save,
    requests_create,
    requests_send,
    return_submit,
    tracker_counts,
)
from caseaudit.returns.services_lead import percent, tracker_groups

SPEC = {
    "name": "Neglect audit tool",
    "sections": [
        {
            "title": "Work with the family",
            "questions": [
                {"key": "seen_alone", "text": "Was the child seen alone?", "type": "yes_no_na"},
                {
                    "key": "plan_date",
                    "text": "When was the plan made?",
                    "type": "date",
                    "required": False,
                },
            ],
        }
    ],
}
CHILD_NAME = "Rowan Leadtest"
CHILD_ID = "LT-4242"
DUE = datetime.date(2030, 3, 29)


def _auditor(world, name: str, agency, *, lead: bool = False) -> User:
    user = User.objects.create_user(f"{name}@north.example", "pw", full_name=name.title())
    Membership.objects.create(
        user=user,
        partnership=world.north,
        role=Role.AGENCY_AUDITOR,
        agency=agency,
        is_agency_lead=lead,
    )
    return user


@pytest.fixture
def version(world):
    return template_create(partnership=world.north, spec=SPEC)[1]


@pytest.fixture
def audit(world, version):
    """North's audit with a locked sample of three children: Child A is known to children's
    social care and health, Child B to children's social care, Child C to no agency of the
    audit. Health has two auditors (hana and harriet), so its requests start unassigned."""
    _auditor(world, "harriet", world.health)
    audit = audit_create(
        partnership=world.north,
        title="Neglect",
        agencies=[world.csc, world.health],
        returns_due=DUE,
    )
    audit.template_version = version
    audit.save()
    snapshot = population_import(
        partnership=world.north,
        content=(
            "child_id,plan_category,name,date_of_birth,agencies\n"
            f"{CHILD_ID},neglect,{CHILD_NAME},2015-03-04,CSC;HEALTH\n"
            "LT-2,neglect,Other Child,2016-05-06,CSC\n"
            "LT-3,neglect,Third Child,2017-07-08,POL\n"
        ).encode(),
        file_name="lead.csv",
    )
    sample = Sample.objects.create(
        audit=audit, snapshot=snapshot, size=3, seed=1, locked_at=timezone.now()
    )
    for order, case in enumerate(snapshot.cases.order_by("pk"), start=1):
        SampledCase.objects.create(
            sample=sample, case=case, order=order, pseudonym=f"Child {'ABC'[order - 1]}"
        )
    return audit


@pytest.fixture
def created(world, audit):
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    return audit


def request_for(audit, pseudonym: str, agency) -> AuditRequest:
    return AuditRequest.objects.get(audit=audit, sampled_case__pseudonym=pseudonym, agency=agency)


@pytest.fixture
def sent(world, created):
    """Requests sent: Child A and B to children's social care (chris); Child A to health is
    unassigned, so it stays unsent."""
    requests_send(audit=created, user=world.lena)
    mail.outbox.clear()
    return created


def lead(client, world, name="lena"):
    client.force_login(world.users[name])
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def banner(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def submit(world, audit_request: AuditRequest, answer: str = "yes") -> None:
    question = Question.objects.get(version=audit_request.template_version, key="seen_alone")
    audit_request.refresh_from_db()
    answers_save(
        request=audit_request,
        user=world.chris,
        values={question: Value((answer,))},
        expected_version=audit_request.version,
    )
    audit_request.refresh_from_db()
    return_submit(request=audit_request, user=world.chris, expected_version=audit_request.version)
    audit_request.refresh_from_db()


# Who may reach the pages --------------------------------------------------------------------


def lead_urls(audit, audit_request) -> list[tuple[str, str]]:
    case = audit_request.sampled_case_id
    return [
        ("get", reverse("audit_template", args=[audit.pk])),
        ("get", reverse("audit_requests", args=[audit.pk])),
        ("get", reverse("audit_requests_create", args=[audit.pk])),
        ("post", reverse("audit_requests_send", args=[audit.pk])),
        ("get", reverse("audit_requests_chase", args=[audit.pk])),
        ("get", reverse("audit_case_agencies", args=[audit.pk, case])),
        ("get", reverse("audit_reminders", args=[audit.pk])),
        ("get", reverse("return_reassign", args=[audit_request.pk])),
        ("get", reverse("return_due_date", args=[audit_request.pk])),
        ("post", reverse("return_chase", args=[audit_request.pk])),
        ("get", reverse("return_reopen", args=[audit_request.pk])),
        ("get", reverse("return_inadmissible", args=[audit_request.pk])),
        ("get", reverse("return_history", args=[audit_request.pk])),
    ]


@pytest.mark.parametrize("persona", ["sol", "chris", "hana", "morgan", "sam", "bea"])
def test_other_partnerships_and_roles_get_404(client, world, sent, persona):
    audit_request = request_for(sent, "Child A", world.csc)
    lead(client, world, persona)
    for method, url in lead_urls(sent, audit_request):
        assert getattr(client, method)(url).status_code == 404, (method, url)


def test_anonymous_visitors_are_sent_to_sign_in(client, world, sent):
    audit_request = request_for(sent, "Child A", world.csc)
    for method, url in lead_urls(sent, audit_request):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["lena", "alice"])
def test_the_audit_lead_and_admin_reach_every_page(client, world, sent, persona):
    audit_request = request_for(sent, "Child A", world.csc)
    lead(client, world, persona)
    for method, url in lead_urls(sent, audit_request):
        assert getattr(client, method)(url).status_code in (200, 302), (method, url)


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("audit_requests_send", "get"),
        ("audit_requests", "post"),
        ("return_history", "post"),
    ],
)
def test_wrong_method(client, world, sent, name, method):
    audit_request = request_for(sent, "Child A", world.csc)
    pk = audit_request.pk if name.startswith("return_") else sent.pk
    lead(client, world)
    assert getattr(client, method)(reverse(name, args=[pk])).status_code == 405


# The audit's template -----------------------------------------------------------------------


def test_template_page_lists_the_latest_version_of_each_template(client, world, audit, version):
    template_create(partnership=world.north, spec=SPEC)  # version 2 of the same template
    template_create(partnership=world.north, spec={**SPEC, "name": "Mental health tool"})
    template_create(partnership=world.south, spec={**SPEC, "name": "South's own tool"})
    response = lead(client, world).get(reverse("audit_template", args=[audit.pk]))
    page = text_of(response)
    assert "Neglect audit tool, version 2" in page
    assert "Mental health tool, version 1" in page
    assert "Neglect audit tool, version 1 (in use now)" in page
    assert "South's own tool" not in page
    assert "Use version 2" in page


def test_choosing_the_template_sets_it_and_moves_unsent_requests(client, world, created):
    _, newer = template_create(partnership=world.north, spec=SPEC)
    response = lead(client, world).post(
        reverse("audit_template", args=[created.pk]), {"version": newer.pk}
    )
    assert response.status_code == 302
    assert response.url == reverse("audit_detail", args=[created.pk])
    created.refresh_from_db()
    assert created.template_version == newer
    assert set(
        AuditRequest.objects.filter(audit=created).values_list("template_version", flat=True)
    ) == {newer.pk}
    assert "Template chosen: Neglect audit tool, version 2. 3 requests not sent yet now use it" in (
        banner(client.get(response.url))
    )


def test_choosing_no_template_or_another_partnerships(client, world, audit):
    _, south = template_create(partnership=world.south, spec=SPEC)
    url = reverse("audit_template", args=[audit.pk])
    for data in ({}, {"version": south.pk}, {"version": "x"}):
        response = lead(client, world).post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors == {"version": ["Select a template"]}
        assert "There is a problem" in response.content.decode()
    audit.refresh_from_db()
    assert audit.template_version.template.partnership == world.north


def test_the_template_is_fixed_once_requests_are_sent(client, world, sent, version):
    _, newer = template_create(partnership=world.north, spec=SPEC)
    url = reverse("audit_template", args=[sent.pk])
    response = lead(client, world).get(url)
    page = text_of(response)
    assert "This audit uses Neglect audit tool, version 1" in page
    assert "cannot be changed" in page
    assert "Use version 2" not in page
    assert reverse("template_version", args=[version.template_id, 1]) in response.content.decode()
    response = client.post(url, {"version": newer.pk})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.template_version == version


def test_the_audit_page_links_to_the_template_and_the_tracker(client, world, audit):
    page = lead(client, world).get(reverse("audit_detail", args=[audit.pk])).content.decode()
    assert reverse("audit_template", args=[audit.pk]) in page
    assert reverse("audit_requests", args=[audit.pk]) in page
    assert "Neglect audit tool, version 1" in page


# Creating requests --------------------------------------------------------------------------


def test_create_requests_one_per_child_per_agency_named(client, world, audit):
    url = reverse("audit_requests_create", args=[audit.pk])
    response = lead(client, world).get(url)
    assert response.context["form"]["due_date"].value() == DUE
    response = client.post(
        url, {"due_date_0": "29", "due_date_1": "3", "due_date_2": "2030"}, follow=True
    )
    pairs = set(
        AuditRequest.objects.filter(audit=audit).values_list(
            "sampled_case__pseudonym", "agency__code", "assignee__email", "due_date"
        )
    )
    assert pairs == {
        ("Child A", "CSC", "chris@north.example", DUE),
        ("Child A", "HEALTH", None, DUE),
        ("Child B", "CSC", "chris@north.example", DUE),
    }
    messages = banner(response)
    assert "3 requests created. Check who is assigned, then send them" in messages
    assert "1 child has no agency of this audit named in the case list" in messages
    assert RequestEvent.objects.filter(kind=EventKind.CREATED).count() == 3


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Enter the due date"),
        (
            {"due_date_0": "31", "due_date_1": "2", "due_date_2": "2030"},
            "Due date must be a real date",
        ),
        (
            {"due_date_0": "1", "due_date_1": "", "due_date_2": "2030"},
            "Due date must include a month",
        ),
        (
            {"due_date_0": "1", "due_date_1": "1", "due_date_2": "2001"},
            "Due date must be today or in the future",
        ),
    ],
)
def test_create_requests_checks_the_due_date(client, world, audit, data, error):
    response = lead(client, world).post(reverse("audit_requests_create", args=[audit.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["due_date"] == [error]
    assert not AuditRequest.objects.exists()


def test_create_requests_needs_a_locked_sample(client, world, audit):
    audit.sample.locked_at = None
    audit.sample.save()
    url = reverse("audit_requests_create", args=[audit.pk])
    page = text_of(lead(client, world).get(url))
    assert "lock the sample" in page
    client.post(url, {"due_date_0": "29", "due_date_1": "3", "due_date_2": "2030"})
    assert not AuditRequest.objects.exists()


# The tracker --------------------------------------------------------------------------------


def test_tracker_counts_shown_match_the_database(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    b_csc = request_for(sent, "Child B", world.csc)
    submit(world, a_csc)
    AuditRequest.objects.filter(pk=b_csc.pk).update(due_date=datetime.date(2020, 1, 1))
    response = lead(client, world).get(reverse("audit_requests", args=[sent.pk]))
    requests = AuditRequest.objects.filter(audit=sent)
    counts = tracker_counts(requests)
    assert counts["sent"] == 2
    assert counts["returned"] == 1
    assert counts["late"] == 1
    page = text_of(response)
    assert "1 of 2 returned (50%)" in page
    shown = response.context["counts"]
    for key in ("sent", "returned", "late", "outstanding", "declined", "inadmissible", "not_sent"):
        assert shown[key] == counts[key]
        for rows in (response.context["by_agency"], response.context["by_case"]):
            assert sum(row[key] for row in rows) == counts[key], key
    by_agency = {row["agency__name"]: row for row in response.context["by_agency"]}
    assert by_agency["North Children's Social Care"]["response_rate"] == 50
    assert by_agency["North Health Trust"]["not_sent"] == 1
    by_case = {row["name"]: row for row in response.context["by_case"]}
    assert by_case["Child C"]["sent"] == 0  # no agency named: still listed, all zero
    assert "Nobody assigned" in page
    assert "Send 0" not in page
    assert "Chase all 1 outstanding" in page
    assert "Late" in page


def test_tracker_never_shows_a_childs_identifying_details(client, world, sent):
    page = lead(client, world).get(reverse("audit_requests", args=[sent.pk])).content.decode()
    for detail in (CHILD_NAME, CHILD_ID, "Rowan", "2015-03-04"):
        assert detail not in page
    assert "Child A" in page


def test_tracker_filters_by_agency_and_status(client, world, sent):
    b_csc = request_for(sent, "Child B", world.csc)
    AuditRequest.objects.filter(pk=b_csc.pk).update(due_date=datetime.date(2020, 1, 1))
    url = reverse("audit_requests", args=[sent.pk])
    lead(client, world)

    def listed(**params):
        rows = client.get(url, params).context["rows"]
        return {(row["request"].sampled_case.pseudonym, row["request"].agency.code) for row in rows}

    assert listed() == {("Child A", "CSC"), ("Child A", "HEALTH"), ("Child B", "CSC")}
    assert listed(agency=world.health.pk) == {("Child A", "HEALTH")}
    assert listed(status="late") == {("Child B", "CSC")}
    assert listed(status="sent") == {("Child A", "CSC")}
    assert listed(status="outstanding") == {("Child A", "CSC"), ("Child B", "CSC")}
    assert listed(status="not_sent", agency=world.csc.pk) == set()
    assert listed(agency="nonsense", status="nonsense") == listed()  # ignored, not an error


def test_a_late_request_shows_a_late_tag(client, world, sent):
    b_csc = request_for(sent, "Child B", world.csc)
    AuditRequest.objects.filter(pk=b_csc.pk).update(due_date=datetime.date(2020, 1, 1))
    response = lead(client, world).get(reverse("audit_requests", args=[sent.pk]))
    statuses = {row["request"].pk: row["status"] for row in response.context["rows"]}
    assert statuses[b_csc.pk] == RequestStatus.LATE


def test_percent_rounds_halves_up():
    assert percent(77, 90) == 86
    assert percent(1, 8) == 13
    assert percent(0, 0) is None


def test_tracker_groups_count_with_one_query(world, sent, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = tracker_groups(AuditRequest.objects.filter(audit=sent), ["agency__name"])
    assert {row["agency__name"]: row["total"] for row in rows} == {
        "North Children's Social Care": 2,
        "North Health Trust": 1,
    }


# Sending and chasing ------------------------------------------------------------------------


def test_send_says_what_was_sent_and_what_was_not(client, world, created):
    response = lead(client, world).post(
        reverse("audit_requests_send", args=[created.pk]), follow=True
    )
    assert (
        "2 requests sent. 1 was not sent because nobody is assigned: assign someone first"
        in banner(response)
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["chris@north.example"] * 2
    for message in mail.outbox:
        for detail in (CHILD_NAME, CHILD_ID, "Rowan"):
            assert detail not in message.subject + message.body
    event = AccessEvent.objects.get(action=Action.REQUESTS_SENT)
    assert event.user == world.lena
    assert event.detail == "2 requests sent"
    assert event.object_id == str(created.pk)


def test_send_all_assigned(client, world, created):
    health = request_for(created, "Child A", world.health)
    health.assignee = world.hana
    health.save()
    response = lead(client, world).post(
        reverse("audit_requests_send", args=[created.pk]), follow=True
    )
    assert "3 requests sent. Each assignee has been emailed a link" in banner(response)
    assert not AuditRequest.objects.filter(status=RequestStatus.NOT_SENT).exists()
    response = client.post(reverse("audit_requests_send", args=[created.pk]), follow=True)
    assert "There are no requests waiting to be sent" in banner(response)


def test_chase_all_asks_first_then_emails_every_assignee(client, world, sent):
    url = reverse("audit_requests_chase", args=[sent.pk])
    page = text_of(lead(client, world).get(url))
    assert "Chase all 2 outstanding requests?" in page
    assert not mail.outbox
    response = client.post(url, follow=True)
    assert "2 requests chased: each assignee has been emailed a reminder" in banner(response)
    assert [m.to for m in mail.outbox] == [["chris@north.example"]] * 2
    assert all("Reminder" in m.subject for m in mail.outbox)
    assert AuditRequest.objects.filter(last_chased_at__isnull=False).count() == 2
    assert RequestEvent.objects.filter(kind=EventKind.CHASED, by=world.lena).count() == 2


def test_chase_one_request(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    tracker = reverse("audit_requests", args=[sent.pk])
    response = lead(client, world).post(
        reverse("return_chase", args=[a_csc.pk]), {"next": f"{tracker}?agency={world.csc.pk}"}
    )
    assert response.url == f"{tracker}?agency={world.csc.pk}"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chris@north.example"]
    assert "Reminder" in mail.outbox[0].subject
    assert CHILD_NAME not in mail.outbox[0].body
    a_csc.refresh_from_db()
    assert a_csc.last_chased_at is not None
    assert "Reminder emailed to Chris about Child A (North Children's Social Care)" in banner(
        client.get(response.url)
    )


def test_chase_ignores_a_next_address_on_another_site(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    response = lead(client, world).post(
        reverse("return_chase", args=[a_csc.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("audit_requests", args=[sent.pk])


def test_chasing_a_submitted_or_unassigned_request_sends_nothing(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    submit(world, a_csc)
    mail.outbox.clear()
    response = lead(client, world).post(reverse("return_chase", args=[a_csc.pk]), follow=True)
    assert "was not chased because it is not waiting for the agency" in banner(response)
    health = request_for(sent, "Child A", world.health)
    response = client.post(reverse("return_chase", args=[health.pk]), follow=True)
    assert "was not chased because nobody is assigned: assign someone first" in banner(response)
    assert not mail.outbox


# Agencies asked about one child -------------------------------------------------------------


def test_case_agencies_adds_and_removes_unsent_requests(client, world, created):
    child_b = SampledCase.objects.get(pseudonym="Child B")
    url = reverse("audit_case_agencies", args=[created.pk, child_b.pk])
    response = lead(client, world).get(url)
    assert response.context["form"]["agencies"].value() == [world.csc.pk]
    assert "The case list names: CSC" in text_of(response)
    response = client.post(
        url,
        {
            "agencies": [world.health.pk],
            "due_date_0": "1",
            "due_date_1": "4",
            "due_date_2": "2030",
        },
    )
    assert response.status_code == 302
    asked = AuditRequest.objects.filter(sampled_case=child_b)
    assert [(r.agency, r.due_date) for r in asked] == [(world.health, datetime.date(2030, 4, 1))]


def test_case_agencies_keeps_a_sent_request(client, world, sent):
    child_a = SampledCase.objects.get(pseudonym="Child A")
    url = reverse("audit_case_agencies", args=[sent.pk, child_a.pk])
    data = {
        "agencies": [world.health.pk],
        "due_date_0": "1",
        "due_date_1": "4",
        "due_date_2": "2030",
    }
    response = lead(client, world).post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["agencies"] == [
        (
            "A request has already been sent to North Children's Social Care. Ask them to decline "
            "it instead."
        )
    ]
    assert AuditRequest.objects.filter(sampled_case=child_a).count() == 2


def test_case_agencies_needs_one_agency_and_a_due_date(client, world, created):
    child_c = SampledCase.objects.get(pseudonym="Child C")
    url = reverse("audit_case_agencies", args=[created.pk, child_c.pk])
    response = lead(client, world).post(url, {})
    assert response.context["form"].errors == {
        "agencies": ["Select at least one agency"],
        "due_date": ["Enter the due date for new requests"],
    }


def test_case_agencies_of_another_audits_child_is_404(client, world, created):
    other = audit_create(partnership=world.north, title="Other", agencies=[world.csc])
    child_a = SampledCase.objects.get(pseudonym="Child A")
    response = lead(client, world).get(reverse("audit_case_agencies", args=[other.pk, child_a.pk]))
    assert response.status_code == 404


# Reminders ----------------------------------------------------------------------------------


def test_reminders_are_explained_and_saved(client, world, audit):
    url = reverse("audit_reminders", args=[audit.pk])
    response = lead(client, world).get(url)
    page = text_of(response)
    assert (
        "Reminders go 3 days before the due date, on the due date and 2 days after it, then "
        "every 7 days until returned." in page
    )
    assert "Tuesday 26 March 2030 3 days before the due date" in page
    assert "Friday 29 March 2030 On the due date" in page
    assert "Sunday 31 March 2030 2 days after the due date" in page
    assert "Sunday 7 April 2030 9 days after the due date" in page
    response = client.post(
        url, {"before_days": "5", "on_due_date": "no", "after_days": "1", "after_every_days": "0"}
    )
    assert response.status_code == 302
    settings = ReminderSettings.objects.get(audit=audit)
    assert (settings.before_days, settings.on_due_date, settings.after_days) == (5, False, 1)
    assert settings.after_every_days == 0
    page = text_of(client.get(url))
    assert "Reminders go 5 days before the due date and 1 day after it." in page


def test_reminders_validation(client, world, audit):
    response = lead(client, world).post(
        reverse("audit_reminders", args=[audit.pk]),
        {"before_days": "three", "after_days": "0", "after_every_days": "61"},
    )
    assert response.context["form"].errors == {
        "before_days": ["Days before the due date must be a whole number, like 3"],
        "on_due_date": ["Select yes if a reminder should go on the due date"],
        "after_days": ["Days after the due date must be 1 or more"],
        "after_every_days": ["Days between late reminders must be 60 or fewer"],
    }
    assert not ReminderSettings.objects.exclude(before_days=3).exists()


# One request --------------------------------------------------------------------------------


def test_the_lead_reassigns_within_the_agency(client, world, sent):
    carl = _auditor(world, "carl", world.csc)
    a_csc = request_for(sent, "Child A", world.csc)
    url = reverse("return_reassign", args=[a_csc.pk])
    response = lead(client, world).get(url)
    choices = {label for _, label in response.context["form"].fields["assignee"].choices}
    assert choices == {"Chris (chris@north.example)", "Carl (carl@north.example)"}
    response = client.post(url, {"assignee": world.hana.pk})
    assert response.context["form"].errors["assignee"] == [
        "Select someone who audits for North Children's Social Care"
    ]
    response = client.post(url, {"assignee": carl.pk}, follow=True)
    a_csc.refresh_from_db()
    assert a_csc.assignee == carl
    assert "Carl will complete the return for Child A" in banner(response)
    assert [m.to for m in mail.outbox] == [["carl@north.example"]]
    assert response.redirect_chain[-1][0] == reverse("audit_requests", args=[sent.pk])


def test_reassign_needs_a_choice(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    response = lead(client, world).post(reverse("return_reassign", args=[a_csc.pk]), {})
    assert response.context["form"].errors["assignee"] == ["Select who should complete this return"]


def test_an_agency_lead_reassigns_only_their_own_agencys_requests(client, world, sent):
    Membership.objects.filter(user=world.chris).update(is_agency_lead=True)
    carl = _auditor(world, "carl", world.csc)
    health = request_for(sent, "Child A", world.health)
    health.assignee = world.hana
    health.save()
    requests_send(audit=sent, user=world.lena)
    a_csc = request_for(sent, "Child A", world.csc)
    lead(client, world, "chris")
    response = client.post(reverse("return_reassign", args=[a_csc.pk]), {"assignee": carl.pk})
    assert response.url == reverse("return_start", args=[a_csc.pk])
    a_csc.refresh_from_db()
    assert a_csc.assignee == carl
    assert client.get(reverse("return_reassign", args=[health.pk])).status_code == 404
    assert client.get(reverse("return_due_date", args=[a_csc.pk])).status_code == 404


def test_an_auditor_who_is_not_agency_lead_cannot_reassign(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    assert (
        lead(client, world, "chris").get(reverse("return_reassign", args=[a_csc.pk])).status_code
        == 404
    )


def test_change_the_due_date(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    url = reverse("return_due_date", args=[a_csc.pk])
    response = lead(client, world).post(
        url, {"due_date_0": "2", "due_date_1": "Apr", "due_date_2": "2030"}, follow=True
    )
    a_csc.refresh_from_db()
    assert a_csc.due_date == datetime.date(2030, 4, 2)
    assert "now due on 2 April 2030" in banner(response)
    assert RequestEvent.objects.filter(request=a_csc, kind=EventKind.DUE_DATE_CHANGED).exists()
    response = client.post(url, {"due_date_0": "2", "due_date_1": "4", "due_date_2": "2020"})
    assert response.context["form"].errors["due_date"] == [
        "Due date must be today or in the future"
    ]


def test_reopen_a_submitted_return(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    submit(world, a_csc)
    url = reverse("return_reopen", args=[a_csc.pk])
    response = lead(client, world).post(url, {"reason": ""})
    assert response.context["form"].errors["reason"] == [
        "Enter the reason for reopening the return"
    ]
    response = client.post(
        url,
        {
            "reason": "Question 1 needs the second visit",
            "due_date_0": "10",
            "due_date_1": "4",
            "due_date_2": "2030",
        },
    )
    assert response.url == reverse("return_start", args=[a_csc.pk])
    a_csc.refresh_from_db()
    assert a_csc.status == RequestStatus.REOPENED
    assert a_csc.due_date == datetime.date(2030, 4, 10)
    assert a_csc.reason == "Question 1 needs the second visit"
    event = AccessEvent.objects.get(action=Action.RETURN_REOPENED)
    assert event.object_id == str(a_csc.pk)
    assert event.user == world.lena


def test_reopen_refuses_a_return_still_open(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    url = reverse("return_reopen", args=[a_csc.pk])
    assert "Only a submitted, declined or inadmissible return can be reopened" in text_of(
        lead(client, world).get(url)
    )
    client.post(url, {"reason": "Because"})
    a_csc.refresh_from_db()
    assert a_csc.status == RequestStatus.SENT
    assert not AccessEvent.objects.filter(action=Action.RETURN_REOPENED).exists()


def test_mark_a_return_inadmissible(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    submit(world, a_csc)
    url = reverse("return_inadmissible", args=[a_csc.pk])
    response = lead(client, world).post(url, {"reason": "  "})
    assert response.context["form"].errors["reason"] == [
        "Enter the reason the return cannot be used"
    ]
    response = client.post(url, {"reason": "About the wrong period"})
    assert response.url == reverse("return_start", args=[a_csc.pk])
    a_csc.refresh_from_db()
    assert a_csc.status == RequestStatus.INADMISSIBLE
    assert a_csc.reason == "About the wrong period"
    assert AccessEvent.objects.filter(
        action=Action.RETURN_INADMISSIBLE, object_id=str(a_csc.pk)
    ).exists()


def test_an_unsent_request_cannot_be_inadmissible(client, world, sent):
    health = request_for(sent, "Child A", world.health)
    url = reverse("return_inadmissible", args=[health.pk])
    assert "has not been sent" in text_of(lead(client, world).get(url))
    client.post(url, {"reason": "No"})
    health.refresh_from_db()
    assert health.status == RequestStatus.NOT_SENT


def test_history_shows_events_and_answer_changes_readably(client, world, sent):
    a_csc = request_for(sent, "Child A", world.csc)
    question = Question.objects.get(version=a_csc.template_version, key="seen_alone")
    plan = Question.objects.get(version=a_csc.template_version, key="plan_date")
    answers_save(
        request=a_csc,
        user=world.chris,
        values={question: Value(("yes",)), plan: Value((), "2024-02-01")},
        expected_version=0,
    )
    answers_save(
        request=a_csc,
        user=world.chris,
        values={question: Value(("no",), comment="Seen with mother")},
        expected_version=1,
    )
    response = lead(client, world).get(reverse("return_history", args=[a_csc.pk]))
    page = text_of(response)
    assert "Request created" in page
    assert "Sent to the agency" in page
    assert "Was the child seen alone? Work with the family No answer Yes" in page
    assert (
        "Chris Was the child seen alone? Work with the family Yes Comment: none "
        "No Comment: Seen with mother" in page
    )
    assert "When was the plan made? Work with the family No answer 1 February 2024" in page
    assert CHILD_NAME not in page
