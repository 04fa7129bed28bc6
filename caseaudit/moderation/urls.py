from django.urls import path

from caseaudit.moderation import views

urlpatterns = [
    path("grading-scale/", views.grading_scale, name="grading_scale"),
    path("audits/<int:pk>/meeting/", views.meeting_detail, name="meeting_detail"),
    path("audits/<int:pk>/meeting/record/", views.meeting_record, name="meeting_record"),
    path(
        "audits/<int:pk>/meeting/cases/<int:case_pk>/",
        views.case_discussion_record,
        name="case_discussion_record",
    ),
    path("audits/<int:pk>/grades/", views.audit_grades, name="audit_grades"),
    path("audits/<int:pk>/grades/<int:case_pk>/", views.case_grade, name="case_grade"),
    path(
        "audits/<int:pk>/grades/<int:case_pk>/grade/",
        views.case_grade_record,
        name="case_grade_record",
    ),
    path(
        "audits/<int:pk>/grades/<int:case_pk>/moderate/",
        views.case_grade_moderate,
        name="case_grade_moderate",
    ),
    path("audits/<int:pk>/engagement/", views.audit_engagement, name="audit_engagement"),
    path(
        "audits/<int:pk>/engagement/<int:case_pk>/",
        views.engagement_record,
        name="engagement_record",
    ),
]
