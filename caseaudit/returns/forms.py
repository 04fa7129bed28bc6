"""The return form: one Django form per template section, built from its questions.

Fields are named `q-<key>` and `q-<key>-comment`. No field is required at this level, so an
unfinished page can always be saved; required answers are checked on "Save and continue"
(`require_answers`) and before submitting (services.missing_answers)."""

import datetime

from django import forms

from caseaudit.audits.forms import DateField
from caseaudit.forms import GovukForm
from caseaudit.questionnaires.models import Question, QuestionType, Section
from caseaudit.returns.answers import MAX_TEXT, AnswerError, Value, check_value, is_visible


def field_name(question: Question) -> str:
    return f"q-{question.key}"


def comment_name(question: Question) -> str:
    return f"q-{question.key}-comment"


class QuestionRow:
    """What the template needs to draw one question."""

    def __init__(self, question, field, comment, condition: str, hidden: bool, controller=""):
        self.question = question
        self.field = field
        self.comment = comment
        self.condition = condition
        # Left off the page: its show-if depends on an answer given on another page.
        self.hidden = hidden
        # The field on this page its show-if depends on (scripts hide and show it as that
        # answer changes; without scripts it stays visible with the condition as a hint).
        self.controller = controller
        self.show_if_options = " ".join(question.show_if_options)


class SectionForm(GovukForm):
    def __init__(self, *args, section: Section, questions: list[Question], all_questions, **kw):
        self.section = section
        self.questions = questions
        self.all_by_id = {q.pk: q for q in all_questions}
        self.outside_values: dict[str, Value] = {}
        self.show_all = False  # the builder's preview shows every question
        super().__init__(*args, **kw)
        for q in questions:
            self.fields[field_name(q)] = _field_for(q)
            if q.comment:
                self.fields[comment_name(q)] = forms.CharField(
                    label=q.comment_label or "Comment (optional)",
                    required=False,
                    max_length=MAX_TEXT,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def clean(self):
        cleaned = super().clean()
        for q in self.questions:
            try:
                check_value(q, self._raw_value(q, cleaned), [o.key for o in q.options.all()])
            except AnswerError as error:
                self.add_error(field_name(q), str(error))
        return cleaned

    def _raw_value(self, q: Question, cleaned: dict) -> Value:
        answer = cleaned.get(field_name(q))
        comment = cleaned.get(comment_name(q)) or ""
        if q.type == QuestionType.MULTIPLE_CHOICE:
            return Value(tuple(answer or ()), "", comment)
        if q.is_choice:
            return Value((answer,) if answer else (), "", comment)
        if isinstance(answer, datetime.date):
            return Value((), answer.isoformat(), comment)
        return Value((), "" if answer is None else str(answer), comment)

    def values(self) -> dict[Question, Value]:
        """The checked values of every question on the page (after is_valid)."""
        return {
            q: check_value(
                q, self._raw_value(q, self.cleaned_data), [o.key for o in q.options.all()]
            )
            for q in self.questions
            if field_name(q) in self.cleaned_data
        }

    def current_by_key(self) -> dict[str, Value]:
        """Answers as typed on this page, on top of those saved on other pages."""
        values = dict(self.outside_values)
        if self.is_bound and hasattr(self, "cleaned_data"):
            for q in self.questions:
                values[q.key] = self._raw_value(q, self.cleaned_data)
        return values

    def require_answers(self) -> bool:
        """Adds 'Answer ...' errors for required questions on this page that apply and are
        empty. Returns True when there are none."""
        values = self.current_by_key()
        ok = True
        for q in self.questions:
            if not q.required or not is_visible(q, values, self.all_by_id):
                continue
            if field_name(q) in self.errors:
                continue
            if not values.get(q.key, Value()).is_answered:
                self.add_error(field_name(q), _required_message(q))
                ok = False
        return ok

    def rows(self) -> list[QuestionRow]:
        values = self.current_by_key() if self.is_bound else self._initial_by_key()
        rows = []
        for q in self.questions:
            condition = controller_field = ""
            hidden = False
            if q.show_if_question_id:
                controller = self.all_by_id[q.show_if_question_id]
                labels = [o.label for o in controller.options.all() if o.key in q.show_if_options]
                condition = f'Answer this if your answer to "{controller.text}" was ' + " or ".join(
                    f'"{label}"' for label in labels
                )
                if controller.section_id == self.section.pk:
                    controller_field = field_name(controller)
                elif not self.show_all:
                    hidden = not is_visible(q, values, self.all_by_id)
            comment = self[comment_name(q)] if q.comment else None
            rows.append(
                QuestionRow(q, self[field_name(q)], comment, condition, hidden, controller_field)
            )
        return rows

    def _initial_by_key(self) -> dict[str, Value]:
        values = dict(self.outside_values)
        for q in self.questions:
            raw = self.initial.get(field_name(q))
            if q.type == QuestionType.MULTIPLE_CHOICE:
                values[q.key] = Value(tuple(raw or ()))
            elif q.is_choice:
                values[q.key] = Value((raw,) if raw else ())
        return values


def _required_message(q: Question) -> str:
    if q.type == QuestionType.MULTIPLE_CHOICE:
        return "Select at least one option"
    if q.is_choice:
        return "Select an answer"
    if q.type == QuestionType.DATE:
        return "Enter a date"
    if q.type == QuestionType.NUMBER:
        return "Enter a number"
    return "Enter an answer"


def _field_for(q: Question) -> forms.Field:
    label = q.text if q.required else f"{q.text} (optional)"
    common = {"label": label, "help_text": q.help, "required": False}
    choices = [(o.key, o.label) for o in q.options.all()]
    if q.type == QuestionType.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if q.is_choice:
        attrs = {"class": "govuk-radios--inline"} if q.type == QuestionType.YES_NO_NA else {}
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs=attrs), **common)
    if q.type == QuestionType.NUMBER:
        return NumberField(**common)
    if q.type == QuestionType.DATE:
        return DateField(error_name="The date", **common)
    return forms.CharField(max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}), **common)


class NumberField(forms.CharField):
    """A number typed as text (GOV.UK: no type=number); checked by answers.check_value."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "class": "govuk-input--width-10"})


def initial_for(questions: list[Question], values: dict[int, Value]) -> dict:
    initial = {}
    for q in questions:
        value = values.get(q.pk)
        if value is None:
            continue
        if q.type == QuestionType.MULTIPLE_CHOICE:
            initial[field_name(q)] = list(value.options)
        elif q.is_choice:
            initial[field_name(q)] = value.options[0] if value.options else None
        elif q.type == QuestionType.DATE and value.value:
            initial[field_name(q)] = datetime.date.fromisoformat(value.value)
        else:
            initial[field_name(q)] = value.value
        if q.comment:
            initial[comment_name(q)] = value.comment
    return initial


def section_form(
    section: Section,
    data=None,
    initial=None,
    *,
    all_questions: list[Question] | None = None,
    outside_values: dict[str, Value] | None = None,
    preview: bool = False,
) -> SectionForm:
    """The form for one section of a template version. `all_questions` (every question of the
    version, with options) lets show-if look at questions on other pages; `outside_values` are
    the saved answers by key, for those."""
    if all_questions is None:
        all_questions = list(
            Question.objects.filter(version=section.version_id)
            .prefetch_related("options")
            .order_by("section__order", "order", "id")
        )
    questions = [q for q in all_questions if q.section_id == section.pk]
    form = SectionForm(
        data,
        initial=initial or {},
        section=section,
        questions=questions,
        all_questions=all_questions,
    )
    form.outside_values = outside_values or {}
    form.show_all = preview
    return form


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str = "Reason", hint: str = "", message: str = "", **kw):
        super().__init__(*args, **kw)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = hint
        if message:
            self.fields["reason"].error_messages["required"] = message


class ConcernForm(GovukForm):
    description = forms.CharField(
        label="What makes you think the child may be at risk now?",
        help_text="Do not wait for this form: act under your agency's safeguarding procedures "
        "today. Describe what you found and what you have done.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    confirm = forms.BooleanField(
        label="I have acted, or will act today, under my agency's safeguarding procedures",
    )
    required_messages = {
        "description": "Describe what makes you think the child may be at risk now",
        "confirm": "Confirm that you have acted or will act today",
    }


class AssigneeForm(GovukForm):
    assignee = forms.ModelChoiceField(label="Who should complete this return?", queryset=None)
    required_messages = {"assignee": "Select who should complete this return"}

    def __init__(self, *args, people, **kw):
        super().__init__(*args, **kw)
        self.fields["assignee"].queryset = people
        self.fields["assignee"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.email})"
