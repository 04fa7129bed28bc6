from django.apps import AppConfig


class PopulationConfig(AppConfig):
    name = "caseaudit.population"
    label = "population"
    verbose_name = "Case population"
