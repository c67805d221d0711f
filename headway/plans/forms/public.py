"""The public summary's form: the words that open it, and whether it is published."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from headway.lib.revisions import RevisionField
from headway.plans.models import Plan

PUBLISHING = ("summary", "published")


class PublishForm(forms.ModelForm[Plan]):
    revision = RevisionField()

    class Meta:
        model = Plan
        fields = list(PUBLISHING)
        labels = {
            "summary": _("Summary for families"),
            "published": _("Publish the summary"),
        }
        help_texts = {
            "summary": _(
                "A few sentences in plain words: what the school wants for its students "
                "and the main things it will do. They open the public summary."
            ),
            "published": _(
                "Everyone who may see the school in Headway, families and the community "
                "included, can then read the summary. Budgets, names and action steps stay "
                "inside the team."
            ),
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("published") and not (data.get("summary") or "").strip():
            self.add_error("summary", _("Write a few sentences for families before publishing."))
        return data

    @staticmethod
    def stored(plan: Plan) -> dict[str, Any]:
        """The plan as stored, for the conflict table."""
        return {name: getattr(plan, name) for name in PUBLISHING}
