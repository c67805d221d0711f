"""Yearly gains of schools on one indicator, and where a required gain stands among them.

Every expected number is worked out by hand in the test: values are counts out of 100, so
a change from 40/100 to 43/100 is 0.03 (3 percentage points).
"""

from __future__ import annotations

import polars as pl
import pytest

from headway.data.core.aggregates import SUPPRESSION_SCHEMA
from headway.data.core.gains import (
    Indicator,
    improvements,
    percentile_of,
    series,
    share_at_least,
    shortfall,
    yearly_changes,
)
from headway.data.core.suppression import Policy, suppress

from .aggregate_cells import ALL, EL, NOT_EL, RATE, Row, rate, table

MATH = Indicator(RATE, subject="math")
EL_MATH = Indicator(RATE, subject="math", group_type=EL[0], group_value=EL[1])
EL_GAP = Indicator(
    RATE,
    subject="math",
    group_type=EL[0],
    group_value=EL[1],
    compare_type=NOT_EL[0],
    compare_value=NOT_EL[1],
)
ABSENCE = "chronic_absence_rate"


def years(
    org: str, counts: dict[int, int], group: tuple[str, str] = ALL, subject: str = "math"
) -> list[Row]:
    """One cell per year with ``count`` of 100 students."""
    return [rate(group, 100, c, year=y, org=org, subject=subject) for y, c in counts.items()]


def test_it_gives_each_schools_change_between_consecutive_years() -> None:
    frame = table(
        years("S1", {2021: 40, 2022: 43, 2023: 41})  # +3, −2
        + years("S2", {2022: 50, 2023: 56})  # +6
        + years("S3", {2023: 70})  # one year: no change
    )
    changes = yearly_changes(frame, MATH, ["S1", "S2", "S3"])
    assert changes == pytest.approx([0.03, -0.02, 0.06])


def test_it_skips_a_missing_year_instead_of_spanning_it() -> None:
    frame = table(years("S1", {2020: 30, 2022: 40, 2023: 45}))  # 2021 missing: only +5
    assert yearly_changes(frame, MATH, ["S1"]) == pytest.approx([0.05])


def test_it_reads_only_the_schools_it_is_given_and_the_indicators_cells() -> None:
    frame = table(
        years("S1", {2022: 40, 2023: 50})
        + years("S2", {2022: 10, 2023: 90})  # not asked for
        + years("S1", {2022: 20, 2023: 60}, subject="ela")  # another subject
        + years("S1", {2022: 20, 2023: 21}, group=EL)  # another group
    )
    assert yearly_changes(frame, MATH, ["S1"]) == pytest.approx([0.10])
    assert yearly_changes(frame, EL_MATH, ["S1"]) == pytest.approx([0.01])


def test_a_suppressed_year_takes_part_in_no_change() -> None:
    rows = years("S1", {2021: 40, 2022: 42, 2023: 47})
    rows[1]["suppressed"] = True  # 2022 hidden: neither 2021→22 nor 2022→23 counts
    frame = pl.DataFrame(
        rows, schema=table([]).schema | SUPPRESSION_SCHEMA, orient="row"
    ).with_columns(pl.col("suppressed").fill_null(False))
    assert yearly_changes(frame, MATH, ["S1"]) == []
    assert series(frame, MATH, "S1") == pytest.approx({2021: 0.40, 2023: 0.47})


def test_a_small_groups_cells_are_hidden_by_suppression_and_give_no_change() -> None:
    rows = [
        rate(ALL, 100, 40, year=2022),
        rate(EL, 6, 3, year=2022),  # under the minimum of 10: hidden
        rate(NOT_EL, 94, 37, year=2022),
        rate(ALL, 100, 45, year=2023),
        rate(EL, 20, 10, year=2023),
        rate(NOT_EL, 80, 35, year=2023),
    ]
    public = suppress(table(rows), Policy(), {})
    assert yearly_changes(public, EL_MATH, ["S1"]) == []
    assert yearly_changes(public, MATH, ["S1"]) == pytest.approx([0.05])


def test_a_gap_is_how_far_the_group_is_behind_its_comparison() -> None:
    frame = table(
        years("S1", {2022: 30, 2023: 38}, group=EL)
        + years("S1", {2022: 60, 2023: 62}, group=NOT_EL)
    )
    # 2022: 60 − 30 = 30 points behind; 2023: 62 − 38 = 24 behind: the gap fell 6 points.
    assert series(frame, EL_GAP, "S1") == pytest.approx({2022: 0.30, 2023: 0.24})
    assert yearly_changes(frame, EL_GAP, ["S1"]) == pytest.approx([-0.06])


def test_a_gap_on_a_measure_where_higher_is_worse_is_group_minus_comparison() -> None:
    assert shortfall(ABSENCE, group=0.25, comparison=0.10) == pytest.approx(0.15)
    assert shortfall(RATE, group=0.25, comparison=0.10) == pytest.approx(-0.15)


def test_a_gap_needs_both_groups_in_the_same_year() -> None:
    frame = table(
        years("S1", {2021: 30, 2022: 35, 2023: 38}, group=EL)
        + years("S1", {2021: 60, 2023: 62}, group=NOT_EL)
    )
    assert series(frame, EL_GAP, "S1") == pytest.approx({2021: 0.30, 2023: 0.24})
    assert yearly_changes(frame, EL_GAP, ["S1"]) == []


def test_a_fall_is_the_gain_when_the_indicator_should_decrease() -> None:
    assert improvements([0.03, -0.02], decrease=False) == [0.03, -0.02]
    assert improvements([0.03, -0.02], decrease=True) == [-0.03, 0.02]


# --- percentiles -------------------------------------------------------------------------------

TEN = [0.01 * k for k in range(1, 11)]  # 1, 2, …, 10 points


def test_the_percentile_is_the_share_of_gains_at_or_below() -> None:
    assert percentile_of(0.045, TEN) == 40  # 1, 2, 3, 4 of ten
    assert percentile_of(0.0, TEN) == 0
    assert percentile_of(0.5, TEN) == 100


def test_a_tie_counts_as_at_or_below() -> None:
    assert percentile_of(0.04, TEN) == 40  # 1, 2, 3 and the tied 4
    assert percentile_of(0.10, TEN) == 100  # the largest gain any school made
    assert percentile_of(0.01, TEN) == 10


def test_gains_equal_to_nine_decimals_are_ties() -> None:
    gains = [0.7 - 0.5, 0.1]  # 0.19999999999999996
    assert percentile_of(0.5 - 0.3, gains) == 100  # 0.2


def test_the_share_at_least_as_large_counts_ties_in() -> None:
    assert share_at_least(0.09, TEN) == 20  # 9 and 10
    assert share_at_least(0.095, TEN) == 10
    assert share_at_least(0.2, TEN) == 0


def test_a_percentile_needs_gains() -> None:
    with pytest.raises(ValueError):
        percentile_of(0.1, [])
    with pytest.raises(ValueError):
        share_at_least(0.1, [])
