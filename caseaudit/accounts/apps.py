from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caseaudit.accounts"
    label = "accounts"
    verbose_name = "Partnerships and people"

    def ready(self) -> None:
        from caseaudit.accounts import signals  # noqa: F401
