from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def session(request: HttpRequest) -> dict[str, int]:
    """How long a session lasts without activity, and how early the page warns before it ends."""
    seconds = int(settings.SESSION_COOKIE_AGE)
    return {
        "session_seconds": seconds,
        "session_warning": min(int(settings.SESSION_WARNING_SECONDS), seconds // 2),
    }
