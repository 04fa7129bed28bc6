from django import forms

from caseaudit.audits.forms import DateField
from caseaudit.concerns.forms import CaseChoiceField
from caseaudit.forms import GovukForm


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        where = f", {obj.agency.name}" if obj.agency_id else ""
        return f"{obj.user.get_full_name()} ({obj.get_role_display()}{where})"


class ActionForm(GovukForm):
    what = forms.CharField(
        label="What must be done",
        help_text="Specific to the child: what needs to happen next so that their experience "
        "of our services improves.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    owner = MembershipChoiceField(
        label="Owner",
        queryset=None,
        empty_label="Select the owner",
        help_text="One person: for a child's case, usually the team manager.",
    )
    due_date = DateField(
        label="Due date", error_name="Due date", help_text="For example, 27 3 2026"
    )
    success_measure = forms.CharField(
        label="How will we know it made a difference?",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    escalate_to = MembershipChoiceField(
        label="Senior manager to tell if it becomes overdue (optional)",
        queryset=None,
        required=False,
        empty_label="Every senior manager of the partnership",
    )
    required_messages = {
        "what": "Enter what must be done",
        "owner": "Select the person who owns the action",
        "due_date": "Enter the due date",
        "success_measure": "Enter how we will know it made a difference",
    }

    def __init__(
        self, *args, owners=None, senior_managers=None, cases=None, for_child=True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not for_child:
            what = "What the partnership or an agency will do to carry out the recommendation."
            self.fields["what"].help_text = what
            self.fields["owner"].help_text = "One person, who answers for it being done."
        self.fields["owner"].queryset = owners
        self.fields["escalate_to"].queryset = senior_managers
        if cases is not None:
            self.fields = {
                "sampled_case": CaseChoiceField(
                    label="Child", queryset=cases, empty_label="Select a child"
                ),
                **self.fields,
            }
            self.fields["sampled_case"].error_messages["required"] = "Select the child"


class CompleteForm(GovukForm):
    evidence = forms.CharField(
        label="Evidence that it is done",
        help_text="What was done, where it is recorded, and what difference it has made so far.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    required_messages = {"evidence": "Enter the evidence that the action is done"}


class LinkActionForm(GovukForm):
    action = forms.ModelChoiceField(
        label="Action",
        queryset=None,
        empty_label="Select an action",
        help_text="Open actions that answer no other recommendation.",
    )
    required_messages = {"action": "Select the action to link"}

    def __init__(self, *args, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        field.queryset = actions
        field.error_messages["invalid_choice"] = (
            "Select an open action that answers no other recommendation"
        )
        field.label_from_instance = _link_label


def _link_label(action) -> str:
    about = [action.sampled_case.pseudonym] if action.sampled_case_id else []
    about += [action.owner.user.get_full_name(), f"due {action.due_date:%-d %B %Y}"]
    return f"{_short(action.what)} ({', '.join(about)})"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class CancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the action cancelled?", widget=forms.Textarea(attrs={"rows": 4})
    )
    required_messages = {"reason": "Enter why the action is cancelled"}
