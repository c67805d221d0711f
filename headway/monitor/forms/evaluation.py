"""The forms of the end-of-cycle evaluation: a verdict per goal and per strategy, and what
the team learned, checked and saved together (``EvaluationEditor``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField, save_revision
from headway.monitor.evaluation import Final
from headway.monitor.models import Evaluation, GoalVerdict, StrategyVerdict
from headway.plans.models import Strategy

YES, NO = "yes", "no"


class EvaluationForm(forms.Form):
    learned = forms.CharField(
        label=_("What we learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What worked, what did not, and what the team would do differently: the next "
            "cycle's needs assessment starts from it."
        ),
    )
    revision = RevisionField()

    def __init__(self, *args: Any, finishing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if finishing:
            learned = self.fields["learned"]
            learned.required = True
            learned.error_messages["required"] = _(
                "Say what the team learned before finishing the evaluation."
            )


class GoalVerdictForm(forms.Form):
    verdict = forms.ChoiceField(choices=GoalVerdict.Verdict.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What the data show"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, goal_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        verdict = self.fields["verdict"]
        verdict.label = _g("The goal “%(goal)s” was") % {"goal": goal_name}
        verdict.error_messages["required"] = _g(
            "Choose met, partly met or not met for the goal “%(goal)s”."
        ) % {"goal": goal_name}


class StrategyVerdictForm(forms.Form):
    continues = forms.ChoiceField(
        choices=[(YES, _("Continue it in the next cycle")), (NO, _("End it with this cycle"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Why"), required=False)

    def __init__(self, *args: Any, strategy_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        continues = self.fields["continues"]
        continues.label = _g("“%(strategy)s”") % {"strategy": strategy_name}
        continues.error_messages["required"] = _g(
            "Say whether “%(strategy)s” continues in the next cycle."
        ) % {"strategy": strategy_name}


@dataclass(frozen=True)
class GoalRow:
    final: Final
    form: GoalVerdictForm


@dataclass(frozen=True)
class StrategyRow:
    strategy: Strategy
    form: StrategyVerdictForm


class EvaluationEditor:
    """The evaluation's forms: what was learned, a verdict per goal and per strategy."""

    def __init__(
        self,
        data: Any,
        *,
        evaluation: Evaluation,
        finals: Sequence[Final],
        strategies: Sequence[Strategy],
        finishing: bool = False,
    ) -> None:
        saved_goals = {v.goal_id: v for v in evaluation.goals.all()} if evaluation.pk else {}
        saved_strategies = (
            {v.strategy_id: v for v in evaluation.strategies.all()} if evaluation.pk else {}
        )
        initial = {"learned": evaluation.learned, "revision": evaluation.revision}
        self.form = EvaluationForm(data, initial=initial, finishing=finishing)
        self.goals = [GoalRow(f, _goal_form(data, f, saved_goals.get(f.goal.pk))) for f in finals]
        self.strategies = [
            StrategyRow(s, _strategy_form(data, s, saved_strategies.get(s.pk))) for s in strategies
        ]

    def forms(self) -> list[forms.Form]:
        return [self.form, *(r.form for r in self.goals), *(r.form for r in self.strategies)]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms()])  # every form, for every error

    def errors(self) -> list[tuple[str, str]]:
        """(field id, message) for the error summary, in the page's order."""
        found = []
        for form in self.forms():
            for name, errors in form.errors.items():
                field_id = form[name].auto_id if name in form.fields else ""
                label = form.fields[name].label if name in form.fields else ""
                found += [(field_id, _message(label, str(e), name)) for e in errors]
        return found

    def continuing(self) -> list[int]:
        """The ids of the strategies the team continues (after is_valid)."""
        return [r.strategy.pk for r in self.strategies if r.form.cleaned_data["continues"] == YES]

    def save(self, evaluation: Evaluation) -> None:
        """Write everything; raises Stale, writing nothing, if someone else saved first."""
        with transaction.atomic():
            evaluation.learned = self.form.cleaned_data["learned"]
            save_revision(evaluation, self.form.cleaned_data["revision"], ["learned"])
            for row in self.goals:
                _save_goal(evaluation, row)
            for srow in self.strategies:
                StrategyVerdict.objects.update_or_create(
                    evaluation=evaluation,
                    strategy=srow.strategy,
                    defaults={
                        "continues": srow.form.cleaned_data["continues"] == YES,
                        "note": srow.form.cleaned_data["note"],
                    },
                )


def _message(label: Any, error: str, name: str) -> str:
    # The verdict errors name their goal or strategy already.
    if name in ("verdict", "continues") or not label:
        return error
    return f"{label}: {error}"


def _goal_form(data: Any, final: Final, saved: GoalVerdict | None) -> GoalVerdictForm:
    goal = final.goal
    verdict = saved.verdict if saved else final.suggested
    initial = {"verdict": verdict, "note": saved.note if saved else ""}
    name = goal.statement or str(goal)
    return GoalVerdictForm(data, prefix=f"goal-{goal.code}", initial=initial, goal_name=name)


def _strategy_form(
    data: Any, strategy: Strategy, saved: StrategyVerdict | None
) -> StrategyVerdictForm:
    """Continue by default, unless a review stopped it."""
    stopped = strategy.status == Strategy.Status.STOPPED
    continues = saved.continues if saved is not None else not stopped
    initial = {"continues": YES if continues else NO, "note": saved.note if saved else ""}
    prefix = f"strategy-{strategy.code}"
    return StrategyVerdictForm(data, prefix=prefix, initial=initial, strategy_name=strategy.title)


def _save_goal(evaluation: Evaluation, row: GoalRow) -> None:
    final = row.final
    GoalVerdict.objects.update_or_create(
        evaluation=evaluation,
        goal=final.goal,
        defaults={
            "verdict": row.form.cleaned_data["verdict"],
            "note": row.form.cleaned_data["note"],
            "value": final.value,
            "value_text": final.text[:40],
        },
    )
