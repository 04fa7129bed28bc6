"""Writes for actions: create, complete with evidence, cancel with a reason, and the reminder
run (before the due date to the owner; once overdue to the owner and their senior manager)."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.models import Membership
from caseaudit.accounts.roles import Role
from caseaudit.actions.models import Action, ActionReminder, ActionStatus, ReminderKind
from caseaudit.notifications.models import NotificationKind
from caseaudit.notifications.services import notify

# People who cannot own an action: board viewers only read published figures.
NOT_OWNERS = (Role.BOARD_VIEWER,)


def owner_choices(partnership):
    return (
        Membership.objects.filter(partnership=partnership, is_active=True, user__is_active=True)
        .exclude(role__in=NOT_OWNERS)
        .select_related("user", "agency")
        .order_by("user__full_name", "user__email")
    )


def senior_manager_choices(partnership):
    return owner_choices(partnership).filter(role=Role.SENIOR_MANAGER)


def _label(action: Action) -> str:
    if action.sampled_case_id:
        return f" ({action.sampled_case.pseudonym})"
    return ""


def action_create(
    *,
    partnership,
    user,
    owner: Membership,
    what: str,
    due_date: datetime.date,
    success_measure: str,
    escalate_to: Membership | None = None,
    sampled_case=None,
    concern=None,
    source=None,
    originated_on: datetime.date | None = None,
    notify_owner: bool = True,
) -> Action:
    """`source` is any other object the action comes from (a recommendation)."""
    today = timezone.localdate()
    errors = {}
    if not (what or "").strip():
        errors["what"] = "Enter what must be done"
    if not (success_measure or "").strip():
        errors["success_measure"] = "Enter how we will know it made a difference"
    if owner is None or owner.partnership_id != partnership.pk or not owner.is_active:
        errors["owner"] = "Select the person who owns the action"
    elif owner.role in NOT_OWNERS:
        errors["owner"] = "Select someone who can own an action"
    if escalate_to is not None and (
        escalate_to.partnership_id != partnership.pk or escalate_to.role != Role.SENIOR_MANAGER
    ):
        errors["escalate_to"] = "Select a senior manager of this partnership"
    if due_date is None:
        errors["due_date"] = "Enter the due date"
    elif due_date < (originated_on or today):
        errors["due_date"] = "The due date must be today or in the future"
    if errors:
        raise ValidationError(errors)
    if source is not None:
        _check_source(source, partnership)
    if concern is not None:
        sampled_case = sampled_case or concern.sampled_case
    audit = None
    if sampled_case is not None:
        audit = sampled_case.sample.audit
    elif concern is not None:
        audit = concern.audit
    elif source is not None:
        audit = getattr(source, "audit", None)
    action = Action(
        partnership=partnership,
        audit=audit,
        sampled_case=sampled_case,
        concern=concern,
        what=what.strip(),
        owner=owner,
        escalate_to=escalate_to,
        due_date=due_date,
        success_measure=success_measure.strip(),
        originated_on=originated_on or today,
        created_by=user,
    )
    if source is not None:
        action.source_type = ContentType.objects.get_for_model(source)
        action.source_id = source.pk
    with transaction.atomic():
        action.save()
        if concern is not None:
            from caseaudit.concerns.models import ConcernEvent, ConcernEventKind

            ConcernEvent.objects.create(
                concern=concern, kind=ConcernEventKind.ACTION_ADDED, by=user, note=action.what[:500]
            )
    if notify_owner:
        notify(
            users=[owner.user],
            partnership=partnership,
            kind=NotificationKind.ACTION_ASSIGNED,
            message=f"Action assigned to you, due {due_date:%-d %B %Y}{_label(action)}",
            link=reverse("action_detail", args=[action.pk]),
            dedupe_key=f"action-{action.pk}-assigned",
        )
    return action


def _check_source(source, partnership) -> None:
    audit = getattr(source, "audit", None)
    if audit is None or audit.partnership_id != partnership.pk:
        raise ValidationError("The recommendation is not one of this partnership's")


def actions_for_source(actions, source):
    """The actions (of the given queryset) that answer `source`, such as a recommendation."""
    return actions.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )


def actions_linkable_to(actions, source):
    """Open actions of the given queryset that answer nothing else yet: the ones that can be
    linked to `source`."""
    return actions.filter(
        partnership=source.audit.partnership, status=ActionStatus.OPEN, source_type=None
    )


def action_link_source(*, action: Action, source, user) -> Action:
    """Record that an existing action answers `source` (a recommendation). An action answers
    one recommendation at most; a closed action cannot be linked."""
    _check_source(source, action.partnership)
    if action.source_type_id is not None:
        if (
            action.source_id == source.pk
            and action.source_type == ContentType.objects.get_for_model(source)
        ):
            return action
        raise ValidationError({"action": "That action already answers another recommendation"})
    if action.status != ActionStatus.OPEN:
        raise ValidationError({"action": "Only an open action can be linked"})
    action.source_type = ContentType.objects.get_for_model(source)
    action.source_id = source.pk
    if action.audit_id is None:
        action.audit = source.audit
    action.save(update_fields=["source_type", "source_id", "audit"])
    return action


def action_unlink_source(*, action: Action, user) -> Action:
    """The action stays as it is; it no longer answers the recommendation."""
    action.source_type = None
    action.source_id = None
    action.save(update_fields=["source_type", "source_id"])
    return action


def source_deleted(source) -> int:
    """Before a recommendation is deleted: its actions stay, answering nothing."""
    return Action.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).update(source_type=None, source_id=None)


def action_complete(*, action: Action, user, evidence: str) -> Action:
    if action.status != ActionStatus.OPEN:
        raise ValidationError("Only an open action can be completed")
    if not (evidence or "").strip():
        raise ValidationError({"evidence": "Enter the evidence that the action is done"})
    action.status = ActionStatus.COMPLETED
    action.completion_evidence = evidence.strip()
    action.completed_by = user
    action.completed_at = timezone.now()
    action.save(update_fields=["status", "completion_evidence", "completed_by", "completed_at"])
    return action


def action_cancel(*, action: Action, user, reason: str) -> Action:
    if action.status != ActionStatus.OPEN:
        raise ValidationError("Only an open action can be cancelled")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the action is cancelled"})
    action.status = ActionStatus.CANCELLED
    action.cancel_reason = reason.strip()
    action.cancelled_by = user
    action.cancelled_at = timezone.now()
    action.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at"])
    return action


def escalation_recipients(action: Action) -> list:
    """The owner's senior manager when named, else every senior manager of the partnership."""
    if action.escalate_to_id and action.escalate_to.is_active:
        return [action.escalate_to.user]
    return [m.user for m in senior_manager_choices(action.partnership)]


def _claim(action: Action, kind: str, today: datetime.date) -> bool:
    try:
        with transaction.atomic():
            ActionReminder.objects.create(action=action, kind=kind, run_date=today)
    except IntegrityError:
        return False
    return True


def reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """Once per action: a reminder to the owner ACTION_REMINDER_DAYS before the due date (or
    later, if the run was missed, as long as it is not yet overdue); once overdue, a notice to the
    owner and to their senior manager. ActionReminder remembers what was sent."""
    today = today or timezone.localdate()
    days = settings.ACTION_REMINDER_DAYS
    counts = {"due_soon": 0, "overdue": 0}
    open_actions = Action.objects.filter(status=ActionStatus.OPEN).select_related(
        "partnership", "owner__user", "escalate_to__user", "sampled_case"
    )
    due_soon = open_actions.filter(
        due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days)
    ).exclude(reminders__kind=ReminderKind.DUE_SOON)
    for action in due_soon:
        if not _claim(action, ReminderKind.DUE_SOON, today):
            continue
        notify(
            users=[action.owner.user],
            partnership=action.partnership,
            kind=NotificationKind.ACTION_DUE_SOON,
            message=f"Your action is due {action.due_date:%-d %B %Y}{_label(action)}",
            link=reverse("action_detail", args=[action.pk]),
            dedupe_key=f"action-{action.pk}-due-soon",
        )
        counts["due_soon"] += 1
    overdue = open_actions.filter(due_date__lt=today).exclude(reminders__kind=ReminderKind.OVERDUE)
    for action in overdue:
        if not _claim(action, ReminderKind.OVERDUE, today):
            continue
        link = reverse("action_detail", args=[action.pk])
        when = f"{action.due_date:%-d %B %Y}"
        notify(
            users=[action.owner.user],
            partnership=action.partnership,
            kind=NotificationKind.ACTION_OVERDUE,
            message=f"Your action is overdue: it was due {when}{_label(action)}",
            link=link,
            dedupe_key=f"action-{action.pk}-overdue",
        )
        owner_name = action.owner.user.get_full_name()
        notify(
            users=[u for u in escalation_recipients(action) if u.pk != action.owner.user_id],
            partnership=action.partnership,
            kind=NotificationKind.ACTION_OVERDUE,
            message=f"An action owned by {owner_name} is overdue: it was due {when}"
            + _label(action),
            link=link,
            dedupe_key=f"action-{action.pk}-overdue",
        )
        counts["overdue"] += 1
    return counts
