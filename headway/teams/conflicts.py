"""What a person sees when someone else saved first (headway.lib.revisions raised Stale).

The form comes back with their own input at the stored revision, so saving once more keeps
theirs deliberately, above a table of the fields where the stored version differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _


class Named(Protocol):
    name: str


@dataclass(frozen=True)
class ConflictRow:
    label: str
    stored: str
    yours: str


def _shown(field: forms.Field, value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    labels = {str(k): str(v) for k, v in getattr(field, "choices", [])}
    if isinstance(value, list | tuple):
        return ", ".join(labels.get(str(item), str(item)) for item in value) or "—"
    return labels.get(str(value), str(value)) if value not in (None, "") else "—"


def conflict_rows(form: forms.BaseForm, stored: dict[str, Any]) -> list[ConflictRow]:
    """The fields where the stored version differs from what the person typed."""
    rows = []
    for name, field in form.fields.items():
        if name == "revision" or name not in stored:
            continue
        theirs, yours = _shown(field, stored[name]), _shown(field, form.cleaned_data.get(name))
        if theirs != yours:
            rows.append(ConflictRow(str(field.label), theirs, yours))
    return rows


def reopened(request: HttpRequest, revision: int) -> Any:
    """The person's input again, now at the stored revision: saving once more keeps theirs."""
    data = request.POST.copy()
    data["revision"] = str(revision)
    return data


def say_stale(request: HttpRequest, name: str = "") -> None:
    changed = (
        _("%(name)s was changed by someone else while you were editing.") % {"name": name}
        if name
        else _("The composition rules were changed by someone else while you were editing.")
    )
    advice = _(
        "Nothing of yours was saved yet: compare the two versions below, then save again "
        "to keep yours, or cancel to keep theirs."
    )
    messages.error(request, f"{changed} {advice}")


def on_stale(request: HttpRequest, form: forms.BaseForm, stored: Named) -> list[ConflictRow]:
    """Say that someone else saved first, and what differs between theirs and the form."""
    say_stale(request, stored.name)
    return conflict_rows(form, {name: getattr(stored, name) for name in form.fields})
