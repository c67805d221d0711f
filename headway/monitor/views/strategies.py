"""Placeholder: being built."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def overview(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("strategies.overview")


def review(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("strategies.review")


def inventory(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("strategies.inventory")


def initiative(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("strategies.initiative")


def initiative_remove(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("strategies.initiative_remove")
