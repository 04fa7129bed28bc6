import pytest
from django.core.exceptions import ValidationError

from caseaudit.accounts.services import partnership_create
from caseaudit.returns.models import Answer
from caseaudit.themes.models import CommentTheme, Theme
from caseaudit.themes.selectors import theme_counts, theme_counts_by_audit
from caseaudit.themes.services import (
    comment_themes_confirm,
    comments_of_audit,
    themes_seed_for_partnership,
    themes_suggest_for_audit,
)
from caseaudit.themes.starter import STARTER_THEMES
from tests.analysis.fixtures import statistics_audit

pytestmark = pytest.mark.django_db


def test_a_new_partnership_gets_the_starter_themes_in_order():
    partnership = partnership_create(name="Westmere", slug="westmere")
    assert list(partnership.themes.values_list("key", "name")) == STARTER_THEMES
    assert themes_seed_for_partnership(partnership=partnership) == 0


@pytest.fixture(autouse=True)
def seeded(world):
    # The world fixture makes its partnerships directly, not through partnership_create.
    themes_seed_for_partnership(partnership=world.north)
    themes_seed_for_partnership(partnership=world.south)


def test_comments_are_comments_and_free_text_of_submitted_returns_only(world):
    audit = statistics_audit(world)
    texts = {a.comment or a.text for a in comments_of_audit(audit)}
    assert "No tools were recorded on the file." in texts
    assert "He wants to see his dad more." in texts
    assert all(a.request.status == "submitted" for a in comments_of_audit(audit))


def test_suggestions_are_stored_once(world):
    audit = statistics_audit(world)
    made = themes_suggest_for_audit(audit=audit)
    assert made > 0
    dad = Answer.objects.get(request__audit=audit, text="He wants to see his dad more.")
    assert dad.comment_themes.filter(theme__key="fathers-significant-males", suggested=True)
    assert themes_suggest_for_audit(audit=audit) == 0


def test_confirming_sets_who_and_when_and_keeps_suggestions(world):
    audit = statistics_audit(world)
    themes_suggest_for_audit(audit=audit)
    dad = Answer.objects.get(request__audit=audit, text="He wants to see his dad more.")
    voice = Theme.objects.get(partnership=world.north, key="voice-of-child")
    comment_themes_confirm(answer=dad, themes=[voice], user=world.lena)
    confirmed = CommentTheme.objects.get(answer=dad, confirmed=True)
    assert confirmed.theme == voice
    assert confirmed.confirmed_by == world.lena
    assert confirmed.confirmed_at is not None
    assert CommentTheme.objects.filter(answer=dad, suggested=True, confirmed=False).exists()
    counts = {row["key"]: row for row in theme_counts(audit)}
    assert counts["voice-of-child"]["confirmed"] == 1
    assert counts["fathers-significant-males"]["suggested"] == 1
    by_audit = theme_counts_by_audit(world.north)
    voice_row = next(r for r in by_audit if r["theme_key"] == "voice-of-child")
    assert voice_row["audit_id"] == audit.pk
    assert voice_row["confirmed"] == 1
    assert voice_row["suggested"] == counts["voice-of-child"]["suggested"]


def test_a_theme_of_another_partnership_is_refused(world):
    audit = statistics_audit(world)
    dad = Answer.objects.get(request__audit=audit, text="He wants to see his dad more.")
    south = Theme.objects.filter(partnership=world.south).first()
    with pytest.raises(ValidationError):
        comment_themes_confirm(answer=dad, themes=[south], user=world.lena)
    assert not CommentTheme.objects.filter(answer=dad, confirmed=True).exists()


def _reopened(world, audit, pseudonym):
    from caseaudit.returns.models import AuditRequest
    from caseaudit.returns.services import request_reopen

    request = AuditRequest.objects.get(
        audit=audit, sampled_case__pseudonym=pseudonym, agency=world.csc
    )
    request_reopen(request=request, user=world.lena, reason="The auditor asked to add a tool")
    return AuditRequest.objects.get(pk=request.pk)


def test_a_confirmed_theme_survives_a_change_of_answer_when_the_words_stay(world):
    from caseaudit.returns.answers import Value
    from tests.returns.factories import save_answers

    audit = statistics_audit(world)
    words = "No tools were recorded on the file."
    tools = Answer.objects.get(request__audit=audit, comment=words)
    chronology = Theme.objects.get(partnership=world.north, key="chronology")
    comment_themes_confirm(answer=tools, themes=[chronology], user=world.lena)
    request = _reopened(world, audit, "Child 4")
    # The auditor now ticks a tool and keeps the same comment: the rows are rewritten.
    save_answers(request, world.chris, {"tools": Value(options=("genogram",), comment=words)})
    moved = Answer.objects.get(request=request, question__key="tools")
    assert moved.pk != tools.pk
    assert moved.option.key == "genogram"
    row = CommentTheme.objects.get(answer=moved)
    assert (row.theme, row.confirmed, row.confirmed_by) == (chronology, True, world.lena)
    # Changing the words drops the tags: they were about the words that are gone.
    save_answers(request, world.chris, {"tools": Value(options=("genogram",), comment="Other.")})
    assert not CommentTheme.objects.filter(answer__request=request).exists()
