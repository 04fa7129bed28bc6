"""Demo actions by month of origin, January to May 2026, shaped like the seed briefing's
action tracker: January all done; February and March a few still outstanding or cancelled;
April 23 outstanding and 1 not yet due; May 132 actions, 28 completed, 62 outstanding and 42 not
yet due. "Not yet due" is due after the day the demo is loaded (so those rows drift into
"outstanding" as the real date passes them); the outstanding ones were due before it. They
are attached to the demo audit's sampled children, owned by the demo's people, and made in
bulk without emails; the overdue notices count as already sent."""

import datetime

from django.utils import timezone

from caseaudit.accounts.models import Membership
from caseaudit.accounts.roles import Role
from caseaudit.actions.models import Action, ActionReminder, ActionStatus, ReminderKind
from caseaudit.audits.models import Audit
from caseaudit.notifications.models import Notification, NotificationKind

# month: (completed, outstanding, not yet due, cancelled)
MONTHS = {
    1: (155, 0, 0, 0),
    2: (120, 4, 0, 3),
    3: (114, 9, 0, 2),
    4: (110, 23, 1, 0),
    5: (28, 62, 42, 0),
}
WHAT = [
    (
        "Team manager to record reflections and directions on the child's file after the audit, "
        "and close them off in the next supervision."
    ),
    "Update the child's plan so that each outcome says what will be different for the child.",
    "See the child alone within ten working days and record their words on file.",
    "Hold a core group within two weeks to agree a safety plan with the family.",
    "Complete a chronology and use it at the next review conference.",
]
MEASURE = [
    "The next supervision note shows the directions done and the plan changed.",
    "The review conference chair confirms the plan is outcome-focused.",
    "The child's views are recorded and appear in the updated plan.",
]
EVIDENCE = "Supervision record updated; directions closed off and the plan revised at review."


def load_demo_actions(audit: Audit) -> int:
    partnership = audit.partnership
    if Action.objects.filter(partnership=partnership).exists():
        return 0
    today = timezone.localdate()
    cases = list(audit.sample.cases.filter(removed_at=None).order_by("order"))
    owners = list(
        Membership.objects.filter(
            partnership=partnership,
            is_active=True,
            role__in=[Role.SENIOR_MANAGER, Role.AGENCY_AUDITOR, Role.AUDIT_LEAD],
        ).order_by("user__email")
    )
    manager = Membership.objects.filter(partnership=partnership, role=Role.SENIOR_MANAGER).first()
    concerns = list(audit.concerns.exclude(status="closed").order_by("raised_at"))
    made: list[Action] = []
    n = 0
    for month, (completed, outstanding, not_yet_due, cancelled) in MONTHS.items():
        states = (
            [("completed", None)] * completed
            + [("outstanding", None)] * outstanding
            + [("not_yet_due", None)] * not_yet_due
            + [("cancelled", None)] * cancelled
        )
        for i, (state, _) in enumerate(states):
            n += 1
            origin = datetime.date(2026, month, 1 + i % 27)
            if state == "not_yet_due":
                due = today + datetime.timedelta(days=7 + i % 60)
            elif state == "outstanding":
                # Past due: between a month after it was agreed and yesterday.
                due = min(origin + datetime.timedelta(days=30 + i % 40), today) - (
                    datetime.timedelta(days=1)
                )
            else:
                due = origin + datetime.timedelta(days=28)
            action = Action(
                partnership=partnership,
                audit=audit,
                sampled_case=cases[n % len(cases)],
                what=WHAT[n % len(WHAT)],
                owner=owners[n % len(owners)],
                escalate_to=manager,
                due_date=due,
                success_measure=MEASURE[n % len(MEASURE)],
                originated_on=origin,
            )
            created_at = timezone.make_aware(datetime.datetime.combine(origin, datetime.time(10)))
            action.created_at = created_at
            if state == "completed":
                action.status = ActionStatus.COMPLETED
                action.completion_evidence = EVIDENCE
                action.completed_at = created_at + datetime.timedelta(days=21)
            elif state == "cancelled":
                action.status = ActionStatus.CANCELLED
                action.cancel_reason = "The child moved to another authority; handed over."
                action.cancelled_at = created_at + datetime.timedelta(days=10)
            if month == 5 and state == "not_yet_due" and i % 21 == 0 and concerns:
                action.concern = concerns[(i // 21) % len(concerns)]
                action.sampled_case = action.concern.sampled_case
            made.append(action)
    Action.objects.bulk_create(made, batch_size=500)
    overdue = Action.objects.filter(
        partnership=partnership, status=ActionStatus.OPEN, due_date__lt=today
    ).values_list("pk", flat=True)
    ActionReminder.objects.bulk_create(
        ActionReminder(action_id=pk, kind=ReminderKind.OVERDUE, run_date=today) for pk in overdue
    )
    # The latest few assignments, as their owners would have been told (already emailed).
    for action in Action.objects.filter(partnership=partnership).order_by("-originated_on")[:3]:
        Notification.objects.create(
            user=action.owner.user,
            partnership=partnership,
            kind=NotificationKind.ACTION_ASSIGNED,
            message=f"Action assigned to you, due {action.due_date:%-d %B %Y} "
            f"({action.sampled_case.pseudonym})",
            link=action.get_absolute_url(),
            emailed_at=timezone.now(),
        )
    return len(made)


# recommendation number: [(what, owner's email, days until due, completed?)]
RECOMMENDATION_ACTIONS = {
    1: [
        (
            (
                "Each agency's safeguarding lead checks five chronologies a quarter and reports "
                "what they found to the learning and improvement group."
            ),
            "manager@north.example",
            75,
            False,
        ),
        (
            "Add chronology standards to the partnership's multi-agency practice guidance.",
            "lead@north.example",
            -10,
            True,
        ),
    ],
    2: [
        (
            "Agree a supervision audit tool and use it in every agency's next quarterly audit.",
            "manager@north.example",
            100,
            False,
        ),
    ],
    3: [
        (
            "Run two Public Law Outline briefings for practitioners from every agency.",
            "lead@north.example",
            60,
            False,
        ),
    ],
}


def load_demo_recommendation_actions(audit: Audit) -> int:
    """Partnership-level actions answering the repeat-plans audit's recommendations 1 to 3
    (recommendation 4 has none yet, so the editor shows both states). Agreed a fortnight
    before the demo is loaded; nothing when any action already answers a recommendation."""
    from django.contrib.contenttypes.models import ContentType

    from caseaudit.findings.models import Recommendation

    kind = ContentType.objects.get_for_model(Recommendation)
    if Action.objects.filter(partnership=audit.partnership, source_type=kind).exists():
        return 0
    today = timezone.localdate()
    agreed = today - datetime.timedelta(days=14)
    members = {
        m.user.email: m
        for m in Membership.objects.filter(partnership=audit.partnership).select_related("user")
    }
    made = 0
    for recommendation in audit.recommendations.filter(number__in=RECOMMENDATION_ACTIONS):
        for what, email, days, completed in RECOMMENDATION_ACTIONS[recommendation.number]:
            action = Action(
                partnership=audit.partnership,
                audit=audit,
                source_type=kind,
                source_id=recommendation.pk,
                what=what,
                owner=members[email],
                due_date=today + datetime.timedelta(days=days),
                success_measure=(
                    "The learning and improvement group sees the change in the next audit's "
                    "figures."
                ),
                originated_on=agreed,
            )
            if completed:
                action.status = ActionStatus.COMPLETED
                action.completion_evidence = (
                    "Guidance updated and circulated; the change is in the practice manual."
                )
                action.completed_at = timezone.now() - datetime.timedelta(days=2)
            action.save()
            made += 1
    return made
