"""Placeholder: being built."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def todos(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("issues.todos")


def todo_done(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("issues.todo_done")


def overview(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("issues.overview")


def detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("issues.detail")
