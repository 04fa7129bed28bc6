from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from caseaudit.audits.models import Audit, Sample, SampledCase, Status
from caseaudit.audits.services import audit_create
from caseaudit.population.services import population_import

CSV = (
    b"child_id,name,date_of_birth,plan_category\nC1,Ann Example,2015-01-01,neglect\nC2,,,neglect\n"
)


def sampled_audit(world, snapshot, *, closed_days_ago=None, cases=None):
    audit = audit_create(partnership=world.north, title="Audit")
    if closed_days_ago is not None:
        Audit.objects.filter(pk=audit.pk).update(
            status=Status.CLOSED, closed_at=timezone.now() - timedelta(days=closed_days_ago)
        )
    sample = Sample.objects.create(audit=audit, snapshot=snapshot, size=1, seed=1)
    for order, case in enumerate(cases or snapshot.cases.all()[:1], start=1):
        SampledCase.objects.create(
            sample=sample, case=case, order=order, pseudonym=f"Child {order}"
        )
    return audit


class TestEraseIdentifyingDetails:
    @pytest.fixture(autouse=True)
    def ninety_days(self):
        with override_settings(ERASE_AFTER_DAYS=90):
            yield

    def test_it_erases_after_the_period_and_keeps_the_pseudonymised_record(self, world):
        snapshot = population_import(partnership=world.north, content=CSV, file_name="a.csv")
        sampled_audit(world, snapshot, closed_days_ago=91)
        out = StringIO()
        call_command("erase_identifying_details", stdout=out)
        assert "Erased the identifying details of 1 child" in out.getvalue()
        case = snapshot.cases.get(row_number=2)
        assert (case.child_id, case.name, case.date_of_birth) == ("", "", "")
        assert case.identifying_erased_at is not None
        assert case.plan_category == "neglect"
        assert case.child_key
        assert SampledCase.objects.get().pseudonym == "Child 1"

    def test_it_waits_for_the_period(self, world):
        snapshot = population_import(partnership=world.north, content=CSV, file_name="a.csv")
        sampled_audit(world, snapshot, closed_days_ago=89)
        call_command("erase_identifying_details", stdout=StringIO())
        assert snapshot.cases.get(row_number=2).name == "Ann Example"

    def test_it_keeps_details_an_open_audit_still_needs(self, world):
        snapshot = population_import(partnership=world.north, content=CSV, file_name="a.csv")
        sampled_audit(world, snapshot, closed_days_ago=200)
        sampled_audit(world, snapshot)
        call_command("erase_identifying_details", stdout=StringIO())
        assert snapshot.cases.get(row_number=2).name == "Ann Example"
