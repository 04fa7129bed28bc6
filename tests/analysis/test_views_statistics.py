"""The statistics page of an audit and the release of its results to agency auditors."""

import pytest
from django.test import Client

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.audits.models import Audit
from tests.analysis.fixtures import statistics_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(world):
    """A new signed-in browser for a persona."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make


@pytest.fixture
def audit(world):
    return statistics_audit(world)


def url(audit) -> str:
    return f"/audits/{audit.pk}/statistics/"


def test_the_lead_sees_every_question_with_its_figures(client_for, audit):
    response = client_for("lena").get(url(audit))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Collated from 9 submitted returns" in page
    assert "Was the child seen alone?" in page
    # 5 of 9 yes (55.6%), 5 of 7 excluding not applicable (71.4%), and the Wilson interval.
    assert "55.6%" in page
    assert "71.4%" in page
    assert "26.7% to 81.1%" in page
    # The chart and its table, the small-n warning, the breakdowns by pseudonym.
    assert 'id="chart-seen_alone-title"' in page
    assert "Based on only 9 returns" in page
    assert "North Children&#x27;s Social Care" in page
    assert "Child 3" in page
    assert "No submitted return answered this question." in page


def test_it_never_shows_identifying_details(client_for, audit):
    from tests.analysis.fixtures import CHILDREN
    from tests.returns.factories import identifying_details

    page = client_for("lena").get(url(audit)).content.decode()
    for child in CHILDREN:
        for detail in identifying_details(child):
            assert detail not in page


def test_board_viewers_and_moderators_see_it(client_for, audit):
    assert client_for("bea").get(url(audit)).status_code == 200
    assert client_for("morgan").get(url(audit)).status_code == 200
    # They cannot release.
    assert "Release results" not in client_for("bea").get(url(audit)).content.decode()


def test_agency_auditors_see_it_only_once_released(client_for, audit):
    chris = client_for("chris")
    assert chris.get(url(audit)).status_code == 404
    lena = client_for("lena")
    response = lena.post(f"/audits/{audit.pk}/statistics/release/", {"action": "release"})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.results_released_at is not None
    assert audit.results_released_by.email == "lena@north.example"
    assert chris.get(url(audit)).status_code == 200
    assert "Release results" not in chris.get(url(audit)).content.decode()
    lena.post(f"/audits/{audit.pk}/statistics/release/", {"action": "withdraw"})
    assert chris.get(url(audit)).status_code == 404
    assert Audit.objects.get(pk=audit.pk).results_released_at is None
    logged = AccessEvent.objects.filter(
        object_type="audits.Audit", object_id=str(audit.pk)
    ).order_by("id")
    assert [(e.action, e.actor) for e in logged] == [
        (Action.RESULTS_RELEASED, "lena@north.example"),
        (Action.RESULTS_WITHDRAWN, "lena@north.example"),
    ]


def test_another_partnership_gets_404(client_for, audit):
    assert client_for("sol").get(url(audit)).status_code == 404
    release = f"/audits/{audit.pk}/statistics/release/"
    assert client_for("sol").post(release, {"action": "release"}).status_code == 404
    assert Audit.objects.get(pk=audit.pk).results_released_at is None


def test_wrong_methods(client_for, audit):
    assert client_for("lena").post(url(audit)).status_code == 405
    release = f"/audits/{audit.pk}/statistics/release/"
    assert client_for("lena").get(release).status_code == 405


def test_anonymous_people_are_sent_to_sign_in(client, audit):
    response = client.get(url(audit))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_only_the_lead_and_admin_release(client_for, audit):
    release = f"/audits/{audit.pk}/statistics/release/"
    for name in ("bea", "morgan", "sam", "chris"):
        assert client_for(name).post(release, {"action": "release"}).status_code == 404
    assert Audit.objects.get(pk=audit.pk).results_released_at is None


def test_a_sample_past_the_limit_shows_no_table_for_each_child(client_for, audit, monkeypatch):
    from caseaudit.analysis import views

    lena = client_for("lena")
    # The fixture's sample holds 5 children: at the limit each child has a table.
    monkeypatch.setattr(views, "CASE_TABLES_LIMIT", 5)
    page = lena.get(url(audit)).content.decode()
    assert "For each child" in page
    assert "Child 3" in page
    assert "too many to show a row for each" not in page
    # One child fewer allowed: the agencies' tables stay, the children's go, and the page
    # says where their figures are.
    monkeypatch.setattr(views, "CASE_TABLES_LIMIT", 4)
    page = lena.get(url(audit)).content.decode()
    assert "For each child" not in page
    assert "Child 3" not in page
    assert "This audit's sample has 5 children, too many to show a row for each" in page
    assert f"caseaudit statistics --audit {audit.pk}" in page
    assert "North Children&#x27;s Social Care" in page
    assert "55.6%" in page
