from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "headway.audit"
    verbose_name = "Audit log"
