"""Importing a case population: parse and validate everything first, then store all or nothing."""

import json
from datetime import date

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.models import Partnership
from caseaudit.crypto import child_key, encrypt_text
from caseaudit.population.models import (
    ColumnMapping,
    PopulationCase,
    PopulationSnapshot,
    age_band_for,
)
from caseaudit.population.parsing import ExtractError, ImportIssue, parse_extract

BATCH_SIZE = 2000


def age_on(birth: date | None, when: date) -> int | None:
    if birth is None:
        return None
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def mapping_for(partnership: Partnership, name: str | None) -> dict | None:
    if not name:
        return None
    mapping = ColumnMapping.objects.filter(partnership=partnership, name=name).first()
    if mapping is None:
        known = ", ".join(partnership.column_mappings.values_list("name", flat=True)) or "none"
        raise ExtractError([ImportIssue(None, None, f"No saved mapping called '{name}' ({known})")])
    return mapping.columns


def _case_values(snapshot: PopulationSnapshot, row, today: date) -> dict:
    """One case as column values ready for the database: identifying fields encrypted here."""
    age = age_on(row.date_of_birth, today)
    interval = (
        (row.plan_start - row.previous_plan_end).days
        if row.plan_start and row.previous_plan_end
        else None
    )
    return {
        "snapshot_id": snapshot.pk,
        "row_number": row.row_number,
        "child_key": child_key(snapshot.partnership_id, row.child_id),
        "child_id": encrypt_text(row.child_id),
        "name": encrypt_text(row.name),
        "date_of_birth": encrypt_text(row.date_of_birth.isoformat() if row.date_of_birth else ""),
        "age_years": age,
        "age_band": age_band_for(age),
        "gender": row.gender,
        "ethnicity": row.ethnicity,
        "team": row.team,
        "worker_id": row.worker_id,
        "sibling_group": row.sibling_group,
        "plan_category": row.plan_category,
        "plan_start": row.plan_start,
        "previous_plan_end": row.previous_plan_end,
        "previous_plans": row.previous_plans,
        "is_repeat": row.previous_plans > 0 or row.previous_plan_end is not None,
        "days_since_previous_plan": interval,
        "agencies": json.dumps(list(row.agencies)),
        "characteristics": json.dumps(list(row.characteristics)),
        "identifying_erased_at": None,
    }


def _store_cases(snapshot: PopulationSnapshot, rows, today: date) -> None:
    """Writes the cases with one prepared INSERT (SQLite) or COPY (PostgreSQL). The ORM's
    bulk_create spent most of a 100,000-row import preparing values field by field (see
    docs/performance.md); the values are prepared once here instead, and the tests read them
    back through the model to prove the two agree."""
    fields = [field for field in PopulationCase._meta.concrete_fields if not field.primary_key]
    names = [field.attname for field in fields]
    table = connection.ops.quote_name(PopulationCase._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    dates = {"plan_start", "previous_plan_end"}
    sqlite = connection.vendor == "sqlite"

    def values(row) -> tuple:
        prepared = _case_values(snapshot, row, today)
        if sqlite:
            for name in dates:
                if prepared[name] is not None:
                    prepared[name] = prepared[name].isoformat()
        return tuple(prepared[name] for name in names)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
            for start in range(0, len(rows), BATCH_SIZE):
                cursor.executemany(sql, [values(row) for row in rows[start : start + BATCH_SIZE]])


def population_import(
    *,
    partnership: Partnership,
    content: bytes,
    file_name: str,
    user=None,
    mapping_name: str = "",
    request: HttpRequest | None = None,
    today: date | None = None,
) -> PopulationSnapshot:
    """Raises ExtractError, having stored nothing, when any row or the file is wrong."""
    today = today or timezone.localdate()
    parsed = parse_extract(
        content, file_name, mapping=mapping_for(partnership, mapping_name), today=today
    )
    with transaction.atomic():
        snapshot = PopulationSnapshot.objects.create(
            partnership=partnership,
            imported_by=user,
            as_of=today,
            file_name=file_name[:255],
            file_hash=parsed.file_hash,
            file_format=parsed.format,
            encoding=parsed.encoding or "",
            mapping_name=mapping_name or "",
            row_count=parsed.row_count,
        )
        _store_cases(snapshot, parsed.rows, today)
        access_event_record(
            action=Action.POPULATION_IMPORTED,
            request=request,
            user=user,
            partnership=partnership,
            obj=snapshot,
            object_label=f"snapshot {snapshot.pk}",
            detail=f"{snapshot.row_count} rows, sha256 {snapshot.file_hash[:12]}",
        )
    return snapshot


def identifying_details_erase_due(*, now=None) -> int:
    """Erases name, date of birth and case-system id of the children sampled in audits closed at
    least CASEAUDIT_ERASE_AFTER_DAYS ago, unless an audit not yet due still uses that child.
    The pseudonymised record stays (with the keyed digest used by the recency rule).
    Returns how many cases were erased. Run daily: `caseaudit erase_identifying_details`."""
    from datetime import timedelta

    from django.conf import settings

    from caseaudit.audits.models import SampledCase, Status

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ERASE_AFTER_DAYS)
    due = SampledCase.objects.filter(
        sample__audit__status=Status.CLOSED, sample__audit__closed_at__lte=cutoff
    ).values("case_id")
    still_needed = SampledCase.objects.exclude(
        sample__audit__status=Status.CLOSED, sample__audit__closed_at__lte=cutoff
    ).values("case_id")
    cases = PopulationCase.objects.filter(pk__in=due, identifying_erased_at=None).exclude(
        pk__in=still_needed
    )
    erased = 0
    with transaction.atomic():
        for case in cases.select_for_update():
            case.child_id = ""
            case.name = ""
            case.date_of_birth = ""
            case.identifying_erased_at = now
            case.save(update_fields=["child_id", "name", "date_of_birth", "identifying_erased_at"])
            erased += 1
    return erased
