"""Roles and what each may do, in one place. Views ask for a Permission, never for a Role."""

from django.db import models


class Role(models.TextChoices):
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership admin"
    AUDIT_LEAD = "audit_lead", "Audit lead"
    AGENCY_AUDITOR = "agency_auditor", "Agency auditor"
    MODERATOR = "moderator", "Moderator"
    SENIOR_MANAGER = "senior_manager", "Senior manager"
    BOARD_VIEWER = "board_viewer", "Board viewer"


class Permission(models.TextChoices):
    MANAGE_PEOPLE = "manage_people", "Invite people, change roles and deactivate"
    MANAGE_AGENCIES = "manage_agencies", "Add and edit agencies"
    VIEW_ACCESS_LOG = "view_access_log", "Read the access log"


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PARTNERSHIP_ADMIN: frozenset(
        {Permission.MANAGE_PEOPLE, Permission.MANAGE_AGENCIES, Permission.VIEW_ACCESS_LOG}
    ),
    Role.AUDIT_LEAD: frozenset(),
    Role.AGENCY_AUDITOR: frozenset(),
    Role.MODERATOR: frozenset(),
    Role.SENIOR_MANAGER: frozenset(),
    Role.BOARD_VIEWER: frozenset(),
}

# Roles whose membership must name the agency the person works for.
ROLES_NEEDING_AGENCY = frozenset({Role.AGENCY_AUDITOR})


def role_has(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
