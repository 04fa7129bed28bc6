"""Forms for the template builder. They check what each box holds; the rules about the version
as a whole (unique keys, conditions, at least two options) live in builder.py."""

import re

from django import forms

from caseaudit.forms import GovukForm
from caseaudit.questionnaires.builder import (
    FIXED_OPTION_TYPES,
    FREE_OPTION_TYPES,
    KEY_MAX_LENGTH,
    key_problem,
    option_row_problems,
)
from caseaudit.questionnaires.models import Meaning, QuestionType

MEANING_CHOICES = [("", "Select a meaning"), *Meaning.choices]
ROW_FIELD = re.compile(r"^(?:option|grade)_(\d+)_(?:key|label|meaning)$")
# How many empty rows a list of options or grades offers beyond those it has; more come by
# saving and changing again (the pages work without JavaScript).
EXTRA_ROWS = 3
MAX_ROWS = 60


def rows_posted(data) -> int:
    """How many option or grade rows a submitted form drew, so it redraws the same."""
    numbers = [int(m.group(1)) for name in data if (m := ROW_FIELD.match(name))]
    return min(max(numbers, default=0), MAX_ROWS)


class TemplateForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, Repeat child protection plans audit tool.",
        error_messages={"max_length": "Name must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the template is for. Auditors do not see this.",
    )
    required_messages = {"name": "Enter a name for the template"}


class SectionForm(GovukForm):
    title = forms.CharField(
        label="Section title",
        max_length=200,
        help_text="For example, Assessment and planning.",
        error_messages={"max_length": "Title must be 200 characters or fewer"},
    )
    description = forms.CharField(
        label="Introduction (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to auditors above the section's questions.",
    )
    required_messages = {"title": "Enter a title for the section"}


class RowsMixin:
    """Numbered rows of key, label and meaning: option_1_key, option_1_label, option_1_meaning,
    ... `fixed_keys` are rows whose key cannot change (drawn as text)."""

    row_prefix = "option"
    row_noun = "option"
    known_keys: frozenset[str] = frozenset()

    def add_rows(self, count: int, fixed_keys: list[str] = ()) -> None:
        self.rows = []
        for number in range(1, count + 1):
            fixed = fixed_keys[number - 1] if number <= len(fixed_keys) else None
            names = {
                part: f"{self.row_prefix}_{number}_{part}" for part in ("key", "label", "meaning")
            }
            self.fields[names["key"]] = forms.CharField(
                label="Key",
                required=False,
                max_length=KEY_MAX_LENGTH + 20,
                widget=forms.HiddenInput if fixed else forms.TextInput,
            )
            self.fields[names["label"]] = forms.CharField(label="Label", required=False)
            self.fields[names["meaning"]] = forms.ChoiceField(
                label="Meaning for statistics", choices=MEANING_CHOICES, required=False
            )
            if fixed:
                self.initial.setdefault(names["key"], fixed)
            self.rows.append({"number": number, "fixed_key": fixed, "names": names})

    def bound_rows(self) -> list[dict]:
        """For the template: each row's number, fixed key and bound fields."""
        return [
            row | {part: self[name] for part, name in row["names"].items()} for row in self.rows
        ]

    def clean_rows(self) -> list[dict]:
        """The rows filled in (a row left wholly blank is no row), with each row's problems
        shown against its boxes."""
        filled = []
        for row in self.rows:
            values = {
                part: (self.cleaned_data.get(name) or "").strip()
                for part, name in row["names"].items()
            }
            if row["fixed_key"]:
                values["key"] = row["fixed_key"]
            elif not any(values.values()):
                continue
            problems = option_row_problems(values, row["number"], self.row_noun, self.known_keys)
            for part, problem in problems.items():
                self.add_error(row["names"][part], problem)
            filled.append(values)
        return filled

    def first_row_field(self) -> str:
        return self.rows[0]["names"]["key" if not self.rows[0]["fixed_key"] else "label"]


class QuestionForm(RowsMixin, GovukForm):
    text = forms.CharField(
        label="Question text",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, Was the child seen alone?",
    )
    key = forms.CharField(
        label="Key",
        max_length=KEY_MAX_LENGTH + 20,
        help_text="A short name that stays the same in every version, so results can be "
        "compared across audits. Use lowercase letters, numbers and underscores, like "
        "child_seen_alone.",
    )
    help = forms.CharField(
        label="Help text (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to auditors under the question, for example where to look in the records.",
    )
    type = forms.ChoiceField(
        label="Type of question", choices=QuestionType.choices, widget=forms.RadioSelect
    )
    required = forms.BooleanField(label="Auditors must answer this question", required=False)
    comment = forms.BooleanField(
        label="Offer a comment box",
        required=False,
        help_text="Auditors can explain their answer in their own words.",
    )
    comment_label = forms.CharField(
        label="Comment box label (optional)",
        required=False,
        max_length=200,
        help_text="For example, Tell us what you found. Only used with a comment box.",
        error_messages={"max_length": "Comment box label must be 200 characters or fewer"},
    )
    min_value = forms.DecimalField(
        label="Smallest number allowed (optional)",
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text="Number questions only.",
        error_messages={
            "invalid": "Smallest number must be a number, like 0",
            "max_digits": "Smallest number is too large",
            "max_whole_digits": "Smallest number is too large",
            "max_decimal_places": "Smallest number can have up to 2 decimal places",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10", "step": "any"}),
    )
    max_value = forms.DecimalField(
        label="Largest number allowed (optional)",
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text="Number questions only.",
        error_messages={
            "invalid": "Largest number must be a number, like 20",
            "max_digits": "Largest number is too large",
            "max_whole_digits": "Largest number is too large",
            "max_decimal_places": "Largest number can have up to 2 decimal places",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10", "step": "any"}),
    )
    section = forms.ModelChoiceField(label="Section", queryset=None, empty_label=None)
    required_messages = {
        "text": "Enter the question text",
        "key": "Enter a key",
        "type": "Select the type of question",
    }

    def __init__(self, *args, question=None, sections=None, rows: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        if question is None:
            del self.fields["section"]
        else:
            self.fields["section"].queryset = sections
            self.fields["section"].help_text = "To move the question to another section."
        fixed_keys = []
        if question is not None:
            self.known_keys = frozenset(option.key for option in question.options.all())
            if question.type in FIXED_OPTION_TYPES:
                fixed_keys = [option.key for option in question.options.all()]
        if not rows:
            rows = len(fixed_keys) if fixed_keys else self._rows_for(question)
        self.add_rows(rows, fixed_keys)
        self.fixed_options = bool(fixed_keys)
        # The order of the page, so the error summary lists problems in the order they appear.
        row_fields = [name for row in self.rows for name in row["names"].values()]
        self.order_fields(["text", "key", "help", "type", *row_fields, "min_value", "max_value"])

    @staticmethod
    def _rows_for(question) -> int:
        existing = question.options.count() if question is not None else 0
        return max(existing + EXTRA_ROWS, 4)

    @classmethod
    def initial_for(cls, question) -> dict:
        initial = {
            "text": question.text,
            "key": question.key,
            "help": question.help,
            "type": question.type,
            "required": question.required,
            "comment": question.comment,
            "comment_label": question.comment_label,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "section": question.section_id,
        }
        for number, option in enumerate(question.options.all(), start=1):
            initial |= {
                f"option_{number}_key": option.key,
                f"option_{number}_label": option.label,
                f"option_{number}_meaning": option.meaning,
            }
        return initial

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if self.question is not None and key == self.question.key:
            return key
        problem = key_problem(key)
        if problem:
            raise forms.ValidationError(problem)
        return key

    def clean(self):
        data = super().clean()
        question_type = data.get("type")
        # Rows count for choice questions whose options are written here, and for the labels
        # of a yes / no / n.a. or grade question staying that type; any other question gets
        # its options (or none) from builder.py.
        keeps_fixed = self.fixed_options and self.question.type == question_type
        if question_type in FREE_OPTION_TYPES or keeps_fixed:
            data["options"] = self.clean_rows()
        else:
            data["options"] = []
        return data

    def question_data(self) -> dict:
        return {
            name: self.cleaned_data.get(name)
            for name in (
                "text",
                "key",
                "help",
                "type",
                "required",
                "comment",
                "comment_label",
                "min_value",
                "max_value",
                "options",
                "section",
            )
        }


class GradeScaleForm(RowsMixin, GovukForm):
    row_prefix = "grade"
    row_noun = "grade"

    def __init__(self, *args, scale: list[dict], rows: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.known_keys = frozenset(grade["key"] for grade in scale)
        self.add_rows(rows or len(scale) + EXTRA_ROWS)

    @staticmethod
    def initial_for(scale: list[dict]) -> dict:
        initial = {}
        for number, grade in enumerate(scale, start=1):
            initial |= {
                f"grade_{number}_key": grade["key"],
                f"grade_{number}_label": grade["label"],
                f"grade_{number}_meaning": grade["meaning"],
            }
        return initial

    def clean(self):
        data = super().clean()
        data["scale"] = self.clean_rows()
        return data


class ConditionQuestionForm(GovukForm):
    """Step 1 of a condition: which earlier question it depends on."""

    on = forms.ChoiceField(
        label="Which earlier question does it depend on?", widget=forms.RadioSelect
    )
    required_messages = {"on": "Select the question this one depends on"}

    def __init__(self, *args, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = {str(question.pk): question for question in earlier}
        self.fields["on"].choices = [
            (str(question.pk), f"{question.text} ({question.key})") for question in earlier
        ]
        self.fields["on"].error_messages["invalid_choice"] = "Select a question from the list"

    def clean_on(self):
        return self.earlier[self.cleaned_data["on"]]


class ConditionOptionsForm(GovukForm):
    """Step 2: the answers of that question that show this one."""

    on = forms.IntegerField(widget=forms.HiddenInput)
    options = forms.MultipleChoiceField(
        label="Show this question when the answer is",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    required_messages = {"options": "Select at least one answer"}

    def __init__(self, *args, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", on.pk)
        self.fields["options"].choices = [(option.key, option.label) for option in on.options.all()]
        self.fields["options"].error_messages["invalid_choice"] = (
            "Select answers of that question only"
        )


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Upload a template file",
        help_text="A YAML or JSON file, for example one downloaded from another template.",
        error_messages={"empty": "The selected file is empty"},
    )
    required_messages = {"file": "Select a template file"}


class LibraryForm(GovukForm):
    slug = forms.ChoiceField(
        label="Which template do you want to start from?", widget=forms.RadioSelect
    )
    required_messages = {"slug": "Select a template to start from"}

    def __init__(self, *args, templates: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].choices = [(entry["slug"], entry["name"]) for entry in templates]
