"""Template files: an audit template as YAML or JSON (the format is in docs/formats.md).

`load_template_file` reads a file, `parse_template` checks everything in it and returns the
*spec* that `services.version_create` stores, and `dump_template` writes a spec back out. A file
with any problem is refused whole: `TemplateFileError` names the first problem in the order of
the file, with its path (`sections[2].questions[0].options[1].meaning`) so it can be found."""

import json
import math
import re
from decimal import Decimal
from os import PathLike
from pathlib import Path

import yaml

from caseaudit.questionnaires.models import (
    CHOICE_TYPES,
    DEFAULT_GRADE_SCALE,
    YES_NO_NA_OPTIONS,
    Meaning,
    QuestionType,
)

MAX_FILE_BYTES = 1024 * 1024
FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}

KEY_PATTERN = re.compile(r"[a-z0-9_-]+")
KEY_MAX_LENGTH = 80
# The lengths of the columns the values are stored in (questionnaires.models).
NAME_MAX_LENGTH = 200
TITLE_MAX_LENGTH = 200
LABEL_MAX_LENGTH = 300
COMMENT_LABEL_MAX_LENGTH = 200
# min and max are stored as DecimalField(max_digits=12, decimal_places=2).
NUMBER_LIMIT = Decimal("10000000000")

TEMPLATE_FIELDS = ("name", "description", "grade_scale", "sections")
SECTION_FIELDS = ("title", "description", "questions")
QUESTION_FIELDS = (
    "key",
    "text",
    "type",
    "required",
    "comment",
    "comment_label",
    "help",
    "min",
    "max",
    "show_if",
    "options",
)
OPTION_FIELDS = ("key", "label", "meaning")
SHOW_IF_FIELDS = ("question", "options")
YES_NO_NA_KEYS = tuple(key for key, _, _ in YES_NO_NA_OPTIONS)


class TemplateFileError(ValueError):
    """The first problem in a template file. `path` says where it is ("" for the whole file);
    `message` says what is wrong in plain English."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path, message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


# Reading files ------------------------------------------------------------------------------


class _TemplateLoader(yaml.SafeLoader):
    """yaml.safe_load's loader with three changes for template files:

    - only true and false are booleans (as in YAML 1.2 and JSON), so `key: yes`, `key: no` and
      `label: No` stay text, as anyone writing a yes / no / not applicable question means (and
      dates stay text, see below);
    - aliases (`*name`) are refused: templates never need them, and a small file full of them
      can expand into an enormous one;
    - a key given twice in one mapping is an error rather than the last one silently winning.

    It is the pure-Python loader on purpose: libyaml's CSafeLoader is faster but crashes the
    whole process on deeply nested input, where this one raises RecursionError.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise TemplateFileError(
                "",
                f"Line {mark.line + 1}: aliases (*name) cannot be used in a template file. "
                "Write the values out in full",
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the base class says so
                continue
            if duplicate:
                raise TemplateFileError(
                    "",
                    f"Line {key_node.start_mark.line + 1}: the field {key} is given twice here. "
                    "Keep only one",
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# No value in a template is a date, so 2026-01-31 stays text too, rather than becoming a date
# that is then refused (or an impossible one that the YAML reader fails on).
_NOT_RESOLVED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_TemplateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _NOT_RESOLVED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_TemplateLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _json_object(pairs: list[tuple[str, object]]) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise TemplateFileError(
                "", f'The field "{key}" is given twice in the same object. Keep only one'
            )
        result[key] = value
    return result


def _read(source, filename: str) -> bytes:
    if isinstance(source, bytes | bytearray):
        content = bytes(source)
    elif isinstance(source, str | PathLike):
        path = Path(source)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TemplateFileError("", "The selected file must be smaller than 1MB")
        content = path.read_bytes()
    else:  # an open file, such as an upload
        content = source.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise TemplateFileError("", "The selected file must be smaller than 1MB")
    return content


def load_template_file(source, filename: str = "") -> dict:
    """The spec held in a template file. `source` is the file's content (bytes), its path (str
    or Path), or an open binary file such as an upload; `filename` decides YAML (.yaml, .yml) or
    JSON (.json) and defaults to the path's or the upload's name. Raises TemplateFileError for
    the first problem."""
    if not filename:
        # A path's name, or an upload's (Django's UploadedFile.name is the name it was sent as).
        name = source if isinstance(source, str | PathLike) else getattr(source, "name", None)
        filename = Path(name).name if isinstance(name, str | PathLike) else ""
    file_format = FORMATS.get(Path(filename).suffix.lower())
    if file_format is None:
        raise TemplateFileError(
            "", "The selected file must be a YAML (.yaml or .yml) or JSON (.json) file"
        )
    content = _read(source, filename)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise TemplateFileError(
            "",
            f"The file must be saved as UTF-8 text: line {line} has a character that cannot be "
            "read",
        ) from error
    if not text.strip():
        raise TemplateFileError("", "The selected file is empty")
    try:
        if file_format == "json":
            data = json.loads(text, object_pairs_hook=_json_object)
        else:
            data = yaml.load(text, Loader=_TemplateLoader)  # noqa: S506 - a SafeLoader subclass
    except json.JSONDecodeError as error:
        raise TemplateFileError(
            "",
            f"The file is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
        ) from error
    except yaml.YAMLError as error:
        raise TemplateFileError("", _yaml_problem(error)) from error
    except RecursionError as error:
        raise TemplateFileError("", "The file is nested too deeply to be a template") from error
    except TemplateFileError:
        raise  # a problem the YAML or JSON reader found (a field given twice, an alias)
    except ValueError as error:  # for one, a number thousands of digits long
        raise TemplateFileError(
            "", f"The file holds a value that cannot be read ({error})"
        ) from error
    if data is None:
        raise TemplateFileError("", "The selected file is empty")
    return parse_template(data)


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or "it could not be read"
    mark = getattr(error, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
    return f"The file is not valid YAML: {problem}{where}"


# Checking a template ----------------------------------------------------------------------


def _at(path: str, field: str | int) -> str:
    if isinstance(field, int):
        return f"{path}[{field}]"
    return f"{path}.{field}" if path else field


def _found(value) -> str:
    """How a wrong value is described in a message."""
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else "a long piece of text"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    if value is None:
        return "nothing"
    return "a date" if type(value).__name__ in {"date", "datetime"} else "something else"


def _capital(what: str) -> str:
    """ "a section" -> "A section"; a field name such as show_if stays as it is."""
    return what[0].upper() + what[1:] if what.startswith(("a ", "an ")) else what


def _fields(value, path: str, what: str, fields: tuple[str, ...]) -> dict:
    """`value` must be a mapping holding no fields but `fields`."""
    if not isinstance(value, dict):
        raise TemplateFileError(
            path,
            f"{_capital(what)} must be a mapping of fields ({', '.join(fields)}), "
            f"not {_found(value)}",
        )
    for key in value:
        if key not in fields:
            name = key if isinstance(key, str) else _found(key)
            raise TemplateFileError(
                _at(path, str(key)),
                f"{name} is not a field of {what}. {_capital(what)} can have: {', '.join(fields)}",
            )
    return value


def _text(
    data: dict, field: str, path: str, label: str, *, required: bool = True, max_length: int = 0
) -> str:
    value = data.get(field)
    where = _at(path, field)
    if value is None:
        if required:
            raise TemplateFileError(where, f"{label} is missing")
        return ""
    if not isinstance(value, str):
        raise TemplateFileError(where, f"{label} must be text, not {_found(value)}")
    value = value.strip()
    if required and not value:
        raise TemplateFileError(where, f"{label} is blank")
    if max_length and len(value) > max_length:
        raise TemplateFileError(where, f"{label} must be {max_length} characters or fewer")
    return value


def _key(data: dict, field: str, path: str, label: str) -> str:
    value = _text(data, field, path, label, max_length=KEY_MAX_LENGTH)
    if not KEY_PATTERN.fullmatch(value):
        raise TemplateFileError(
            _at(path, field),
            f"{label} must use only lowercase letters, digits, underscores and hyphens "
            f"(found {_found(value)})",
        )
    return value


def _bool(data: dict, field: str, path: str, default: bool) -> bool:
    value = data.get(field)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise TemplateFileError(
            _at(path, field), f"{field} must be true or false, not {_found(value)}"
        )
    return value


def _list(data: dict, field: str, path: str, label: str) -> list | None:
    value = data.get(field)
    if value is not None and not isinstance(value, list):
        raise TemplateFileError(_at(path, field), f"{label} must be a list, not {_found(value)}")
    return value


def _number(data: dict, field: str, path: str) -> int | float | None:
    value = data.get(field)
    where = _at(path, field)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise TemplateFileError(where, f"{field} must be a number, not {_found(value)}")
    decimal = Decimal(str(value))
    if abs(decimal) >= NUMBER_LIMIT:
        raise TemplateFileError(where, f"{field} must be between -9999999999 and 9999999999")
    if decimal.as_tuple().exponent < -2:
        raise TemplateFileError(where, f"{field} can have at most 2 decimal places")
    return value


def _choice(data: dict, field: str, path: str, label: str, values: list[str]) -> str:
    value = _text(data, field, path, label)
    if value not in values:
        listed = ", ".join(values[:-1]) + " or " + values[-1]
        raise TemplateFileError(
            _at(path, field), f"{label} must be {listed} (found {_found(value)})"
        )
    return value


def _options(value: list, path: str, what: str) -> list[dict]:
    """A list of {key, label, meaning}, keys unique."""
    options, seen = [], {}
    for index, raw in enumerate(value):
        where = _at(path, index)
        _fields(raw, where, f"an {what}" if what[0] in "aeiou" else f"a {what}", OPTION_FIELDS)
        label = what[0].upper() + what[1:]
        key = _key(raw, "key", where, f"{label} key")
        if key in seen:
            raise TemplateFileError(
                _at(where, "key"),
                f"{label} key {key} is also used by {seen[key]}. Each {what} needs its own key",
            )
        seen[key] = where
        options.append(
            {
                "key": key,
                "label": _text(raw, "label", where, f"{label} label", max_length=LABEL_MAX_LENGTH),
                "meaning": _choice(raw, "meaning", where, f"{label} meaning", Meaning.values),
            }
        )
    return options


def _grade_scale(data: dict) -> list[dict]:
    value = _list(data, "grade_scale", "", "grade_scale")
    if not value:
        return [
            {"key": key, "label": label, "meaning": str(meaning)}
            for key, label, meaning in DEFAULT_GRADE_SCALE
        ]
    grades = _options(value, "grade_scale", "grade")
    if len(grades) < 2:
        raise TemplateFileError("grade_scale", "A grade scale needs at least 2 grades")
    return grades


def _question_options(data: dict, path: str, question_type: str, grade_scale: list[dict]):
    where = _at(path, "options")
    value = _list(data, "options", path, "options")
    type_label = QuestionType(question_type).label.lower()
    if question_type not in CHOICE_TYPES:
        if value:
            raise TemplateFileError(
                where,
                f"A {type_label} question has no options. Remove the options, or change its type",
            )
        return []
    if not value:
        if question_type == QuestionType.YES_NO_NA:
            return [
                {"key": key, "label": label, "meaning": str(meaning)}
                for key, label, meaning in YES_NO_NA_OPTIONS
            ]
        if question_type == QuestionType.GRADE:
            return [dict(grade) for grade in grade_scale]
        raise TemplateFileError(where, f"A {type_label} question needs at least 2 options")
    options = _options(value, where, "option")
    if question_type == QuestionType.YES_NO_NA:
        for index, option in enumerate(options):
            if option["key"] not in YES_NO_NA_KEYS:
                raise TemplateFileError(
                    _at(_at(where, index), "key"),
                    "The options of a yes, no or not applicable question must have the keys "
                    f"yes, no and not_applicable (found {_found(option['key'])})",
                )
        if len(options) != len(YES_NO_NA_KEYS):
            raise TemplateFileError(
                where,
                "A yes, no or not applicable question needs all three options: yes, no and "
                "not_applicable. Leave options out to use the standard ones",
            )
    elif len(options) < 2:
        raise TemplateFileError(where, f"A {type_label} question needs at least 2 options")
    return options


def _show_if(data: dict, path: str, key: str, earlier: dict[str, dict], all_keys: set[str]):
    value = data.get("show_if")
    if value is None:
        return None
    where = _at(path, "show_if")
    _fields(value, where, "show_if", SHOW_IF_FIELDS)
    other = _text(value, "question", where, "The show_if question")
    question_at = _at(where, "question")
    if other == key:
        raise TemplateFileError(question_at, "show_if cannot point to the question itself")
    if other not in earlier:
        if other in all_keys:
            raise TemplateFileError(
                question_at,
                f"show_if must point to an earlier question, and {other} comes later in the "
                "template",
            )
        raise TemplateFileError(question_at, f"There is no question with the key {other}")
    depends_on = earlier[other]
    if depends_on["type"] not in CHOICE_TYPES:
        type_label = QuestionType(depends_on["type"]).label.lower()
        raise TemplateFileError(
            question_at,
            f"show_if must point to a question with options, and {other} is a {type_label} "
            "question",
        )
    option_keys = [option["key"] for option in depends_on["options"]]
    listed = _list(value, "options", where, "The show_if options")
    if not listed:
        raise TemplateFileError(
            _at(where, "options"),
            f"List the options of {other} that show this question (its options are "
            f"{', '.join(option_keys)})",
        )
    chosen: list[str] = []
    for index, option in enumerate(listed):
        option_at = _at(_at(where, "options"), index)
        if not isinstance(option, str):
            raise TemplateFileError(option_at, f"An option key must be text, not {_found(option)}")
        option = option.strip()
        if option not in option_keys:
            raise TemplateFileError(
                option_at,
                f"{other} has no option {_found(option)} (its options are "
                f"{', '.join(option_keys)})",
            )
        if option in chosen:
            raise TemplateFileError(option_at, f"{option} is listed twice")
        chosen.append(option)
    return {"question": other, "options": chosen}


def _question(
    raw, path: str, grade_scale: list[dict], earlier: dict[str, dict], all_keys: set[str]
) -> dict:
    _fields(raw, path, "a question", QUESTION_FIELDS)
    key = _key(raw, "key", path, "Question key")
    if key in earlier:
        raise TemplateFileError(
            _at(path, "key"),
            f"Question key {key} is also used by {earlier[key]['path']}. Each question needs "
            "its own key",
        )
    text = _text(raw, "text", path, "Question text")
    question_type = _choice(raw, "type", path, "Question type", QuestionType.values)
    required = _bool(raw, "required", path, default=True)
    comment = _bool(raw, "comment", path, default=False)
    comment_label = _text(
        raw,
        "comment_label",
        path,
        "comment_label",
        max_length=COMMENT_LABEL_MAX_LENGTH,
        required=False,
    )
    help_text = _text(raw, "help", path, "help", required=False)
    low, high = _number(raw, "min", path), _number(raw, "max", path)
    if question_type != QuestionType.NUMBER:
        for field, value in (("min", low), ("max", high)):
            if value is not None:
                raise TemplateFileError(
                    _at(path, field), f"{field} can only be given for a number question"
                )
    if low is not None and high is not None and low > high:
        raise TemplateFileError(_at(path, "max"), f"max ({high}) must not be less than min ({low})")
    show_if = _show_if(raw, path, key, earlier, all_keys)
    return {
        "key": key,
        "text": text,
        "type": question_type,
        "required": required,
        "comment": comment,
        "comment_label": comment_label,
        "help": help_text,
        "min": low,
        "max": high,
        "show_if": show_if,
        "options": _question_options(raw, path, question_type, grade_scale),
    }


def _all_question_keys(data) -> set[str]:
    """Every question key in the file, however malformed the rest: only used to tell a show_if
    that points forward from one that points nowhere."""
    keys = set()
    sections = data.get("sections") if isinstance(data, dict) else None
    for section in sections if isinstance(sections, list) else []:
        questions = section.get("questions") if isinstance(section, dict) else None
        for question in questions if isinstance(questions, list) else []:
            if isinstance(question, dict) and isinstance(question.get("key"), str):
                keys.add(question["key"].strip())
    return keys


def parse_template(data) -> dict:
    """Checks a loaded template file completely and returns its spec: every field present, with
    defaults filled in (the options of yes / no / not applicable and grade questions too) and
    text stripped. Raises TemplateFileError for the first problem in the order of the file."""
    all_keys = _all_question_keys(data)
    _fields(data, "", "a template", TEMPLATE_FIELDS)
    name = _text(data, "name", "", "Template name", max_length=NAME_MAX_LENGTH)
    description = _text(data, "description", "", "Template description", required=False)
    grade_scale = _grade_scale(data)
    sections_raw = _list(data, "sections", "", "sections")
    if sections_raw is None:
        raise TemplateFileError(
            "sections", "sections is missing. A template needs at least one section"
        )
    if not sections_raw:
        raise TemplateFileError("sections", "A template needs at least one section")
    earlier: dict[str, dict] = {}
    sections = []
    for section_index, section_raw in enumerate(sections_raw):
        section_path = _at("sections", section_index)
        _fields(section_raw, section_path, "a section", SECTION_FIELDS)
        title = _text(
            section_raw, "title", section_path, "Section title", max_length=TITLE_MAX_LENGTH
        )
        section_description = _text(
            section_raw, "description", section_path, "Section description", required=False
        )
        questions = []
        for question_index, question_raw in enumerate(
            _list(section_raw, "questions", section_path, "questions") or []
        ):
            question_path = _at(_at(section_path, "questions"), question_index)
            question = _question(question_raw, question_path, grade_scale, earlier, all_keys)
            earlier[question["key"]] = {**question, "path": question_path}
            questions.append(question)
        sections.append(
            {"title": title, "description": section_description, "questions": questions}
        )
    return {
        "name": name,
        "description": description,
        "grade_scale": grade_scale,
        "sections": sections,
    }


# Writing files ------------------------------------------------------------------------------


class _TemplateDumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # write every value out in full: the loader refuses aliases

    def increase_indent(self, flow=False, indentless=False):
        # Indent list items under their key, as people write YAML by hand.
        return super().increase_indent(flow, indentless=False)


def _represent_text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_TemplateDumper.add_representer(str, _represent_text)


def _question_out(question: dict) -> dict:
    """A question as written: every field that differs from its default, in a fixed order."""
    out = {"key": question["key"], "text": question["text"], "type": question["type"]}
    if not question.get("required", True):
        out["required"] = False
    if question.get("comment"):
        out["comment"] = True
    for field in ("comment_label", "help", "min", "max", "show_if"):
        if question.get(field) not in (None, ""):
            out[field] = question[field]
    if question.get("options"):
        out["options"] = [
            {"key": o["key"], "label": o["label"], "meaning": o["meaning"]}
            for o in question["options"]
        ]
    return out


def _spec_out(spec: dict) -> dict:
    out = {"name": spec["name"]}
    if spec.get("description"):
        out["description"] = spec["description"]
    if spec.get("grade_scale"):
        out["grade_scale"] = [
            {"key": g["key"], "label": g["label"], "meaning": g["meaning"]}
            for g in spec["grade_scale"]
        ]
    out["sections"] = []
    for section in spec["sections"]:
        section_out = {"title": section["title"]}
        if section.get("description"):
            section_out["description"] = section["description"]
        section_out["questions"] = [_question_out(q) for q in section.get("questions", [])]
        out["sections"].append(section_out)
    return out


def dump_template(spec: dict, fmt: str = "yaml") -> str:
    """A spec (from `parse_template` or `services.version_spec`) as a template file. Fields at
    their defaults are left out; options and the grade scale are always written in full."""
    data = _spec_out(spec)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.dump(
            data, Dumper=_TemplateDumper, sort_keys=False, allow_unicode=True, width=100
        )
    raise ValueError(f"Unknown template file format {fmt!r}: use yaml or json")
