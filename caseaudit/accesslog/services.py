"""Writing to the access log. Every write goes through `access_event_record`."""

from django.db import models
from django.http import HttpRequest

from caseaudit.accesslog.models import AccessEvent, Action


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Axes already knows how to read the client address behind the configured proxies.
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def access_event_record(
    *,
    action: Action | str,
    request: HttpRequest | None = None,
    user=None,
    actor: str = "",
    partnership=None,
    obj: models.Model | None = None,
    object_label: str = "",
    detail: str = "",
) -> AccessEvent:
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    if partnership is None and request is not None:
        membership = getattr(request, "membership", None)
        partnership = membership.partnership if membership else None
    user_agent = request.headers.get("User-Agent", "") if request is not None else ""
    return AccessEvent.objects.create(
        action=action,
        user=user,
        actor=actor or (user.email if user else ""),
        partnership=partnership,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(object_label or (str(obj) if obj is not None else ""))[:200],
        detail=detail[:500],
        ip_address=client_ip(request),
        user_agent=user_agent[:300],
    )
