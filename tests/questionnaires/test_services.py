"""Writing templates: a spec becomes rows (with the standard options filled in); importing the
same name again makes the next version; a frozen version never changes, and editing it starts
from a copy whose show_if links point inside the copy."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from caseaudit.questionnaires.models import (
    DEFAULT_GRADE_SCALE,
    YES_NO_NA_OPTIONS,
    Question,
    Template,
    TemplateVersion,
)
from caseaudit.questionnaires.services import (
    check_version_editable,
    template_create,
    version_copy,
    version_create,
    version_editable,
    version_freeze,
    version_spec,
)
from caseaudit.questionnaires.templatefile import parse_template
from tests.questionnaires.template_data import changed, good


def options_of(question: Question) -> list[tuple[str, str, str]]:
    return list(question.options.values_list("key", "label", "meaning"))


@pytest.fixture
def template(world):
    return Template.objects.create(partnership=world.north, name="Synthetic audit")


class TestVersionCreate:
    def test_it_stores_sections_questions_and_options_in_order(self, template, world):
        version = version_create(
            template=template, spec=parse_template(good()), user=world.alice, source="a.yaml"
        )
        assert (version.number, version.created_by, version.source) == (1, world.alice, "a.yaml")
        assert list(version.sections.values_list("order", "title", "description")) == [
            (1, "Seeing the child", ""),
            (2, "Overall", "The auditor's view."),
        ]
        questions = list(version.questions.all())
        assert [(q.section.order, q.order, q.key) for q in questions] == [
            (1, 1, "seen_alone"),
            (1, 2, "why_not"),
            (1, 3, "visits"),
            (2, 1, "grade"),
            (2, 2, "contacted"),
            (2, 3, "review_date"),
        ]
        contacted = version.questions.get(key="contacted")
        assert contacted.help == "Tick all that apply."
        assert options_of(contacted) == [
            ("mother", "Mother", "positive"),
            ("father", "Father", "positive"),
            ("nobody", "Nobody", "negative"),
        ]
        visits = version.questions.get(key="visits")
        assert (visits.min_value, visits.max_value) == (Decimal(0), Decimal(50))
        assert not visits.options.exists()
        grade = version.questions.get(key="grade")
        assert (grade.comment, grade.comment_label) == (True, "Why this grade?")
        assert version.questions.get(key="review_date").required is False

    def test_yes_no_na_and_grade_questions_get_the_standard_options(self, template):
        spec = parse_template(good())
        for question in spec["sections"][0]["questions"] + spec["sections"][1]["questions"]:
            if question["type"] in ("yes_no_na", "grade"):
                question["options"] = []  # as a hand-made spec might leave them
        version = version_create(template=template, spec=spec)
        assert options_of(version.questions.get(key="seen_alone")) == [
            (key, label, str(meaning)) for key, label, meaning in YES_NO_NA_OPTIONS
        ]
        assert options_of(version.questions.get(key="grade")) == [
            (key, label, str(meaning)) for key, label, meaning in DEFAULT_GRADE_SCALE
        ]
        assert [grade["key"] for grade in version.grade_scale] == [
            key for key, _, _ in DEFAULT_GRADE_SCALE
        ]

    def test_a_grade_question_uses_the_template_scale(self, template):
        scale = [
            {"key": "good", "label": "Good", "meaning": "positive"},
            {"key": "requires_improvement", "label": "Requires improvement", "meaning": "negative"},
            {"key": "inadequate", "label": "Inadequate", "meaning": "negative"},
        ]
        version = version_create(
            template=template, spec=parse_template(changed("grade_scale", scale))
        )
        assert version.grade_scale == scale
        assert options_of(version.questions.get(key="grade")) == [
            (grade["key"], grade["label"], grade["meaning"]) for grade in scale
        ]

    def test_show_if_links_to_the_earlier_question_of_the_same_version(self, template):
        version = version_create(template=template, spec=parse_template(good()))
        why_not = version.questions.get(key="why_not")
        assert why_not.show_if_question == version.questions.get(key="seen_alone")
        assert why_not.show_if_options == ["no"]


class TestTemplateCreate:
    def test_the_same_name_again_makes_the_next_version(self, world):
        first_template, first = template_create(
            partnership=world.north, spec=parse_template(good())
        )
        spec = parse_template(changed("description", "Second go."))
        second_template, second = template_create(partnership=world.north, spec=spec)
        assert second_template == first_template
        assert (first.number, second.number) == (1, 2)
        assert Template.objects.filter(partnership=world.north).count() == 1
        second_template.refresh_from_db()
        assert second_template.description == "Second go."
        assert second_template.latest_version() == second
        # Version 1 keeps its own rows.
        assert first.questions.count() == second.questions.count()
        assert not set(first.questions.values_list("pk", flat=True)) & set(
            second.questions.values_list("pk", flat=True)
        )

    def test_each_partnership_has_its_own_templates(self, world):
        north, _ = template_create(partnership=world.north, spec=parse_template(good()))
        south, version = template_create(partnership=world.south, spec=parse_template(good()))
        assert north != south
        assert version.number == 1
        assert south.partnership == world.south


class TestVersions:
    def test_a_copy_is_the_next_version_with_its_own_show_if_links(self, world):
        _, original = template_create(partnership=world.north, spec=parse_template(good()))
        copy = version_copy(version=original, user=world.lena)
        assert copy.number == original.number + 1
        assert copy.source == f"Copy of version {original.number}"
        assert copy.created_by == world.lena
        assert not copy.is_frozen
        why_not = copy.questions.get(key="why_not")
        assert why_not.show_if_question.version == copy
        assert why_not.show_if_question == copy.questions.get(key="seen_alone")
        assert version_spec(copy) == version_spec(original)

    def test_freezing_is_idempotent(self, world):
        _, version = template_create(partnership=world.north, spec=parse_template(good()))
        assert not version.is_frozen
        version_freeze(version)
        assert version.is_frozen
        frozen_at = version.frozen_at
        version_freeze(version)
        assert TemplateVersion.objects.get(pk=version.pk).frozen_at == frozen_at

    def test_a_draft_is_edited_in_place(self, world):
        _, version = template_create(partnership=world.north, spec=parse_template(good()))
        assert version_editable(version=version) == version
        assert TemplateVersion.objects.count() == 1

    def test_a_frozen_version_is_edited_as_a_new_copy(self, world):
        template, version = template_create(partnership=world.north, spec=parse_template(good()))
        version_freeze(version)
        editable = version_editable(version=version, user=world.lena)
        assert editable != version
        assert editable.number == 2
        assert not editable.is_frozen
        assert template.latest_version() == editable
        # Asking again finds the same draft rather than making a third version.
        assert version_editable(version=version) == editable
        assert template.versions.count() == 2

    def test_a_frozen_version_refuses_changes(self, world):
        _, version = template_create(partnership=world.north, spec=parse_template(good()))
        check_version_editable(version)
        version_freeze(version)
        with pytest.raises(ValidationError, match="cannot change"):
            check_version_editable(version)
