from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "caseaudit.findings"
    verbose_name = "Findings"
