from django.conf import settings

from caseaudit.accounts.navigation import navigation_for


def shell(request):
    """What the page shell needs: service name, partnership switcher, role navigation, timeout."""
    membership = getattr(request, "membership", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "demo": settings.DEMO,
        "require_mfa": settings.REQUIRE_MFA,
        "current_membership": membership,
        "switchable_memberships": getattr(request, "memberships", []),
        "navigation": navigation_for(request, membership),
        "session_timeout_seconds": settings.SESSION_TIMEOUT_MINUTES * 60,
        "session_warning_seconds": settings.SESSION_WARNING_MINUTES * 60,
    }
