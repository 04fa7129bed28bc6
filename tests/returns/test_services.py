"""services.py: creating, sending and chasing requests, saving answers as rows with revisions,
conflicts, submitting with show-if clean-up, reopen / decline / inadmissible, and the tracker's
counts.

North's audit asks children's social care (chris) and health (hana) about the children in
factories.CHILDREN: Child A is known to both, Child B to children's social care, Child C to
health (and to police, who are not in the audit), Child D to neither."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.models import Membership, User
from caseaudit.accounts.roles import Role
from caseaudit.questionnaires.services import check_version_editable
from caseaudit.returns.answers import Value
from caseaudit.returns.models import (
    Answer,
    AnswerRevision,
    AuditRequest,
    EventKind,
    RequestEvent,
    RequestStatus,
    Source,
)
from caseaudit.returns.services import (
    MissingAnswers,
    ReturnClosed,
    SaveConflict,
    current_values,
    involved_agencies,
    missing_answers,
    request_decline,
    request_inadmissible,
    request_reassign,
    request_reopen,
    request_set_agencies,
    request_set_due_date,
    requests_chase,
    requests_create,
    requests_send,
    return_submit,
    tracker_counts,
)
from tests.returns.factories import (
    CHILDREN,
    DUE,
    assert_no_identifying_details,
    audit_with_locked_sample,
    auditor,
    many_children,
    request_for,
    sampled_case,
    save_answers,
)

AUDIT_TITLE = "Neglect: multi-agency audit"


@pytest.fixture
def audit(world):
    return audit_with_locked_sample(world)


@pytest.fixture
def created(world, audit):
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    return audit


@pytest.fixture
def sent(world, created):
    """Every request sent: Child A and B to chris, Child A and C to hana."""
    requests_send(audit=created, user=world.lena)
    mail.outbox.clear()
    return created


@pytest.fixture
def request_a(world, sent) -> AuditRequest:
    """Child A's request to children's social care, sent to chris."""
    return request_for(sent, "Child A", world.csc)


def pairs(audit) -> set[tuple[str, str]]:
    return set(
        AuditRequest.objects.filter(audit=audit).values_list(
            "sampled_case__pseudonym", "agency__code"
        )
    )


def kinds(request) -> list[str]:
    return list(RequestEvent.objects.filter(request=request).values_list("kind", flat=True))


def fresh(request) -> AuditRequest:
    return AuditRequest.objects.get(pk=request.pk)


def set_status(request, status: str) -> AuditRequest:
    AuditRequest.objects.filter(pk=request.pk).update(status=status)
    return fresh(request)


def answers(request) -> dict[str, Value]:
    """The return's answers by question key, read back from the rows."""
    keys = dict(
        AuditRequest.objects.get(pk=request.pk)
        .template_version.questions.values_list("pk", "key")
        .order_by()
    )
    return {keys[pk]: value for pk, value in current_values(request).items()}


def rows(request, key: str) -> list[tuple]:
    """The Answer rows of one question: (option key, text, number, date, comment)."""
    return list(
        Answer.objects.filter(request=request, question__key=key)
        .order_by("option__order", "id")
        .values_list("option__key", "text", "number", "date", "comment")
    )


def revisions(request, key: str | None = None) -> list[tuple]:
    """(question key, who, old, new, source) of each revision, oldest first."""
    found = AnswerRevision.objects.filter(request=request).order_by("changed_at", "id")
    if key:
        found = found.filter(question__key=key)
    return list(found.values_list("question__key", "changed_by__email", "old", "new", "source"))


def complete(request, user) -> None:
    """Answers every question that is always required, then submits."""
    save_answers(request, user, {"lead_agency": "social_care", "seen_alone": "no"})
    return_submit(request=request, user=user, expected_version=fresh(request).version)


# Creating requests ----------------------------------------------------------------------------


def test_one_request_per_child_per_involved_agency_of_the_audit(world, audit):
    made = requests_create(audit=audit, user=world.lena, due_date=DUE)

    # Child A names both agencies by code, Child B children's social care by its name in small
    # letters, Child C " health " (and police and an unknown service, not in the audit), Child D
    # only police.
    assert made == 4
    assert pairs(audit) == {
        ("Child A", "CSC"),
        ("Child A", "HEALTH"),
        ("Child B", "CSC"),
        ("Child C", "HEALTH"),
    }
    for request in AuditRequest.objects.filter(audit=audit):
        assert request.status == RequestStatus.NOT_SENT
        assert request.due_date == DUE
        assert request.template_version_id == audit.template_version_id
        assert kinds(request) == [EventKind.CREATED]
        assert RequestEvent.objects.get(request=request).by == world.lena


def test_involved_agencies_match_names_and_codes_of_the_audits_agencies_only(world, audit):
    assert involved_agencies(audit, ["csc"]) == [world.csc]
    assert involved_agencies(audit, ["  North Health Trust "]) == [world.health]
    assert set(involved_agencies(audit, ["HEALTH", "north children's social care"])) == {
        world.csc,
        world.health,
    }
    # Police serve North but are not in this audit; South's children's services share the code
    # CSC but are not in the audit either, so "CSC" means North's children's social care only.
    assert involved_agencies(audit, ["POL", "Shire Police", "", "  "]) == []
    assert involved_agencies(audit, ["Children's Social Care"]) == []


def test_an_agency_left_out_of_the_audit_gets_no_requests(world):
    audit = audit_with_locked_sample(world, agencies=[world.health])
    assert requests_create(audit=audit, user=world.lena, due_date=DUE) == 2
    assert pairs(audit) == {("Child A", "HEALTH"), ("Child C", "HEALTH")}


def test_creating_again_leaves_existing_requests_alone(world, created):
    before = list(AuditRequest.objects.filter(audit=created).values_list("pk", flat=True))
    assert requests_create(audit=created, user=world.lena, due_date=datetime.date(2031, 1, 1)) == 0
    assert list(AuditRequest.objects.filter(audit=created).values_list("pk", flat=True)) == before
    assert RequestEvent.objects.filter(request__audit=created).count() == 4
    assert not AuditRequest.objects.filter(audit=created).exclude(due_date=DUE).exists()


def test_a_child_swapped_out_of_the_sample_gets_no_request(world, audit):
    swapped = sampled_case(audit, "Child B")
    swapped.removed_at = timezone.now()
    swapped.removal_reason = "Moved out of the area"
    swapped.save()
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    assert ("Child B", "CSC") not in pairs(audit)


def test_an_agency_with_exactly_one_auditor_is_assigned_by_default(world, created):
    assert {(r.agency, r.assignee) for r in AuditRequest.objects.filter(audit=created)} == {
        (world.csc, world.chris),
        (world.health, world.hana),
    }


def test_an_agency_with_two_auditors_is_left_for_the_lead_to_assign(world, audit):
    auditor(world, "harriet", world.health)
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    assert not AuditRequest.objects.filter(agency=world.health, assignee__isnull=False).exists()
    assert set(
        AuditRequest.objects.filter(agency=world.csc).values_list("assignee", flat=True)
    ) == {world.chris.pk}


def test_an_inactive_auditor_does_not_count_against_the_default(world, audit):
    auditor(world, "harriet", world.health, active=False)
    gone = auditor(world, "gus", world.csc)
    gone.is_active = False
    gone.save()
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    assert set(
        AuditRequest.objects.filter(audit=audit).values_list("agency__code", "assignee__email")
    ) == {("CSC", "chris@north.example"), ("HEALTH", "hana@north.example")}


def test_an_auditor_of_the_agency_in_another_partnership_does_not_count(world):
    """Police serve North and South: an auditor for police in South is not a second police
    auditor for North's audit."""
    paul = auditor(world, "paul", world.police)
    sue = User.objects.create_user("sue@south.example", "pw", full_name="Sue")
    Membership.objects.create(
        user=sue, partnership=world.south, role=Role.AGENCY_AUDITOR, agency=world.police
    )
    audit = audit_with_locked_sample(world, agencies=[world.csc, world.health, world.police])
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    assert set(
        AuditRequest.objects.filter(audit=audit, agency=world.police).values_list(
            "sampled_case__pseudonym", "assignee"
        )
    ) == {("Child C", paul.pk), ("Child D", paul.pk)}


def test_requests_need_a_locked_sample_and_a_template(world, audit):
    sample = audit.sample
    sample.locked_at = None
    sample.save()
    with pytest.raises(ValidationError, match="Lock the sample before creating requests"):
        requests_create(audit=audit, user=world.lena, due_date=DUE)

    sample.locked_at = timezone.now()
    sample.save()
    audit.template_version = None
    audit.save()
    with pytest.raises(ValidationError, match="Choose the audit template"):
        requests_create(audit=audit, user=world.lena, due_date=DUE)
    assert not AuditRequest.objects.exists()


def test_an_audit_without_a_sample_cannot_have_requests(world, audit):
    audit.sample.delete()
    audit.refresh_from_db()
    with pytest.raises(ValidationError, match="Lock the sample before creating requests"):
        requests_create(audit=audit, user=world.lena, due_date=DUE)


def test_setting_a_childs_agencies_adds_and_removes_unsent_requests(world, created):
    # Child D's case list named only police; the lead asks children's social care as well.
    child_d = sampled_case(created, "Child D")
    request_set_agencies(
        audit=created, case=child_d, agencies=[world.csc], user=world.lena, due_date=DUE
    )
    added = request_for(created, "Child D", world.csc)
    assert (added.status, added.assignee, added.due_date) == (
        RequestStatus.NOT_SENT,
        world.chris,
        DUE,
    )
    assert kinds(added) == [EventKind.CREATED]

    # Child A: health unticked before anything was sent.
    request_set_agencies(
        audit=created,
        case=sampled_case(created, "Child A"),
        agencies=[world.csc],
        user=world.lena,
        due_date=DUE,
    )
    assert ("Child A", "HEALTH") not in pairs(created)
    assert ("Child A", "CSC") in pairs(created)


def test_a_sent_request_cannot_be_unticked(world, sent):
    with pytest.raises(ValidationError) as error:
        request_set_agencies(
            audit=sent,
            case=sampled_case(sent, "Child A"),
            agencies=[world.csc],
            user=world.lena,
            due_date=DUE,
        )
    assert error.value.messages == [
        "A request has already been sent to North Health Trust. Ask them to decline it instead."
    ]
    assert ("Child A", "HEALTH") in pairs(sent)


# Sending --------------------------------------------------------------------------------------


def test_sending_freezes_the_template_version(world, created):
    version = created.template_version
    assert not version.is_frozen
    requests_send(audit=created, user=world.lena)
    version.refresh_from_db()
    assert version.is_frozen
    with pytest.raises(ValidationError, match="cannot change"):
        check_version_editable(version)


def test_sending_marks_each_request_sent_and_emails_its_assignee_a_link(world, created):
    result = requests_send(audit=created, user=world.lena)

    assert (result.sent, result.without_assignee) == (4, 0)
    for request in AuditRequest.objects.filter(audit=created):
        assert request.status == RequestStatus.SENT
        assert request.sent_at is not None
        assert kinds(request) == [EventKind.CREATED, EventKind.SENT]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chris@north.example",
        "chris@north.example",
        "hana@north.example",
        "hana@north.example",
    ]
    request = request_for(created, "Child C", world.health)
    [message] = [m for m in mail.outbox if reverse("return_start", args=[request.pk]) in m.body]
    assert message.to == ["hana@north.example"]
    assert message.subject == f"[caseaudit] Audit return requested: {AUDIT_TITLE}"
    assert "http://127.0.0.1:8000" + reverse("return_start", args=[request.pk]) in message.body
    assert "North Health Trust" in message.body
    assert "29 March 2030" in message.body


def test_no_email_contains_a_childs_identifying_details(world, created):
    """Every email the services send about these children: request, reassignment, chase."""
    requests_send(audit=created, user=world.lena)
    harriet = auditor(world, "harriet", world.health)
    request_reassign(
        request=request_for(created, "Child A", world.health), user=world.lena, assignee=harriet
    )
    requests_chase(audit=created, user=world.lena)
    assert len(mail.outbox) == 4 + 1 + 4
    assert_no_identifying_details(mail.outbox, CHILDREN)


def test_requests_without_an_assignee_stay_unsent_and_are_counted(world, audit):
    auditor(world, "harriet", world.health)  # two health auditors: nobody assigned
    requests_create(audit=audit, user=world.lena, due_date=DUE)

    result = requests_send(audit=audit, user=world.lena)

    assert (result.sent, result.without_assignee) == (2, 2)
    assert set(AuditRequest.objects.filter(audit=audit).values_list("agency__code", "status")) == {
        ("CSC", RequestStatus.SENT),
        ("HEALTH", RequestStatus.NOT_SENT),
    }
    assert {m.to[0] for m in mail.outbox} == {"chris@north.example"}


def test_nothing_ready_to_send_freezes_nothing(world, audit):
    auditor(world, "harriet", world.health)
    auditor(world, "carl", world.csc)
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    assert requests_send(audit=audit, user=world.lena).sent == 0
    audit.template_version.refresh_from_db()
    assert not audit.template_version.is_frozen
    assert mail.outbox == []


def test_sending_only_the_requests_given(world, created):
    one = request_for(created, "Child B", world.csc)
    result = requests_send(audit=created, user=world.lena, requests=[one])
    assert (result.sent, result.without_assignee) == (1, 0)
    assert list(
        AuditRequest.objects.filter(audit=created, status=RequestStatus.SENT).values_list(
            "pk", flat=True
        )
    ) == [one.pk]
    assert len(mail.outbox) == 1


def test_sending_again_sends_nothing_twice(world, sent):
    result = requests_send(audit=sent, user=world.lena)
    assert (result.sent, result.without_assignee) == (0, 0)
    assert mail.outbox == []
    assert RequestEvent.objects.filter(kind=EventKind.SENT).count() == 4


def test_reassigning_a_sent_request_emails_the_new_assignee(world, sent):
    harriet = auditor(world, "harriet", world.health)
    request = request_for(sent, "Child C", world.health)
    request_reassign(request=request, user=world.lena, assignee=harriet)
    assert fresh(request).assignee == harriet
    assert [m.to for m in mail.outbox] == [["harriet@north.example"]]
    assert mail.outbox[0].subject == f"[caseaudit] Audit return assigned to you: {AUDIT_TITLE}"
    event = RequestEvent.objects.get(request=request, kind=EventKind.REASSIGNED)
    assert (event.by, event.note) == (world.lena, "Harriet")


def test_a_request_cannot_go_to_someone_outside_its_agency(world, sent):
    request = request_for(sent, "Child C", world.health)
    with pytest.raises(ValidationError) as error:
        request_reassign(request=request, user=world.lena, assignee=world.chris)
    assert error.value.message_dict == {
        "assignee": ["Select someone who audits for North Health Trust"]
    }
    assert fresh(request).assignee == world.hana
    assert mail.outbox == []


def test_a_new_due_date_takes_a_late_request_out_of_late(world, request_a):
    late = set_status(request_a, RequestStatus.LATE)
    request_set_due_date(request=late, user=world.lena, due_date=datetime.date(2099, 1, 1))
    assert fresh(late).status == RequestStatus.SENT

    save_answers(late, world.chris, {"seen_alone": "yes"})
    late = set_status(late, RequestStatus.LATE)
    request_set_due_date(request=late, user=world.lena, due_date=datetime.date(2099, 2, 1))
    assert fresh(late).status == RequestStatus.IN_PROGRESS

    # A date already past leaves it late.
    late = set_status(late, RequestStatus.LATE)
    request_set_due_date(request=late, user=world.lena, due_date=datetime.date(2020, 1, 1))
    assert (fresh(late).status, fresh(late).due_date) == (
        RequestStatus.LATE,
        datetime.date(2020, 1, 1),
    )
    assert kinds(late).count(EventKind.DUE_DATE_CHANGED) == 3


# Saving answers --------------------------------------------------------------------------------


def test_each_answer_is_one_typed_row(world, request_a):
    save_answers(
        request_a,
        world.chris,
        {
            "lead_agency": "health",
            "seen_alone": "yes",
            "visits": "12.50",
            "plan_date": "2029-11-05",
            "summary": "Regular visits, chronology kept up to date.",
        },
    )
    assert rows(request_a, "lead_agency") == [("health", "", None, None, "")]
    assert rows(request_a, "seen_alone") == [("yes", "", None, None, "")]
    [(option, text, number, date, _comment)] = rows(request_a, "visits")
    assert (option, text, str(number.normalize()), date) == (None, "", "12.5", None)
    assert rows(request_a, "plan_date") == [(None, "", None, datetime.date(2029, 11, 5), "")]
    assert rows(request_a, "summary") == [
        (None, "Regular visits, chronology kept up to date.", None, None, "")
    ]
    assert answers(request_a) == {
        "lead_agency": Value(("health",)),
        "seen_alone": Value(("yes",)),
        "visits": Value(value="12.5"),
        "plan_date": Value(value="2029-11-05"),
        "summary": Value(value="Regular visits, chronology kept up to date."),
    }


def test_a_multiple_choice_is_one_row_per_option_with_the_comment_on_the_first(world, request_a):
    save_answers(
        request_a,
        world.chris,
        {"tools": Value(("none", "graded_care", "chronology"), comment="Genogram planned")},
    )
    assert rows(request_a, "tools") == [
        ("graded_care", "", None, None, "Genogram planned"),
        ("chronology", "", None, None, ""),
        ("none", "", None, None, ""),
    ]
    assert answers(request_a)["tools"] == Value(
        ("graded_care", "chronology", "none"), "", "Genogram planned"
    )


def test_a_comment_with_no_answer_is_a_row_without_a_value(world, request_a):
    save_answers(
        request_a,
        world.chris,
        {
            "tools": Value(comment="No tools recorded on file"),
            "summary": Value(comment="File incomplete"),
        },
    )
    assert rows(request_a, "tools") == [(None, "", None, None, "No tools recorded on file")]
    assert rows(request_a, "summary") == [(None, "", None, None, "File incomplete")]
    assert answers(request_a)["tools"] == Value(comment="No tools recorded on file")
    assert not answers(request_a)["tools"].is_answered


def test_changing_options_replaces_the_rows(world, request_a):
    save_answers(request_a, world.chris, {"tools": ("graded_care", "chronology")})
    save_answers(request_a, world.chris, {"tools": ("genogram",)})
    assert rows(request_a, "tools") == [("genogram", "", None, None, "")]


def test_a_save_touches_only_the_questions_given(world, request_a):
    save_answers(request_a, world.chris, {"seen_alone": "yes", "visits": "3"})
    save_answers(request_a, world.chris, {"visits": "4"})
    assert answers(request_a) == {"seen_alone": Value(("yes",)), "visits": Value(value="4")}


def test_clearing_an_answer_removes_its_rows(world, request_a):
    save_answers(request_a, world.chris, {"visits": "3", "seen_alone": "yes"})
    result = save_answers(request_a, world.chris, {"visits": Value()})
    assert result.changed == ["visits"]
    assert rows(request_a, "visits") == []
    assert revisions(request_a, "visits")[-1] == (
        "visits",
        "chris@north.example",
        {"options": [], "value": "3", "comment": ""},
        None,
        Source.WEB,
    )


def test_every_change_is_a_revision_with_who_old_and_new(world, request_a):
    carl = auditor(world, "carl", world.csc)
    save_answers(request_a, world.chris, {"seen_alone": "no"})
    save_answers(request_a, carl, {"seen_alone": Value(("yes",), comment="At school")})

    assert revisions(request_a) == [
        (
            "seen_alone",
            "chris@north.example",
            None,
            {"options": ["no"], "value": "", "comment": ""},
            Source.WEB,
        ),
        (
            "seen_alone",
            "carl@north.example",
            {"options": ["no"], "value": "", "comment": ""},
            {"options": ["yes"], "value": "", "comment": "At school"},
            Source.WEB,
        ),
    ]
    changed_at = AnswerRevision.objects.filter(request=request_a).latest("id").changed_at
    assert timezone.now() - changed_at < datetime.timedelta(minutes=1)


def test_saving_the_same_answers_again_records_no_revision(world, request_a):
    answers_given = {
        "tools": Value(("graded_care", "chronology"), comment="Both up to date"),
        "visits": "12.5",
        "plan_date": "2029-11-05",
        "summary": "Good",
    }
    first = save_answers(request_a, world.chris, answers_given)
    assert sorted(first.changed) == ["plan_date", "summary", "tools", "visits"]

    again = save_answers(request_a, world.chris, {**answers_given, "visits": "12.50"})

    assert again.changed == []
    assert again.version == first.version + 1
    assert AnswerRevision.objects.filter(request=request_a).count() == 4


def test_the_first_save_moves_a_sent_request_to_in_progress(world, request_a):
    assert request_a.status == RequestStatus.SENT
    result = save_answers(request_a, world.chris, {"seen_alone": "yes"})
    request = fresh(request_a)
    assert request.status == RequestStatus.IN_PROGRESS
    assert (request.version, result.version) == (1, 1)
    assert (request.last_saved_by, request.last_saved_at) == (world.chris, result.saved_at)


@pytest.mark.parametrize("status", [RequestStatus.LATE, RequestStatus.REOPENED])
def test_saving_keeps_a_late_or_reopened_status(world, request_a, status):
    request = set_status(request_a, status)
    save_answers(request, world.chris, {"seen_alone": "yes"})
    assert fresh(request).status == status


def test_the_second_of_two_saves_from_the_same_version_is_refused(world, request_a):
    carl = auditor(world, "carl", world.csc)
    opened = fresh(request_a).version  # chris and carl both open the return

    save_answers(
        request_a, world.chris, {"seen_alone": "yes", "visits": "2"}, expected_version=opened
    )
    with pytest.raises(SaveConflict) as conflict:
        save_answers(request_a, carl, {"seen_alone": "no", "visits": "7"}, expected_version=opened)

    assert answers(request_a) == {"seen_alone": Value(("yes",)), "visits": Value(value="2")}
    assert {who for _, who, *_ in revisions(request_a)} == {"chris@north.example"}
    assert fresh(request_a).version == opened + 1
    assert conflict.value.request.last_saved_by == world.chris
    assert str(conflict.value).startswith("Chris saved this return at ")
    # With the newer version carl can save.
    save_answers(request_a, carl, {"visits": "7"}, expected_version=opened + 1)
    assert answers(request_a)["visits"] == Value(value="7")


@pytest.mark.parametrize(
    "status",
    [
        RequestStatus.NOT_SENT,
        RequestStatus.SUBMITTED,
        RequestStatus.DECLINED,
        RequestStatus.INADMISSIBLE,
    ],
)
def test_a_return_not_waiting_for_the_agency_refuses_a_save(world, request_a, status):
    request = set_status(request_a, status)
    with pytest.raises(ReturnClosed) as closed:
        save_answers(request, world.chris, {"seen_alone": "yes"})
    label = RequestStatus(status).label.lower()
    assert str(closed.value).startswith(f"This return is {label}, so it cannot be changed.")
    assert answers(request) == {}
    assert fresh(request).version == request.version


# Submitting ------------------------------------------------------------------------------------


def test_submitting_with_required_answers_missing_lists_them(world, request_a):
    save_answers(request_a, world.chris, {"visits": "3"})
    with pytest.raises(MissingAnswers) as missing:
        return_submit(request=request_a, user=world.chris, expected_version=1)
    assert [q.key for q in missing.value.questions] == ["lead_agency", "seen_alone"]
    assert missing.value.messages == [
        "Answer the question: Which agency led the plan?",
        "Answer the question: Was the child seen alone?",
    ]
    request = fresh(request_a)
    assert (request.status, request.version) == (RequestStatus.IN_PROGRESS, 1)


def test_a_comment_alone_does_not_answer_a_required_question(world, request_a):
    save_answers(
        request_a,
        world.chris,
        {"lead_agency": "health", "seen_alone": Value(comment="Not recorded")},
    )
    assert [q.key for q in missing_answers(request_a)] == ["seen_alone"]


def test_a_required_question_that_applies_is_demanded_down_the_chain(world, request_a):
    save_answers(request_a, world.chris, {"lead_agency": "health", "seen_alone": "yes"})
    assert [q.key for q in missing_answers(request_a)] == ["child_view"]
    save_answers(request_a, world.chris, {"child_view": "yes"})
    assert [q.key for q in missing_answers(request_a)] == ["child_words"]
    save_answers(request_a, world.chris, {"child_view": "no"})
    assert missing_answers(request_a) == []


def test_a_required_question_that_does_not_apply_is_not_demanded(world, request_a):
    save_answers(request_a, world.chris, {"lead_agency": "health", "seen_alone": "no"})
    return_submit(request=request_a, user=world.chris, expected_version=1)
    assert fresh(request_a).status == RequestStatus.SUBMITTED


def test_submitting_locks_the_return(world, request_a):
    save_answers(request_a, world.chris, {"lead_agency": "health", "seen_alone": "yes"})
    save_answers(request_a, world.chris, {"child_view": "no", "visits": "3"})

    return_submit(request=request_a, user=world.chris, expected_version=2)

    request = fresh(request_a)
    assert request.status == RequestStatus.SUBMITTED
    assert (request.submitted_by, request.version) == (world.chris, 3)
    assert timezone.now() - request.submitted_at < datetime.timedelta(minutes=1)
    assert kinds(request)[-1] == EventKind.SUBMITTED
    assert answers(request) == {
        "lead_agency": Value(("health",)),
        "seen_alone": Value(("yes",)),
        "child_view": Value(("no",)),
        "visits": Value(value="3"),
    }
    with pytest.raises(ReturnClosed):
        save_answers(request, world.chris, {"visits": "4"})
    with pytest.raises(ReturnClosed):
        return_submit(request=request, user=world.chris, expected_version=3)
    assert kinds(request).count(EventKind.SUBMITTED) == 1


def test_submitting_from_an_older_version_is_a_conflict(world, request_a):
    save_answers(request_a, world.chris, {"lead_agency": "health", "seen_alone": "no"})
    with pytest.raises(SaveConflict):
        return_submit(request=request_a, user=world.chris, expected_version=0)
    assert fresh(request_a).status == RequestStatus.IN_PROGRESS


def test_submitting_removes_answers_to_questions_that_no_longer_apply(world, request_a):
    save_answers(
        request_a,
        world.chris,
        {
            "lead_agency": "social_care",
            "seen_alone": "yes",
            "child_view": Value(("yes",), comment="Recorded in the assessment"),
            "child_words": "She wants to stay at her school",
        },
    )
    # carl, a colleague, corrects the return: the child was not seen alone after all.
    carl = auditor(world, "carl", world.csc)
    save_answers(request_a, carl, {"seen_alone": "no"})

    return_submit(request=request_a, user=carl, expected_version=2)

    assert answers(request_a) == {
        "lead_agency": Value(("social_care",)),
        "seen_alone": Value(("no",)),
    }
    assert revisions(request_a, "child_view")[-1] == (
        "child_view",
        "carl@north.example",
        {"options": ["yes"], "value": "", "comment": "Recorded in the assessment"},
        None,
        Source.WEB,
    )
    assert revisions(request_a, "child_words")[-1] == (
        "child_words",
        "carl@north.example",
        {"options": [], "value": "She wants to stay at her school", "comment": ""},
        None,
        Source.WEB,
    )
    assert fresh(request_a).status == RequestStatus.SUBMITTED


def test_a_comment_on_a_question_that_no_longer_applies_goes_too(world, request_a):
    save_answers(
        request_a,
        world.chris,
        {"lead_agency": "health", "seen_alone": "no", "child_view": Value(comment="n/a")},
    )
    return_submit(request=request_a, user=world.chris, expected_version=1)
    assert "child_view" not in answers(request_a)
    assert len(revisions(request_a, "child_view")) == 2


# Reopen, decline, inadmissible ------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
@pytest.mark.parametrize(
    ("action", "message"),
    [
        (request_reopen, "Enter the reason for reopening the return"),
        (request_decline, "Enter the reason for declining"),
        (request_inadmissible, "Enter the reason the return cannot be used"),
    ],
)
def test_a_reason_is_needed(world, request_a, action, message, reason):
    # A status each action is allowed from, so that only the reason is wrong.
    allowed = RequestStatus.IN_PROGRESS if action is request_decline else RequestStatus.SUBMITTED
    request = set_status(request_a, allowed)
    with pytest.raises(ValidationError) as error:
        action(request=request, user=world.lena, reason=reason)
    assert error.value.message_dict == {"reason": [message]}
    assert fresh(request).status == request.status
    assert kinds(request) == [EventKind.CREATED, EventKind.SENT]


@pytest.mark.parametrize(
    "status", [RequestStatus.SUBMITTED, RequestStatus.DECLINED, RequestStatus.INADMISSIBLE]
)
def test_the_lead_reopens_a_closed_return_with_a_reason(world, request_a, status):
    request = set_status(request_a, status)
    request_reopen(request=request, user=world.lena, reason="  Section 2 left blank ")
    reopened = fresh(request)
    assert reopened.status == RequestStatus.REOPENED
    assert reopened.reason == "Section 2 left blank"
    assert (reopened.submitted_at, reopened.submitted_by) == (None, None)
    assert reopened.version == request.version + 1
    assert reopened.due_date == DUE
    event = RequestEvent.objects.get(request=request, kind=EventKind.REOPENED)
    assert (event.by, event.note) == (world.lena, "Section 2 left blank")


def test_a_reopened_return_can_be_changed_and_submitted_again(world, request_a):
    complete(request_a, world.chris)
    request_reopen(
        request=request_a,
        user=world.lena,
        reason="Section 2 left blank",
        due_date=datetime.date(2030, 4, 12),
    )
    request = fresh(request_a)
    assert request.due_date == datetime.date(2030, 4, 12)
    assert (request.submitted_at, request.submitted_by) == (None, None)
    save_answers(request, world.chris, {"visits": "6"})
    assert fresh(request).status == RequestStatus.REOPENED
    return_submit(request=request, user=world.chris, expected_version=fresh(request).version)
    assert fresh(request).status == RequestStatus.SUBMITTED
    assert answers(request)["visits"] == Value(value="6")


@pytest.mark.parametrize(
    "status",
    [
        RequestStatus.NOT_SENT,
        RequestStatus.SENT,
        RequestStatus.IN_PROGRESS,
        RequestStatus.LATE,
        RequestStatus.REOPENED,
    ],
)
def test_only_a_closed_return_can_be_reopened(world, request_a, status):
    request = set_status(request_a, status)
    with pytest.raises(ValidationError) as error:
        request_reopen(request=request, user=world.lena, reason="Wrong child")
    assert error.value.messages == [
        "Only a submitted, declined or inadmissible return can be reopened"
    ]
    assert fresh(request).status == status
    assert EventKind.REOPENED not in kinds(request)


@pytest.mark.parametrize(
    "status",
    [RequestStatus.SENT, RequestStatus.IN_PROGRESS, RequestStatus.LATE, RequestStatus.REOPENED],
)
def test_the_agency_declines_a_request_it_is_waiting_on(world, request_a, status):
    request = set_status(request_a, status)
    request_decline(request=request, user=world.chris, reason="No involvement with this child")
    declined = fresh(request)
    assert (declined.status, declined.reason) == (
        RequestStatus.DECLINED,
        "No involvement with this child",
    )
    assert declined.version == request.version + 1
    event = RequestEvent.objects.get(request=request, kind=EventKind.DECLINED)
    assert (event.by, event.note) == (world.chris, "No involvement with this child")
    with pytest.raises(ReturnClosed):
        save_answers(declined, world.chris, {"visits": "1"})


@pytest.mark.parametrize(
    "status",
    [
        RequestStatus.NOT_SENT,
        RequestStatus.SUBMITTED,
        RequestStatus.DECLINED,
        RequestStatus.INADMISSIBLE,
    ],
)
def test_a_request_not_waiting_on_the_agency_cannot_be_declined(world, request_a, status):
    request = set_status(request_a, status)
    with pytest.raises(ValidationError) as error:
        request_decline(request=request, user=world.chris, reason="No involvement")
    assert error.value.messages == ["Only a return still waiting for the agency can be declined"]
    assert fresh(request).status == status


@pytest.mark.parametrize(
    "status",
    [RequestStatus.SUBMITTED, RequestStatus.SENT, RequestStatus.LATE, RequestStatus.DECLINED],
)
def test_the_lead_marks_a_return_inadmissible_with_a_reason(world, request_a, status):
    request = set_status(request_a, status)
    request_inadmissible(request=request, user=world.lena, reason="About the wrong period")
    marked = fresh(request)
    assert (marked.status, marked.reason) == (RequestStatus.INADMISSIBLE, "About the wrong period")
    event = RequestEvent.objects.get(request=request, kind=EventKind.INADMISSIBLE)
    assert (event.by, event.note) == (world.lena, "About the wrong period")


def test_an_unsent_request_cannot_be_inadmissible(world, created):
    request = request_for(created, "Child A", world.csc)
    with pytest.raises(ValidationError) as error:
        request_inadmissible(request=request, user=world.lena, reason="Wrong period")
    assert error.value.messages == ["A request that has not been sent cannot be inadmissible"]
    assert fresh(request).status == RequestStatus.NOT_SENT


# Chasing ---------------------------------------------------------------------------------------


def test_chasing_one_request_emails_its_assignee_now(world, sent, request_a):
    assert requests_chase(audit=sent, user=world.lena, requests=[request_a]) == 1

    assert [m.to for m in mail.outbox] == [["chris@north.example"]]
    message = mail.outbox[0]
    assert message.subject == f"[caseaudit] Reminder: audit return due 29 March 2030: {AUDIT_TITLE}"
    assert reverse("return_start", args=[request_a.pk]) in message.body
    event = RequestEvent.objects.get(kind=EventKind.CHASED)
    assert (event.request_id, event.by) == (request_a.pk, world.lena)
    assert fresh(request_a).last_chased_at is not None
    assert (
        not AuditRequest.objects.exclude(pk=request_a.pk)
        .filter(last_chased_at__isnull=False)
        .exists()
    )
    assert_no_identifying_details(mail.outbox)


def test_chasing_all_reaches_every_outstanding_request_with_an_assignee(world, sent):
    in_progress = request_for(sent, "Child A", world.csc)
    save_answers(in_progress, world.chris, {"visits": "2"})
    late = set_status(request_for(sent, "Child B", world.csc), RequestStatus.LATE)
    complete(request_for(sent, "Child C", world.health), world.hana)
    nobody = request_for(sent, "Child A", world.health)
    request_reassign(request=nobody, user=world.lena, assignee=None)
    request_set_agencies(
        audit=sent,
        case=sampled_case(sent, "Child D"),
        agencies=[world.csc],
        user=world.lena,
        due_date=DUE,
    )  # a new request, not sent yet
    mail.outbox.clear()

    assert requests_chase(audit=sent, user=world.lena) == 2

    assert set(
        RequestEvent.objects.filter(kind=EventKind.CHASED).values_list("request", flat=True)
    ) == {in_progress.pk, late.pk}
    assert [m.to for m in mail.outbox] == [["chris@north.example"]] * 2


def test_chasing_skips_returns_already_closed(world, sent):
    for request in AuditRequest.objects.filter(audit=sent):
        set_status(request, RequestStatus.DECLINED)
    assert requests_chase(audit=sent, user=world.lena) == 0
    assert mail.outbox == []
    assert not RequestEvent.objects.filter(kind=EventKind.CHASED).exists()


def test_chasing_skips_an_assignee_who_can_no_longer_sign_in(world, sent):
    world.hana.is_active = False
    world.hana.save()
    assert requests_chase(audit=sent, user=world.lena) == 2
    assert {m.to[0] for m in mail.outbox} == {"chris@north.example"}
    assert set(
        RequestEvent.objects.filter(kind=EventKind.CHASED).values_list("request__agency", flat=True)
    ) == {world.csc.pk}


# Tracker -----------------------------------------------------------------------------------------

TODAY = datetime.date(2030, 4, 3)  # after the due date


def submitted_on(request, day: datetime.date) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    AuditRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.SUBMITTED, submitted_at=moment
    )


def test_tracker_counts_every_state(world, sent):
    submitted_on(request_for(sent, "Child A", world.csc), DUE)
    submitted_on(request_for(sent, "Child A", world.health), DUE + datetime.timedelta(days=2))
    # Child B: still with the agency after the due date.
    set_status(request_for(sent, "Child C", world.health), RequestStatus.DECLINED)
    request_set_agencies(
        audit=sent,
        case=sampled_case(sent, "Child D"),
        agencies=[world.csc],
        user=world.lena,
        due_date=DUE,
    )

    counts = tracker_counts(AuditRequest.objects.filter(audit=sent), today=TODAY)

    assert counts == {
        "total": 5,
        "not_sent": 1,
        "sent": 4,
        "returned": 2,
        "returned_late": 1,
        "outstanding": 1,
        "late": 1,
        "declined": 1,
        "inadmissible": 0,
        "response_rate": 50.0,
    }


def test_late_is_outstanding_past_the_due_date_whatever_the_stored_status(world, sent):
    save_answers(request_for(sent, "Child A", world.csc), world.chris, {"visits": "1"})
    set_status(request_for(sent, "Child B", world.csc), RequestStatus.REOPENED)
    set_status(request_for(sent, "Child C", world.health), RequestStatus.LATE)
    requests = AuditRequest.objects.filter(audit=sent)

    assert tracker_counts(requests, today=DUE)["late"] == 0  # due today is not late
    assert tracker_counts(requests, today=DUE + datetime.timedelta(days=1))["late"] == 4

    # A late request given a later due date is no longer late.
    AuditRequest.objects.filter(status=RequestStatus.LATE).update(
        due_date=DUE + datetime.timedelta(days=10)
    )
    assert tracker_counts(requests, today=DUE + datetime.timedelta(days=1))["late"] == 3


def test_response_rate_is_returned_out_of_sent(world):
    audit = audit_with_locked_sample(world, children=many_children(45))
    requests_create(audit=audit, user=world.lena, due_date=DUE)
    requests_send(audit=audit, user=world.lena)
    returned = AuditRequest.objects.filter(audit=audit).order_by("pk")[:77]
    for request in returned:
        submitted_on(request, DUE)

    counts = tracker_counts(AuditRequest.objects.filter(audit=audit), today=TODAY)

    assert (counts["sent"], counts["returned"], counts["outstanding"]) == (90, 77, 13)
    assert counts["response_rate"] == 85.6


def test_response_rate_is_none_before_anything_is_sent(world, created):
    counts = tracker_counts(AuditRequest.objects.filter(audit=created), today=TODAY)
    assert (counts["total"], counts["not_sent"], counts["sent"]) == (4, 4, 0)
    assert counts["response_rate"] is None
