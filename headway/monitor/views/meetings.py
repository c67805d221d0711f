"""Placeholder: being built."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def history(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.history")


def start(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.start")


def detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.detail")


def timer(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.timer")


def notes(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.notes")


def attendance(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.attendance")


def headline(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.headline")


def decision(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.decision")


def todo(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.todo")


def rate(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.rate")


def end(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.end")


def recap(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("meetings.recap")
