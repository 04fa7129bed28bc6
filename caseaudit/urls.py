from allauth.account import urls as account_urls
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from caseaudit.accesslog import views as accesslog_views
from caseaudit.accounts import views as accounts_views
from caseaudit.pages import views as pages_views


def admin_login(request, extra_context=None):
    """The Django admin's own sign-in form would skip the second factor, so it is never shown:
    strangers go to the service's sign-in, signed-in staff go on, everyone else gets 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    if request.user.is_active and request.user.is_staff:
        next_url = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return redirect(next_url)
        return redirect("admin:index")
    raise Http404("Page not found")


admin.site.login = admin_login
admin.site.site_header = "caseaudit operators"

# allauth's account pages, less those this service does not offer: nobody signs up (people are
# invited), and the address someone was invited at is their sign-in, so there is no email-address
# management, email confirmation or sign-in by emailed code.
NOT_OFFERED = {
    "account_signup",
    "account_email",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_confirm_login_code",
}
account_patterns = [p for p in account_urls.urlpatterns if p.name not in NOT_OFFERED]

urlpatterns = [
    path("", pages_views.home, name="home"),
    path("accessibility/", pages_views.accessibility, name="accessibility"),
    path("privacy/", pages_views.privacy, name="privacy"),
    path("cookies/", pages_views.cookies, name="cookies"),
    path("partnership/switch/", accounts_views.partnership_switch, name="partnership_switch"),
    path("partnership/settings/", accounts_views.partnership_settings, name="partnership_settings"),
    path("session/status/", accounts_views.session_status, name="session_status"),
    path("session/extend/", accounts_views.session_extend, name="session_extend"),
    path("session/timed-out/", accounts_views.session_timed_out, name="session_timed_out"),
    path("people/", accounts_views.people, name="people"),
    path("people/invite/", accounts_views.person_invite, name="person_invite"),
    path("people/<int:pk>/", accounts_views.person_detail, name="person_detail"),
    path("people/<int:pk>/role/", accounts_views.person_role, name="person_role"),
    path("people/<int:pk>/deactivate/", accounts_views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", accounts_views.person_reactivate, name="person_reactivate"),
    path(
        "invitations/<int:pk>/withdraw/",
        accounts_views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitation/<str:token>/", accounts_views.invitation_accept, name="invitation_accept"),
    path("agencies/", accounts_views.agencies, name="agencies"),
    path("agencies/add/", accounts_views.agency_add, name="agency_add"),
    path("agencies/<int:pk>/edit/", accounts_views.agency_edit, name="agency_edit"),
    path("access-log/", accesslog_views.access_log, name="access_log"),
    path("audits/", include("caseaudit.audits.urls")),
    path("population/", include("caseaudit.population.urls")),
    path("templates/", include("caseaudit.questionnaires.urls")),
    path("", include("caseaudit.returns.urls")),
    path("", include("caseaudit.analysis.urls")),
    path("", include("caseaudit.themes.urls")),
    path("", include("caseaudit.findings.urls")),
    path("", include("caseaudit.publications.urls")),
    path("", include("caseaudit.exports.urls")),
    path("", include("caseaudit.moderation.urls")),
    path("", include("caseaudit.concerns.urls")),
    path("", include("caseaudit.actions.urls")),
    path("", include("caseaudit.notifications.urls")),
    path("api/v1/", include("caseaudit.api.urls")),
    path("", include("caseaudit.api.urls_pages")),
    path("accounts/", include(account_patterns)),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/sessions/", include("allauth.usersessions.urls")),
    path("django-admin/", admin.site.urls),
]
