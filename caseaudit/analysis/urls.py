from django.urls import path

from caseaudit.analysis import views

urlpatterns = [
    path("trends/", views.partnership_trends, name="trends"),
    path("audits/<int:pk>/dashboard/", views.audit_dashboard, name="audit_dashboard"),
    path("audits/<int:pk>/statistics/", views.audit_statistics_page, name="audit_statistics"),
    path(
        "audits/<int:pk>/statistics/release/",
        views.audit_results_release,
        name="audit_results_release",
    ),
]
