"""Forms of the review: submitting a plan, deciding on it, and commenting on its sections."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from headway.plans.models import Decision


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the reviewers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what changed, or what you would like them to look at."),
    )


class DecideForm(forms.Form):
    """The district's decision; for the state's, also who approved it there and when."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to approve it or to ask for changes.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("When asking for changes, say what needs to change."),
    )

    def __init__(self, *args: Any, level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.level = level
        if level == Decision.Level.STATE:
            self.fields["outcome"].label = _("The state's decision")
            self.fields["name"] = forms.CharField(
                label=_("Approved by"),
                max_length=200,
                help_text=_("Who decided at the state, with their title."),
                error_messages={"required": _("Say who decided at the state.")},
            )
            self.fields["decided_on"] = forms.DateField(
                label=_("Date of the state's decision"),
                widget=forms.DateInput(attrs={"type": "date"}),
                error_messages={
                    "required": _("Give the date of the state's decision."),
                    "invalid": _("Give the date as year-month-day, for example 2025-10-01."),
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Decision.Outcome.CHANGES and not data.get("comment"):
            self.add_error("comment", _("Say what needs to change."))
        decided_on = data.get("decided_on")
        if decided_on and decided_on > timezone.localdate():
            self.add_error("decided_on", _("The date cannot be in the future."))
        return data

    def extra(self) -> dict[str, Any]:
        """The state's approver and date, for review.decide()."""
        return {k: self.cleaned_data[k] for k in ("name", "decided_on") if k in self.cleaned_data}


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your comment first.")},
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)
