"""Which exports there are, who may include identifying details, and the access-log entry
every export writes."""

from collections.abc import Callable
from dataclasses import dataclass

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.roles import Permission
from caseaudit.exports import rows
from caseaudit.exports.rows import Export


@dataclass(frozen=True)
class ExportSpec:
    label: str
    build: Callable[..., Export]
    sheet: str
    identifying: bool = True  # whether identifying details can be added


EXPORTS: dict[str, ExportSpec] = {
    "returns-long": ExportSpec("Returns, one row per answer", rows.returns_long, "Answers"),
    "returns-wide": ExportSpec(
        "Returns, one row per return, one column per question", rows.returns_wide, "Returns"
    ),
    "statistics": ExportSpec(
        "Statistics, one row per question option", rows.statistics, "Statistics", identifying=False
    ),
}
FORMATS = {"csv": "CSV", "xlsx": "XLSX (Excel)"}


def export_filename(audit, kind: str, fmt: str, *, identifying: bool = False) -> str:
    suffix = "-identifying" if identifying else ""
    return f"audit-{audit.pk}-{kind}{suffix}.{fmt}"


def may_identify(member) -> bool:
    return member.can(Permission.VIEW_IDENTIFYING_DETAILS)


def export_build(
    *,
    audit,
    kind: str,
    fmt: str,
    identifying: bool,
    user,
    request=None,
    member=None,
    actor: str = "",
) -> Export:
    """The rows of export `kind`, logged in the access log. With `identifying`, the member must
    hold VIEW_IDENTIFYING_DETAILS (checked by the caller too) and the entry says so."""
    spec = EXPORTS[kind]
    if identifying and not spec.identifying:
        raise ValueError(f"The {kind} export has no identifying details")
    if identifying and (member is None or not may_identify(member)):
        raise PermissionError("Identifying details need the view identifying details permission")
    access_event_record(
        action=Action.VIEW_IDENTIFYING_DETAILS if identifying else Action.EXPORT,
        request=request,
        user=user,
        actor=actor,
        partnership=audit.partnership,
        obj=audit,
        object_label=audit.title,
        detail=f"Export {export_filename(audit, kind, fmt, identifying=identifying)}"
        + (" with identifying details" if identifying else ""),
    )
    return spec.build(audit, identifying=identifying)
