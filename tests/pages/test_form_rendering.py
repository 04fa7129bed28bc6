"""GOV.UK form rendering escapes free text in hints, and keeps developer-written HTML hints."""

from django import forms
from django.template import Context, Template
from django.utils.safestring import mark_safe

from caseaudit.forms import GovukForm


class HintForm(GovukForm):
    plain = forms.CharField(label="Plain", help_text="<b>not bold</b>")
    rich = forms.CharField(label="Rich", help_text=mark_safe("<ul><li>12 characters</li></ul>"))


def test_plain_hints_are_escaped_and_safe_hints_kept():
    html = Template("{{ form }}").render(Context({"form": HintForm()}))
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html
    assert "<ul><li>12 characters</li></ul>" in html


def test_errors_use_govuk_wording():
    form = HintForm(data={})
    html = Template("{{ form }}").render(Context({"form": form}))
    assert "Enter plain" in html
    assert "This field is required" not in html
    assert 'class="govuk-error-message"' in html
