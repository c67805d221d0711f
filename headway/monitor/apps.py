from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "headway.monitor"
    verbose_name = "Monitoring, meetings and evaluation"
