"""Inactivity timeout: the session ends after SESSION_TIMEOUT_MINUTES without a request. The
warning dialog asks how long is left without that counting as activity."""

import time

from django.conf import settings

from caseaudit.accounts.middleware import LAST_ACTIVITY_KEY


def test_the_default_timeout_is_30_minutes():
    assert settings.SESSION_TIMEOUT_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60


class TestSessionStatus:
    def test_it_reports_the_time_left_without_extending(self, client, world):
        client.force_login(world.lena)
        client.get("/")
        session = client.session
        session[LAST_ACTIVITY_KEY] = int(time.time()) - 25 * 60
        session.save()
        response = client.get("/session/status/")
        assert response.json()["signed_in"] is True
        assert 290 <= response.json()["seconds_left"] <= 300
        # Asking again still shows about five minutes: the poll is not activity.
        assert client.get("/session/status/").json()["seconds_left"] <= 300

    def test_signed_out(self, client, db):
        assert client.get("/session/status/").json() == {"signed_in": False, "seconds_left": 0}


class TestSessionExtend:
    def test_it_restarts_the_clock(self, client, world):
        client.force_login(world.lena)
        session = client.session
        session[LAST_ACTIVITY_KEY] = int(time.time()) - 25 * 60
        session.save()
        response = client.post("/session/extend/")
        assert response.json()["seconds_left"] >= 30 * 60 - 2
        assert client.get("/session/status/").json()["seconds_left"] >= 30 * 60 - 2

    def test_it_needs_post(self, client, world):
        client.force_login(world.lena)
        assert client.get("/session/extend/").status_code == 405

    def test_signed_out_gets_401(self, client, db):
        assert client.post("/session/extend/").status_code == 401


def test_an_expired_session_is_signed_out(client, world):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(world.lena)
    Session.objects.update(expire_date=timezone.now())
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
