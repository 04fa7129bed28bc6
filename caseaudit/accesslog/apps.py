from django.apps import AppConfig


class AccessLogConfig(AppConfig):
    name = "caseaudit.accesslog"
    label = "accesslog"
    verbose_name = "Access log"

    def ready(self) -> None:
        from caseaudit.accesslog import signals  # noqa: F401
