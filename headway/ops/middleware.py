from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

log = logging.getLogger("headway.request")

Handler = Callable[[HttpRequest], HttpResponse]


class RequestLogMiddleware:
    """Log one structured line per request: who asked for what, the outcome and how long it took."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        request.META["HEADWAY_REQUEST_ID"] = request_id
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        response["X-Request-ID"] = request_id
        return response


class PermissionsPolicyMiddleware:
    """Turn off browser features that Headway never uses."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response
