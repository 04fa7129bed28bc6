"""The agency auditor's return form through the web: pages, autosave, conflicts, submit,
decline, immediate concern and answers that survive the end of a session."""

import datetime
import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.urls import reverse

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.audits.models import Sample, SampledCase
from caseaudit.audits.services import audit_create
from caseaudit.concerns.models import CaseOfConcern
from caseaudit.population.services import population_import
from caseaudit.questionnaires.services import template_create
from caseaudit.returns.models import Answer, AnswerRevision, AuditRequest, PendingSave
from caseaudit.returns.services import requests_create, requests_send

SPEC = {
    "name": "Form test template",
    "sections": [
        {
            "title": "Work with the family",
            "questions": [
                {"key": "seen_alone", "text": "Was the child seen alone?", "type": "yes_no_na"},
                {
                    "key": "seen_alone_notes",
                    "text": "What did the child say?",
                    "type": "text",
                    "show_if": {"question": "seen_alone", "options": ["yes"]},
                },
                {
                    "key": "visits",
                    "text": "How many visits were there?",
                    "type": "number",
                    "required": False,
                    "min": 0,
                    "max": 50,
                },
                {
                    "key": "tools",
                    "text": "Which tools were used?",
                    "type": "multiple_choice",
                    "required": False,
                    "comment": True,
                    "options": [
                        {
                            "key": "graded_care",
                            "label": "Graded care profile",
                            "meaning": "positive",
                        },
                        {"key": "chronology", "label": "Chronology", "meaning": "positive"},
                        {"key": "none", "label": "None", "meaning": "negative"},
                    ],
                },
            ],
        },
        {
            "title": "Impact",
            "questions": [
                {"key": "impact", "text": "Grade the impact on the child", "type": "grade"},
                {
                    "key": "plan_date",
                    "text": "When was the plan made?",
                    "type": "date",
                    "required": False,
                },
                {
                    "key": "alone_follow_up",
                    "text": "Was what the child said acted on?",
                    "type": "yes_no_na",
                    "show_if": {"question": "seen_alone", "options": ["yes"]},
                },
            ],
        },
    ],
}
CHILD_NAME = "Tamsin Formtest"
CHILD_ID = "FT-9001"


@pytest.fixture
def sent_request(world) -> AuditRequest:
    audit = audit_create(partnership=world.north, title="Seen alone", agencies=[world.csc])
    _, version = template_create(partnership=world.north, spec=SPEC)
    audit.template_version = version
    audit.save()
    snapshot = population_import(
        partnership=world.north,
        content=(
            "child_id,plan_category,name,date_of_birth,agencies\n"
            f"{CHILD_ID},neglect,{CHILD_NAME},2015-03-04,CSC;HEALTH\n"
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
    request = AuditRequest.objects.get(audit=audit)
    request.assignee = world.chris
    request.save()
    requests_send(audit=audit, user=world.lena)
    request.refresh_from_db()
    return request


def section_url(request, number):
    return reverse("return_section", args=[request.pk, number])


def answers(request) -> dict[str, list]:
    rows = {}
    for answer in Answer.objects.filter(request=request).select_related("question", "option"):
        rows.setdefault(answer.question.key, []).append(
            answer.option.key if answer.option else (answer.text or answer.number or answer.date)
        )
    return rows


def test_the_request_email_names_no_child(sent_request):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chris@north.example"]
    text = message.subject + message.body
    assert reverse("return_start", args=[sent_request.pk]) in text
    for detail in (CHILD_NAME, CHILD_ID, "2015", "Tamsin"):
        assert detail not in text


def test_the_task_list_shows_sections_and_no_identifying_details(client, world, sent_request):
    client.force_login(world.chris)
    page = client.get(reverse("return_start", args=[sent_request.pk])).content.decode()
    assert "Work with the family" in page
    assert "Impact" in page
    assert "Not yet started" in page
    assert CHILD_NAME not in page
    assert CHILD_ID not in page


def test_save_and_come_back_later_keeps_answers_and_records_revisions(client, world, sent_request):
    client.force_login(world.chris)
    response = client.post(
        section_url(sent_request, 1),
        {
            "version": 0,
            "action": "later",
            "q-seen_alone": "yes",
            "q-visits": "4",
            "q-tools": ["graded_care", "chronology"],
            "q-tools-comment": "Used well",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("return_start", args=[sent_request.pk])
    assert answers(sent_request) == {
        "seen_alone": ["yes"],
        "visits": [4],
        "tools": ["graded_care", "chronology"],
    }
    tools = Answer.objects.filter(request=sent_request, question__key="tools").order_by("id")
    assert [row.comment for row in tools] == ["Used well", ""]
    sent_request.refresh_from_db()
    assert sent_request.status == "in_progress"
    assert sent_request.version == 1
    revision = AnswerRevision.objects.get(request=sent_request, question__key="tools")
    assert revision.changed_by == world.chris
    assert revision.old is None
    assert revision.new == {
        "options": ["graded_care", "chronology"],
        "value": "",
        "comment": "Used well",
    }


def test_continue_with_a_required_answer_missing_saves_and_says_what_to_fix(
    client, world, sent_request
):
    client.force_login(world.chris)
    response = client.post(
        section_url(sent_request, 1),
        {"version": 0, "action": "continue", "q-seen_alone": "yes", "q-visits": "2"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter an answer" in page  # the show-if question now applies and is required
    assert answers(sent_request) == {"seen_alone": ["yes"], "visits": [2]}


def test_a_number_out_of_range_is_refused_and_nothing_on_the_page_is_saved(
    client, world, sent_request
):
    client.force_login(world.chris)
    response = client.post(
        section_url(sent_request, 1),
        {"version": 0, "action": "later", "q-seen_alone": "no", "q-visits": "51"},
    )
    assert response.status_code == 200
    assert "The number must be 50 or less" in response.content.decode()
    assert 'value="51"' in response.content.decode()  # what was typed is kept on the page
    assert answers(sent_request) == {}


def test_a_save_from_an_out_of_date_page_is_refused_and_newer_answers_kept(
    client, world, sent_request
):
    client.force_login(world.chris)
    client.post(
        section_url(sent_request, 1), {"version": 0, "action": "later", "q-seen_alone": "yes"}
    )
    response = client.post(
        section_url(sent_request, 1), {"version": 0, "action": "later", "q-seen_alone": "no"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your changes have not been saved" in page
    assert "What you typed that was not saved" in page
    assert answers(sent_request) == {"seen_alone": ["yes"]}


def test_autosave_saves_what_fits_and_reports_the_rest(client, world, sent_request):
    client.force_login(world.chris)
    url = reverse("return_autosave", args=[sent_request.pk])
    response = client.post(
        url,
        {
            "version": 0,
            "section": 2,
            "q-impact": "good",
            "q-plan_date_0": "31",
            "q-plan_date_1": "2",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["version"] == 1
    assert body["changed"] == ["impact"]
    assert list(body["errors"]) == ["q-plan_date"]
    assert answers(sent_request) == {"impact": ["good"]}
    stale = client.post(url, {"version": 0, "section": 2, "q-impact": "inadequate"})
    assert stale.status_code == 409
    assert stale.json()["conflict"] is True
    assert answers(sent_request) == {"impact": ["good"]}


def test_autosave_when_signed_out_says_so(client, sent_request):
    response = client.post(
        reverse("return_autosave", args=[sent_request.pk]), {"version": 0, "section": 1}
    )
    assert response.status_code == 401
    assert response.json()["signed_out"] is True


def test_answers_sent_after_the_session_ended_are_saved_after_signing_in(
    client, world, sent_request
):
    response = client.post(
        section_url(sent_request, 1),
        {"version": 0, "action": "later", "q-seen_alone": "no", "q-visits": "3"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    next_url = parse_qs(urlparse(response.url).query)["next"][0]
    assert "resume=" in next_url
    assert PendingSave.objects.count() == 1
    stored = PendingSave.objects.values_list("data", flat=True).get()
    assert "q-visits" in stored
    assert answers(sent_request) == {}
    client.force_login(world.chris)
    follow = client.get(next_url)
    assert follow.status_code == 302
    assert answers(sent_request) == {"seen_alone": ["no"], "visits": [3]}
    assert PendingSave.objects.count() == 0
    # The token works once.
    assert client.get(next_url).status_code == 200
    assert answers(sent_request) == {"seen_alone": ["no"], "visits": [3]}


def test_someone_else_cannot_use_a_pending_save(client, world, sent_request):
    response = client.post(
        section_url(sent_request, 1), {"version": 0, "action": "later", "q-seen_alone": "no"}
    )
    next_url = parse_qs(urlparse(response.url).query)["next"][0]
    client.force_login(world.hana)
    assert client.get(next_url).status_code == 404
    assert answers(sent_request) == {}


def fill_everything(client, request, seen_alone="yes"):
    client.post(
        section_url(request, 1),
        {
            "version": AuditRequest.objects.get(pk=request.pk).version,
            "action": "later",
            "q-seen_alone": seen_alone,
            "q-seen_alone_notes": "Said school was going well",
        },
    )
    client.post(
        section_url(request, 2),
        {
            "version": AuditRequest.objects.get(pk=request.pk).version,
            "action": "later",
            "q-impact": "requires_improvement",
            "q-alone_follow_up": "yes",
        },
    )


def test_check_answers_lists_what_is_missing_and_submit_locks_the_return(
    client, world, sent_request
):
    client.force_login(world.chris)
    check = reverse("return_check", args=[sent_request.pk])
    response = client.post(check, {"version": 0})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Answer the question: Was the child seen alone?" in page
    assert "Answer the question: Grade the impact on the child" in page
    fill_everything(client, sent_request)
    version = AuditRequest.objects.get(pk=sent_request.pk).version
    page = client.get(check).content.decode()
    assert "Said school was going well" in page
    assert "Requires improvement" in page
    response = client.post(check, {"version": version})
    assert response.status_code == 302
    assert response.url == reverse("return_submitted", args=[sent_request.pk])
    sent_request.refresh_from_db()
    assert sent_request.status == "submitted"
    assert sent_request.submitted_by == world.chris
    # Locked: the pages send the auditor back and the autosave refuses.
    assert client.get(section_url(sent_request, 1)).status_code == 302
    refused = client.post(
        reverse("return_autosave", args=[sent_request.pk]),
        {"version": sent_request.version, "section": 1, "q-seen_alone": "no"},
    )
    assert refused.status_code == 409
    assert refused.json()["closed"] is True
    assert answers(sent_request)["seen_alone"] == ["yes"]


def test_answers_to_questions_that_no_longer_apply_are_removed_on_submit(
    client, world, sent_request
):
    client.force_login(world.chris)
    fill_everything(client, sent_request)
    request = AuditRequest.objects.get(pk=sent_request.pk)
    client.post(
        section_url(request, 1),
        {"version": request.version, "action": "later", "q-seen_alone": "no"},
    )
    request.refresh_from_db()
    # Page 2's follow-up question no longer applies, so it is not shown...
    page = client.get(section_url(request, 2)).content.decode()
    assert "Was what the child said acted on?" not in page
    # ...is not demanded, and its old answer is removed at submit, with a revision.
    response = client.post(reverse("return_check", args=[request.pk]), {"version": request.version})
    assert response.status_code == 302
    assert "alone_follow_up" not in answers(request)
    assert "seen_alone_notes" not in answers(request)
    removed = AnswerRevision.objects.filter(request=request, question__key="alone_follow_up")
    assert removed.latest("id").new is None


def test_decline_needs_a_reason(client, world, sent_request):
    client.force_login(world.chris)
    url = reverse("return_decline", args=[sent_request.pk])
    response = client.post(url, {"reason": " "})
    assert "Enter why your agency is declining this request" in response.content.decode()
    response = client.post(url, {"reason": "No involvement with this child"})
    assert response.status_code == 302
    sent_request.refresh_from_db()
    assert sent_request.status == "declined"
    assert sent_request.reason == "No involvement with this child"


def test_an_immediate_concern_emails_the_audit_lead_and_opens_a_case_of_concern(
    client, world, sent_request
):
    client.force_login(world.chris)
    mail.outbox.clear()
    url = reverse("return_concern", args=[sent_request.pk])
    response = client.post(url, {"description": "Bruising seen and not followed up"})
    assert "Confirm that you have acted or will act today" in response.content.decode()
    response = client.post(
        url, {"description": "Bruising seen and not followed up", "confirm": "on"}
    )
    assert response.status_code == 302
    concern = CaseOfConcern.objects.get()
    assert concern.request == sent_request
    assert concern.raised_by == world.chris
    assert concern.audit_lead_notified_at is not None
    assert [m.to for m in mail.outbox] == [["lena@north.example"]]
    assert "Bruising" not in mail.outbox[0].body  # the description stays in the service
    assert CHILD_NAME not in mail.outbox[0].body
    page = client.get(reverse("return_start", args=[sent_request.pk])).content.decode()
    assert "An immediate concern has been raised about this child" in page
    assert AccessEvent.objects.filter(action=Action.CONCERN_RAISED).count() == 1


def test_the_agency_auditor_can_see_who_the_child_is_and_it_is_logged(client, world, sent_request):
    client.force_login(world.chris)
    page = client.get(reverse("return_identifying_details", args=[sent_request.pk]))
    assert CHILD_NAME in page.content.decode()
    event = AccessEvent.objects.get(action=Action.VIEW_IDENTIFYING_DETAILS)
    assert event.user == world.chris
    assert event.object_label == "Child A"


def test_another_agency_gets_404_for_every_page(client, world, sent_request):
    client.force_login(world.hana)
    for name in ("return_start", "return_check", "return_decline", "return_concern"):
        assert client.get(reverse(name, args=[sent_request.pk])).status_code == 404
    assert client.get(section_url(sent_request, 1)).status_code == 404
    response = client.post(
        reverse("return_autosave", args=[sent_request.pk]), {"version": 0, "section": 1}
    )
    assert response.status_code == 404


def test_my_returns_lists_the_auditors_requests(client, world, sent_request):
    client.force_login(world.chris)
    page = client.get(reverse("my_returns")).content.decode()
    assert "Child A" in page
    assert "Seen alone" in page
    client.force_login(world.hana)
    assert "Child A" not in client.get(reverse("my_returns")).content.decode()


def test_the_autosave_response_is_json(client, world, sent_request):
    client.force_login(world.chris)
    response = client.post(
        reverse("return_autosave", args=[sent_request.pk]),
        {"version": 0, "section": 1, "q-seen_alone": "yes"},
    )
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["saved_at"]


def test_an_agency_lead_is_offered_reassignment(client, world, sent_request):
    client.force_login(world.chris)
    url = reverse("return_start", args=[sent_request.pk])
    assert "Ask a colleague to complete it instead" not in client.get(url).content.decode()
    world.memberships["chris"].is_agency_lead = True
    world.memberships["chris"].save()
    assert "Ask a colleague to complete it instead" in client.get(url).content.decode()


def test_moving_the_due_date_of_a_late_request_later_makes_it_no_longer_late(world, sent_request):
    from caseaudit.returns.services import request_set_due_date

    AuditRequest.objects.filter(pk=sent_request.pk).update(status="late")
    sent_request.refresh_from_db()
    request_set_due_date(request=sent_request, user=world.lena, due_date=datetime.date(2031, 1, 1))
    assert sent_request.status == "sent"


def test_the_tracker_flags_a_child_with_an_open_concern(client, world, sent_request):
    from caseaudit.returns.services import concern_raise

    client.force_login(world.lena)
    url = reverse("audit_requests", args=[sent_request.audit_id])
    assert "Immediate concern" not in client.get(url).content.decode()
    concern_raise(request=sent_request, user=world.chris, description="Seen with bruising")
    assert "Immediate concern" in client.get(url).content.decode()


def test_an_autosave_makes_a_fixed_number_of_queries(
    client, world, sent_request, django_assert_max_num_queries
):
    # Session, user, memberships, MFA check, the request, its sections, questions and options,
    # the version claim, current answers, delete, insert, revision, session write and the
    # savepoints around the save and the session write: 18; plus 2 because a comment's practice
    # themes (themes.CommentTheme) cascade from its answer row, so deleting the changed rows
    # first reads their ids and deletes their theme rows: 20. The return is not read back after
    # the version claim and options are not fetched twice.
    client.force_login(world.chris)
    url = reverse("return_autosave", args=[sent_request.pk])
    client.post(url, {"version": 0, "section": 1, "q-seen_alone": "no", "q-visits": "1"})
    with django_assert_max_num_queries(20):
        response = client.post(
            url, {"version": 1, "section": 1, "q-seen_alone": "no", "q-visits": "2"}
        )
    assert response.json()["version"] == 2
    assert response.json()["changed"] == ["visits"]
    assert answers(sent_request)["visits"] == [2]
