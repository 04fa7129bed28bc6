from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "caseaudit.analysis"
    label = "analysis"
    verbose_name = "Collation and analysis"
