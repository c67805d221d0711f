"""Forms for the root-cause work: five-whys chains and the fishbone's possible causes.

``FindingsField`` is shared with the priorities: every link from the plan back to the data
is chosen from the same list of findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from headway.explore.models import Finding
from headway.lib.revisions import RevisionField
from headway.orgs.models import Organization
from headway.plans.models import Cause, WhyChain

WHYS = 5
WHY_LABELS = (
    _("1. Why does this happen?"),
    _("2. And why is that?"),
    _("3. And why is that?"),
    _("4. And why is that?"),
    _("5. And why is that?"),
)


def finding_choices(org: Organization, linked: Iterable[int] = ()) -> QuerySet[Finding]:
    """The findings a team can tie its work to: pinned ones first, then today's drafts, and
    any finding already linked (even one no longer drafted from the data)."""
    offered = Q(state=Finding.State.PINNED) | Q(current=True, state=Finding.State.DRAFTED)
    return Finding.objects.filter(offered | Q(pk__in=list(linked)), org=org).order_by(
        "-state", "rank"
    )


class LinksField[M: Model](forms.ModelMultipleChoiceField[M]):
    """Optional checkboxes linking to other records; the view sets the queryset."""

    def __init__(self, queryset: QuerySet[M], **kwargs: Any) -> None:
        super().__init__(
            queryset=queryset, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
        )

    def clean(self, value: Any) -> list[M]:  # type: ignore[override]
        # A list in a stable order, not a queryset: conflict tables show the names.
        return sorted(super().clean(value), key=lambda obj: obj.pk)


class FindingsField(LinksField[Finding]):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Findings it rests on"))
        super().__init__(Finding.objects.none(), **kwargs)

    def label_from_instance(self, obj: Finding) -> str:
        if obj.state == Finding.State.PINNED:
            return str(_("%(title)s (pinned)") % {"title": obj.title})
        return obj.title


def offer_findings(field: forms.Field, org: Organization, linked: Iterable[int] = ()) -> None:
    assert isinstance(field, FindingsField)
    field.queryset = finding_choices(org, linked)
    if not field.queryset.exists():
        field.help_text = _(
            "No findings yet. Headway drafts findings from your data on the results page; "
            "pin the ones that matter and they appear here."
        )


class WhyChainForm(forms.Form):
    problem = forms.CharField(
        label=_("The problem"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the problem the chain starts from.")},
        help_text=_(
            "What the data show, in one sentence. For example: Fewer than half of our "
            "English learners are proficient in reading."
        ),
    )
    findings = FindingsField(
        help_text=_("Tick the findings that show the problem; pinned findings come first."),
    )

    def __init__(self, *args: Any, org: Organization, chain: WhyChain | None = None, **kwargs: Any):
        if chain is not None:
            kwargs.setdefault("initial", {}).update(self.initial_for(chain))
        super().__init__(*args, **kwargs)
        for number, label in enumerate(WHY_LABELS, start=1):
            self.fields[f"why_{number}"] = forms.CharField(
                label=label, max_length=500, required=number == 1
            )
        self.fields["why_1"].error_messages["required"] = _("Answer at least the first why.")
        self.fields["why_1"].help_text = _(
            "Answer each why from the one before. Stop when you reach a cause the school can "
            "act on: the last answer is the root cause."
        )
        self.order_fields(["problem", *self.why_names(), "findings"])
        linked = chain.findings.values_list("pk", flat=True) if chain else []
        offer_findings(self.fields["findings"], org, linked)

    @staticmethod
    def why_names() -> list[str]:
        return [f"why_{number}" for number in range(1, WHYS + 1)]

    @classmethod
    def initial_for(cls, chain: WhyChain) -> dict[str, Any]:
        initial: dict[str, Any] = {"problem": chain.problem, "revision": chain.revision}
        initial.update(zip(cls.why_names(), chain.whys, strict=False))
        initial["findings"] = list(chain.findings.order_by("pk"))
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = self.why_names()
        answered = [number for number, name in enumerate(names, start=1) if data.get(name)]
        last = max(answered, default=0)
        for number in range(1, last):
            name = names[number - 1]
            if not data.get(name) and name not in self.errors:
                self.add_error(
                    name,
                    _("Answer why %(n)s before why %(next)s: the chain can have no gaps.")
                    % {"n": number, "next": number + 1},
                )
        return data

    def whys(self) -> list[str]:
        return [self.cleaned_data[name] for name in self.why_names() if self.cleaned_data[name]]

    def apply(self, chain: WhyChain) -> None:
        chain.problem = self.cleaned_data["problem"]
        chain.whys = self.whys()


class WhyChainEditForm(WhyChainForm):
    revision = RevisionField()


class CauseForm(forms.ModelForm[Cause]):
    findings = FindingsField(help_text=_("Tick the findings that point to this cause."))

    class Meta:
        model = Cause
        fields = ["category", "text", "findings"]
        labels = {"category": _("Category"), "text": _("Possible cause")}
        widgets = {"category": forms.RadioSelect}
        help_texts = {
            "text": _(
                "One cause per entry, in a sentence. For example: New teachers get no coaching "
                "in their first year."
            ),
        }
        error_messages = {
            "category": {"required": _("Choose the category the cause belongs to.")},
            "text": {"required": _("Write the possible cause.")},
        }

    def __init__(self, *args: Any, org: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.TypedChoiceField)
        category.choices = Cause.Category.choices
        offer_findings(self.fields["findings"], org)
