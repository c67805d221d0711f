"""The SMART goal form, and the reason a plan may give for having no goal on a gap.

People type rates as percents (55 for 55 %) and gaps in a rate as percentage points; the
goal stores the table's units (0.55). The baseline is never typed: the view fills it from
the data for the chosen indicator and year.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from headway.data.core.aggregates import ALL
from headway.data.core.gaps import HIGHER_IS_WORSE
from headway.explore import labels
from headway.explore.present import is_rate
from headway.lib.revisions import RevisionField
from headway.plans.baselines import Offer, interim_of
from headway.plans.models import Cycle, Goal, NeedsAssessment, Priority
from headway.plans.smart import year_label

CATALOG, OTHER = "catalog", "other"
SEP = ":"  # between a group's type and value in one choice: "english_learner:true"
NO_CHOICE = ("", _("Choose one…"))


def group_key(group_type: str, group_value: str) -> str:
    return f"{group_type}{SEP}{group_value}"


def default_direction(metric: str, gap: bool) -> str:
    """Lower is better for chronic absence, suspension and any gap between groups."""
    if gap or metric in HIGHER_IS_WORSE:
        return Goal.Direction.DECREASE
    return Goal.Direction.INCREASE


def grouped(groups: list[tuple[str, str]]) -> list[tuple[Any, Any]]:
    """Choices of student groups: all students, then one list per kind of group."""
    choices: list[tuple[Any, Any]] = []
    kinds: dict[str, list[tuple[str, str]]] = {}
    for group_type, group_value in groups:
        option = (group_key(group_type, group_value), labels.group(group_type, group_value))
        if group_type == ALL:
            choices.append(option)
        else:
            kinds.setdefault(group_type, []).append(option)
    for group_type, options in kinds.items():
        choices.append((str(labels.GROUP_TYPES.get(group_type, group_type)), options))
    return choices


BASELINE_NOTE = _(
    "The baseline is never typed: it is read from the school's results for the year you "
    "choose, for the students and result chosen above. “Check the goal” shows it before "
    "you save."
)
INTERIM_NOTE = _("A target for each school year before the target year, in the target's units.")


@dataclass(frozen=True)
class Fieldset:
    legend: str
    fields: list[forms.BoundField]
    note: str = ""


class PriorityField(forms.ModelChoiceField[Priority]):
    def label_from_instance(self, obj: Priority) -> str:
        return obj.title


class GoalForm(forms.Form):
    priority = PriorityField(
        label=_("Priority it serves"),
        queryset=Priority.objects.none(),
        required=False,
        empty_label=_("Not tied to a priority yet"),
    )
    statement = forms.CharField(
        label=_("Goal statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "In one sentence: who, what, from where to where, by when. For example: the share "
            "of English learners proficient in math rises from 31% to 40% by spring 2027."
        ),
        error_messages={"required": _("Write the goal in a sentence.")},
    )
    kind = forms.ChoiceField(
        label=_("What the goal measures"),
        choices=[
            (CATALOG, _("A result in the school's data (the usual choice)")),
            (OTHER, _("Another measure Headway has no data for")),
        ],
        initial=CATALOG,
        widget=forms.RadioSelect,
    )
    metric = forms.ChoiceField(label=_("Result"), required=False)
    subject = forms.ChoiceField(
        label=_("Subject"),
        required=False,
        help_text=_("For test results only; attendance and discipline cover every subject."),
    )
    grade = forms.ChoiceField(label=_("Grade"), required=False)
    measure = forms.CharField(
        label=_("Other measure"),
        required=False,
        max_length=300,
        help_text=_("For example: words read correctly per minute on the spring benchmark."),
    )
    measure_kind = forms.ChoiceField(
        label=_("The other measure is"),
        required=False,
        choices=Goal.MeasureKind.choices,
        widget=forms.RadioSelect,
    )
    group = forms.ChoiceField(label=_("Students"))
    compare = forms.ChoiceField(
        label=_("Compared with"),
        required=False,
        help_text=_(
            "Choose a group to make this a goal on closing a gap: how many points the students "
            "above are behind this group."
        ),
    )
    baseline_year = forms.TypedChoiceField(
        label=_("Baseline year"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The baseline itself comes from the school's results for that year."),
    )
    target = forms.FloatField(
        label=_("Target"),
        required=False,
        help_text=_("A percent for rates (55 for 55%), points for a gap, a score for scores."),
    )
    target_year = forms.IntegerField(label=_("Target school year"), required=False)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("The usual one for this result")), *Goal.Direction.choices],
        widget=forms.RadioSelect,
        help_text=_("Usually lower is better for chronic absence, suspension and gaps."),
    )
    spread = forms.BooleanField(
        label=_("Fill every interim target evenly, on a straight line to the target"),
        required=False,
        help_text=_("Empty interim targets are always filled so."),
    )

    def __init__(
        self, *args: Any, cycle: Cycle, assessment: NeedsAssessment, offer: Offer, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self._set_choices(assessment, offer)
        years = list(range(cycle.first_year, cycle.last_year + 1))
        self.fields["target_year"].widget = forms.Select(
            choices=[NO_CHOICE, *((y, year_label(y)) for y in years)]
        )
        for year in self.interim_years:
            self.fields[f"interim_{year}"] = forms.FloatField(
                label=_("Interim target for %(year)s") % {"year": year_label(year)},
                required=False,
            )
        if not self.interim_years:
            del self.fields["spread"]  # a one-year plan has no year in between

    def _set_choices(self, assessment: NeedsAssessment, offer: Offer) -> None:
        fields = self.fields
        priority = fields["priority"]
        assert isinstance(priority, forms.ModelChoiceField)
        priority.queryset = assessment.priorities.all()
        groups = grouped(offer.groups)
        self.group_words = {group_key(*g): labels.group(*g) for g in offer.groups}
        choices: dict[str, list[tuple[Any, Any]]] = {
            "metric": [NO_CHOICE, *labels.METRICS.items()],
            "subject": [(s, labels.subject(s)) for s in offer.subjects],
            "grade": [(g, labels.grade(g)) for g in offer.grades],
            "group": groups,
            "compare": [("", _("No comparison: not a gap goal")), *groups],
            "baseline_year": [("", _("The latest year before the plan with results"))]
            + [(y, year_label(y)) for y in offer.years if y < self.cycle.first_year],
        }
        for name, values in choices.items():
            field = fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = values

    def words_for(self) -> dict[str, dict[str, str]]:
        """Field label → {value → words} for fields whose values are codes, for conflicts."""
        years = {
            str(y): year_label(y) for y in range(self.cycle.first_year, self.cycle.last_year + 1)
        }
        return {
            str(self.fields["group"].label): self.group_words,
            str(self.fields["compare"].label): self.group_words,
            str(self.fields["target_year"].label): years,
        }

    @property
    def interim_years(self) -> list[int]:
        """The plan's years that can have an interim target: all but the last."""
        return list(range(self.cycle.first_year, self.cycle.last_year))

    def fieldsets(self) -> list[Fieldset]:
        interim = [f"interim_{y}" for y in self.interim_years]
        sets = [
            (_("The goal"), ["priority", "statement"], ""),
            (
                _("The result"),
                ["kind", "metric", "subject", "grade", "measure", "measure_kind"],
                "",
            ),
            (_("The students"), ["group", "compare"], ""),
            (_("Baseline"), ["baseline_year"], BASELINE_NOTE),
            (_("Target"), ["target", "target_year", "direction"], ""),
            (_("Interim targets"), [*interim, "spread"] if interim else [], INTERIM_NOTE),
        ]
        return [
            Fieldset(str(legend), [self[name] for name in names], str(note))
            for legend, names, note in sets
            if names
        ]

    # --- cleaning ----------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == CATALOG and not data.get("metric"):
            self.add_error("metric", _("Choose the result the goal is about."))
        if data.get("kind") == OTHER and not data.get("measure", "").strip():
            self.add_error(
                "measure", _("Name the measure, or choose a result in the school's data.")
            )
        if data.get("compare") and data.get("compare") == data.get("group"):
            self.add_error("compare", _("Choose a different group to compare with."))
        for name in ["target", *(f"interim_{y}" for y in self.interim_years)]:
            self._check_scale(name, data)
        return data

    def clean_target_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("target_year")
        first, last = self.cycle.first_year, self.cycle.last_year
        if year is not None and not first <= year <= last:
            raise forms.ValidationError(
                _("Choose a school year within the plan, %(first)s to %(last)s.")
                % {"first": year_label(first), "last": year_label(last)}
            )
        return year

    def _check_scale(self, name: str, data: dict[str, Any]) -> None:
        value = data.get(name)
        if value is None or data.get("kind") != CATALOG or not data.get("metric"):
            return
        if is_rate(data["metric"]) and not 0 <= value <= 100:
            message = (
                _("Enter the gap in percentage points, from 0 to 100.")
                if data.get("compare")
                else _("Enter a percent from 0 to 100, for example 55 for 55%.")
            )
            self.add_error(name, message)
        elif value < 0 and not data.get("compare"):
            self.add_error(name, _("Enter a number of 0 or more."))

    # --- to and from a goal ------------------------------------------------------------------

    def scale(self) -> float:
        """What a typed number is multiplied by to store it: 1/100 for rates."""
        metric = self.cleaned_data.get("metric") or ""
        catalog = self.cleaned_data.get("kind") == CATALOG
        return 0.01 if catalog and metric and is_rate(metric) else 1.0

    def apply(self, goal: Goal) -> None:
        """Set the goal's fields from the form, all but the baseline and interim targets."""
        data = self.cleaned_data
        catalog = data["kind"] == CATALOG
        metric = data["metric"] if catalog else ""
        group_type, group_value = data["group"].split(SEP, 1)
        compare_type, compare_value = (data["compare"] or SEP).split(SEP, 1)
        tested = metric in labels.ASSESSMENT_METRICS
        goal.priority = data["priority"]
        goal.statement = data["statement"]
        goal.metric = metric
        goal.subject = (data["subject"] or ALL) if tested else ALL
        goal.grade = (data["grade"] or ALL) if catalog else ALL
        goal.group_type, goal.group_value = group_type, group_value
        goal.compare_type, goal.compare_value = compare_type, compare_value
        goal.measure = "" if catalog else data["measure"].strip()
        goal.measure_kind = "" if catalog else data["measure_kind"]
        goal.baseline_year = data["baseline_year"] if catalog else None
        target = data["target"]
        goal.target = None if target is None else target * self.scale()
        goal.target_year = data["target_year"]
        goal.direction = data["direction"] or default_direction(metric, bool(compare_value))

    def typed_interim(self) -> dict[int, float]:
        """The interim targets typed, in the goal's units."""
        typed = {y: self.cleaned_data.get(f"interim_{y}") for y in self.interim_years}
        return {y: v * self.scale() for y, v in typed.items() if v is not None}

    @classmethod
    def values_of(cls, goal: Goal, revision: bool = True) -> dict[str, Any]:
        """The form's values for a stored goal (its initial data, and conflict tables)."""
        factor = 100.0 if goal.metric and is_rate(goal.metric) else 1.0

        def shown(x: float | None) -> float | None:
            return None if x is None else round(x * factor, 6)

        values: dict[str, Any] = {
            "priority": goal.priority_id,
            "statement": goal.statement,
            "kind": CATALOG if goal.metric else OTHER,
            "metric": goal.metric,
            "subject": goal.subject,
            "grade": goal.grade,
            "measure": goal.measure,
            "measure_kind": goal.measure_kind,
            "group": group_key(goal.group_type, goal.group_value),
            "compare": group_key(goal.compare_type, goal.compare_value) if goal.is_gap else "",
            "baseline_year": goal.baseline_year,
            "target": shown(goal.target),
            "target_year": goal.target_year,
            "direction": goal.direction,
            "spread": False,
        }
        values |= {f"interim_{y}": shown(v) for y, v in interim_of(goal).items()}
        if revision:
            values["revision"] = goal.revision
        return values


class GoalEditForm(GoalForm):
    revision = RevisionField()


class EquityForm(forms.Form):
    """Why the plan has no goal on a gap between student groups (NeedsAssessment)."""

    equity_reason = forms.CharField(
        label=_("Why no goal closes a gap"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only when none of the goals is about a gap between student groups: say why, "
            "for example that the school's groups are within a few points of each other."
        ),
    )
    revision = RevisionField()

    @classmethod
    def initial_for(cls, assessment: NeedsAssessment) -> dict[str, Any]:
        return {"equity_reason": assessment.equity_reason, "revision": assessment.revision}
