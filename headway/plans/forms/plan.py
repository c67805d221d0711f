"""Forms of the plan itself: its narrative, and its communication, support and inequity lines."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField
from headway.plans.models import Communication, Inequity, Plan, Support

NARRATIVE = ("vision", "theory_of_action", "assets", "involvement")


class PlanForm(forms.ModelForm[Plan]):
    revision = RevisionField()

    class Meta:
        model = Plan
        fields = list(NARRATIVE)
        labels = {
            "vision": _("Vision"),
            "theory_of_action": _("Theory of action"),
            "assets": _("What already works"),
            "involvement": _("How students and families took part"),
        }
        help_texts = {
            "vision": _("What school will be like for students when the plan succeeds."),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in NARRATIVE}

    @staticmethod
    def stored(plan: Plan) -> dict[str, Any]:
        """The plan as stored, for the conflict table."""
        return {name: getattr(plan, name) for name in NARRATIVE}


class CommunicationForm(forms.ModelForm[Communication]):
    class Meta:
        model = Communication
        fields = ["audience", "message", "channel", "when"]
        labels = {
            "audience": _("Who hears it"),
            "message": _("What they hear"),
            "channel": _("How"),
            "when": _("When"),
        }
        help_texts = {
            "audience": _("For example: families of English learners."),
            "channel": _("For example: the newsletter, in English and Spanish."),
            "when": _("For example: every October and March."),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "audience": {"required": _("Say who hears it.")},
            "message": {"required": _("Say what they hear.")},
            "channel": {"required": _("Say how they hear it.")},
            "when": {"required": _("Say when they hear it.")},
        }


class SupportForm(forms.ModelForm[Support]):
    class Meta:
        model = Support
        fields = ["commitment", "by_whom", "when"]
        labels = {
            "commitment": _("What the district will do"),
            "by_whom": _("Who at the district"),
            "when": _("When"),
        }
        help_texts = {
            "commitment": _("For example: a math coach two days a week."),
            "by_whom": _("A person or an office."),
        }
        widgets = {"commitment": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "commitment": {"required": _("Say what the district will do.")},
            "by_whom": {"required": _("Say who at the district will do it.")},
        }


class InequityForm(forms.ModelForm[Inequity]):
    class Meta:
        model = Inequity
        fields = ["kind", "evidence", "action"]
        labels = {
            "kind": _("Kind of inequity"),
            "evidence": _("What shows it"),
            "action": _("What the plan does about it"),
        }
        help_texts = {
            "evidence": _("For example: a third of our teachers are in their first two years."),
        }
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "action": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "kind": {"required": _("Choose the kind of inequity.")},
            "evidence": {"required": _("Say what shows the inequity.")},
            "action": {"required": _("Say what the plan does about it.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("Choose one…")), *Inequity.Kind.choices]


COMMITMENT_FORMS: dict[str, type[forms.ModelForm[Any]]] = {
    "communication": CommunicationForm,
    "support": SupportForm,
    "inequity": InequityForm,
}
