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
    MANAGE_SETTINGS = "manage_settings", "Change the partnership's settings"
    VIEW_ACCESS_LOG = "view_access_log", "Read the access log"
    VIEW_PROGRAMME = "view_programme", "See the audit programme"
    MANAGE_AUDITS = "manage_audits", "Plan audits and move them through their lifecycle"
    MANAGE_POPULATION = "manage_population", "Import case populations, draw and lock samples"
    VIEW_IDENTIFYING_DETAILS = (
        "view_identifying_details",
        "See sampled children's identifying details",
    )
    MANAGE_TEMPLATES = "manage_templates", "Build, import and version audit templates"
    MANAGE_REQUESTS = (
        "manage_requests",
        "Send requests to agencies, chase, reopen and track returns",
    )
    COMPLETE_RETURNS = "complete_returns", "Complete returns for their own agency"
    VIEW_RESULTS = (
        "view_results",
        "See every audit's collated results, comments, dashboards and trends",
    )
    MANAGE_RESULTS = (
        "manage_results",
        "Release collated results to agencies, confirm comment themes, edit the theme list",
    )
    WRITE_FINDINGS = (
        "write_findings",
        "Draft an audit's findings, recommendations, learning and the texts of its publications",
    )
    # Meeting, grades, moderation and engagement (caseaudit.moderation).
    RECORD_MEETING = (
        "record_meeting",
        "Record the audit meeting: attendance, case discussions and engagement",
    )
    GRADE_CASES = "grade_cases", "Give each sampled case the auditor's grade and rationale"
    MODERATE_GRADES = "moderate_grades", "Moderate the auditor's grades, with reasons for changes"
    VIEW_CASE_DISCUSSIONS = (
        "view_case_discussions",
        "Read case-level meeting notes, grade rationales and engagement feedback",
    )
    VIEW_GRADING_DRIFT = (
        "view_grading_drift",
        "See how often moderation moved each auditor's grades",
    )
    MANAGE_GRADING_SCALE = "manage_grading_scale", "Edit the partnership's grading scale"
    # Cases of Concern and actions (agency auditors reach the concerns on their own agency's
    # returns through COMPLETE_RETURNS, scoped in access.concerns_for_user).
    VIEW_CONCERNS = "view_concerns", "See the Cases of Concern register and each case"
    VIEW_CONCERN_FIGURES = "view_concern_figures", "See Cases of Concern figures"
    RAISE_CONCERNS = "raise_concerns", "Open a Case of Concern and set its category"
    REVIEW_CONCERNS = "review_concerns", "Review Cases of Concern and sign off their closure"
    OWN_ACTIONS = "own_actions", "Own actions and complete them"
    VIEW_ACTIONS = "view_actions", "See every action of the partnership"
    MANAGE_ACTIONS = "manage_actions", "Create and cancel actions"
    VIEW_ACTION_TRACKER = "view_action_tracker", "See the action tracker figures"
    # Publishing (caseaudit.publications). Agency auditors reach an audit's ready versions
    # once its results are released, through COMPLETE_RETURNS (access.publications_audits_for_user).
    PUBLISH = (
        "publish",
        "Preview publications, accept privacy-check hits with a reason and publish versions",
    )
    VIEW_PUBLICATIONS = "view_publications", "See and download published versions"


_RUN_AUDITS = {
    Permission.VIEW_PROGRAMME,
    Permission.MANAGE_AUDITS,
    Permission.MANAGE_POPULATION,
    Permission.VIEW_IDENTIFYING_DETAILS,
    Permission.MANAGE_TEMPLATES,
    Permission.MANAGE_REQUESTS,
    Permission.VIEW_RESULTS,
    Permission.MANAGE_RESULTS,
    Permission.WRITE_FINDINGS,
    Permission.VIEW_CONCERNS,
    Permission.VIEW_CONCERN_FIGURES,
    Permission.RAISE_CONCERNS,
    Permission.OWN_ACTIONS,
    Permission.VIEW_ACTIONS,
    Permission.MANAGE_ACTIONS,
    Permission.VIEW_ACTION_TRACKER,
    Permission.PUBLISH,
    Permission.VIEW_PUBLICATIONS,
}
# Grading drift per auditor is for the audit lead only (issue 6), so not in _RUN_AUDITS.
_RUN_MEETINGS = {
    Permission.RECORD_MEETING,
    Permission.GRADE_CASES,
    Permission.VIEW_CASE_DISCUSSIONS,
    Permission.MANAGE_GRADING_SCALE,
}
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PARTNERSHIP_ADMIN: frozenset(
        {
            Permission.MANAGE_PEOPLE,
            Permission.MANAGE_AGENCIES,
            Permission.MANAGE_SETTINGS,
            Permission.VIEW_ACCESS_LOG,
            *_RUN_AUDITS,
            *_RUN_MEETINGS,
        }
    ),
    Role.AUDIT_LEAD: frozenset({*_RUN_AUDITS, *_RUN_MEETINGS, Permission.VIEW_GRADING_DRIFT}),
    Role.AGENCY_AUDITOR: frozenset(
        {Permission.VIEW_PROGRAMME, Permission.COMPLETE_RETURNS, Permission.OWN_ACTIONS}
    ),
    Role.MODERATOR: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.VIEW_RESULTS,
            Permission.MODERATE_GRADES,
            Permission.VIEW_CASE_DISCUSSIONS,
            Permission.VIEW_CONCERNS,
            Permission.VIEW_CONCERN_FIGURES,
            Permission.RAISE_CONCERNS,
            Permission.OWN_ACTIONS,
            Permission.VIEW_ACTIONS,
            Permission.VIEW_ACTION_TRACKER,
            Permission.VIEW_PUBLICATIONS,
        }
    ),
    Role.SENIOR_MANAGER: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.VIEW_RESULTS,
            Permission.VIEW_CASE_DISCUSSIONS,
            Permission.VIEW_CONCERNS,
            Permission.VIEW_CONCERN_FIGURES,
            Permission.REVIEW_CONCERNS,
            Permission.OWN_ACTIONS,
            Permission.VIEW_ACTIONS,
            Permission.MANAGE_ACTIONS,
            Permission.VIEW_ACTION_TRACKER,
            Permission.VIEW_PUBLICATIONS,
        }
    ),
    Role.BOARD_VIEWER: frozenset(
        {
            Permission.VIEW_PROGRAMME,
            Permission.VIEW_RESULTS,
            Permission.VIEW_CONCERN_FIGURES,
            Permission.VIEW_ACTION_TRACKER,
            Permission.VIEW_PUBLICATIONS,
        }
    ),
}

# Roles whose membership must name the agency the person works for.
ROLES_NEEDING_AGENCY = frozenset({Role.AGENCY_AUDITOR})


def role_has(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
