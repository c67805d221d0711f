"""(being written)"""

from typing import Any

from django.http import Http404


def pdf(*args: Any, **kwargs: Any) -> Any:
    raise Http404


def docx(*args: Any, **kwargs: Any) -> Any:
    raise Http404


def publish(*args: Any, **kwargs: Any) -> Any:
    raise Http404


def summary(*args: Any, **kwargs: Any) -> Any:
    raise Http404
