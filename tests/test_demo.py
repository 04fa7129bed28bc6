from io import StringIO

from django.core.management import call_command

from caseaudit.accesslog.models import AccessEvent
from caseaudit.accounts.models import Agency, Membership, Partnership, User
from caseaudit.accounts.roles import Role
from caseaudit.moderation.models import MODERATED, CaseGrade, Engagement, Meeting
from caseaudit.moderation.selectors import (
    count_of,
    engagement_by_month,
    moderated_grades_by_month,
)


def test_load_demo_creates_every_role_and_is_idempotent(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo data loaded." in out.getvalue()
    assert "admin@north.example" in out.getvalue()
    counts = (Partnership.objects.count(), Agency.objects.count(), User.objects.count())
    assert Agency.objects.count() >= 10
    north = Partnership.objects.get(slug="north")
    assert set(north.memberships.values_list("role", flat=True)) == set(Role.values)
    # One person holds roles in two partnerships, to show the switcher.
    assert Membership.objects.filter(user__email="lead@north.example").count() == 2
    # North's case list: 202 invented children, 16% on a repeat plan, some sibling groups.
    snapshot = north.snapshots.get()
    assert snapshot.row_count == 202
    assert snapshot.cases.filter(is_repeat=True).count() == 34
    assert snapshot.cases.exclude(sibling_group="").exists()
    # And an audit sampled like the seed report: 15 children, locked.
    audit = north.audits.get(title="Repeat Child Protection Plans")
    assert audit.sample.is_locked
    sampled = audit.sample.cases.filter(removed_at=None).select_related("case")
    assert sampled.count() == 15
    assert all(s.case.is_repeat and s.case.days_since_previous_plan <= 3 * 366 for s in sampled)
    groups = [s.case.sibling_group for s in sampled if s.case.sibling_group]
    assert len(groups) == len(set(groups))
    # What the audit lead wrote: three findings with their challenge, quotes from the returns
    # (by pseudonym only), further recommendations and the narrative texts.
    findings = list(audit.findings.all())
    assert [f.number for f in findings] == [1, 2, 3]
    assert all(f.challenge for f in findings)
    quotes = [q for f in findings for q in f.quotes.all()]
    assert quotes
    names = [s.case.name for s in audit.sample.cases.select_related("case")]
    assert not [q for q in quotes for name in names if name in q.text]
    assert audit.recommendations.count() == 4
    assert "34 of the 202" in audit.report_text.background
    # The neglect deep dive of two children, with a 7 Minute Briefing's content.
    deep_dive = north.audits.get(title="Neglect: a multi-agency deep dive")
    assert deep_dive.sample.cases.count() == 2
    assert {s.case.plan_category for s in deep_dive.sample.cases.select_related("case")} == {
        "neglect"
    }
    assert deep_dive.learning_themes.count() == 7
    assert deep_dive.points.filter(kind="improvement").count() == 4
    assert deep_dive.points.filter(kind="good_practice").count() == 3
    assert deep_dive.recommendations.count() == 2
    _check_moderation_demo(north, audit)
    events = AccessEvent.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert AccessEvent.objects.count() == events
    assert north.snapshots.count() == 1
    assert counts == (Partnership.objects.count(), Agency.objects.count(), User.objects.count())


def _check_moderation_demo(north, repeat_plans):
    """The monthly programme of seed 002: grades after moderation month by month, May's
    engagement as in the seed's sentence (for 25 cases), and rows that keep the services'
    rules; and the Repeat Child Protection Plans audit's meeting."""
    table = moderated_grades_by_month(north)
    assert [
        (
            f"{m['month']:%b}",
            m["counts"]["good"],
            m["counts"]["requires-improvement"],
            m["counts"]["inadequate"],
        )
        for m in table["months"]
    ][:5] == [
        ("Jan", 0, 27, 5),
        ("Feb", 0, 18, 5),
        ("Mar", 2, 13, 9),
        ("Apr", 1, 18, 8),
        ("May", 2, 14, 9),
    ]
    months = {f"{row['month']:%Y-%m}": row for row in engagement_by_month(north)}
    may = months["2026-05"]
    assert may["n"] == 25
    assert count_of(may, "team_manager", "engaged") == 16
    assert count_of(may, "social_worker", "engaged") == 18
    assert count_of(may, "child", "engaged") == 0
    assert count_of(may, "parents", "engaged") == 12
    april = months["2026-04"]
    assert count_of(april, "child", "engaged") == 7
    grades = CaseGrade.objects.filter(audit__partnership=north, status__in=MODERATED)
    assert (
        grades.exclude(status="changed").filter(moderation_reason="").count()
        == grades.filter(status="agreed").count()
    )
    assert not grades.filter(status="changed", moderation_reason="").exists()
    assert grades.filter(status="changed").exists()
    assert not Engagement.objects.filter(child="not_appropriate", child_reason="").exists()
    assert not Engagement.objects.filter(parents="not_invited", parents_reason="").exists()
    # Every sampled child appears in one audit only.
    cases = list(
        north.audits.values_list("sample__cases__case_id", flat=True).exclude(
            sample__cases__isnull=True
        )
    )
    assert len(cases) == len(set(cases))
    assert len(cases) >= 15 + 32 + 23 + 24 + 27 + 25
    meeting = Meeting.objects.get(audit=repeat_plans)
    statuses = dict(meeting.attendance.values_list("agency__code", "status"))
    assert statuses["AMH"] == "return_only"
    assert repeat_plans.case_discussions.count() == 3
    assert repeat_plans.engagements.count() == 15
    assert repeat_plans.case_grades.filter(status="graded").count() == 4
