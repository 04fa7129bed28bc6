from django.urls import include, path

urlpatterns = [
    path("", include("caseaudit.returns.urls_lead")),
]
