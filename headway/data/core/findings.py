"""Drafted findings: observations worth a team's attention, written from gaps, trends and
similar schools for the needs assessment, where the team confirms, edits or rejects them.

Rules:

- Only what statistics support becomes a finding: a gap or change the tests of gaps.py call
  larger than chance. The exception is below_similar, which rests on the school's place
  among similar schools (bottom quarter), not on a test.
- Findings are about now: the latest year of each organization in the frames given; a
  trend must reach that year.
- Findings end up in plans shared beyond the team, so they follow the public rules whatever
  table the gaps and trends were computed from: every cell a finding rests on must be shown
  in the suppressed table (``aggregates`` itself if already suppressed, else
  suppression.suppress(aggregates, policy, parents)) and have at least policy.min_n students.
- Each kind is ranked by size (points, or how far into the bottom quarter), ties by the
  cell key, and capped at ``limit``; kinds come in KINDS order.
- ``Finding.key`` names the observation, not its numbers (kind, organization, year, subject,
  grade, group, metric), so a team's pin or dismissal survives a recomputation.

Plain Python and Polars, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

import polars as pl

from headway.data.core import words
from headway.data.core.aggregates import ALL, KEY, SUPPRESSION_SCHEMA
from headway.data.core.convert import year_label
from headway.data.core.gaps import (
    NARROWING,
    WIDENING,
    better_sign,
    higher_is_better,
    rate_metric,
    usable,
)
from headway.data.core.similar import Similar
from headway.data.core.suppression import Policy, suppress

KINDS = (
    "largest_gap",
    "gap_widening",
    "declining_trend",
    "large_change",
    "below_similar",
    "gap_narrowing",
)
LARGEST_GAP, GAP_WIDENING, DECLINING_TREND, LARGE_CHANGE, BELOW_SIMILAR, GAP_NARROWING = KINDS
BOTTOM_QUARTER = 25.0  # below_similar: better than under a quarter of the similar schools
MIN_SIMILAR = 4  # similar schools with an outcome needed for a quarter to mean something
TREND_YEARS = 3  # years a declining trend needs (two are a change: large_change)

Number = int | float | None


class Filters(TypedDict):
    """What locates a finding's chart: one cell of the aggregate table."""

    org_code: str
    school_year: int
    subject: str
    grade: str
    group_type: str
    group_value: str
    metric: str


@dataclass(frozen=True)
class Finding:
    """One drafted observation; hashable and compared on all its fields."""

    kind: str  # one of KINDS
    key: str  # stable identity: kind|org_code|school_year|subject|grade|group_type|…
    title: str
    text: str  # plain words, with the numbers
    numbers: dict[str, Number] = field(hash=False)  # values in table units, gaps in points
    filters: Filters = field(hash=False)


def draft(
    aggregates: pl.DataFrame,
    gaps: pl.DataFrame,
    trends: pl.DataFrame,
    similar: Similar | None = None,
    *,
    policy: Policy,
    limit: int = 3,
    parents: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Findings from gaps.gaps and gaps.trends frames (and a similar.nearest result), at
    most ``limit`` per kind. ``parents`` is passed to suppress (see the module docstring).
    """
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    shown = _shown(aggregates, policy, parents)
    drafted = [
        *_largest_gaps(gaps, shown, limit),
        *_gap_trends(trends, shown, limit, GAP_WIDENING),
        *_declines(trends, shown, limit),
        *_changes(trends, shown, limit),
        *_below_similar(similar, shown),
        *_gap_trends(trends, shown, limit, GAP_NARROWING),
    ]
    return sorted(drafted, key=lambda f: KINDS.index(f.kind))  # stable: ranks kept


# --- what may be used ------------------------------------------------------------------------


def _shown(
    aggregates: pl.DataFrame, policy: Policy, parents: Mapping[str, str] | None
) -> pl.DataFrame:
    """The KEY of every cell a finding may rest on (see the module docstring)."""
    done = all(c in aggregates.columns for c in SUPPRESSION_SCHEMA)
    public = aggregates if done else suppress(aggregates, policy, parents)
    return public.filter(usable(public), pl.col("n") >= policy.min_n).select(KEY).unique()


def _resting_on(
    frame: pl.DataFrame, shown: pl.DataFrame, year: str, everyone: bool = False
) -> pl.DataFrame:
    """The rows of frame whose cell in the year column ``year`` (all students' cell with
    ``everyone``) is in shown."""
    cell = {k: pl.col(k) for k in KEY} | {"school_year": pl.col(year).cast(pl.Int16)}
    if everyone:
        cell |= {"group_type": pl.lit(ALL), "group_value": pl.lit(ALL)}
    named = frame.with_columns(cell[k].alias(f"__{k}") for k in KEY)
    keys = [f"__{k}" for k in KEY]
    kept = named.filter(pl.col(year).is_not_null()).join(
        shown, left_on=keys, right_on=list(KEY), how="semi"
    )
    return kept.drop(keys)


def _all_resting_on(
    frame: pl.DataFrame, shown: pl.DataFrame, years: tuple[str, ...], everyone: bool
) -> pl.DataFrame:
    """_resting_on for each year column, and for all students' cells too with everyone."""
    for year in years:
        frame = _resting_on(frame, shown, year)
        if everyone:
            frame = _resting_on(frame, shown, year, everyone=True)
    return frame


def _latest(frame: pl.DataFrame) -> pl.DataFrame:
    """frame with ``__latest``: its organization's latest year in the frame."""
    latest = pl.col("school_year").max().over("org_code", "org_level")
    return frame.with_columns(latest.alias("__latest"))


def _now(year: str = "school_year") -> pl.Expr:
    """Whether the row's ``year`` is its organization's latest (see _latest)."""
    return pl.col(year) == pl.col("__latest")


def _top(frame: pl.DataFrame, size: pl.Expr, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` largest rows by size, ties by cell key, as dicts."""
    ranked = frame.with_columns(size.alias("__size")).sort(
        ["__size", *KEY], descending=[True, *([False] * len(KEY))]
    )
    return ranked.head(limit).to_dicts()


# --- gaps ------------------------------------------------------------------------------------


def _worse(value: str) -> pl.Expr:
    """Whether a signed difference in column ``value`` is a group doing worse."""
    return pl.col(value) * better_sign(pl.col("metric")) < 0


def _largest_gaps(gaps: pl.DataFrame, shown: pl.DataFrame, limit: int) -> list[Finding]:
    """Groups behind all students by a supported gap, latest year, largest first."""
    supported = pl.col("all_supported").fill_null(False)
    rows = _latest(gaps).filter(_now(), supported, _worse("gap_to_all"))
    rows = _all_resting_on(rows, shown, ("school_year",), everyone=True)
    return [_largest_gap(row) for row in _top(rows, pl.col("gap_to_all").abs(), limit)]


def _largest_gap(row: dict[str, Any]) -> Finding:
    rate = rate_metric(row["metric"])
    apart = words.shown_number(row["value"], rate) - words.shown_number(row["all_value"], rate)
    side = "below" if row["gap_to_all"] < 0 else "above"
    title = f"{_group(row)}: {words.about(apart)} {side} all students in {_topic(row)}"
    numbers: dict[str, Number] = {
        "value": row["value"],
        "all_value": row["all_value"],
        "gap": row["gap_to_all"],
        "n": row["n"],
        "all_n": row["all_n"],
        "z": row["all_z"],
    }
    return _finding(LARGEST_GAP, row, row["school_year"], title, row["sentence"], numbers)


# --- trends ----------------------------------------------------------------------------------


GAP_TRENDS = {GAP_WIDENING: WIDENING, GAP_NARROWING: NARROWING}  # kind → gaps.trends' word


def _series(trends: pl.DataFrame) -> pl.DataFrame:
    """One row per series, its last row (the series columns repeat on each), knowing the
    latest year of all the organization's series."""
    return _latest(trends).filter(pl.col("school_year") == pl.col("last_year"))


def _gap_trends(trends: pl.DataFrame, shown: pl.DataFrame, limit: int, kind: str) -> list[Finding]:
    """Supported widening (or narrowing) gaps reaching the latest year."""
    rows = _series(trends).filter(
        _now("gap_last_year"),
        pl.col("gap_trend") == GAP_TRENDS[kind],
        pl.col("gap_trend_supported").fill_null(False),
    )
    ends = ("gap_first_year", "gap_last_year")
    rows = _all_resting_on(rows, shown, ends, everyone=True)
    size = (pl.col("gap_last").abs() - pl.col("gap_first").abs()).abs()
    return [_gap_trend(row, kind) for row in _top(rows, size, limit)]


def _gap_trend(row: dict[str, Any], kind: str) -> Finding:
    title = (
        f"The gap between {words.group_label(row['group_type'], row['group_value'])} and "
        f"all students in {_topic(row)} is {GAP_TRENDS[kind]}"
    )
    numbers: dict[str, Number] = {
        "first_year": row["gap_first_year"],
        "last_year": row["gap_last_year"],
        "gap_first": row["gap_first"],
        "gap_last": row["gap_last"],
    }
    return _finding(kind, row, row["gap_last_year"], title, row["gap_sentence"], numbers)


def _declines(trends: pl.DataFrame, shown: pl.DataFrame, limit: int) -> list[Finding]:
    """Supported first-to-last declines over at least TREND_YEARS years, to the latest."""
    rows = _series(trends).filter(
        _now("last_year"),
        pl.col("trend_years") >= TREND_YEARS,
        pl.col("trend_supported").fill_null(False),
        _worse("trend_change"),
    )
    rows = _all_resting_on(rows, shown, ("first_year", "last_year"), everyone=False)
    return [_decline(row) for row in _top(rows, pl.col("trend_change").abs(), limit)]


def _decline(row: dict[str, Any]) -> Finding:
    since = year_label(row["first_year"])
    title = (
        f"{words.capital(_topic(row))} has worsened for {_group(row, start=False)} since {since}"
    )
    numbers: dict[str, Number] = {
        "first_year": row["first_year"],
        "last_year": row["last_year"],
        "first_value": row["first_value"],
        "last_value": row["last_value"],
        "change": row["trend_change"],
    }
    return _finding(DECLINING_TREND, row, row["last_year"], title, row["trend_sentence"], numbers)


def _changes(trends: pl.DataFrame, shown: pl.DataFrame, limit: int) -> list[Finding]:
    """Supported year-over-year changes into the latest year, either way, largest first."""
    rows = _latest(trends).filter(_now(), pl.col("change_supported").fill_null(False))
    rows = _all_resting_on(rows, shown, ("school_year", "prior_year"), everyone=False)
    return [_change(row) for row in _top(rows, pl.col("change").abs(), limit)]


def _change(row: dict[str, Any]) -> Finding:
    rate = rate_metric(row["metric"])
    moved = words.shown_number(row["value"], rate) - words.shown_number(row["prior_value"], rate)
    verb = "rose" if row["change"] > 0 else "fell"
    title = (
        f"{words.capital(_topic(row))} {verb} {words.about(moved)} for "
        f"{_group(row, start=False)} in {year_label(row['school_year'])}"
    )
    numbers: dict[str, Number] = {
        "prior_year": row["prior_year"],
        "school_year": row["school_year"],
        "prior_value": row["prior_value"],
        "value": row["value"],
        "change": row["change"],
        "z": row["change_z"],
    }
    return _finding(LARGE_CHANGE, row, row["school_year"], title, row["sentence"], numbers)


# --- similar schools -------------------------------------------------------------------------


def _below_similar(similar: Similar | None, shown: pl.DataFrame) -> list[Finding]:
    """The school in the bottom quarter of its similar schools on the measure."""
    if similar is None or similar.measure is None or similar.outcome is None:
        return []
    if similar.percentile is None or similar.outcomes_known < MIN_SIMILAR:
        return []
    measure = similar.measure
    up = higher_is_better(measure.metric)
    better = similar.percentile if up else 100 - similar.percentile
    cell = (similar.school, "school", similar.year, measure.subject, measure.grade, ALL, ALL)
    row = dict(zip(KEY, (*cell, measure.metric), strict=True))
    if (
        better >= BOTTOM_QUARTER
        or _resting_on(pl.DataFrame([row]), shown, "school_year").is_empty()
    ):
        return []
    return [_below(similar, similar.outcome, row, better)]


def _below(similar: Similar, outcome: float, row: dict[str, Any], better: float) -> Finding:
    up = higher_is_better(row["metric"])
    outcomes = [x for x in similar.schools.get_column("outcome").to_list() if x is not None]
    beaten = sum(1 for x in outcomes if (x < outcome if up else x > outcome))
    level = sum(1 for x in outcomes if x == outcome)
    amount = words.amount_text(outcome, rate_metric(row["metric"]))
    ties = f" and level with {level}" if level else ""
    text = (
        f"This school's {_topic(row)}, {amount} in {year_label(similar.year)}, is better than "
        f"{beaten or 'none'}{ties} of the {len(outcomes)} most similar schools in the "
        f"{similar.pool}, which puts it in the bottom quarter of them."
    )
    title = f"{words.capital(_topic(row))} in the bottom quarter of similar schools"
    numbers: dict[str, Number] = {
        "outcome": outcome,
        "percentile": similar.percentile,
        "better_than_share": better,
        "similar_schools": len(outcomes),
        "better_than": beaten,
        "level_with": level,
    }
    # Another pool is another observation: the key names it.
    return _finding(BELOW_SIMILAR, row, similar.year, title, text, numbers, similar.pool)


# --- building --------------------------------------------------------------------------------


def _group(row: dict[str, Any], start: bool = True) -> str:
    label = words.group_label(row["group_type"], row["group_value"])
    return words.capital(label) if start else label


def _topic(row: dict[str, Any]) -> str:
    return words.topic(row["metric"], row["subject"], row["grade"])


def _finding(
    kind: str,
    row: dict[str, Any],
    year: int,
    title: str,
    text: str,
    numbers: dict[str, Number],
    *qualifiers: str,
) -> Finding:
    """A Finding located on row's cell in ``year`` (the chart's year); its key is the kind,
    the location and any qualifiers."""
    filters = Filters(
        org_code=row["org_code"],
        school_year=int(year),
        subject=row["subject"],
        grade=row["grade"],
        group_type=row["group_type"],
        group_value=row["group_value"],
        metric=row["metric"],
    )
    key = "|".join(str(v) for v in (kind, *filters.values(), *qualifiers))
    return Finding(kind, key, title, text, numbers, filters)
