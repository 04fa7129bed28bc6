import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "caseaudit_partnership_id"


class CurrentMembershipMiddleware:
    """Sets `request.membership`: the signed-in person's active role in the partnership they
    have chosen in the header (their first one until they choose). None when signed out or
    when they have no active membership."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(request.user.active_memberships())
            request.memberships = memberships
            chosen = request.session.get(SESSION_KEY)
            request.membership = next(
                (m for m in memberships if m.partnership_id == chosen),
                memberships[0] if memberships else None,
            )
        return self.get_response(request)


# Paths a signed-in person may reach before setting up two-factor authentication.
MFA_EXEMPT_PREFIXES = (
    "/accounts/",
    "/static/",
    "/session/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
)


class RequireMFAMiddleware:
    """With CASEAUDIT_REQUIRE_MFA on, a signed-in person without an authenticator app set up is
    sent to set one up before they can see anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


LAST_ACTIVITY_KEY = "caseaudit_last_activity"
# Polled by the timeout warning; reading it must not count as activity.
PASSIVE_PATHS = frozenset({"/session/status/"})


class SessionActivityMiddleware:
    """Slides the inactivity window on every signed-in request, except the passive status poll,
    and remembers when that was so the warning dialog can ask how long is left."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.path not in PASSIVE_PATHS:
            request.session[LAST_ACTIVITY_KEY] = int(time.time())
        return self.get_response(request)


def seconds_left(request, *, fresh: bool = False) -> int:
    timeout = settings.SESSION_TIMEOUT_MINUTES * 60
    last = int(time.time()) if fresh else request.session.get(LAST_ACTIVITY_KEY, time.time())
    return max(0, int(last + timeout - time.time()))
