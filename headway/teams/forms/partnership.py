"""Forms of the partnership: its partners, the charter and acknowledging the charter."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headway.lib.revisions import RevisionField
from headway.teams.models import Charter, Partner

# The charter fields people write, in reading order.
CHARTER_FIELDS = [
    "mission",
    "vision",
    "values",
    "decision_rule",
    "decision_notes",
    "meeting_cadence",
    "data_use",
]

DECISION_RULE_HELP: dict[str, Promise] = {
    Charter.DecisionRule.CONSENSUS: gettext_lazy(
        "Everyone can live with the decision and will support it, even if it was not "
        "their first choice."
    ),
    Charter.DecisionRule.FIST_TO_FIVE: gettext_lazy(
        "Each partner shows zero to five fingers; the decision goes ahead when everyone "
        "shows at least three."
    ),
    Charter.DecisionRule.VOTE: gettext_lazy(
        "The choice that more than half of the partners support is adopted."
    ),
}


def draft_charter() -> dict[str, str]:
    """A first draft to start from, so nobody faces an empty page."""
    return {
        "mission": _(
            "The district, the teachers' union and our community partners work together so "
            "that every school improves and every student learns, belongs and thrives."
        ),
        "vision": _(
            "Every school in the district is a place where students succeed, families feel "
            "welcome and staff want to stay."
        ),
        "values": "\n".join(
            [
                _("Students come first"),
                _("Trust and openness"),
                _("Shared responsibility for results"),
                _("Decisions grounded in evidence"),
                _("Every voice is heard and respected"),
            ]
        ),
        "decision_rule": Charter.DecisionRule.CONSENSUS,
        "decision_notes": _(
            "When the partners cannot reach consensus after two meetings, they use fist-to-five."
        ),
        "meeting_cadence": _("Monthly"),
        "data_use": _(
            "The partners share data to help students and schools improve. Results about "
            "individual teachers support their growth and are never used in their evaluations "
            "or in decisions about their jobs. Information about students stays private and is "
            "shared only as the law allows."
        ),
    }


class PartnerForm(forms.ModelForm[Partner]):
    class Meta:
        model = Partner
        fields = ["kind", "name", "representative", "title", "email"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"name": _("Name of the partner organization")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = Partner.Kind.choices  # no empty radio button


class PartnerEditForm(PartnerForm):
    revision = RevisionField()


class CharterForm(forms.ModelForm[Charter]):
    """The charter's text, with the version and revision it was opened at (to catch conflicts)."""

    # Hidden, so without a label (includes/form.html shows labels that are set).
    number = forms.IntegerField(widget=forms.HiddenInput, label="")
    revision = RevisionField()

    class Meta:
        model = Charter
        fields = CHARTER_FIELDS
        widgets = {
            "decision_rule": forms.RadioSelect,
            "mission": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 3}),
            "values": forms.Textarea(attrs={"rows": 6}),
            "decision_notes": forms.Textarea(attrs={"rows": 3}),
            "data_use": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = self.fields["decision_rule"]
        assert isinstance(rule, forms.ChoiceField)
        rule.choices = [
            (value, f"{label} — {DECISION_RULE_HELP[value]}")
            for value, label in Charter.DecisionRule.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = value.replace("\r\n", "\n")  # as browsers send line breaks
        return data

    def clean_values(self) -> str:
        lines = [line.strip() for line in str(self.cleaned_data["values"]).splitlines()]
        return "\n".join(line for line in lines if line)


class PartnerChoiceField(forms.ModelChoiceField[Partner]):
    def label_from_instance(self, obj: Partner) -> str:
        return f"{obj.name} ({obj.representative})"


class AcknowledgeForm(forms.Form):
    partner = PartnerChoiceField(
        label=gettext_lazy("Acknowledging for"),
        queryset=Partner.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    name = forms.CharField(
        label=gettext_lazy("Your full name"),
        max_length=200,
        help_text=gettext_lazy("Typing your name here counts as your acknowledgement."),
    )
    acknowledged_on = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("acknowledged_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = partners

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(_("Type your full name."))
        return name

    def clean_acknowledged_on(self) -> date:
        day: date = self.cleaned_data["acknowledged_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day
