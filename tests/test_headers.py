"""Security headers on every response: CSP with nonces, no caching of signed-in pages, cookie
flags; and HSTS plus secure cookies under production (HTTPS) settings."""

import re

import pytest
from django.test import Client, override_settings


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


class TestContentSecurityPolicy:
    def test_scripts_and_styles_need_a_nonce(self, client, world):
        client.force_login(world.lena)
        response = client.get("/")
        directives = csp_directives(response)
        assert directives["default-src"] == ["'self'"]
        assert "'unsafe-inline'" not in directives["script-src"]
        assert "'unsafe-inline'" not in directives["style-src"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        nonce = next(s for s in directives["script-src"] if s.startswith("'nonce-"))[7:-1]
        # Every inline script on the page carries this request's nonce.
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
            if "src=" not in tag:
                assert f'nonce="{nonce}"' in tag, tag

    def test_the_nonce_changes_every_request(self, client, world):
        client.force_login(world.lena)
        first = csp_directives(client.get("/"))["script-src"]
        second = csp_directives(client.get("/"))["script-src"]
        assert first != second

    def test_no_inline_style_attributes_or_handlers(self, client, world):
        client.force_login(world.alice)
        for url in ["/", "/people/", "/people/invite/", "/agencies/", "/access-log/"]:
            html = client.get(url).content.decode()
            assert not re.search(r"\sstyle=", html), url
            assert not re.search(r"\son[a-z]+=", html), url


class TestCaching:
    @pytest.mark.parametrize("url", ["/", "/people/", "/access-log/", "/accounts/2fa/"])
    def test_signed_in_pages_are_not_stored(self, client, world, url):
        client.force_login(world.alice)
        assert client.get(url)["Cache-Control"] == "no-store"

    def test_the_sign_in_page_is_not_stored(self, client, db):
        assert "no-store" in client.get("/accounts/login/")["Cache-Control"]


class TestOtherHeaders:
    def test_framing_sniffing_and_referrer(self, client, db):
        response = client.get("/accounts/login/")
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"

    def test_cookies_are_httponly_and_samesite(self, client, world):
        response = client.post(
            "/accounts/login/",
            {"login": "lena@north.example", "password": "correct horse battery staple"},
        )
        session_cookie = response.cookies["sessionid"]
        assert session_cookie["httponly"]
        assert session_cookie["samesite"] == "Lax"


PRODUCTION = override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=63072000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_NAME="__Host-caseaudit-session",
    CSRF_COOKIE_SECURE=True,
)


class TestProductionHeaders:
    """What CASEAUDIT_HTTPS=1 (the production default) switches on; see also test_check_deploy."""

    @pytest.fixture(autouse=True)
    def production(self):
        with PRODUCTION:
            yield

    def test_plain_http_is_redirected(self, db):
        response = Client().get("/accounts/login/")
        assert response.status_code == 301
        assert response["Location"].startswith("https://")

    def test_hsts_and_secure_cookies(self, world):
        client = Client()
        response = client.post(
            "/accounts/login/",
            {"login": "lena@north.example", "password": "correct horse battery staple"},
            secure=True,
        )
        assert response["Strict-Transport-Security"] == (
            "max-age=63072000; includeSubDomains; preload"
        )
        cookie = response.cookies["__Host-caseaudit-session"]
        assert cookie["secure"]
        assert cookie["httponly"]
        assert cookie["path"] == "/"
