"""Per-audit option counts for the trends, kept as a summary (analysis.AuditOptionCount).

The trends group a partnership's whole history; over a million returns that is twenty million
answer rows, too many to scan on every page view. `refresh(partnership)` first stamps
every audit's submitted returns (one GROUP BY over the requests, not the answers), counts again
only the audits whose stamp changed since their counts were made, and returns a queryset of the
counts. The figures are therefore always those of the submitted returns at the time of the call;
what is saved is only the scan of audits nothing happened to.

The stamp is (number of submitted returns, sum of their versions, sum of their ids, latest
submission). A return's answers change only while it is open, and every save, submit, reopen,
decline or other status change moves its version on (returns.services): so a changed return
changes the sum of versions, a return leaving the submitted ones changes the count, and one
joining them changes the latest submission and the sums."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from caseaudit.analysis.models import AuditOptionCount, AuditSummary
from caseaudit.audits.models import Audit
from caseaudit.returns.models import Answer, AuditRequest, RequestStatus

# Audits counted again per statement.
BATCH = 200


def _stamp(submitted, version_sum, id_sum, last_submitted_at) -> tuple:
    return (submitted, version_sum or 0, id_sum or 0, last_submitted_at)


def audit_stamp(audit_id: int) -> tuple:
    """The stamp of one audit's submitted returns, (number, sum of versions, sum of ids, latest
    submission): (0, 0, 0, None) when none is submitted. One aggregate over the audit's
    requests, through the index on the audit."""
    row = AuditRequest.objects.filter(audit_id=audit_id, status=RequestStatus.SUBMITTED).aggregate(
        submitted=Count("id"),
        version_sum=Sum("version"),
        id_sum=Sum("id"),
        last_submitted_at=Max("submitted_at"),
    )
    return _stamp(**row)


def _stamps(partnership) -> tuple[dict[int, tuple], dict[int, tuple[int, int]]]:
    """One GROUP BY over the partnership's sent requests: each audit's stamp (of its submitted
    returns) and its (sent, returned) counts."""
    submitted = Q(status=RequestStatus.SUBMITTED)
    rows = (
        AuditRequest.objects.filter(audit__partnership=partnership)
        .exclude(status=RequestStatus.NOT_SENT)
        .values("audit_id")
        .annotate(
            sent=Count("id"),
            submitted=Count("id", filter=submitted),
            version_sum=Sum("version", filter=submitted),
            id_sum=Sum("id", filter=submitted),
            last_submitted_at=Max("submitted_at", filter=submitted),
        )
        .order_by()
    )
    stamps, rates = {}, {}
    for row in rows:
        rates[row["audit_id"]] = (row["sent"], row["submitted"])
        if row["submitted"]:
            stamps[row["audit_id"]] = _stamp(
                row["submitted"], row["version_sum"], row["id_sum"], row["last_submitted_at"]
            )
    return stamps, rates


def _recount(stale: dict[int, tuple]) -> None:
    """Counts the stale audits' submitted answers again and records their new stamps."""
    ids = list(stale)
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        try:
            with transaction.atomic():
                AuditOptionCount.objects.filter(audit_id__in=batch).delete()
                AuditSummary.objects.filter(audit_id__in=batch).delete()
                grouped = (
                    Answer.objects.filter(
                        request__audit_id__in=batch,
                        request__status=RequestStatus.SUBMITTED,
                        option__isnull=False,
                    )
                    .values_list("request__audit_id", "question_id", "option_id")
                    .annotate(count=Count("id"))
                    .order_by()
                )
                AuditOptionCount.objects.bulk_create(
                    (
                        AuditOptionCount(
                            audit_id=audit_id,
                            question_id=question_id,
                            option_id=option_id,
                            count=count,
                        )
                        for audit_id, question_id, option_id, count in grouped.iterator(
                            chunk_size=5000
                        )
                    ),
                    batch_size=5000,
                )
                AuditSummary.objects.bulk_create(
                    AuditSummary(
                        audit_id=audit_id,
                        submitted=stale[audit_id][0],
                        version_sum=stale[audit_id][1],
                        id_sum=stale[audit_id][2],
                        last_submitted_at=stale[audit_id][3],
                        made_at=now,
                    )
                    for audit_id in batch
                )
        except IntegrityError:
            # Another request counted the same audits at the same moment and committed first:
            # its counts are the ones read.
            continue


def refresh(partnership) -> dict[int, tuple[int, int]]:
    """Brings the partnership's option counts up to date (counting again only the audits whose
    submitted returns changed) and returns {audit id: (requests sent, returns submitted)} for
    the audits with any request sent, from the same query."""
    audit_ids = list(Audit.objects.filter(partnership=partnership).values_list("pk", flat=True))
    current, rates = _stamps(partnership)
    recorded = {
        row[0]: tuple(row[1:])
        for row in AuditSummary.objects.filter(audit__partnership=partnership).values_list(
            "audit_id", "submitted", "version_sum", "id_sum", "last_submitted_at"
        )
    }
    # An audit with no submitted return has the stamp (0, 0, 0, None) and no counts.
    empty = (0, 0, 0, None)
    stale = {
        pk: current.get(pk, empty) for pk in audit_ids if recorded.get(pk) != current.get(pk, empty)
    }
    if stale:
        _recount(stale)
    return rates


def counts(partnership):
    """The partnership's AuditOptionCount rows as they are: call `refresh` first."""
    return AuditOptionCount.objects.filter(audit__partnership=partnership)
