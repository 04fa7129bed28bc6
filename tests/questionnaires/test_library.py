"""The starter library: every template is a valid template file, imports, and gives every
option a meaning; the demo partnership gets all four, once."""

import pytest

from caseaudit.questionnaires import library
from caseaudit.questionnaires.models import CHOICE_TYPES, Meaning, Template
from caseaudit.questionnaires.services import template_create, version_spec
from caseaudit.questionnaires.templatefile import parse_template


def questions_of(spec: dict) -> list[dict]:
    return [question for section in spec["sections"] for question in section["questions"]]


def test_there_are_four_templates_with_names_and_descriptions():
    entries = library.available()
    assert [entry["slug"] for entry in entries] == [
        "repeat_child_protection_plan",
        "neglect_deep_dive",
        "single_agency_safeguarding_risk",
        "parental_mental_health",
    ]
    assert all(entry["name"] and entry["description"] for entry in entries)
    assert len({entry["name"] for entry in entries}) == len(entries)


@pytest.mark.parametrize("slug", library.SLUGS)
class TestEachTemplate:
    def test_it_parses_and_imports(self, world, slug):
        spec = library.load(slug)
        _, version = template_create(partnership=world.north, spec=spec)
        assert version.questions.count() == len(questions_of(spec)) > 0
        assert parse_template(version_spec(version)) == spec

    def test_question_keys_are_unique_and_every_option_has_a_meaning(self, slug):
        questions = questions_of(library.load(slug))
        keys = [question["key"] for question in questions]
        assert len(keys) == len(set(keys))
        for question in questions:
            if question["type"] in CHOICE_TYPES:
                assert len(question["options"]) >= 2, question["key"]
            for option in question["options"]:
                assert option["meaning"] in Meaning.values, (question["key"], option["key"])
            assert question["text"].endswith("?"), question["key"]

    def test_it_counts_good_and_bad_answers(self, slug):
        """Each template gives statistics something to count both ways."""
        meanings = {
            option["meaning"]
            for question in questions_of(library.load(slug))
            for option in question["options"]
        }
        assert {Meaning.POSITIVE, Meaning.NEGATIVE} <= meanings


def test_the_repeat_plan_template_covers_the_seed_audit():
    spec = library.load("repeat_child_protection_plan")
    questions = {question["key"]: question for question in questions_of(spec)}
    assert 10 <= len(questions) <= 20
    for key in (
        "file_contents",
        "supervision",
        "tasks_and_dates",
        "impact_on_child",
        "lived_experience",
        "seen_alone",
        "plan_explained",
        "previous_plan",
        "work_since",
        "referrals",
        "similar_concerns",
        "strengths_and_deficits",
        "family_contact",
    ):
        assert key in questions
    assert questions["referrals"]["show_if"] == {
        "question": "involved_between_plans",
        "options": ["yes"],
    }


def test_the_single_agency_template_has_a_grade_with_a_rationale():
    spec = library.load("single_agency_safeguarding_risk")
    grades = [q for q in questions_of(spec) if q["type"] == "grade"]
    assert len(grades) == 1
    assert grades[0]["comment"]
    assert grades[0]["comment_label"]
    assert grades[0]["options"] == spec["grade_scale"]


def test_an_unknown_slug_is_a_key_error():
    with pytest.raises(KeyError):
        library.load("../../settings")


def test_load_library_adds_only_the_missing_templates(world):
    template_create(partnership=world.north, spec=library.load("neglect_deep_dive"))
    made = library.load_library(world.north, user=world.alice)
    assert len(made) == len(library.SLUGS) - 1
    assert all(version.number == 1 and version.created_by == world.alice for version in made)
    assert library.load_library(world.north) == []
    assert Template.objects.filter(partnership=world.north).count() == len(library.SLUGS)
    assert not Template.objects.filter(partnership=world.south).exists()
