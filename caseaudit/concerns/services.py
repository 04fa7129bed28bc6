"""Writes for Cases of Concern: raise (from a sampled case), set the category, review, close.
Each step is time-stamped in ConcernEvent. A category 1 concern notifies every senior manager of
the partnership at once, by email whatever their digest choice."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.models import Membership
from caseaudit.accounts.roles import Role
from caseaudit.concerns.models import (
    CaseOfConcern,
    ConcernCategory,
    ConcernEvent,
    ConcernEventKind,
    ConcernSource,
    ConcernStatus,
)
from caseaudit.notifications.models import NotificationKind
from caseaudit.notifications.services import notify


def review_due_for(category: int | None, raised_on: datetime.date) -> datetime.date | None:
    """Days to the senior manager's review: CASEAUDIT_CONCERN_REVIEW_DAYS_1 and _2."""
    if category is None:
        return None
    days = (
        settings.CONCERN_REVIEW_DAYS_CATEGORY_1
        if category == ConcernCategory.ONE
        else settings.CONCERN_REVIEW_DAYS_CATEGORY_2
    )
    return raised_on + datetime.timedelta(days=days)


def senior_managers(partnership) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            partnership=partnership,
            role=Role.SENIOR_MANAGER,
            is_active=True,
            user__is_active=True,
        ).select_related("user")
    ]


def _event(concern: CaseOfConcern, kind: str, user=None, note: str = "") -> ConcernEvent:
    return ConcernEvent.objects.create(concern=concern, kind=kind, by=user, note=note[:500])


def _notify_category_one(concern: CaseOfConcern) -> None:
    """Emails and notifies the senior managers at once (the email names no child)."""
    recipients = senior_managers(concern.audit.partnership)
    notify(
        users=recipients,
        partnership=concern.audit.partnership,
        kind=NotificationKind.CONCERN_CATEGORY_ONE,
        message=(
            f"Category 1 Case of Concern: act today ({concern.sampled_case.pseudonym}, "
            f"{concern.audit.title})"
        ),
        link=reverse("concern_detail", args=[concern.pk]),
        urgent=True,
        dedupe_key=f"concern-{concern.pk}-category-one",
    )
    now = timezone.now()
    CaseOfConcern.objects.filter(pk=concern.pk).update(senior_managers_notified_at=now)
    concern.senior_managers_notified_at = now
    _event(
        concern,
        ConcernEventKind.SENIOR_MANAGERS_EMAILED,
        note=f"{len(recipients)} senior manager(s)",
    )


def concern_open(
    *,
    sampled_case,
    user,
    source: str,
    category: int,
    description: str,
    review_due: datetime.date | None = None,
) -> CaseOfConcern:
    """The audit lead or a moderator opens a Case of Concern from a sampled case."""
    description = (description or "").strip()
    errors = {}
    if not description:
        errors["description"] = "Describe the concern"
    if category not in ConcernCategory.values:
        errors["category"] = "Select the category"
    if source not in (ConcernSource.AUDIT_LEAD, ConcernSource.MODERATOR):
        errors["source"] = "Only the audit lead or a moderator opens a concern here"
    if sampled_case.removed_at is not None:
        errors["sampled_case"] = "Select a child who is still in the sample"
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic():
        concern = CaseOfConcern.objects.create(
            audit=sampled_case.sample.audit,
            sampled_case=sampled_case,
            source=source,
            category=category,
            description=description,
            raised_by=user,
            review_due=review_due or review_due_for(category, today),
        )
        _event(concern, ConcernEventKind.RAISED, user, f"Category {category}")
    if category == ConcernCategory.ONE:
        _notify_category_one(concern)
    return concern


def concern_categorise(
    *, concern: CaseOfConcern, user, category: int, review_due: datetime.date | None = None
) -> CaseOfConcern:
    """Sets (or changes) the category of an open concern, such as a flag from a return. The
    first time it becomes category 1 the senior managers are told at once."""
    if concern.status == ConcernStatus.CLOSED:
        raise ValidationError("This Case of Concern is closed")
    if category not in ConcernCategory.values:
        raise ValidationError({"category": "Select the category"})
    concern.category = category
    concern.review_due = review_due or review_due_for(
        category, timezone.localtime(concern.raised_at).date()
    )
    concern.save(update_fields=["category", "review_due"])
    _event(concern, ConcernEventKind.CATEGORISED, user, f"Category {category}")
    if category == ConcernCategory.ONE and concern.senior_managers_notified_at is None:
        _notify_category_one(concern)
    return concern


def concern_review(
    *,
    concern: CaseOfConcern,
    user,
    action_taken: str,
    assurance: str,
    review_date: datetime.date,
) -> CaseOfConcern:
    """The senior manager records what was done and the assurance given."""
    errors = {}
    if concern.status == ConcernStatus.CLOSED:
        raise ValidationError("This Case of Concern is closed")
    if concern.category is None:
        errors["__all__"] = "The audit lead must set the category before the review"
    if not (action_taken or "").strip():
        errors["action_taken"] = "Enter what was done"
    if not (assurance or "").strip():
        errors["assurance"] = "Enter the assurance given"
    if review_date and review_date > timezone.localdate():
        errors["review_date"] = "The date of the review must be today or in the past"
    if errors:
        raise ValidationError(errors)
    concern.review_action_taken = action_taken.strip()
    concern.review_assurance = assurance.strip()
    concern.review_date = review_date
    concern.reviewed_by = user
    concern.reviewed_at = timezone.now()
    concern.status = ConcernStatus.REVIEWED
    with transaction.atomic():
        concern.save()
        _event(concern, ConcernEventKind.REVIEWED, user)
    return concern


def concern_close(
    *, concern: CaseOfConcern, user, signed_off_name: str, signed_off_role: str, note: str = ""
) -> CaseOfConcern:
    """Closure, signed off by a named person in a named role (the seed's Improvement
    Director). Only a reviewed concern can be closed."""
    errors = {}
    if concern.status != ConcernStatus.REVIEWED:
        errors["__all__"] = "A senior manager must review the case before it is closed"
    if not (signed_off_name or "").strip():
        errors["signed_off_name"] = "Enter the name of the person signing off"
    if not (signed_off_role or "").strip():
        errors["signed_off_role"] = "Enter the role of the person signing off"
    if errors:
        raise ValidationError(errors)
    concern.signed_off_name = signed_off_name.strip()
    concern.signed_off_role = signed_off_role.strip()
    concern.closure_note = (note or "").strip()
    concern.closed_by = user
    concern.closed_at = timezone.now()
    concern.status = ConcernStatus.CLOSED
    with transaction.atomic():
        concern.save()
        _event(
            concern,
            ConcernEventKind.CLOSED,
            user,
            f"Signed off by {concern.signed_off_name}, {concern.signed_off_role}",
        )
    return concern


def review_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Tells the senior managers about reviews due today or tomorrow, and about reviews past
    their due date (once each: the notification's dedupe key remembers)."""
    today = today or timezone.localdate()
    counts = {"review_due": 0, "review_overdue": 0}
    open_concerns = CaseOfConcern.objects.filter(
        status=ConcernStatus.OPEN, review_due__isnull=False
    ).select_related("audit__partnership", "sampled_case")
    soon = open_concerns.filter(
        review_due__gte=today, review_due__lte=today + datetime.timedelta(days=1)
    )
    overdue = open_concerns.filter(review_due__lt=today)
    for kind, concerns, label in (
        (NotificationKind.CONCERN_REVIEW_DUE, soon, "review_due"),
        (NotificationKind.CONCERN_REVIEW_OVERDUE, overdue, "review_overdue"),
    ):
        for concern in concerns:
            wording = "due" if label == "review_due" else "overdue since"
            sent = notify(
                users=senior_managers(concern.audit.partnership),
                partnership=concern.audit.partnership,
                kind=kind,
                message=(
                    f"Case of Concern review {wording} {concern.review_due:%-d %B %Y} "
                    f"({concern.sampled_case.pseudonym}, {concern.audit.title})"
                ),
                link=reverse("concern_detail", args=[concern.pk]),
                dedupe_key=f"concern-{concern.pk}-{label}",
            )
            counts[label] += bool(sent)
    return counts
