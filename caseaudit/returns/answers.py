"""The answer to one question as a value, independent of how it is stored or typed.

A `Value` is what a revision records, what the form and the autosave endpoint produce and what
`services.answers_save` writes as Answer rows. Checking a raw value against its question lives
here too, so the form, the autosave endpoint and the spreadsheet import refuse the same things
with the same words."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from caseaudit.questionnaires.models import Question, QuestionType

MAX_TEXT = 20_000


@dataclass(frozen=True)
class Value:
    options: tuple[str, ...] = ()
    value: str = ""
    comment: str = ""

    @property
    def is_answered(self) -> bool:
        return bool(self.options) or bool(self.value)

    @property
    def is_empty(self) -> bool:
        return not self.is_answered and not self.comment

    def as_json(self) -> dict:
        return {"options": list(self.options), "value": self.value, "comment": self.comment}

    @classmethod
    def from_json(cls, data: dict | None) -> "Value":
        if not data:
            return cls()
        return cls(tuple(data.get("options", ())), data.get("value", ""), data.get("comment", ""))


class AnswerError(ValueError):
    """A value that does not fit its question; the message is in GOV.UK wording."""


def check_value(question: Question, value: Value, option_keys: list[str]) -> Value:
    """The value cleaned (options in the template's order, numbers and dates normalised), or
    AnswerError. `option_keys` are the question's option keys in order."""
    comment = value.comment.strip()
    if len(comment) > MAX_TEXT:
        raise AnswerError(f"Comment must be {MAX_TEXT:,} characters or fewer")
    if question.is_choice:
        unknown = [key for key in value.options if key not in option_keys]
        if unknown:
            raise AnswerError("Select one of the options given")
        chosen = tuple(key for key in option_keys if key in set(value.options))
        if len(chosen) > 1 and question.type != QuestionType.MULTIPLE_CHOICE:
            raise AnswerError("Select only one option")
        return Value(chosen, "", comment)
    text = value.value.strip()
    if value.options:
        raise AnswerError("This question is not answered by choosing an option")
    if not text:
        return Value((), "", comment)
    if question.type == QuestionType.NUMBER:
        text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise AnswerError("Enter a number, like 3 or 12.5") from None
        if not number.is_finite() or abs(number) >= Decimal("1e10"):
            raise AnswerError("Enter a number, like 3 or 12.5")
        # Answer.number keeps 4 decimal places: a longer number would be stored rounded (and
        # saved again and again as a change), and 1e-999999 would be written out in full.
        if number != number.quantize(Decimal("0.0001")):
            raise AnswerError("Enter the number with no more than 4 decimal places, like 12.5")
        if question.min_value is not None and number < question.min_value:
            raise AnswerError(f"The number must be {question.min_value.normalize():f} or more")
        if question.max_value is not None and number > question.max_value:
            raise AnswerError(f"The number must be {question.max_value.normalize():f} or less")
        return Value((), format(number.normalize(), "f"), comment)
    if question.type == QuestionType.DATE:
        try:
            parsed = datetime.date.fromisoformat(text)
        except ValueError:
            raise AnswerError("Enter a real date") from None
        return Value((), parsed.isoformat(), comment)
    if len(text) > MAX_TEXT:
        raise AnswerError(f"The answer must be {MAX_TEXT:,} characters or fewer")
    return Value((), value.value.strip(), comment)


def is_visible(question: Question, values_by_key: dict[str, Value], questions_by_id) -> bool:
    """Whether a question applies, given the answers so far: a question with a show-if applies
    only when the earlier question applies and has one of the named options."""
    seen = set()
    while question.show_if_question_id:
        if question.pk in seen:  # a loop cannot be built, but never spin on one
            return False
        seen.add(question.pk)
        controller = questions_by_id[question.show_if_question_id]
        chosen = values_by_key.get(controller.key, Value()).options
        if not set(chosen) & set(question.show_if_options):
            return False
        question = controller
    return True
