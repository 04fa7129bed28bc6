from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "caseaudit.actions"
    label = "actions"
    verbose_name = "Actions"
