"""Forms for planning audits, moving them, and drawing and swapping samples."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from caseaudit.audits.models import Methodology, Status
from caseaudit.forms import GovukForm
from caseaudit.population.models import PlanCategory

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%B").lower(),
        datetime.date(2000, number, 1).strftime("%b").lower(),
    )
}


class DateInput(forms.MultiWidget):
    """GOV.UK date input: day, month and year boxes (forms/govuk_field.html draws them)."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class MonthInput(forms.MultiWidget):
    """Month and year boxes, drawn by audits/_month_field.html."""

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.month), str(value.year)]
        return [None, None]


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


def _month(text: str) -> int | None:
    """GOV.UK date inputs accept the month as a number or a name ("3", "Mar", "March")."""
    return _number(text) or MONTHS.get(text.strip().lower())


class DateField(forms.Field):
    """A date from GOV.UK day, month and year boxes, with GOV.UK error wording. `error_name`
    is how errors name the date ("Returns due must be a real date")."""

    widget = DateInput

    def __init__(self, *, error_name: str, **kwargs):
        super().__init__(**kwargs)
        self.error_name = error_name

    def to_python(self, value):
        parts = [(part or "").strip() for part in (value or ["", "", ""])]
        if not any(parts):
            return None
        name = self.error_name
        missing = [
            unit for unit, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise ValidationError(f"{name} must include a {' and a '.join(missing)}")
        day, month, year = _number(parts[0]), _month(parts[1]), _number(parts[2])
        if year is not None and len(parts[2]) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(year, month, day)
        except (TypeError, ValueError):
            raise ValidationError(f"{name} must be a real date") from None


class MonthField(forms.Field):
    """The first day of a month, from month and year boxes."""

    widget = MonthInput

    def __init__(self, *, error_name: str, **kwargs):
        kwargs.setdefault("template_name", "audits/_month_field.html")
        super().__init__(**kwargs)
        self.error_name = error_name

    def to_python(self, value):
        parts = [(part or "").strip() for part in (value or ["", ""])]
        if not any(parts):
            return None
        name = self.error_name
        missing = [unit for unit, part in zip(("month", "year"), parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"{name} must include a {' and a '.join(missing)}")
        month, year = _month(parts[0]), _number(parts[1])
        if year is not None and len(parts[1]) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(year, month, 1)
        except (TypeError, ValueError):
            raise ValidationError(f"{name} must be a real month") from None


class AuditForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200)
    theme = forms.CharField(
        label="Theme (optional)",
        max_length=200,
        required=False,
        help_text="For example, repeat child protection plans or neglect.",
    )
    aim = forms.CharField(label="Aim (optional)", required=False, widget=forms.Textarea)
    scope_questions = forms.CharField(
        label="Scope questions (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Write each question on its own line.",
    )
    terms_of_reference = forms.CharField(
        label="Terms of reference (optional)", required=False, widget=forms.Textarea
    )
    methodology = forms.ChoiceField(
        label="Methodology", choices=Methodology.choices, widget=forms.RadioSelect
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies involved (optional)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Agency auditors see the audits their agency is involved in.",
    )
    template_name = forms.CharField(
        label="Planned template (optional)",
        max_length=200,
        required=False,
        help_text="The name of a template in your library links the audit to its newest "
        "version. Choose or change the version from the audit's page.",
    )
    planned_month = MonthField(
        error_name="Planned month",
        label="Planned month (optional)",
        required=False,
        help_text="For example, 3 2027. Leave blank if the audit is not scheduled yet.",
    )
    returns_due = DateField(
        error_name="Returns due",
        label="Returns due (optional)",
        required=False,
        help_text="For example, 27 3 2027",
    )
    meeting_date = DateField(
        error_name="Audit meeting date",
        label="Audit meeting (optional)",
        required=False,
        help_text="For example, 10 4 2027",
    )
    report_due = DateField(
        error_name="Report due",
        label="Report due (optional)",
        required=False,
        help_text="For example, 30 4 2027",
    )
    required_messages = {
        "title": "Enter a title for the audit",
        "methodology": "Select a methodology",
    }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies

    @classmethod
    def initial_for(cls, audit) -> dict:
        return {
            "title": audit.title,
            "theme": audit.theme,
            "aim": audit.aim,
            "scope_questions": "\n".join(audit.scope_questions),
            "terms_of_reference": audit.terms_of_reference,
            "methodology": audit.methodology,
            "agencies": list(audit.agencies.values_list("pk", flat=True)),
            "template_name": audit.template_name,
            "planned_month": audit.planned_month,
            "returns_due": audit.returns_due,
            "meeting_date": audit.meeting_date,
            "report_due": audit.report_due,
        }

    def clean_scope_questions(self) -> list[str]:
        text = self.cleaned_data.get("scope_questions") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class MoveForm(GovukForm):
    status = forms.ChoiceField(label="Move to", choices=Status.choices)
    required_messages = {"status": "Select the stage to move the audit to"}


STRATIFY_CHOICES = [("gender", "Gender"), ("category", "Plan category"), ("age_band", "Age band")]


class SampleDrawForm(GovukForm):
    snapshot = forms.ModelChoiceField(
        label="Population snapshot",
        queryset=None,
        empty_label=None,
        help_text="The case list to draw from. The latest import comes first.",
    )
    size = forms.IntegerField(
        label="Sample size",
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": "Sample size must be a whole number, like 15",
            "min_value": "Sample size must be 1 or more",
            "max_value": "Sample size must be 1,000 or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    seed = forms.IntegerField(
        label="Random seed",
        min_value=0,
        max_value=2**63 - 1,
        help_text="We have suggested a random number. It is recorded with the sample: the same "
        "snapshot, criteria and seed always give the same children.",
        error_messages={
            "invalid": "Random seed must be a whole number, like 482913",
            "min_value": "Random seed must be 0 or more",
            "max_value": "Random seed is too large",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
    )
    categories = forms.MultipleChoiceField(
        label="Plan categories (optional)",
        choices=PlanCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        help_text="Leave all unticked for any category.",
    )
    min_age = forms.IntegerField(
        label="Youngest age in years (optional)",
        required=False,
        min_value=0,
        max_value=25,
        error_messages={
            "invalid": "Youngest age must be a whole number of years, like 10",
            "min_value": "Youngest age must be 0 or more",
            "max_value": "Youngest age must be 25 or less",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
    )
    max_age = forms.IntegerField(
        label="Oldest age in years (optional)",
        required=False,
        min_value=0,
        max_value=25,
        error_messages={
            "invalid": "Oldest age must be a whole number of years, like 15",
            "min_value": "Oldest age must be 0 or more",
            "max_value": "Oldest age must be 25 or less",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
    )
    repeat_only = forms.BooleanField(label="Only children on a repeat plan", required=False)
    max_interval_years = forms.DecimalField(
        label="Longest time since the previous plan ended, in years (optional)",
        required=False,
        min_value=0,
        max_value=50,
        decimal_places=1,
        help_text="For example, 3. Children with no previous plan are then left out.",
        error_messages={
            "invalid": "Time since the previous plan must be a number of years, like 3",
            "min_value": "Time since the previous plan must be more than 0",
            "max_value": "Time since the previous plan must be 50 years or less",
            "max_decimal_places": "Time since the previous plan can have one decimal place",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "any"}),
    )
    teams = forms.MultipleChoiceField(
        label="Teams (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        help_text="Leave all unticked for any team.",
    )
    characteristics = forms.CharField(
        label="Characteristics (optional)",
        required=False,
        max_length=500,
        help_text="Children with any of these, separated by semicolons. For example, domestic "
        "abuse; parental mental health",
    )
    stratify = forms.MultipleChoiceField(
        label="Balance the sample by (optional)",
        choices=STRATIFY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
        help_text="Each group gets a share of the sample in proportion to its size.",
    )
    required_messages = {
        "snapshot": "Select a population snapshot",
        "size": "Enter the sample size",
        "seed": "Enter a random seed",
    }

    def __init__(self, *args, snapshots, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["snapshot"].queryset = snapshots
        if teams:
            self.fields["teams"].choices = [(team, team) for team in teams]
        else:
            del self.fields["teams"]

    def clean_characteristics(self) -> list[str]:
        text = self.cleaned_data.get("characteristics") or ""
        return [" ".join(tag.split()) for tag in text.split(";") if tag.strip()]

    def clean(self):
        data = super().clean()
        youngest, oldest = data.get("min_age"), data.get("max_age")
        if youngest is not None and oldest is not None and youngest > oldest:
            self.add_error("max_age", "Oldest age must be the same as or more than youngest age")
        return data

    def criteria(self) -> dict:
        data = self.cleaned_data
        interval = data.get("max_interval_years")
        return {
            "categories": data.get("categories") or [],
            "min_age": data.get("min_age"),
            "max_age": data.get("max_age"),
            "repeat_only": bool(data.get("repeat_only")),
            "max_interval_years": float(interval) if interval is not None else None,
            "teams": data.get("teams") or [],
            "characteristics": data.get("characteristics") or [],
        }

    @staticmethod
    def initial_from(sample, seed: int) -> dict:
        """The stored sample's choices, to draw again with a new seed."""
        criteria = sample.criteria or {}
        return {
            "snapshot": sample.snapshot_id,
            "size": sample.size,
            "seed": seed,
            "categories": criteria.get("categories") or [],
            "min_age": criteria.get("min_age"),
            "max_age": criteria.get("max_age"),
            "repeat_only": criteria.get("repeat_only", False),
            "max_interval_years": criteria.get("max_interval_years"),
            "teams": criteria.get("teams") or [],
            "characteristics": "; ".join(criteria.get("characteristics") or []),
            "stratify": criteria.get("stratify") or [],
        }


class SwapForm(GovukForm):
    reason = forms.CharField(
        label="Why are you swapping this child?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the family moved out of the area before the plan started. The "
        "reason is recorded with the sample. Do not include the child's name.",
        error_messages={"max_length": "Reason must be 500 characters or fewer"},
    )
    required_messages = {"reason": "Enter the reason for swapping this child"}
