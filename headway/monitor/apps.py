from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "headway.monitor"
    verbose_name = "Monitoring, meetings and evaluation"

    def ready(self) -> None:
        from headway.monitor import signals  # noqa: F401  (connects the receivers)
