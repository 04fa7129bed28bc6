from django.urls import path

from caseaudit.questionnaires import views

VERSION = "<int:pk>/versions/<int:number>/"

urlpatterns = [
    path("", views.template_list, name="template_list"),
    path("new/", views.template_new, name="template_new"),
    path("library/", views.template_library, name="template_library"),
    path("import/", views.template_import, name="template_import"),
    path("<int:pk>/", views.template_detail, name="template_detail"),
    path("<int:pk>/edit/", views.template_edit, name="template_edit"),
    path(VERSION, views.template_version, name="template_version"),
    path(f"{VERSION}new-version/", views.template_version_new, name="template_version_new"),
    path(f"{VERSION}preview/", views.template_preview, name="template_preview"),
    path(
        f"{VERSION}download/<str:file_format>/",
        views.template_download,
        name="template_download",
    ),
    path(f"{VERSION}grades/", views.template_grade_scale, name="template_grade_scale"),
    path(f"{VERSION}sections/add/", views.template_section_add, name="template_section_add"),
    path(
        f"{VERSION}sections/<int:section_pk>/",
        views.template_section_edit,
        name="template_section_edit",
    ),
    path(
        f"{VERSION}sections/<int:section_pk>/move/",
        views.template_section_move,
        name="template_section_move",
    ),
    path(
        f"{VERSION}sections/<int:section_pk>/delete/",
        views.template_section_delete,
        name="template_section_delete",
    ),
    path(
        f"{VERSION}sections/<int:section_pk>/questions/add/",
        views.template_question_add,
        name="template_question_add",
    ),
    path(
        f"{VERSION}questions/<int:question_pk>/",
        views.template_question_edit,
        name="template_question_edit",
    ),
    path(
        f"{VERSION}questions/<int:question_pk>/condition/",
        views.template_question_condition,
        name="template_question_condition",
    ),
    path(
        f"{VERSION}questions/<int:question_pk>/move/",
        views.template_question_move,
        name="template_question_move",
    ),
    path(
        f"{VERSION}questions/<int:question_pk>/delete/",
        views.template_question_delete,
        name="template_question_delete",
    ),
]
