from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "headway.ops"
    verbose_name = "Operations"
