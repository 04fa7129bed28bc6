"""`caseaudit export_returns`: the same exports from the command line."""

import csv

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from caseaudit.accesslog.models import AccessEvent, Action
from tests.returns.factories import CHILDREN


def test_it_writes_the_long_csv_and_logs(audit, tmp_path):
    out = tmp_path / "long.csv"
    call_command(
        "export_returns", "--audit", str(audit.pk), "--shape", "long", "--format", "csv",
        "--output", str(out),
    )  # fmt: skip
    with out.open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    assert len(table) == 12
    assert CHILDREN[0].name not in out.read_text(encoding="utf-8")
    event = AccessEvent.objects.get(action=Action.EXPORT)
    assert event.actor == "caseaudit export_returns"


def test_it_writes_the_wide_xlsx_with_identifying_details_for_a_permitted_user(
    world, audit, tmp_path
):
    out = tmp_path / "wide.xlsx"
    call_command(
        "export_returns", "--audit", str(audit.pk), "--shape", "wide", "--format", "xlsx",
        "--output", str(out), "--identifying", "--user", "lena@north.example",
    )  # fmt: skip
    table = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert table[0][:4] == ("case", "child_id", "child_name", "date_of_birth")
    assert table[1][2] == CHILDREN[0].name
    event = AccessEvent.objects.get(action=Action.VIEW_IDENTIFYING_DETAILS)
    assert event.user == world.lena


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--identifying"], "--identifying needs --user EMAIL"),
        (["--identifying", "--user", "bea@north.example"], "may not view identifying details"),
        (["--user", "nobody@north.example"], "No active user nobody@north.example"),
    ],
)
def test_it_refuses_and_writes_nothing(world, audit, tmp_path, extra, message):
    out = tmp_path / "refused.csv"
    with pytest.raises(CommandError, match=message):
        call_command(
            "export_returns", "--audit", str(audit.pk), "--shape", "long", "--format", "csv",
            "--output", str(out), *extra,
        )  # fmt: skip
    assert not out.exists()
    assert not AccessEvent.objects.filter(action__in=[Action.EXPORT]).exists()


def test_an_unknown_audit_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="No audit with id 999"):
        call_command(
            "export_returns", "--audit", "999", "--shape", "long", "--format", "csv",
            "--output", str(tmp_path / "x.csv"),
        )  # fmt: skip
