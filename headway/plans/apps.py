from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "headway.plans"
    verbose_name = "Needs assessment and plans"
