"""answers.py: the Value of an answer, check_value for every question type (what it cleans and
what it refuses, in GOV.UK wording) and is_visible along show-if chains."""

from decimal import Decimal

import pytest

from caseaudit.questionnaires.models import Question, QuestionType
from caseaudit.returns.answers import MAX_TEXT, AnswerError, Value, check_value, is_visible
from tests.returns.factories import questions, template_version


@pytest.fixture
def q(world) -> dict[str, Question]:
    """The questions of the factories' template, by key."""
    return questions(template_version(world.north))


def check(question: Question, value: Value) -> Value:
    return check_value(question, value, [o.key for o in question.options.all()])


def refused_by(question: Question, value: Value, option_keys: list[str]) -> str:
    """The message check_value refuses `value` with."""
    with pytest.raises(AnswerError) as error:
        check_value(question, value, option_keys)
    return str(error.value)


def refused(question: Question, value: Value) -> str:
    return refused_by(question, value, [o.key for o in question.options.all()])


# Value --------------------------------------------------------------------------------------


def test_a_value_is_answered_by_an_option_or_a_value_but_not_by_a_comment_alone():
    assert Value(("yes",)).is_answered
    assert Value(value="4").is_answered
    assert not Value(comment="Seen at school").is_answered
    assert not Value(comment="Seen at school").is_empty
    assert Value().is_empty
    assert not Value().is_answered


def test_a_value_goes_to_json_and_back():
    value = Value(("graded_care", "chronology"), "", "Both were up to date")
    assert value.as_json() == {
        "options": ["graded_care", "chronology"],
        "value": "",
        "comment": "Both were up to date",
    }
    assert Value.from_json(value.as_json()) == value
    assert Value.from_json(None) == Value()
    assert Value.from_json({}) == Value()
    assert Value.from_json({"value": "3"}) == Value(value="3")


# Choice questions -----------------------------------------------------------------------------


def test_a_single_choice_takes_one_known_option(q):
    assert check(q["lead_agency"], Value(("health",))) == Value(("health",))


def test_a_single_choice_refuses_two_options(q):
    assert refused(q["lead_agency"], Value(("health", "social_care"))) == "Select only one option"


def test_a_choice_refuses_an_option_it_does_not_have(q):
    assert refused(q["lead_agency"], Value(("police",))) == "Select one of the options given"
    assert refused(q["tools"], Value(("chronology", "ecomap"))) == "Select one of the options given"


def test_a_multiple_choice_keeps_the_options_in_the_template_order_once_each(q):
    cleaned = check(q["tools"], Value(("none", "graded_care", "chronology", "graded_care")))
    assert cleaned == Value(("graded_care", "chronology", "none"))


def test_yes_no_na_has_the_standard_three_options_and_takes_one(q):
    assert [o.key for o in q["seen_alone"].options.all()] == ["yes", "no", "not_applicable"]
    assert check(q["seen_alone"], Value(("not_applicable",))) == Value(("not_applicable",))
    assert refused(q["seen_alone"], Value(("yes", "no"))) == "Select only one option"
    assert refused(q["seen_alone"], Value(("maybe",))) == "Select one of the options given"


def test_a_grade_takes_one_grade_of_the_scale():
    grade = Question(type=QuestionType.GRADE)
    keys = ["outstanding", "good", "requires_improvement", "inadequate"]
    assert check_value(grade, Value(("good",)), keys) == Value(("good",))
    assert refused_by(grade, Value(("good", "inadequate")), keys) == "Select only one option"


def test_a_choice_ignores_typed_text_and_keeps_the_comment_trimmed(q):
    cleaned = check(q["seen_alone"], Value(("yes",), "stray", "  At school, twice \n"))
    assert cleaned == Value(("yes",), "", "At school, twice")


def test_a_choice_left_empty_is_an_empty_value(q):
    assert check(q["tools"], Value()) == Value()
    assert check(q["tools"], Value(comment="Not recorded")) == Value(comment="Not recorded")


# Numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("4", "4"),
        (" 12 ", "12"),
        ("12.50", "12.5"),
        ("7.0", "7"),
        ("0", "0"),
        ("50", "50"),
        ("0.0001", "0.0001"),
        ("1e1", "10"),
    ],
)
def test_a_number_is_normalised(q, typed, stored):
    assert check(q["visits"], Value(value=typed)) == Value(value=stored)


def test_a_number_without_bounds_may_have_thousands_separators_and_be_negative():
    number = Question(type=QuestionType.NUMBER)
    assert check_value(number, Value(value="1,250"), []) == Value(value="1250")
    assert check_value(number, Value(value="-3.5"), []) == Value(value="-3.5")
    assert check_value(number, Value(value="9999999999"), []) == Value(value="9999999999")


@pytest.mark.parametrize(
    "typed", ["four", "4 visits", "1/2", "NaN", "Infinity", "-inf", "1e10", "10000000000"]
)
def test_a_number_that_is_not_one_is_refused(typed):
    number = Question(type=QuestionType.NUMBER)
    assert refused_by(number, Value(value=typed), []) == "Enter a number, like 3 or 12.5"


def test_a_number_outside_the_bounds_is_refused_with_the_bound(q):
    assert refused(q["visits"], Value(value="-1")) == "The number must be 0 or more"
    assert refused(q["visits"], Value(value="50.5")) == "The number must be 50 or less"


def test_a_bound_with_decimals_is_written_as_typed():
    number = Question(type=QuestionType.NUMBER, min_value=Decimal("0.50"), max_value=Decimal("2"))
    assert refused_by(number, Value(value="0.25"), []) == "The number must be 0.5 or more"
    assert refused_by(number, Value(value="2.01"), []) == "The number must be 2 or less"


@pytest.mark.parametrize("typed", ["1.23456", "0.00001", "1e-999999"])
def test_a_number_with_more_decimal_places_than_are_kept_is_refused(typed):
    """Answers keep 4 decimal places: a longer number would be stored rounded, so the answer
    on the form would not be the one given (and a 1e-999999 would be a megabyte of zeros)."""
    number = Question(type=QuestionType.NUMBER)
    assert refused_by(number, Value(value=typed), []) == (
        "Enter the number with no more than 4 decimal places, like 12.5"
    )


def test_a_number_is_not_answered_by_an_option(q):
    assert (
        refused(q["visits"], Value(("yes",), "3"))
        == "This question is not answered by choosing an option"
    )


def test_an_empty_number_keeps_its_comment():
    number = Question(type=QuestionType.NUMBER)
    assert check_value(number, Value(value="  ", comment=" n/k "), []) == Value(comment="n/k")


# Dates and text ---------------------------------------------------------------------------------


def test_a_date_is_an_iso_date(q):
    assert check(q["plan_date"], Value(value=" 2024-02-29 ")) == Value(value="2024-02-29")


@pytest.mark.parametrize("typed", ["2023-02-29", "29/02/2024", "last March", "2024-13-01"])
def test_a_date_that_is_not_real_is_refused(q, typed):
    assert refused(q["plan_date"], Value(value=typed)) == "Enter a real date"


def test_a_date_is_not_answered_by_an_option(q):
    assert (
        refused(q["plan_date"], Value(("yes",)))
        == "This question is not answered by choosing an option"
    )


def test_text_is_trimmed(q):
    cleaned = check(q["summary"], Value(value="  Good work with school.\n", comment=" Late "))
    assert cleaned == Value(value="Good work with school.", comment="Late")


def test_text_up_to_the_limit_is_kept_and_longer_is_refused(q):
    assert check(q["summary"], Value(value="x" * MAX_TEXT)).value == "x" * MAX_TEXT
    assert (
        refused(q["summary"], Value(value="x" * (MAX_TEXT + 1)))
        == "The answer must be 20,000 characters or fewer"
    )


def test_a_comment_past_the_limit_is_refused_for_every_type(q):
    for key in ("lead_agency", "tools", "visits", "plan_date", "summary"):
        assert (
            refused(q[key], Value(comment="y" * (MAX_TEXT + 1)))
            == "Comment must be 20,000 characters or fewer"
        )


# Show-if ----------------------------------------------------------------------------------------


def visible(q: dict[str, Question], key: str, **answers: str) -> bool:
    values = {k: Value((option,)) for k, option in answers.items()}
    return is_visible(q[key], values, {question.pk: question for question in q.values()})


def test_a_question_without_a_show_if_always_applies(q):
    assert visible(q, "seen_alone")
    assert visible(q, "visits", seen_alone="no")


def test_a_dependent_applies_only_with_a_named_option(q):
    assert visible(q, "child_view", seen_alone="yes")
    assert not visible(q, "child_view", seen_alone="no")
    assert not visible(q, "child_view", seen_alone="not_applicable")
    assert not visible(q, "child_view")


def test_a_chain_needs_every_question_above_to_apply(q):
    assert visible(q, "child_words", seen_alone="yes", child_view="yes")
    assert not visible(q, "child_words", seen_alone="yes", child_view="no")
    # child_view still holds "yes" from before, but seen_alone was changed: it no longer applies,
    # and neither does the question that hangs from it.
    assert not visible(q, "child_words", seen_alone="no", child_view="yes")
    assert not visible(q, "child_words", child_view="yes")


def test_a_show_if_may_name_several_options():
    controller = Question(pk=1, key="grade", type=QuestionType.GRADE)
    dependent = Question(
        pk=2,
        key="why",
        type=QuestionType.TEXT,
        show_if_question_id=1,
        show_if_options=["requires_improvement", "inadequate"],
    )
    by_id = {1: controller, 2: dependent}
    assert is_visible(dependent, {"grade": Value(("inadequate",))}, by_id)
    assert is_visible(dependent, {"grade": Value(("requires_improvement",))}, by_id)
    assert not is_visible(dependent, {"grade": Value(("good",))}, by_id)


def test_a_loop_of_show_ifs_is_never_shown_and_does_not_hang():
    first = Question(
        pk=1, key="a", type="yes_no_na", show_if_question_id=2, show_if_options=["yes"]
    )
    second = Question(
        pk=2, key="b", type="yes_no_na", show_if_question_id=1, show_if_options=["yes"]
    )
    values = {"a": Value(("yes",)), "b": Value(("yes",))}
    assert not is_visible(first, values, {1: first, 2: second})
