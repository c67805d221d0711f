from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "headway.data"
    verbose_name = "Student data"
