"""Sign-ins, sign-outs and failed sign-ins go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from headway.audit.log import record
from headway.audit.models import AuditEvent


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record(request, "auth.login", actor=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(request, "auth.logout", actor=user)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    record(
        request,
        "auth.login_failed",
        outcome=AuditEvent.Outcome.DENIED,
        detail={"email": email},
    )
