"""Requests to agencies and their returns: every write goes through a function here.

Saving a return is an optimistic check: the caller says which `version` of the return it last
saw, and the save happens only if that is still the latest (`UPDATE ... WHERE version = seen`),
so a second person saving from an older copy is refused and the newer answers are kept."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from caseaudit.accounts.models import Agency, Membership
from caseaudit.accounts.roles import Role
from caseaudit.audits.models import SampledCase
from caseaudit.concerns.models import (
    CaseOfConcern,
    ConcernEvent,
    ConcernEventKind,
    ConcernSource,
)
from caseaudit.questionnaires.models import Option, Question, QuestionType, TemplateVersion
from caseaudit.questionnaires.services import version_freeze
from caseaudit.returns.answers import Value, is_visible
from caseaudit.returns.models import (
    OUTSTANDING,
    Answer,
    AnswerRevision,
    AuditRequest,
    EventKind,
    ReminderSettings,
    RequestEvent,
    RequestStatus,
    Source,
)
from caseaudit.themes.models import CommentTheme


class SaveConflict(Exception):
    """Someone saved the return after the version the caller had."""

    def __init__(self, request: AuditRequest):
        self.request = request
        who = request.last_saved_by.get_full_name() if request.last_saved_by else "Someone else"
        when = timezone.localtime(request.last_saved_at) if request.last_saved_at else None
        at = f" at {when:%H:%M} on {when:%-d %B}" if when else ""
        super().__init__(
            f"{who} saved this return{at}, after you opened it. Your latest changes have not "
            "been saved, so that their answers are not overwritten. Check the answers below "
            "and make your changes again."
        )


class ReturnClosed(Exception):
    """The return cannot be changed: it was submitted, declined or marked inadmissible."""

    def __init__(self, request: AuditRequest):
        self.request = request
        super().__init__(
            f"This return is {request.get_status_display().lower()}, so it cannot be changed. "
            "Ask the audit lead to reopen it if something needs to change."
        )


# Reading answers ----------------------------------------------------------------------------


def current_values(request: AuditRequest, questions=None) -> dict[int, Value]:
    """The answers of a return as {question id: Value}, in one query."""
    rows = Answer.objects.filter(request=request).values_list(
        "question_id", "option__key", "text", "number", "date", "comment"
    )
    if questions is not None:
        rows = rows.filter(question__in=questions)
    options: dict[int, list[str]] = defaultdict(list)
    plain: dict[int, str] = {}
    comments: dict[int, str] = {}
    for question_id, option_key, text, number, date, comment in rows.order_by(
        "question_id", "option__order", "id"
    ):
        if option_key:
            options[question_id].append(option_key)
        elif number is not None:
            plain[question_id] = format(number.normalize(), "f")
        elif date is not None:
            plain[question_id] = date.isoformat()
        elif text:
            plain[question_id] = text
        if comment:
            comments[question_id] = comment
    ids = set(options) | set(plain) | set(comments)
    return {
        qid: Value(tuple(options.get(qid, ())), plain.get(qid, ""), comments.get(qid, ""))
        for qid in ids
    }


def _rows_for(request: AuditRequest, question: Question, value: Value, option_ids) -> list[Answer]:
    """The Answer rows that store `value`: one per chosen option; the comment on the first."""
    if value.is_empty:
        return []
    if question.is_choice:
        rows = [
            Answer(request=request, question=question, option_id=option_ids[(question.pk, key)])
            for key in value.options
        ] or [Answer(request=request, question=question)]
    else:
        row = Answer(request=request, question=question)
        if value.value:
            if question.type == "number":
                row.number = value.value
            elif question.type == "date":
                row.date = datetime.date.fromisoformat(value.value)
            else:
                row.text = value.value
        rows = [row]
    rows[0].comment = value.comment
    return rows


def _option_ids(questions: list[Question]) -> dict[tuple[int, str], int]:
    """(question id, option key) -> option id. Uses the options already prefetched on the
    questions (questions_of does) and asks the database only for the others."""
    option_ids, unfetched = {}, []
    for q in questions:
        cache = getattr(q, "_prefetched_objects_cache", {})
        if "options" in cache:
            option_ids.update({(q.pk, o.key): o.pk for o in cache["options"]})
        else:
            unfetched.append(q)
    if unfetched:
        option_ids.update(
            {
                (question_id, key): pk
                for pk, question_id, key in Option.objects.filter(
                    question__in=unfetched
                ).values_list("pk", "question_id", "key")
            }
        )
    return option_ids


def _comment_words(question: Question, value: Value) -> tuple[str, str]:
    """What the practice themes of a comment rest on: its comment and, for a free-text question,
    its text (as caseaudit.themes.services.comment_text reads them)."""
    return (value.comment, value.value if question.type == QuestionType.TEXT else "")


def _tags_to_keep(request, changed, before, values) -> list[CommentTheme]:
    """Rewriting a question's rows would drop the themes tagged on its comment. Where the words
    of the comment are the same as before (only the chosen option changed, say), the tags are
    kept and moved to the new first row; where the words changed they go, and the suggester
    looks at the new words afresh."""
    same = [
        q.pk
        for q in changed
        if q.pk in before
        and any(_comment_words(q, before[q.pk]))
        and not values[q].is_empty
        and _comment_words(q, before[q.pk]) == _comment_words(q, values[q])
    ]
    if not same:
        return []
    return list(
        CommentTheme.objects.filter(
            answer__request=request, answer__question_id__in=same
        ).select_related("answer")
    )


def _write_values(
    request: AuditRequest, user, values: dict[Question, Value], source: str
) -> list[Question]:
    """Replaces the rows of every question whose value changed and records a revision for
    each. Returns the questions that changed."""
    before = current_values(request, questions=[q.pk for q in values])
    changed = [q for q, value in values.items() if before.get(q.pk, Value()) != value]
    if not changed:
        return []
    option_ids = _option_ids(changed)
    kept_tags = _tags_to_keep(request, changed, before, values)
    Answer.objects.filter(request=request, question__in=changed).delete()
    rows = {q.pk: _rows_for(request, q, values[q], option_ids) for q in changed}
    Answer.objects.bulk_create(row for question_rows in rows.values() for row in question_rows)
    if kept_tags:
        for tag in kept_tags:
            tag.pk, tag.answer = None, rows[tag.answer.question_id][0]
        CommentTheme.objects.bulk_create(kept_tags)
    now = timezone.now()
    AnswerRevision.objects.bulk_create(
        AnswerRevision(
            request=request,
            question=q,
            changed_by=user,
            changed_at=now,
            old=before[q.pk].as_json() if q.pk in before else None,
            new=None if values[q].is_empty else values[q].as_json(),
            source=source,
        )
        for q in changed
    )
    return changed


def _claim_version(request: AuditRequest, user, expected_version: int, **changes) -> int:
    """Moves the return on one version if it is still at `expected_version` and open; raises
    SaveConflict or ReturnClosed otherwise. Runs inside the caller's transaction."""
    now = timezone.now()
    updated = AuditRequest.objects.filter(
        pk=request.pk, version=expected_version, status__in=OUTSTANDING
    ).update(version=F("version") + 1, last_saved_at=now, last_saved_by=user, **changes)
    if not updated:
        fresh = AuditRequest.objects.select_related("last_saved_by").get(pk=request.pk)
        if fresh.status not in OUTSTANDING:
            raise ReturnClosed(fresh)
        raise SaveConflict(fresh)
    # The update matched only at `expected_version`, so the row now holds exactly these
    # values; set them here instead of reading the row back.
    request.version = expected_version + 1
    request.last_saved_at = now
    request.last_saved_by = user
    for name, value in changes.items():
        setattr(request, name, value)
    return request.version


@dataclass
class SaveResult:
    version: int
    changed: list[str] = field(default_factory=list)
    saved_at: datetime.datetime | None = None


def answers_save(
    *,
    request: AuditRequest,
    user,
    values: dict[Question, Value],
    expected_version: int,
    source: str = Source.WEB,
) -> SaveResult:
    """Saves the given answers (only those questions; others are left as they are). The values
    must already be checked (answers.check_value or the section form)."""
    with transaction.atomic():
        status_change = (
            {"status": RequestStatus.IN_PROGRESS} if request.status == RequestStatus.SENT else {}
        )
        version = _claim_version(request, user, expected_version, **status_change)
        changed = _write_values(request, user, values, source)
    return SaveResult(version, [q.key for q in changed], request.last_saved_at)


def questions_of(request: AuditRequest) -> list[Question]:
    return list(
        Question.objects.filter(version=request.template_version)
        .select_related("section")
        .prefetch_related("options")
        .order_by("section__order", "order", "id")
    )


def visible_questions(questions: list[Question], values: dict[int, Value]) -> list[Question]:
    by_id = {q.pk: q for q in questions}
    by_key = {q.key: values.get(q.pk, Value()) for q in questions}
    return [q for q in questions if is_visible(q, by_key, by_id)]


def missing_answers(request: AuditRequest) -> list[Question]:
    """Required questions that apply (given the answers) and have no answer yet."""
    questions = questions_of(request)
    values = current_values(request)
    return [
        q
        for q in visible_questions(questions, values)
        if q.required and not values.get(q.pk, Value()).is_answered
    ]


class MissingAnswers(ValidationError):
    def __init__(self, questions: list[Question]):
        self.questions = questions
        super().__init__([f"Answer the question: {q.text}" for q in questions])


def return_submit(*, request: AuditRequest, user, expected_version: int) -> None:
    """Locks the return. Answers to questions that no longer apply (their show-if is not met)
    are removed first, with a revision each, so the statistics never count them. The audit's
    kept statistics counts that were up to date get this return's counts added
    (analysis.statistics.count_submitted), so the figures need not be counted again."""
    from caseaudit.analysis.statistics import count_submitted, hold_counts

    with transaction.atomic():
        before = hold_counts(request.audit_id)
        missing = missing_answers(request)
        if missing:
            raise MissingAnswers(missing)
        now = timezone.now()
        _claim_version(
            request,
            user,
            expected_version,
            status=RequestStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=user,
        )
        questions = questions_of(request)
        values = current_values(request)
        shown = {q.pk for q in visible_questions(questions, values)}
        stale = {q: Value() for q in questions if q.pk in values and q.pk not in shown}
        _write_values(request, user, stale, Source.WEB)
        RequestEvent.objects.create(request=request, kind=EventKind.SUBMITTED, by=user, at=now)
        count_submitted(request, before)


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": f"Enter the reason {what}"})
    return reason


def _set_status(request: AuditRequest, user, status: str, kind: str, note: str = "", **extra):
    AuditRequest.objects.filter(pk=request.pk).update(
        status=status, version=F("version") + 1, **extra
    )
    RequestEvent.objects.create(request=request, kind=kind, by=user, note=note)
    request.refresh_from_db()


@transaction.atomic
def request_reopen(*, request: AuditRequest, user, reason: str, due_date=None) -> None:
    reason = _reason(reason, "for reopening the return")
    request = AuditRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (
        RequestStatus.SUBMITTED,
        RequestStatus.DECLINED,
        RequestStatus.INADMISSIBLE,
    ):
        raise ValidationError("Only a submitted, declined or inadmissible return can be reopened")
    extra = {"reason": reason, "submitted_at": None, "submitted_by": None}
    if due_date:
        extra["due_date"] = due_date
    _set_status(request, user, RequestStatus.REOPENED, EventKind.REOPENED, reason, **extra)


@transaction.atomic
def request_decline(*, request: AuditRequest, user, reason: str) -> None:
    """The agency has nothing to return, for example no involvement with this child."""
    reason = _reason(reason, "for declining")
    request = AuditRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in OUTSTANDING:
        raise ValidationError("Only a return still waiting for the agency can be declined")
    _set_status(request, user, RequestStatus.DECLINED, EventKind.DECLINED, reason, reason=reason)


@transaction.atomic
def request_inadmissible(*, request: AuditRequest, user, reason: str) -> None:
    """The audit lead cannot use the return, for example it is about the wrong period."""
    reason = _reason(reason, "the return cannot be used")
    request = AuditRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == RequestStatus.NOT_SENT:
        raise ValidationError("A request that has not been sent cannot be inadmissible")
    _set_status(
        request, user, RequestStatus.INADMISSIBLE, EventKind.INADMISSIBLE, reason, reason=reason
    )


# Creating and sending requests ----------------------------------------------------------------


def agency_auditors(agency: Agency, partnership) -> list:
    """People who may complete returns for `agency` in `partnership`."""
    return [
        m.user
        for m in Membership.objects.filter(
            partnership=partnership, agency=agency, role=Role.AGENCY_AUDITOR, is_active=True
        ).select_related("user")
        if m.user.is_active
    ]


def involved_agencies(audit, case_agencies: list[str]) -> list[Agency]:
    """The audit's agencies named (by name or code) in the import's `agencies` column."""
    wanted = {item.strip().lower() for item in case_agencies if item.strip()}
    return [
        agency
        for agency in audit.agencies.all()
        if agency.name.lower() in wanted or (agency.code and agency.code.lower() in wanted)
    ]


def active_cases(audit):
    return SampledCase.objects.filter(sample__audit=audit, removed_at=None).defer(
        "case__name", "case__date_of_birth", "case__child_id"
    )


@transaction.atomic
def requests_create(*, audit, user, due_date: datetime.date) -> int:
    """One request per child in the locked sample per agency of the audit named in the child's
    `agencies`. Pairs that already have a request are left alone. Returns how many were made."""
    sample = getattr(audit, "sample", None)
    if sample is None or not sample.is_locked:
        raise ValidationError("Lock the sample before creating requests")
    if audit.template_version_id is None:
        raise ValidationError("Choose the audit template before creating requests")
    existing = set(AuditRequest.objects.filter(audit=audit).values_list("sampled_case", "agency"))
    defaults = {}
    made = []
    cases = active_cases(audit).select_related("case").only("pk", "case__agencies")
    for case in cases:
        for agency in involved_agencies(audit, case.case.agencies):
            if (case.pk, agency.pk) in existing:
                continue
            if agency.pk not in defaults:
                people = agency_auditors(agency, audit.partnership)
                defaults[agency.pk] = people[0] if len(people) == 1 else None
            made.append(
                AuditRequest(
                    audit=audit,
                    sampled_case=case,
                    agency=agency,
                    template_version_id=audit.template_version_id,
                    assignee=defaults[agency.pk],
                    due_date=due_date,
                )
            )
    AuditRequest.objects.bulk_create(made)
    created = AuditRequest.objects.filter(audit=audit, events__isnull=True)
    RequestEvent.objects.bulk_create(
        RequestEvent(request=r, kind=EventKind.CREATED, by=user) for r in created
    )
    return len(made)


@transaction.atomic
def request_set_agencies(*, audit, case: SampledCase, agencies, user, due_date) -> None:
    """Sets which agencies are asked about one child: adds requests for newly ticked agencies
    and removes unsent requests for unticked ones (a sent request is never removed)."""
    if audit.template_version_id is None:
        raise ValidationError("Choose the audit template before creating requests")
    wanted = {a.pk for a in agencies}
    current = {r.agency_id: r for r in AuditRequest.objects.filter(sampled_case=case)}
    kept_sent = [
        r for pk, r in current.items() if pk not in wanted and r.status != RequestStatus.NOT_SENT
    ]
    if kept_sent:
        names = ", ".join(r.agency.name for r in kept_sent)
        raise ValidationError(
            f"A request has already been sent to {names}. Ask them to decline it instead."
        )
    AuditRequest.objects.filter(sampled_case=case, status=RequestStatus.NOT_SENT).exclude(
        agency__in=wanted
    ).delete()
    for agency in agencies:
        if agency.pk in current:
            continue
        people = agency_auditors(agency, audit.partnership)
        request = AuditRequest.objects.create(
            audit=audit,
            sampled_case=case,
            agency=agency,
            template_version_id=audit.template_version_id,
            assignee=people[0] if len(people) == 1 else None,
            due_date=due_date,
        )
        RequestEvent.objects.create(request=request, kind=EventKind.CREATED, by=user)


def request_reassign(*, request: AuditRequest, user, assignee) -> None:
    """A new assignee in the request's own agency. The caller checks who may do this."""
    if assignee is not None and assignee not in agency_auditors(
        request.agency, request.audit.partnership
    ):
        raise ValidationError({"assignee": f"Select someone who audits for {request.agency}"})
    with transaction.atomic():
        AuditRequest.objects.filter(pk=request.pk).update(assignee=assignee)
        RequestEvent.objects.create(
            request=request,
            kind=EventKind.REASSIGNED,
            by=user,
            note=assignee.get_full_name() if assignee else "Nobody",
        )
    request.refresh_from_db()
    if assignee is not None and request.status != RequestStatus.NOT_SENT:
        from caseaudit.returns import emails

        emails.enqueue(emails.ASSIGNED, [request.pk])


def request_set_due_date(*, request: AuditRequest, user, due_date: datetime.date) -> None:
    """A new due date. A request marked late whose new date is today or later is no longer
    late: it goes back to in progress (answers saved) or sent."""
    with transaction.atomic():
        changes = {"due_date": due_date}
        if request.status == RequestStatus.LATE and due_date >= timezone.localdate():
            has_answers = Answer.objects.filter(request=request).exists()
            changes["status"] = RequestStatus.IN_PROGRESS if has_answers else RequestStatus.SENT
        AuditRequest.objects.filter(pk=request.pk).update(**changes)
        RequestEvent.objects.create(
            request=request, kind=EventKind.DUE_DATE_CHANGED, by=user, note=f"{due_date:%-d %B %Y}"
        )
    request.refresh_from_db()


@dataclass
class SendResult:
    sent: int
    without_assignee: int


def requests_send(*, audit, user, requests=None) -> SendResult:
    """Sends unsent requests that have an assignee (all of the audit's, or those given), freezes
    the template version and emails each assignee a link. Requests with nobody assigned stay
    unsent and are counted so the page can say so."""
    from caseaudit.returns import emails

    with transaction.atomic():
        pending = AuditRequest.objects.select_for_update().filter(
            audit=audit, status=RequestStatus.NOT_SENT
        )
        if requests is not None:
            pending = pending.filter(pk__in=[r.pk for r in requests])
        pending = list(pending)
        ready = [r for r in pending if r.assignee_id]
        now = timezone.now()
        for version in TemplateVersion.objects.filter(
            pk__in={r.template_version_id for r in ready}
        ):
            version_freeze(version)
        AuditRequest.objects.filter(pk__in=[r.pk for r in ready]).update(
            status=RequestStatus.SENT, sent_at=now
        )
        RequestEvent.objects.bulk_create(
            RequestEvent(request=r, kind=EventKind.SENT, by=user, at=now) for r in ready
        )
    emails.enqueue(emails.SENT, [r.pk for r in ready])
    return SendResult(len(ready), len(pending) - len(ready))


def requests_chase(*, audit, user, requests=None) -> int:
    """'Chase': a reminder now to the assignee of each outstanding request (all of the audit's
    or those given). Returns how many were chased."""
    from caseaudit.returns import emails

    # An assignee who can no longer sign in gets no email (see emails.send_request_emails), so
    # their requests are not counted or recorded as chased.
    outstanding = AuditRequest.objects.filter(
        audit=audit, status__in=OUTSTANDING, assignee__isnull=False, assignee__is_active=True
    )
    if requests is not None:
        outstanding = outstanding.filter(pk__in=[r.pk for r in requests])
    ids = list(outstanding.values_list("pk", flat=True))
    now = timezone.now()
    with transaction.atomic():
        AuditRequest.objects.filter(pk__in=ids).update(last_chased_at=now)
        RequestEvent.objects.bulk_create(
            RequestEvent(request_id=pk, kind=EventKind.CHASED, by=user, at=now) for pk in ids
        )
    emails.enqueue(emails.CHASED, ids)
    return len(ids)


# Reminders -------------------------------------------------------------------------------------


def reminder_settings(audit) -> ReminderSettings:
    settings, _ = ReminderSettings.objects.get_or_create(audit=audit)
    return settings


def reminder_due(
    request: AuditRequest, settings: ReminderSettings, today: datetime.date, sent: dict
) -> str | None:
    """Which reminder, if any, `request` should get today. `sent` maps a reminder kind to the
    latest date it went for this request. A day the task did not run is caught up: a missed
    'before' reminder goes on a later day before the due date, a missed 'after' on the next run."""
    due = request.due_date
    if settings.before_days and due - datetime.timedelta(days=settings.before_days) <= today < due:
        return None if EventKind.REMINDER_BEFORE in sent else EventKind.REMINDER_BEFORE
    if today == due:
        wanted = settings.on_due_date and EventKind.REMINDER_DUE not in sent
        return EventKind.REMINDER_DUE if wanted else None
    first_after = due + datetime.timedelta(days=settings.after_days or 1)
    if today >= first_after:
        last = sent.get(EventKind.REMINDER_AFTER)
        if last is None:
            return EventKind.REMINDER_AFTER
        every = settings.after_every_days
        if every and (today - last).days >= every:
            return EventKind.REMINDER_AFTER
    return None


def reminders_send(today: datetime.date | None = None) -> dict[str, int]:
    """The nightly job: marks outstanding requests past their due date late, and sends each
    reminder that is due today. Safe to run more than once a day: a reminder is recorded before
    its email is queued, and the database refuses a second record for the same day."""
    from caseaudit.returns import emails

    today = today or timezone.localdate()
    late = AuditRequest.objects.filter(
        status__in=[RequestStatus.SENT, RequestStatus.IN_PROGRESS], due_date__lt=today
    )
    late_ids = list(late.values_list("pk", flat=True))
    with transaction.atomic():
        AuditRequest.objects.filter(pk__in=late_ids).update(status=RequestStatus.LATE)
        RequestEvent.objects.bulk_create(
            RequestEvent(request_id=pk, kind=EventKind.MARKED_LATE) for pk in late_ids
        )
    counts = {"marked_late": len(late_ids)}
    outstanding = AuditRequest.objects.filter(
        status__in=OUTSTANDING, assignee__isnull=False, assignee__is_active=True
    ).select_related("audit")
    sent: dict[int, dict] = defaultdict(dict)
    for request_id, kind, day in (
        RequestEvent.objects.filter(request__in=outstanding, reminder_date__isnull=False)
        .order_by("reminder_date")
        .values_list("request_id", "kind", "reminder_date")
    ):
        sent[request_id][kind] = day
    settings_by_audit: dict[int, ReminderSettings] = {}
    to_send: dict[str, list[int]] = defaultdict(list)
    for request in outstanding:
        if request.audit_id not in settings_by_audit:
            settings_by_audit[request.audit_id] = reminder_settings(request.audit)
        kind = reminder_due(request, settings_by_audit[request.audit_id], today, sent[request.pk])
        if kind is None:
            continue
        try:
            with transaction.atomic():
                RequestEvent.objects.create(request=request, kind=kind, reminder_date=today)
        except IntegrityError:
            continue  # another run sent it already today
        to_send[kind].append(request.pk)
    for kind, ids in to_send.items():
        emails.enqueue(kind, ids)
        counts[kind] = len(ids)
    return counts


# Immediate concern -------------------------------------------------------------------------------


def concern_raise(*, request: AuditRequest, user, description: str) -> CaseOfConcern:
    """An auditor says the child may be at risk now. Opens a Case of Concern and emails the
    audit lead at once (the email names no child: it links to the case)."""
    from caseaudit.returns import emails

    description = (description or "").strip()
    if not description:
        raise ValidationError(
            {"description": "Describe what makes you think the child may be at risk now"}
        )
    with transaction.atomic():
        concern = CaseOfConcern.objects.create(
            audit=request.audit,
            sampled_case=request.sampled_case,
            request=request,
            source=ConcernSource.RETURN_FLAG,
            description=description,
            raised_by=user,
        )
        RequestEvent.objects.create(request=request, kind=EventKind.CONCERN, by=user)
        ConcernEvent.objects.create(
            concern=concern, kind=ConcernEventKind.RAISED, by=user, note="Flagged on a return"
        )
    emails.enqueue_concern(concern.pk)
    return concern


# Tracker ---------------------------------------------------------------------------------------


def tracker_counts(requests, today: datetime.date | None = None) -> dict[str, int]:
    """Counts for a set of requests, worked out by the database."""
    from django.db.models import Count

    today = today or timezone.localdate()
    sent = ~Q(status=RequestStatus.NOT_SENT)
    counts = requests.aggregate(
        total=Count("pk"),
        not_sent=Count("pk", filter=Q(status=RequestStatus.NOT_SENT)),
        sent=Count("pk", filter=sent),
        returned=Count("pk", filter=Q(status=RequestStatus.SUBMITTED)),
        returned_late=Count(
            "pk", filter=Q(status=RequestStatus.SUBMITTED, submitted_at__date__gt=F("due_date"))
        ),
        outstanding=Count("pk", filter=Q(status__in=OUTSTANDING)),
        late=Count("pk", filter=Q(status__in=OUTSTANDING, due_date__lt=today)),
        declined=Count("pk", filter=Q(status=RequestStatus.DECLINED)),
        inadmissible=Count("pk", filter=Q(status=RequestStatus.INADMISSIBLE)),
    )
    counts["response_rate"] = (
        round(100 * counts["returned"] / counts["sent"], 1) if counts["sent"] else None
    )
    return counts
