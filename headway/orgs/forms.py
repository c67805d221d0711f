from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from headway.orgs.models import GRADE_ORDER, Organization, SchoolYear
from headway.orgs.roles import Role


class NetworkForm(forms.ModelForm[Organization]):
    class Meta:
        model = Organization
        fields = ["name", "description"]


class DistrictForm(forms.ModelForm[Organization]):
    class Meta:
        model = Organization
        fields = ["name", "local_id", "state", "description"]

    def clean_state(self) -> str:
        state = str(self.cleaned_data["state"]).strip().upper()
        if state and not (len(state) == 2 and state.isalpha()):
            raise forms.ValidationError(_("Use the two-letter state abbreviation, e.g. VA."))
        return state


class SchoolForm(forms.ModelForm[Organization]):
    class Meta:
        model = Organization
        fields = [
            "name",
            "local_id",
            "level",
            "grade_low",
            "grade_high",
            "enrollment",
            "pct_econ_disadvantaged",
            "pct_english_learners",
            "pct_disabilities",
            "locale",
            "designation",
            "designation_year",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("grade_low"), data.get("grade_high")
        if low and high and GRADE_ORDER.index(low) > GRADE_ORDER.index(high):
            self.add_error("grade_high", _("The highest grade cannot come before the lowest."))
        designated = data.get("designation") not in (None, "", Organization.Designation.NONE)
        if designated and not data.get("designation_year"):
            self.add_error(
                "designation_year", _("Give the school year the designation started in.")
            )
        return data


class SchoolYearForm(forms.ModelForm[SchoolYear]):
    class Meta:
        model = SchoolYear
        fields = ["start_year", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, district: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, year = data.get("start_date"), data.get("end_date"), data.get("start_year")
        if start and end and end <= start:
            self.add_error("end_date", _("The last day must come after the first day."))
        if year and start and start.year not in (year, year + 1):
            self.add_error(
                "start_date",
                _("The first day must fall in %(y)s or %(n)s.") % {"y": year, "n": year + 1},
            )
        duplicate = SchoolYear.objects.filter(district=self.instance.district, start_year=year or 0)
        if year and duplicate.exclude(pk=self.instance.pk).exists():
            self.add_error("start_year", _("This school year already exists."))
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    access_expires_on = forms.DateField(
        label=_("Access ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required for reviewers and outside facilitators; optional otherwise."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.REVIEWER and not data.get("access_expires_on"):
            self.add_error(
                "access_expires_on", _("Reviewers get access for a set time: give an end date.")
            )
        return data
