from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def allow_first_authenticator_without_asking_again(sender, request, user, **kwargs):
    """allauth asks for the password again before any change to two-factor settings. Someone
    who has just signed in (or just set their password from an invitation) and has no
    authenticator yet must set one up next, so asking again at once helps nobody: record this
    sign-in as a fresh confirmation. allauth's usual timeout (5 minutes) still applies, and
    people who already have an authenticator are asked as normal."""
    if request is None or Authenticator.objects.filter(user=user).exists():
        return
    record_authentication(request, user, method="password", reauthenticated=True)


def create_cache_table(sender, using="default", **kwargs):
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
