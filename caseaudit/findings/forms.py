"""Forms of the findings editor. Each form's cleaned_data holds exactly the model fields the
service sets (see KINDS in views.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from caseaudit.findings.models import PointKind, VignetteKind
from caseaudit.forms import GovukForm

LONG = forms.Textarea(attrs={"rows": 5})


class _EditorForm(GovukForm):
    """Every editor form is made with the audit and its template's questions."""

    def __init__(self, *args, audit=None, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.audit, self.questions = audit, questions
        self.setup()

    def setup(self) -> None:
        pass


class FindingForm(_EditorForm):
    required_messages = {"text": "Enter the finding"}
    text = forms.CharField(label="Finding", widget=LONG, max_length=5000)
    challenge_for = forms.CharField(
        label="Who the challenge is for (optional)",
        required=False,
        max_length=200,
        help_text="For example, all agencies or Children's Social Care",
    )
    challenge = forms.CharField(
        label="Challenge (optional)", required=False, widget=LONG, max_length=5000
    )
    question_keys = forms.MultipleChoiceField(
        label="Questions whose figures support it (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes--small"}),
    )

    def setup(self) -> None:
        self.fields["question_keys"].choices = [(q.key, q.text) for q in self.questions]

    def clean_challenge(self):
        challenge = self.cleaned_data["challenge"]
        if self.cleaned_data.get("challenge_for") and not challenge.strip():
            raise ValidationError("Enter the challenge, or remove who it is for")
        return challenge


class RecommendationForm(_EditorForm):
    required_messages = {"text": "Enter the recommendation"}
    text = forms.CharField(label="Recommendation", widget=LONG, max_length=5000)
    lead = forms.CharField(
        label="Who takes it forward (optional)",
        required=False,
        max_length=200,
        help_text="For example, the partnership's learning and improvement group",
    )
    finding = forms.TypedChoiceField(
        label="The finding it answers (optional)", required=False, coerce=int, empty_value=None
    )

    def setup(self) -> None:
        self._findings = {f.pk: f for f in self.audit.findings.all()}
        self.fields["finding"].choices = [("", "None")] + [
            (f.pk, f"Finding {f.number}: {f.text[:80]}") for f in self._findings.values()
        ]

    def clean_finding(self):
        value = self.cleaned_data["finding"]
        return self._findings.get(value) if value else None


def _links(text: str) -> list[dict]:
    """One link a line, "Title | https://address"; refuses anything but http and https."""
    links, check = [], URLValidator(schemes=["http", "https"])
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        title, _, url = line.rpartition("|")
        title, url = title.strip(), url.strip()
        try:
            check(url)
        except ValidationError:
            raise ValidationError(
                f"Line {number}: enter a web address starting with https:// after the |"
            ) from None
        links.append({"title": title or url, "url": url})
    return links


class LearningThemeForm(_EditorForm):
    required_messages = {"title": "Enter the learning theme"}
    title = forms.CharField(label="Learning theme", max_length=200)
    what_we_found = forms.CharField(
        label="What we found (optional)", required=False, widget=LONG, max_length=5000
    )
    what_needs_to_happen = forms.CharField(
        label="What needs to happen (optional)", required=False, widget=LONG, max_length=5000
    )
    practice_theme = forms.TypedChoiceField(
        label="Practice theme (optional)", required=False, coerce=int, empty_value=None
    )
    links = forms.CharField(
        label="Tools or guidance (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: a title, a | and the web address",
    )

    def setup(self) -> None:
        self._themes = {t.pk: t for t in self.audit.partnership.themes.filter(archived=False)}
        self.fields["practice_theme"].choices = [("", "None")] + [
            (t.pk, t.name) for t in self._themes.values()
        ]

    def clean_practice_theme(self):
        value = self.cleaned_data["practice_theme"]
        return self._themes.get(value) if value else None

    def clean_links(self):
        return _links(self.cleaned_data["links"])

    @staticmethod
    def initial_links(links: list[dict]) -> str:
        return "\n".join(f"{link['title']} | {link['url']}" for link in links)


class PointForm(_EditorForm):
    required_messages = {"kind": "Select what kind of point it is", "text": "Enter the point"}
    kind = forms.ChoiceField(
        label="What kind of point", choices=PointKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label="Point", widget=LONG, max_length=5000)


class VignetteForm(_EditorForm):
    required_messages = {
        "kind": "Select what kind of vignette it is",
        "title": "Enter a title",
        "text": "Enter the vignette",
    }
    kind = forms.ChoiceField(
        label="What kind of vignette", choices=VignetteKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label="Title", max_length=200)
    text = forms.CharField(
        label="Vignette",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        help_text="Use the child's pseudonym and changed names for everyone in the family",
    )


class ReportTextForm(_EditorForm):
    introduction = forms.CharField(label="Introduction", required=False, widget=LONG)
    background = forms.CharField(label="Background", required=False, widget=LONG)
    overview = forms.CharField(label="Overview of the audit", required=False, widget=LONG)
    practitioners_perspective = forms.CharField(
        label="Practitioners' perspective", required=False, widget=LONG
    )
    family_perspective = forms.CharField(
        label="Children's and parents' perspective", required=False, widget=LONG
    )
    conclusions = forms.CharField(label="Conclusions", required=False, widget=LONG)
    triangulation = forms.CharField(
        label="Triangulation with other quality assurance",
        required=False,
        widget=LONG,
        help_text="Other findings, such as dip samples, that confirm or challenge these",
    )
