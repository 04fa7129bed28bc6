from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "caseaudit.exports"
    label = "exports"
    verbose_name = "Exports of returns and statistics"
