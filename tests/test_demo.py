from io import StringIO

from django.core.management import call_command

from caseaudit.accounts.models import Agency, Membership, Partnership, User
from caseaudit.accounts.roles import Role


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
    audit = north.audits.get()
    assert audit.sample.is_locked
    sampled = audit.sample.cases.filter(removed_at=None).select_related("case")
    assert sampled.count() == 15
    assert all(s.case.is_repeat and s.case.days_since_previous_plan <= 3 * 366 for s in sampled)
    groups = [s.case.sibling_group for s in sampled if s.case.sibling_group]
    assert len(groups) == len(set(groups))
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert north.snapshots.count() == 1
    assert counts == (Partnership.objects.count(), Agency.objects.count(), User.objects.count())
