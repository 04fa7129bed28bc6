"""Writes about partnerships, agencies and people. Keyword-only, validated, logged."""

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.models import (
    Agency,
    Invitation,
    Membership,
    Partnership,
    Sector,
    User,
    hash_token,
    normalise_email,
)
from caseaudit.accounts.roles import ROLES_NEEDING_AGENCY, Role


def partnership_create(*, name: str, slug: str) -> Partnership:
    name = (name or "").strip()
    slug = (slug or "").strip()
    if slug != slugify(slug) or not slug:
        raise ValidationError(
            {"slug": "Slug must be lower-case letters, numbers and hyphens, like north-shire"}
        )
    partnership = Partnership(name=name, slug=slug)
    partnership.full_clean()
    partnership.save()
    from caseaudit.themes.services import themes_seed_for_partnership

    themes_seed_for_partnership(partnership=partnership)
    return partnership


def agency_create(
    *,
    partnership: Partnership,
    name: str,
    sector: str,
    code: str = "",
    request: HttpRequest | None = None,
) -> tuple[Agency, bool]:
    """Adds the agency to the partnership. An agency of the same name (in any partnership) is
    reused, because one agency may serve several partnerships. Returns (agency, created)."""
    name = " ".join((name or "").split())
    if sector not in Sector.values:
        raise ValidationError({"sector": f"Sector must be one of: {', '.join(Sector.values)}"})
    with transaction.atomic():
        agency = Agency.objects.filter(name__iexact=name).first()
        created = agency is None
        if created:
            agency = Agency(name=name, sector=sector, code=(code or "").strip())
            agency.full_clean()
            agency.save()
        elif agency.partnerships.filter(pk=partnership.pk).exists():
            raise ValidationError({"name": f"{agency.name} already serves {partnership.name}"})
        agency.partnerships.add(partnership)
        if request is not None:
            access_event_record(
                action=Action.AGENCY_CHANGED,
                request=request,
                partnership=partnership,
                obj=agency,
                detail="added" if created else "linked existing agency",
            )
    return agency, created


def agency_update(
    *, agency: Agency, name: str, sector: str, code: str, request: HttpRequest
) -> Agency:
    agency.name = " ".join(name.split())
    agency.sector = sector
    agency.code = code.strip()
    agency.full_clean()
    agency.save()
    access_event_record(action=Action.AGENCY_CHANGED, request=request, obj=agency, detail="edited")
    return agency


def _check_role_and_agency(partnership: Partnership, role: str, agency: Agency | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": f"Role must be one of: {', '.join(Role.values)}"})
    if role in ROLES_NEEDING_AGENCY and agency is None:
        raise ValidationError({"agency": "Select the agency this person audits for"})
    if agency is not None and not agency.partnerships.filter(pk=partnership.pk).exists():
        raise ValidationError({"agency": f"{agency.name} does not serve {partnership.name}"})


def user_create_with_membership(
    *,
    email: str,
    partnership: Partnership,
    role: str,
    agency: Agency | None = None,
    full_name: str = "",
    password: str | None = None,
) -> tuple[User, Membership, bool]:
    """For operators and the demo: creates the person (if new) and their role in the partnership.
    Returns (user, membership, user_created)."""
    email = normalise_email(email)
    _check_role_and_agency(partnership, role, agency)
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        user_created = user is None
        if user_created:
            user = User(email=email, full_name=full_name)
            user.full_clean(exclude=["password"])
            user.set_password(password) if password else user.set_unusable_password()
            user.save()
        elif Membership.objects.filter(user=user, partnership=partnership).exists():
            raise ValidationError({"email": f"{email} already has a role in {partnership.name}"})
        membership = Membership(user=user, partnership=partnership, role=role, agency=agency)
        membership.full_clean()
        membership.save()
    return user, membership, user_created


def _admins_left(partnership: Partnership, excluding: Membership) -> int:
    return (
        Membership.objects.filter(
            partnership=partnership, role=Role.PARTNERSHIP_ADMIN, is_active=True
        )
        .exclude(pk=excluding.pk)
        .count()
    )


def invitation_send(
    *,
    partnership: Partnership,
    email: str,
    role: str,
    agency: Agency | None,
    invited_by: User,
    request: HttpRequest,
) -> Invitation:
    """Creates a single-use invitation and emails its link. The email names the partnership and
    role only: no email from this service ever carries a child's details."""
    email = normalise_email(email)
    _check_role_and_agency(partnership, role, agency)
    if Membership.objects.filter(
        partnership=partnership, user__email=email, is_active=True
    ).exists():
        raise ValidationError({"email": "This person already has a role in this partnership"})
    token = Invitation.new_token()
    with transaction.atomic():
        # A new invitation replaces any earlier one still waiting for the same person.
        Invitation.objects.filter(
            partnership=partnership, email=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        invitation = Invitation(
            partnership=partnership,
            email=email,
            role=role,
            agency=agency if role in ROLES_NEEDING_AGENCY or agency else None,
            token_hash=hash_token(token),
            invited_by=invited_by,
        )
        invitation.full_clean()
        invitation.save()
        access_event_record(
            action=Action.INVITATION_SENT,
            request=request,
            partnership=partnership,
            obj=invitation,
            object_label=email,
            detail=f"role: {invitation.get_role_display()}",
        )
    link = request.build_absolute_uri(f"/invitation/{token}/")
    context = {
        "invitation": invitation,
        "link": link,
        "service_name": settings.SERVICE_NAME,
        "days": settings.INVITATION_DAYS,
    }
    send_mail(
        subject=f"You have been invited to {settings.SERVICE_NAME}",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    invitation.link = link  # only for the sender's confirmation page in this request
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("partnership", "agency")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )


def invitation_withdraw(*, invitation: Invitation, request: HttpRequest) -> None:
    if not invitation.is_usable:
        raise ValidationError("This invitation can no longer be withdrawn")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    access_event_record(
        action=Action.INVITATION_WITHDRAWN,
        request=request,
        obj=invitation,
        object_label=invitation.email,
    )


def invitation_accept(
    *,
    invitation: Invitation,
    request: HttpRequest,
    full_name: str = "",
    password: str | None = None,
) -> Membership:
    """Turns a usable invitation into a membership, creating the user when they are new.
    An existing user must be signed in as the invited address (checked by the view)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise ValidationError("This invitation has already been used, withdrawn or expired")
        user = User.objects.filter(email=invitation.email).first()
        if user is None:
            user = User(email=invitation.email, full_name=full_name.strip())
            user.set_password(password)
            user.save()
        elif not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        membership, _ = Membership.objects.update_or_create(
            user=user,
            partnership=invitation.partnership,
            defaults={
                "role": invitation.role,
                "agency": invitation.agency,
                "is_active": True,
                "deactivated_at": None,
            },
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        access_event_record(
            action=Action.INVITATION_ACCEPTED,
            request=request,
            user=user,
            partnership=invitation.partnership,
            obj=invitation,
            object_label=invitation.email,
        )
    return membership


def membership_change_role(
    *,
    membership: Membership,
    role: str,
    agency: Agency | None,
    request: HttpRequest,
    is_agency_lead: bool = False,
) -> Membership:
    _check_role_and_agency(membership.partnership, role, agency)
    if is_agency_lead and role not in ROLES_NEEDING_AGENCY:
        raise ValidationError({"is_agency_lead": "Only an agency auditor can be an agency lead"})
    if (
        membership.role == Role.PARTNERSHIP_ADMIN
        and role != Role.PARTNERSHIP_ADMIN
        and _admins_left(membership.partnership, membership) == 0
    ):
        raise ValidationError({"role": "A partnership needs at least one partnership admin"})
    before = membership.get_role_display()
    membership.role = role
    membership.agency = agency
    membership.is_agency_lead = is_agency_lead
    membership.full_clean()
    membership.save(update_fields=["role", "agency", "is_agency_lead"])
    access_event_record(
        action=Action.ROLE_CHANGED,
        request=request,
        obj=membership,
        object_label=membership.user.email,
        detail=f"from {before} to {membership.get_role_display()}"
        + (f" ({agency.name})" if agency else "")
        + (", agency lead" if is_agency_lead else ""),
    )
    return membership


def user_end_sessions(*, user: User) -> int:
    """Ends every session of the user at once, wherever they are signed in."""
    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    # Belt and braces: sessions created before allauth tracked them would be missed above.
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
            ended += 1
    return ended


def membership_deactivate(*, membership: Membership, request: HttpRequest) -> None:
    if membership.user_id == request.user.pk:
        raise ValidationError("You cannot deactivate yourself")
    if membership.role == Role.PARTNERSHIP_ADMIN and (
        _admins_left(membership.partnership, membership) == 0
    ):
        raise ValidationError("A partnership needs at least one partnership admin")
    with transaction.atomic():
        membership.is_active = False
        membership.deactivated_at = timezone.now()
        membership.save(update_fields=["is_active", "deactivated_at"])
        user = membership.user
        if not user.memberships.filter(is_active=True).exists():
            user.is_active = False
            user.save(update_fields=["is_active"])
        access_event_record(
            action=Action.MEMBERSHIP_DEACTIVATED,
            request=request,
            obj=membership,
            object_label=user.email,
        )
    user_end_sessions(user=user)


def membership_reactivate(*, membership: Membership, request: HttpRequest) -> None:
    with transaction.atomic():
        membership.is_active = True
        membership.deactivated_at = None
        membership.save(update_fields=["is_active", "deactivated_at"])
        if not membership.user.is_active:
            membership.user.is_active = True
            membership.user.save(update_fields=["is_active"])
        access_event_record(
            action=Action.MEMBERSHIP_REACTIVATED,
            request=request,
            obj=membership,
            object_label=membership.user.email,
        )


def partnership_settings_update(
    *, partnership: Partnership, recency_months: int, pseudonym_names: list[str], request
) -> Partnership:
    partnership.recency_months = recency_months
    partnership.pseudonym_names = pseudonym_names
    partnership.full_clean()
    partnership.save(update_fields=["recency_months", "pseudonym_names"])
    access_event_record(
        action=Action.SETTINGS_CHANGED,
        request=request,
        obj=partnership,
        detail=f"recency {recency_months} months, {len(pseudonym_names)} changed names",
    )
    return partnership
