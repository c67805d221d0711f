from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from headway.explore import labels
from headway.explore.models import Finding, ReportingSettings


class FindingForm(forms.Form):
    """A team's decision on a drafted finding."""

    STATES = {
        "pin": Finding.State.PINNED,
        "dismiss": Finding.State.DISMISSED,
        "restore": Finding.State.DRAFTED,
    }
    DONE = {
        "pin": _("Pinned: the needs assessment will use this finding."),
        "dismiss": _("Dismissed. You can bring it back under “Dismissed findings”."),
        "restore": _("The finding is back among the drafts."),
        "edit": _("Your wording was saved."),
    }

    action = forms.ChoiceField(choices=[(a, a) for a in DONE])
    text = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("action") == "edit" and not str(data.get("text", "")).strip():
            self.add_error(
                "text", _("Write the finding in your own words, or leave it as drafted.")
            )
        return data


FLAG_CHOICES = [(flag, label) for flag, (label, _other) in labels.FLAG_VALUES.items()]
COMBO_ROWS = 3


class ReportingForm(forms.ModelForm[ReportingSettings]):
    """A district's minimum group sizes, flags and combined groups."""

    class Meta:
        model = ReportingSettings
        fields = ["min_n", "change_min_n", "use_accountability_flags"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = list(self.instance.combos) + [{}] * COMBO_ROWS
        for i, combo in enumerate(saved[: max(COMBO_ROWS, len(self.instance.combos))]):
            self.fields[f"combo_{i}_name"] = forms.CharField(
                label=_("Combined group %(i)s: name") % {"i": i + 1},
                required=False,
                max_length=80,
                initial=combo.get("name", ""),
            )
            self.fields[f"combo_{i}_flags"] = forms.MultipleChoiceField(
                label=_("Combined group %(i)s: students who are all of") % {"i": i + 1},
                choices=FLAG_CHOICES,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[f for f, yes in combo.get("flags", {}).items() if yes],
            )

    def combo_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        names = [n for n in self.fields if n.startswith("combo_") and n.endswith("_name")]
        return [(self[n], self[n.replace("_name", "_flags")]) for n in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        combos, seen = [], set()
        for name_field, flags_field in self.combo_rows():
            name = str(data.get(name_field.name, "")).strip()
            flags = data.get(flags_field.name) or []
            if not name and not flags:
                continue
            if not name or len(flags) < 2:
                self.add_error(
                    name_field.name,
                    _("A combined group needs a name and at least two groups ticked."),
                )
            elif name in seen:
                self.add_error(name_field.name, _("Two combined groups have this name."))
            seen.add(name)
            combos.append({"name": name, "flags": dict.fromkeys(flags, True)})
        self.instance.combos = combos
        return data
