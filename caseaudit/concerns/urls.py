from django.urls import path

from caseaudit.concerns import views

urlpatterns = [
    path("concerns/", views.concern_register, name="concern_register"),
    path("concerns/new/", views.concern_new, name="concern_new"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/category/", views.concern_category, name="concern_category"),
    path("concerns/<int:pk>/review/", views.concern_review, name="concern_review"),
    path("concerns/<int:pk>/close/", views.concern_close, name="concern_close"),
]
