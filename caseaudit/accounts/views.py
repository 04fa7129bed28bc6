from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.accounts import services
from caseaudit.accounts.forms import (
    AcceptInvitationForm,
    AgencyForm,
    InviteForm,
    PartnershipSettingsForm,
    RoleForm,
)
from caseaudit.accounts.middleware import SESSION_KEY, seconds_left
from caseaudit.accounts.roles import Permission
from caseaudit.forms import apply_errors

# Partnership switcher and session -------------------------------------------------------------


@require_POST
@login_required
def partnership_switch(request: HttpRequest) -> HttpResponse:
    try:
        pk = int(request.POST.get("partnership", ""))
    except ValueError:
        raise Http404("Page not found") from None
    partnership = access.get_partnership_for_user(request.user, pk)
    request.session[SESSION_KEY] = partnership.pk
    messages.success(request, f"You are now working in {partnership.name}")
    return redirect("home")


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds until the session ends for inactivity. Reading it does not extend the session."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left(request)})


@require_POST
def session_extend(request: HttpRequest) -> JsonResponse:
    """'Stay signed in': any signed-in request slides the window, so this only reports it."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    return JsonResponse({"signed_in": True, "seconds_left": seconds_left(request, fresh=True)})


@require_GET
def session_timed_out(request: HttpRequest) -> HttpResponse:
    """Where the timeout dialog sends a person. `next` (the page they were on, checked to be
    ours) is carried to sign-in, so they land back where they were, for example on their
    return with every saved answer."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    sign_in = reverse("account_login")
    if next_url:
        sign_in += "?" + urlencode({"next": next_url})
    return render(request, "accounts/timed_out.html", {"sign_in_url": sign_in})


# People ----------------------------------------------------------------------------------------


@require_GET
@access.membership_required(Permission.MANAGE_PEOPLE)
def people(request: HttpRequest) -> HttpResponse:
    member = request.membership
    memberships = access.memberships_for_user(member, Permission.MANAGE_PEOPLE).order_by(
        "-is_active", "user__email"
    )
    invitations = [
        invitation
        for invitation in access.invitations_for_user(member, Permission.MANAGE_PEOPLE).filter(
            accepted_at=None, revoked_at=None
        )
        if invitation.is_usable
    ]
    return render(
        request,
        "accounts/people.html",
        {"memberships": memberships, "invitations": invitations},
    )


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_PEOPLE)
def person_invite(request: HttpRequest) -> HttpResponse:
    member = request.membership
    agencies = access.agencies_for_user(member)
    form = InviteForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(
                partnership=member.partnership,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                agency=form.cleaned_data["agency"],
                invited_by=request.user,
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}")
            return redirect("people")
    return render(
        request,
        "accounts/invite.html",
        {"form": form, "invitation_days": settings.INVITATION_DAYS},
    )


@require_GET
@access.membership_required(Permission.MANAGE_PEOPLE)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_user(request.membership, pk, Permission.MANAGE_PEOPLE)
    form = RoleForm(
        initial={
            "role": membership.role,
            "agency": membership.agency_id,
            "is_agency_lead": membership.is_agency_lead,
        },
        agencies=access.agencies_for_user(request.membership),
    )
    return render(request, "accounts/person.html", {"person": membership, "form": form})


@require_POST
@access.membership_required(Permission.MANAGE_PEOPLE)
def person_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_user(request.membership, pk, Permission.MANAGE_PEOPLE)
    form = RoleForm(request.POST, agencies=access.agencies_for_user(request.membership))
    if form.is_valid():
        try:
            services.membership_change_role(
                membership=membership,
                role=form.cleaned_data["role"],
                agency=form.cleaned_data["agency"],
                is_agency_lead=form.cleaned_data["is_agency_lead"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Role changed for {membership.user.email}")
            return redirect("person_detail", pk=membership.pk)
    membership.refresh_from_db()
    return render(request, "accounts/person.html", {"person": membership, "form": form})


@require_POST
@access.membership_required(Permission.MANAGE_PEOPLE)
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_user(request.membership, pk, Permission.MANAGE_PEOPLE)
    try:
        services.membership_deactivate(membership=membership, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"{membership.user.email} is deactivated and has been signed out everywhere"
        )
    return redirect("person_detail", pk=membership.pk)


@require_POST
@access.membership_required(Permission.MANAGE_PEOPLE)
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access.get_membership_for_user(request.membership, pk, Permission.MANAGE_PEOPLE)
    services.membership_reactivate(membership=membership, request=request)
    messages.success(request, f"{membership.user.email} is active again")
    return redirect("person_detail", pk=membership.pk)


@require_POST
@access.membership_required(Permission.MANAGE_PEOPLE)
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = access.get_invitation_for_user(request.membership, pk, Permission.MANAGE_PEOPLE)
    try:
        services.invitation_withdraw(invitation=invitation, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Invitation for {invitation.email} withdrawn")
    return redirect("people")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email. New people set a name and password here; people who
    already have an account sign in as the invited address and then join."""
    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_usable:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"invitation": invitation},
            status=410 if invitation else 404,
        )
    existing = services.User.objects.filter(email=invitation.email).first()
    context = {"invitation": invitation, "existing": existing}
    if existing is not None and existing.has_usable_password():
        if not request.user.is_authenticated or request.user.pk != existing.pk:
            context["sign_in_url"] = (
                reverse("account_login") + "?next=" + reverse("invitation_accept", args=[token])
            )
            return render(request, "accounts/invitation_sign_in.html", context)
        if request.method == "POST":
            membership = services.invitation_accept(invitation=invitation, request=request)
            request.session[SESSION_KEY] = membership.partnership_id
            messages.success(request, f"You have joined {membership.partnership.name}")
            return redirect("home")
        return render(request, "accounts/invitation_join.html", context)

    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        membership = services.invitation_accept(
            invitation=invitation,
            request=request,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
        login(
            request, membership.user, backend="allauth.account.auth_backends.AuthenticationBackend"
        )
        request.session[SESSION_KEY] = membership.partnership_id
        messages.success(request, f"Welcome to {membership.partnership.name}")
        return redirect("home")
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


# Agencies --------------------------------------------------------------------------------------


@require_GET
@access.membership_required(Permission.MANAGE_AGENCIES)
def agencies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/agencies.html",
        {"agencies": access.agencies_for_user(request.membership).prefetch_related("partnerships")},
    )


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_AGENCIES)
def agency_add(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency, created = services.agency_create(
                partnership=request.membership.partnership,
                name=form.cleaned_data["name"],
                sector=form.cleaned_data["sector"],
                code=form.cleaned_data["code"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            note = "added" if created else "already served another partnership and now serves yours"
            messages.success(request, f"{agency.name} {note}")
            return redirect("agencies")
    return render(request, "accounts/agency_form.html", {"form": form, "adding": True})


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_AGENCIES)
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = access.get_agency_for_user(request.membership, pk)
    initial = {"name": agency.name, "sector": agency.sector, "code": agency.code}
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(agency=agency, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{agency.name} saved")
            return redirect("agencies")
    shared = agency.partnerships.exclude(pk=request.membership.partnership_id).count()
    return render(
        request,
        "accounts/agency_form.html",
        {"form": form, "agency": agency, "adding": False, "shared_with": shared},
    )


# Partnership settings -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@access.membership_required(Permission.MANAGE_SETTINGS)
def partnership_settings(request: HttpRequest) -> HttpResponse:
    partnership = request.membership.partnership
    initial = {
        "recency_months": partnership.recency_months,
        "pseudonym_names": "\n".join(partnership.pseudonym_names),
    }
    form = PartnershipSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.partnership_settings_update(
            partnership=partnership, request=request, **form.cleaned_data
        )
        messages.success(request, "Settings saved")
        return redirect("partnership_settings")
    return render(request, "accounts/partnership_settings.html", {"form": form})
