"""The findings editor: numbered findings with challenges and quotes, and the other parts of the
publications, written by the audit lead next to the evidence."""

import pytest
from django.test import Client

from caseaudit.findings.models import Finding, FindingQuote, LearningTheme, ReportPoint
from caseaudit.findings.services import item_delete, item_move, pseudonymise
from caseaudit.returns.models import Answer
from caseaudit.themes.services import themes_seed_for_partnership
from tests.analysis.fixtures import CHILDREN, statistics_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(world):
    return statistics_audit(world)


@pytest.fixture
def lena(world) -> Client:
    client = Client()
    client.force_login(world.lena)
    return client


def base(audit) -> str:
    return f"/audits/{audit.pk}/findings/"


def add_finding(client, audit, text, **fields):
    return client.post(base(audit) + "finding/new/", {"text": text, **fields})


def test_the_lead_numbers_findings_in_order_and_links_questions(lena, audit, world):
    response = add_finding(
        lena,
        audit,
        "Plans were not SMART.",
        challenge_for="all agencies",
        challenge="Write outcomes a family can understand.",
        question_keys=["seen_alone", "tools"],
    )
    first = Finding.objects.get(audit=audit)
    assert response.status_code == 302
    assert response["Location"] == base(audit) + f"finding/{first.pk}/"
    assert (first.number, first.challenge_for, first.created_by) == (1, "all agencies", world.lena)
    assert first.question_keys == ["seen_alone", "tools"]
    add_finding(lena, audit, "Fathers were rarely seen.")
    second = Finding.objects.get(audit=audit, number=2)
    page = lena.get(base(audit)).content.decode()
    assert page.index("Plans were not SMART.") < page.index("Fathers were rarely seen.")
    assert "Challenge for all agencies:" in page
    # The figures of the linked questions sit beside the finding.
    beside = lena.get(base(audit) + f"finding/{first.pk}/").content.decode()
    assert "Figures this finding rests on" in beside
    lena.post(base(audit) + f"finding/{second.pk}/move/", {"direction": "up"})
    assert list(audit.findings.values_list("text", flat=True)) == [
        "Fathers were rarely seen.",
        "Plans were not SMART.",
    ]
    lena.post(base(audit) + f"finding/{second.pk}/delete/")
    first.refresh_from_db()
    assert first.number == 1
    assert audit.findings.count() == 1


def test_a_finding_with_mistakes_keeps_what_was_typed(lena, audit):
    response = add_finding(lena, audit, "  ", challenge_for="Health")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter the finding" in page
    assert "Enter the challenge, or remove who it is for" in page
    assert 'value="Health"' in page
    response = add_finding(lena, audit, "Fine", question_keys=["not-a-question"])
    assert response.status_code == 400
    assert not Finding.objects.exists()


def test_quoting_a_comment_copies_it_with_the_child_by_pseudonym(lena, audit, world):
    add_finding(lena, audit, "Tools were not used.")
    finding = Finding.objects.get()
    answer = Answer.objects.get(request__audit=audit, comment="No tools were recorded on the file.")
    child = CHILDREN[3]
    first, last = child.name.split()
    Answer.objects.filter(pk=answer.pk).update(
        comment=f"No tools for {child.name.upper()}; {first} was not seen. {last}'s school."
    )
    page = lena.get(base(audit) + f"finding/{finding.pk}/").content.decode()
    assert f'name="answer" value="{answer.pk}"' in page
    response = lena.post(base(audit) + f"finding/{finding.pk}/quotes/", {"answer": answer.pk})
    assert response.status_code == 302
    quote = FindingQuote.objects.get(finding=finding)
    assert quote.text == "No tools for Child 4; Child 4 was not seen. Child 4's school."
    assert quote.attribution == "North Children's Social Care, Child 4"
    assert quote.added_by == world.lena
    # Quoting it twice keeps one quote.
    lena.post(base(audit) + f"finding/{finding.pk}/quotes/", {"answer": answer.pk})
    assert FindingQuote.objects.count() == 1
    page = lena.get(base(audit) + f"finding/{finding.pk}/").content.decode()
    assert child.name not in page
    lena.post(base(audit) + f"finding/{finding.pk}/quotes/{quote.pk}/remove/")
    assert not FindingQuote.objects.exists()


def test_only_submitted_comments_of_the_same_audit_can_be_quoted(lena, audit, world):
    add_finding(lena, audit, "Tools were not used.")
    finding = Finding.objects.get()
    unsubmitted = Answer.objects.filter(request__audit=audit, request__status="in_progress")
    assert unsubmitted.exists()
    no_comment = Answer.objects.filter(request__audit=audit, comment="", text="").first()
    for answer in [*unsubmitted, no_comment]:
        response = lena.post(base(audit) + f"finding/{finding.pk}/quotes/", {"answer": answer.pk})
        assert response.status_code == 400
    assert not FindingQuote.objects.exists()


def test_a_first_name_that_is_a_word_is_only_replaced_as_a_name(audit):
    from caseaudit.audits.models import SampledCase

    sampled = SampledCase.objects.get(sample__audit=audit, pseudonym="Child 2")
    sampled.case.name = "Hope  Marsh"
    sampled.case.save()
    text = "We hope hope marsh and Hope are fine; HOPE MARSH too."
    assert pseudonymise(text, audit) == "We hope Child 2 and Child 2 are fine; Child 2 too."


def test_points_are_numbered_within_their_kind(lena, audit, world):
    page = lena.get(base(audit) + "point/new/?kind=worry").content.decode()
    assert 'value="worry" checked' in page
    for kind, text in [("worry", "A"), ("good_practice", "B"), ("worry", "C")]:
        assert (
            lena.post(base(audit) + "point/new/", {"kind": kind, "text": text}).status_code == 302
        )
    numbers = {p.text: (p.kind, p.number) for p in ReportPoint.objects.all()}
    assert numbers == {"A": ("worry", 1), "B": ("good_practice", 1), "C": ("worry", 2)}
    a = ReportPoint.objects.get(text="A")
    item_move(item=a, direction="up")
    item_move(item=a, direction="down")
    assert ReportPoint.objects.get(text="C").number == 1
    item_delete(item=ReportPoint.objects.get(text="C"))
    assert ReportPoint.objects.get(text="A").number == 1
    # Changing a point's kind puts it at the end of its new list.
    lena.post(base(audit) + f"point/{a.pk}/", {"kind": "good_practice", "text": "A"})
    assert ReportPoint.objects.get(text="A").number == 2


def test_learning_theme_links_must_be_web_addresses(lena, audit, world):
    fields = {
        "title": "Voice of the child",
        "what_we_found": "Children's words were rarely recorded.",
        "links": "Graded Care Profile 2 | https://example.org/gcp2\njavascript:alert(1)",
    }
    response = lena.post(base(audit) + "learning-theme/new/", fields)
    assert response.status_code == 400
    assert "Line 2: enter a web address starting with https://" in response.content.decode()
    themes_seed_for_partnership(partnership=world.north)
    voice = world.north.themes.get(key="voice-of-child")
    fields["links"] = "Graded Care Profile 2 | https://example.org/gcp2"
    fields["practice_theme"] = voice.pk
    assert lena.post(base(audit) + "learning-theme/new/", fields).status_code == 302
    theme = LearningTheme.objects.get()
    assert theme.practice_theme == voice
    assert theme.links == [{"title": "Graded Care Profile 2", "url": "https://example.org/gcp2"}]
    edit = lena.get(base(audit) + f"learning-theme/{theme.pk}/").content.decode()
    assert "Graded Care Profile 2 | https://example.org/gcp2" in edit


def test_recommendations_answer_a_finding_of_the_same_audit(lena, audit, world):
    add_finding(lena, audit, "Tools were not used.")
    finding = Finding.objects.get()
    other = statistics_audit(world, title="Another audit")
    foreign = Finding.objects.create(audit=other, number=1, text="Elsewhere")
    response = lena.post(
        base(audit) + "recommendation/new/", {"text": "Train on GCP2.", "finding": foreign.pk}
    )
    assert response.status_code == 400
    response = lena.post(
        base(audit) + "recommendation/new/",
        {"text": "Train on GCP2.", "finding": finding.pk, "lead": "Learning group"},
    )
    assert response.status_code == 302
    recommendation = audit.recommendations.get()
    assert (recommendation.finding, recommendation.number) == (finding, 1)
    assert "Answers finding 1." in lena.get(base(audit)).content.decode()


def test_the_texts_of_the_publications_are_saved(lena, audit, world):
    response = lena.post(
        base(audit) + "texts/", {"introduction": "Why we looked.", "triangulation": "Dip samples."}
    )
    assert response.status_code == 302
    text = audit.report_text
    assert (text.introduction, text.triangulation, text.updated_by) == (
        "Why we looked.",
        "Dip samples.",
        world.lena,
    )
    assert "Why we looked." in lena.get(base(audit) + "texts/").content.decode()


def test_free_text_is_escaped_everywhere(lena, audit):
    add_finding(lena, audit, "<script>alert(1)</script>", challenge="<b>bold</b>")
    lena.post(base(audit) + "vignette/new/", {"kind": "case_example", "title": "<i>", "text": "x"})
    page = lena.get(base(audit)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page
    assert "<i>" not in page.split("Vignettes")[1]


def test_items_of_another_audit_or_an_unknown_kind_are_404(lena, audit, world):
    other = statistics_audit(world, title="Another audit")
    foreign = Finding.objects.create(audit=other, number=1, text="Elsewhere")
    assert lena.get(base(audit) + f"finding/{foreign.pk}/").status_code == 404
    assert lena.post(base(audit) + f"finding/{foreign.pk}/delete/").status_code == 404
    assert lena.get(base(audit) + "grade/new/").status_code == 404
    assert Finding.objects.filter(pk=foreign.pk).exists()


def test_the_audit_page_links_to_the_editor_for_those_who_write(audit, world):
    for persona, shown in [("lena", True), ("alice", True), ("morgan", False), ("bea", False)]:
        client = Client()
        client.force_login(world.users[persona])
        page = client.get(f"/audits/{audit.pk}/").content.decode()
        assert (f'href="{base(audit)}"' in page) is shown, persona


def test_a_quote_keeps_its_words_and_source_when_the_return_changes(lena, audit, world):
    from caseaudit.returns.answers import Value
    from caseaudit.returns.services import request_reopen
    from tests.returns.factories import save_answers

    add_finding(lena, audit, "Tools were not used.")
    finding = Finding.objects.get()
    answer = Answer.objects.get(request__audit=audit, comment="No tools were recorded on the file.")
    lena.post(base(audit) + f"finding/{finding.pk}/quotes/", {"answer": answer.pk})
    request = answer.request
    request_reopen(request=request, user=world.lena, reason="A tool was missed")
    request.refresh_from_db()
    save_answers(request, world.chris, {"tools": Value(("genogram",), "", "Changed words.")})
    quote = FindingQuote.objects.get()
    assert quote.text == "No tools were recorded on the file."
    assert (quote.request, quote.question.key) == (request, "tools")
