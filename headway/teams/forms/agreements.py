"""Forms for a team's working agreements: writing them, and accepting them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from headway.teams.models import TeamMember

MAX_LENGTH = 300  # characters in one agreement
MAX_ITEMS = 50


class VersionField(forms.IntegerField):
    """The version of the agreements the page was opened at (0 before there are any)."""

    def __init__(self) -> None:
        super().__init__(
            widget=forms.HiddenInput,
            min_value=0,
            error_messages={"required": _("The page is out of date: open it again.")},
        )


class AgreementsForm(forms.Form):
    """The agreements as one text, one per line; cleaned into a list of agreements."""

    items = forms.CharField(
        label=_("Our working agreements"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Write one agreement per line. Empty lines are left out. "
            "Keep each agreement to 300 characters or fewer."
        ),
        error_messages={"required": _("Write at least one agreement.")},
    )
    number = VersionField()

    def clean_items(self) -> list[str]:
        text: str = self.cleaned_data["items"]
        lines = [(i, line.strip()) for i, line in enumerate(text.splitlines(), start=1)]
        items = [(i, line) for i, line in lines if line]
        if not items:
            raise forms.ValidationError(_("Write at least one agreement."))
        errors = [
            forms.ValidationError(
                _("Line %(line)s is %(length)s characters long; shorten it to %(max)s or fewer.")
                % {"line": i, "length": len(line), "max": MAX_LENGTH}
            )
            for i, line in items
            if len(line) > MAX_LENGTH
        ]
        if len(items) > MAX_ITEMS:
            errors.append(
                forms.ValidationError(
                    _("Keep the list to %(max)s agreements or fewer.") % {"max": MAX_ITEMS}
                )
            )
        if errors:
            raise forms.ValidationError(errors)
        return [line for _i, line in items]


class AcceptForm(forms.Form):
    """A member accepting the version of the agreements they read."""

    number = VersionField()


class RecordAcceptanceForm(AcceptForm):
    """A team lead recording that a member without an account accepted (in a meeting, say)."""

    member = forms.ModelChoiceField(
        queryset=TeamMember.objects.none(),
        to_field_name="code",
        label=_("Member"),
        error_messages={
            "invalid_choice": _("Choose a member of this team who has no Headway account.")
        },
    )

    def __init__(self, *args: Any, contacts: QuerySet[TeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = contacts
