"""gaps() and trends(): the numbers and sentences a team reads about its student groups.

Expected z values are worked out by hand in the comments (pooled two-proportion test,
z = (p₁ − p₂) / √(p(1 − p)(1/n₁ + 1/n₂)) with p the pooled rate); property tests check, on
random tables built from made-up students, every row against a plain-Python oracle and, on
the suppressed table, that no result rests on a cell the public may not see.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings

from headway.data.core.aggregates import KEY
from headway.data.core.gaps import (
    GAP_SCHEMA,
    HIDDEN,
    INTERVAL_OVERLAP,
    MEAN_Z,
    NARROWING,
    NO_PRIOR_YEAR,
    STEADY,
    TREND_SCHEMA,
    TWO_PROPORTION_Z,
    WIDENING,
    gaps,
    trends,
)
from headway.data.core.suppression import CHANGE_MIN_N, Policy, suppress

from .aggregate_cells import ALL, EL, NOT_EL, RATE, Row, mean, rate, school_table, table, years

POLICY = Policy()
ABSENCE = "chronic_absence_rate"
HI, WH, AS = ("race_ethnicity", "HI"), ("race_ethnicity", "WH"), ("race_ethnicity", "AS")


def one(frame: pl.DataFrame, group: tuple[str, str], **where: Any) -> dict[str, Any]:
    """The single row of frame for group (and the other columns given)."""
    rows = frame.filter(
        pl.col("group_type") == group[0],
        pl.col("group_value") == group[1],
        *(pl.col(c) == v for c, v in where.items()),
    )
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def groups_in(frame: pl.DataFrame) -> set[tuple[str, str]]:
    return set(frame.select("group_type", "group_value").iter_rows())


# --- gaps: numbers and tests -----------------------------------------------------------------


def test_it_gives_the_gap_to_all_students_in_points_with_a_two_proportion_z_test() -> None:
    frame = gaps(table([rate(ALL, 200, 94), rate(EL, 100, 28)]), policy=POLICY)
    row = one(frame, EL)
    # pooled p = 122/300 = 0.40667; se = √(0.40667·0.59333·(1/100 + 1/200)) = 0.060161;
    # z = (0.28 − 0.47) / 0.060161 = −3.1582
    assert row["gap_to_all"] == pytest.approx(-19.0)
    assert row["all_value"] == pytest.approx(0.47)
    assert (row["all_test"], row["all_supported"]) == (TWO_PROPORTION_Z, True)
    assert row["all_z"] == pytest.approx(-3.1582, abs=1e-4)
    assert row["sentence"] == (
        "English learners: 28% proficient, 19 points below all students (47%); "
        "the difference is larger than chance would explain."
    )


def test_a_difference_chance_could_produce_is_said_to_be_within_chance() -> None:
    frame = gaps(table([rate(ALL, 200, 94), rate(EL, 100, 40)]), policy=POLICY)
    row = one(frame, EL)
    # pooled p = 134/300 = 0.44667; se = 0.060888; z = −0.07 / 0.060888 = −1.1497
    assert row["all_z"] == pytest.approx(-1.1497, abs=1e-4)
    assert row["all_supported"] is False
    assert row["sentence"] == (
        "English learners: 40% proficient, 7 points below all students (47%); "
        "the difference is within what chance alone could produce."
    )


@pytest.mark.parametrize(
    ("group", "everyone", "z", "supported"),
    [
        # 22/50 against 28/100: pooled 50/150 = 1/3, se = √(2/9·0.03) = 0.08165,
        # z = 0.16/0.08165 = 1.95959, a hair under 1.959964: p = 0.05004, not supported
        ((50, 22), (100, 28), 1.95959, False),
        # 19/50 against 55/100: pooled 74/150, se = 0.08149, z = −0.17/0.08149 = −1.96317
        ((50, 19), (100, 55), -1.96317, True),
    ],
)
def test_the_line_is_a_two_sided_five_percent_test(
    group: tuple[int, int], everyone: tuple[int, int], z: float, supported: bool
) -> None:
    frame = gaps(table([rate(ALL, *everyone), rate(EL, *group)]), policy=POLICY)
    row = one(frame, EL)
    assert row["all_z"] == pytest.approx(z, abs=1e-5)
    assert row["all_supported"] is supported


def test_without_a_published_count_it_asks_whether_the_intervals_overlap() -> None:
    # 9 of 30 English learners: R-SUP-2 hides the count of 9 from the public. The z-test on
    # the counts would call the gap real (pooled 109/230, se = 0.09776, z = −2.046), but
    # the public table only allows the intervals: 9/30 → [0.167, 0.479] reaches into
    # all students' [0.431, 0.569], so the public page says "chance".
    internal = table([rate(ALL, 200, 100), rate(EL, 30, 9), rate(NOT_EL, 170, 91)])
    public = suppress(internal, POLICY)
    assert one(public, EL)["count"] is None
    inside, outside = one(gaps(internal, policy=POLICY), EL), one(gaps(public, policy=POLICY), EL)
    assert (inside["all_test"], inside["all_supported"]) == (TWO_PROPORTION_Z, True)
    assert inside["all_z"] == pytest.approx(-2.0458, abs=1e-4)
    assert (outside["all_test"], outside["all_z"], outside["all_supported"]) == (
        INTERVAL_OVERLAP,
        None,
        False,
    )


def test_intervals_that_do_not_overlap_support_the_difference() -> None:
    # 6 of 30: [0.095, 0.373], wholly below all students' [0.431, 0.569]
    public = suppress(table([rate(ALL, 200, 100), rate(EL, 30, 6), rate(NOT_EL, 170, 94)]), POLICY)
    row = one(gaps(public, policy=POLICY), EL)
    assert (row["all_test"], row["all_supported"]) == (INTERVAL_OVERLAP, True)


def test_mean_scores_are_compared_with_a_z_test_from_their_standard_errors() -> None:
    rows = [mean(ALL, 200, 250.0, 4.0), mean(EL, 60, 240.0, 3.0), mean(NOT_EL, 140, 245.0, 3.0)]
    frame = gaps(table(rows), policy=POLICY)
    el, other = one(frame, EL), one(frame, NOT_EL)
    # z = (240 − 250) / √(3² + 4²) = −10/5 = −2.0; (245 − 250)/5 = −1.0
    assert (el["all_test"], el["all_z"], el["all_supported"]) == (MEAN_Z, -2.0, True)
    assert (other["all_z"], other["all_supported"]) == (-1.0, False)
    assert el["gap_to_all"] == -10.0
    assert el["sentence"] == (
        "English learners: average scale score 240, 10 points below all students (250); "
        "the difference is larger than chance would explain."
    )


def test_a_mean_without_a_standard_error_cannot_be_tested() -> None:
    frame = gaps(table([mean(ALL, 200, 250.0, 4.0), mean(EL, 1, 230.0, None)]), policy=POLICY)
    row = one(frame, EL)
    assert (row["all_test"], row["all_z"], row["all_supported"]) == (None, None, None)
    assert row["sentence"].endswith(
        "; there is too little data to tell whether the difference is more than chance."
    )


def test_rates_of_zero_on_both_sides_are_no_difference() -> None:
    frame = gaps(table([rate(ALL, 200, 0), rate(EL, 50, 0)]), policy=POLICY)
    row = one(frame, EL)
    assert (row["gap_to_all"], row["all_z"], row["all_supported"]) == (0.0, None, False)


# --- gaps: the best group ----------------------------------------------------------------------


def test_the_best_group_is_the_highest_of_its_group_type() -> None:
    rows = [rate(ALL, 200, 94), rate(EL, 100, 28), rate(NOT_EL, 100, 66)]
    frame = gaps(table(rows), policy=POLICY)
    el, other = one(frame, EL), one(frame, NOT_EL)
    # pooled (28 + 66)/200 = 0.47; se = √(0.47·0.53·0.02) = 0.070583; z = −0.38/0.070583
    assert (el["best_group"], el["best_value"]) == ("false", 0.66)
    assert el["gap_to_best"] == pytest.approx(-38.0)
    assert el["best_z"] == pytest.approx(-5.3837, abs=1e-4)
    assert el["best_sentence"] == (
        "English learners: 28% proficient, 38 points below students who are not English "
        "learners (66%), the best result among groups by English learner status; "
        "the difference is larger than chance would explain."
    )
    assert other["gap_to_best"] == 0.0
    assert other["best_sentence"] == (
        "Students who are not English learners: 66% proficient, the best result among "
        "groups by English learner status."
    )


def test_for_absence_and_suspension_the_best_group_is_the_lowest() -> None:
    rows = [
        rate(ALL, 200, 30, metric=ABSENCE, subject="all"),
        rate(HI, 100, 30, metric=ABSENCE, subject="all"),
        rate(WH, 80, 10, metric=ABSENCE, subject="all"),
        rate(AS, 20, 3, metric=ABSENCE, subject="all"),
    ]
    frame = gaps(table(rows), policy=POLICY)
    hispanic = one(frame, HI)
    assert hispanic["best_group"] == "WH"
    # pooled 60/300 = 0.2; se = √(0.2·0.8·(1/100 + 1/200)) = 0.04899; z = 0.15/0.04899
    assert hispanic["all_z"] == pytest.approx(3.0619, abs=1e-4)
    assert hispanic["sentence"] == (
        "Hispanic or Latino students: 30% chronically absent, 15 points above all students "
        "(15%); the difference is larger than chance would explain."
    )
    assert hispanic["best_sentence"].startswith(
        "Hispanic or Latino students: 30% chronically absent, 17 points above White students "
        "(13%), the best result among groups by race/ethnicity;"  # 12.5 % prints as 13 %
    )


def test_a_group_smaller_than_the_minimum_is_never_the_bar() -> None:
    rows = [rate(ALL, 200, 120), rate(HI, 100, 50), rate(WH, 80, 60), rate(AS, 5, 5)]
    frame = gaps(table(rows), policy=POLICY)
    assert {r["best_group"] for r in frame.iter_rows(named=True)} == {"WH"}
    assert one(frame, AS)["gap_to_best"] == pytest.approx(25.0)  # 100 % against 75 %


def test_ties_for_best_go_to_the_first_group_by_name() -> None:
    rows = [rate(ALL, 200, 100), rate(WH, 100, 60), rate(HI, 100, 60)]
    assert set(gaps(table(rows), policy=POLICY).get_column("best_group")) == {"HI"}


# --- gaps: what is compared and printed --------------------------------------------------------


def test_it_compares_rates_and_means_but_not_level_shares_or_all_students() -> None:
    rows = [
        rate(ALL, 200, 94),
        rate(EL, 100, 28),
        rate(ALL, 200, 50, metric="level_share:Advanced"),
        rate(EL, 100, 10, metric="level_share:Advanced"),
        rate(ALL, 200, 190, metric="participation_rate"),
        rate(EL, 100, 90, metric="participation_rate"),
        mean(ALL, 200, 250.0, 4.0),
        mean(EL, 100, 240.0, 3.0),
    ]
    frame = gaps(table(rows), policy=POLICY)
    assert frame.columns == list(GAP_SCHEMA)
    assert sorted(frame.get_column("metric")) == [
        "mean_scale_score",
        "participation_rate",
        "proficiency_rate",
    ]
    assert groups_in(frame) == {EL}


def test_each_org_year_subject_and_grade_is_compared_on_its_own() -> None:
    rows = [
        rate(ALL, 200, 94),
        rate(EL, 100, 28),
        rate(ALL, 200, 150, grade="03"),
        rate(EL, 100, 70, grade="03"),
        rate(ALL, 200, 100, subject="ela"),
        rate(EL, 100, 50, subject="ela"),
        rate(ALL, 200, 100, org="S2"),
    ]
    frame = gaps(table(rows), policy=POLICY)
    gap = {(r["subject"], r["grade"]): r["gap_to_all"] for r in frame.iter_rows(named=True)}
    assert gap == pytest.approx({("math", "all"): -19.0, ("math", "03"): -5.0, ("ela", "all"): 0})


def test_the_sentence_adds_up_with_the_numbers_it_prints() -> None:
    # 28.4 % prints as 28 % and 46.6 % as 47 %: 19 points, though the gap is 18.2
    row = one(gaps(table([rate(ALL, 1000, 466), rate(EL, 1000, 284)]), policy=POLICY), EL)
    assert row["gap_to_all"] == pytest.approx(-18.2)
    assert row["sentence"].startswith("English learners: 28% proficient, 19 points below")


def test_printed_numbers_that_agree_read_as_about_the_same() -> None:
    row = one(gaps(table([rate(ALL, 10000, 4696), rate(EL, 10000, 4704)]), policy=POLICY), EL)
    assert row["sentence"].startswith(
        "English learners: 47% proficient, about the same as all students (47%);"
    )


def test_one_point_is_singular() -> None:
    row = one(gaps(table([rate(ALL, 200, 94), rate(EL, 100, 46)]), policy=POLICY), EL)
    assert "1 point below all students (47%)" in row["sentence"]


# --- gaps: suppressed input ------------------------------------------------------------------


def test_a_hidden_group_has_no_gap_and_nor_does_its_complement() -> None:
    internal = table([rate(ALL, 200, 94), rate(EL, 8, 2), rate(NOT_EL, 192, 92), rate(HI, 200, 94)])
    public = suppress(internal, POLICY)
    assert groups_in(gaps(internal, policy=POLICY)) == {EL, NOT_EL, HI}
    assert groups_in(gaps(public, policy=POLICY)) == {HI}


def test_a_coded_all_students_figure_is_not_compared_with() -> None:
    # 99 % of 200 is top coded ("≥98%"): the exact rate is not public
    public = suppress(
        table([rate(ALL, 200, 198), rate(EL, 100, 98), rate(NOT_EL, 100, 100)]), POLICY
    )
    frame = gaps(public, policy=POLICY)
    assert frame.is_empty() or frame.get_column("all_value").is_null().all()
    for row in frame.iter_rows(named=True):
        assert row["sentence"].endswith("there is no figure for all students to compare with.")


def test_the_best_group_is_the_best_shown_one() -> None:
    # Asian students at 98 % of 100 are top coded: their exact rate may not be the bar
    rows = [rate(ALL, 300, 200), rate(HI, 100, 40), rate(WH, 100, 62), rate(AS, 100, 98)]
    public = suppress(table(rows), POLICY)
    assert set(gaps(table(rows), policy=POLICY).get_column("best_group")) == {"AS"}
    frame = gaps(public, policy=POLICY)
    assert groups_in(frame) == {HI, WH}
    assert set(frame.get_column("best_group")) == {"WH"}


# --- trends ----------------------------------------------------------------------------------


def years_of(group: tuple[str, str], by_year: dict[int, tuple[int, int]], **kw: Any) -> list[Row]:
    return [rate(group, n, count, year=year, **kw) for year, (n, count) in by_year.items()]


def test_a_year_over_year_change_is_in_points_and_tested() -> None:
    rows = [
        *years_of(ALL, {2023: (200, 100), 2024: (200, 100)}),
        *years_of(EL, {2023: (100, 25), 2024: (100, 40)}),
    ]
    frame = trends(table(rows), policy=POLICY)
    row = one(frame, EL, school_year=2024)
    # pooled 65/200 = 0.325; se = √(0.325·0.675·0.02) = 0.066238; z = 0.15/0.066238
    assert (row["prior_year"], row["prior_value"]) == (2023, 0.25)
    assert row["change"] == pytest.approx(15.0)
    assert row["change_z"] == pytest.approx(2.2646, abs=1e-4)
    assert (row["change_reason"], row["change_supported"]) == ("", True)
    assert row["gap_to_all"] == pytest.approx(-10.0)
    assert row["sentence"] == (
        "English learners, 2024-25: 40% proficient, up 15 points from 25% in 2023-24 "
        "(the change is larger than chance would explain); 10 points below all students (50%)."
    )


def test_the_first_year_has_no_change() -> None:
    frame = trends(table(years_of(ALL, {2023: (200, 100), 2024: (200, 90)})), policy=POLICY)
    row = one(frame, ALL, school_year=2023)
    assert (row["change"], row["change_reason"], row["change_supported"]) == (
        None,
        NO_PRIOR_YEAR,
        None,
    )
    assert row["sentence"] == "All students, 2023-24: 50% proficient."
    assert row["gap_to_all"] is None


def test_a_change_needs_change_n_students_in_both_years() -> None:
    policy = Policy(change_min_n=20)
    rows = [
        *years_of(ALL, {2023: (200, 100), 2024: (200, 100)}),
        *years_of(EL, {2023: (15, 5), 2024: (40, 20)}),
    ]
    row = one(trends(table(rows), policy=policy), EL, school_year=2024)
    assert (row["change"], row["prior_value"], row["change_reason"]) == (None, None, CHANGE_MIN_N)
    assert row["sentence"] == (
        "English learners, 2024-25: 50% proficient; too few students (fewer than 20) in "
        "2023-24 or this year to report a change; about the same as all students (50%)."
    )
    # with the default policy (change_n = min_n = 10) the 15 students are enough
    assert one(trends(table(rows), policy=POLICY), EL, school_year=2024)["change_reason"] == ""


def test_a_change_from_a_hidden_year_is_not_shown() -> None:
    # 2023: 98 % of 100 English learners is top coded in public; 2024 is shown
    rows = [
        *years_of(ALL, {2023: (200, 150), 2024: (200, 120)}),
        *years_of(EL, {2023: (100, 98), 2024: (100, 60)}),
        *years_of(NOT_EL, {2023: (100, 52), 2024: (100, 60)}),
    ]
    public = suppress(table(rows), POLICY)
    row = one(trends(public, policy=POLICY), EL, school_year=2024)
    assert (row["change"], row["prior_value"], row["change_reason"]) == (None, None, HIDDEN)
    assert "the 2023-24 figure is not shown, so there is no change to report" in row["sentence"]
    assert one(trends(table(rows), policy=POLICY), EL, school_year=2024)["change"] == pytest.approx(
        -38.0
    )


def test_it_keeps_the_five_most_recent_years() -> None:
    rows = years_of(ALL, {y: (200, 100) for y in range(2017, 2025)})
    frame = trends(table(rows), policy=POLICY)
    assert frame.get_column("school_year").to_list() == [2020, 2021, 2022, 2023, 2024]
    assert one(frame, ALL, school_year=2020)["change_reason"] == ""  # 2019 is the prior year
    short = trends(table(rows), policy=POLICY, years=2)
    assert short.get_column("school_year").to_list() == [2023, 2024]
    assert short.columns == list(TREND_SCHEMA)


def widening() -> list[Row]:
    """English learners fall from 40 % to 25 % while all students stay at 50 %."""
    return [
        *years_of(ALL, {2022: (400, 200), 2023: (400, 200), 2024: (400, 200)}),
        *years_of(EL, {2022: (200, 80), 2023: (200, 65), 2024: (200, 50)}),
    ]


def test_the_series_runs_from_first_to_last_year_with_a_tested_change() -> None:
    frame = trends(table(widening()), policy=POLICY)
    rows = frame.filter(pl.col("group_value") == "true").to_dicts()
    assert len(rows) == 3
    for row in rows:  # the series columns are the same on every row
        assert (row["first_year"], row["last_year"], row["trend_years"]) == (2022, 2024, 3)
        assert (row["first_value"], row["last_value"]) == (0.4, 0.25)
        assert row["trend_change"] == pytest.approx(-15.0)
        assert row["trend_supported"] is True  # pooled 130/400: z = −0.15/0.046837 = −3.20
        assert row["trend_sentence"] == (
            "English learners went from 40% proficient in 2022-23 to 25% in 2024-25 "
            "(down 15 points); the change is larger than chance would explain."
        )


def test_a_gap_that_grows_is_widening() -> None:
    row = one(trends(table(widening()), policy=POLICY), EL, school_year=2024)
    assert (row["gap_first_year"], row["gap_last_year"]) == (2022, 2024)
    assert (row["gap_first"], row["gap_last"]) == pytest.approx((-10.0, -25.0))
    assert row["gap_trend"] == WIDENING
    # se² of the four figures: 0.4·0.6/200 + 0.25/400 + 0.25·0.75/200 + 0.25/400 = 0.0033875;
    # z = −0.15 / √0.0033875 = −2.577
    assert row["gap_trend_supported"] is True
    assert row["gap_sentence"] == (
        "Compared with all students, English learners went from 10 points below in 2022-23 "
        "to 25 points below in 2024-25, a widening gap; the change is larger than chance "
        "would explain."
    )


def test_a_gap_that_shrinks_is_narrowing_and_small_groups_leave_it_to_chance() -> None:
    rows = [
        *years_of(ALL, {2022: (200, 100), 2024: (200, 100)}),
        *years_of(EL, {2022: (100, 25), 2024: (100, 40)}),
    ]
    row = one(trends(table(rows), policy=POLICY), EL, school_year=2024)
    assert row["gap_trend"] == NARROWING
    # √(0.25·0.75/100 + 0.25/200 + 0.4·0.6/100 + 0.25/200) = 0.07746; z = 0.15/0.07746 = 1.94
    assert row["gap_trend_supported"] is False


def test_a_gap_that_prints_the_same_is_steady() -> None:
    # −10.2 and −9.8 points both print as 10 points below
    rows = [
        *years_of(ALL, {2022: (1000, 500), 2024: (1000, 500)}),
        *years_of(EL, {2022: (1000, 398), 2024: (1000, 402)}),
    ]
    row = one(trends(table(rows), policy=POLICY), EL, school_year=2024)
    assert row["gap_trend"] == STEADY
    assert (
        "went from 10 points below in 2022-23 to 10 points below in 2024-25, a steady"
        in row["gap_sentence"]
    )


def test_years_too_small_for_a_change_are_not_trend_ends() -> None:
    policy = Policy(change_min_n=20)
    rows = [
        *years_of(ALL, {2022: (200, 100), 2023: (200, 100), 2024: (200, 100)}),
        *years_of(EL, {2022: (100, 20), 2023: (100, 30), 2024: (12, 6)}),
    ]
    row = one(trends(table(rows), policy=policy), EL, school_year=2024)
    assert (row["first_year"], row["last_year"], row["trend_years"]) == (2022, 2023, 2)
    assert row["trend_change"] == pytest.approx(10.0)
    assert row["gap_last_year"] == 2023


def test_one_year_is_no_trend() -> None:
    rows = [*years_of(ALL, {2024: (200, 100)}), *years_of(EL, {2024: (100, 40)})]
    row = one(trends(table(rows), policy=POLICY), EL, school_year=2024)
    assert (row["trend_change"], row["trend_supported"], row["gap_trend"]) == (None, None, None)
    assert row["trend_sentence"] == (
        "Fewer than two of these years have at least 10 students in this group, too few "
        "to show a trend."
    )
    assert row["gap_sentence"] is None


def test_a_rise_in_absence_is_told_as_it_is() -> None:
    rows = years_of(ALL, {2023: (200, 20), 2024: (200, 40)}, metric=ABSENCE, subject="all")
    row = one(trends(table(rows), policy=POLICY), ALL, school_year=2024)
    assert row["sentence"].startswith(
        "All students, 2024-25: 20% chronically absent, up 10 points from 10% in 2023-24"
    )


def test_trends_rejects_a_window_of_no_years() -> None:
    with pytest.raises(ValueError, match="at least one year"):
        trends(table([]), policy=POLICY, years=0)


# --- properties on random tables ---------------------------------------------------------------


def cells(frame: pl.DataFrame) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(r[k] for k in KEY): r for r in frame.iter_rows(named=True)}


def at(row: dict[str, Any], **change: Any) -> tuple[Any, ...]:
    return tuple((row | change)[k] for k in KEY)


def z_by_hand(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    if a["metric"] == RATE:
        pooled = (a["count"] + b["count"]) / (a["n"] + b["n"])
        se = math.sqrt(pooled * (1 - pooled) * (1 / a["n"] + 1 / b["n"]))
    elif a["se"] is None or b["se"] is None:
        return None
    else:
        se = math.sqrt(a["se"] ** 2 + b["se"] ** 2)
    return (a["value"] - b["value"]) / se if se > 0 else None


@given(years())
@settings(max_examples=25, deadline=None)
def test_gaps_and_changes_match_a_plain_python_oracle(by_year: dict[int, list[Any]]) -> None:
    internal = school_table(by_year)
    table_cells = cells(internal)
    for row in gaps(internal, policy=POLICY).iter_rows(named=True):
        me, everyone = (
            table_cells[at(row)],
            table_cells[at(row, group_type="all", group_value="all")],
        )
        scale = 100 if row["metric"] == RATE else 1
        assert row["gap_to_all"] == pytest.approx((me["value"] - everyone["value"]) * scale)
        expected = z_by_hand(me, everyone)
        assert row["all_z"] == (None if expected is None else pytest.approx(expected))
        if expected is not None:
            assert row["all_supported"] is (abs(expected) > 1.959964)
    for row in trends(internal, policy=POLICY).iter_rows(named=True):
        before = table_cells.get(at(row, school_year=row["school_year"] - 1))
        if before is None:
            assert row["change_reason"] == NO_PRIOR_YEAR
        elif min(row["n"], before["n"]) < POLICY.change_n:
            assert (row["change_reason"], row["change"]) == (CHANGE_MIN_N, None)
        else:
            scale = 100 if row["metric"] == RATE else 1
            assert row["change"] == pytest.approx((row["value"] - before["value"]) * scale)
            expected = z_by_hand(table_cells[at(row)], before)
            assert row["change_z"] == (None if expected is None else pytest.approx(expected))


@given(years())
@settings(max_examples=30, deadline=None)
def test_public_gaps_and_trends_rest_only_on_shown_cells(by_year: dict[int, list[Any]]) -> None:
    public = suppress(school_table(by_year), POLICY)
    shown = {
        k: r for k, r in cells(public).items() if not r["suppressed"] and r["value"] is not None
    }

    def rests_on(key: tuple[Any, ...], value: float | None) -> None:
        assert key in shown, key
        assert shown[key]["value"] == value

    for row in gaps(public, policy=POLICY).iter_rows(named=True):
        rests_on(at(row), row["value"])
        if row["all_value"] is not None:
            rests_on(at(row, group_type="all", group_value="all"), row["all_value"])
        if row["best_group"] is not None:
            rests_on(at(row, group_value=row["best_group"]), row["best_value"])
    for row in trends(public, policy=POLICY).iter_rows(named=True):
        rests_on(at(row), row["value"])
        if row["prior_value"] is not None:
            rests_on(at(row, school_year=row["prior_year"]), row["prior_value"])
        if row["trend_change"] is not None:
            rests_on(at(row, school_year=row["first_year"]), row["first_value"])
            rests_on(at(row, school_year=row["last_year"]), row["last_value"])
        if row["gap_trend"] is not None:
            for year in (row["gap_first_year"], row["gap_last_year"]):
                assert at(row, school_year=year) in shown
                assert at(row, school_year=year, group_type="all", group_value="all") in shown
