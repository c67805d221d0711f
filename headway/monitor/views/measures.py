"""Placeholder: being built."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.home")


def dashboard(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.dashboard")


def create(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.create")


def detail(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.detail")


def edit(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.edit")


def remove(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.remove")


def points(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.points")


def upload(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.upload")


def point_remove(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.point_remove")


def rebase(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.rebase")


def rebase_remove(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.rebase_remove")


def annotation_list(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.annotations")


def annotation_remove(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("measures.annotation_remove")
