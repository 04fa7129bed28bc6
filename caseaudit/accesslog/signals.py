"""Sign-in, sign-out, failures and lock-outs are logged from the signals Django, allauth and
axes send, so no sign-in path can skip the log."""

from allauth.mfa.signals import authenticator_added, authenticator_removed
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record


def _user_for_email(email: str):
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email.strip()).first()


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    access_event_record(action=Action.SIGN_IN, request=request, user=user, partnership=None)


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    if user is not None:
        access_event_record(action=Action.SIGN_OUT, request=request, user=user, partnership=None)


@receiver(user_login_failed)
def log_sign_in_failed(sender, credentials, request=None, **kwargs):
    attempted = credentials.get("email") or credentials.get("username") or ""
    access_event_record(
        action=Action.SIGN_IN_FAILED,
        request=request,
        user=_user_for_email(attempted),
        actor=attempted[:254],
        partnership=None,
    )


@receiver(user_locked_out)
def log_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    access_event_record(
        action=Action.LOCKED_OUT,
        request=request,
        user=_user_for_email(username or ""),
        actor=(username or "")[:254],
        partnership=None,
    )


@receiver(authenticator_added)
def log_mfa_added(sender, request, user, authenticator, **kwargs):
    access_event_record(
        action=Action.MFA_ENABLED, request=request, user=user, detail=authenticator.type
    )


@receiver(authenticator_removed)
def log_mfa_removed(sender, request, user, authenticator, **kwargs):
    access_event_record(
        action=Action.MFA_DISABLED, request=request, user=user, detail=authenticator.type
    )
