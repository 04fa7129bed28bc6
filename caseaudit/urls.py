from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from caseaudit.accesslog import views as accesslog_views
from caseaudit.accounts import views as accounts_views
from caseaudit.pages import views as pages_views

# The Django admin signs people in through allauth (password and second factor), never its own
# form, so it cannot be used to skip MFA.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "caseaudit operators"

urlpatterns = [
    path("", pages_views.home, name="home"),
    path("accessibility/", pages_views.accessibility, name="accessibility"),
    path("privacy/", pages_views.privacy, name="privacy"),
    path("cookies/", pages_views.cookies, name="cookies"),
    path("partnership/switch/", accounts_views.partnership_switch, name="partnership_switch"),
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
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
]
