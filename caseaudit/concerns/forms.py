from django import forms

from caseaudit.audits.forms import DateField
from caseaudit.concerns.models import CATEGORY_DEFINITIONS, ConcernCategory, ConcernStatus
from caseaudit.forms import GovukForm


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.pseudonym}, {obj.sample.audit.title}"


def _category_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Category",
        choices=ConcernCategory.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=" ".join(
            f"Category {int(value)}: {text}" for value, text in CATEGORY_DEFINITIONS.items()
        ),
    )


class ConcernOpenForm(GovukForm):
    sampled_case = CaseChoiceField(label="Child", queryset=None, empty_label="Select a child")
    category = _category_field()
    description = forms.CharField(
        label="What is the concern?",
        help_text="What the audit found and what you have already done. Use the child's "
        "pseudonym, not their name.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    review_due = DateField(
        label="Review due by (optional)",
        error_name="Review due by",
        required=False,
        help_text="Leave empty for the default: the next day for category 1, 20 days for "
        "category 2. For example, 27 3 2026",
    )
    required_messages = {
        "sampled_case": "Select the child",
        "category": "Select the category",
        "description": "Describe the concern",
    }

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sampled_case"].queryset = cases


class CategoryForm(GovukForm):
    category = _category_field()
    review_due = DateField(
        label="Review due by (optional)",
        error_name="Review due by",
        required=False,
        help_text="Leave empty for the default from the day it was raised.",
    )
    required_messages = {"category": "Select the category"}


class ReviewForm(GovukForm):
    action_taken = forms.CharField(
        label="What was done",
        help_text="For example, the case was reviewed with the team manager and a strategy "
        "discussion held.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    assurance = forms.CharField(
        label="Assurance given",
        help_text="Why the child is now safe enough, or what is in place to make them so.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    review_date = DateField(
        label="Date of the review",
        error_name="Date of the review",
        help_text="For example, 27 3 2026",
    )
    required_messages = {
        "action_taken": "Enter what was done",
        "assurance": "Enter the assurance given",
        "review_date": "Enter the date of the review",
    }


class CloseForm(GovukForm):
    signed_off_name = forms.CharField(label="Name of the person signing off", max_length=200)
    signed_off_role = forms.CharField(
        label="Their role",
        max_length=200,
        help_text="For example, Improvement Director or Head of Service.",
    )
    note = forms.CharField(
        label="Closing note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    required_messages = {
        "signed_off_name": "Enter the name of the person signing off",
        "signed_off_role": "Enter the role of the person signing off",
    }


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any"), ("open", "Not closed"), *ConcernStatus.choices],
    )
    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=[("", "Any"), ("1", "Category 1"), ("2", "Category 2"), ("none", "Not set")],
    )
    team = forms.ChoiceField(label="Team", required=False, choices=[("", "Any")])
    audit = forms.TypedChoiceField(
        label="Audit", required=False, coerce=int, empty_value=None, choices=[("", "Any")]
    )
    overdue = forms.BooleanField(label="Only reviews past their due date", required=False)

    def __init__(self, *args, teams=(), audits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "Any"), *((t, t) for t in teams)]
        self.fields["audit"].choices = [("", "Any"), *((a.pk, a.title) for a in audits)]
