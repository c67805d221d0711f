from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "headway.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from headway.accounts import signals  # noqa: F401
