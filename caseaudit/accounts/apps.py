from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caseaudit.accounts"
    label = "accounts"
    verbose_name = "Partnerships and people"
