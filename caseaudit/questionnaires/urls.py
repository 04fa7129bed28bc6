from django.urls import path  # noqa: F401

from caseaudit.questionnaires import views  # noqa: F401

urlpatterns: list = []
