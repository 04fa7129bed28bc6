"""The template builder's pages: lena (audit lead) builds North's templates; alice (admin) may
too; other North roles and South's admin (sol) get 404 for North's templates."""

import json

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from caseaudit.audits.services import audit_create
from caseaudit.questionnaires import builder
from caseaudit.questionnaires.models import Question, QuestionType, Template
from caseaudit.questionnaires.services import version_freeze, version_spec

OPTIONS = [
    {"key": "seen_alone", "label": "Seen alone", "meaning": "positive"},
    {"key": "seen_with_carer", "label": "Seen with a carer", "meaning": "neutral"},
    {"key": "not_seen", "label": "Not seen", "meaning": "negative"},
]


@pytest.fixture
def version(world):
    """North's 'Neglect' template, version 1 (a draft): section 'Assessment' with a single
    choice question 'seen' and a yes / no / n.a. question 'plan' shown when 'seen' is not_seen."""
    _, version = builder.template_new(partnership=world.north, name="Neglect", user=world.lena)
    section = builder.section_add(version=version, title="Assessment")
    seen = builder.question_add(
        section=section,
        data={"text": "Was the child seen?", "key": "seen", "type": "single_choice",
              "required": True, "options": OPTIONS},
    )  # fmt: skip
    plan = builder.question_add(
        section=section,
        data={"text": "Was there a plan?", "key": "plan", "type": "yes_no_na", "required": True},
    )
    builder.question_condition_set(question=plan, on=seen, options=["not_seen"])
    return version


def base(version) -> str:
    return f"/templates/{version.template_id}/versions/{version.number}/"


def question(version, key: str) -> Question:
    return Question.objects.get(version=version, key=key)


def signed_in(client, world, persona="lena"):
    client.force_login(world.users[persona])
    return client


def question_form(key="visits", **overrides) -> dict:
    data = {
        "text": "How many home visits were made?",
        "key": key,
        "help": "",
        "type": QuestionType.NUMBER,
        "required": "on",
        "min_value": "0",
        "max_value": "",
    }
    return data | overrides


def option_rows(rows: list[dict], total: int = 4) -> dict:
    data = {}
    for number in range(1, total + 1):
        row = rows[number - 1] if number <= len(rows) else {}
        for part in ("key", "label", "meaning"):
            data[f"option_{number}_{part}"] = row.get(part, "")
    return data


class TestTemplateList:
    def test_it_lists_the_partnerships_templates(self, client, world, version):
        builder.template_new(partnership=world.south, name="South only")
        audit = audit_create(partnership=world.north, title="Neglect audit")
        audit.template_version = version
        audit.save()
        content = signed_in(client, world).get("/templates/").content.decode()
        assert "Neglect" in content
        assert "Version 1" in content
        assert "Draft" in content
        assert "South only" not in content
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in content

    def test_a_frozen_latest_version_shows_frozen(self, client, world, version):
        version_freeze(version)
        content = signed_in(client, world, "alice").get("/templates/").content.decode()
        assert "Frozen" in content

    def test_the_navigation_offers_templates_to_those_who_manage_them(self, client, world):
        assert 'href="/templates/"' in signed_in(client, world).get("/").content.decode()
        assert (
            'href="/templates/"' not in signed_in(client, world, "morgan").get("/").content.decode()
        )

    def test_other_roles_get_404(self, client, world):
        for persona in ("chris", "hana", "morgan", "sam", "bea"):
            assert signed_in(client, world, persona).get("/templates/").status_code == 404

    def test_anonymous_people_are_sent_to_sign_in(self, client, world):
        response = client.get("/templates/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


class TestTemplateNew:
    def test_it_creates_a_draft_and_opens_it(self, client, world):
        response = signed_in(client, world).post(
            "/templates/new/", {"name": "Repeat plans", "description": "Second plans"}
        )
        template = Template.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/templates/{template.pk}/versions/1/"
        assert template.partnership == world.north
        assert template.created_by == world.lena

    def test_it_says_what_to_fix(self, client, world, version):
        client = signed_in(client, world)
        content = client.post("/templates/new/", {"name": ""}).content.decode()
        assert "There is a problem" in content
        assert "Enter a name for the template" in content
        content = client.post("/templates/new/", {"name": "neglect"}).content.decode()
        assert "There is already a template called “neglect”" in content
        assert Template.objects.count() == 1

    def test_put_is_not_allowed(self, client, world):
        assert signed_in(client, world).put("/templates/new/").status_code == 405


class TestTemplateDetailAndEdit:
    def test_it_lists_versions_with_their_dates(self, client, world, version):
        version_freeze(version)
        builder.version_draft(version=version, user=world.alice)
        content = signed_in(client, world).get(f"/templates/{version.template_id}/").content
        content = content.decode()
        assert "Version 2" in content
        assert "Version 1" in content
        assert "Frozen" in content
        assert "Draft" in content
        assert "Not sent yet" in content
        assert "by Alice" in content

    def test_it_renames(self, client, world, version):
        url = f"/templates/{version.template_id}/edit/"
        response = signed_in(client, world).post(url, {"name": "Neglect 2027"})
        assert response.status_code == 302
        assert Template.objects.get().name == "Neglect 2027"

    def test_south_gets_404(self, client, world, version):
        client = signed_in(client, world, "sol")
        assert client.get(f"/templates/{version.template_id}/").status_code == 404
        assert (
            client.post(f"/templates/{version.template_id}/edit/", {"name": "X"}).status_code == 404
        )


class TestVersionPage:
    def test_it_shows_sections_questions_options_meanings_and_conditions(
        self, client, world, version
    ):
        content = signed_in(client, world).get(base(version)).content.decode()
        assert "1. Assessment" in content
        assert "1.1 Was the child seen?" in content
        assert "Seen with a carer" in content
        assert "neutral" in content
        assert "Only when “Was the child seen?” (seen) is Not seen" in content
        assert "Add a question" in content
        assert "Move down" in content
        assert "Make a new version" not in content

    def test_a_frozen_version_offers_a_new_version_instead_of_changes(self, client, world, version):
        version_freeze(version)
        content = signed_in(client, world).get(base(version)).content.decode()
        assert "Frozen" in content
        assert "Make a new version" in content
        assert "Add a question" not in content
        assert "Move down" not in content

    def test_other_roles_and_south_get_404(self, client, world, version):
        for persona in ("chris", "morgan", "sol"):
            assert signed_in(client, world, persona).get(base(version)).status_code == 404

    def test_an_unknown_version_is_404(self, client, world, version):
        url = f"/templates/{version.template_id}/versions/9/"
        assert signed_in(client, world).get(url).status_code == 404


class TestNewVersion:
    def test_it_copies_a_frozen_version_and_opens_the_copy(self, client, world, version):
        version_freeze(version)
        response = signed_in(client, world).post(f"{base(version)}new-version/")
        draft = version.template.versions.get(number=2)
        assert response["Location"] == base(draft)
        assert not draft.is_frozen
        assert version_spec(draft) == version_spec(version)
        # A second click opens the same draft.
        client.post(f"{base(version)}new-version/")
        assert version.template.versions.count() == 2

    def test_get_is_not_allowed(self, client, world, version):
        assert signed_in(client, world).get(f"{base(version)}new-version/").status_code == 405


FROZEN_POSTS = {
    "sections/add/": {"title": "New"},
    "section edit": {"title": "New"},
    "section move": {"direction": "down"},
    "section delete": {},
    "question add": question_form(),
    "question edit": question_form(key="seen"),
    "question condition": {"remove": "1"},
    "question move": {"direction": "down"},
    "question delete": {},
    "grades/": {"grade_1_key": "good", "grade_1_label": "Good", "grade_1_meaning": "positive"},
}


def frozen_url(version, what: str) -> str:
    section = version.sections.get()
    seen = question(version, "seen")
    plan = question(version, "plan")
    paths = {
        "section edit": f"sections/{section.pk}/",
        "section move": f"sections/{section.pk}/move/",
        "section delete": f"sections/{section.pk}/delete/",
        "question add": f"sections/{section.pk}/questions/add/",
        "question edit": f"questions/{seen.pk}/",
        "question condition": f"questions/{plan.pk}/condition/",
        "question move": f"questions/{seen.pk}/move/",
        "question delete": f"questions/{plan.pk}/delete/",
    }
    return base(version) + paths.get(what, what)


class TestFrozenVersionPages:
    @pytest.mark.parametrize("what", sorted(FROZEN_POSTS))
    def test_every_change_is_refused_with_the_reason(self, client, world, version, what):
        before = version_spec(version)
        version_freeze(version)
        client = signed_in(client, world)
        response = client.post(frozen_url(version, what), FROZEN_POSTS[what], follow=True)
        content = response.content.decode()
        assert response.redirect_chain[-1][0] == base(version)
        assert "Version 1 has been sent to agencies, so it cannot change" in content
        assert "Make a new version" in content
        assert version_spec(version) == before

    @pytest.mark.parametrize("what", ["sections/add/", "question edit", "grades/"])
    def test_change_pages_send_you_back_too(self, client, world, version, what):
        version_freeze(version)
        response = signed_in(client, world).get(frozen_url(version, what))
        assert response.status_code == 302
        assert response["Location"] == base(version)


class TestSections:
    def test_it_adds_a_section_at_the_end(self, client, world, version):
        response = signed_in(client, world).post(
            f"{base(version)}sections/add/", {"title": "Planning", "description": "Plans"}
        )
        section = version.sections.get(title="Planning")
        assert response["Location"] == f"{base(version)}#section-{section.pk}"
        assert section.order == 2

    def test_a_title_is_needed(self, client, world, version):
        content = signed_in(client, world).post(f"{base(version)}sections/add/", {"title": ""})
        assert "Enter a title for the section" in content.content.decode()

    def test_it_moves_and_deletes_with_a_confirmation(self, client, world, version):
        client = signed_in(client, world)
        client.post(f"{base(version)}sections/add/", {"title": "Planning"})
        planning = version.sections.get(title="Planning")
        client.post(f"{base(version)}sections/{planning.pk}/move/", {"direction": "up"})
        assert [s.title for s in version.sections.order_by("order")] == ["Planning", "Assessment"]
        url = f"{base(version)}sections/{planning.pk}/delete/"
        assert "Are you sure you want to delete the section" in client.get(url).content.decode()
        client.post(url)
        assert [s.title for s in version.sections.all()] == ["Assessment"]

    def test_a_move_that_breaks_a_condition_is_refused_with_a_message(self, client, world, version):
        client = signed_in(client, world)
        second = builder.section_add(version=version, title="Planning")
        builder.question_update(
            question=question(version, "plan"),
            data={"text": "Was there a plan?", "key": "plan", "type": "yes_no_na",
                  "required": True, "section": second},
        )  # fmt: skip
        response = client.post(
            f"{base(version)}sections/{second.pk}/move/", {"direction": "up"}, follow=True
        )
        assert "Question “plan” must come after question “seen”" in response.content.decode()
        assert [s.title for s in version.sections.order_by("order")] == ["Assessment", "Planning"]

    def test_move_needs_post(self, client, world, version):
        url = f"{base(version)}sections/{version.sections.get().pk}/move/"
        assert signed_in(client, world).get(url).status_code == 405


class TestQuestionAdd:
    def url(self, version) -> str:
        return f"{base(version)}sections/{version.sections.get().pk}/questions/add/"

    def test_the_form_offers_empty_option_rows(self, client, world, version):
        content = signed_in(client, world).get(self.url(version)).content.decode()
        assert 'name="option_4_label"' in content
        assert 'name="option_5_label"' not in content
        assert "Meaning for statistics" in content

    def test_it_adds_a_number_question(self, client, world, version):
        response = signed_in(client, world).post(
            self.url(version), question_form(max_value="40") | option_rows([])
        )
        visits = question(version, "visits")
        assert response["Location"] == f"{base(version)}#question-{visits.pk}"
        assert (visits.type, visits.min_value, visits.max_value) == ("number", 0, 40)
        assert visits.required
        assert visits.order == 3

    def test_it_adds_a_single_choice_question_with_its_options(self, client, world, version):
        data = question_form("agencies", type="single_choice", text="Who led?") | option_rows(
            [
                {"key": "social_care", "label": "Social care", "meaning": "neutral"},
                {"key": "health", "label": "Health", "meaning": "neutral"},
                {},
                {"key": "nobody", "label": "Nobody", "meaning": "negative"},
            ]
        )
        signed_in(client, world).post(self.url(version), data)
        options = question(version, "agencies").options.all()
        assert [(o.key, o.meaning) for o in options] == [
            ("social_care", "neutral"),
            ("health", "neutral"),
            ("nobody", "negative"),
        ]

    def test_save_and_add_more_options_reopens_it_with_three_empty_rows(
        self, client, world, version
    ):
        data = question_form("agencies", type="single_choice") | option_rows(OPTIONS)
        client = signed_in(client, world)
        response = client.post(self.url(version), data | {"then": "more"})
        agencies = question(version, "agencies")
        assert response["Location"] == f"{base(version)}questions/{agencies.pk}/"
        content = client.get(response["Location"]).content.decode()
        assert 'name="option_6_key"' in content
        assert 'name="option_7_key"' not in content

    def test_it_says_what_to_fix_and_keeps_what_was_typed(self, client, world, version):
        data = question_form(key="Seen Alone", text="", type="") | option_rows([])
        response = signed_in(client, world).post(self.url(version), data)
        content = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: " in content
        assert "Enter the question text" in content
        assert "Key must only include lowercase letters, numbers and underscores" in content
        assert "Select the type of question" in content
        assert 'value="Seen Alone"' in content
        assert Question.objects.filter(version=version).count() == 2

    def test_a_duplicate_key_is_shown_against_the_key(self, client, world, version):
        data = question_form(key="seen") | option_rows([])
        content = signed_in(client, world).post(self.url(version), data).content.decode()
        assert "Key “seen” is already used by another question in this version" in content
        assert 'href="#id_key"' in content

    def test_option_rows_are_checked_one_by_one(self, client, world, version):
        rows = [
            {"key": "yes_seen", "label": "Seen", "meaning": ""},
            {"key": "", "label": "Not seen", "meaning": "negative"},
            {"key": "Bad Key", "label": "", "meaning": "neutral"},
        ]
        data = question_form("agencies", type="single_choice") | option_rows(rows)
        content = signed_in(client, world).post(self.url(version), data).content.decode()
        assert "Select what option 1 means for statistics" in content
        assert "Enter a key for option 2" in content
        assert "Option 3 key must only include lowercase letters, numbers and underscores" in (
            content
        )
        assert "Enter a label for option 3" in content
        assert 'href="#id_option_1_meaning"' in content

    def test_too_few_options_and_repeated_keys_are_shown_by_the_first_row(
        self, client, world, version
    ):
        rows = [OPTIONS[0], {**OPTIONS[1], "key": "seen_alone"}]
        data = question_form("agencies", type="single_choice") | option_rows(rows)
        content = signed_in(client, world).post(self.url(version), data).content.decode()
        assert "Option keys must be different: “seen_alone” is used more than once" in content
        assert 'href="#id_option_1_key"' in content
        data = question_form("agencies", type="multiple_choice") | option_rows(rows[:1])
        content = signed_in(client, world).post(self.url(version), data).content.decode()
        assert "Enter at least 2 options" in content

    def test_a_yes_no_na_question_gets_its_options_whatever_the_rows_hold(
        self, client, world, version
    ):
        data = question_form("visited", type="yes_no_na") | option_rows([{"key": "half"}])
        response = signed_in(client, world).post(self.url(version), data)
        assert response.status_code == 302
        options = question(version, "visited").options.all()
        assert [o.key for o in options] == ["yes", "no", "not_applicable"]

    def test_rows_posted_are_drawn_again(self, client, world, version):
        data = question_form(text="") | option_rows([], total=9)
        content = signed_in(client, world).post(self.url(version), data).content.decode()
        assert 'name="option_9_key"' in content

    def test_min_must_not_be_more_than_max(self, client, world, version):
        data = question_form(min_value="5", max_value="1") | option_rows([])
        content = signed_in(client, world).post(self.url(version), data).content.decode()
        assert "Largest number must be the same as or more than the smallest number" in content


class TestQuestionEdit:
    def test_yes_no_na_options_show_labels_and_meanings_to_change(self, client, world, version):
        plan = question(version, "plan")
        url = f"{base(version)}questions/{plan.pk}/"
        client = signed_in(client, world)
        content = client.get(url).content.decode()
        assert "<code>not_applicable</code>" in content
        assert 'type="hidden" name="option_1_key" value="yes"' in content
        assert 'name="option_4_key"' not in content
        data = {
            "text": "Was there a plan?",
            "key": "plan",
            "type": "yes_no_na",
            "required": "on",
            "section": plan.section_id,
            "option_1_key": "yes",
            "option_1_label": "Yes, written down",
            "option_1_meaning": "positive",
            "option_2_key": "no",
            "option_2_label": "No",
            "option_2_meaning": "negative",
            "option_3_key": "not_applicable",
            "option_3_label": "Not known",
            "option_3_meaning": "not_known",
        }
        assert client.post(url, data).status_code == 302
        assert [(o.label, o.meaning) for o in plan.options.all()] == [
            ("Yes, written down", "positive"),
            ("No", "negative"),
            ("Not known", "not_known"),
        ]
        plan.refresh_from_db()
        assert plan.show_if_question == question(version, "seen")  # the condition stays

    def test_removing_an_option_a_condition_uses_is_refused(self, client, world, version):
        seen = question(version, "seen")
        data = question_form("seen", type="single_choice", section=seen.section_id)
        data |= option_rows(OPTIONS[:2])
        response = signed_in(client, world).post(f"{base(version)}questions/{seen.pk}/", data)
        content = response.content.decode()
        assert "You cannot remove “not_seen”: question “plan” only shows when it is chosen" in (
            content
        )
        assert seen.options.count() == 3


class TestQuestionCondition:
    def url(self, version, key="plan") -> str:
        return f"{base(version)}questions/{question(version, key).pk}/condition/"

    def test_step_one_lists_earlier_choice_questions_only(self, client, world, version):
        section = version.sections.get()
        builder.question_add(
            section=section,
            data={"text": "Notes", "key": "notes", "type": "text", "required": False},
        )
        content = signed_in(client, world).get(self.url(version, "notes")).content.decode()
        assert "Was the child seen? (seen)" in content
        assert "Was there a plan? (plan)" in content
        content = client.get(self.url(version, "seen")).content.decode()
        assert "There is no choice question before this one" in content

    def test_step_two_offers_that_questions_answers_and_saves(self, client, world, version):
        client = signed_in(client, world)
        seen = question(version, "seen")
        content = client.get(self.url(version), {"on": seen.pk}).content.decode()
        assert "Show it when the answer to “Was the child seen?” is" in content
        assert 'value="not_seen" checked' in content
        response = client.post(
            self.url(version), {"on": seen.pk, "options": ["seen_with_carer", "not_seen"]}
        )
        plan = question(version, "plan")
        assert response["Location"] == f"{base(version)}#question-{plan.pk}"
        assert plan.show_if_options == ["seen_with_carer", "not_seen"]

    def test_no_answer_chosen_says_so(self, client, world, version):
        seen = question(version, "seen")
        response = signed_in(client, world).post(self.url(version), {"on": seen.pk})
        assert "Select at least one answer" in response.content.decode()

    def test_a_later_question_cannot_be_chosen(self, client, world, version):
        plan = question(version, "plan")
        client = signed_in(client, world)
        response = client.post(self.url(version, "seen"), {"on": plan.pk, "options": ["yes"]})
        assert response.status_code == 404
        content = client.get(self.url(version, "seen"), {"on": plan.pk}).content.decode()
        assert "Select a question from the list" in content or "no choice question" in content

    def test_it_removes_the_condition(self, client, world, version):
        signed_in(client, world).post(self.url(version), {"remove": "1"})
        assert question(version, "plan").show_if_question is None


class TestQuestionMoveAndDelete:
    def test_move_down_and_up(self, client, world, version):
        client = signed_in(client, world)
        builder.question_condition_set(question=question(version, "plan"), on=None)
        seen = question(version, "seen")
        response = client.post(f"{base(version)}questions/{seen.pk}/move/", {"direction": "down"})
        assert response["Location"] == f"{base(version)}#question-{seen.pk}"
        assert [q.key for q in version.questions.order_by("order")] == ["plan", "seen"]

    def test_a_move_that_breaks_a_condition_is_refused_with_a_message(self, client, world, version):
        seen = question(version, "seen")
        response = signed_in(client, world).post(
            f"{base(version)}questions/{seen.pk}/move/", {"direction": "down"}, follow=True
        )
        assert "Question “plan” must come after question “seen”" in response.content.decode()
        assert [q.key for q in version.questions.order_by("order")] == ["seen", "plan"]

    def test_delete_asks_first_then_deletes(self, client, world, version):
        plan = question(version, "plan")
        url = f"{base(version)}questions/{plan.pk}/delete/"
        client = signed_in(client, world)
        content = client.get(url).content.decode()
        assert "Are you sure you want to delete this question?" in content
        assert "Was there a plan?" in content
        client.post(url)
        assert not Question.objects.filter(pk=plan.pk).exists()

    def test_a_question_another_depends_on_is_kept_with_a_message(self, client, world, version):
        seen = question(version, "seen")
        response = signed_in(client, world).post(
            f"{base(version)}questions/{seen.pk}/delete/", follow=True
        )
        assert "You cannot delete this question: question “plan” only shows" in (
            response.content.decode()
        )
        assert Question.objects.filter(pk=seen.pk).exists()

    def test_another_versions_question_is_404(self, client, world, version):
        _, other = builder.template_new(partnership=world.north, name="Other")
        seen = question(version, "seen")
        url = f"{base(other)}questions/{seen.pk}/"
        assert signed_in(client, world).get(url).status_code == 404


class TestGradeScale:
    def test_it_shows_the_scale_with_empty_rows_and_saves(self, client, world, version):
        url = f"{base(version)}grades/"
        client = signed_in(client, world)
        content = client.get(url).content.decode()
        assert 'value="requires_improvement"' in content
        assert 'name="grade_7_key"' in content
        data = {
            "grade_1_key": "good",
            "grade_1_label": "Good",
            "grade_1_meaning": "positive",
            "grade_2_key": "",
            "grade_2_label": "",
            "grade_2_meaning": "",
            "grade_3_key": "inadequate",
            "grade_3_label": "Inadequate",
            "grade_3_meaning": "negative",
        }
        response = client.post(url, data)
        assert response["Location"] == f"{base(version)}#grade-scale"
        version.refresh_from_db()
        assert [g["key"] for g in version.grade_scale] == ["good", "inadequate"]

    def test_it_says_what_to_fix(self, client, world, version):
        data = {"grade_1_key": "good", "grade_1_label": "Good", "grade_1_meaning": ""}
        content = signed_in(client, world).post(f"{base(version)}grades/", data).content.decode()
        assert "Select what grade 1 means for statistics" in content
        data["grade_1_meaning"] = "positive"
        content = signed_in(client, world).post(f"{base(version)}grades/", data).content.decode()
        assert "Enter at least 2 grades" in content


class TestPreview:
    def test_it_draws_the_section_as_the_return_form_does(self, client, world, version):
        content = signed_in(client, world).get(f"{base(version)}preview/").content.decode()
        assert "Section 1 of 1" in content
        assert "Was the child seen?" in content
        assert 'name="q-seen"' in content
        assert 'value="seen_with_carer"' in content
        assert "Was there a plan?" in content
        assert "Nothing you enter here is saved" in content

    def test_check_this_page_runs_the_return_forms_checks_and_saves_nothing(
        self, client, world, version
    ):
        client = signed_in(client, world)
        content = client.post(f"{base(version)}preview/?section=1", {}).content.decode()
        assert "There is a problem" in content
        content = client.post(
            f"{base(version)}preview/?section=1", {"q-seen": "seen_alone"}
        ).content.decode()
        assert "No problems on this page" in content

    def test_an_empty_version_says_there_is_nothing_yet(self, client, world):
        _, empty = builder.template_new(partnership=world.north, name="Empty")
        content = signed_in(client, world).get(f"{base(empty)}preview/").content.decode()
        assert "nothing to preview" in content


class TestDownload:
    def test_yaml(self, client, world, version):
        response = signed_in(client, world).get(f"{base(version)}download/yaml/")
        assert response["Content-Type"].startswith("application/yaml")
        assert response["Content-Disposition"] == 'attachment; filename="neglect-version-1.yaml"'
        data = yaml.safe_load(response.content)
        assert data["sections"][0]["questions"][1]["show_if"] == {
            "question": "seen",
            "options": ["not_seen"],
        }

    def test_json(self, client, world, version):
        response = signed_in(client, world).get(f"{base(version)}download/json/")
        assert json.loads(response.content)["name"] == "Neglect"

    def test_another_format_is_404(self, client, world, version):
        assert signed_in(client, world).get(f"{base(version)}download/xml/").status_code == 404


class TestImportAndLibrary:
    def test_a_yaml_file_becomes_a_template(self, client, world, version):
        content = signed_in(client, world).get(f"{base(version)}download/yaml/").content
        content = content.replace(b"name: Neglect", b"name: Imported")
        upload = SimpleUploadedFile("imported.yaml", content, content_type="application/yaml")
        response = client.post("/templates/import/", {"file": upload})
        imported = Template.objects.get(name="Imported")
        assert response["Location"] == f"/templates/{imported.pk}/versions/1/"
        assert imported.partnership == world.north
        assert imported.versions.get().source == "imported.yaml"

    def test_a_file_with_a_problem_says_where(self, client, world):
        upload = SimpleUploadedFile("bad.yaml", b"name: Bad\nsections: []\n")
        response = signed_in(client, world).post("/templates/import/", {"file": upload})
        content = response.content.decode()
        assert "sections: A template needs at least one section" in content
        assert not Template.objects.exists()

    def test_no_file_says_so(self, client, world):
        response = signed_in(client, world).post("/templates/import/", {})
        assert "Select a template file" in response.content.decode()

    def test_the_library_lists_and_starts_a_template(self, client, world):
        from caseaudit.questionnaires import library

        client = signed_in(client, world)
        entry = library.available()[0]
        assert entry["name"] in client.get("/templates/library/").content.decode()
        response = client.post("/templates/library/", {"slug": entry["slug"]})
        template = Template.objects.get()
        assert response["Location"] == f"/templates/{template.pk}/versions/1/"
        assert template.name == entry["name"]
        assert template.versions.get().questions.exists()

    def test_an_unknown_slug_is_refused(self, client, world):
        response = signed_in(client, world).post("/templates/library/", {"slug": "nope"})
        assert response.status_code == 200
        assert not Template.objects.exists()


class TestSouthsAdmin:
    @pytest.mark.parametrize(
        "path",
        ["", "preview/", "download/yaml/", "grades/", "sections/add/"],
    )
    def test_gets_404_for_norths_version_pages(self, client, world, version, path):
        assert signed_in(client, world, "sol").get(base(version) + path).status_code == 404

    def test_cannot_change_norths_questions(self, client, world, version):
        seen = question(version, "seen")
        client = signed_in(client, world, "sol")
        url = f"{base(version)}questions/{seen.pk}/"
        assert client.post(url, question_form("seen")).status_code == 404
        assert client.post(f"{url}delete/").status_code == 404
        assert client.post(f"{url}move/", {"direction": "down"}).status_code == 404
        assert question(version, "seen").text == "Was the child seen?"
