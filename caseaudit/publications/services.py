"""Accepting privacy-check hits, and the hits still in the way of publishing."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.publications.models import PrivacyDecision
from caseaudit.publications.privacy import (
    Hit,
    KnownDetails,
    find_identifying_details,
    hit_fingerprint,
)


@transaction.atomic
def privacy_hit_accept(*, audit, hit: Hit, reason: str, user, request=None) -> PrivacyDecision:
    """Record that `user` (the audit lead) accepts `hit` in the audit's publications, and why.
    Written to the access log without the text of the hit."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this can be published"})
    fingerprint = hit_fingerprint(hit)
    if PrivacyDecision.objects.filter(audit=audit, fingerprint=fingerprint).exists():
        raise ValidationError("This has already been accepted")
    decision = PrivacyDecision(
        audit=audit,
        fingerprint=fingerprint,
        kind=hit.kind,
        location=hit.location[:200],
        case=hit.case[:200],
        reason=reason,
        decided_by=user,
    )
    decision.full_clean()
    decision.save()
    where = f" at {hit.location}" if hit.location else ""
    of = f" ({hit.case})" if hit.case else ""
    access_event_record(
        action=Action.PRIVACY_HIT_ACCEPTED,
        request=request,
        user=user,
        partnership=audit.partnership,
        obj=audit,
        object_label=audit.title,
        detail=f"{decision.get_kind_display()}{of}{where}. Reason: {reason}",
    )
    return decision


def accepted_fingerprints(audit) -> set[str]:
    return set(PrivacyDecision.objects.filter(audit=audit).values_list("fingerprint", flat=True))


def outstanding_hits(
    audit, texts: Iterable[tuple[str, str]], *, file: str = "", known: KnownDetails | None = None
) -> list[Hit]:
    """The hits in `texts` not yet accepted for the audit. Publishing waits until it is
    empty: each hit is either changed in the document or accepted with a reason."""
    accepted = accepted_fingerprints(audit)
    return [
        hit
        for hit in find_identifying_details(texts, audit=audit, file=file, known=known)
        if hit_fingerprint(hit) not in accepted
    ]
