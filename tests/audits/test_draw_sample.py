"""`caseaudit draw_sample`: draws an audit's sample from the latest (or a given) snapshot and
prints it with pseudonyms and its make-up, or as JSON; exits non-zero, changing nothing, on bad
input."""

import json
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.audits.models import Sample
from caseaudit.audits.sample_services import sample_lock
from caseaudit.audits.services import audit_create
from caseaudit.population.services import population_import

TODAY = date(2026, 11, 22)
HEADER = (
    "child_id,date_of_birth,gender,team,sibling_group,plan_category,plan_start,"
    "previous_plan_end,previous_plans,agencies,characteristics,name\n"
)


def extract(count: int) -> bytes:
    rows = []
    for number in range(1, count + 1):
        gender = "Female" if number % 5 < 3 else "Male"
        category = "neglect" if number % 2 else "physical abuse"
        siblings = f"S{number // 2}" if number > count - 6 else ""
        previous = "2024-06-01" if number % 4 == 0 else ""
        rows.append(
            f"C{number:05d},2014-05-0{number % 9 + 1},{gender},Team A,{siblings},{category},"
            f"2026-02-01,{previous},,CSC,,Synthetic Child {number}\n"
        )
    return (HEADER + "".join(rows)).encode()


def run(*args) -> str:
    out = StringIO()
    call_command("draw_sample", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def audit(world):
    return audit_create(partnership=world.north, title="Repeat Child Protection Plans")


@pytest.fixture
def snapshot(world):
    return population_import(
        partnership=world.north, content=extract(40), file_name="cases.csv", today=TODAY
    )


class TestDrawSample:
    def test_it_prints_the_sample_and_its_make_up(self, audit, snapshot):
        out = run("--audit", str(audit.pk), "--size", "6", "--seed", "42")
        sample = Sample.objects.get(audit=audit)
        assert out.splitlines()[0] == (
            f"Sample {sample.pk} for audit {audit.pk} (Repeat Child Protection Plans): 6 of 38 "
            f"eligible children, snapshot {snapshot.pk}, seed 42"
        )
        for letter in "ABCDEF":
            assert f"  Child {letter} " in out
        assert "Child G" not in out
        assert "Left out of 40 children: 0 do not meet the criteria, 0 audited recently, " in out
        assert "2 siblings of a child kept" in out
        assert "Make-up" in out
        assert "Gender:" in out
        assert "Category:" in out
        assert "Age band:" in out
        # Pseudonyms only: no child id or name on the plain output.
        assert "C000" not in out
        assert "Synthetic" not in out

    def test_the_same_seed_prints_the_same_sample(self, audit, snapshot):
        first = run("--audit", str(audit.pk), "--size", "6", "--seed", "42", "--json")
        again = run("--audit", str(audit.pk), "--size", "6", "--seed", "42", "--json")
        other = run("--audit", str(audit.pk), "--size", "6", "--seed", "43", "--json")
        assert json.loads(first)["cases"] == json.loads(again)["cases"]
        assert json.loads(first)["cases"] != json.loads(other)["cases"]

    def test_it_prints_json(self, audit, snapshot):
        out = run(
            "--audit",
            str(audit.pk),
            "--size",
            "4",
            "--seed",
            "7",
            "--category",
            "neglect",
            "--category",
            "physical_abuse,neglect",
            "--repeat-only",
            "--max-interval-years",
            "3",
            "--stratify",
            "gender,category",
            "--json",
        )
        data = json.loads(out)
        sample = Sample.objects.get(audit=audit)
        assert data["audit"] == audit.pk
        assert data["sample"] == sample.pk
        assert data["snapshot"] == snapshot.pk
        assert data["seed"] == 7
        assert data["criteria"]["categories"] == ["neglect", "physical_abuse"]
        assert data["criteria"]["stratify"] == ["gender", "category"]
        assert [case["pseudonym"] for case in data["cases"]] == [
            "Child A",
            "Child B",
            "Child C",
            "Child D",
        ]
        first = data["cases"][0]
        assert set(first) == {
            "pseudonym",
            "child_id",
            "category",
            "gender",
            "age_band",
            "sibling_group",
            "days_since_previous_plan",
        }
        stored = sample.cases.get(pseudonym="Child A").case
        assert first["child_id"] == stored.child_id
        assert first["child_id"].startswith("C000")
        assert all(case["days_since_previous_plan"] is not None for case in data["cases"])
        assert data["make_up"]["sample"] == 4
        assert {row["value"] for row in data["make_up"]["by_gender"]} == {"Female", "Male"}
        assert data["excluded"]["criteria"] > 0
        assert data["warnings"] == []

    def test_printing_child_ids_is_written_to_the_access_log(self, audit, snapshot):
        run("--audit", str(audit.pk), "--size", "3", "--seed", "1", "--json")
        event = AccessEvent.objects.get(action=Action.VIEW_IDENTIFYING_DETAILS)
        assert event.actor == "caseaudit draw_sample"
        assert event.partnership == audit.partnership
        assert "3 sampled children" in event.detail

    def test_it_uses_a_given_snapshot(self, world, audit, snapshot):
        older = snapshot
        population_import(
            partnership=world.north, content=extract(10), file_name="new.csv", today=TODAY
        )
        data = json.loads(
            run(
                "--audit",
                str(audit.pk),
                "--size",
                "3",
                "--seed",
                "1",
                "--snapshot",
                str(older.pk),
                "--json",
            )
        )
        assert data["snapshot"] == older.pk
        latest = json.loads(run("--audit", str(audit.pk), "--size", "3", "--seed", "1", "--json"))
        assert latest["snapshot"] != older.pk

    def test_it_warns_when_fewer_are_eligible(self, audit, snapshot):
        out = run("--audit", str(audit.pk), "--size", "100", "--seed", "1")
        assert "Warning: Only 38 children can be sampled, fewer than the 100 asked for" in out

    def test_it_refuses_an_unknown_audit(self, world):
        with pytest.raises(CommandError, match="No audit with id 999"):
            run("--audit", "999", "--size", "5", "--seed", "1")

    def test_it_refuses_when_there_is_no_snapshot(self, audit):
        with pytest.raises(CommandError, match="north has no population imported yet"):
            run("--audit", str(audit.pk), "--size", "5", "--seed", "1")

    def test_it_refuses_another_partnerships_snapshot(self, world, audit):
        south = population_import(
            partnership=world.south, content=extract(5), file_name="s.csv", today=TODAY
        )
        with pytest.raises(CommandError, match=f"No snapshot {south.pk} in north"):
            run("--audit", str(audit.pk), "--size", "5", "--seed", "1", "--snapshot", str(south.pk))

    def test_it_refuses_a_locked_sample(self, world, audit, snapshot):
        run("--audit", str(audit.pk), "--size", "5", "--seed", "1")
        sample_lock(sample=Sample.objects.get(audit=audit), user=world.lena)
        with pytest.raises(CommandError, match="sample: The sample is locked"):
            run("--audit", str(audit.pk), "--size", "5", "--seed", "2")
        assert Sample.objects.get(audit=audit).seed == 1

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (["--size", "0", "--seed", "1"], "size: The sample size must be 1 or more"),
            (["--size", "5", "--seed", "x1"], "seed: Enter the random seed as a number"),
            (
                ["--size", "5", "--seed", "1", "--stratify", "gender,team"],
                "stratify: Stratify by gender, category or age_band",
            ),
            (
                ["--size", "5", "--seed", "1", "--category", "bullying"],
                "categories: Plan categories must be",
            ),
            (
                ["--size", "5", "--seed", "1", "--max-interval-years", "three"],
                "max_interval_years: Enter the longest interval",
            ),
        ],
    )
    def test_it_refuses_bad_options_and_stores_nothing(self, audit, snapshot, options, message):
        with pytest.raises(CommandError, match=message):
            run("--audit", str(audit.pk), *options)
        assert not Sample.objects.exists()


def test_the_console_script_exits_non_zero_with_a_clear_message(tmp_path):
    """Through the real entry point, against its own fresh SQLite database."""
    env = {"CASEAUDIT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 60}

    def caseaudit(*args):
        return subprocess.run(
            [sys.executable, "-m", "caseaudit", *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    assert caseaudit("migrate", "--no-input").returncode == 0
    result = caseaudit("draw_sample", "--audit", "1", "--size", "5", "--seed", "1")
    assert result.returncode == 1
    assert "No audit with id 1" in result.stderr
    assert "Traceback" not in result.stderr
    result = caseaudit("draw_sample", "--audit", "1", "--size", "many", "--seed", "1")
    assert result.returncode != 0
    assert "--size: invalid int value: 'many'" in result.stderr
