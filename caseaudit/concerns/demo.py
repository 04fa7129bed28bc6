"""Cases of Concern for the demo audit: both categories at every stage (open, reviewed, closed),
one review past its due date, one flag from a return still without a category, and two concerns
on the same child (recurrence by team and by worker). Dates run back from today so the register
always has something overdue and something not. Every sentence is invented; no email is sent."""

import datetime

from django.utils import timezone

from caseaudit.audits.models import Audit
from caseaudit.concerns.models import (
    CaseOfConcern,
    ConcernEvent,
    ConcernEventKind,
    ConcernSource,
    ConcernStatus,
)
from caseaudit.notifications.models import Notification, NotificationKind

# (days ago raised, category, stage, review due in days from raising, description)
CONCERNS = [
    (70, 1, "closed", 1, "Safety planning has drifted; no direct work and the home may be unsafe."),
    (62, 2, "closed", 20, "The plan's outcomes are not clear and visits are not purposeful."),
    (40, 2, "reviewed", 20, "Risk analysis does not follow from the assessment."),
    (24, 1, "reviewed", 1, "Risk factors continue with no assurance about immediate harm."),
    (12, 1, "open_overdue", 1, "The child has not been seen alone since the conference."),
    (9, 2, "open", 20, "Management oversight sets tasks but gives no case direction."),
    (3, None, "flag", None, "Health records show missed appointments and a new injury."),
]
REVIEW = (
    (
        "Head of Service reviewed the case with the team manager and social worker and agreed "
        "a revised safety plan with a named lead for each action."
    ),
    "The child is now seen weekly, the plan is progressing and the core group met this month.",
)


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago, hours=3)


def load_demo_concerns(audit: Audit, lead, manager) -> int:
    """Returns how many were created (none if the audit has any already)."""
    if audit.concerns.exists():
        return 0
    cases = list(audit.sample.cases.filter(removed_at=None).select_related("case"))
    # The busiest team gets the recurring ones: one child twice, so its worker recurs too.
    by_team: dict[str, list] = {}
    for case in cases:
        by_team.setdefault(case.case.team, []).append(case)
    busiest = max(by_team.values(), key=len)
    others = [c for c in cases if c not in busiest]
    chosen = [busiest[0], busiest[0], *busiest[1:3], *others][: len(CONCERNS)]
    requests = {r.sampled_case_id: r for r in audit.requests.exclude(status="not_sent")}
    made = 0
    for case, (ago, category, stage, due_days, text) in zip(chosen, CONCERNS, strict=False):
        raised = _at(ago)
        concern = CaseOfConcern(
            audit=audit,
            sampled_case=case,
            source=ConcernSource.RETURN_FLAG if stage == "flag" else ConcernSource.AUDIT_LEAD,
            request=requests.get(case.pk) if stage == "flag" else None,
            description=text,
            category=category,
            raised_by=lead,
            raised_at=raised,
            review_due=(timezone.localtime(raised).date() + datetime.timedelta(days=due_days))
            if due_days is not None
            else None,
        )
        events = [(ConcernEventKind.RAISED, raised, lead, "")]
        if category == 1:
            concern.senior_managers_notified_at = raised
            events.append((ConcernEventKind.SENIOR_MANAGERS_EMAILED, raised, None, ""))
        if stage in ("reviewed", "closed"):
            concern.status = ConcernStatus.REVIEWED
            concern.reviewed_by = manager
            concern.reviewed_at = raised + datetime.timedelta(days=due_days)
            concern.review_date = timezone.localtime(concern.reviewed_at).date()
            concern.review_action_taken, concern.review_assurance = REVIEW
            events.append((ConcernEventKind.REVIEWED, concern.reviewed_at, manager, ""))
        if stage == "closed":
            concern.status = ConcernStatus.CLOSED
            concern.closed_by = manager
            concern.closed_at = concern.reviewed_at + datetime.timedelta(days=5)
            concern.signed_off_name = "Jordan Reeve"
            concern.signed_off_role = "Improvement Director"
            events.append(
                (
                    ConcernEventKind.CLOSED,
                    concern.closed_at,
                    manager,
                    "Signed off by Jordan Reeve, Improvement Director",
                )
            )
        concern.save()
        ConcernEvent.objects.bulk_create(
            ConcernEvent(concern=concern, kind=kind, at=at, by=by, note=note)
            for kind, at, by, note in events
        )
        if stage == "open_overdue" and manager is not None:
            # What the senior manager would have been told, already emailed.
            Notification.objects.create(
                user=manager,
                partnership=audit.partnership,
                kind=NotificationKind.CONCERN_CATEGORY_ONE,
                message=f"Category 1 Case of Concern: act today ({case.pseudonym}, {audit.title})",
                link=concern.get_absolute_url(),
                urgent=True,
                created_at=raised,
                emailed_at=raised,
            )
        made += 1
    return made


# A monthly audit's Cases of Concern, raised in its month: (day, category, stage, description).
MONTH_CONCERNS = [
    (6, 1, "closed", "No safety plan although the risks at home are known."),
    (11, 2, "closed", "The assessment does not look at the impact of neglect on the child."),
    (19, 2, "reviewed", "The plan has not been updated since the last conference."),
]


def load_demo_month_concerns(audit: Audit, lead, manager) -> int:
    """Concerns the moderators raised from a monthly audit, dated in the audit's month, reviewed
    and signed off as the seed's head-of-service reviews are. Nothing if there are some."""
    month = audit.planned_month
    if audit.concerns.exists() or month is None:
        return 0
    cases = list(audit.sample.cases.filter(removed_at=None).order_by("order"))[::7]
    made = 0
    for case, (day, category, stage, text) in zip(cases, MONTH_CONCERNS, strict=False):
        raised = datetime.datetime(month.year, month.month, day, 11, tzinfo=datetime.UTC)
        due_days = 1 if category == 1 else 20
        reviewed = raised + datetime.timedelta(days=due_days)
        concern = CaseOfConcern.objects.create(
            audit=audit,
            sampled_case=case,
            source=ConcernSource.MODERATOR,
            description=text,
            category=category,
            raised_by=lead,
            raised_at=raised,
            review_due=timezone.localtime(raised).date() + datetime.timedelta(days=due_days),
            senior_managers_notified_at=raised if category == 1 else None,
            status=ConcernStatus.CLOSED if stage == "closed" else ConcernStatus.REVIEWED,
            reviewed_by=manager,
            reviewed_at=reviewed,
            review_date=timezone.localtime(reviewed).date(),
            review_action_taken=REVIEW[0],
            review_assurance=REVIEW[1],
            closed_by=manager if stage == "closed" else None,
            closed_at=reviewed + datetime.timedelta(days=5) if stage == "closed" else None,
            signed_off_name="Jordan Reeve" if stage == "closed" else "",
            signed_off_role="Improvement Director" if stage == "closed" else "",
        )
        events = [
            (ConcernEventKind.RAISED, raised, lead, ""),
            (ConcernEventKind.REVIEWED, reviewed, manager, ""),
        ]
        if stage == "closed":
            events.append(
                (
                    ConcernEventKind.CLOSED,
                    concern.closed_at,
                    manager,
                    "Signed off by Jordan Reeve, Improvement Director",
                )
            )
        ConcernEvent.objects.bulk_create(
            ConcernEvent(concern=concern, kind=kind, at=at, by=by, note=note)
            for kind, at, by, note in events
        )
        made += 1
    return made
