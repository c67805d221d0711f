"""Yearly gains: how much schools actually moved one indicator from one year to the next.

A goal is attainable when the yearly gain it asks for is one that schools like it have
achieved. This module measures those gains in an aggregate table (aggregates.SCHEMA, with
the suppression columns when the table has them) and says where a required gain stands
among them.

An ``Indicator`` is one cell family of the table at an organization: a metric for a subject,
a grade and a student group, or the gap between two groups. A gap is the group's
*shortfall*: how many points it is behind the comparison group, so a gap that closes always
falls, whatever the metric. For a metric where higher is better (proficiency) that is
comparison − group; where higher is worse (chronic absence) it is group − comparison. A
group ahead of its comparison has a negative shortfall.

A yearly change is value(year) − value(year − 1) for one organization, for consecutive
years where both values exist and neither is suppressed (gaps.usable): a hidden or coded
cell is never part of a change. Changes keep the table's units (0–1 for rates, so 0.03 is
3 percentage points). Whether a rise or a fall is the gain is the caller's to say
(``improvements``).

Plain Python and Polars, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from headway.data.core.aggregates import ALL
from headway.data.core.gaps import HIGHER_IS_WORSE, usable

DECIMALS = 9  # values equal to 9 decimals are ties: 0.5 − 0.3 and 0.7 − 0.5 are one gain


@dataclass(frozen=True)
class Indicator:
    """One outcome of one organization's students, as the aggregate table has it."""

    metric: str
    subject: str = ALL
    grade: str = ALL
    group_type: str = ALL
    group_value: str = ALL
    compare_type: str = ""  # with compare_value: a gap between the two groups
    compare_value: str = ""

    @property
    def is_gap(self) -> bool:
        return bool(self.compare_value)

    def groups(self) -> list[tuple[str, str]]:
        """The student groups whose cells the indicator reads: one, or two for a gap."""
        mine = (self.group_type, self.group_value)
        return [mine, (self.compare_type, self.compare_value)] if self.is_gap else [mine]

    def where(self) -> pl.Expr:
        """The rows of the indicator's cells, every organization and year."""
        groups = pl.lit(False)
        for group_type, group_value in self.groups():
            groups = groups | (
                (pl.col("group_type") == group_type) & (pl.col("group_value") == group_value)
            )
        return (
            (pl.col("metric") == self.metric)
            & (pl.col("subject") == self.subject)
            & (pl.col("grade") == self.grade)
            & groups
        )


def shortfall(metric: str, group: float, comparison: float) -> float:
    """How far the group is behind its comparison group on ``metric``, in its units."""
    return group - comparison if metric in HIGHER_IS_WORSE else comparison - group


def series(frame: pl.DataFrame, indicator: Indicator, org_code: str) -> dict[int, float]:
    """The indicator's usable value at one organization, by school year, oldest first."""
    return _series(frame, indicator, [org_code]).get(org_code, {})


def yearly_changes(
    frame: pl.DataFrame, indicator: Indicator, org_codes: Iterable[str]
) -> list[float]:
    """Every organization's year-over-year changes of the indicator, in the table's units.

    Ordered by organization code, then year; an organization with fewer than two
    consecutive usable years adds nothing.
    """
    by_org = _series(frame, indicator, list(org_codes))
    changes: list[float] = []
    for code in sorted(by_org):
        values = by_org[code]
        changes += [values[y] - values[y - 1] for y in values if y - 1 in values]
    return changes


def improvements(changes: Sequence[float], *, decrease: bool) -> list[float]:
    """The changes as gains: a rise, or for an indicator that should fall, a fall."""
    return [-c if decrease else c for c in changes]


def percentile_of(x: float, gains: Sequence[float]) -> float:
    """The share of ``gains`` at or below ``x``, in percent (0–100).

    Ties count as at or below: a required gain equal to the largest gain any school made
    stands at the 100th percentile, and one equal to the smallest counts that school too.
    Values equal to DECIMALS decimals are ties. Raises ValueError without gains.
    """
    if not gains:
        raise ValueError("a percentile needs at least one gain")
    mark = round(x, DECIMALS)
    at_or_below = sum(1 for g in gains if round(g, DECIMALS) <= mark)
    return 100 * at_or_below / len(gains)


def share_at_least(x: float, gains: Sequence[float]) -> float:
    """The share of ``gains`` at least as large as ``x``, in percent (ties counted in)."""
    if not gains:
        raise ValueError("a share needs at least one gain")
    mark = round(x, DECIMALS)
    return 100 * sum(1 for g in gains if round(g, DECIMALS) >= mark) / len(gains)


def _series(
    frame: pl.DataFrame, indicator: Indicator, org_codes: list[str]
) -> dict[str, dict[int, float]]:
    cells = frame.filter(
        usable(frame), indicator.where(), pl.col("org_code").is_in(org_codes)
    ).select("org_code", "school_year", "group_type", "group_value", "value")
    values: dict[tuple[str, int, str, str], float] = {
        (row[0], int(row[1]), row[2], row[3]): row[4] for row in cells.iter_rows()
    }
    by_org: dict[str, dict[int, float]] = {}
    for code, year in sorted({(k[0], k[1]) for k in values}):
        value = _value(values, indicator, code, year)
        if value is not None:
            by_org.setdefault(code, {})[year] = value
    return by_org


def _value(
    values: dict[tuple[str, int, str, str], float], indicator: Indicator, code: str, year: int
) -> float | None:
    """The indicator in one year: the group's value, or the gap when both groups have one."""
    found = [values.get((code, year, *group)) for group in indicator.groups()]
    if any(v is None for v in found):
        return None
    if not indicator.is_gap:
        return found[0]
    group, comparison = found
    assert group is not None and comparison is not None
    return shortfall(indicator.metric, group, comparison)
