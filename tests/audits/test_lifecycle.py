"""An audit moves planning → sampling → fieldwork → review → reporting → published → closed,
one sensible step at a time, and every move is recorded with who and when."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from caseaudit.audits.models import Audit, Status
from caseaudit.audits.services import audit_create, audit_move


def lock_a_sample(audit):
    """Fieldwork needs a locked sample; these tests only need one to exist."""
    from django.utils import timezone

    from caseaudit.audits.models import Sample
    from caseaudit.population.services import population_import

    snapshot = population_import(
        partnership=audit.partnership,
        content=b"child_id,plan_category\nC1,neglect\n",
        file_name="one.csv",
    )
    Sample.objects.create(audit=audit, snapshot=snapshot, size=1, seed=1, locked_at=timezone.now())


class TestAuditMove:
    def test_it_walks_the_whole_lifecycle_and_records_each_move(self, world):
        audit = audit_create(partnership=world.north, title="Repeat plans", user=world.lena)
        lock_a_sample(audit)
        for status in [
            Status.SAMPLING,
            Status.FIELDWORK,
            Status.REVIEW,
            Status.REPORTING,
            Status.PUBLISHED,
            Status.CLOSED,
        ]:
            audit_move(audit=audit, to_status=status, user=world.lena)
        audit.refresh_from_db()
        assert audit.status == Status.CLOSED
        assert audit.closed_at is not None
        moves = list(audit.status_changes.values_list("from_status", "to_status"))
        assert moves[0] == ("", "planning")
        assert moves[-1] == ("published", "closed")
        assert all(change.changed_by == world.lena for change in audit.status_changes.all())

    @pytest.mark.parametrize(
        ("start", "target"),
        [
            (Status.PLANNING, Status.REVIEW),
            (Status.PLANNING, Status.CLOSED),
            (Status.PUBLISHED, Status.REPORTING),
            (Status.CLOSED, Status.PLANNING),
        ],
    )
    def test_it_refuses_moves_that_make_no_sense(self, world, start, target):
        audit = audit_create(partnership=world.north, title="Neglect")
        Audit.objects.filter(pk=audit.pk).update(status=start)
        audit.refresh_from_db()
        with pytest.raises(ValidationError, match="cannot move"):
            audit_move(audit=audit, to_status=target)
        audit.refresh_from_db()
        assert audit.status == start
        assert audit.status_changes.count() == 1

    def test_a_step_back_is_allowed_to_correct(self, world):
        audit = audit_create(partnership=world.north, title="Neglect")
        audit_move(audit=audit, to_status=Status.SAMPLING)
        audit_move(audit=audit, to_status=Status.PLANNING)
        assert audit.status == Status.PLANNING

    def test_fieldwork_needs_a_locked_sample(self, world):
        audit = audit_create(partnership=world.north, title="Neglect")
        audit_move(audit=audit, to_status=Status.SAMPLING)
        with pytest.raises(ValidationError, match="Lock the sample"):
            audit_move(audit=audit, to_status=Status.FIELDWORK)


class TestAuditCreate:
    def test_dates_must_be_in_order(self, world):
        from datetime import date

        with pytest.raises(ValidationError, match="meeting must be after"):
            audit_create(
                partnership=world.north,
                title="Neglect",
                returns_due=date(2026, 3, 1),
                meeting_date=date(2026, 2, 1),
            )
        assert not Audit.objects.exists()

    def test_a_title_is_required(self, world):
        with pytest.raises(ValidationError):
            audit_create(partnership=world.north, title="  ")

    def test_agencies_must_serve_the_partnership(self, world):
        with pytest.raises(ValidationError, match="does not serve"):
            audit_create(partnership=world.north, title="Neglect", agencies=[world.south_csc])
        assert not Audit.objects.exists()


class TestCommands:
    def test_create_audit_prints_its_id(self, world):
        out = StringIO()
        call_command(
            "create_audit",
            "--partnership",
            "north",
            "--title",
            "Repeat Child Protection Plans",
            "--theme",
            "Repeat plans",
            "--template",
            "Repeat CP plan",
            stdout=out,
        )
        audit = Audit.objects.get()
        assert out.getvalue().strip() == str(audit.pk)
        assert (audit.theme, audit.template_name, audit.status) == (
            "Repeat plans",
            "Repeat CP plan",
            "planning",
        )

    def test_create_audit_refuses_an_unknown_partnership(self, world):
        with pytest.raises(CommandError, match="No partnership"):
            call_command("create_audit", "--partnership", "west", "--title", "X")

    def test_list_audits_json(self, world):
        audit_create(partnership=world.north, title="Neglect", theme="Neglect")
        audit_create(partnership=world.south, title="Southern audit")
        out = StringIO()
        call_command("list_audits", "--partnership", "north", "--json", stdout=out)
        (listed,) = json.loads(out.getvalue())
        assert listed["title"] == "Neglect"
        assert listed["theme"] == "Neglect"
        assert listed["status"] == "planning"
        assert set(listed) >= {"id", "returns_due", "meeting_date", "report_due"}


def test_a_planned_template_named_in_the_library_is_linked_to_its_newest_version(world):
    from caseaudit.questionnaires.services import template_create

    spec = {
        "name": "Neglect deep dive",
        "sections": [{"title": "S", "questions": [{"key": "q", "text": "Q?", "type": "text"}]}],
    }
    template_create(partnership=world.north, spec=spec)
    _, newest = template_create(partnership=world.north, spec=spec)
    linked = audit_create(partnership=world.north, title="A", template_name="neglect deep dive")
    assert linked.template_version == newest
    unknown = audit_create(partnership=world.north, title="B", template_name="Our own tool")
    assert unknown.template_version is None
    assert unknown.template_name == "Our own tool"
    south = audit_create(partnership=world.south, title="C", template_name="Neglect deep dive")
    assert south.template_version is None
