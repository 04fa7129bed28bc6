"""The register's figures: counts by month, week and team; recurrence by team and worker; the
register's filters."""

import datetime

import pytest
from django.utils import timezone

from caseaudit.concerns import selectors
from caseaudit.concerns.models import CaseOfConcern, ConcernSource, ConcernStatus
from tests.concerns.factories import audit_with_teams, child


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def concerns(world):
    """Seven concerns: Child A three times (W-101, Riverside), Child B twice (W-101, Riverside),
    Child C once (W-202, Hillside), Child D once (W-303, Hillside)."""
    audit = audit_with_teams(world)
    rows = [
        ("Child A", 1, datetime.date(2026, 4, 6), ConcernStatus.CLOSED),
        ("Child A", 2, datetime.date(2026, 4, 8), ConcernStatus.OPEN),
        ("Child A", 2, datetime.date(2026, 5, 4), ConcernStatus.REVIEWED),
        ("Child B", 2, datetime.date(2026, 5, 5), ConcernStatus.OPEN),
        ("Child B", 1, datetime.date(2026, 5, 12), ConcernStatus.OPEN),
        ("Child C", 2, datetime.date(2026, 5, 13), ConcernStatus.OPEN),
        ("Child D", None, datetime.date(2026, 5, 14), ConcernStatus.OPEN),
    ]
    for pseudonym, category, day, status in rows:
        CaseOfConcern.objects.create(
            audit=audit,
            sampled_case=child(audit, pseudonym),
            source=ConcernSource.AUDIT_LEAD,
            description="A concern",
            category=category,
            status=status,
            raised_at=at(day),
            review_due=day + datetime.timedelta(days=10),
        )
    return CaseOfConcern.objects.filter(audit=audit)


def test_counts_by_month(concerns):
    rows = selectors.counts_by_month(concerns)
    assert [(r["period"], r["total"], r["category_1"], r["category_2"]) for r in rows] == [
        (datetime.date(2026, 4, 1), 2, 1, 1),
        (datetime.date(2026, 5, 1), 5, 1, 3),
    ]


def test_counts_by_week_start_on_monday(concerns):
    rows = selectors.counts_by_week(concerns)
    assert [(r["period"], r["total"]) for r in rows] == [
        (datetime.date(2026, 4, 6), 2),
        (datetime.date(2026, 5, 4), 2),
        (datetime.date(2026, 5, 11), 3),
    ]


def test_counts_by_team(concerns):
    rows = {r["team"]: r for r in selectors.counts_by_team(concerns)}
    assert rows["Riverside Safeguarding"]["total"] == 5
    assert rows["Riverside Safeguarding"]["open"] == 4
    assert rows["Hillside Assessment"]["total"] == 2


def test_recurrence_by_team_and_worker(concerns):
    assert selectors.recurrence_by_team(concerns) == [
        {"team": "Riverside Safeguarding", "total": 5, "children": 2},
        {"team": "Hillside Assessment", "total": 2, "children": 2},
    ]
    workers = selectors.recurrence_by_worker(concerns)
    assert [(w["worker_id"], w["total"], w["category_1"], w["category_2"]) for w in workers] == [
        ("W-101", 5, 2, 3)
    ]


def test_register_filters(concerns):
    def pseudonyms(**kwargs):
        found = selectors.concerns_filter(
            concerns, selectors.RegisterFilters(**kwargs), today=datetime.date(2026, 5, 20)
        )
        return sorted(c.sampled_case.pseudonym for c in found)

    assert len(pseudonyms(status="open")) == 6
    assert pseudonyms(status="closed") == ["Child A"]
    assert pseudonyms(category="1") == ["Child A", "Child B"]
    assert pseudonyms(category="none") == ["Child D"]
    assert pseudonyms(team="Hillside Assessment") == ["Child C", "Child D"]
    # Review due by 20 May: open ones raised up to 9 May (A on 8 April, B on 5 May).
    assert pseudonyms(overdue=True) == ["Child A", "Child B"]


def test_summary(concerns):
    summary = selectors.register_summary(concerns, today=datetime.date(2026, 5, 20))
    assert summary == {
        "total": 7,
        "open": 6,
        "closed": 1,
        "category_1": 2,
        "category_2": 4,
        "uncategorised": 1,
        "review_overdue": 2,
    }
