from django.urls import path

from caseaudit.actions import views

urlpatterns = [
    path("actions/", views.action_list, name="action_list"),
    path("actions/tracker/", views.action_tracker, name="action_tracker"),
    path("actions/mine/", views.my_actions, name="my_actions"),
    path("actions/new/", views.action_new, name="action_new"),
    path(
        "actions/new/concern/<int:pk>/",
        views.action_new_from_concern,
        name="action_new_from_concern",
    ),
    path(
        "actions/new/recommendation/<int:pk>/",
        views.action_new_from_recommendation,
        name="action_new_from_recommendation",
    ),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action_complete"),
    path("actions/<int:pk>/cancel/", views.action_cancel, name="action_cancel"),
]
