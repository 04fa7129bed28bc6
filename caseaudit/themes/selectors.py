from django.db.models import Count, Q

from caseaudit.accounts.models import Partnership
from caseaudit.audits.models import Audit
from caseaudit.returns.models import RequestStatus
from caseaudit.themes.models import CommentTheme


def theme_counts(audit: Audit) -> list[dict]:
    """Per theme of the audit's partnership (archived ones too if used), how many comments of
    submitted returns carry it confirmed and how many only suggested:
    [{"key", "name", "archived", "confirmed", "suggested"}] in theme order."""
    counted = {
        row["theme_id"]: row
        for row in CommentTheme.objects.filter(
            answer__request__audit=audit, answer__request__status=RequestStatus.SUBMITTED
        )
        .values("theme_id")
        .annotate(
            confirmed_count=Count("id", filter=Q(confirmed=True)),
            suggested_count=Count("id", filter=Q(suggested=True, confirmed=False)),
        )
    }
    result = []
    for theme in audit.partnership.themes.order_by("order", "id"):
        row = counted.get(theme.pk, {"confirmed_count": 0, "suggested_count": 0})
        if theme.archived and not (row["confirmed_count"] or row["suggested_count"]):
            continue
        result.append(
            {
                "key": theme.key,
                "name": theme.name,
                "archived": theme.archived,
                "confirmed": row["confirmed_count"],
                "suggested": row["suggested_count"],
            }
        )
    return result


def theme_counts_by_audit(partnership: Partnership) -> list[dict]:
    """Theme recurrence across the partnership's audits, from submitted returns:
    [{"audit_id", "audit", "theme_key", "theme", "confirmed", "suggested"}], one row per audit
    and theme that has any tag, ordered by audit then theme order."""
    rows = (
        CommentTheme.objects.filter(
            theme__partnership=partnership,
            answer__request__status=RequestStatus.SUBMITTED,
            answer__request__audit__partnership=partnership,
        )
        .values(
            "answer__request__audit_id",
            "answer__request__audit__title",
            "theme__key",
            "theme__name",
            "theme__order",
        )
        .annotate(
            confirmed_count=Count("id", filter=Q(confirmed=True)),
            suggested_count=Count("id", filter=Q(suggested=True, confirmed=False)),
        )
        .order_by("answer__request__audit_id", "theme__order", "theme__key")
    )
    return [
        {
            "audit_id": r["answer__request__audit_id"],
            "audit": r["answer__request__audit__title"],
            "theme_key": r["theme__key"],
            "theme": r["theme__name"],
            "confirmed": r["confirmed_count"],
            "suggested": r["suggested_count"],
        }
        for r in rows
    ]
