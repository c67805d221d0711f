from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from headway.ops.models import WorkerHeartbeat

IMMEDIATE = "django.tasks.backends.immediate.ImmediateBackend"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except DatabaseError:
        return False


def _worker_status() -> str:
    if settings.TASKS["default"]["BACKEND"] == IMMEDIATE:
        return "inline"
    try:
        return "ok" if WorkerHeartbeat.alive() else "down"
    except DatabaseError:
        return "unknown"


# /health/
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    database = "ok" if _database_ok() else "down"
    worker = _worker_status() if database == "ok" else "unknown"
    healthy = database == "ok" and worker in ("ok", "inline")
    body = {"status": "ok" if healthy else "unhealthy", "database": database, "worker": worker}
    return JsonResponse(body, status=200 if healthy else 503)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
