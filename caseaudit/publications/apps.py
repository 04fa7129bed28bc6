from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "caseaudit.publications"
    label = "publications"
    verbose_name = "Publications"
