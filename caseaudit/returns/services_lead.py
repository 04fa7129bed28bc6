"""The audit lead's writes and reads around requests that services.py does not cover: choosing
the audit's template, and the tracker's counts per agency and per child.

The tracker's groups count with the same definitions as services.tracker_counts (sent, returned,
late, outstanding and so on), so that each table's rows add up to the headline figures."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from caseaudit.audits.models import Audit
from caseaudit.questionnaires.models import TemplateVersion
from caseaudit.returns.models import OUTSTANDING, AuditRequest, RequestStatus

COUNTS = ("sent", "returned", "late", "outstanding", "declined", "inadmissible", "not_sent")


def _count_expressions(today: datetime.date) -> dict:
    return {
        "total": Count("pk"),
        "not_sent": Count("pk", filter=Q(status=RequestStatus.NOT_SENT)),
        "sent": Count("pk", filter=~Q(status=RequestStatus.NOT_SENT)),
        "returned": Count("pk", filter=Q(status=RequestStatus.SUBMITTED)),
        "returned_late": Count(
            "pk", filter=Q(status=RequestStatus.SUBMITTED, submitted_at__date__gt=F("due_date"))
        ),
        "outstanding": Count("pk", filter=Q(status__in=OUTSTANDING)),
        "late": Count("pk", filter=Q(status__in=OUTSTANDING, due_date__lt=today)),
        "declined": Count("pk", filter=Q(status=RequestStatus.DECLINED)),
        "inadmissible": Count("pk", filter=Q(status=RequestStatus.INADMISSIBLE)),
    }


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, halves rounded up (77 of 90 is 86%); None when there is no whole."""
    if not whole:
        return None
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def tracker_groups(requests, fields: list[str], today: datetime.date | None = None) -> list[dict]:
    """The tracker's counts for each distinct value of `fields`, one GROUP BY query. Each row is
    the fields' values plus total, not_sent, sent, returned, returned_late, outstanding, late,
    declined, inadmissible and response_rate (a whole percentage of sent, or None)."""
    today = today or timezone.localdate()
    rows = list(
        requests.order_by().values(*fields).annotate(**_count_expressions(today)).order_by(*fields)
    )
    for row in rows:
        row["response_rate"] = percent(row["returned"], row["sent"])
    return rows


def audit_template_set(*, audit: Audit, version: TemplateVersion) -> int:
    """Sets the template version the audit's requests use. Refused once any request has been
    sent: the agencies are answering that version. Requests created but not sent yet move to
    the new version with the audit. Returns how many such requests moved."""
    with transaction.atomic():
        audit = Audit.objects.select_for_update().get(pk=audit.pk)
        requests = AuditRequest.objects.filter(audit=audit)
        if requests.exclude(status=RequestStatus.NOT_SENT).exists():
            raise ValidationError(
                "Requests have been sent with this audit's template, so it cannot be changed"
            )
        if version.template.partnership_id != audit.partnership_id:
            raise ValidationError({"version": "Select a template of this partnership"})
        Audit.objects.filter(pk=audit.pk).update(template_version=version)
        return requests.exclude(template_version=version).update(template_version=version)
