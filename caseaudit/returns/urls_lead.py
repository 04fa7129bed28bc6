"""The audit lead's side of requests: the tracker, creating, sending and chasing requests."""

urlpatterns: list = []
