"""The forms of a strategy review and of the initiative inventory."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField
from headway.monitor.models import Initiative, StrategyReview
from headway.plans.forms.actions import DATE, MoneyField

Verdict = StrategyReview.Verdict
VERDICT_WORDS = {
    Verdict.CONTINUE: _("Continue: keep going as planned."),
    Verdict.ADJUST: _("Adjust: keep it, with changes the team names."),
    Verdict.STOP: _("Stop: end it, and free the time and money it takes."),
}


class ReviewForm(forms.ModelForm[StrategyReview]):
    class Meta:
        model = StrategyReview
        fields = ["verdict", "evidence", "changes", "decided_by", "reviewed_on"]
        labels = {
            "verdict": _("Decision"),
            "evidence": _("The evidence, in your words"),
            "changes": _("What changes (for “adjust”)"),
            "decided_by": _("Decided by"),
            "reviewed_on": _("Reviewed on"),
        }
        help_texts = {
            "evidence": _(
                "What the team saw: the measures, how the work is going, the cost. For example: "
                "attendance has not moved in twelve weeks and two of three steps are late."
            ),
            "decided_by": _("For example: the leadership team at its meeting of 12 March."),
        }
        widgets = {
            "verdict": forms.RadioSelect,
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "changes": forms.Textarea(attrs={"rows": 3}),
            "reviewed_on": DATE,
        }
        error_messages = {
            "verdict": {"required": _("Choose continue, adjust or stop.")},
            "evidence": {"required": _("Say in a few words what the evidence shows.")},
            "reviewed_on": {
                "required": _("Enter the date of the review."),
                "invalid": _("Enter a date, for example 2026-03-12."),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("reviewed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        verdict = self.fields["verdict"]
        assert isinstance(verdict, forms.ChoiceField)
        verdict.choices = [(value, VERDICT_WORDS[Verdict(value)]) for value in Verdict.values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("verdict") == Verdict.ADJUST and not data.get("changes", "").strip():
            self.add_error("changes", _("Say what changes when the team adjusts the strategy."))
        reviewed_on = data.get("reviewed_on")
        if reviewed_on and reviewed_on > timezone.localdate():
            self.add_error(
                "reviewed_on", _("The review date is in the future: use today or before.")
            )
        return data

    @property
    def stops(self) -> bool:
        return self.is_valid() and self.cleaned_data["verdict"] == Verdict.STOP


# --- the initiative inventory -------------------------------------------------------------------


class HoursField(forms.DecimalField):
    """Hours a month, rounded to one decimal: "12", "12.5", "7.25" is 7.3."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            min_value=Decimal(0),
            max_value=Decimal("99999.9"),
            error_messages={
                "invalid": _("Enter the hours as a number, for example 12 or 12.5."),
                "min_value": _("Enter 0 hours or more."),
                "max_value": _("Enter at most 99,999.9 hours a month."),
            },
            widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
            **kwargs,
        )

    def clean(self, value: Any) -> Any:
        hours = super().clean(value)
        return None if hours is None else hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


INITIATIVE_FIELDS = ("name", "purpose", "cost", "teacher_hours", "students", "status")


class InitiativeForm(forms.ModelForm[Initiative]):
    cost = MoneyField(
        label=_("Cost a year ($)"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 12}),
        error_messages={
            "invalid": _("Enter the cost as a number, for example 2500 or 2500.50."),
            "min_value": _("Enter a cost of 0 or more."),
            "max_digits": _("Enter a cost below $10,000,000,000."),
            "max_whole_digits": _("Enter a cost below $10,000,000,000."),
            "max_decimal_places": _("Enter the cost in dollars and cents, like 2500.50."),
        },
    )
    teacher_hours = HoursField(label=_("Teacher time (hours a month)"), required=False)

    class Meta:
        model = Initiative
        fields = list(INITIATIVE_FIELDS)
        labels = {
            "name": _("Initiative"),
            "purpose": _("What it is for"),
            "students": _("Students it reaches"),
            "status": _("Decision"),
        }
        help_texts = {
            "name": _("For example: the reading software, or Friday data meetings."),
            "students": _("Leave empty when it reaches the whole school."),
            "status": _("Mark it “stop” to see how much teacher time stopping it would free."),
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "students": forms.NumberInput(attrs={"min": 1}),
        }
        error_messages = {
            "name": {"required": _("Name the initiative.")},
            "students": {
                "invalid": _("Enter the number of students as a whole number, for example 120."),
                "min_value": _("Enter 0 or more students, or leave it empty for the whole school."),
            },
            "status": {"required": _("Choose keep, look at it again, or stop.")},
        }

    def clean_cost(self) -> Decimal:
        cost: Decimal | None = self.cleaned_data.get("cost")
        return Decimal(0) if cost is None else cost

    def clean_teacher_hours(self) -> Decimal:
        hours: Decimal | None = self.cleaned_data.get("teacher_hours")
        return Decimal(0) if hours is None else hours


class InitiativeEditForm(InitiativeForm):
    revision = RevisionField()
