"""Forms for the audit lead's request pages: the audit's template, creating requests, the
agencies asked about one child, reminders, due dates, reopening and the tracker's filters."""

from django import forms
from django.utils import timezone

from caseaudit.audits.forms import DateField
from caseaudit.forms import GovukForm
from caseaudit.returns.forms import AssigneeForm, ReasonForm
from caseaudit.returns.models import RequestStatus

# The tracker's status filter: the statuses as the list shows them ("late" is any request still
# waiting for the agency after its due date), and everything not yet returned.
OUTSTANDING_FILTER = "outstanding"
STATUS_FILTERS = [
    ("", "Any status"),
    (OUTSTANDING_FILTER, "Outstanding (not yet returned)"),
    *RequestStatus.choices,
]


def _not_in_the_past(name: str, value):
    if value is not None and value < timezone.localdate():
        raise forms.ValidationError(f"{name} must be today or in the future")
    return value


class TemplateChoiceForm(GovukForm):
    version = forms.TypedChoiceField(
        label="Which template should agencies answer?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a template"},
    )
    required_messages = {"version": "Select a template"}

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = choices


class DueDateForm(GovukForm):
    due_date = DateField(
        error_name="Due date", label="Due date", help_text="For example, 27 3 2027"
    )
    required_messages = {"due_date": "Enter the due date"}

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["due_date"].label = label

    def clean_due_date(self):
        return _not_in_the_past("Due date", self.cleaned_data["due_date"])


class CaseAgenciesForm(GovukForm):
    agencies = forms.ModelMultipleChoiceField(
        label="Which agencies should audit their records about this child?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = DateField(
        error_name="Due date",
        label="Due date for new requests",
        help_text="For agencies you add now. For example, 27 3 2027",
    )
    required_messages = {
        "agencies": "Select at least one agency",
        "due_date": "Enter the due date for new requests",
    }

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agencies

    def clean_due_date(self):
        return _not_in_the_past("Due date", self.cleaned_data["due_date"])


def _days(label: str, name: str, *, minimum: int, hint: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=60,
        help_text=hint,
        error_messages={
            "invalid": f"{name} must be a whole number, like 3",
            "min_value": f"{name} must be {minimum} or more",
            "max_value": f"{name} must be 60 or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


class ReminderSettingsForm(GovukForm):
    before_days = _days(
        "How many days before the due date should the first reminder go?",
        "Days before the due date",
        minimum=0,
        hint="Enter 0 for no reminder before the due date.",
    )
    on_due_date = forms.TypedChoiceField(
        label="Send a reminder on the due date?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    after_days = _days(
        "How many days after the due date should the first late reminder go?",
        "Days after the due date",
        minimum=1,
        hint="A return not in by then is late; its assignee is reminded until it is returned.",
    )
    after_every_days = _days(
        "Then remind again every how many days?",
        "Days between late reminders",
        minimum=0,
        hint="Enter 0 to send only one late reminder.",
    )
    required_messages = {
        "before_days": "Enter how many days before the due date the first reminder goes",
        "on_due_date": "Select yes if a reminder should go on the due date",
        "after_days": "Enter how many days after the due date the first late reminder goes",
        "after_every_days": "Enter how many days to leave between late reminders",
    }

    @staticmethod
    def initial_from(settings) -> dict:
        return {
            "before_days": settings.before_days,
            "on_due_date": "yes" if settings.on_due_date else "no",
            "after_days": settings.after_days,
            "after_every_days": settings.after_every_days,
        }


class ReassignForm(AssigneeForm):
    """The assignee as radios (an agency has a handful of auditors), refusing anyone else."""

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.widget = forms.RadioSelect()
        field.empty_label = None
        field.queryset = field.queryset  # gives the new widget its choices
        field.error_messages["invalid_choice"] = f"Select someone who audits for {agency.name}"


class ReopenForm(ReasonForm):
    due_date = DateField(
        error_name="New due date",
        label="New due date (optional)",
        required=False,
        help_text="Leave blank to keep the due date. For example, 27 3 2027",
    )

    def clean_due_date(self):
        return _not_in_the_past("New due date", self.cleaned_data["due_date"])


class TrackerFilterForm(GovukForm):
    """The request list's filters, sent with GET. An unknown value is ignored, not an error."""

    agency = forms.ChoiceField(label="Agency", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_FILTERS)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [
            ("", "All agencies"),
            *((str(agency.pk), agency.name) for agency in agencies),
        ]

    def value(self, name: str) -> str:
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""
