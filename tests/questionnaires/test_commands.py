"""`caseaudit import_template` and `caseaudit export_template`: a good file becomes a template
(or its next version), a bad one is refused whole with the path of its first problem, the
starter library imports by slug, and an export imports back to the same template."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.questionnaires import library
from caseaudit.questionnaires.models import Question, Template
from caseaudit.questionnaires.services import version_spec
from caseaudit.questionnaires.templatefile import load_template_file, parse_template
from tests.questionnaires.template_data import changed, good


def run(command: str, *args, **options) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "synthetic.yaml"
    path.write_text(yaml.safe_dump(good(), sort_keys=False), encoding="utf-8")
    return path


class TestImportTemplate:
    def test_it_imports_a_file(self, world, good_file):
        out = run("import_template", "--partnership", "north", str(good_file))
        assert out == "Imported Synthetic audit, version 1 (2 sections, 6 questions)\n"
        template = Template.objects.get(partnership=world.north)
        version = template.latest_version()
        assert version.source == "synthetic.yaml"
        assert parse_template(version_spec(version)) == load_template_file(good_file)
        event = AccessEvent.objects.get(action=Action.TEMPLATE_IMPORTED)
        assert (event.partnership, event.object_id) == (world.north, str(version.pk))
        assert (event.actor, event.detail) == ("caseaudit import_template", "from synthetic.yaml")

    def test_the_documented_example_prints_what_the_docs_say(self, world):
        example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "template.yaml"
        out = run("import_template", "--partnership", "north", str(example))
        assert out == "Imported Child seen and heard, version 1 (2 sections, 8 questions)\n"

    def test_a_json_file_again_makes_version_2(self, world, good_file, tmp_path):
        run("import_template", "--partnership", "north", str(good_file))
        again = tmp_path / "synthetic.json"
        again.write_text(json.dumps(changed("sections[1].title", "Overall view")))
        out = run("import_template", "--partnership", "north", str(again))
        assert out == "Imported Synthetic audit, version 2 (2 sections, 6 questions)\n"
        template = Template.objects.get(partnership=world.north)
        assert template.versions.count() == 2
        assert template.latest_version().sections.filter(title="Overall view").exists()

    def test_a_bad_file_stores_nothing_and_names_the_problem(self, world, tmp_path):
        bad = tmp_path / "bad.yaml"
        data = changed("sections[1].questions[1].options[1].meaning", "great")
        bad.write_text(yaml.safe_dump(data), encoding="utf-8")
        with pytest.raises(CommandError) as caught:
            run("import_template", "--partnership", "north", str(bad))
        assert str(caught.value) == (
            f"{bad}: sections[1].questions[1].options[1].meaning: Option meaning must be "
            "positive, negative, neutral, not_applicable or not_known (found 'great')"
        )
        assert not Template.objects.exists()
        assert not Question.objects.exists()
        assert not AccessEvent.objects.exists()

    def test_a_missing_file_or_partnership_is_refused(self, world, good_file):
        with pytest.raises(CommandError, match=r"No file at nowhere\.yaml"):
            run("import_template", "--partnership", "north", "nowhere.yaml")
        with pytest.raises(CommandError, match="No partnership with slug 'east'"):
            run("import_template", "--partnership", "east", str(good_file))
        assert not Template.objects.exists()

    def test_it_imports_from_the_starter_library(self, world):
        out = run("import_template", "--partnership", "south", "--library", "neglect_deep_dive")
        spec = library.load("neglect_deep_dive")
        questions = sum(len(section["questions"]) for section in spec["sections"])
        assert out == (
            f"Imported {spec['name']}, version 1 "
            f"({len(spec['sections'])} sections, {questions} questions)\n"
        )
        version = Template.objects.get(partnership=world.south).latest_version()
        assert version.source == "Starter library: neglect_deep_dive.yaml"
        assert parse_template(version_spec(version)) == spec

    def test_all_of_the_library_at_once(self, world):
        out = run("import_template", "--partnership", "north", "--library", "all")
        names = [entry["name"] for entry in library.available()]
        assert [line.rsplit(", version", 1)[0] for line in out.splitlines()] == [
            f"Imported {name}" for name in names
        ]
        assert sorted(
            Template.objects.filter(partnership=world.north).values_list("name", flat=True)
        ) == sorted(names)

    def test_an_unknown_library_template_is_refused(self, world):
        with pytest.raises(CommandError, match="No starter template called 'neglect'"):
            run("import_template", "--partnership", "north", "--library", "neglect")

    def test_a_file_and_the_library_together_are_refused(self, world, good_file):
        with pytest.raises(CommandError, match="not allowed with argument"):
            run("import_template", "--partnership", "north", str(good_file), "--library", "all")
        assert not Template.objects.exists()


class TestExportTemplate:
    @pytest.fixture
    def imported(self, world, good_file, tmp_path):
        run("import_template", "--partnership", "north", str(good_file))
        second = tmp_path / "second.yaml"
        second.write_text(yaml.safe_dump(changed("sections[0].title", "Seeing the child alone")))
        run("import_template", "--partnership", "north", str(second))
        return Template.objects.get(partnership=world.north)

    def test_it_writes_the_latest_version_as_yaml_to_standard_output(self, imported):
        out = run("export_template", "--partnership", "north", "--template", "Synthetic audit")
        assert out.startswith("name: Synthetic audit\n")
        assert load_template_file(out.encode(), "out.yaml")["sections"][0]["title"] == (
            "Seeing the child alone"
        )

    def test_an_earlier_version_as_json(self, imported):
        out = run(
            "export_template", "--partnership", "north", "--template", "synthetic AUDIT",
            "--version", "1", "--format", "json",
        )  # fmt: skip
        assert json.loads(out)["sections"][0]["title"] == "Seeing the child"

    @pytest.mark.parametrize("name", ["export.json", "export.yaml"])
    def test_an_output_file_imports_back_as_the_same_spec(self, world, imported, tmp_path, name):
        path = tmp_path / name
        out = run(
            "export_template", "--partnership", "north", "--template", "Synthetic audit",
            "--output", str(path),
        )  # fmt: skip
        assert out == f"Exported Synthetic audit, version 2 to {path}\n"
        text = path.read_text(encoding="utf-8")
        assert text.startswith("{") == name.endswith(".json")
        exported = imported.latest_version()
        run("import_template", "--partnership", "north", str(path))
        assert imported.versions.count() == 3
        assert version_spec(imported.latest_version()) == version_spec(exported)

    def test_another_partnership_cannot_export_it(self, imported):
        with pytest.raises(CommandError, match="No template called 'Synthetic audit' in south"):
            run("export_template", "--partnership", "south", "--template", "Synthetic audit")

    def test_an_unknown_version_is_refused(self, imported):
        with pytest.raises(CommandError, match=r"has no version 7 \(versions: 1, 2\)"):
            run(
                "export_template", "--partnership", "north", "--template", "Synthetic audit",
                "--version", "7",
            )  # fmt: skip


def test_the_console_script_reports_a_bad_file_on_standard_error(tmp_path):
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
    assert caseaudit("create_partnership", "--name", "East", "--slug", "east").returncode == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(changed("sections[0].questions[2].min", 99)))
    result = caseaudit("import_template", "--partnership", "east", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: {bad}: sections[0].questions[2].max: max (50) must not be less than "
        "min (99)"
    )
    result = caseaudit("import_template", "--partnership", "east", "--library", "all")
    assert result.returncode == 0, result.stderr
    result = caseaudit(
        "export_template", "--partnership", "east", "--template", "Neglect deep dive",
        "--version", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("name: Neglect deep dive\n")
