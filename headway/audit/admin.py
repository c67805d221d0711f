from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from headway.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit log can be searched but never changed."""

    list_display = ["at", "actor_email", "action", "outcome", "org", "object_type", "object_id"]
    list_filter = ["outcome", "action"]
    search_fields = ["actor_email", "action", "object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
