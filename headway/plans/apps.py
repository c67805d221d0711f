from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "headway.plans"
    verbose_name = "Needs assessment and plans"

    def ready(self) -> None:
        from headway.plans import signals  # noqa: PLC0415  (models are ready only now)

        signals.connect()
