"""Template files: a bad file is refused whole with the path of its first problem; a good one
becomes a complete spec; YAML and JSON read alike; an export imports back to the same version."""

import io
import json
import re
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from caseaudit.questionnaires.models import DEFAULT_GRADE_SCALE, YES_NO_NA_OPTIONS, QuestionType
from caseaudit.questionnaires.services import template_create, version_spec
from caseaudit.questionnaires.templatefile import (
    MAX_FILE_BYTES,
    TemplateFileError,
    dump_template,
    load_template_file,
    parse_template,
)
from tests.questionnaires.template_data import changed, good, without

CHOICE = "sections[1].questions[1]"  # the multiple choice question of the good template


def problem(data) -> TemplateFileError:
    with pytest.raises(TemplateFileError) as caught:
        parse_template(data)
    return caught.value


def problem_in_file(content: bytes, filename: str) -> TemplateFileError:
    with pytest.raises(TemplateFileError) as caught:
        load_template_file(content, filename)
    return caught.value


def yaml_bytes(data) -> bytes:
    return yaml.safe_dump(data, sort_keys=False).encode()


class TestGoodFiles:
    def test_it_fills_the_defaults(self):
        spec = parse_template(good())
        first, why_not, visits = spec["sections"][0]["questions"]
        assert first["required"] is True
        assert first["comment"] is False
        assert first["help"] == ""
        assert first["show_if"] is None
        assert [(o["key"], o["label"], o["meaning"]) for o in first["options"]] == [
            (key, label, str(meaning)) for key, label, meaning in YES_NO_NA_OPTIONS
        ]
        assert why_not["options"] == []
        assert why_not["show_if"] == {"question": "seen_alone", "options": ["no"]}
        assert (visits["min"], visits["max"]) == (0, 50)
        grade = spec["sections"][1]["questions"][0]
        assert [o["key"] for o in grade["options"]] == [key for key, _, _ in DEFAULT_GRADE_SCALE]
        assert spec["grade_scale"] == grade["options"]
        assert spec["sections"][1]["questions"][2]["required"] is False

    def test_it_strips_text(self):
        data = changed("name", "  Padded name \n")
        changed(f"{CHOICE}.options[0].label", "\tMother  ", data)
        spec = parse_template(data)
        assert spec["name"] == "Padded name"
        assert spec["sections"][1]["questions"][1]["options"][0]["label"] == "Mother"

    def test_a_template_grade_scale_is_used_by_its_grade_questions(self):
        scale = [
            {"key": "good", "label": "Good", "meaning": "positive"},
            {"key": "inadequate", "label": "Inadequate", "meaning": "negative"},
        ]
        spec = parse_template(changed("grade_scale", scale))
        assert spec["sections"][1]["questions"][0]["options"] == scale

    def test_yes_no_na_meanings_can_be_flipped(self):
        flipped = [
            {"key": "yes", "label": "Yes", "meaning": "negative"},
            {"key": "no", "label": "No", "meaning": "positive"},
            {"key": "not_applicable", "label": "Not applicable", "meaning": "not_applicable"},
        ]
        spec = parse_template(changed("sections[0].questions[0].options", flipped))
        assert spec["sections"][0]["questions"][0]["options"] == flipped

    def test_show_if_can_point_to_a_grade(self):
        data = changed(
            "sections[1].questions[2].show_if", {"question": "grade", "options": ["inadequate"]}
        )
        spec = parse_template(data)
        assert spec["sections"][1]["questions"][2]["show_if"]["question"] == "grade"

    def test_a_section_may_have_no_questions_yet(self):
        spec = parse_template(changed("sections[1].questions", []))
        assert spec["sections"][1]["questions"] == []

    def test_yaml_and_json_read_alike(self):
        from_yaml = load_template_file(yaml_bytes(good()), "audit.yaml")
        from_json = load_template_file(json.dumps(good()).encode(), "audit.JSON")
        assert from_yaml == from_json == parse_template(good())

    def test_yes_no_and_dates_stay_text_in_yaml(self):
        content = b"""
name: Plain YAML
sections:
  - title: One
    questions:
      - key: seen
        text: Seen?
        type: yes_no_na
        required: true
        options:
          - {key: yes, label: Yes, meaning: negative}
          - {key: no, label: No, meaning: positive}
          - {key: not_applicable, label: Not applicable, meaning: not_applicable}
      - key: why
        text: Why?
        type: text
        show_if: {question: seen, options: [no]}
"""
        spec = load_template_file(content.replace(b"Plain YAML", b"2026-02-30"), "plain.yml")
        assert spec["name"] == "2026-02-30"
        seen, why = spec["sections"][0]["questions"]
        assert [o["label"] for o in seen["options"]][:2] == ["Yes", "No"]
        assert why["show_if"]["options"] == ["no"]

    def test_it_reads_a_path_an_open_file_and_a_byte_order_mark(self, tmp_path):
        path = tmp_path / "audit.yaml"
        path.write_bytes(yaml_bytes(good()))
        expected = parse_template(good())
        assert load_template_file(path) == expected
        assert load_template_file(str(path)) == expected
        assert load_template_file(io.BytesIO(path.read_bytes()), "upload.yaml") == expected
        upload = SimpleUploadedFile("sent.json", json.dumps(good()).encode())
        assert load_template_file(upload) == expected
        bom = "\ufeff".encode() + json.dumps(good()).encode()
        assert load_template_file(bom, "excel.json") == expected

    def test_a_file_of_exactly_1mb_is_read(self):
        content = yaml_bytes(changed("description", ""))
        padded = content + b"#" * (MAX_FILE_BYTES - len(content))
        assert len(padded) == MAX_FILE_BYTES
        assert load_template_file(padded, "big.yaml")["name"] == "Synthetic audit"


# (what is wrong, the broken template, the path reported, words of the message)
BAD_TEMPLATES = [
    ("a list, not a template", [good()], "", "A template must be a mapping"),
    ("unknown top-level field", changed("colour", "blue"), "colour", "colour is not a field"),
    ("no name", without("name"), "name", "Template name is missing"),
    ("blank name", changed("name", "   "), "name", "Template name is blank"),
    ("name a number", changed("name", 2026), "name", "must be text, not the number 2026"),
    ("name too long", changed("name", "n" * 201), "name", "200 characters or fewer"),
    ("description a list", changed("description", ["a"]), "description", "must be text"),
    ("grade scale not a list", changed("grade_scale", "good"), "grade_scale", "must be a list"),
    (
        "one grade",
        changed("grade_scale", [{"key": "good", "label": "Good", "meaning": "positive"}]),
        "grade_scale",
        "at least 2 grades",
    ),
    (
        "bad grade meaning",
        changed(
            "grade_scale",
            [
                {"key": "good", "label": "Good", "meaning": "positive"},
                {"key": "poor", "label": "Poor", "meaning": "bad"},
            ],
        ),
        "grade_scale[1].meaning",
        "Grade meaning must be positive, negative, neutral, not_applicable or not_known",
    ),
    ("no sections", without("sections"), "sections", "sections is missing"),
    ("empty sections", changed("sections", []), "sections", "at least one section"),
    ("sections a mapping", changed("sections", {"title": "x"}), "sections", "must be a list"),
    ("section a string", changed("sections[1]", "Overall"), "sections[1]", "A section must be"),
    ("section without title", without("sections[0].title"), "sections[0].title", "missing"),
    ("unknown section field", changed("sections[0].heading", "x"), "sections[0].heading", ""),
    ("questions a mapping", changed("sections[0].questions", {}), "sections[0].questions", ""),
    ("question a string", changed(CHOICE, "Who?"), CHOICE, "A question must be a mapping"),
    ("unknown question field", changed(f"{CHOICE}.colour", 1), f"{CHOICE}.colour", "A question"),
    ("no key", without(f"{CHOICE}.key"), f"{CHOICE}.key", "Question key is missing"),
    ("key not a slug", changed(f"{CHOICE}.key", "Who Came"), f"{CHOICE}.key", "lowercase"),
    ("key too long", changed(f"{CHOICE}.key", "k" * 81), f"{CHOICE}.key", "80 characters"),
    (
        "key used twice",
        changed(f"{CHOICE}.key", "seen_alone"),
        f"{CHOICE}.key",
        "also used by sections[0].questions[0]",
    ),
    ("no text", without(f"{CHOICE}.text"), f"{CHOICE}.text", "Question text is missing"),
    ("blank text", changed(f"{CHOICE}.text", ""), f"{CHOICE}.text", "Question text is blank"),
    ("no type", without(f"{CHOICE}.type"), f"{CHOICE}.type", "Question type is missing"),
    ("unknown type", changed(f"{CHOICE}.type", "radio"), f"{CHOICE}.type", "(found 'radio')"),
    ("required as text", changed(f"{CHOICE}.required", "yes"), f"{CHOICE}.required", "true or"),
    ("comment a number", changed(f"{CHOICE}.comment", 1), f"{CHOICE}.comment", "true or false"),
    (
        "comment label too long",
        changed("sections[1].questions[0].comment_label", "c" * 201),
        "sections[1].questions[0].comment_label",
        "200 characters or fewer",
    ),
    ("help a list", changed(f"{CHOICE}.help", ["a"]), f"{CHOICE}.help", "help must be text"),
    ("options a mapping", changed(f"{CHOICE}.options", {}), f"{CHOICE}.options", "a list"),
    ("no options", without(f"{CHOICE}.options"), f"{CHOICE}.options", "at least 2 options"),
    (
        "one option",
        changed(f"{CHOICE}.options", [{"key": "a", "label": "A", "meaning": "neutral"}]),
        f"{CHOICE}.options",
        "A multiple choice question needs at least 2 options",
    ),
    ("option a string", changed(f"{CHOICE}.options[1]", "Father"), f"{CHOICE}.options[1]", ""),
    (
        "unknown option field",
        changed(f"{CHOICE}.options[0].score", 3),
        f"{CHOICE}.options[0].score",
        "score is not a field of an option",
    ),
    ("option without key", without(f"{CHOICE}.options[2].key"), f"{CHOICE}.options[2].key", ""),
    (
        "option key used twice",
        changed(f"{CHOICE}.options[2].key", "mother"),
        f"{CHOICE}.options[2].key",
        "Option key mother is also used by sections[1].questions[1].options[0]",
    ),
    (
        "option without label",
        without(f"{CHOICE}.options[0].label"),
        f"{CHOICE}.options[0].label",
        "Option label is missing",
    ),
    (
        "option without meaning",
        without(f"{CHOICE}.options[1].meaning"),
        f"{CHOICE}.options[1].meaning",
        "Option meaning is missing",
    ),
    (
        "bad option meaning",
        changed(f"{CHOICE}.options[1].meaning", "good"),
        f"{CHOICE}.options[1].meaning",
        "(found 'good')",
    ),
    (
        "options on a text question",
        changed(
            "sections[0].questions[1].options",
            [{"key": "a", "label": "A", "meaning": "neutral"}],
        ),
        "sections[0].questions[1].options",
        "A free text question has no options",
    ),
    (
        "a yes / no / not applicable option with another key",
        changed(
            "sections[0].questions[0].options",
            [
                {"key": "yes", "label": "Yes", "meaning": "positive"},
                {"key": "maybe", "label": "Maybe", "meaning": "neutral"},
            ],
        ),
        "sections[0].questions[0].options[1].key",
        "(found 'maybe')",
    ),
    (
        "a yes / no / not applicable question with two of its options",
        changed(
            "sections[0].questions[0].options",
            [
                {"key": "yes", "label": "Yes", "meaning": "positive"},
                {"key": "no", "label": "No", "meaning": "negative"},
            ],
        ),
        "sections[0].questions[0].options",
        "needs all three options",
    ),
    (
        "show_if pointing to a later question",
        changed("sections[0].questions[1].show_if.question", "contacted"),
        "sections[0].questions[1].show_if.question",
        "contacted comes later in the template",
    ),
    (
        "show_if pointing nowhere",
        changed("sections[0].questions[1].show_if.question", "seen"),
        "sections[0].questions[1].show_if.question",
        "There is no question with the key seen",
    ),
    (
        "show_if pointing to itself",
        changed("sections[0].questions[1].show_if.question", "why_not"),
        "sections[0].questions[1].show_if.question",
        "show_if cannot point to the question itself",
    ),
    (
        "show_if pointing to a question without options",
        changed("sections[1].questions[2].show_if", {"question": "visits", "options": ["1"]}),
        "sections[1].questions[2].show_if.question",
        "visits is a number question",
    ),
    (
        "show_if with an option the question does not have",
        changed("sections[0].questions[1].show_if.options", ["no", "maybe"]),
        "sections[0].questions[1].show_if.options[1]",
        "seen_alone has no option 'maybe' (its options are yes, no, not_applicable)",
    ),
    (
        "show_if with no options",
        changed("sections[0].questions[1].show_if.options", []),
        "sections[0].questions[1].show_if.options",
        "List the options of seen_alone",
    ),
    (
        "show_if with an option twice",
        changed("sections[0].questions[1].show_if.options", ["no", "no"]),
        "sections[0].questions[1].show_if.options[1]",
        "no is listed twice",
    ),
    (
        "show_if with an unknown field",
        changed("sections[0].questions[1].show_if.when", "always"),
        "sections[0].questions[1].show_if.when",
        "when is not a field of show_if",
    ),
    (
        "show_if as text",
        changed("sections[0].questions[1].show_if", "seen_alone is no"),
        "sections[0].questions[1].show_if",
        "show_if must be a mapping",
    ),
    (
        "min above max",
        changed("sections[0].questions[2].min", 60),
        "sections[0].questions[2].max",
        "max (50) must not be less than min (60)",
    ),
    (
        "min as text",
        changed("sections[0].questions[2].min", "0"),
        "sections[0].questions[2].min",
        "min must be a number",
    ),
    (
        "max not a number",
        changed("sections[0].questions[2].max", float("nan")),
        "sections[0].questions[2].max",
        "max must be a number, not nan",
    ),
    (
        "min with three decimal places",
        changed("sections[0].questions[2].min", 0.125),
        "sections[0].questions[2].min",
        "at most 2 decimal places",
    ),
    (
        "max too large to store",
        changed("sections[0].questions[2].max", 10**10),
        "sections[0].questions[2].max",
        "between",
    ),
    (
        "max far too large to store",
        changed("sections[0].questions[2].max", 10**400),
        "sections[0].questions[2].max",
        "between",
    ),
    (
        "min on a text question",
        changed("sections[0].questions[1].min", 1),
        "sections[0].questions[1].min",
        "min can only be given for a number question",
    ),
]


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [pytest.param(data, path, words, id=what) for what, data, path, words in BAD_TEMPLATES],
)
def test_a_bad_template_is_refused_with_the_path_of_the_problem(data, path, words):
    error = problem(data)
    assert error.path == path
    assert words in error.message
    assert str(error) == (f"{path}: {error.message}" if path else error.message)


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [pytest.param(data, path, words, id=what) for what, data, path, words in BAD_TEMPLATES[:12]],
)
def test_the_same_problems_are_found_in_json_files(data, path, words):
    error = problem_in_file(json.dumps(data).encode(), "bad.json")
    assert (error.path, words in error.message) == (path, True)


def test_the_first_problem_in_the_file_is_the_one_reported():
    data = changed("sections[1].questions[2].type", "calendar")
    changed("sections[0].questions[2].key", "Visits", data)
    changed("sections[1].title", "", data)
    assert problem(data).path == "sections[0].questions[2].key"
    changed("sections[0].questions[2].key", "visits", data)
    assert problem(data).path == "sections[1].title"


def test_an_unknown_field_is_reported_before_a_missing_one():
    data = without(f"{CHOICE}.text")
    changed(f"{CHOICE}.txt", "Who?", data)
    assert problem(data).path == f"{CHOICE}.txt"


class TestBadFiles:
    def test_a_file_over_1mb_is_refused_whole(self, tmp_path):
        content = yaml_bytes(good())
        content += b"#" * (MAX_FILE_BYTES + 1 - len(content))
        assert problem_in_file(content, "big.yaml").message == (
            "The selected file must be smaller than 1MB"
        )
        path = tmp_path / "big.json"
        path.write_bytes(b" " * MAX_FILE_BYTES + json.dumps(good()).encode())
        with pytest.raises(TemplateFileError, match="smaller than 1MB"):
            load_template_file(path)
        with pytest.raises(TemplateFileError, match="smaller than 1MB"):
            load_template_file(io.BytesIO(content), "upload.yaml")

    @pytest.mark.parametrize("filename", ["audit.txt", "audit.csv", "audit", "audit.yaml.docx"])
    def test_only_yaml_and_json_files_are_read(self, filename):
        error = problem_in_file(yaml_bytes(good()), filename)
        assert error.path == ""
        assert "YAML (.yaml or .yml) or JSON (.json)" in error.message

    def test_text_that_is_not_utf8_is_refused_with_its_line(self):
        content = "name: Caf\u00e9\nsections: []\n".encode("cp1252")
        error = problem_in_file(content, "audit.yaml")
        assert (error.path, error.message) == (
            "",
            "The file must be saved as UTF-8 text: line 1 has a character that cannot be read",
        )

    def test_broken_yaml_is_refused_with_its_line(self):
        content = b"name: Broken\nsections:\n  - title: [One\n    questions: []\n"
        error = problem_in_file(content, "audit.yaml")
        assert error.path == ""
        assert error.message.startswith("The file is not valid YAML: ")
        assert "(line 4, column 14)" in error.message

    def test_broken_json_is_refused_with_its_line(self):
        content = b'{\n  "name": "Broken",\n  "sections": [\n}\n'
        error = problem_in_file(content, "audit.json")
        assert error.path == ""
        assert error.message.startswith("The file is not valid JSON: ")
        assert "(line 4, column 1)" in error.message

    def test_a_field_given_twice_is_refused(self):
        error = problem_in_file(b"name: One\nsections: []\nname: Two\n", "audit.yaml")
        assert error.message == "Line 3: the field name is given twice here. Keep only one"
        error = problem_in_file(b'{"name": "One", "name": "Two"}', "audit.json")
        assert error.message == 'The field "name" is given twice in the same object. Keep only one'

    def test_yaml_aliases_are_refused(self):
        content = b"name: &n Lots\ndescription: *n\nsections: []\n"
        error = problem_in_file(content, "audit.yaml")
        assert error.message.startswith("Line 2: aliases (*name) cannot be used")

    @pytest.mark.parametrize("content", [b"", b"  \n\n", b"---\n", b"# just a comment\n"])
    def test_an_empty_file_is_refused(self, content):
        assert problem_in_file(content, "audit.yaml").message == "The selected file is empty"

    def test_a_scalar_is_not_a_template(self):
        error = problem_in_file(b"just some words\n", "audit.yaml")
        assert error.path == ""
        assert error.message.endswith("not 'just some words'")

    @pytest.mark.parametrize("filename", ["long.json", "long.yaml"])
    def test_a_number_too_long_to_read_is_refused(self, filename):
        content = b'{"name": "x", "sections": [], "description": ' + b"9" * 5000 + b"}"
        error = problem_in_file(content, filename)
        assert error.path == ""
        assert error.message.startswith("The file holds a value that cannot be read")

    @pytest.mark.parametrize("filename", ["deep.json", "deep.yaml"])
    def test_deep_nesting_is_refused(self, filename):
        error = problem_in_file(b"[" * 100_000 + b"]" * 100_000, filename)
        assert (error.path, error.message) == ("", "The file is nested too deeply to be a template")


class TestDump:
    def test_yaml_is_readable(self):
        text = dump_template(parse_template(good()), "yaml")
        assert text.startswith("name: Synthetic audit\ndescription: Made up for tests.\n")
        assert "&id" not in text
        assert "required: true" not in text  # defaults are left out
        assert "  - title: Seeing the child\n" in text
        multi_line = changed(f"{CHOICE}.help", "First line.\nSecond line.")
        assert "help: |-\n" in dump_template(parse_template(multi_line), "yaml")

    def test_unicode_is_written_as_it_is(self):
        spec = parse_template(changed("name", "Caf\u00e9 audit \u2013 2026"))
        assert "Caf\u00e9 audit \u2013 2026" in dump_template(spec, "yaml")
        assert "Caf\u00e9 audit \u2013 2026" in dump_template(spec, "json")

    @pytest.mark.parametrize("fmt", ["yaml", "json"])
    def test_a_dumped_spec_parses_back_to_itself(self, fmt):
        data = changed("grade_scale", [
            {"key": "good", "label": "Good", "meaning": "positive"},
            {"key": "poor", "label": "Poor", "meaning": "negative"},
        ])  # fmt: skip
        changed("sections[0].questions[2].max", 12.5, data)
        spec = parse_template(data)
        text = dump_template(spec, fmt)
        assert load_template_file(text.encode(), f"again.{fmt}") == spec

    def test_an_unknown_format_is_refused(self):
        with pytest.raises(ValueError, match="use yaml or json"):
            dump_template(parse_template(good()), "xml")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_exported_version_imports_as_the_same_spec(world, fmt):
    data = changed(f"{CHOICE}.show_if", {"question": "grade", "options": ["good", "outstanding"]})
    changed("sections[0].questions[2].min", 1.5, data)
    _, first = template_create(partnership=world.north, spec=parse_template(data))
    exported = version_spec(first)
    text = dump_template(exported, fmt)
    _, second = template_create(
        partnership=world.north, spec=load_template_file(text.encode(), f"export.{fmt}")
    )
    assert second.number == first.number + 1
    assert version_spec(second) == exported
    assert second.questions.count() == first.questions.count() == 6
    assert second.questions.get(key="contacted").show_if_question.version == second


class TestDocumentation:
    DOCS = Path(__file__).resolve().parents[2] / "docs"

    def test_the_example_files_import_alike(self, world):
        from_yaml = load_template_file(self.DOCS / "examples" / "template.yaml")
        from_json = load_template_file(self.DOCS / "examples" / "template.json")
        assert from_yaml == from_json
        _, version = template_create(partnership=world.north, spec=from_json)
        assert parse_template(version_spec(version)) == from_yaml
        # Every question type is shown, and show_if.
        questions = [q for section in from_yaml["sections"] for q in section["questions"]]
        assert {q["type"] for q in questions} == set(QuestionType.values)
        assert any(q["show_if"] for q in questions)

    def test_the_example_in_formats_md_is_the_same_in_yaml_and_json(self):
        text = (self.DOCS / "formats.md").read_text(encoding="utf-8")
        example = text.split("## Template files", 1)[1].split("### Example", 1)[1]
        blocks = re.findall(r"```(yaml|json)\n(.*?)```", example, flags=re.DOTALL)
        assert [kind for kind, _ in blocks] == ["yaml", "json"]
        specs = [load_template_file(body.encode(), f"example.{kind}") for kind, body in blocks]
        assert specs[0] == specs[1]
