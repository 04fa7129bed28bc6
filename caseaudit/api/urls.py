from django.urls import path

from caseaudit.api import views

# Mounted at /api/v1/. No trailing slashes: these paths are a contract scripts use.
urlpatterns = [
    path("openapi.json", views.openapi, name="api_openapi"),
    path("audits", views.audits, name="api_audits"),
    path("audits/<int:pk>/statistics", views.audit_statistics_view, name="api_audit_statistics"),
]
