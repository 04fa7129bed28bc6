"""Signing in: email and password, then the authenticator app's code; lock-out after repeated
failures; two-factor set-up required; signing out ends the session on the server."""

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings

from caseaudit.accesslog.models import AccessEvent, Action
from caseaudit.accounts.models import User
from tests.conftest import PASSWORD, totp_code


def sign_in_password(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


class TestSignIn:
    def test_it_asks_for_the_code_after_the_password(self, client, world):
        response = sign_in_password(client, "lena@north.example")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/authenticate/"
        # Not signed in yet: the password alone opens nothing.
        assert client.get("/").status_code == 302

    def test_it_signs_in_with_the_code(self, client, world):
        sign_in_password(client, "lena@north.example")
        response = client.post(
            "/accounts/2fa/authenticate/", {"code": totp_code(world.totp_secrets["lena"])}
        )
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert client.get("/").status_code == 200
        event = AccessEvent.objects.get(action=Action.SIGN_IN)
        assert event.user == world.lena
        assert event.ip_address == "127.0.0.1"

    def test_it_refuses_a_wrong_code(self, client, world):
        sign_in_password(client, "lena@north.example")
        code = totp_code(world.totp_secrets["lena"])
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
        assert response.status_code == 200
        assert client.get("/").status_code == 302

    def test_email_is_not_case_sensitive(self, client, world):
        response = sign_in_password(client, "  LENA@North.Example ")
        assert response["Location"] == "/accounts/2fa/authenticate/"

    def test_it_logs_a_failed_sign_in(self, client, world):
        response = sign_in_password(client, "lena@north.example", "wrong password!!")
        assert response.status_code == 200
        event = AccessEvent.objects.get(action=Action.SIGN_IN_FAILED)
        assert event.user == world.lena
        assert event.actor == "lena@north.example"

    def test_it_does_not_let_a_deactivated_person_in(self, client, world):
        world.bea.is_active = False
        world.bea.save()
        response = sign_in_password(client, "bea@north.example")
        assert client.get("/").status_code == 302
        assert response.status_code in {200, 302}
        assert response.get("Location") != "/accounts/2fa/authenticate/"


class TestLockOut:
    def test_it_locks_the_account_after_five_failures(self, client, world):
        for _ in range(5):
            sign_in_password(client, "chris@north.example", "not the password")
        response = sign_in_password(client, "chris@north.example")
        assert response.status_code == 429
        assert b"locked" in response.content.lower()
        assert AccessEvent.objects.filter(action=Action.LOCKED_OUT, user=world.chris).exists()

    def test_a_lock_out_is_per_account(self, client, world):
        for _ in range(5):
            sign_in_password(client, "chris@north.example", "not the password")
        response = sign_in_password(client, "hana@north.example")
        assert response["Location"] == "/accounts/2fa/authenticate/"


class TestTwoFactorRequired:
    def test_a_person_without_an_authenticator_must_set_one_up(self, client, world):
        newcomer = User.objects.create_user("new@north.example", PASSWORD)
        world.memberships["bea"].pk = None
        world.memberships["bea"].user = newcomer
        world.memberships["bea"].save()
        sign_in_password(client, "new@north.example")
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/totp/activate/"
        assert client.get("/accounts/2fa/totp/activate/").status_code == 200

    @override_settings(REQUIRE_MFA=False)
    def test_with_mfa_switched_off_the_password_is_enough(self, client, world):
        newcomer = User.objects.create_user("new@north.example", PASSWORD)
        client.force_login(newcomer)
        assert client.get("/").status_code == 200


class TestSignOut:
    def test_it_ends_the_session_on_the_server(self, client, world):
        client.force_login(world.lena)
        key = client.session.session_key
        assert Session.objects.filter(session_key=key).exists()
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert not Session.objects.filter(session_key=key).exists()
        assert AccessEvent.objects.filter(action=Action.SIGN_OUT, user=world.lena).exists()

    def test_it_needs_a_post(self, client, world):
        client.force_login(world.lena)
        client.get("/accounts/logout/")
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("password1234", "too common"),
    ],
)
def test_password_rules(password, message):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        validate_password(password)


def test_a_long_password_without_symbols_is_fine():
    from django.contrib.auth.password_validation import validate_password

    validate_password("purple elephants dance quietly")


class TestCodeReuse:
    def test_a_used_code_is_refused(self, client, world):
        code = totp_code(world.totp_secrets["lena"])
        sign_in_password(client, "lena@north.example")
        client.post("/accounts/2fa/authenticate/", {"code": code})
        client.post("/accounts/logout/")
        sign_in_password(client, "lena@north.example")
        response = client.post("/accounts/2fa/authenticate/", {"code": code})
        assert response.status_code == 200
        assert client.get("/").status_code == 302

    def test_used_codes_are_remembered_across_processes(self):
        """allauth keeps used codes and rate limits in the cache: a per-process cache would let
        a code be replayed against another web worker."""
        from django.conf import settings

        backend = settings.CACHES["default"]["BACKEND"]
        assert backend not in {
            "django.core.cache.backends.locmem.LocMemCache",
            "django.core.cache.backends.dummy.DummyCache",
        }
