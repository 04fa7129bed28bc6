from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "caseaudit.pages"
    label = "pages"
    verbose_name = "Pages"
