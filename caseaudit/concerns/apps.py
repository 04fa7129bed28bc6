from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "caseaudit.concerns"
    label = "concerns"
    verbose_name = "Cases of Concern"
