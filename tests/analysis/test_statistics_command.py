import io
import json

import pytest
from django.core.management import CommandError, call_command

from caseaudit.analysis.statistics import audit_statistics
from tests.analysis.fixtures import statistics_audit

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("statistics", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_same_figures_as_the_selector(world):
    audit = statistics_audit(world)
    printed = json.loads(run("--audit", str(audit.pk)))
    assert printed == json.loads(json.dumps(audit_statistics(audit)))
    assert printed["returns"] == 9
    assert printed["questions"][0]["options"][0]["percent"] == pytest.approx(600 / 9)


def test_it_can_leave_out_the_breakdown_by_child(world):
    audit = statistics_audit(world)
    printed = json.loads(run("--audit", str(audit.pk), "--no-by-case"))
    assert all("by_case" not in q for q in printed["questions"])
    assert all("by_agency" in q for q in printed["questions"])


def test_an_unknown_audit_is_an_error(db):
    with pytest.raises(CommandError, match="No audit with id 999"):
        run("--audit", "999")
