"""One GOV.UK base for every form: fields render with GOV.UK markup, errors use GOV.UK wording."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting


class GovukRenderer(TemplatesSetting):
    # TemplatesSetting finds our templates/ folder (and Django's widget templates through the
    # django.forms app), so forms render with the same engine as pages.
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class GovukForm(forms.Form):
    """Base form. `required_messages` maps a field name to its GOV.UK 'Enter ...'/'Select ...'
    message so that no field ever says 'This field is required.'"""

    required_messages: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            message = self.required_messages.get(name)
            if message is None:
                verb = (
                    "Select"
                    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
                    else "Enter"
                )
                message = f"{verb} {field.label.lower() if field.label else name}"
            field.error_messages["required"] = message


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Shows a service's ValidationError on the form, against the field it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
