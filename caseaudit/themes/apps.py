from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "caseaudit.themes"
    label = "themes"
    verbose_name = "Practice themes of comments"
