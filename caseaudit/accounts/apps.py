from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caseaudit.accounts"
    label = "accounts"
    verbose_name = "Partnerships and people"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from caseaudit.accounts import signals

        # The shared cache lives in a database table; every `migrate` makes sure it exists, so
        # no deployment can forget it.
        post_migrate.connect(signals.create_cache_table, sender=self)
