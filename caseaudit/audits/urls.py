from django.urls import path

from caseaudit.audits import views

urlpatterns = [
    path("", views.programme, name="programme"),
    path("new/", views.audit_new, name="audit_new"),
    path("<int:pk>/", views.audit_detail, name="audit_detail"),
    path("<int:pk>/edit/", views.audit_edit, name="audit_edit"),
    path("<int:pk>/move/", views.audit_move, name="audit_move"),
    path("<int:pk>/sample/", views.audit_sample, name="audit_sample"),
    path("<int:pk>/sample/lock/", views.audit_sample_lock, name="audit_sample_lock"),
    path(
        "<int:pk>/sample/<int:case_pk>/swap/",
        views.audit_sample_swap,
        name="audit_sample_swap",
    ),
    path(
        "<int:pk>/sample/<int:case_pk>/identifying-details/",
        views.audit_sample_identifying_details,
        name="audit_sample_identifying_details",
    ),
]
