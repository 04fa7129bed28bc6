from django import forms

from caseaudit.exports.services import EXPORTS, FORMATS


class ExportForm(forms.Form):
    export = forms.ChoiceField(
        label="What do you want to export?",
        choices=[(key, spec.label) for key, spec in EXPORTS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to export"},
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[(key, label) for key, label in FORMATS.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a format"},
    )
    identifying = forms.BooleanField(
        label="Include the children's identifying details (name, date of birth, child id)",
        help_text="Your export will be recorded in the access log. Keep the file secure and "
        "delete it when you no longer need it.",
        required=False,
    )

    def __init__(self, *args, can_identify: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_identify:
            del self.fields["identifying"]

    def clean(self):
        cleaned = super().clean()
        export = cleaned.get("export")
        if cleaned.get("identifying") and export and not EXPORTS[export].identifying:
            self.add_error(
                "identifying",
                "Statistics have no identifying details: untick the box or choose the returns",
            )
        return cleaned
