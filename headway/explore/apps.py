from django.apps import AppConfig


class ExploreConfig(AppConfig):
    name = "headway.explore"
    verbose_name = "Results by student group"

    def ready(self) -> None:
        from headway.explore import signals  # noqa: F401  (connects the receivers)
