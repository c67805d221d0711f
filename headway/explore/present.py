"""Rows of the aggregate table as people read them: names, whole percents, hidden cells.

One place decides how a number is written, for both audiences: internal pages show every
value (and mark what the public does not see), public pages show the ``display`` text that
suppression wrote, never a number suppression removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from headway.data.core.aggregates import ALL
from headway.data.core.gaps import rate_metric
from headway.explore import labels

REASONS = {
    "MIN_N": _("fewer students than the minimum group size"),
    "COMPLEMENTARY": _("hidden so that a small group cannot be worked out from the others"),
    "TOP_CODE": _("shown as a range because almost every student is in it"),
    "BOTTOM_CODE": _("shown as a range because almost no student is in it"),
}


def is_rate(metric: str) -> bool:
    """Shown as a percent: the rates, and the shares of students at each level."""
    return rate_metric(metric) or metric.startswith(labels.LEVEL_PREFIX)


def number(value: float | None, metric: str) -> str:
    """A value as people read it: a whole percent for rates, a whole number for scores."""
    if value is None:
        return "—"
    return f"{value * 100:.0f}%" if is_rate(metric) else f"{value:.0f}"


@dataclass(frozen=True)
class Cell:
    """One row of the aggregate table, ready to show."""

    group_type: str
    group_value: str
    label: str
    metric: str
    n: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    text: str  # the value as shown: "47%", "≤5%", "n<10", "*"
    hidden: bool  # nothing to chart: the public sees no value
    reason: str  # why the public sees less ("" when it sees everything)
    school_year: int = 0

    @property
    def reason_text(self) -> str:
        return str(REASONS.get(self.reason, ""))

    @property
    def interval(self) -> str:
        if self.ci_low is None or self.ci_high is None:
            return ""
        return f"{number(self.ci_low, self.metric)}–{number(self.ci_high, self.metric)}"

    @property
    def n_text(self) -> str:
        return f"{self.n:,}" if self.n is not None else "—"

    @property
    def is_all(self) -> bool:
        return self.group_type == ALL


def cells(frame: pl.DataFrame, internal: bool) -> list[Cell]:
    """Every row of ``frame`` as a Cell, in the frame's order."""
    return [_cell(row, internal) for row in frame.iter_rows(named=True)]


def _cell(row: dict[str, Any], internal: bool) -> Cell:
    reason = row.get("reason") or ""
    value = row["value"]
    shown = number(value, row["metric"])
    text = shown if internal else (row.get("display") or shown)  # public: suppression's text
    return Cell(
        group_type=row["group_type"],
        group_value=row["group_value"],
        label=labels.group(row["group_type"], row["group_value"]),
        metric=row["metric"],
        n=row["n"],
        value=value,
        ci_low=row["ci_low"],
        ci_high=row["ci_high"],
        text=text,
        hidden=value is None,
        reason=reason,
        school_year=row["school_year"],
    )
