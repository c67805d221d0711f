"""Write audit events: reads and exports of student data, grants, and every denial."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

from headway.audit.models import AuditEvent

if TYPE_CHECKING:
    from headway.orgs.models import Organization


def record(
    request: HttpRequest | None,
    action: str,
    *,
    org: Organization | None = None,
    obj: models.Model | None = None,
    outcome: str = AuditEvent.Outcome.ALLOWED,
    detail: dict[str, Any] | None = None,
    actor: Any = None,
) -> AuditEvent:
    user = actor if actor is not None else getattr(request, "user", None)
    known = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        actor=known,
        actor_email=known.email if known is not None else "",
        action=action,
        org=org,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "code", obj.pk)) if obj is not None else "",
        outcome=outcome,
        ip=request.META.get("REMOTE_ADDR") if request is not None else None,
        request_id=request.META.get("HEADWAY_REQUEST_ID", "") if request is not None else "",
        detail=detail or {},
    )
