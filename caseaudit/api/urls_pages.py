from django.urls import path

from caseaudit.api import views_tokens

urlpatterns = [
    path("account/api-tokens/", views_tokens.api_tokens, name="api_tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        views_tokens.api_token_revoke_view,
        name="api_token_revoke",
    ),
]
