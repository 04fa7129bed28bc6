"""The comments page of an audit and confirming a comment's themes."""

import pytest
from django.test import Client

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.returns.models import Answer
from caseaudit.themes.models import CommentTheme
from caseaudit.themes.services import themes_seed_for_partnership
from tests.analysis.fixtures import CHILDREN, statistics_audit
from tests.returns.factories import identifying_details

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(world):
    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make


@pytest.fixture
def audit(world):
    themes_seed_for_partnership(partnership=world.north)
    themes_seed_for_partnership(partnership=world.south)
    return statistics_audit(world)


def url(audit) -> str:
    return f"/audits/{audit.pk}/comments/"


def dad(audit) -> Answer:
    return Answer.objects.get(request__audit=audit, text="He wants to see his dad more.")


def test_the_lead_sees_comments_with_pseudonym_agency_and_suggested_themes(client_for, audit):
    page = client_for("lena").get(url(audit)).content.decode()
    assert "He wants to see his dad more." in page
    assert "No tools were recorded on the file." in page
    assert "Child 5" in page
    assert "North Children&#x27;s Social Care" in page or "North Children's Social Care" in page
    assert "Fathers and significant males" in page
    assert "Confirm themes" in page
    assert CommentTheme.objects.filter(answer=dad(audit), suggested=True).exists()


def test_it_never_shows_identifying_details(client_for, audit):
    page = client_for("lena").get(url(audit)).content.decode()
    for child in CHILDREN:
        for detail in identifying_details(child):
            assert detail not in page


def test_filters_by_case_and_theme(client_for, audit):
    lena = client_for("lena")
    page = lena.get(url(audit), {"case": "Child 4"}).content.decode()
    assert "No tools were recorded on the file." in page
    assert "He wants to see his dad more." not in page
    lena.get(url(audit))
    page = lena.get(url(audit), {"theme": "fathers-significant-males"}).content.decode()
    assert "He wants to see his dad more." in page
    assert "No tools were recorded on the file." not in page


def test_the_lead_confirms_themes(client_for, audit, world):
    lena = client_for("lena")
    lena.get(url(audit))
    answer = dad(audit)
    response = lena.post(
        f"/audits/{audit.pk}/comments/{answer.pk}/themes/", {"themes": ["voice-of-child"]}
    )
    assert response.status_code == 302
    row = CommentTheme.objects.get(answer=answer, confirmed=True)
    assert row.theme.key == "voice-of-child"
    assert row.confirmed_by == world.lena
    assert row.confirmed_at is not None
    event = AccessEvent.objects.get(action=Action.THEMES_CONFIRMED)
    assert (event.user, event.partnership, event.object_id) == (
        world.lena,
        world.north,
        str(answer.pk),
    )
    assert event.detail == "Themes: voice-of-child"
    assert "Child 5" in event.object_label


def test_free_text_is_escaped(client_for, audit):
    answer = dad(audit)
    Answer.objects.filter(pk=answer.pk).update(text="<script>alert(1)</script>")
    page = client_for("lena").get(url(audit)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_board_viewers_see_but_cannot_confirm(client_for, audit):
    bea = client_for("bea")
    page = bea.get(url(audit)).content.decode()
    assert "Confirm themes" not in page
    answer = dad(audit)
    response = bea.post(
        f"/audits/{audit.pk}/comments/{answer.pk}/themes/", {"themes": ["voice-of-child"]}
    )
    assert response.status_code == 404
    assert not CommentTheme.objects.filter(answer=answer, confirmed=True).exists()


def test_agency_auditors_see_it_only_once_released(client_for, audit):
    chris = client_for("chris")
    assert chris.get(url(audit)).status_code == 404
    client_for("lena").post(f"/audits/{audit.pk}/statistics/release/", {"action": "release"})
    assert chris.get(url(audit)).status_code == 200
    answer = dad(audit)
    response = chris.post(
        f"/audits/{audit.pk}/comments/{answer.pk}/themes/", {"themes": ["voice-of-child"]}
    )
    assert response.status_code == 404


def test_another_partnership_gets_404(client_for, audit):
    sol = client_for("sol")
    assert sol.get(url(audit)).status_code == 404
    answer = dad(audit)
    response = sol.post(
        f"/audits/{audit.pk}/comments/{answer.pk}/themes/", {"themes": ["voice-of-child"]}
    )
    assert response.status_code == 404
    assert not CommentTheme.objects.filter(answer=answer, confirmed=True).exists()


def test_wrong_methods(client_for, audit):
    lena = client_for("lena")
    assert lena.post(url(audit)).status_code == 405
    assert lena.get(f"/audits/{audit.pk}/comments/{dad(audit).pk}/themes/").status_code == 405


def test_anonymous_people_are_sent_to_sign_in(client, audit):
    response = client.get(url(audit))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.post(f"/audits/{audit.pk}/comments/{dad(audit).pk}/themes/")
    assert response.status_code == 302
