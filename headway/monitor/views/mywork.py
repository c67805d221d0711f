"""Placeholder: being built."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def page(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("mywork.page")
