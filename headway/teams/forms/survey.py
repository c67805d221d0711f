"""Forms for the team-effectiveness self-assessment: opening a round, and answering it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from headway.teams.characteristics import CHARACTERISTICS, SCALE_LABELS, Characteristic

MAX_COMMENT = 1000


def default_title() -> str:
    """ "Self-assessment, November 2026" for the current month."""
    month = date_format(timezone.localdate(), "F Y")
    return gettext("Self-assessment, %(month)s") % {"month": month}


class OpenRoundForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Members see this name. Leave it as it is, or name the occasion."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = default_title()

    def clean_title(self) -> str:
        title = str(self.cleaned_data["title"]).strip()
        return title or default_title()


def comment_name(slug: str) -> str:
    return f"{slug}_comment"


class AnswerForm(forms.Form):
    """One 1–5 rating (required) and one comment (optional) per characteristic."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for characteristic in CHARACTERISTICS:
            self.fields[characteristic.slug] = _rating_field(characteristic)
            self.fields[comment_name(characteristic.slug)] = _comment_field(characteristic)

    def questions(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Each characteristic's rating and comment, for the template to group."""
        return [(self[c.slug], self[comment_name(c.slug)]) for c in CHARACTERISTICS]

    def ratings(self) -> dict[str, int]:
        return {c.slug: self.cleaned_data[c.slug] for c in CHARACTERISTICS}

    def comments(self) -> dict[str, str]:
        """Only the comments someone wrote."""
        texts = {c.slug: self.cleaned_data[comment_name(c.slug)].strip() for c in CHARACTERISTICS}
        return {slug: text for slug, text in texts.items() if text}


def _rating_field(characteristic: Characteristic) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=str(characteristic.name),
        help_text=str(characteristic.statement),
        choices=[(value, f"{value} – {label}") for value, label in SCALE_LABELS.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how true this is of the team, from 1 to 5."),
            "invalid_choice": _("Choose a number from 1 (not at all) to 5 (fully)."),
        },
    )


def _comment_field(characteristic: Characteristic) -> forms.CharField:
    return forms.CharField(
        label=gettext("Comment on “%(name)s” (optional)") % {"name": characteristic.name},
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": _("Keep the comment to %(limit_value)s characters or fewer.")
        },
    )
