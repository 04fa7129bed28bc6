from django.urls import path

from caseaudit.exports import views

urlpatterns = [
    path("audits/<int:pk>/exports/", views.audit_exports, name="audit_exports"),
    path(
        "audits/<int:pk>/exports/<slug:kind>.<slug:fmt>",
        views.audit_export_download,
        name="audit_export_download",
    ),
]
