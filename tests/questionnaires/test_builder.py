"""The template builder's services: every change to a draft version, the rules each keeps, and
the refusal of every change once a version is frozen."""

import pytest
from django.core.exceptions import ValidationError

from caseaudit.questionnaires import builder
from caseaudit.questionnaires.builder import VersionFrozenError
from caseaudit.questionnaires.models import Question, QuestionType, Section, Template
from caseaudit.questionnaires.services import version_freeze, version_spec

TWO_OPTIONS = [
    {"key": "a", "label": "A", "meaning": "positive"},
    {"key": "b", "label": "B", "meaning": "negative"},
]


def question_data(key: str, question_type: str = QuestionType.SINGLE_CHOICE, **extra) -> dict:
    data = {
        "text": f"Question {key}?",
        "key": key,
        "type": question_type,
        "required": True,
        "options": TWO_OPTIONS if question_type == QuestionType.SINGLE_CHOICE else [],
    }
    return data | extra


@pytest.fixture
def version(world):
    _, version = builder.template_new(partnership=world.north, name="Neglect", user=world.lena)
    return version


@pytest.fixture
def section(version):
    return builder.section_add(version=version, title="Assessment")


def add(section, key, question_type=QuestionType.SINGLE_CHOICE, **extra) -> Question:
    return builder.question_add(section=section, data=question_data(key, question_type, **extra))


def keys_in_order(version) -> list[str]:
    return [q["key"] for s in version_spec(version)["sections"] for q in s["questions"]]


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


class TestTemplateNew:
    def test_it_makes_an_empty_draft_version_one(self, world):
        template, version = builder.template_new(
            partnership=world.north, name=" Neglect ", description="Deep dive", user=world.lena
        )
        assert (template.name, template.description) == ("Neglect", "Deep dive")
        assert (version.number, version.is_frozen, version.created_by) == (1, False, world.lena)
        assert not version.sections.exists()
        assert [g["key"] for g in version.grade_scale] == [
            "outstanding",
            "good",
            "requires_improvement",
            "inadequate",
        ]

    def test_a_name_already_used_is_refused_whatever_its_case(self, world, version):
        with pytest.raises(ValidationError) as excinfo:
            builder.template_new(partnership=world.north, name="NEGLECT")
        assert errors_of(excinfo) == {"name": ["There is already a template called “NEGLECT”"]}
        assert Template.objects.count() == 1

    def test_another_partnership_may_use_the_same_name(self, world, version):
        template, _ = builder.template_new(partnership=world.south, name="Neglect")
        assert template.partnership == world.south

    def test_a_name_is_needed(self, world):
        with pytest.raises(ValidationError) as excinfo:
            builder.template_new(partnership=world.north, name="  ")
        assert errors_of(excinfo) == {"name": ["Enter a name for the template"]}

    def test_renaming_checks_the_name_too(self, world, version):
        other, _ = builder.template_new(partnership=world.north, name="Repeat plans")
        with pytest.raises(ValidationError):
            builder.template_update(template=other, name="neglect")
        builder.template_update(template=other, name="Repeat plans (2027)", description="New")
        other.refresh_from_db()
        assert (other.name, other.description) == ("Repeat plans (2027)", "New")


class TestFrozenVersion:
    """Every kind of change is refused once the version is frozen, and nothing changes."""

    CHANGES = {
        "section_add": lambda v, s, q, r: builder.section_add(version=v, title="New"),
        "section_update": lambda v, s, q, r: builder.section_update(section=s, title="New"),
        "section_delete": lambda v, s, q, r: builder.section_delete(section=s),
        "section_move": lambda v, s, q, r: builder.section_move(section=s, direction="down"),
        "question_add": lambda v, s, q, r: add(s, "another"),
        "question_update": lambda v, s, q, r: builder.question_update(
            question=q, data=question_data("renamed")
        ),
        "question_delete": lambda v, s, q, r: builder.question_delete(question=r),
        "question_move": lambda v, s, q, r: builder.question_move(question=q, direction="down"),
        "question_condition_set": lambda v, s, q, r: builder.question_condition_set(
            question=r, on=None
        ),
        "grade_scale_set": lambda v, s, q, r: builder.grade_scale_set(version=v, scale=TWO_OPTIONS),
    }

    @pytest.mark.parametrize("change", sorted(CHANGES))
    def test_it_is_refused(self, version, section, change):
        builder.section_add(version=version, title="Second")
        first = add(section, "first")
        second = add(section, "second", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=second, on=first, options=["a"])
        before = version_spec(version)
        version_freeze(version)
        with pytest.raises(VersionFrozenError) as excinfo:
            self.CHANGES[change](version, section, first, second)
        assert "cannot change" in excinfo.value.messages[0]
        version.refresh_from_db()
        assert version_spec(version) == before


class TestVersionDraft:
    def test_a_frozen_version_is_copied_into_the_next_version(self, world, version, section):
        first = add(section, "first")
        shown = add(section, "shown", QuestionType.YES_NO_NA, help="Look at the plan")
        builder.question_condition_set(question=shown, on=first, options=["b"])
        version_freeze(version)
        draft = builder.version_draft(version=version, user=world.alice)
        assert (draft.number, draft.is_frozen, draft.created_by) == (2, False, world.alice)
        assert version_spec(draft) == version_spec(version)
        copied = draft.questions.get(key="shown")
        assert copied.pk != shown.pk
        assert copied.show_if_question.version == draft
        # The frozen version's rows stay as they were.
        assert Question.objects.get(pk=shown.pk).version == version

    def test_a_draft_is_its_own_draft(self, version):
        assert builder.version_draft(version=version) == version

    def test_a_second_click_finds_the_draft_already_made(self, version, section):
        version_freeze(version)
        draft = builder.version_draft(version=version)
        assert builder.version_draft(version=version) == draft
        assert version.template.versions.count() == 2


class TestQuestionAdd:
    def test_questions_go_to_the_end_of_their_section(self, version, section):
        add(section, "first")
        add(section, "second")
        assert keys_in_order(version) == ["first", "second"]
        assert list(section.questions.values_list("order", flat=True)) == [1, 2]

    def test_single_choice_keeps_its_options_and_meanings(self, section):
        question = add(
            section,
            "seen",
            options=[*TWO_OPTIONS, {"key": "c", "label": "Not known", "meaning": "not_known"}],
        )
        assert [(o.key, o.label, o.meaning) for o in question.options.all()] == [
            ("a", "A", "positive"),
            ("b", "B", "negative"),
            ("c", "Not known", "not_known"),
        ]

    def test_yes_no_na_gets_its_three_options(self, section):
        question = add(section, "seen", QuestionType.YES_NO_NA, options=TWO_OPTIONS)
        assert [(o.key, o.meaning) for o in question.options.all()] == [
            ("yes", "positive"),
            ("no", "negative"),
            ("not_applicable", "not_applicable"),
        ]

    def test_grade_gets_the_versions_scale(self, version, section):
        builder.grade_scale_set(
            version=version,
            scale=[
                {"key": "good", "label": "Good", "meaning": "positive"},
                {"key": "inadequate", "label": "Inadequate", "meaning": "negative"},
            ],
        )
        question = add(section, "grade", QuestionType.GRADE)
        assert [o.label for o in question.options.all()] == ["Good", "Inadequate"]

    def test_other_types_have_no_options(self, section):
        question = add(section, "notes", QuestionType.TEXT, options=TWO_OPTIONS)
        assert not question.options.exists()

    def test_the_key_must_be_unique_in_the_version(self, world, version, section):
        add(section, "seen")
        with pytest.raises(ValidationError) as excinfo:
            add(section, "seen")
        assert errors_of(excinfo)["key"] == [
            "Key “seen” is already used by another question in this version"
        ]
        # Another template's version may use it.
        _, other = builder.template_new(partnership=world.north, name="Other")
        add(builder.section_add(version=other, title="One"), "seen")

    @pytest.mark.parametrize(
        ("key", "message"),
        [
            ("", "Enter a key"),
            ("Seen", "Key must only include lowercase letters, numbers and underscores"),
            ("child-seen", "Key must only include lowercase letters, numbers and underscores"),
            ("child seen", "Key must only include lowercase letters, numbers and underscores"),
            ("k" * 81, "Key must be 80 characters or fewer"),
        ],
    )
    def test_a_key_must_be_lowercase_letters_numbers_and_underscores(self, section, key, message):
        with pytest.raises(ValidationError) as excinfo:
            add(section, key)
        assert errors_of(excinfo)["key"] == [message]

    def test_text_and_type_are_needed(self, section):
        with pytest.raises(ValidationError) as excinfo:
            builder.question_add(section=section, data={"key": "seen", "type": "essay"})
        assert errors_of(excinfo)["text"] == ["Enter the question text"]
        assert errors_of(excinfo)["type"] == ["Select the type of question"]

    def test_numbers_need_min_at_most_max(self, section):
        with pytest.raises(ValidationError) as excinfo:
            add(section, "visits", QuestionType.NUMBER, min_value=10, max_value=2)
        assert errors_of(excinfo) == {
            "max_value": ["Largest number must be the same as or more than the smallest number"]
        }
        question = add(section, "visits", QuestionType.NUMBER, min_value=2, max_value=2)
        assert (question.min_value, question.max_value) == (2, 2)

    def test_min_and_max_are_kept_for_number_questions_only(self, section):
        question = add(section, "notes", QuestionType.TEXT, min_value=10, max_value=2)
        assert (question.min_value, question.max_value) == (None, None)

    def test_a_comment_label_needs_a_comment_box(self, section):
        question = add(section, "seen", comment=False, comment_label="Why?")
        assert question.comment_label == ""
        question = add(section, "heard", comment=True, comment_label="Why?")
        assert (question.comment, question.comment_label) == (True, "Why?")

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ([], "Enter at least 2 options"),
            (TWO_OPTIONS[:1], "Enter at least 2 options"),
            (
                [TWO_OPTIONS[0], {**TWO_OPTIONS[1], "key": "a"}],
                "Option keys must be different: “a” is used more than once",
            ),
            (
                [TWO_OPTIONS[0], {**TWO_OPTIONS[1], "meaning": ""}],
                "Select what option 2 means for statistics",
            ),
            ([TWO_OPTIONS[0], {**TWO_OPTIONS[1], "label": " "}], "Enter a label for option 2"),
            ([TWO_OPTIONS[0], {**TWO_OPTIONS[1], "key": ""}], "Enter a key for option 2"),
            (
                [TWO_OPTIONS[0], {**TWO_OPTIONS[1], "key": "B"}],
                "Option 2 key must only include lowercase letters, numbers and underscores",
            ),
        ],
    )
    def test_choice_options_are_checked(self, section, options, message):
        with pytest.raises(ValidationError) as excinfo:
            add(section, "seen", options=options)
        assert message in errors_of(excinfo)["options"]
        assert not Question.objects.exists()

    def test_multiple_choice_needs_options_too(self, section):
        with pytest.raises(ValidationError):
            add(section, "agencies", QuestionType.MULTIPLE_CHOICE, options=[])
        question = add(section, "agencies", QuestionType.MULTIPLE_CHOICE, options=TWO_OPTIONS)
        assert question.options.count() == 2


class TestQuestionUpdate:
    def test_fixed_options_change_label_and_meaning_but_keep_their_keys(self, section):
        question = add(section, "seen", QuestionType.YES_NO_NA)
        rows = [
            {"key": "yes", "label": "Yes, seen", "meaning": "positive"},
            {"key": "no", "label": "No", "meaning": "negative"},
            {"key": "not_applicable", "label": "Not known", "meaning": "not_known"},
            {"key": "extra", "label": "Ignored", "meaning": "neutral"},
        ]
        builder.question_update(
            question=question, data=question_data("seen", QuestionType.YES_NO_NA, options=rows)
        )
        assert [(o.key, o.label, o.meaning) for o in question.options.all()] == [
            ("yes", "Yes, seen", "positive"),
            ("no", "No", "negative"),
            ("not_applicable", "Not known", "not_known"),
        ]

    def test_a_fixed_label_cannot_be_emptied(self, section):
        question = add(section, "seen", QuestionType.YES_NO_NA)
        rows = [{"key": "yes", "label": "", "meaning": "positive"}]
        with pytest.raises(ValidationError) as excinfo:
            builder.question_update(
                question=question,
                data=question_data("seen", QuestionType.YES_NO_NA, options=rows),
            )
        assert errors_of(excinfo)["options"] == ["Enter a label for option 1"]

    def test_changing_the_type_to_yes_no_na_gives_its_options(self, section):
        question = add(section, "seen")
        builder.question_update(
            question=question,
            data=question_data("seen", QuestionType.YES_NO_NA, options=TWO_OPTIONS),
        )
        assert [o.key for o in question.options.all()] == ["yes", "no", "not_applicable"]

    def test_changing_to_free_text_drops_the_options(self, section):
        question = add(section, "seen")
        builder.question_update(question=question, data=question_data("seen", QuestionType.TEXT))
        assert not question.options.exists()

    def test_a_question_others_depend_on_must_stay_a_choice_question(self, section):
        first = add(section, "first")
        shown = add(section, "shown", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=shown, on=first, options=["b"])
        with pytest.raises(ValidationError) as excinfo:
            builder.question_update(question=first, data=question_data("first", QuestionType.DATE))
        assert (
            "“shown” only shows depending on this question's answer"
            in (errors_of(excinfo)["type"][0])
        )

    def test_an_option_a_condition_uses_cannot_be_removed(self, section):
        first = add(section, "first")
        shown = add(section, "shown", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=shown, on=first, options=["b"])
        options = [TWO_OPTIONS[0], {"key": "c", "label": "C", "meaning": "neutral"}]
        with pytest.raises(ValidationError) as excinfo:
            builder.question_update(question=first, data=question_data("first", options=options))
        assert errors_of(excinfo)["options"] == [
            (
                "You cannot remove “b”: question “shown” only shows when it is chosen. "
                "Change that question's condition first"
            )
        ]
        # Changing its label is fine.
        options = [TWO_OPTIONS[0], {**TWO_OPTIONS[1], "label": "Bee"}]
        builder.question_update(question=first, data=question_data("first", options=options))

    def test_the_key_can_stay_the_same(self, section):
        question = add(section, "seen")
        builder.question_update(question=question, data=question_data("seen", text="Seen?"))
        question.refresh_from_db()
        assert question.text == "Seen?"

    def test_a_key_from_a_file_with_a_hyphen_is_kept_while_unchanged(self, world):
        from caseaudit.questionnaires.services import template_create

        _, version = template_create(
            partnership=world.north,
            spec={
                "name": "From a file",
                "sections": [
                    {
                        "title": "One",
                        "questions": [
                            {
                                "key": "child-seen",
                                "text": "Seen?",
                                "type": "single_choice",
                                "options": [
                                    {"key": "seen-alone", "label": "Alone", "meaning": "positive"},
                                    {"key": "no", "label": "No", "meaning": "negative"},
                                ],
                            }
                        ],
                    }
                ],
            },
        )
        question = version.questions.get()
        rows = [
            {"key": "seen-alone", "label": "Seen alone", "meaning": "positive"},
            {"key": "no", "label": "No", "meaning": "negative"},
        ]
        builder.question_update(
            question=question, data=question_data("child-seen", text="Seen?", options=rows)
        )
        assert question.options.first().label == "Seen alone"
        with pytest.raises(ValidationError):
            builder.question_update(
                question=question, data=question_data("child-seen-2", options=rows)
            )

    def test_it_moves_to_the_end_of_another_section(self, version, section):
        other = builder.section_add(version=version, title="Planning")
        add(other, "planned")
        first = add(section, "first")
        add(section, "second")
        builder.question_update(question=first, data=question_data("first", section=other))
        assert keys_in_order(version) == ["second", "planned", "first"]
        assert list(section.questions.values_list("order", flat=True)) == [1]

    def test_it_cannot_move_above_the_question_it_depends_on(self, version, section):
        other = builder.section_add(version=version, title="Planning")
        first = add(section, "first")
        shown = add(other, "shown", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=shown, on=first, options=["a"])
        with pytest.raises(ValidationError):
            builder.question_update(question=first, data=question_data("first", section=other))
        assert keys_in_order(version) == ["first", "shown"]

    def test_a_section_of_another_version_is_refused(self, world, section):
        _, other_version = builder.template_new(partnership=world.north, name="Other")
        elsewhere = builder.section_add(version=other_version, title="Elsewhere")
        question = add(section, "first")
        with pytest.raises(ValidationError):
            builder.question_update(
                question=question, data=question_data("first", section=elsewhere)
            )
        question.refresh_from_db()
        assert question.section == section


class TestConditions:
    def test_it_shows_a_question_on_chosen_answers_of_an_earlier_one(self, section):
        first = add(
            section,
            "first",
            options=[*TWO_OPTIONS, {"key": "c", "label": "C", "meaning": "neutral"}],
        )
        shown = add(section, "shown", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=shown, on=first, options=["c", "a"])
        shown.refresh_from_db()
        assert shown.show_if_question == first
        assert shown.show_if_options == ["a", "c"]  # in the order of the options

    def test_only_an_earlier_question_will_do(self, section):
        first = add(section, "first")
        later = add(section, "later")
        with pytest.raises(ValidationError) as excinfo:
            builder.question_condition_set(question=first, on=later, options=["a"])
        assert errors_of(excinfo) == {
            "show_if_question": ["Select a choice question that comes before this one"]
        }
        with pytest.raises(ValidationError):
            builder.question_condition_set(question=first, on=first, options=["a"])

    def test_only_a_choice_question_will_do(self, section):
        notes = add(section, "notes", QuestionType.TEXT)
        later = add(section, "later")
        with pytest.raises(ValidationError):
            builder.question_condition_set(question=later, on=notes, options=["a"])

    def test_a_question_of_another_version_will_not_do(self, world, section):
        _, other = builder.template_new(partnership=world.north, name="Other")
        elsewhere = add(builder.section_add(version=other, title="One"), "first")
        later = add(section, "later")
        with pytest.raises(ValidationError):
            builder.question_condition_set(question=later, on=elsewhere, options=["a"])

    def test_the_answers_must_be_that_questions_options(self, section):
        first = add(section, "first")
        later = add(section, "later")
        with pytest.raises(ValidationError) as excinfo:
            builder.question_condition_set(question=later, on=first, options=["yes"])
        assert errors_of(excinfo) == {"show_if_options": ["Select answers of that question only"]}
        with pytest.raises(ValidationError) as excinfo:
            builder.question_condition_set(question=later, on=first, options=[])
        assert errors_of(excinfo) == {"show_if_options": ["Select at least one answer"]}

    def test_a_condition_on_an_earlier_section_is_fine(self, version, section):
        first = add(section, "first")
        later = add(builder.section_add(version=version, title="Two"), "later")
        builder.question_condition_set(question=later, on=first, options=["b"])

    def test_removing_the_condition(self, section):
        first = add(section, "first")
        later = add(section, "later")
        builder.question_condition_set(question=later, on=first, options=["b"])
        builder.question_condition_set(question=later, on=None)
        later.refresh_from_db()
        assert (later.show_if_question, later.show_if_options) == (None, [])


class TestReorder:
    def test_questions_move_up_and_down(self, version, section):
        for key in ("one", "two", "three"):
            add(section, key)
        three = section.questions.get(key="three")
        assert builder.question_move(question=three, direction="up")
        assert keys_in_order(version) == ["one", "three", "two"]
        one = section.questions.get(key="one")
        assert builder.question_move(question=one, direction="down")
        assert keys_in_order(version) == ["three", "one", "two"]
        assert sorted(section.questions.values_list("order", flat=True)) == [1, 2, 3]

    def test_the_first_cannot_go_up_nor_the_last_down(self, version, section):
        one = add(section, "one")
        two = add(section, "two")
        assert not builder.question_move(question=one, direction="up")
        assert not builder.question_move(question=two, direction="down")
        assert not builder.question_move(question=two, direction="sideways")
        assert keys_in_order(version) == ["one", "two"]

    def test_a_question_cannot_move_above_the_one_it_depends_on(self, version, section):
        first = add(section, "first")
        shown = add(section, "shown", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=shown, on=first, options=["a"])
        with pytest.raises(ValidationError) as excinfo:
            builder.question_move(question=shown, direction="up")
        assert excinfo.value.messages == [
            (
                "Question “shown” must come after question “first”, because it only shows "
                "depending on that answer. Change its condition first"
            )
        ]
        with pytest.raises(ValidationError):
            builder.question_move(question=first, direction="down")
        assert keys_in_order(version) == ["first", "shown"]

    def test_sections_move_up_and_down(self, version, section):
        second = builder.section_add(version=version, title="Second")
        add(section, "one")
        add(second, "two")
        assert builder.section_move(section=second, direction="up")
        assert keys_in_order(version) == ["two", "one"]
        assert not builder.section_move(section=second, direction="up")
        assert [s.title for s in version.sections.order_by("order")] == ["Second", "Assessment"]

    def test_a_section_cannot_move_above_a_question_its_questions_depend_on(self, version, section):
        second = builder.section_add(version=version, title="Second")
        first = add(section, "first")
        shown = add(second, "shown", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=shown, on=first, options=["a"])
        with pytest.raises(ValidationError):
            builder.section_move(section=second, direction="up")
        assert keys_in_order(version) == ["first", "shown"]


class TestDelete:
    def test_a_question_another_depends_on_cannot_be_deleted(self, section):
        first = add(section, "first")
        shown = add(section, "shown", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=shown, on=first, options=["a"])
        with pytest.raises(ValidationError) as excinfo:
            builder.question_delete(question=first)
        assert excinfo.value.messages == [
            (
                "You cannot delete this question: question “shown” only shows depending on its "
                "answer. Change or remove that question's condition first"
            )
        ]
        builder.question_condition_set(question=shown, on=None)
        builder.question_delete(question=first)
        assert list(section.questions.values_list("key", "order")) == [("shown", 1)]

    def test_deleting_a_section_deletes_its_questions(self, version, section):
        second = builder.section_add(version=version, title="Second")
        first = add(section, "first")
        shown = add(section, "shown", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=shown, on=first, options=["a"])
        builder.section_delete(section=section)
        assert not Question.objects.filter(version=version).exists()
        assert list(version.sections.values_list("title", "order")) == [("Second", 1)]
        assert Section.objects.filter(pk=second.pk).exists()

    def test_a_section_another_section_depends_on_cannot_be_deleted(self, version, section):
        second = builder.section_add(version=version, title="Second")
        first = add(section, "first")
        shown = add(second, "shown", QuestionType.YES_NO_NA)
        builder.question_condition_set(question=shown, on=first, options=["a"])
        with pytest.raises(ValidationError) as excinfo:
            builder.section_delete(section=section)
        assert "question “shown” in another section" in excinfo.value.messages[0]
        assert version.sections.count() == 2

    def test_sections_need_a_title(self, version, section):
        with pytest.raises(ValidationError) as excinfo:
            builder.section_add(version=version, title=" ")
        assert errors_of(excinfo) == {"title": ["Enter a title for the section"]}
        builder.section_update(section=section, title="Planning", description="About plans")
        section.refresh_from_db()
        assert (section.title, section.description) == ("Planning", "About plans")


class TestGradeScale:
    SCALE = [
        {"key": "good", "label": "Good", "meaning": "positive"},
        {"key": "requires_improvement", "label": "Requires improvement", "meaning": "negative"},
        {"key": "inadequate", "label": "Inadequate", "meaning": "negative"},
    ]

    def test_it_sets_the_scale_and_grade_questions_follow(self, version, section):
        grade = add(section, "grade", QuestionType.GRADE)
        builder.grade_scale_set(version=version, scale=self.SCALE)
        version.refresh_from_db()
        assert version.grade_scale == self.SCALE
        assert [o.key for o in grade.options.all()] == [
            "good",
            "requires_improvement",
            "inadequate",
        ]

    def test_a_grade_question_with_its_own_labels_keeps_them(self, version, section):
        grade = add(section, "grade", QuestionType.GRADE)
        rows = [
            {"key": option.key, "label": option.label.upper(), "meaning": option.meaning}
            for option in grade.options.all()
        ]
        builder.question_update(
            question=grade, data=question_data("grade", QuestionType.GRADE, options=rows)
        )
        builder.grade_scale_set(version=version, scale=self.SCALE)
        assert [o.label for o in grade.options.all()] == [
            "OUTSTANDING",
            "GOOD",
            "REQUIRES IMPROVEMENT",
            "INADEQUATE",
        ]

    @pytest.mark.parametrize(
        ("scale", "message"),
        [
            (SCALE[:1], "Enter at least 2 grades"),
            (
                [SCALE[0], {**SCALE[1], "key": "good"}],
                "Grade keys must be different: “good” is used more than once",
            ),
            (
                [SCALE[0], {**SCALE[1], "meaning": "great"}],
                "Select what grade 2 means for statistics",
            ),
            (
                [SCALE[0], {**SCALE[1], "key": "Bad"}],
                "Grade 2 key must only include lowercase letters, numbers and underscores",
            ),
        ],
    )
    def test_the_scale_is_checked(self, version, scale, message):
        with pytest.raises(ValidationError) as excinfo:
            builder.grade_scale_set(version=version, scale=scale)
        assert message in errors_of(excinfo)["scale"]

    def test_a_grade_a_condition_uses_cannot_go(self, version, section):
        grade = add(section, "grade", QuestionType.GRADE)
        shown = add(section, "shown", QuestionType.TEXT)
        builder.question_condition_set(question=shown, on=grade, options=["outstanding"])
        with pytest.raises(ValidationError) as excinfo:
            builder.grade_scale_set(version=version, scale=self.SCALE)
        assert "You cannot remove “outstanding”" in errors_of(excinfo)["scale"][0]
        version.refresh_from_db()
        assert version.grade_scale[0]["key"] == "outstanding"
