from django.urls import include, path

from caseaudit.returns import views

urlpatterns = [
    path("returns/", views.my_returns, name="my_returns"),
    path("returns/<int:pk>/", views.return_start, name="return_start"),
    path("returns/<int:pk>/section/<int:number>/", views.return_section, name="return_section"),
    path("returns/<int:pk>/autosave/", views.return_autosave, name="return_autosave"),
    path("returns/<int:pk>/check/", views.return_check, name="return_check"),
    path("returns/<int:pk>/submitted/", views.return_submitted, name="return_submitted"),
    path("returns/<int:pk>/decline/", views.return_decline, name="return_decline"),
    path("returns/<int:pk>/concern/", views.return_concern, name="return_concern"),
    path(
        "returns/<int:pk>/identifying-details/",
        views.return_identifying_details,
        name="return_identifying_details",
    ),
    path("", include("caseaudit.returns.urls_lead")),
]
