"""The audit dashboard: figures from the hand-worked audit of fixtures.py, and the page."""

import pytest
from django.test import Client

from caseaudit.analysis import dashboard
from caseaudit.analysis.statistics import audit_statistics
from tests.analysis.fixtures import statistics_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(world):
    return statistics_audit(world)


def signed_in(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_headline_figures_are_positive_shares_excluding_not_applicable(audit):
    headlines = {h["key"]: h for h in dashboard.headline_figures(audit_statistics(audit))}
    # Multiple choice and questions without options have no headline.
    assert list(headlines) == ["lead_agency", "seen_alone", "child_view"]
    assert (headlines["lead_agency"]["count"], headlines["lead_agency"]["n"]) == (6, 8)
    assert headlines["lead_agency"]["percent"] == pytest.approx(75.0)
    assert (headlines["seen_alone"]["count"], headlines["seen_alone"]["n"]) == (5, 7)
    assert (headlines["child_view"]["count"], headlines["child_view"]["n"]) == (3, 4)
    assert headlines["child_view"]["small_n"] is True


def test_most_negative_orders_by_the_negative_share(audit):
    worst = dashboard.most_negative(audit_statistics(audit))
    # seen_alone: 2 of 7 (28.6%); child_view: 1 of 4 (25%); lead_agency has no negative option.
    assert [(w["key"], w["count"], w["n"]) for w in worst] == [
        ("seen_alone", 2, 7),
        ("child_view", 1, 4),
    ]
    assert dashboard.most_negative(audit_statistics(audit), how_many=1)[0]["key"] == "seen_alone"


def test_the_page_shows_returns_progress_and_figures(world, audit):
    response = signed_in(world, "lena").get(f"/audits/{audit.pk}/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "9 (90.0% of those sent)" in page
    assert "Was the child seen alone?" in page
    assert "28.6% (2 of 7)" in page
    assert "75.0% (6 of 8)" in page


def test_access(world, audit, client):
    url = f"/audits/{audit.pk}/dashboard/"
    assert client.get(url).status_code == 302
    assert signed_in(world, "bea").get(url).status_code == 200
    assert signed_in(world, "chris").get(url).status_code == 404
    assert signed_in(world, "sol").get(url).status_code == 404
    assert signed_in(world, "lena").post(url).status_code == 405


def test_the_page_counts_themes_confirmed_and_suggested(world, audit):
    from caseaudit.returns.models import Answer
    from caseaudit.themes.models import Theme
    from caseaudit.themes.services import (
        comment_themes_confirm,
        themes_seed_for_partnership,
        themes_suggest_for_audit,
    )

    themes_seed_for_partnership(partnership=world.north)
    page = signed_in(world, "lena").get(f"/audits/{audit.pk}/dashboard/").content.decode()
    assert "No comment has a theme yet." in page
    themes_suggest_for_audit(audit=audit)
    answer = Answer.objects.get(request__audit=audit, question__key="tools", option=None)
    voice = Theme.objects.get(partnership=world.north, key="voice-of-child")
    comment_themes_confirm(answer=answer, themes=[voice], user=world.lena)
    page = signed_in(world, "lena").get(f"/audits/{audit.pk}/dashboard/").content.decode()
    assert "No comment has a theme yet." not in page
    row = page.split("Voice of the child</th>")[1].split("</tr>")[0]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in row


def test_trends_show_theme_recurrence(world, audit):
    from caseaudit.returns.models import Answer
    from caseaudit.themes.models import Theme
    from caseaudit.themes.services import comment_themes_confirm, themes_seed_for_partnership

    themes_seed_for_partnership(partnership=world.north)
    answer = Answer.objects.get(request__audit=audit, question__key="tools", option=None)
    chronology = Theme.objects.get(partnership=world.north, key="chronology")
    comment_themes_confirm(answer=answer, themes=[chronology], user=world.lena)
    page = signed_in(world, "lena").get("/trends/").content.decode()
    assert page.count("Practice themes across audits") == 1
    assert "<title>Trends" in page
    assert "<title>Trends\n" not in page
    section = page.split("Practice themes across audits")[1]
    assert "Chronology</th>" in section
    assert audit.title in section
