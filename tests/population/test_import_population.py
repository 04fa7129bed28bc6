"""Importing a population: everything validated first, all rows stored or none; identifying
details encrypted at rest; each import kept as a snapshot (date, hash, rows, who)."""

import hashlib
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.population.models import ColumnMapping, PopulationCase, PopulationSnapshot
from caseaudit.population.parsing import ExtractError
from caseaudit.population.services import population_import

HEADER = (
    "child_id,date_of_birth,gender,team,sibling_group,plan_category,plan_start,"
    "previous_plan_end,previous_plans,agencies,characteristics,name\n"
)
TODAY = date(2026, 11, 22)


def extract(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


GOOD = extract(
    "C100001,2015-03-02,Female,Team A,S1,neglect,2026-01-10,2024-05-01,1,CSC;Health,"
    "domestic abuse,Tilly Testcase",
    "C100002,12/07/2018,Male,Team B,S1,Emotional abuse,2026-02-01,,,CSC,,",
    "C100003,2009-01-01,Male,Team B,,physical abuse,2025-11-01,,0,CSC;Police,,",
)


class TestPopulationImport:
    def test_it_stores_a_snapshot_and_every_row(self, world):
        snapshot = population_import(
            partnership=world.north,
            content=GOOD,
            file_name="cases.csv",
            user=world.lena,
            today=TODAY,
        )
        assert snapshot.row_count == 3
        assert snapshot.imported_by == world.lena
        assert snapshot.file_hash == hashlib.sha256(GOOD).hexdigest()
        first, second, third = snapshot.cases.all()
        assert first.child_id == "C100001"
        assert first.name == "Tilly Testcase"
        assert first.age_band == "10-15"
        assert first.is_repeat
        assert first.days_since_previous_plan == (date(2026, 1, 10) - date(2024, 5, 1)).days
        assert first.agencies == ["CSC", "Health"]
        assert second.plan_category == "emotional_abuse"
        assert second.age_band == "5-9"
        assert not second.is_repeat
        assert third.age_band == "16+"
        assert AccessEvent.objects.filter(
            action=Action.POPULATION_IMPORTED, partnership=world.north
        ).exists()

    def test_identifying_details_are_encrypted_at_rest(self, world):
        population_import(partnership=world.north, content=GOOD, file_name="a.csv", today=TODAY)
        with connection.cursor() as cursor:
            cursor.execute("SELECT child_id, name, date_of_birth FROM population_populationcase")
            raw = " ".join(str(value) for row in cursor.fetchall() for value in row)
        assert "Tilly" not in raw
        assert "C100001" not in raw
        assert "2015-03-02" not in raw
        assert raw.count("v1:") >= 6

    def test_the_same_child_has_the_same_key_in_each_import(self, world):
        first = population_import(partnership=world.north, content=GOOD, file_name="a.csv")
        second = population_import(partnership=world.north, content=GOOD, file_name="b.csv")
        keys = [set(s.cases.values_list("child_key", flat=True)) for s in (first, second)]
        assert keys[0] == keys[1]
        south = population_import(partnership=world.south, content=GOOD, file_name="c.csv")
        assert not keys[0] & set(south.cases.values_list("child_key", flat=True))

    @pytest.mark.parametrize(
        ("content", "name", "expected"),
        [
            (b"", "empty.csv", "empty"),
            (b"name,team\nA,B\n", "nochild.csv", "child_id"),
            (extract("C1,,,,,neglect,,,,,,", "C1,,,,,neglect,,,,,,"), "dupes.csv", "C1"),
            (extract("C1,31/02/2015,,,,neglect,,,,,,"), "date.csv", "date"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "x.csv", "CSV"),
        ],
    )
    def test_a_bad_file_stores_nothing(self, world, content, name, expected):
        with pytest.raises(ExtractError) as raised:
            population_import(partnership=world.north, content=content, file_name=name)
        assert expected.lower() in " ".join(i.message for i in raised.value.issues).lower()
        assert not PopulationSnapshot.objects.exists()
        assert not PopulationCase.objects.exists()

    def test_one_bad_row_among_good_ones_stores_nothing(self, world):
        content = GOOD + b"C100004,2014-01-01,Female,Team A,,burglary,2026-01-01,,0,,,\n"
        with pytest.raises(ExtractError) as raised:
            population_import(partnership=world.north, content=content, file_name="x.csv")
        (issue,) = raised.value.issues
        assert issue.row == 5
        assert issue.column == "plan_category"
        assert not PopulationCase.objects.exists()

    def test_a_saved_mapping_is_used(self, world):
        ColumnMapping.objects.create(
            partnership=world.north,
            name="Annex A",
            columns={"child_id": "Child Unique ID", "plan_category": "Category of abuse"},
        )
        content = b"Child Unique ID,Category of abuse\nA1,Neglect\nA2,Multiple\n"
        snapshot = population_import(
            partnership=world.north, content=content, file_name="annex.csv", mapping_name="Annex A"
        )
        assert snapshot.row_count == 2
        assert snapshot.mapping_name == "Annex A"

    def test_an_unknown_mapping_is_refused(self, world):
        with pytest.raises(ExtractError):
            population_import(
                partnership=world.north, content=GOOD, file_name="x.csv", mapping_name="Nope"
            )
        assert not PopulationSnapshot.objects.exists()


class TestImportPopulationCommand:
    def test_json_output(self, world, tmp_path):
        path = tmp_path / "cases.csv"
        path.write_bytes(GOOD)
        out = StringIO()
        call_command("import_population", "--partnership", "north", str(path), "--json", stdout=out)
        result = json.loads(out.getvalue())
        assert result == {"snapshot": PopulationSnapshot.objects.get().pk, "rows": 3}

    def test_it_names_the_row_and_column_and_stores_nothing(self, world, tmp_path):
        path = tmp_path / "cases.csv"
        path.write_bytes(extract("C1,2030-01-01,,,,neglect,,,,,,"))
        with pytest.raises(CommandError, match=r"row 2, column date_of_birth"):
            call_command("import_population", "--partnership", "north", str(path), "--json")
        assert not PopulationSnapshot.objects.exists()

    def test_a_missing_file(self, world, tmp_path):
        with pytest.raises(CommandError, match="No file"):
            call_command("import_population", "--partnership", "north", str(tmp_path / "x.csv"))


class TestPopulationFiguresCommand:
    def test_json(self, world):
        population_import(partnership=world.north, content=GOOD, file_name="a.csv", today=TODAY)
        out = StringIO()
        call_command("population_figures", "--partnership", "north", "--json", stdout=out)
        figures = json.loads(out.getvalue())
        assert figures["total"] == 3
        assert figures["repeat_plans"]["count"] == 1
        assert figures["repeat_plans"]["rate"] == 33.3
        categories = {row["value"]: row["count"] for row in figures["by_category"]}
        assert categories == {
            "neglect": 1,
            "emotional_abuse": 1,
            "physical_abuse": 1,
            "sexual_abuse": 0,
            "multiple": 0,
        }
        bands = {row["value"]: row["count"] for row in figures["by_age_band"]}
        assert (bands["5-9"], bands["10-15"], bands["16+"]) == (1, 1, 1)
        teams = {row["value"]: row["count"] for row in figures["by_team"]}
        assert teams == {"Team A": 1, "Team B": 2}
        assert figures["sibling_groups"] == {"groups": 1, "children": 2}
        days = (date(2026, 1, 10) - date(2024, 5, 1)).days
        assert figures["repeat_plans"]["interval_days"] == {"shortest": days, "longest": days}

    def test_no_snapshot_yet(self, world):
        with pytest.raises(CommandError, match="no population imported"):
            call_command("population_figures", "--partnership", "north", "--json")

    def test_another_partnerships_snapshot_is_not_found(self, world):
        snapshot = population_import(partnership=world.south, content=GOOD, file_name="a.csv")
        with pytest.raises(CommandError, match=f"No snapshot {snapshot.pk} in north"):
            call_command(
                "population_figures", "--partnership", "north", "--snapshot", str(snapshot.pk)
            )


def test_xlsx_is_read_with_hardened_xml_parsing():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


def test_the_not_known_age_band_shows_only_when_there_are_some(world):
    from caseaudit.population.selectors import population_figures

    known = population_import(partnership=world.north, content=GOOD, file_name="a.csv")
    bands = [row["value"] for row in population_figures(known)["by_age_band"]]
    assert bands == ["0-4", "5-9", "10-15", "16+"]
    unknown = population_import(
        partnership=world.north, content=extract("C9,,,,,neglect,,,,,,"), file_name="b.csv"
    )
    rows = population_figures(unknown)["by_age_band"]
    assert rows[-1] == {"value": "unknown", "label": "Not known", "count": 1, "percent": 100.0}
