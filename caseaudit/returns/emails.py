"""Emails about requests. None of them contains a child's identifying details: they name the
audit, the agency and the due date, and link to the request, which shows the child only after
signing in."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.models import Membership
from caseaudit.accounts.roles import Role
from caseaudit.returns.models import AuditRequest, EventKind

SENT = EventKind.SENT
ASSIGNED = EventKind.REASSIGNED
CHASED = EventKind.CHASED

SUBJECTS = {
    EventKind.SENT: "Audit return requested: {audit}",
    EventKind.REASSIGNED: "Audit return assigned to you: {audit}",
    EventKind.CHASED: "Reminder: audit return due {due}: {audit}",
    EventKind.REMINDER_BEFORE: "Reminder: audit return due {due}: {audit}",
    EventKind.REMINDER_DUE: "Audit return due today: {audit}",
    EventKind.REMINDER_AFTER: "Audit return overdue since {due}: {audit}",
}

OVERDUE_BY_KIND = {
    EventKind.REMINDER_BEFORE: False,
    EventKind.REMINDER_DUE: False,
    EventKind.REMINDER_AFTER: True,
}


def enqueue(kind: str, request_ids: list[int]) -> None:
    if request_ids:
        from caseaudit.returns.tasks import send_request_emails

        send_request_emails.enqueue(kind=str(kind), request_ids=list(request_ids))


def enqueue_concern(concern_id: int) -> None:
    from caseaudit.returns.tasks import send_concern_email

    send_concern_email.enqueue(concern_id=concern_id)


def _link(name: str, pk: int) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(name, args=[pk])


def request_email(kind: str, request: AuditRequest) -> tuple[str, str, str, list[str]]:
    due = f"{request.due_date:%-d %B %Y}"
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + SUBJECTS[kind].format(
        audit=request.audit.title, due=due
    )
    body = render_to_string(
        "returns/email/request.txt",
        {
            "kind": kind,
            "request": request,
            "due": due,
            # A reminder's wording follows its kind, like its subject: the run may be for
            # another day than today (send_reminders --date) or wait in the task queue.
            "overdue": OVERDUE_BY_KIND.get(kind, request.due_date < timezone.localdate()),
            "link": _link("return_start", request.pk),
            "service_name": settings.SERVICE_NAME,
        },
    )
    return subject, body, settings.DEFAULT_FROM_EMAIL, [request.assignee.email]


def send_request_emails(kind: str, request_ids: list[int]) -> int:
    requests = AuditRequest.objects.filter(
        pk__in=request_ids, assignee__isnull=False, assignee__is_active=True
    ).select_related("audit", "audit__partnership", "agency", "assignee")
    messages = [request_email(kind, request) for request in requests]
    return send_mass_mail(messages, fail_silently=False)


def concern_recipients(audit) -> list[str]:
    """The partnership's audit leads; its admins when it has none."""
    for role in (Role.AUDIT_LEAD, Role.PARTNERSHIP_ADMIN):
        emails = list(
            Membership.objects.filter(
                partnership=audit.partnership, role=role, is_active=True, user__is_active=True
            ).values_list("user__email", flat=True)
        )
        if emails:
            return emails
    return []


def send_concern_email(concern_id: int) -> int:
    from caseaudit.concerns.models import CaseOfConcern

    concern = CaseOfConcern.objects.select_related(
        "audit", "audit__partnership", "request__agency", "raised_by", "sampled_case"
    ).get(pk=concern_id)
    recipients = concern_recipients(concern.audit)
    if not recipients:
        return 0
    subject = (
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + f"Immediate concern raised: act today: {concern.audit.title}"
    )
    body = render_to_string(
        "returns/email/concern.txt",
        {
            "concern": concern,
            "link": _link("return_start", concern.request_id)
            if concern.request_id
            else settings.BASE_URL,
            "service_name": settings.SERVICE_NAME,
        },
    )
    sent = send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients],
        fail_silently=False,
    )
    CaseOfConcern.objects.filter(pk=concern.pk).update(audit_lead_notified_at=timezone.now())
    return sent
