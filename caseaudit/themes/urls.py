from django.urls import path

from caseaudit.themes import views

urlpatterns = [
    path("audits/<int:pk>/comments/", views.audit_comments, name="audit_comments"),
    path(
        "audits/<int:pk>/comments/<int:answer_pk>/themes/",
        views.audit_comment_themes,
        name="audit_comment_themes",
    ),
    path("themes/", views.theme_list, name="theme_list"),
]
