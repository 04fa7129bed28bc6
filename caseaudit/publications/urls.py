from django.urls import path

from caseaudit.publications import views

urlpatterns = [
    path("audits/<int:pk>/publications/", views.publications_list, name="publications"),
    path(
        "audits/<int:pk>/publications/versions/<int:version_pk>/",
        views.publication_version,
        name="publication_version",
    ),
    path(
        "audits/<int:pk>/publications/versions/<int:version_pk>/<slug:fmt>/",
        views.publication_download,
        name="publication_download",
    ),
    path(
        "audits/<int:pk>/publications/<slug:product>/",
        views.publication_preview,
        name="publication_preview",
    ),
    path(
        "audits/<int:pk>/publications/<slug:product>/accept/",
        views.publication_hit_accept,
        name="publication_hit_accept",
    ),
    path(
        "audits/<int:pk>/publications/<slug:product>/publish/",
        views.publication_publish,
        name="publication_publish",
    ),
]
