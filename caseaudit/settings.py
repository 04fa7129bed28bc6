"""One env-driven settings module. Every knob is an environment variable (docs/deployment.md)."""

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from caseaudit.secretfile import read_or_create

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("CASEAUDIT_DATA_DIR") or BASE_DIR / "data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    return read_or_create(DATA_DIR / "secret_key", lambda: secrets.token_urlsafe(64))


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
# HTTPS-only cookies, HSTS and redirects: on by default in production, off for local DEBUG runs.
HTTPS = envbool("CASEAUDIT_HTTPS", not DEBUG)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

DEMO = envbool("CASEAUDIT_DEMO", False)
REQUIRE_MFA = envbool("CASEAUDIT_REQUIRE_MFA", True)
SESSION_TIMEOUT_MINUTES = envint("CASEAUDIT_SESSION_TIMEOUT_MINUTES", 30)
SESSION_WARNING_MINUTES = envint("CASEAUDIT_SESSION_WARNING_MINUTES", 2)
INVITATION_DAYS = envint("CASEAUDIT_INVITATION_DAYS", 7)
ERASE_AFTER_DAYS = envint("CASEAUDIT_ERASE_AFTER_DAYS", 90)
# Cases of Concern: days from raising (or setting the category) to the senior manager's review.
CONCERN_REVIEW_DAYS_CATEGORY_1 = envint("CASEAUDIT_CONCERN_REVIEW_DAYS_CATEGORY_1", 1)
CONCERN_REVIEW_DAYS_CATEGORY_2 = envint("CASEAUDIT_CONCERN_REVIEW_DAYS_CATEGORY_2", 20)
# Actions: the owner is reminded this many days before the due date.
ACTION_REMINDER_DAYS = envint("CASEAUDIT_ACTION_REMINDER_DAYS", 7)
SERVICE_NAME = os.environ.get("CASEAUDIT_SERVICE_NAME", "Multi-agency case audit")

INSTALLED_APPS = [
    "caseaudit.accounts",
    "caseaudit.accesslog",
    "caseaudit.population",
    "caseaudit.audits",
    "caseaudit.questionnaires",
    "caseaudit.returns",
    "caseaudit.concerns",
    "caseaudit.moderation",
    "caseaudit.actions",
    "caseaudit.notifications",
    "caseaudit.analysis",
    "caseaudit.themes",
    "caseaudit.findings",
    "caseaudit.api",
    "caseaudit.exports",
    "caseaudit.documents",
    "caseaudit.publications",
    "caseaudit.pages",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "caseaudit.accounts.middleware.SessionActivityMiddleware",
    "caseaudit.accounts.middleware.CurrentMembershipMiddleware",
    "caseaudit.accounts.middleware.RequireMFAMiddleware",
    "caseaudit.middleware.NoStoreMiddleware",
    # Axes documents that its middleware goes last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "caseaudit.urls"
WSGI_APPLICATION = "caseaudit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "caseaudit.context_processors.shell",
                "caseaudit.notifications.context_processors.unread",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'caseaudit.sqlite3'}"
DATABASES = {"default": environ.Env.db_url_config(os.environ.get("DATABASE_URL") or _default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked"
    # when a read transaction later wants to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        transaction_mode="IMMEDIATE",
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _options = []
    # Memory for each sort or hash of a query. PostgreSQL's 4 MB made the statistics' GROUP BY
    # of a 100,000-return audit sort 2,000,000 rows on disk (2.7 s) instead of hashing 176
    # groups (0.7 s): docs/performance.md. A connection option, so a server-wide setting set
    # by the database's owner stays in charge when this one is set to "".
    _work_mem = os.environ.get("CASEAUDIT_PG_WORK_MEM", "32MB").strip()
    if _work_mem and not re.fullmatch(r"[1-9][0-9]*(kB|MB|GB)", _work_mem):
        raise ImproperlyConfigured(
            f"CASEAUDIT_PG_WORK_MEM must be a size such as 32MB, not {_work_mem!r}"
        )
    if _work_mem:
        _options.append(f"-c work_mem={_work_mem}")
    # PostgreSQL compiles a query costed over jit_above_cost to machine code first: 75 to 90 ms
    # of every count of a 100,000-return audit's statistics (0.6 s in all), for no gain in the
    # scan itself, and the same again on the queries around it (docs/performance.md).
    _jit = os.environ.get("CASEAUDIT_PG_JIT", "off").strip()
    if _jit not in ("", "on", "off"):
        raise ImproperlyConfigured(f"CASEAUDIT_PG_JIT must be on, off or empty, not {_jit!r}")
    if _jit:
        _options.append(f"-c jit={_jit}")
    if _options:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", " ".join(_options))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Refuses the 20,000 most common (breached) passwords. No composition rules, by design.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email and password, then TOTP. Nobody signs up; people are invited.
ACCOUNT_ADAPTER = "caseaudit.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[caseaudit] "
# A password reset for an address with no account sends nothing (allauth would otherwise email
# a sign-up link, and nobody signs up here). The page says the same either way, so it does not
# reveal who has an account.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Axes owns lock-out after failed sign-ins; allauth's own counter would race it. allauth's
# per-address limit on sign-in attempts stays, raised well above what one office behind a shared
# address needs (its default, 30 a minute, would throttle a whole NHS trust).
ACCOUNT_RATE_LIMITS = {"login_failed": False, "login": "300/m/ip"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SERVICE_NAME
# Accept the code of the neighbouring 30-second period too: phone clocks drift, and a code typed
# just before its period ends must not fail while the request waits for a busy server.
MFA_TOTP_TOLERANCE = 1
USERSESSIONS_TRACK_ACTIVITY = False

# django-axes: lock an account after repeated failures, whoever tries it.
AXES_FAILURE_LIMIT = envint("CASEAUDIT_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("CASEAUDIT_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks to lock by IP address too. We lock accounts, not addresses: staff of an NHS trust
# or a council often share one outgoing address, and five typing mistakes across a building
# must not lock everyone out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "caseaudit.accounts.lockout.username_from_attempt"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "code"]

# Sessions: server-side, ended after SESSION_TIMEOUT_MINUTES without a request
# (SessionActivityMiddleware slides the window on every request but the status poll).
SESSION_COOKIE_AGE = SESSION_TIMEOUT_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "caseaudit.pages.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix pins the cookie to this host and path, over HTTPS only.
    SESSION_COOKIE_NAME = "__Host-caseaudit-session"
    CSRF_COOKIE_NAME = "__Host-caseaudit-csrf"
    SECURE_SSL_REDIRECT = envbool("CASEAUDIT_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("CASEAUDIT_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("CASEAUDIT_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("CASEAUDIT_HSTS_PRELOAD", True)
if envbool("CASEAUDIT_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    # Read the client's address from X-Forwarded-For as set by this many proxies, so that the
    # access log, lock-outs and rate limits see people rather than the proxy.
    ALLAUTH_TRUSTED_PROXY_COUNT = envint("CASEAUDIT_PROXY_COUNT", 1)
    AXES_IPWARE_PROXY_COUNT = ALLAUTH_TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# django-csp: nothing inline without the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    vars().update(environ.Env.email_url_config(EMAIL_URL))
else:
    # Default: each email is written as a file in the data folder, nothing leaves the machine.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "caseaudit <noreply@caseaudit.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One cache shared by every web process: allauth records used TOTP codes and counts rate limits
# in it, so a per-process cache would let a used code be replayed against another worker.
# `caseaudit migrate` creates its table (see accounts.apps).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "caseaudit_cache",
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
FORM_RENDERER = "caseaudit.forms.GovukRenderer"
BASE_URL = os.environ.get("CASEAUDIT_BASE_URL", "http://127.0.0.1:8000")

# Background work (request emails, reminders) goes through the Django Tasks API. The embedded
# default runs each task in the web process as it is enqueued, so nothing extra has to run.
# CASEAUDIT_TASKS=database stores tasks in the database for `caseaudit db_worker` to run.
TASKS_MODE = os.environ.get("CASEAUDIT_TASKS", "immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_MODE == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
