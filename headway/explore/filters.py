"""What a results page shows: year, subject, grade, measure and the groups to compare.

The choices come from the data the organization has, so a link or bookmark that names
something the data lacks falls back to a sensible default and says so, instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import polars as pl
from django import forms
from django.utils.translation import gettext_lazy as _

from headway.data.core.aggregates import ALL
from headway.explore import labels
from headway.orgs.models import school_year_label

SUBJECT_ORDER = ("math", "ela", "science", "social_studies", "other", ALL)
METRIC_ORDER = tuple(labels.METRICS)


@dataclass(frozen=True)
class Filters:
    school_year: int
    subject: str
    grade: str
    metric: str
    group_type: str

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (links to charts, exports and student lists)."""
        return {
            "year": str(self.school_year),
            "subject": self.subject,
            "grade": self.grade,
            "metric": self.metric,
            "compare": self.group_type,
        }

    def where(self) -> pl.Expr:
        """The rows of one year, subject and grade (every measure and group)."""
        return (
            (pl.col("school_year") == self.school_year)
            & (pl.col("subject") == self.subject)
            & (pl.col("grade") == self.grade)
        )


@dataclass(frozen=True)
class Choices:
    """What the organization's data has, in display order."""

    years: list[int]
    subjects: list[str]
    grades: list[str]
    metrics: list[str]
    group_types: list[str]

    @classmethod
    def of(cls, frame: pl.DataFrame) -> Choices:
        def values(column: str) -> set[Any]:
            return set(frame.get_column(column).unique().drop_nulls().to_list())

        grades = values("grade") - {ALL}
        return cls(
            years=sorted(values("school_year"), reverse=True),
            subjects=[s for s in SUBJECT_ORDER if s in values("subject")],
            grades=[ALL, *sorted(grades, key=_grade_order)],
            metrics=[m for m in METRIC_ORDER if m in values("metric")],
            group_types=[g for g in labels.GROUP_TYPES if g in values("group_type") and g != ALL],
        )

    def default(self) -> Filters:
        metric = self.metrics[0] if self.metrics else "proficiency_rate"
        return Filters(
            school_year=self.years[0] if self.years else 0,
            subject=self._subject_for(metric, self.subjects[0] if self.subjects else ALL),
            grade=ALL,
            metric=metric,
            group_type="race_ethnicity"
            if "race_ethnicity" in self.group_types
            else (self.group_types[0] if self.group_types else ALL),
        )

    def _subject_for(self, metric: str, subject: str) -> str:
        """Attendance and discipline have no subject: their rows say "all"."""
        if metric not in labels.ASSESSMENT_METRICS:
            return ALL
        return subject if subject != ALL else next((s for s in self.subjects if s != ALL), ALL)

    def fit(self, filters: Filters) -> Filters:
        """The filters, with the subject made to fit the measure."""
        return replace(filters, subject=self._subject_for(filters.metric, filters.subject))


def _grade_order(code: str) -> tuple[int, str]:
    order = {"IT": -5, "PR": -4, "PK": -3, "TK": -2, "KG": -1}
    return (order.get(code, int(code) if code.isdigit() else 99), code)


class FilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("School year"), coerce=int)
    subject = forms.ChoiceField(label=_("Subject"))
    grade = forms.ChoiceField(label=_("Grade"))
    metric = forms.ChoiceField(label=_("Measure"))
    compare = forms.ChoiceField(label=_("Compare"))

    def __init__(self, data: object, *, choices: Choices) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.choices = choices
        fields = self.fields
        fields["year"].choices = [(y, school_year_label(y)) for y in choices.years]  # type: ignore[attr-defined]
        fields["subject"].choices = [(s, labels.subject(s)) for s in choices.subjects]  # type: ignore[attr-defined]
        fields["grade"].choices = [(g, labels.grade(g)) for g in choices.grades]  # type: ignore[attr-defined]
        fields["metric"].choices = [(m, labels.metric(m)) for m in choices.metrics]  # type: ignore[attr-defined]
        fields["compare"].choices = [  # type: ignore[attr-defined]
            (g, labels.GROUP_TYPES[g]) for g in choices.group_types
        ]

    def filters(self) -> Filters:
        """The chosen filters; each field that is missing or not in the data gets its default."""
        default = self.choices.default()
        if not self.is_bound:
            return default
        self.is_valid()
        data = self.cleaned_data
        return self.choices.fit(
            Filters(
                school_year=data.get("year", default.school_year),
                subject=data.get("subject", default.subject),
                grade=data.get("grade", default.grade),
                metric=data.get("metric", default.metric),
                group_type=data.get("compare", default.group_type),
            )
        )
