"""(being written)"""

from typing import Any

from django.http import Http404


def overview(*args: Any, **kwargs: Any) -> Any:
    raise Http404


def submit(*args: Any, **kwargs: Any) -> Any:
    raise Http404


def decide(*args: Any, **kwargs: Any) -> Any:
    raise Http404


def version(*args: Any, **kwargs: Any) -> Any:
    raise Http404


def comments(*args: Any, **kwargs: Any) -> Any:
    raise Http404


def next_cycle(*args: Any, **kwargs: Any) -> Any:
    raise Http404


def notices(*args: Any, **kwargs: Any) -> Any:
    raise Http404
