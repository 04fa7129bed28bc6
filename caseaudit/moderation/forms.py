from django import forms

from caseaudit.audits.forms import DateField
from caseaudit.forms import GovukForm
from caseaudit.moderation.models import (
    AttendanceStatus,
    ChildEngagement,
    ParentEngagement,
    PractitionerEngagement,
)
from caseaudit.moderation.services import DISCUSSION_FIELDS


class GradeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


def _text(label: str, *, rows: int = 4, help_text: str = "", required: bool = False):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CaseGradeForm(GovukForm):
    required_messages = {
        "grade": "Select a grade",
        "rationale": "Enter the rationale for the grade",
    }

    def __init__(self, *args, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = scale
        self.fields["grade"].error_messages["required"] = "Select a grade"
        self.fields["grade"].error_messages["invalid_choice"] = "Select a grade"

    grade = GradeChoiceField(
        label="Auditor's grade", queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    rationale = _text(
        "Rationale",
        rows=6,
        required=True,
        help_text="Why this grade: what the records show about the quality and impact of the "
        "work with the child.",
    )


class ModerationForm(GovukForm):
    prefix = "moderation"

    def __init__(self, *args, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = scale
        self.fields["grade"].error_messages["required"] = "Select the moderated grade"
        self.fields["grade"].error_messages["invalid_choice"] = "Select the moderated grade"

    grade = GradeChoiceField(
        label="Moderated grade", queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    reason = _text(
        "Reason for the change",
        help_text="Needed when the moderated grade differs from the auditor's.",
    )


class MeetingForm(GovukForm):
    """The meeting's date and notes, and one attendance question per agency of the audit
    (fields named attendance_<agency id>)."""

    held_on = DateField(
        error_name="The date of the meeting",
        label="Date of the meeting",
        help_text="For example, 29 1 2027",
    )
    notes = _text("Notes about the meeting (optional)")

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].error_messages["required"] = "Enter the date of the meeting"
        self.agencies = list(agencies)
        for agency in self.agencies:
            name = f"attendance_{agency.pk}"
            self.fields[name] = forms.ChoiceField(
                label=agency.name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--small"}),
                error_messages={"required": f"Select whether {agency.name} attended"},
            )

    def attendance(self) -> dict[int, str]:
        return {agency.pk: self.cleaned_data[f"attendance_{agency.pk}"] for agency in self.agencies}

    def attendance_fields(self):
        return [self[f"attendance_{agency.pk}"] for agency in self.agencies]


DISCUSSION_LABELS = {
    "chronology_summary": (
        "Children's social care chronology",
        "The summary of children's social care involvement shared first, for context.",
    ),
    "quality": ("Quality of the work", "The group's collective evaluation."),
    "timeliness": ("Timeliness of the work", "The group's collective evaluation."),
    "impact": ("Impact for the child", "The group's collective evaluation."),
    "practitioner_perspectives": (
        "Practitioners' perspectives",
        "For example, notes from the practitioner workshop.",
    ),
    "family_perspectives": (
        "The family's perspective",
        "For example, telephone conversations with parents.",
    ),
}


class CaseDiscussionForm(GovukForm):
    """Fields named after DISCUSSION_FIELDS, then contribution_<agency id> per agency."""

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        for name in DISCUSSION_FIELDS:
            label, hint = DISCUSSION_LABELS[name]
            self.fields[name] = _text(f"{label} (optional)", help_text=hint)
        for agency in self.agencies:
            self.fields[f"contribution_{agency.pk}"] = _text(f"{agency.name} (optional)", rows=3)

    def discussion_fields(self):
        return [self[name] for name in DISCUSSION_FIELDS]

    def contribution_fields(self):
        return [self[f"contribution_{agency.pk}"] for agency in self.agencies]

    def contributions(self) -> dict[int, str]:
        return {
            agency.pk: self.cleaned_data[f"contribution_{agency.pk}"] for agency in self.agencies
        }


def _radios(label: str, choices, message: str):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class EngagementForm(GovukForm):
    social_worker = _radios(
        "Social worker",
        PractitionerEngagement.choices,
        "Select whether the social worker was engaged",
    )
    social_worker_feedback = _text("What the social worker said (optional)", rows=3)
    team_manager = _radios(
        "Team manager",
        PractitionerEngagement.choices,
        "Select whether the team manager was engaged",
    )
    team_manager_feedback = _text("What the team manager said (optional)", rows=3)
    child = _radios("The child", ChildEngagement.choices, "Select whether the child was engaged")
    child_reason = forms.CharField(
        label="Why it was not appropriate to engage the child",
        required=False,
        max_length=500,
        help_text="Needed when it was not appropriate, for example the child's age or "
        "circumstances.",
    )
    child_feedback = _text("What the child said (optional)", rows=3)
    parents = _radios(
        "Parents and carers",
        ParentEngagement.choices,
        "Select whether parents or carers were engaged",
    )
    parents_reason = forms.CharField(
        label="Why parents or carers were not invited",
        required=False,
        max_length=500,
        help_text="Needed when they were not invited.",
    )
    parents_feedback = _text("What parents or carers said (optional)", rows=3)


class GradingScaleForm(GovukForm):
    labels = _text(
        "Grades, best first",
        rows=6,
        required=True,
        help_text="One grade on each line. A grade that cases already have cannot be removed "
        "or renamed (changing only its capitals is fine).",
    )
    required_messages = {"labels": "Enter the grades, one on each line"}
