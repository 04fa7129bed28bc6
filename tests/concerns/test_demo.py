"""The demo's Cases of Concern and actions: every stage of both categories, and the tracker
rows shaped like the seed briefing (May: 132 actions, 28 completed, 62 outstanding, 42 not yet
due)."""

from django.core.management import call_command

from caseaudit.accounts.models import Partnership
from caseaudit.actions.demo import load_demo_actions, load_demo_recommendation_actions
from caseaudit.actions.models import Action
from caseaudit.actions.selectors import tracker_by_month
from caseaudit.concerns.demo import load_demo_concerns
from caseaudit.concerns.models import CaseOfConcern
from caseaudit.concerns.selectors import recurrence_by_team, recurrence_by_worker
from caseaudit.notifications.models import Notification


def test_demo_concerns_and_actions(db):
    call_command("load_demo", verbosity=0)
    north = Partnership.objects.get(slug="north")
    audit = north.audits.get(title="Repeat Child Protection Plans")
    concerns = CaseOfConcern.objects.filter(audit=audit)
    stages = set(concerns.values_list("category", "status"))
    assert {(1, "open"), (1, "reviewed"), (1, "closed"), (2, "open"), (2, "reviewed")} <= stages
    assert {(2, "closed"), (None, "open")} <= stages
    assert sum(c.review_overdue() for c in concerns) == 1
    assert recurrence_by_team(concerns)
    assert recurrence_by_worker(concerns)

    # January to May 2026 as in the seed; the recommendation actions are agreed later.
    seed_months = Action.objects.filter(partnership=north, originated_on__lt="2026-06-01")
    rows = {row["month"].month: row for row in tracker_by_month(seed_months)}
    assert sorted(rows) == [1, 2, 3, 4, 5]
    may = rows[5]
    assert (may["total"], may["completed"], may["outstanding"], may["not_yet_due"]) == (
        132,
        28,
        62,
        42,
    )
    assert rows[1]["total"] == rows[1]["completed"] == 155
    assert rows[4]["outstanding"] == 23
    assert sum(r["cancelled"] for r in rows.values()) == 5
    assert Action.objects.filter(concern__isnull=False).exists()
    assert Notification.objects.filter(user__email="manager@north.example").exists()
    # Recommendations 1 to 3 of the repeat-plans audit have actions, in more than one state;
    # recommendation 4 has none yet.
    by_number = {
        r.number: list(
            Action.objects.filter(source_type__model="recommendation", source_id=r.pk).values_list(
                "status", flat=True
            )
        )
        for r in audit.recommendations.all()
    }
    assert sorted(by_number[1]) == ["completed", "open"]
    assert (by_number[2], by_number[3], by_number[4]) == (["open"], ["open"], [])
    assert not Action.objects.filter(source_type__isnull=False, sampled_case__isnull=False)
    # Again: nothing new.
    assert load_demo_concerns(audit, None, None) == 0
    assert load_demo_actions(audit) == 0
    assert load_demo_recommendation_actions(audit) == 0
