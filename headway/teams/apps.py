from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "headway.teams"
    verbose_name = "Partnership and improvement teams"

    def ready(self) -> None:
        from headway.teams import signals  # noqa: F401  (connects the receivers)
