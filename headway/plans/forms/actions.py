"""The forms of strategies (with their budget lines) and of action steps.

A strategy and its budget lines are checked and saved together (``StrategyEditor``), since
ESSA's funding rule ties them: §1003 funds may pay only for tiers 1 to 3. The budget lines
are replaced as a whole on every save, so two people never trip over each other's line ids;
the strategy's revision guards them with the rest of the strategy.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField, save_revision
from headway.orgs.models import Organization
from headway.plans import evidence_rules
from headway.plans.forms.causes import LinksField
from headway.plans.forms.goals import Fieldset
from headway.plans.models import ActionStep, BudgetLine, Goal, NeedsAssessment, Strategy
from headway.teams.conflicts import ConflictRow, conflict_rows
from headway.teams.models import TeamMember

EXTRA_LINES = 2  # empty budget lines offered, so lines are added without JavaScript
LINE_FIELDS = ("item", "amount", "source")
UPKEEP = ("started_on", "review_weeks", "teacher_hours", "students")  # for strategy reviews
REVIEW_WEEKS: int = Strategy._meta.get_field("review_weeks").get_default()  # when left empty
SCALARS = (
    "title",
    "description",
    "lever",
    "driver",
    "tier",
    "citation",
    "logic_model",
    "evaluation",
    *UPKEEP,
)
ACTION_FIELDS = (
    "title",
    "strategy",
    "owner",
    "start",
    "due",
    "resources",
    "professional_learning",
    "status",
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NO_GOALS = _("No goals yet: write them on the goals page, then tie the strategy to them.")
EVIDENCE_NOTE = _(
    "ESSA asks for strategies backed by evidence. Tier 4 needs a logic model and an "
    "evaluation plan; §1003 school-improvement funds pay only for tiers 1 to 3."
)
UPKEEP_NOTE = _(
    "Strategy reviews use these: when the team looks at the evidence again, the teacher time "
    "the strategy takes, and its cost per student."
)
DRIVER_WORDS = {
    Strategy.Driver.COMPETENCY: _("Competency: selecting, developing and coaching people."),
    Strategy.Driver.ORGANIZATION: _(
        "Organization: the school's processes, using data well, and removing barriers."
    ),
    Strategy.Driver.LEADERSHIP: _(
        "Leadership: technical (running proven programs well) and adaptive (bringing people "
        "together to solve hard problems and win support for change)."
    ),
}


def tier_choices() -> list[tuple[Any, str]]:
    choices: list[tuple[Any, str]] = [
        (value, f"{_g('Tier %(n)s') % {'n': value}}. {evidence_rules.TIER_WORDS[value]}")
        for value in Strategy.Tier.values
    ]
    return [*choices, ("", str(evidence_rules.TIER_WORDS[None]))]


# --- strategies ---------------------------------------------------------------------------------


class GoalsField(LinksField[Goal]):
    def label_from_instance(self, obj: Goal) -> str:
        return obj.statement or str(obj)


class StrategyForm(forms.ModelForm[Strategy]):
    tier = forms.TypedChoiceField(
        label=_("ESSA evidence tier"),
        choices=tier_choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    goals = GoalsField(Goal.objects.none(), label=_("Goals it serves"))

    class Meta:
        model = Strategy
        fields = [*SCALARS[:2], "goals", *SCALARS[2:]]  # the goals right after the words
        labels = {
            "title": _("Strategy"),
            "lever": _("Lever"),
            "driver": _("Implementation driver"),
            "citation": _("Evidence: the study or review behind the tier"),
            "logic_model": _("Logic model (required for tier 4)"),
            "evaluation": _("Evaluation plan (required for tier 4)"),
            "started_on": _("Start date"),
            "review_weeks": _("Review it every (weeks)"),
            "teacher_hours": _("Teacher time (hours a month)"),
            "students": _("Students it reaches"),
        }
        help_texts = {
            "title": _("In a few words. For example: Weekly coaching cycles in grades 3 to 5."),
            "lever": _("The main way the strategy reaches classrooms."),
            "driver": _("What has to be in place for the strategy to be carried out well."),
            "citation": _("For example a What Works Clearinghouse or Evidence for ESSA link."),
            "review_weeks": _(
                "From 2 to 52 weeks. At each review the team decides to continue, adjust or "
                "stop it."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "lever": forms.RadioSelect,
            "driver": forms.RadioSelect,
            "citation": forms.Textarea(attrs={"rows": 2}),
            "logic_model": forms.Textarea(attrs={"rows": 4}),
            "evaluation": forms.Textarea(attrs={"rows": 3}),
            "started_on": DATE,
            "review_weeks": forms.NumberInput(attrs={"min": 2, "max": 52}),
            "teacher_hours": forms.NumberInput(attrs={"min": 0, "step": "0.5"}),
            "students": forms.NumberInput(attrs={"min": 1}),
        }
        error_messages = {
            "title": {"required": _("Name the strategy in a few words.")},
            "lever": {"required": _("Choose the lever the strategy uses.")},
            "driver": {"required": _("Choose the implementation driver it relies on.")},
            "started_on": {"invalid": _("Enter a date, for example 2025-09-15.")},
            "review_weeks": {
                "required": _("Say how often the team reviews it, in weeks (2 to 52)."),
                "invalid": _("Enter a whole number of weeks from 2 to 52."),
                "min_value": _("Review it at least every 52 weeks and at most every 2 weeks."),
                "max_value": _("Review it at least every 52 weeks and at most every 2 weeks."),
            },
            "teacher_hours": {
                "invalid": _("Enter the hours as a number, for example 12 or 12.5."),
                "min_value": _("Enter 0 or more hours."),
                "max_decimal_places": _("Enter the hours with at most one decimal, like 12.5."),
                "max_digits": _("Enter fewer hours: at most 999,999.9 a month."),
                "max_whole_digits": _("Enter fewer hours: at most 999,999.9 a month."),
            },
            "students": {
                "invalid": _("Enter the number of students as a whole number, for example 120."),
                "min_value": _("Enter 0 or more students, or leave it empty for the whole school."),
            },
        }

    def __init__(self, *args: Any, assessment: NeedsAssessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        for name, choices in (
            ("lever", Strategy.Lever.choices),
            ("driver", [(value, DRIVER_WORDS[value]) for value in Strategy.Driver]),
        ):
            field = fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices  # without Django's empty "---------" choice
        fields["review_weeks"].required = False  # empty: the usual window
        goals = fields["goals"]
        assert isinstance(goals, GoalsField)
        goals.queryset = assessment.goals.all()
        if not goals.queryset.exists():
            goals.help_text = NO_GOALS

    def clean_review_weeks(self) -> int:
        weeks: int | None = self.cleaned_data.get("review_weeks")
        return REVIEW_WEEKS if weeks is None else weeks

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problems = evidence_rules.tier_problems(
            data.get("tier"), data.get("logic_model", ""), data.get("evaluation", "")
        )
        for problem in problems:
            self.add_error(problem.field, problem.message)
        return data

    def fieldsets(self) -> list[Fieldset]:
        sets = [
            (_("The strategy"), ["title", "description", "goals"], ""),
            (_("How it works"), ["lever", "driver"], ""),
            (_("Evidence"), ["tier", "citation", "logic_model", "evaluation"], EVIDENCE_NOTE),
            (_("Time, reach and reviews"), list(UPKEEP), UPKEEP_NOTE),
        ]
        return [
            Fieldset(str(legend), [self[name] for name in names], str(note))
            for legend, names, note in sets
        ]


class StrategyEditForm(StrategyForm):
    revision = RevisionField()


def stored_strategy(strategy: Strategy) -> dict[str, Any]:
    """The strategy as stored, field by field, for the conflict table."""
    stored: dict[str, Any] = {name: getattr(strategy, name) for name in SCALARS}
    stored["goals"] = list(strategy.goals.order_by("pk"))
    return stored


# --- budget lines -------------------------------------------------------------------------------


class MoneyField(forms.DecimalField):
    """An amount as people type it: "$1,250.50" is 1250.50."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("$", "").replace(",", "").strip()
        return super().to_python(value)


class BudgetLineForm(forms.ModelForm[BudgetLine]):
    amount = MoneyField(
        label=_("Amount ($)"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
        error_messages={
            "required": _("Enter the amount, for example 2500 or 2500.50."),
            "invalid": _("Enter the amount as a number, for example 2500 or 2500.50."),
        },
    )

    class Meta:
        model = BudgetLine
        fields = list(LINE_FIELDS)
        labels = {"item": _("What it pays for"), "source": _("Funding source")}
        error_messages = {
            "item": {"required": _("Say what the line pays for, or tick “Remove”.")},
            "source": {"required": _("Choose who pays for the line.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)
        source.choices = [("", _("Choose…")), *BudgetLine.Source.choices]

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        problems = evidence_rules.amount_problems(amount)
        if problems:
            raise forms.ValidationError([problem.message for problem in problems])
        return amount.quantize(evidence_rules.CENT)


class BaseBudgetFormSet(forms.BaseFormSet[BudgetLineForm]):
    """Budget lines; once the strategy's tier is known, each line's funding is checked."""

    tier: int | None = None
    tier_known = False

    def add_fields(self, form: BudgetLineForm, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove")

    def kept(self) -> list[BudgetLineForm]:
        """The lines filled in and not ticked for removal."""
        return [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        if not self.tier_known:
            return
        for form in self.kept():
            source = form.cleaned_data.get("source", "")
            for problem in evidence_rules.funding_problems(self.tier, source):
                form.add_error(problem.field, problem.message)


def budget_formset(
    data: Any, lines: list[dict[str, Any]], extra: int = EXTRA_LINES
) -> BaseBudgetFormSet:
    factory = forms.formset_factory(
        BudgetLineForm, formset=BaseBudgetFormSet, extra=extra, can_delete=True
    )
    return cast(BaseBudgetFormSet, factory(data, initial=lines, prefix="budget"))


def line_values(line: BudgetLine) -> dict[str, Any]:
    return {name: getattr(line, name) for name in LINE_FIELDS}


def budget_text(lines: list[dict[str, Any]]) -> str:
    """Budget lines in words, one a line, for the conflict table."""
    sources = dict(BudgetLine.Source.choices)
    return "\n".join(
        f"{line['item']}: ${Decimal(line['amount']):,.2f} ({sources.get(line['source'], '')})"
        for line in lines
    )


class StrategyEditor:
    """The strategy form and its budget lines, checked and saved together."""

    def __init__(
        self,
        data: Any,
        *,
        assessment: NeedsAssessment,
        strategy: Strategy,
        initial: dict[str, Any] | None = None,
        lines: list[dict[str, Any]] | None = None,
        extra: int = EXTRA_LINES,
    ) -> None:
        self.assessment = assessment
        editing = strategy.pk is not None
        if initial is None:
            initial = {"revision": strategy.revision} if editing else {}
        if lines is None:
            lines = [line_values(line) for line in strategy.budget.all()] if editing else []
        form_class = StrategyEditForm if editing else StrategyForm
        self.form = form_class(data, instance=strategy, initial=initial, assessment=assessment)
        self.budget = budget_formset(data, lines, extra)

    def is_valid(self) -> bool:
        form_ok = self.form.is_valid()
        self.budget.tier_known = "tier" in self.form.cleaned_data
        self.budget.tier = self.form.cleaned_data.get("tier")
        if self.budget.is_valid():
            return form_ok
        self._summarize_budget()
        return False

    def _summarize_budget(self) -> None:
        """Name each budget line's problems in the error summary above the form."""
        for error in self.budget.non_form_errors():
            self.form.add_error(None, error)
        for number, line in enumerate(self.budget.forms, start=1):
            for name, errors in line.errors.items():
                label = line.fields[name].label if name in line.fields else ""
                for error in errors:
                    self.form.add_error(
                        None,
                        _g("Budget line %(n)s, %(field)s: %(error)s")
                        % {"n": number, "field": label, "error": error},
                    )

    def refilled(self) -> StrategyEditor:
        """The same input, not checked yet, with one more empty budget line."""
        initial = {name: self.form[name].value() for name in self.form.fields}
        names = (*LINE_FIELDS, "DELETE")
        rows = [{name: line[name].value() for name in names} for line in self.budget.forms]
        filled = [row for row in rows if any(row[name] for name in LINE_FIELDS)]
        return StrategyEditor(
            None,
            assessment=self.assessment,
            strategy=self.form.instance,
            initial=initial,
            lines=filled,
            extra=len(rows) - len(filled) + 1,
        )

    def lines(self) -> list[dict[str, Any]]:
        return [
            {name: line.cleaned_data[name] for name in LINE_FIELDS} for line in self.budget.kept()
        ]

    def create(self, order: int) -> Strategy:
        self.form.instance.order = order
        with transaction.atomic():
            strategy = self.form.save()
            self._replace_budget(strategy)
        return strategy

    def update(self) -> Strategy:
        """Save the strategy; raises Stale, writing nothing, if someone else saved first."""
        strategy = self.form.instance
        with transaction.atomic():
            save_revision(strategy, self.form.cleaned_data["revision"], SCALARS)
            strategy.goals.set(self.form.cleaned_data["goals"])
            self._replace_budget(strategy)
        return strategy

    def _replace_budget(self, strategy: Strategy) -> None:
        strategy.budget.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(strategy=strategy, **line) for line in self.lines()
        )

    def conflict(self, stored: Strategy) -> list[ConflictRow]:
        """What differs between the stored strategy and the form, budget lines included."""
        rows = conflict_rows(self.form, stored_strategy(stored))
        theirs = budget_text([line_values(line) for line in stored.budget.all()])
        yours = budget_text(self.lines())
        if theirs != yours:
            rows.append(ConflictRow(_g("Budget"), theirs or "—", yours or "—"))
        return rows


# --- action steps -------------------------------------------------------------------------------


class StrategyField(forms.ModelChoiceField[Strategy]):
    def label_from_instance(self, obj: Strategy) -> str:
        return obj.title


def owner_names(org: Organization) -> list[str]:
    """The names of the people on the organization's teams, offered as owners."""
    names = TeamMember.objects.filter(team__org=org).values_list("name", flat=True)
    return sorted(set(names), key=str.casefold)


class ActionForm(forms.ModelForm[ActionStep]):
    strategy = StrategyField(
        Strategy.objects.none(),
        label=_("Strategy it carries out"),
        required=False,
        empty_label=_("None yet"),
    )

    class Meta:
        model = ActionStep
        fields = list(ACTION_FIELDS)
        labels = {
            "title": _("Action step"),
            "owner": _("Who leads it"),
            "start": _("Start date"),
            "due": _("Due date"),
            "resources": _("Resources"),
            "professional_learning": _("This step is professional learning for staff"),
            "status": _("Status"),
        }
        help_texts = {
            "title": _("What will be done, in a sentence."),
            "owner": _("One person, so everyone knows whom to ask."),
            "resources": _("Time, people, materials or money the step needs."),
            "professional_learning": _("Training, coaching or PLC time, for example."),
        }
        widgets = {
            "owner": forms.TextInput(attrs={"autocomplete": "off"}),
            "start": DATE,
            "due": DATE,
            "resources": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": _("Say what the action step is.")},
            "owner": {"required": _("Say who leads the step.")},
            "due": {
                "required": _("Enter the date the step is due."),
                "invalid": _("Enter a date, for example 2026-03-15."),
            },
            "start": {"invalid": _("Enter a date, for example 2026-01-15.")},
        }

    def __init__(
        self, *args: Any, strategies: QuerySet[Strategy], names: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        strategy = self.fields["strategy"]
        assert isinstance(strategy, StrategyField)
        strategy.queryset = strategies
        self.owner_names = names
        if names:
            self.fields["owner"].widget.attrs["list"] = "owner-names"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, due = data.get("start"), data.get("due")
        if start and due and due < start:
            self.add_error(
                "due", _("The due date is before the start date: choose a day on or after it.")
            )
        return data


class ActionEditForm(ActionForm):
    revision = RevisionField()


def stored_action(action: ActionStep) -> dict[str, Any]:
    return {name: getattr(action, name) for name in ACTION_FIELDS}
