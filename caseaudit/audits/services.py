"""Writes about audits: creating them and moving them through their lifecycle."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseaudit.accounts.models import Partnership
from caseaudit.audits.models import Audit, Methodology, Status, StatusChange


def audit_create(
    *,
    partnership: Partnership,
    title: str,
    user=None,
    theme: str = "",
    aim: str = "",
    scope_questions: list[str] | None = None,
    terms_of_reference: str = "",
    methodology: str = Methodology.MULTI_AGENCY_DESKTOP,
    template_name: str = "",
    agencies=(),
    **dates,
) -> Audit:
    from caseaudit.questionnaires.models import Template

    # A planned template named after one in the partnership's library is linked to its newest
    # version at once; any other name is kept as a note until a template is chosen.
    template = Template.objects.filter(
        partnership=partnership, name__iexact=template_name.strip()
    ).first()
    audit = Audit(
        partnership=partnership,
        template_version=template.latest_version() if template and template_name.strip() else None,
        title=" ".join((title or "").split()),
        theme=theme.strip(),
        aim=aim.strip(),
        scope_questions=[q.strip() for q in scope_questions or [] if q.strip()],
        terms_of_reference=terms_of_reference.strip(),
        methodology=methodology,
        template_name=template_name.strip(),
        created_by=user,
        **dates,
    )
    audit.full_clean()
    with transaction.atomic():
        audit.save()
        for agency in agencies:
            if not agency.partnerships.filter(pk=partnership.pk).exists():
                raise ValidationError(
                    {"agencies": f"{agency.name} does not serve this partnership"}
                )
        audit.agencies.set(agencies)
        StatusChange.objects.create(audit=audit, to_status=audit.status, changed_by=user)
    return audit


def audit_move(*, audit: Audit, to_status: str, user=None, note: str = "") -> Audit:
    """Moves the audit one sensible step and records who did it and when."""
    if to_status not in Status.values:
        raise ValidationError({"status": "Select a status"})
    if not audit.can_move_to(to_status):
        raise ValidationError(
            {
                "status": f"An audit in {audit.get_status_display().lower()} cannot move to "
                f"{Status(to_status).label.lower()}"
            }
        )
    if to_status == Status.FIELDWORK and not (hasattr(audit, "sample") and audit.sample.is_locked):
        raise ValidationError({"status": "Lock the sample before fieldwork starts"})
    with transaction.atomic():
        StatusChange.objects.create(
            audit=audit, from_status=audit.status, to_status=to_status, changed_by=user, note=note
        )
        audit.status = to_status
        if to_status == Status.CLOSED:
            audit.closed_at = timezone.now()
        audit.save(update_fields=["status", "closed_at"])
    return audit


AUDIT_EDITABLE_FIELDS = (
    "title",
    "theme",
    "aim",
    "scope_questions",
    "terms_of_reference",
    "methodology",
    "template_name",
    "planned_month",
    "returns_due",
    "meeting_date",
    "report_due",
)


def audit_update(*, audit: Audit, agencies=None, **fields) -> Audit:
    """Changes the plan of an audit (not its status: that moves through `audit_move`)."""
    unknown = set(fields) - set(AUDIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"audit_update cannot change {', '.join(sorted(unknown))}")
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())
    if "scope_questions" in fields:
        fields["scope_questions"] = [
            q.strip() for q in fields["scope_questions"] or [] if q.strip()
        ]
    for name in ("theme", "aim", "terms_of_reference", "template_name"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    for name, value in fields.items():
        setattr(audit, name, value)
    audit.full_clean()
    with transaction.atomic():
        audit.save()
        if agencies is not None:
            for agency in agencies:
                if not agency.partnerships.filter(pk=audit.partnership_id).exists():
                    raise ValidationError(
                        {"agencies": f"{agency.name} does not serve this partnership"}
                    )
            audit.agencies.set(agencies)
    return audit
