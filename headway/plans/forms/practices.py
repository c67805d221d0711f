"""Forms for the practice self-assessment: a district's indicator file and a school's ratings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField
from headway.orgs.models import Organization
from headway.plans.indicators import (
    EXTENSIONS,
    MAX_BYTES,
    IndicatorFileError,
    Row,
    load_indicator_file,
)
from headway.plans.models import Indicator, PracticeRating

RATED = ("status", "evidence", "priority")
# Short labels fit the ratings table; the question in each group's legend gives the context.
SHORT_STATUS = [
    ("", _("Not rated")),
    (PracticeRating.Status.FULL, _("Full")),
    (PracticeRating.Status.LIMITED, _("Limited")),
    (PracticeRating.Status.NONE, _("None")),
]


class IndicatorFileForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the set"),
        max_length=200,
        help_text=_("For example: State framework for effective schools, 2025."),
        error_messages={"required": _("Give the set a name your schools will recognize.")},
    )
    file = forms.FileField(
        label=_("File of indicators"),
        help_text=_("A .csv, .yaml or .yml file of at most 1 MB, laid out as shown above."),
        error_messages={"required": _("Choose the file to load.")},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args: Any, district: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district
        self.rows: list[Row] = []

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if self.district.indicator_sets.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("The district already has a set named “%(name)s”; choose another name.")
                % {"name": name}
            )
        return name

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            self.rows = load_indicator_file(upload.name, upload.read())
        except IndicatorFileError as err:
            raise forms.ValidationError(str(err)) from err
        return upload


class NotesField(forms.CharField):
    """Text whose line breaks compare equal however the browser sent them."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n")


@dataclass(frozen=True)
class RatingRow:
    """One indicator's controls on the ratings form."""

    indicator: Indicator
    status: forms.BoundField
    evidence: forms.BoundField
    priority: forms.BoundField
    revision: forms.BoundField


def field_name(indicator: Indicator, part: str) -> str:
    return f"i{indicator.pk}_{part}"


def stored_values(rating: PracticeRating | None) -> dict[str, Any]:
    if rating is None:
        return {"status": "", "evidence": "", "priority": "", "revision": 0}
    return {
        "status": rating.status,
        "evidence": rating.evidence,
        "priority": rating.priority,
        "revision": rating.revision,
    }


class RatingsForm(forms.Form):
    """Every indicator's status, evidence and priority, with the revision each row had.

    The status, evidence and priority fields carry their values as the form was opened
    (Django's hidden initial values), so saving writes only the rows the person changed.
    """

    def __init__(
        self,
        *args: Any,
        indicators: list[Indicator],
        stored: dict[int, PracticeRating],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self._add_fields(indicator, stored_values(stored.get(indicator.pk)))

    def _add_fields(self, indicator: Indicator, values: dict[str, Any]) -> None:
        ref = {"ref": indicator.ref}
        fields: dict[str, forms.Field] = {
            "status": forms.ChoiceField(
                label=_("How fully is %(ref)s in place?") % ref,
                choices=SHORT_STATUS,
                required=False,
                widget=forms.RadioSelect,
            ),
            "evidence": NotesField(
                label=_("Evidence for %(ref)s") % ref,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "cols": 24}),
            ),
            "priority": forms.ChoiceField(
                label=_("Priority of %(ref)s") % ref,
                choices=[("", _("Not set")), *PracticeRating.Priority.choices],
                required=False,
                widget=forms.RadioSelect,
            ),
            "revision": RevisionField(),
        }
        for part, field in fields.items():
            field.show_hidden_initial = part in RATED
            name = field_name(indicator, part)
            self.fields[name] = field
            self.initial[name] = values[part]

    def rows(self) -> Iterator[RatingRow]:
        for indicator in self.indicators:
            parts = [self[field_name(indicator, part)] for part in (*RATED, "revision")]
            yield RatingRow(indicator, *parts)

    def values(self, indicator: Indicator) -> dict[str, str]:
        return {part: self.cleaned_data[field_name(indicator, part)] for part in RATED}

    def revision(self, indicator: Indicator) -> int:
        revision: int = self.cleaned_data[field_name(indicator, "revision")]
        return revision

    def changed_indicators(self) -> list[Indicator]:
        """The indicators whose status, evidence or priority the person changed."""
        changed = set(self.changed_data)
        return [
            indicator
            for indicator in self.indicators
            if any(field_name(indicator, part) in changed for part in RATED)
        ]
