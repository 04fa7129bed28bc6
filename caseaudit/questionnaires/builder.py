"""The template builder's writes: every change the browser makes to a template version.

Each function changes one version and starts, inside its transaction, with
`check_version_editable`, which locks the version row and refuses a frozen version, so nothing
changes once the first request using a version is sent (VersionFrozenError, a ValidationError,
tells the view to offer a new version instead). Errors are ValidationErrors keyed by the field
they are about, in GOV.UK wording, so a form can show each beside its field.

Keys the builder writes use lowercase letters, numbers and underscores. Template files may also
use hyphens, so a key that came from a file is accepted as long as it is not changed: changing
it would break the comparison across audits that the key is for.

A question is given as a dict: text, key, help, type, required, comment, comment_label,
min_value, max_value, options ([{"key", "label", "meaning"}]) and, when changing a question,
section (to move it to another section of the same version).
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from caseaudit.questionnaires.models import (
    CHOICE_TYPES,
    Meaning,
    Option,
    Question,
    QuestionType,
    Section,
    Template,
    TemplateVersion,
)
from caseaudit.questionnaires.services import (
    check_version_editable,
    options_for,
    template_create,
    version_editable,
)

KEY_PATTERN = re.compile(r"^[a-z0-9_]+$")
KEY_MAX_LENGTH = 80

# Choice questions whose options the author writes, and those that get theirs automatically
# (yes / no / not applicable, and grades from the version's scale): for these only labels and
# meanings change, so their keys stay comparable across audits.
FREE_OPTION_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
FIXED_OPTION_TYPES = frozenset({QuestionType.YES_NO_NA, QuestionType.GRADE})

UP, DOWN = "up", "down"


class VersionFrozenError(ValidationError):
    """The version was frozen (sent to agencies); the change must go into a new version."""


def _check_editable(version: TemplateVersion) -> None:
    try:
        check_version_editable(version)
    except ValidationError as error:
        raise VersionFrozenError(error.messages) from None


# Rules shared with the forms --------------------------------------------------------------------


def key_problem(key: str, name: str = "Key") -> str | None:
    """What is wrong with a key, in GOV.UK wording; None when it is fine."""
    if not key:
        return f"Enter {'a key' if name == 'Key' else name.lower()}"
    if len(key) > KEY_MAX_LENGTH:
        return f"{name} must be {KEY_MAX_LENGTH} characters or fewer"
    if not KEY_PATTERN.match(key):
        return f"{name} must only include lowercase letters, numbers and underscores"
    return None


def option_row_problems(
    row: dict, number: int, noun: str = "option", known_keys=frozenset()
) -> dict[str, str]:
    """Problems with one option (or grade) row, by the part they are about: key, label, meaning.
    `known_keys` are the keys the list already had (accepted as they are)."""
    problems = {}
    key = row.get("key", "")
    key_text = None if key in known_keys else key_problem(key, f"{noun.capitalize()} {number} key")
    if key_text:
        problems["key"] = (
            f"Enter a key for {noun} {number}" if key_text.startswith("Enter") else key_text
        )
    label = row.get("label", "")
    if not label:
        problems["label"] = f"Enter a label for {noun} {number}"
    elif len(label) > 300:
        problems["label"] = f"{noun.capitalize()} {number} label must be 300 characters or fewer"
    if row.get("meaning") not in Meaning.values:
        problems["meaning"] = f"Select what {noun} {number} means for statistics"
    return problems


def options_problems(rows: list[dict], noun: str = "option", known_keys=frozenset()) -> list[str]:
    """Problems with a whole list of options or grades: at least two, keys unique, each row
    complete."""
    problems = []
    if len(rows) < 2:
        problems.append(f"Enter at least 2 {noun}s")
    for number, row in enumerate(rows, start=1):
        problems += option_row_problems(row, number, noun, known_keys).values()
    keys = [row.get("key") for row in rows]
    repeated = sorted({key for key in keys if key and keys.count(key) > 1})
    for key in repeated:
        problems.append(
            f"{noun.capitalize()} keys must be different: “{key}” is used more than once"
        )
    return problems


def _as_rows(options) -> list[dict]:
    return [{"key": o.key, "label": o.label, "meaning": o.meaning} for o in options]


def _clean_rows(rows: list[dict]) -> list[dict]:
    return [
        {
            "key": (row.get("key") or "").strip(),
            "label": (row.get("label") or "").strip(),
            "meaning": row.get("meaning") or "",
        }
        for row in rows
    ]


# Order and conditions ---------------------------------------------------------------------------


def question_positions(version: TemplateVersion) -> dict[int, int]:
    """Each question's place in the version as an auditor meets it (0 first)."""
    pks = Question.objects.filter(version=version).order_by(
        "section__order", "section_id", "order", "id"
    )
    return {pk: place for place, pk in enumerate(pks.values_list("pk", flat=True))}


def _check_conditions_in_order(version: TemplateVersion) -> None:
    """Every question with a condition must come after the question it depends on."""
    places = question_positions(version)
    conditional = Question.objects.filter(
        version=version, show_if_question__isnull=False
    ).select_related("show_if_question")
    for question in conditional:
        if places[question.show_if_question_id] >= places[question.pk]:
            raise ValidationError(
                f"Question “{question.key}” must come after question "
                f"“{question.show_if_question.key}”, because it only shows depending on that "
                "answer. Change its condition first"
            )


def _renumber(rows) -> None:
    for order, row in enumerate(rows, start=1):
        if row.order != order:
            row.order = order
            row.save(update_fields=["order"])


def _move(rows: list, row, direction: str) -> bool:
    """Swaps `row` with its neighbour in `rows`; False when it is already at that end."""
    place = [r.pk for r in rows].index(row.pk)
    other = place - 1 if direction == UP else place + 1
    if direction not in (UP, DOWN) or not 0 <= other < len(rows):
        return False
    rows[place], rows[other] = rows[other], rows[place]
    _renumber(rows)
    return True


# Templates --------------------------------------------------------------------------------------


def _check_template_name(partnership, name: str, template: Template | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the template"})
    if len(name) > 200:
        raise ValidationError({"name": "Name must be 200 characters or fewer"})
    others = Template.objects.filter(partnership=partnership, name__iexact=name)
    if template is not None:
        others = others.exclude(pk=template.pk)
    if others.exists():
        raise ValidationError({"name": f"There is already a template called “{name}”"})
    return name


@transaction.atomic
def template_new(
    *, partnership, name: str, description: str = "", user=None
) -> tuple[Template, TemplateVersion]:
    """An empty template, with version 1 as its draft."""
    name = _check_template_name(partnership, name)
    return template_create(
        partnership=partnership,
        spec={"name": name, "description": description.strip(), "sections": []},
        user=user,
        source="Built in the browser",
    )


@transaction.atomic
def template_update(*, template: Template, name: str, description: str = "") -> Template:
    """Name and description belong to the template, not to a version, so they can change at
    any time: answers point at questions, never at the name."""
    template.name = _check_template_name(template.partnership, name, template)
    template.description = description.strip()
    template.save(update_fields=["name", "description"])
    return template


@transaction.atomic
def version_draft(*, version: TemplateVersion, user=None) -> TemplateVersion:
    """The draft to edit: `version` while it is one; otherwise the template's draft, made as a
    copy of `version` when there is none. The template row is locked so that two clicks make
    one new version, not two."""
    Template.objects.select_for_update().get(pk=version.template_id)
    version.refresh_from_db(fields=["frozen_at"])
    return version_editable(version=version, user=user)


# Grade scale ------------------------------------------------------------------------------------


@transaction.atomic
def grade_scale_set(*, version: TemplateVersion, scale: list[dict]) -> TemplateVersion:
    """The version's grades, best first. Grade questions still using the old scale as it was
    follow the new one; a grade question whose labels were changed keeps its own."""
    _check_editable(version)
    scale = _clean_rows(scale)
    old = _clean_rows(version.grade_scale)
    problems = options_problems(scale, "grade", {row["key"] for row in old})
    if problems:
        raise ValidationError({"scale": problems})
    new_keys = {row["key"] for row in scale}
    questions = version.questions.filter(type=QuestionType.GRADE).prefetch_related("options")
    following = [question for question in questions if _as_rows(question.options.all()) == old]
    for question in following:
        _check_dependents_keep(question, new_keys, field="scale")
    version.grade_scale = scale
    version.save(update_fields=["grade_scale"])
    for question in following:
        _options_replace(question, scale)
    return version


# Sections ---------------------------------------------------------------------------------------


def _clean_section(title: str, description: str) -> dict:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter a title for the section"})
    if len(title) > 200:
        raise ValidationError({"title": "Title must be 200 characters or fewer"})
    return {"title": title, "description": (description or "").strip()}


@transaction.atomic
def section_add(*, version: TemplateVersion, title: str, description: str = "") -> Section:
    _check_editable(version)
    fields = _clean_section(title, description)
    order = (version.sections.aggregate(n=Max("order"))["n"] or 0) + 1
    return Section.objects.create(version=version, order=order, **fields)


@transaction.atomic
def section_update(*, section: Section, title: str, description: str = "") -> Section:
    _check_editable(section.version)
    for name, value in _clean_section(title, description).items():
        setattr(section, name, value)
    section.save(update_fields=["title", "description"])
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    """Deletes the section and its questions, unless a question elsewhere depends on one of
    them."""
    version = section.version
    _check_editable(version)
    outside = (
        Question.objects.filter(show_if_question__section=section)
        .exclude(section=section)
        .order_by("section__order", "order")
        .first()
    )
    if outside is not None:
        raise ValidationError(
            f"You cannot delete this section: question “{outside.key}” in another section only "
            "shows depending on an answer in it. Change that question's condition first"
        )
    # Conditions inside the section go first: show_if_question is PROTECTed.
    section.questions.update(show_if_question=None, show_if_options=[])
    section.delete()
    _renumber(list(version.sections.order_by("order", "id")))


@transaction.atomic
def section_move(*, section: Section, direction: str) -> bool:
    """Moves the section one place up or down; False when it is already first or last."""
    version = section.version
    _check_editable(version)
    moved = _move(list(version.sections.order_by("order", "id")), section, direction)
    if moved:
        _check_conditions_in_order(version)
    return moved


# Questions --------------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _check_dependents_keep(question: Question, keys: set[str], field: str = "options") -> None:
    """Refuses to take away an option that a later question's condition relies on."""
    for dependent in question.shown_questions.all():
        missing = [key for key in dependent.show_if_options if key not in keys]
        if missing:
            raise ValidationError(
                {
                    field: f"You cannot remove “{missing[0]}”: question “{dependent.key}” "
                    "only shows when it is chosen. Change that question's condition first"
                }
            )


def _clean_options(
    question: Question | None, question_type: str, rows: list[dict], grade_scale: list[dict]
) -> tuple[list[dict], list[str]]:
    """The options the question ends up with, and any problems with them."""
    known_keys = {option.key for option in question.options.all()} if question else set()
    if question_type in FREE_OPTION_TYPES:
        rows = _clean_rows(rows)
        return rows, options_problems(rows, known_keys=known_keys)
    if question_type in FIXED_OPTION_TYPES:
        if question is None or question.type != question_type:
            return options_for({"type": question_type}, grade_scale), []
        # Same type: labels and meanings may change, keys stay.
        edits = {row["key"]: row for row in _clean_rows(rows)}
        options = []
        problems = []
        for number, option in enumerate(question.options.all(), start=1):
            row = {"key": option.key, "label": option.label, "meaning": option.meaning}
            if option.key in edits:
                row |= {
                    "label": edits[option.key]["label"],
                    "meaning": edits[option.key]["meaning"],
                }
            problems += option_row_problems(row, number, known_keys=known_keys).values()
            options.append(row)
        return options, problems
    return [], []


def _clean_question(
    version: TemplateVersion, data: dict, question: Question | None = None
) -> tuple[dict, list[dict]]:
    errors: dict[str, list[str]] = {}
    text = (data.get("text") or "").strip()
    if not text:
        errors["text"] = ["Enter the question text"]
    key = (data.get("key") or "").strip()
    problem = key_problem(key) if question is None or key != question.key else None
    if problem:
        errors["key"] = [problem]
    elif (
        Question.objects.filter(version=version, key=key)
        .exclude(pk=question.pk if question else None)
        .exists()
    ):
        errors["key"] = [f"Key “{key}” is already used by another question in this version"]
    question_type = data.get("type") or ""
    if question_type not in QuestionType.values:
        errors["type"] = ["Select the type of question"]
    is_number = question_type == QuestionType.NUMBER
    min_value = _decimal(data.get("min_value")) if is_number else None
    max_value = _decimal(data.get("max_value")) if is_number else None
    if min_value is not None and max_value is not None and min_value > max_value:
        errors["max_value"] = [
            "Largest number must be the same as or more than the smallest number"
        ]
    options, problems = _clean_options(
        question, question_type, data.get("options") or [], version.grade_scale
    )
    if problems:
        errors["options"] = problems
    if question is not None and "type" not in errors:
        dependent = question.shown_questions.first()
        if dependent is not None and question_type not in CHOICE_TYPES:
            errors["type"] = [
                (
                    f"Question “{dependent.key}” only shows depending on this question's "
                    "answer, so this must stay a choice question"
                )
            ]
        elif not problems:
            try:
                _check_dependents_keep(question, {row["key"] for row in options})
            except ValidationError as error:
                errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    comment = bool(data.get("comment"))
    fields = {
        "text": text,
        "key": key,
        "help": (data.get("help") or "").strip(),
        "type": question_type,
        "required": bool(data.get("required")),
        "comment": comment,
        "comment_label": (data.get("comment_label") or "").strip() if comment else "",
        "min_value": min_value,
        "max_value": max_value,
    }
    return fields, options


def _options_replace(question: Question, options: list[dict]) -> None:
    """Drafts have no answers (sending a request freezes the version), so options of a draft
    can simply be written again."""
    if _as_rows(question.options.all()) == options:
        return
    question.options.all().delete()
    Option.objects.bulk_create(
        Option(question=question, order=order, **option)
        for order, option in enumerate(options, start=1)
    )


@transaction.atomic
def question_add(*, section: Section, data: dict) -> Question:
    """A question at the end of `section`."""
    version = section.version
    _check_editable(version)
    fields, options = _clean_question(version, data)
    order = (section.questions.aggregate(n=Max("order"))["n"] or 0) + 1
    question = Question.objects.create(version=version, section=section, order=order, **fields)
    _options_replace(question, options)
    return question


@transaction.atomic
def question_update(*, question: Question, data: dict) -> Question:
    version = question.version
    _check_editable(version)
    fields, options = _clean_question(version, data, question)
    for name, value in fields.items():
        setattr(question, name, value)
    section = data.get("section")
    old_section = question.section
    moved = section is not None and section.pk != question.section_id
    if moved:
        if section.version_id != version.pk:
            raise ValidationError({"section": "Select a section of this version"})
        question.section = section
        question.order = (section.questions.aggregate(n=Max("order"))["n"] or 0) + 1
    question.save()
    _options_replace(question, options)
    if moved:
        _renumber(list(old_section.questions.order_by("order", "id")))
        _check_conditions_in_order(version)
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Refused while a later question's condition depends on it."""
    _check_editable(question.version)
    dependent = question.shown_questions.order_by("section__order", "order").first()
    if dependent is not None:
        raise ValidationError(
            f"You cannot delete this question: question “{dependent.key}” only shows depending "
            "on its answer. Change or remove that question's condition first"
        )
    section = question.section
    question.delete()
    _renumber(list(section.questions.order_by("order", "id")))


@transaction.atomic
def question_move(*, question: Question, direction: str) -> bool:
    """Moves the question one place up or down in its section (another section is chosen on
    the question's page); False when it is already first or last."""
    _check_editable(question.version)
    rows = list(question.section.questions.order_by("order", "id"))
    moved = _move(rows, question, direction)
    if moved:
        _check_conditions_in_order(question.version)
    return moved


@transaction.atomic
def question_condition_set(
    *, question: Question, on: Question | None, options: list[str] | None = None
) -> Question:
    """Shows `question` only when the earlier choice question `on` has one of `options`;
    `on=None` shows it always."""
    version = question.version
    _check_editable(version)
    if on is None:
        question.show_if_question = None
        question.show_if_options = []
        question.save(update_fields=["show_if_question", "show_if_options"])
        return question
    places = question_positions(version)
    if (
        on.version_id != version.pk
        or on.type not in CHOICE_TYPES
        or places.get(on.pk, len(places)) >= places[question.pk]
    ):
        raise ValidationError(
            {"show_if_question": "Select a choice question that comes before this one"}
        )
    keys = list(on.options.values_list("key", flat=True))
    chosen = set(options or [])
    if not chosen:
        raise ValidationError({"show_if_options": "Select at least one answer"})
    if chosen - set(keys):
        raise ValidationError({"show_if_options": "Select answers of that question only"})
    question.show_if_question = on
    question.show_if_options = [key for key in keys if key in chosen]
    question.save(update_fields=["show_if_question", "show_if_options"])
    return question
