"""Saves that never silently overwrite someone else's: the one place for edit conflicts.

A form carries the ``revision`` its record had when the form was opened. Saving updates
the row only while it still has that revision, and bumps it; if another person saved
first, nothing is written and ``Stale`` tells the view to show both versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Sent after ``save_revision`` wrote a record (an update() sends no post_save), with
# ``instance`` and ``fields``: the names written.
revision_saved = Signal()


class Stale(Exception):
    """Someone else saved the record after this form was opened."""


def save_revision(instance: models.Model, expected: int, fields: Iterable[str]) -> None:
    """Write ``fields`` of ``instance`` if its stored revision is still ``expected``."""
    model: Any = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        values["updated_at"] = timezone.now()
    updated = model.objects.filter(pk=instance.pk, revision=expected).update(
        revision=F("revision") + 1, **values
    )
    if not updated:
        raise Stale
    instance.revision = expected + 1  # type: ignore[attr-defined]
    revision_saved.send(sender=model, instance=instance, fields=frozenset(values))


class RevisionField(forms.IntegerField):
    """The revision the record had when the form was opened (0: not written yet)."""

    def __init__(self) -> None:
        super().__init__(
            widget=forms.HiddenInput,
            min_value=0,
            error_messages={"required": _("The form is out of date: open it again.")},
        )
