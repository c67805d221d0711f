"""The forms of 45-day rocks: the rock itself, and the quick changes made from the board."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField
from headway.plans.models import Goal, NeedsAssessment, Plan, Rock, Strategy
from headway.plans.models.plan import ROCK_DAYS

DATE = forms.DateInput(attrs={"type": "date"})
NO_GOAL = _("A goal without a statement yet")


@dataclass(frozen=True)
class Milestone:
    """One step on the way to a rock, as kept in ``Rock.milestones``."""

    text: str
    done: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "done": self.done}


def milestones_of(rock: Rock) -> list[Milestone]:
    """The rock's milestones, skipping anything in the JSON that is not one."""
    items = rock.milestones if isinstance(rock.milestones, list) else []
    return [
        Milestone(str(item.get("text", "")), bool(item.get("done")))
        for item in items
        if isinstance(item, dict) and str(item.get("text", "")).strip()
    ]


def merged(old: list[Milestone], text: str) -> list[Milestone]:
    """The milestones typed one a line; a line that did not change keeps its done state."""
    done: dict[str, list[bool]] = defaultdict(list)
    for milestone in old:
        done[milestone.text].append(milestone.done)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [Milestone(line, done[line].pop(0) if done[line] else False) for line in lines]


def as_text(milestones: list[Milestone]) -> str:
    return "\n".join(milestone.text for milestone in milestones)


class GoalField(forms.ModelChoiceField[Goal]):
    def label_from_instance(self, obj: Goal) -> str:
        return obj.statement[:120] or str(NO_GOAL)


class StrategyField(forms.ModelChoiceField[Strategy]):
    def label_from_instance(self, obj: Strategy) -> str:
        return obj.title


class RockForm(forms.ModelForm[Rock]):
    milestones = forms.CharField(
        label=_("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One a line, in the order they come. Tick them off on the rocks board as they are "
            "done; a milestone whose words you leave unchanged stays ticked."
        ),
    )
    goal = GoalField(
        Goal.objects.none(),
        label=_("Goal it serves"),
        required=False,
        empty_label=_("No goal"),
    )
    strategy = StrategyField(
        Strategy.objects.none(),
        label=_("Strategy it serves"),
        required=False,
        empty_label=_("No strategy"),
    )

    class Meta:
        model = Rock
        fields = ["title", "owner", "set_on", "due", "status", "goal", "strategy"]
        labels = {
            "title": _("Rock"),
            "owner": _("Who owns it"),
            "set_on": _("Set on"),
            "due": _("Due"),
            "status": _("Status"),
        }
        widgets = {"set_on": DATE, "due": DATE}
        help_texts = {
            "title": _(
                "One thing that must be finished, in a few words. For example: every grade "
                "team has agreed norms for its data meetings."
            ),
            "owner": _("One person, by name: a rock has a single owner even when many help."),
            "set_on": _("Usually today: the day the team commits to the rock."),
            "due": _("Within %(days)s days of the day it is set.") % {"days": ROCK_DAYS},
        }
        error_messages = {
            "title": {"required": _("Say in a few words what must be finished.")},
            "owner": {"required": _("Name the person who owns the rock.")},
            "set_on": {"required": _("Give the day the rock is set.")},
            "due": {"required": _("Give the day the rock is due.")},
        }

    def __init__(self, *args: Any, plan: Plan, assessment: NeedsAssessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.old_milestones = milestones_of(self.instance)
        self.initial["milestones"] = as_text(self.old_milestones)
        if not self.initial.get("set_on"):
            self.initial["set_on"] = timezone.localdate()
        for name, queryset in (
            ("goal", assessment.goals.all()),
            ("strategy", plan.strategies.all()),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        set_on, due = data.get("set_on"), data.get("due")
        if set_on and due and (error := due_error(set_on, due)):
            self.add_error("due", error)
        typed = merged(self.old_milestones, data.get("milestones") or "")
        self.instance.milestones = [milestone.to_dict() for milestone in typed]
        return data

    @property
    def serves_nothing(self) -> bool:
        return not (self.cleaned_data.get("goal") or self.cleaned_data.get("strategy"))


def due_error(set_on: date, due: date) -> str:
    """Why ``due`` is not a good due date for a rock set on ``set_on`` ("" when it is)."""
    if due <= set_on:
        return str(
            _("The due date must come after the day the rock is set (%(set_on)s).")
            % {"set_on": date_format(set_on, "DATE_FORMAT")}
        )
    latest = set_on + timedelta(days=ROCK_DAYS)
    if due > latest:
        return str(
            _(
                "A rock is due within %(days)s days of being set: the latest allowed date "
                "is %(latest)s."
            )
            % {"days": ROCK_DAYS, "latest": date_format(latest, "DATE_FORMAT")}
        )
    return ""


class RockEditForm(RockForm):
    revision = RevisionField()

    SAVED = ("title", "owner", "set_on", "due", "milestones", "status", "goal", "strategy")


def stored_rock(rock: Rock) -> dict[str, Any]:
    """The rock as stored, field by field, for the conflict table."""
    stored: dict[str, Any] = {name: getattr(rock, name) for name in RockEditForm.SAVED}
    stored["milestones"] = as_text(milestones_of(rock))
    return stored


class StatusForm(forms.Form):
    """The quick status change on the board."""

    status = forms.ChoiceField(label=_("Status"), choices=Rock.Status.choices)
    revision = RevisionField()


class MilestoneForm(forms.Form):
    """Tick or untick one milestone on the board."""

    index = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)
    revision = RevisionField()
