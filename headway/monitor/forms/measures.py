"""The forms of measures, their points, rebases and the cycle's annotations.

A percent measure stores shares (0–1) and people type percents (0–100): the forms convert
both ways (``typed``/``stored``), so a target of 95 is kept as 0.95. A p chart's point is a
count out of a size; its value is the share.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField
from headway.monitor.models import Annotation, Measure, Rebase
from headway.plans.models import Cycle

DATE = forms.DateInput(attrs={"type": "date"})
MAX_UPLOAD = 1_000_000  # bytes: a few thousand rows
P_NEEDS_PERCENT = _("A p chart shows a share of a whole: choose the unit “Percent”.")
P_NEEDS_COUNTS = _(
    "A goal's results come without counts: choose a run chart or a control chart for "
    "single values (XmR)."
)
NOT_A_PERCENT = _("Give a percent between 0 and 100.")


def percent(unit: str) -> bool:
    return unit == Measure.Unit.PERCENT


def stored(unit: str, typed: float | None) -> float | None:
    """What is kept for a typed value: 95 → 0.95 for a percent measure."""
    if typed is None:
        return None
    return typed / 100 if percent(unit) else typed


def typed(unit: str, value: float | None) -> float | None:
    """What a form shows for a stored value: 0.95 → 95 for a percent measure."""
    if value is None:
        return None
    return round(value * 100, 6) if percent(unit) else value


class ReadingForm(forms.ModelForm[Measure]):
    """How the chart is read: its kind, its rules and a frozen baseline."""

    revision = RevisionField()

    class Meta:
        model = Measure
        fields = ["chart", "rules", "baseline_points"]
        labels = {
            "chart": _("Chart"),
            "rules": _("Rules for signals"),
            "baseline_points": _("Freeze the centre line after this many results"),
        }
        help_texts = {
            "rules": _(
                "Anhøj's rules (the default) look for a long run on one side of the centre "
                "line and too few crossings of it. The IHI rules look for a shift (6 in a row "
                "on one side), a trend (5 in a row going the same way) and a result far "
                "outside the usual range."
            ),
            "baseline_points": _(
                "The centre line (and limits) come from the first results only; later results "
                "are read against them. Leave empty to use every result of the first phase."
            ),
        }
        error_messages = {
            "baseline_points": {
                "min_value": _("Freeze the centre line after at least 2 results."),
                "invalid": _("Give a whole number of results, such as 8."),
            },
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("chart") == Measure.Chart.P:
            if self.instance.goal_id is not None:
                self.add_error("chart", P_NEEDS_COUNTS)
            elif not percent(data.get("unit", self.instance.unit)):
                self.add_error("chart", P_NEEDS_PERCENT)
        return data


class MeasureForm(forms.ModelForm[Measure]):
    """A team's own measure: what it is, how it is read, and where it should get to."""

    target = forms.FloatField(
        label=_("Target"),
        required=False,
        help_text=_("Where the measure should get to, in percent for a percent measure."),
        error_messages={"invalid": _("Give a number, such as 95.")},
    )
    start_value = forms.FloatField(
        label=_("Starting value"),
        required=False,
        help_text=_(
            "Where the measure stood when the target was set; leave empty to start from the "
            "first result."
        ),
        error_messages={"invalid": _("Give a number, such as 88.")},
    )
    SAVED = (
        "name",
        "description",
        "unit",
        "direction",
        "chart",
        "rules",
        "baseline_points",
        "target",
        "target_on",
        "start_value",
    )

    class Meta:
        model = Measure
        fields = [
            "name",
            "description",
            "unit",
            "direction",
            "chart",
            "rules",
            "baseline_points",
            "target_on",
        ]
        labels = {
            "name": _("Measure"),
            "description": _("How it is measured"),
            "unit": _("Unit"),
            "direction": _("Which way is better"),
            "chart": _("Chart"),
            "rules": _("Rules for signals"),
            "baseline_points": _("Freeze the centre line after this many results"),
            "target_on": _("Target date"),
        }
        widgets = {"target_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "name": _(
                "What the team counts, in a few words. For example: weekly attendance rate, "
                "or the share of classrooms where the learning target is posted."
            ),
            "unit": _("A percent is typed as 0–100; a p chart needs a percent."),
            "baseline_points": ReadingForm.Meta.help_texts["baseline_points"],
            "rules": ReadingForm.Meta.help_texts["rules"],
            "target_on": _("The day the target should be reached by."),
        }
        error_messages = {
            "name": {"required": _("Say in a few words what the team measures.")},
            **ReadingForm.Meta.error_messages,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            unit = self.instance.unit
            self.initial["target"] = typed(unit, self.instance.target)
            self.initial["start_value"] = typed(unit, self.instance.start_value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit = data.get("unit", Measure.Unit.PERCENT)
        for name in ("target", "start_value"):
            value = data.get(name)
            if value is not None and percent(unit) and not 0 <= value <= 100:
                self.add_error(name, NOT_A_PERCENT)
        if data.get("target") is not None and not data.get("target_on"):
            self.add_error("target_on", _("Give the date the target should be reached by."))
        if data.get("target_on") and data.get("target") is None:
            self.add_error("target", _("Give the target to reach by that date."))
        if data.get("chart") == Measure.Chart.P and not percent(unit):
            self.add_error("chart", P_NEEDS_PERCENT)
        return data

    def save(self, commit: bool = True) -> Measure:
        measure = super().save(commit=False)
        unit = self.cleaned_data["unit"]
        measure.target = stored(unit, self.cleaned_data.get("target"))
        measure.start_value = stored(unit, self.cleaned_data.get("start_value"))
        if commit:
            measure.save()
        return measure


class MeasureEditForm(MeasureForm):
    revision = RevisionField()


class GoalMeasureForm(forms.ModelForm[Measure]):
    """A goal's measure: its name and how it is read; the goal sets the rest."""

    revision = RevisionField()
    SAVED = ("name", "description", "chart", "rules", "baseline_points")

    class Meta:
        model = Measure
        fields = ["name", "description", "chart", "rules", "baseline_points"]
        labels = MeasureForm.Meta.labels
        widgets = MeasureForm.Meta.widgets
        help_texts = {
            "name": _("The goal's words, or shorter ones for the charts."),
            "baseline_points": ReadingForm.Meta.help_texts["baseline_points"],
            "rules": ReadingForm.Meta.help_texts["rules"],
        }
        error_messages = MeasureForm.Meta.error_messages

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("chart") == Measure.Chart.P:
            self.add_error("chart", P_NEEDS_COUNTS)
        return data


# --- points ------------------------------------------------------------------------------------


def future_error(on: date) -> str:
    """Why ``on`` cannot be a result's date ("" when it can)."""
    today = timezone.localdate()
    if on > today:
        return str(
            _("A result cannot be dated after today (%(today)s).")
            % {"today": date_format(today, "DATE_FORMAT")}
        )
    return ""


class PointForm(forms.Form):
    """One result typed by hand: a value, or a count out of a size for a p chart."""

    on = forms.DateField(
        label=_("Date"),
        widget=DATE,
        error_messages={
            "required": _("Give the date of the result."),
            "invalid": _("Give a date such as 2025-09-29."),
        },
    )
    value = forms.FloatField(
        label=_("Value"),
        required=False,
        error_messages={"invalid": _("Give a number, such as 92.5.")},
    )
    count = forms.IntegerField(
        label=_("Count"),
        required=False,
        min_value=0,
        help_text=_("How many were counted: for example, classrooms where the target was posted."),
        error_messages={"invalid": _("Give a whole number, such as 12.")},
    )
    size = forms.IntegerField(
        label=_("Out of"),
        required=False,
        min_value=1,
        help_text=_("Out of how many: for example, classrooms visited."),
        error_messages={"invalid": _("Give a whole number, such as 20.")},
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    replace = forms.BooleanField(
        label=_("Replace the result already there for this date"), required=False
    )

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.existing: float | None = None  # the stored value of a result on the same day
        if self.is_p_chart:
            del self.fields["value"]
            required = {"count": _("Give the count."), "size": _("Give how many it is out of.")}
            for name, message in required.items():
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = message
            return
        del self.fields["count"], self.fields["size"]
        value = self.fields["value"]
        value.required = True
        value.error_messages["required"] = _("Give the result.")
        if percent(measure.unit):
            value.label = _("Value (percent, 0–100)")

    @property
    def is_p_chart(self) -> bool:
        return self.measure.chart == Measure.Chart.P

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        if error := future_error(on):
            raise forms.ValidationError(error)
        return on

    def clean_value(self) -> float | None:
        value: float | None = self.cleaned_data.get("value")
        if value is not None and percent(self.measure.unit) and not 0 <= value <= 100:
            raise forms.ValidationError(NOT_A_PERCENT)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        count, size = data.get("count"), data.get("size")
        if count is not None and size is not None and count > size:
            self.add_error("count", _("The count cannot be more than the number it is out of."))
        on = data.get("on")
        if on is not None and not data.get("replace"):
            found = self.measure.points.filter(on=on).first()
            if found is not None:
                self.existing = found.value
                self.add_error("on", self._taken(on, found.value))
        return data

    def _taken(self, on: date, value: float) -> str:
        shown = typed(self.measure.unit, value)
        unit = "%" if percent(self.measure.unit) else ""
        return str(
            _(
                "There is already a result for %(date)s (%(value)s). Tick “Replace the result "
                "already there” to replace it, or choose another date."
            )
            % {"date": date_format(on, "DATE_FORMAT"), "value": f"{shown:g}{unit}"}
        )

    def point_values(self) -> tuple[float, float | None, float | None]:
        """(value as stored, count, size) of the cleaned form."""
        data = self.cleaned_data
        if self.is_p_chart:
            count, size = float(data["count"]), float(data["size"])
            return count / size, count, size
        value = stored(self.measure.unit, data["value"])
        assert value is not None
        return value, None, None


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        error_messages={
            "required": _("Choose a CSV file to upload."),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than %(kb)s KB: split it into smaller files.")
                % {"kb": MAX_UPLOAD // 1000}
            )
        return upload


# --- rebases and annotations -------------------------------------------------------------------


class RebaseForm(forms.ModelForm[Rebase]):
    class Meta:
        model = Rebase
        fields = ["on", "reason"]
        labels = {"on": _("The new phase starts on"), "reason": _("What changed")}
        widgets = {"on": DATE}
        help_texts = {
            "on": _("The first day of results under the change; earlier results stay as they are."),
            "reason": _("For example: the new attendance policy started, or a new bell schedule."),
        }
        error_messages = {
            "on": {
                "required": _("Give the day the new phase starts."),
                "invalid": _("Give a date such as 2026-01-05."),
            },
            "reason": {"required": _("Say in a few words what changed.")},
        }

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.measure = measure

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        measure = self.instance.measure
        first = measure.points.order_by("on").values_list("on", flat=True).first()
        if first is not None and on <= first:
            raise forms.ValidationError(
                _("A new phase starts after the first result (%(first)s).")
                % {"first": date_format(first, "DATE_FORMAT")}
            )
        if measure.rebases.filter(on=on).exists():
            raise forms.ValidationError(_("A new phase already starts on that day."))
        return on


class MeasureChoice(forms.ModelChoiceField[Measure]):
    def label_from_instance(self, obj: Measure) -> str:
        return obj.name


class AnnotationForm(forms.ModelForm[Annotation]):
    measure = MeasureChoice(
        Measure.objects.none(),
        label=_("On which chart"),
        required=False,
        empty_label=_("Every chart of the cycle"),
    )

    class Meta:
        model = Annotation
        fields = ["on", "kind", "text", "measure"]
        labels = {"on": _("Date"), "kind": _("Kind"), "text": _("What happened")}
        widgets = {"on": DATE}
        help_texts = {
            "text": _(
                "A few words for the events listed under the chart, which marks the date with "
                "the event's number: for example, “PDSA 2: exit tickets in grade 4” or “Flu week”."
            ),
        }
        error_messages = {
            "on": {
                "required": _("Give the date it happened."),
                "invalid": _("Give a date such as 2025-10-06."),
            },
            "text": {"required": _("Say in a few words what happened.")},
        }

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.cycle = cycle
        field = self.fields["measure"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cycle.measures.order_by("order", "created_at")
