from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "caseaudit.returns"
    label = "returns"
    verbose_name = "Requests and returns"
