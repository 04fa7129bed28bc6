from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from caseaudit.accesslog.models import Action
from caseaudit.accounts.models import Sector, User
from caseaudit.accounts.roles import ROLES_NEEDING_AGENCY, Role
from caseaudit.forms import GovukForm


class _RoleAndAgencyForm(GovukForm):
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=None,
        required=False,
        help_text="Agency auditors must have an agency. For others it is optional.",
    )
    required_messages = {"role": "Select a role"}

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = "No agency"

    def clean(self):
        data = super().clean()
        if data.get("role") in ROLES_NEEDING_AGENCY and not data.get("agency"):
            self.add_error("agency", "Select the agency this person audits for")
        return data


class InviteForm(_RoleAndAgencyForm):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    required_messages = {"email": "Enter an email address", "role": "Select a role"}
    field_order = ["email", "role", "agency"]


class RoleForm(_RoleAndAgencyForm):
    is_agency_lead = forms.BooleanField(
        label="Agency lead: may reassign their agency's audit requests to colleagues",
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("is_agency_lead") and data.get("role") not in ROLES_NEEDING_AGENCY:
            self.add_error("is_agency_lead", "Only an agency auditor can be an agency lead")
        return data


class AgencyForm(GovukForm):
    name = forms.CharField(label="Agency name", max_length=200)
    sector = forms.ChoiceField(label="Sector", choices=[("", "Select a sector"), *Sector.choices])
    code = forms.CharField(
        label="Short code (optional)",
        max_length=20,
        required=False,
        help_text="Used to match agencies in case-list imports, for example CSC or POL.",
    )
    required_messages = {"name": "Enter the agency name", "sector": "Select a sector"}


class AcceptInvitationForm(GovukForm):
    full_name = forms.CharField(
        label="Full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="Use at least 12 characters. A few unrelated words make a strong password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    required_messages = {
        "full_name": "Enter your full name",
        "password1": "Enter a password",
        "password2": "Confirm your password",
    }

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        try:
            validate_password(
                password, user=User(email=self.email, full_name=self.data.get("full_name", ""))
            )
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return password

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", "Passwords do not match")
        return data


class AccessLogFilterForm(GovukForm):
    action = forms.ChoiceField(
        label="What happened", choices=[("", "Anything"), *Action.choices], required=False
    )
    person = forms.CharField(label="Email address contains", required=False, max_length=254)
    date_from = forms.DateField(
        label="From (YYYY-MM-DD)",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Date from must be a real date, like 2026-11-01"},
    )
    date_to = forms.DateField(
        label="To (YYYY-MM-DD)",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Date to must be a real date, like 2026-11-30"},
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "Date to must be the same as or after date from")
        return data


class PartnershipSettingsForm(GovukForm):
    recency_months = forms.IntegerField(
        label="Leave out children audited in the last (months)",
        min_value=0,
        max_value=60,
        help_text="When a sample is drawn, a child sampled by another audit in this period is "
        "left out. Enter 0 to allow any child.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the number of months as a whole number, like 12",
            "min_value": "The number of months must be 0 or more",
            "max_value": "The number of months must be 60 or fewer",
        },
    )
    pseudonym_names = forms.CharField(
        label="Changed names for sampled children (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One name per line, used in the order children are drawn. Leave empty to use "
        '"Child A", "Child B" and so on.',
    )
    required_messages = {"recency_months": "Enter the number of months"}

    def clean_pseudonym_names(self) -> list[str]:
        names = [
            " ".join(line.split()) for line in self.cleaned_data["pseudonym_names"].splitlines()
        ]
        names = [name for name in names if name]
        seen = set()
        for name in names:
            if name.lower() in seen:
                raise forms.ValidationError(f"Each name must be different: {name} is listed twice")
            seen.add(name.lower())
            if len(name) > 60:
                raise forms.ValidationError("Each name must be 60 characters or fewer")
        return names
