"""The audit lead's side of requests: the tracker, creating, sending and chasing requests."""

from django.urls import path

from caseaudit.returns import views_lead as views

AUDIT = "audits/<int:pk>/"
RETURN = "returns/<int:pk>/"

urlpatterns = [
    path(f"{AUDIT}template/", views.audit_template, name="audit_template"),
    path(f"{AUDIT}requests/", views.audit_requests, name="audit_requests"),
    path(f"{AUDIT}requests/create/", views.audit_requests_create, name="audit_requests_create"),
    path(f"{AUDIT}requests/send/", views.audit_requests_send, name="audit_requests_send"),
    path(f"{AUDIT}requests/chase/", views.audit_requests_chase, name="audit_requests_chase"),
    path(
        f"{AUDIT}requests/case/<int:case_pk>/",
        views.audit_case_agencies,
        name="audit_case_agencies",
    ),
    path(f"{AUDIT}reminders/", views.audit_reminders, name="audit_reminders"),
    path(f"{RETURN}reassign/", views.return_reassign, name="return_reassign"),
    path(f"{RETURN}due-date/", views.return_due_date, name="return_due_date"),
    path(f"{RETURN}chase/", views.return_chase, name="return_chase"),
    path(f"{RETURN}reopen/", views.return_reopen, name="return_reopen"),
    path(f"{RETURN}inadmissible/", views.return_inadmissible, name="return_inadmissible"),
    path(f"{RETURN}history/", views.return_history, name="return_history"),
]
