"""The form that starts an improvement cycle."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from headway.orgs.models import Organization, SchoolYear, current_start_year, school_year_label
from headway.plans.models import Cycle

LENGTHS = [(1, _("One school year")), (2, _("Two school years")), (3, _("Three school years"))]


def start_years(org: Organization) -> list[int]:
    """The school years a cycle may start in: the district's, and always the current one."""
    district = org.district()
    years = set(SchoolYear.objects.filter(district=district).values_list("start_year", flat=True))
    years.add(current_start_year())
    return sorted(years, reverse=True)


class CycleCreateForm(forms.ModelForm[Cycle]):
    first_year = forms.TypedChoiceField(
        label=_("First school year"),
        coerce=int,
        help_text=_("The school year the plan starts with."),
    )
    years = forms.TypedChoiceField(
        label=_("How long the plan runs"),
        coerce=int,
        choices=LENGTHS,
        initial=1,
        widget=forms.RadioSelect,
        help_text=_("Most plans run one school year; some run two or three."),
    )

    class Meta:
        model = Cycle
        fields = ["first_year", "years"]

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.org = org
        first_year = self.fields["first_year"]
        assert isinstance(first_year, forms.TypedChoiceField)
        first_year.choices = [(y, school_year_label(y)) for y in start_years(org)]
        self.initial.setdefault("first_year", current_start_year())

    def clean_first_year(self) -> int:
        year: int = self.cleaned_data["first_year"]
        if Cycle.objects.filter(org=self.instance.org, first_year=year).exists():
            raise forms.ValidationError(
                _("A plan starting in %(year)s already exists. Open it from the Plan page.")
                % {"year": school_year_label(year)}
            )
        return year
