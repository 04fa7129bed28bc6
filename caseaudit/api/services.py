"""Making, revoking and checking personal API tokens."""

import secrets

from django.db import transaction
from django.utils import timezone

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.models import Membership, hash_token
from caseaudit.api.models import ApiToken

TOKEN_START = "ca_"  # noqa: S105 (a visible prefix, not a secret)


def api_token_create(*, membership: Membership, name: str, request=None) -> tuple[ApiToken, str]:
    """A new token for the membership. Returns the row and the token itself, which is not
    stored anywhere and cannot be shown again."""
    secret = TOKEN_START + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            membership=membership,
            name=name.strip(),
            prefix=secret[:10],
            token_hash=hash_token(secret),
        )
        access_event_record(
            action=Action.API_TOKEN_CREATED,
            request=request,
            user=membership.user,
            partnership=membership.partnership,
            obj=token,
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, request=None) -> None:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            access_event_record(
                action=Action.API_TOKEN_REVOKED,
                request=request,
                user=token.membership.user,
                partnership=token.membership.partnership,
                obj=token,
            )


def membership_for_token(secret: str) -> Membership | None:
    """The membership a presented token acts as, or None when the token is unknown or revoked,
    or its person or membership has been deactivated. Notes the time it was used."""
    if not secret.startswith(TOKEN_START):
        return None
    token = (
        ApiToken.objects.select_related("membership__user", "membership__partnership")
        .filter(token_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    membership = token.membership
    if not (membership.is_active and membership.user.is_active):
        return None
    now = timezone.now()
    # At most one write a minute per token, so a busy script does not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return membership
