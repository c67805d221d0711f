from __future__ import annotations

from typing import Any

import polars as pl
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from headway.data.core.mapping import (
    ALL_FIELDS,
    ROW_ID,
    Mapping,
    MappingError,
    from_yaml,
    value_problem,
)
from headway.data.core.schema import TABLES, Field, Kind, Type
from headway.data.models import SavedMapping

NOT_IN_FILE = ("", _("— not in this file —"))
CONSTANT_FIELDS = ("school_year", "school_code", "window", "assessment", "subject")
TRANSLATED = (Type.CODE, Type.CODES, Type.BOOLEAN, Type.YEAR)
MAX_VALUES = 40


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (any common separator and encoding), a gzip-compressed CSV, Excel .xlsx, "
            "or a OneRoster 1.1 or 1.2 CSV package (.zip)."
        ),
    )
    groups = forms.FileField(
        label=_("Student-group file"),
        required=False,
        help_text=_(
            "Only with a OneRoster package: a CSV of student groups keyed by sourcedId, "
            "with CEDS column names (see the data guide)."
        ),
    )
    sheet = forms.CharField(
        label=_("Sheet"), required=False, help_text=_("For Excel files; the first sheet if empty.")
    )
    saved = forms.ModelChoiceField(
        label=_("Use a saved mapping"),
        queryset=SavedMapping.objects.none(),
        required=False,
        empty_label=_("— propose one from the file —"),
    )

    def __init__(self, *args: Any, district: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = self.fields["saved"]
        assert isinstance(saved, forms.ModelChoiceField)
        saved.queryset = SavedMapping.objects.filter(district=district)


def distinct_values(frame: pl.DataFrame, column: str) -> list[str]:
    """The most frequent values of a source column, for the value-translation table."""
    if column not in frame.columns:
        return []
    counts = frame[column].drop_nulls().value_counts(sort=True).head(MAX_VALUES)
    return [str(v) for v in counts[column].to_list()]


NO_VALUE = "__none__"  # a translation to "no value", unlike "" which keeps the value as written


def _choices_for(f: Field) -> list[tuple[str, Any]]:
    keep = [("", _("— as written —")), (NO_VALUE, _("— no value —"))]
    if f.type == Type.BOOLEAN:
        return [*keep, ("true", _("Yes")), ("false", _("No"))]
    return [*keep, *[(code, code) for code in f.codes]]


def _translation_field(f: Field, value: str, initial: str) -> forms.Field:
    """A text box for school years, else a choice of codes (keeping an unusual mapped target)."""
    if f.type == Type.YEAR:
        return forms.CharField(required=False, label=value, initial=initial)
    choices = _choices_for(f)
    if initial not in {code for code, _label in choices}:
        choices.append((initial, initial))
    return forms.ChoiceField(choices=choices, required=False, label=value, initial=initial)


def _initial(known: dict[str, str], value: str) -> str:
    target = known.get(value)
    return NO_VALUE if target == "" else (target or "")


class MappingForm(forms.Form):
    """The proposed mapping, shown field by field for the person to confirm or change."""

    kinds = forms.MultipleChoiceField(
        label=_("This file holds"),
        choices=[(k.value, k.value.title()) for k in Kind],
        widget=forms.CheckboxSelectMultiple,
    )
    proficient_levels = forms.MultipleChoiceField(
        label=_("Levels that count as proficient"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    not_tested_levels = forms.MultipleChoiceField(
        label=_("Levels that mean the student was not tested"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    save_as = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=120,
        help_text=_("Give it a name to reuse it for the next file with the same layout."),
    )

    def __init__(self, *args: Any, mapping: Mapping, frame: pl.DataFrame, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mapping, self.frame = mapping, frame
        self.fields["kinds"].initial = [k.value for k in mapping.kinds]
        column_choices: list[tuple[str, Any]] = [NOT_IN_FILE, *[(c, c) for c in frame.columns]]
        numbered: list[tuple[str, Any]] = [(ROW_ID, _("— number the rows (no ID in this file) —"))]
        for name, f in ALL_FIELDS.items():
            if f.derived:
                continue
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=f.label,
                choices=column_choices + (numbered if name == "student_id" else []),
                required=False,
                initial=mapping.columns.get(name, ""),
            )
            if name in CONSTANT_FIELDS:
                self.fields[f"const_{name}"] = forms.CharField(
                    label=_("or the same value on every row"),
                    required=False,
                    initial=mapping.constants.get(name, ""),
                )
        self._add_value_fields()
        self._add_level_fields()

    def _current_column(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(f"col_{name}", ""))
        return self.mapping.columns.get(name, "")

    def _add_value_fields(self) -> None:
        self.translations: list[tuple[Field, list[tuple[str, str]]]] = []
        for name, f in ALL_FIELDS.items():
            column = self._current_column(name)
            if f.derived or f.type not in TRANSLATED or not column:
                continue
            known = self.mapping.values.get(name, {})
            rows = []
            for i, value in enumerate(distinct_values(self.frame, column)):
                key = f"val_{name}_{i}"
                rows.append((key, value))
                self.fields[key] = _translation_field(f, value, _initial(known, value))
            self.translations.append((f, rows))

    def _add_level_fields(self) -> None:
        levels = distinct_values(self.frame, self._current_column("performance_level"))
        for name in ("proficient_levels", "not_tested_levels"):
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = [(level, level) for level in levels]
            field.initial = [lv for lv in getattr(self.mapping, name) if lv in levels]

    def translation_rows(self) -> list[tuple[Field, list[tuple[Any, str]]]]:
        """Each translated field with its (bound field, source value) rows, for the template."""
        return [(f, [(self[key], value) for key, value in rows]) for f, rows in self.translations]

    def table_groups(self) -> list[tuple[Kind, list[tuple[Any, Any]]]]:
        """Column and constant fields grouped by the table they belong to, for the template."""
        seen: set[str] = set()
        groups = []
        for kind in Kind:
            rows = []
            for f in TABLES[kind]:
                if f.derived or f.name in seen:
                    continue
                seen.add(f.name)
                const = self[f"const_{f.name}"] if f.name in CONSTANT_FIELDS else None
                rows.append((self[f"col_{f.name}"], const))
            groups.append((kind, rows))
        return groups

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for f, rows in getattr(self, "translations", []):
            for key, _value in rows:
                target = str(data.get(key) or "")
                problem = "" if target == NO_VALUE else value_problem(f, target)
                if problem:
                    self.add_error(key, problem)
        return data

    def to_mapping(self) -> Mapping:
        """The mapping as edited; what the form does not show (wide layouts) is kept as it was."""
        data = self.cleaned_data
        columns = {n: data[f"col_{n}"] for n in ALL_FIELDS if data.get(f"col_{n}")}
        return Mapping(
            name=data.get("save_as") or self.mapping.name,
            kinds=[Kind(k) for k in data["kinds"]],
            columns=columns,
            values=self._values(columns),
            constants=self._constants(columns),
            proficient_levels=list(data["proficient_levels"]),
            not_tested_levels=list(data["not_tested_levels"]),
            wide=self.mapping.wide,
            filters=self.mapping.filters,
            percents=[f for f in self.mapping.percents if f in columns],
        )

    def _values(self, columns: dict[str, str]) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        shown = {f.name for f, _rows in self.translations}
        values = {k: v for k, v in self.mapping.values.items() if k not in shown}
        for f, rows in self.translations:
            shown_values = {value for _key, value in rows}
            kept = self.mapping.values.get(f.name, {})
            merged = {v: t for v, t in kept.items() if v not in shown_values}
            merged |= {value: _target(str(data[key])) for key, value in rows if data.get(key)}
            if f.name in columns and merged:
                values[f.name] = merged
        return values

    def _constants(self, columns: dict[str, str]) -> dict[str, str]:
        data = self.cleaned_data
        constants = {k: v for k, v in self.mapping.constants.items() if k not in CONSTANT_FIELDS}
        for name in CONSTANT_FIELDS:
            value = str(data.get(f"const_{name}") or "").strip()
            if name not in columns and (value or name in self.mapping.constants):
                constants[name] = value
        return constants


def _target(choice: str) -> str:
    return "" if choice == NO_VALUE else choice


class YamlMappingForm(forms.Form):
    yaml = forms.CharField(
        label=_("Mapping (YAML)"), widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"})
    )

    def clean_yaml(self) -> str:
        text = str(self.cleaned_data["yaml"])
        try:
            self.mapping = from_yaml(text, source="the mapping")
        except MappingError as error:
            raise ValidationError(str(error)) from None
        return text
