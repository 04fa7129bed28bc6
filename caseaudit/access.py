"""The one way to reach tenant objects.

Every view and API endpoint fetches a partnership's objects through a helper here. The first
argument is the acting `Membership` (`request.membership`: the person, the partnership chosen in
the header, their role and, for agency auditors, their agency). Anything outside that scope raises
Http404, never PermissionDenied, so a stranger cannot learn that an object exists.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from caseaudit.accesslog.models import AccessEvent
from caseaudit.accounts.models import Agency, Invitation, Membership, Partnership


def membership_required(permission: str | None = None) -> Callable:
    """Signed in, with an active membership in the current partnership and, when given, a role
    that holds `permission`. Anyone else gets 404 (anonymous people go to sign in)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs):
            membership = request.membership
            if membership is None or (permission and not membership.can(permission)):
                raise Http404("Page not found")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _require(member: Membership, permission: str) -> None:
    if not member.can(permission):
        raise Http404("Page not found")


def agencies_for_user(member: Membership) -> QuerySet[Agency]:
    return Agency.objects.filter(partnerships=member.partnership)


def get_agency_for_user(member: Membership, pk: int) -> Agency:
    return get_object_or_404(agencies_for_user(member), pk=pk)


def memberships_for_user(member: Membership, permission: str) -> QuerySet[Membership]:
    _require(member, permission)
    return Membership.objects.filter(partnership=member.partnership).select_related(
        "user", "agency", "partnership"
    )


def get_membership_for_user(member: Membership, pk: int, permission: str) -> Membership:
    return get_object_or_404(memberships_for_user(member, permission), pk=pk)


def invitations_for_user(member: Membership, permission: str) -> QuerySet[Invitation]:
    _require(member, permission)
    return Invitation.objects.filter(partnership=member.partnership).select_related(
        "agency", "invited_by"
    )


def get_invitation_for_user(member: Membership, pk: int, permission: str) -> Invitation:
    return get_object_or_404(invitations_for_user(member, permission), pk=pk)


def get_partnership_for_user(user, pk: int) -> Partnership:
    """A partnership the user holds an active role in (used by the header switcher)."""
    return get_object_or_404(
        Partnership, pk=pk, memberships__user=user, memberships__is_active=True
    )


def access_events_for_user(member: Membership, permission: str) -> QuerySet[AccessEvent]:
    """Events about this partnership, plus sign-in events of its people (those carry no
    partnership because signing in is not about one partnership)."""
    _require(member, permission)
    people = Membership.objects.filter(partnership=member.partnership).values("user_id")
    return AccessEvent.objects.filter(
        Q(partnership=member.partnership) | Q(partnership__isnull=True, user_id__in=people)
    )


def audits_for_user(member: Membership) -> QuerySet:
    """Audits of the member's partnership. Agency auditors see audits their agency takes part
    in (their cases and requests come with the returns issue)."""
    from caseaudit.audits.models import Audit

    audits = Audit.objects.filter(partnership=member.partnership)
    if member.role == "agency_auditor":
        audits = audits.filter(agencies=member.agency_id)
    return audits


def get_audit_for_user(member: Membership, pk: int):
    return get_object_or_404(audits_for_user(member), pk=pk)


def audits_with_results_for_user(member: Membership) -> QuerySet:
    """Audits whose collated results (statistics, comments, charts, exports) the member may
    see: every audit of the partnership for VIEW_RESULTS; for an agency auditor, the audits
    their agency takes part in once the audit lead has released the results; nobody else."""
    from caseaudit.accounts.roles import Permission

    if member.can(Permission.VIEW_RESULTS):
        return audits_for_user(member)
    if member.can(Permission.COMPLETE_RETURNS) and member.agency_id:
        return audits_for_user(member).filter(results_released_at__isnull=False)
    return audits_for_user(member).none()


def get_audit_results_for_user(member: Membership, pk: int):
    """An audit whose collated results the member may see; 404 otherwise."""
    return get_object_or_404(audits_with_results_for_user(member), pk=pk)


def snapshots_for_user(member: Membership, permission: str) -> QuerySet:
    from caseaudit.population.models import PopulationSnapshot

    _require(member, permission)
    return PopulationSnapshot.objects.filter(partnership=member.partnership)


def get_snapshot_for_user(member: Membership, pk: int, permission: str):
    return get_object_or_404(snapshots_for_user(member, permission), pk=pk)


def column_mappings_for_user(member: Membership, permission: str) -> QuerySet:
    from caseaudit.population.models import ColumnMapping

    _require(member, permission)
    return ColumnMapping.objects.filter(partnership=member.partnership)


def benchmarks_for_user(member: Membership, permission: str) -> QuerySet:
    from caseaudit.population.models import Benchmark

    _require(member, permission)
    return Benchmark.objects.filter(partnership=member.partnership)


def get_benchmark_for_user(member: Membership, pk: int, permission: str):
    return get_object_or_404(benchmarks_for_user(member, permission), pk=pk)


IDENTIFYING_CASE_FIELDS = ("case__name", "case__date_of_birth", "case__child_id")


def get_sampled_case_for_user(
    member: Membership, audit_pk: int, pk: int, *, identifying: bool = False
):
    """A child in the sample of an audit the member can see. The encrypted identifying fields
    are not even loaded unless `identifying` (the identifying-details panel, which checks
    Permission.VIEW_IDENTIFYING_DETAILS and logs the view)."""
    from caseaudit.audits.models import SampledCase

    audit = get_audit_for_user(member, audit_pk)
    cases = SampledCase.objects.select_related("sample", "case")
    if not identifying:
        cases = cases.defer(*IDENTIFYING_CASE_FIELDS)
    return get_object_or_404(cases, pk=pk, sample__audit=audit)


def templates_for_user(member: Membership, permission: str) -> QuerySet:
    from caseaudit.questionnaires.models import Template

    _require(member, permission)
    return Template.objects.filter(partnership=member.partnership)


def get_template_for_user(member: Membership, pk: int, permission: str):
    return get_object_or_404(templates_for_user(member, permission), pk=pk)


def get_template_version_for_user(member: Membership, template_pk: int, number: int, permission):
    template = get_template_for_user(member, template_pk, permission)
    return get_object_or_404(template.versions.select_related("template"), number=number)


def requests_for_user(member: Membership) -> QuerySet:
    """Requests the member may see. The audit lead and admin (MANAGE_REQUESTS) see all of the
    partnership's; an agency auditor sees those sent to their own agency (never one not yet
    sent); everyone else sees none."""
    from caseaudit.accounts.roles import Permission
    from caseaudit.returns.models import AuditRequest, RequestStatus

    requests = AuditRequest.objects.filter(audit__partnership=member.partnership)
    if member.can(Permission.MANAGE_REQUESTS):
        return requests
    if member.can(Permission.COMPLETE_RETURNS) and member.agency_id:
        return requests.filter(agency=member.agency_id).exclude(status=RequestStatus.NOT_SENT)
    return requests.none()


def get_request_for_user(member: Membership, pk: int):
    return get_object_or_404(
        requests_for_user(member).select_related(
            "audit", "agency", "assignee", "template_version", "sampled_case"
        ),
        pk=pk,
    )


def api_tokens_for_user(member: Membership) -> QuerySet:
    """The member's own API tokens in this partnership; nobody sees anyone else's."""
    from caseaudit.api.models import ApiToken

    return ApiToken.objects.filter(membership=member)


def get_api_token_for_user(member: Membership, pk: int):
    return get_object_or_404(api_tokens_for_user(member), pk=pk)


# Meeting, grades, moderation and engagement (caseaudit.moderation) ------------------------------
#
# Figures (grade counts, agreement, engagement counts) go to whoever may see the audit's
# collated results: board viewers always (figures only), agency auditors once the results are
# released. Case-level free text (meeting notes, grade rationales, moderation reasons,
# engagement feedback) needs Permission.VIEW_CASE_DISCUSSIONS, which agency auditors and board
# viewers do not hold; grading, moderating and recording need their own permissions.


def get_audit_moderation_figures_for_user(member: Membership, pk: int):
    """An audit whose grade and engagement figures the member may see; 404 otherwise."""
    return get_audit_results_for_user(member, pk)


def get_audit_for_moderation(member: Membership, pk: int, permission: str):
    """An audit of the member's partnership, for a member holding `permission`; 404 otherwise."""
    _require(member, permission)
    return get_audit_for_user(member, pk)


def get_case_for_moderation(member: Membership, audit_pk: int, pk: int, permission: str):
    """A child still in the sample of the audit (never one swapped out), for a member holding
    `permission`; identifying details are not loaded."""
    from caseaudit.audits.models import SampledCase

    audit = get_audit_for_moderation(member, audit_pk, permission)
    cases = SampledCase.objects.select_related("sample__audit__partnership", "case").defer(
        *IDENTIFYING_CASE_FIELDS
    )
    return get_object_or_404(cases, pk=pk, sample__audit=audit, removed_at__isnull=True)


def grading_scale_for_user(member: Membership, permission: str) -> QuerySet:
    from caseaudit.moderation.models import Grade

    _require(member, permission)
    return Grade.objects.filter(partnership=member.partnership)


# Cases of Concern, actions and notifications ---------------------------------------------------


def concerns_for_user(member: Membership) -> QuerySet:
    """Cases of Concern the member may open. VIEW_CONCERNS: every one of the partnership. An
    agency auditor: those flagged on their own agency's returns, and those the audit lead or a
    moderator opened about a child whose request their agency was sent. Nobody else (board
    viewers see the figures only, through concern_figures_for_user)."""
    from caseaudit.accounts.roles import Permission
    from caseaudit.concerns.models import CaseOfConcern
    from caseaudit.returns.models import AuditRequest, RequestStatus

    concerns = CaseOfConcern.objects.filter(audit__partnership=member.partnership)
    if member.can(Permission.VIEW_CONCERNS):
        return concerns
    if member.can(Permission.COMPLETE_RETURNS) and member.agency_id:
        own_cases = (
            AuditRequest.objects.filter(agency=member.agency_id)
            .exclude(status=RequestStatus.NOT_SENT)
            .values("sampled_case_id")
        )
        return concerns.filter(
            Q(request__agency=member.agency_id)
            | Q(request__isnull=True, sampled_case_id__in=own_cases)
        )
    return concerns.none()


def get_concern_for_user(member: Membership, pk: int):
    return get_object_or_404(
        concerns_for_user(member).select_related(
            "audit", "sampled_case", "sampled_case__case", "request__agency", "raised_by"
        ),
        pk=pk,
    )


def concern_figures_for_user(member: Membership) -> QuerySet:
    """The concerns behind the register's figures (VIEW_CONCERN_FIGURES): all of the
    partnership's, counted, never listed."""
    from caseaudit.accounts.roles import Permission
    from caseaudit.concerns.models import CaseOfConcern

    _require(member, Permission.VIEW_CONCERN_FIGURES)
    return CaseOfConcern.objects.filter(audit__partnership=member.partnership)


def sampled_cases_for_concerns(member: Membership) -> QuerySet:
    """Children in the samples of the partnership's audits, for opening a Case of Concern or
    an action (RAISE_CONCERNS or MANAGE_ACTIONS)."""
    from caseaudit.accounts.roles import Permission
    from caseaudit.audits.models import SampledCase

    if not (member.can(Permission.RAISE_CONCERNS) or member.can(Permission.MANAGE_ACTIONS)):
        raise Http404("Page not found")
    return (
        SampledCase.objects.filter(
            sample__audit__partnership=member.partnership, removed_at__isnull=True
        )
        .defer(*IDENTIFYING_CASE_FIELDS)
        .select_related("sample__audit", "case")
    )


def get_sampled_case_for_concerns(member: Membership, pk: int):
    return get_object_or_404(sampled_cases_for_concerns(member), pk=pk)


def actions_for_user(member: Membership) -> QuerySet:
    """VIEW_ACTIONS: every action of the partnership; anyone else: the actions they own."""
    from caseaudit.accounts.roles import Permission
    from caseaudit.actions.models import Action

    actions = Action.objects.filter(partnership=member.partnership).select_related(
        "owner__user", "sampled_case", "audit", "concern"
    )
    if member.can(Permission.VIEW_ACTIONS):
        return actions
    return actions.filter(owner=member)


def get_action_for_user(member: Membership, pk: int):
    return get_object_or_404(actions_for_user(member), pk=pk)


def recommendations_for_actions(member: Membership) -> QuerySet:
    """Recommendations whose actions the member may add and link: the ones of audits whose
    findings they draft (WRITE_FINDINGS) when they also manage actions (MANAGE_ACTIONS)."""
    from caseaudit.accounts.roles import Permission
    from caseaudit.findings.models import Recommendation

    _require(member, Permission.WRITE_FINDINGS)
    _require(member, Permission.MANAGE_ACTIONS)
    return Recommendation.objects.filter(
        audit__in=audits_with_results_for_user(member)
    ).select_related("audit")


def get_recommendation_for_actions(member: Membership, pk: int):
    return get_object_or_404(recommendations_for_actions(member), pk=pk)


def action_tracker_for_user(member: Membership) -> QuerySet:
    """The actions behind the tracker's figures (VIEW_ACTION_TRACKER)."""
    from caseaudit.accounts.roles import Permission
    from caseaudit.actions.models import Action

    _require(member, Permission.VIEW_ACTION_TRACKER)
    return Action.objects.filter(partnership=member.partnership)


def notifications_for_user(member: Membership) -> QuerySet:
    """The person's own notifications in the current partnership; nobody sees another's."""
    from caseaudit.notifications.models import Notification

    return Notification.objects.filter(user=member.user, partnership=member.partnership)


def get_notification_for_user(member: Membership, pk: int):
    return get_object_or_404(notifications_for_user(member), pk=pk)


# Publications (caseaudit.publications) -----------------------------------------------------------
#
# Ready versions are listed and downloaded by whoever holds VIEW_PUBLICATIONS (admin, lead,
# moderator, senior manager, board viewer) and by agency auditors whose agency takes part, once
# the audit's results are released (as with the collated results). Previews, the privacy check,
# accepting hits and publishing need PUBLISH (admin and lead).


def publication_audits_for_user(member: Membership) -> QuerySet:
    from caseaudit.accounts.roles import Permission

    if member.can(Permission.VIEW_PUBLICATIONS):
        return audits_for_user(member)
    if member.can(Permission.COMPLETE_RETURNS) and member.agency_id:
        return audits_for_user(member).filter(results_released_at__isnull=False)
    return audits_for_user(member).none()


def get_audit_publications_for_user(member: Membership, pk: int):
    return get_object_or_404(publication_audits_for_user(member), pk=pk)


def get_audit_for_publishing(member: Membership, pk: int):
    from caseaudit.accounts.roles import Permission

    _require(member, Permission.PUBLISH)
    return get_object_or_404(audits_for_user(member), pk=pk)


def get_publication_file_for_user(member: Membership, audit_pk: int, pk: int, fmt: str):
    """A file of a ready version of an audit the member may read publications of."""
    from caseaudit.publications.models import Publication, PublicationFile

    audit = get_audit_publications_for_user(member, audit_pk)
    return get_object_or_404(
        PublicationFile.objects.select_related("publication__audit__partnership"),
        publication__audit=audit,
        publication__pk=pk,
        publication__status=Publication.Status.READY,
        format=fmt,
    )
