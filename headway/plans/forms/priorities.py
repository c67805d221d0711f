"""The form for a priority: what it is, what stands in the way, and what it rests on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField
from headway.plans.forms.causes import FindingsField, LinksField, offer_findings
from headway.plans.models import Cause, NeedsAssessment, Priority, WhyChain

LIMIT = 4  # priorities a team can carry; beyond that a reason is asked for
FOCUS = _(
    "Spreading effort over many priorities is the most common reason plans stall: three or "
    "four is what a team can really carry."
)

NO_CHAINS = _("No five-whys chains yet: start one on the root causes page.")
NO_CAUSES = _("No possible causes yet: list them in the fishbone on the root causes page.")


class ChainsField(LinksField[WhyChain]):
    def label_from_instance(self, obj: WhyChain) -> str:
        if obj.root_cause:
            return str(
                _("%(problem)s — root cause: %(cause)s")
                % {"problem": obj.problem, "cause": obj.root_cause}
            )
        return obj.problem


class CausesField(LinksField[Cause]):
    def label_from_instance(self, obj: Cause) -> str:
        return f"{obj.get_category_display()}: {obj.text}"


class PriorityForm(forms.ModelForm[Priority]):
    findings = FindingsField(help_text=_("The findings that show why this matters."))
    why_chains = ChainsField(WhyChain.objects.none(), label=_("Five-whys chains it answers"))
    causes = CausesField(Cause.objects.none(), label=_("Possible causes it addresses"))

    class Meta:
        model = Priority
        fields = [
            "title",
            "description",
            "barriers",
            "findings",
            "why_chains",
            "causes",
            "over_limit_reason",
        ]
        labels = {
            "title": _("Priority"),
            "description": _("What it means for students"),
            "barriers": _("Barriers to overcome"),
            "over_limit_reason": _("Why the plan needs this many priorities"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "barriers": forms.Textarea(attrs={"rows": 3}),
            "over_limit_reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("In a few words. For example: Reading in grades 3 to 5."),
            "barriers": _("What could get in the way, inside or outside the school."),
            "over_limit_reason": FOCUS,
        }
        error_messages = {"title": {"required": _("Name the priority in a few words.")}}

    def __init__(
        self, *args: Any, assessment: NeedsAssessment, position: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.assessment = assessment
        self.position = position
        linked = self.instance.findings.values_list("pk", flat=True) if self.instance.pk else []
        offer_findings(self.fields["findings"], assessment.cycle.org, linked)
        for name, queryset, empty in (
            ("why_chains", assessment.why_chains.all(), NO_CHAINS),
            ("causes", assessment.causes.all(), NO_CAUSES),
        ):
            field = self.fields[name]
            assert isinstance(field, LinksField)
            field.queryset = queryset
            if not queryset.exists():
                field.help_text = empty
        if not self.over_limit:
            del self.fields["over_limit_reason"]

    @property
    def over_limit(self) -> bool:
        return self.position > LIMIT

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("findings") or data.get("why_chains") or data.get("causes")):
            self.add_error(
                "findings",
                _(
                    "Tie the priority to at least one finding, five-whys chain or possible "
                    "cause, so everyone can see what it rests on."
                ),
            )
        if self.over_limit and not (data.get("over_limit_reason") or "").strip():
            self.add_error(
                "over_limit_reason",
                _(
                    "This would be priority number %(n)s. %(focus)s Say why this one cannot "
                    "wait, or fold it into one of the others."
                )
                % {"n": self.position, "focus": FOCUS},
            )
        return data


class PriorityEditForm(PriorityForm):
    revision = RevisionField()

    def saved_fields(self) -> list[str]:
        return [name for name in SCALARS if name in self.fields]


SCALARS = ("title", "description", "barriers", "over_limit_reason")
LINKS = ("findings", "why_chains", "causes")


def stored_priority(priority: Priority) -> dict[str, Any]:
    """The priority as stored, field by field, for the conflict table."""
    stored: dict[str, Any] = {name: getattr(priority, name) for name in SCALARS}
    for name in LINKS:
        stored[name] = list(getattr(priority, name).order_by("pk"))
    return stored
