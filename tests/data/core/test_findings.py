"""draft(): the findings a team is offered for its needs assessment.

A small school whose English learners fall behind is worked out by hand below; property
tests on random schools check that no finding ever rests on a cell the public may not see,
whichever table the gaps and trends were computed from.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.data.core.aggregates import KEY
from headway.data.core.findings import (
    BELOW_SIMILAR,
    DECLINING_TREND,
    GAP_NARROWING,
    GAP_WIDENING,
    KINDS,
    LARGE_CHANGE,
    LARGEST_GAP,
    Finding,
    draft,
)
from headway.data.core.gaps import gaps, trends
from headway.data.core.similar import Outcome, Similar, nearest
from headway.data.core.suppression import Policy, suppress

from .aggregate_cells import ALL, EL, NOT_EL, Row, Student, rate, school_table, table

POLICY = Policy()
MATH = Outcome("proficiency_rate", "math", "all")
ABSENCE = Outcome("chronic_absence_rate", "all", "all")
HI, BL, WH = ("race_ethnicity", "HI"), ("race_ethnicity", "BL"), ("race_ethnicity", "WH")
SWD = ("disability", "true")


def series(group: tuple[str, str], by_year: dict[int, tuple[int, int]], **kw: Any) -> list[Row]:
    return [rate(group, n, count, year=year, **kw) for year, (n, count) in by_year.items()]


def falling_behind() -> pl.DataFrame:
    """All students 55 → 52.5 → 50 %; English learners 40 → 34 → 20 %."""
    return table(
        [
            *series(ALL, {2022: (400, 220), 2023: (400, 210), 2024: (400, 200)}),
            *series(EL, {2022: (100, 40), 2023: (100, 34), 2024: (100, 20)}),
            *series(NOT_EL, {2022: (300, 180), 2023: (300, 176), 2024: (300, 180)}),
        ]
    )


def drafted(aggregates: pl.DataFrame, similar: Similar | None = None, **kw: Any) -> list[Finding]:
    return draft(
        aggregates,
        gaps(aggregates, policy=POLICY),
        trends(aggregates, policy=POLICY),
        similar,
        policy=POLICY,
        **kw,
    )


def by_kind(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


# --- what a team is offered ------------------------------------------------------------------


def test_a_school_whose_english_learners_fall_behind_gets_four_findings() -> None:
    findings = drafted(falling_behind())
    assert [(f.kind, f.filters["group_value"]) for f in findings] == [
        (LARGEST_GAP, "true"),
        (GAP_WIDENING, "true"),
        (DECLINING_TREND, "true"),
        (LARGE_CHANGE, "true"),
    ]
    assert [f.title for f in findings] == [
        "English learners: 30 points below all students in math proficiency",
        "The gap between English learners and all students in math proficiency is widening",
        "Math proficiency has worsened for English learners since 2022-23",
        "Math proficiency fell 14 points for English learners in 2024-25",
    ]


def test_the_largest_gap_says_its_numbers_and_where_its_chart_is() -> None:
    [finding] = by_kind(drafted(falling_behind()), LARGEST_GAP)
    # pooled 220/500 = 0.44; se = √(0.44·0.56·(1/100 + 1/400)) = 0.055498; z = −0.3/0.055498
    assert finding.text == (
        "English learners: 20% proficient, 30 points below all students (50%); "
        "the difference is larger than chance would explain."
    )
    assert finding.numbers == pytest.approx(
        {"value": 0.2, "all_value": 0.5, "gap": -30.0, "n": 100, "all_n": 400, "z": -5.4056},
        abs=1e-4,
    )
    assert finding.filters == {
        "org_code": "S1",
        "school_year": 2024,
        "subject": "math",
        "grade": "all",
        "group_type": "english_learner",
        "group_value": "true",
        "metric": "proficiency_rate",
    }
    assert finding.key == "largest_gap|S1|2024|math|all|english_learner|true|proficiency_rate"


def test_a_widening_gap_is_tested_on_its_four_figures() -> None:
    [finding] = by_kind(drafted(falling_behind()), GAP_WIDENING)
    # −15 → −30 points; √(0.4·0.6/100 + 0.55·0.45/400 + 0.2·0.8/100 + 0.25/400) = 0.072414,
    # z = −0.15/0.072414 = −2.07. Students who are not English learners went from 5 to 10
    # points above (z = 0.94): no finding.
    assert finding.numbers == pytest.approx(
        {"first_year": 2022, "last_year": 2024, "gap_first": -15.0, "gap_last": -30.0}
    )
    assert finding.text == (
        "Compared with all students, English learners went from 15 points below in 2022-23 "
        "to 30 points below in 2024-25, a widening gap; the change is larger than chance "
        "would explain."
    )
    assert finding.filters["school_year"] == 2024


def test_a_decline_needs_three_years_and_support() -> None:
    [finding] = by_kind(drafted(falling_behind()), DECLINING_TREND)
    # English learners 40 → 20 %: pooled 0.3, z = −0.2/√(0.21·0.02) = −3.09. All students
    # 55 → 50 %: pooled 0.525, z = −0.05/0.035311 = −1.42, chance.
    assert finding.numbers == pytest.approx(
        {
            "first_year": 2022,
            "last_year": 2024,
            "first_value": 0.4,
            "last_value": 0.2,
            "change": -20.0,
        }
    )
    two_years = falling_behind().filter(pl.col("school_year") != 2023)
    assert by_kind(drafted(two_years), DECLINING_TREND) == []


def test_a_large_change_is_a_supported_change_into_the_latest_year() -> None:
    [finding] = by_kind(drafted(falling_behind()), LARGE_CHANGE)
    # 34 → 20 %: pooled 0.27, se = √(0.27·0.73·0.02) = 0.062785, z = −0.14/0.062785 = −2.23
    assert finding.numbers == pytest.approx(
        {
            "prior_year": 2023,
            "school_year": 2024,
            "prior_value": 0.34,
            "value": 0.2,
            "change": -14.0,
            "z": -2.2298,
        },
        abs=1e-4,
    )
    assert finding.text.startswith("English learners, 2024-25: 20% proficient, down 14 points")


def test_a_rise_is_a_large_change_too() -> None:
    rows = [*series(ALL, {2023: (400, 160), 2024: (400, 220)})]
    [finding] = drafted(table(rows))
    assert (finding.kind, finding.title) == (
        LARGE_CHANGE,
        "Math proficiency rose 15 points for all students in 2024-25",
    )


def test_a_narrowing_gap_comes_last() -> None:
    rows = [
        *series(ALL, {2022: (400, 200), 2024: (400, 200)}),
        *series(EL, {2022: (200, 50), 2024: (200, 80)}),
        *series(NOT_EL, {2022: (200, 150), 2024: (200, 120)}),
    ]
    findings = drafted(table(rows))
    assert findings[-1].kind == GAP_NARROWING
    narrowing = by_kind(findings, GAP_NARROWING)
    assert [f.filters["group_value"] for f in narrowing] == ["false", "true"]  # both by 15
    assert narrowing[1].title == (
        "The gap between English learners and all students in math proficiency is narrowing"
    )


def test_differences_chance_could_produce_are_not_findings() -> None:
    rows = [
        *series(ALL, {2023: (200, 100), 2024: (200, 96)}),
        *series(EL, {2023: (60, 28), 2024: (60, 24)}),  # 40 % against 48 %: z = −1.06
        *series(NOT_EL, {2023: (140, 72), 2024: (140, 72)}),
    ]
    assert drafted(table(rows)) == []


def test_groups_ahead_of_all_students_are_not_gaps() -> None:
    gap_groups = {f.filters["group_value"] for f in by_kind(drafted(falling_behind()), LARGEST_GAP)}
    assert gap_groups == {"true"}  # not the students who are not English learners (60 %)


def test_for_absence_more_is_behind() -> None:
    rows = [
        *series(ALL, {2024: (400, 60)}, metric="chronic_absence_rate", subject="all"),
        *series(EL, {2024: (100, 30)}, metric="chronic_absence_rate", subject="all"),
        *series(NOT_EL, {2024: (300, 30)}, metric="chronic_absence_rate", subject="all"),
    ]
    [finding] = drafted(table(rows))
    assert finding.title == "English learners: 15 points above all students in chronic absence"


def test_a_real_gap_that_prints_as_zero_says_less_than_a_point() -> None:
    # 46.55 % against 46.96 % of a million: printed 47 % and 47 %, yet z ≈ −5.8
    rows = [rate(ALL, 1_000_000, 469_600), rate(EL, 1_000_000, 465_500)]
    [finding] = drafted(table(rows))
    assert finding.title == (
        "English learners: less than 1 point below all students in math proficiency"
    )


@pytest.mark.parametrize(
    ("subject", "grade", "topic"),
    [
        ("math", "03", "math proficiency in grade 3"),
        ("ela", "KG", "English language arts proficiency in kindergarten"),
        ("science", "all", "science proficiency"),
    ],
)
def test_titles_name_the_subject_and_grade(subject: str, grade: str, topic: str) -> None:
    rows = [
        rate(g, n, c, subject=subject, grade=grade) for g, n, c in [(ALL, 200, 94), (EL, 100, 28)]
    ]
    [finding] = drafted(table(rows))
    assert finding.title == f"English learners: 19 points below all students in {topic}"
    assert (finding.filters["subject"], finding.filters["grade"]) == (subject, grade)


def test_a_negative_limit_is_an_error() -> None:
    with pytest.raises(ValueError, match="limit"):
        drafted(falling_behind(), limit=-1)
    assert drafted(falling_behind(), limit=0) == []


def test_only_the_latest_year_is_drafted() -> None:
    old = falling_behind().filter(pl.col("school_year") == 2022)
    latest = table(series(ALL, {2023: (400, 220)}) + series(EL, {2023: (100, 54)}))
    findings = drafted(pl.concat([old, latest]))
    assert {f.filters["school_year"] for f in findings} == {2023}
    assert by_kind(findings, LARGEST_GAP) == []  # 2022's gap is history


# --- ranking and identity --------------------------------------------------------------------


def many_gaps() -> pl.DataFrame:
    return table(
        [
            rate(ALL, 800, 400),
            rate(EL, 100, 20),  # −30
            rate(HI, 100, 30),  # −20
            rate(BL, 100, 25),  # −25
            rate(WH, 100, 25),  # −25: ties BL, after it by group_value
            rate(SWD, 100, 15),  # −35
        ]
    )


def test_each_kind_is_ranked_by_size_and_capped() -> None:
    findings = drafted(many_gaps(), limit=3)
    assert [f.filters["group_value"] for f in findings] == ["true", "true", "BL"]
    assert [f.filters["group_type"] for f in findings] == [
        "disability",
        "english_learner",
        "race_ethnicity",
    ]
    everything = drafted(many_gaps(), limit=10)
    assert [f.filters["group_value"] for f in everything][2:] == ["BL", "WH", "HI"]


def test_the_order_does_not_depend_on_the_order_of_the_rows() -> None:
    expected = drafted(falling_behind()) + drafted(many_gaps())
    for seed in range(3):
        shuffled = [
            frame.sample(fraction=1.0, shuffle=True, seed=seed)
            for frame in (falling_behind(), many_gaps())
        ]
        assert drafted(shuffled[0]) + drafted(shuffled[1]) == expected


def test_keys_survive_a_recomputation_with_new_numbers() -> None:
    before = drafted(falling_behind())
    corrected = falling_behind().with_columns(
        pl.when(pl.col("group_value") == "true")
        .then(pl.col("value") - 0.02)
        .otherwise(pl.col("value"))
        .alias("value")
    )
    after = drafted(corrected)
    assert [f.key for f in after] == [f.key for f in before]
    assert [f.text for f in after] != [f.text for f in before]
    assert len({f.key for f in before}) == len(before)


def test_a_finding_is_a_frozen_value_that_can_be_hashed() -> None:
    finding = drafted(falling_behind())[0]
    with pytest.raises(AttributeError):
        finding.title = "edited"  # type: ignore[misc]
    assert finding in {finding}


# --- similar schools -------------------------------------------------------------------------


def peers(outcome: float, others: list[float], measure: Outcome = MATH) -> Similar:
    rows = [{"school_code": "S1", "outcome": outcome, "econ_share": 0.5}] + [
        {"school_code": f"P{i}", "outcome": x, "econ_share": 0.5 + i / 100}
        for i, x in enumerate(others)
    ]
    profiles = pl.DataFrame(rows).with_columns(
        school_year=pl.lit(2024),
        enrollment=pl.lit(300),
        el_share=pl.lit(0.1),
        swd_share=pl.lit(0.1),
    )
    return nearest(profiles, "S1", year=2024, measure=measure, pool="network")


def test_a_school_in_the_bottom_quarter_of_similar_schools_is_told_so() -> None:
    aggregates = table(series(ALL, {2024: (400, 200)}))
    findings = drafted(aggregates, peers(0.5, [0.55, 0.6, 0.45, 0.65, 0.7]))
    [finding] = by_kind(findings, BELOW_SIMILAR)
    assert finding.title == "Math proficiency in the bottom quarter of similar schools"
    assert finding.text == (
        "This school's math proficiency, 50% in 2024-25, is better than 1 of the 5 most "
        "similar schools in the network, which puts it in the bottom quarter of them."
    )
    assert finding.numbers["percentile"] == 20.0
    assert finding.key == "below_similar|S1|2024|math|all|all|all|proficiency_rate|network"
    assert (finding.filters["group_type"], finding.filters["metric"]) == ("all", "proficiency_rate")


def test_the_middle_of_similar_schools_is_no_finding() -> None:
    aggregates = table(series(ALL, {2024: (400, 200)}))
    assert drafted(aggregates, peers(0.5, [0.55, 0.6, 0.45, 0.4, 0.7])) == []  # 40th percentile
    assert drafted(aggregates, peers(0.5, [0.55, 0.6, 0.65])) == []  # too few to tell a quarter


def test_for_absence_the_bottom_quarter_is_the_highest_rates() -> None:
    aggregates = table(series(ALL, {2024: (400, 80)}, metric="chronic_absence_rate", subject="all"))
    similar = peers(0.2, [0.1, 0.15, 0.12, 0.3, 0.18], ABSENCE)
    assert similar.percentile == 80.0  # most similar schools have less absence
    [finding] = drafted(aggregates, similar)
    assert "is better than 1 of the 5 most similar schools" in finding.text
    assert finding.numbers["better_than_share"] == 20.0


def test_without_a_measure_similar_schools_give_no_finding() -> None:
    aggregates = table(series(ALL, {2024: (400, 200)}))
    similar = peers(0.5, [0.55, 0.6, 0.65, 0.7, 0.8])
    unnamed = Similar(**{**similar.__dict__, "measure": None})
    assert drafted(aggregates, unnamed) == []


# --- hidden cells ----------------------------------------------------------------------------


def test_a_group_too_small_to_publish_makes_no_finding_even_from_internal_gaps() -> None:
    # 0 of 9 English learners against 50 %: z = −2.97 inside, but the group may not be shown
    internal = table([rate(ALL, 400, 200), rate(EL, 9, 0), rate(NOT_EL, 391, 200)])
    assert gaps(internal, policy=POLICY).filter(pl.col("all_supported")).height == 1
    assert drafted(internal) == []
    public = suppress(internal, POLICY)
    assert (
        draft(public, gaps(internal, policy=POLICY), trends(internal, policy=POLICY), policy=POLICY)
        == []
    )


def test_a_coded_cell_makes_no_finding() -> None:
    # 2 of 300 English learners (0.7 %) is bottom coded "≤1%" in public
    internal = table([rate(ALL, 600, 300), rate(EL, 300, 2), rate(NOT_EL, 300, 298)])
    assert drafted(internal) == []


def test_the_school_outcome_must_be_shown_for_below_similar() -> None:
    aggregates = table(series(ALL, {2024: (400, 398)}))  # 99.5 %: top coded
    assert drafted(aggregates, peers(0.995, [1.0, 1.0, 1.0, 1.0, 0.99])) == []


def cells_of(finding: Finding) -> list[tuple[Any, ...]]:
    """The aggregate cells a finding rests on."""
    f, n = finding.filters, finding.numbers
    cell: dict[str, Any] = {**f, "org_level": "school"}
    everyone = {**cell, "group_type": "all", "group_value": "all"}
    if finding.kind in (GAP_WIDENING, GAP_NARROWING):
        years = [(c, n[y]) for c in (cell, everyone) for y in ("first_year", "last_year")]
    elif finding.kind == LARGEST_GAP:
        years = [(cell, f["school_year"]), (everyone, f["school_year"])]
    elif finding.kind == DECLINING_TREND:
        years = [(cell, n["first_year"]), (cell, n["last_year"])]
    elif finding.kind == LARGE_CHANGE:
        years = [(cell, n["prior_year"]), (cell, n["school_year"])]
    else:
        years = [(cell, f["school_year"])]
    return [tuple({**c, "school_year": y}[k] for k in KEY) for c, y in years]


def unequal_students() -> st.SearchStrategy[list[Student]]:
    """Students whose English learners are less often proficient, so gaps are real."""
    one = st.tuples(
        st.booleans(), st.sampled_from(("HI", "WH", "AS")), st.integers(0, 9), st.integers(200, 300)
    )
    return st.lists(one, min_size=1, max_size=90).map(
        lambda people: [
            (el, race, luck < (2 if el else 7), score) for el, race, luck, score in people
        ]
    )


@given(st.integers(2, 4).flatmap(lambda k: st.lists(unequal_students(), min_size=k, max_size=k)))
@settings(max_examples=30, deadline=None)
def test_no_finding_rests_on_a_cell_the_public_may_not_see(by_year: list[list[Student]]) -> None:
    internal = school_table({2021 + i: people for i, people in enumerate(by_year)})
    public = suppress(internal, POLICY)
    shown = {
        tuple(r[k] for k in KEY)
        for r in public.iter_rows(named=True)
        if not r["suppressed"] and r["value"] is not None and r["n"] >= POLICY.min_n
    }
    for source in (internal, public):
        findings = draft(
            source,
            gaps(source, policy=POLICY),
            trends(source, policy=POLICY),
            policy=POLICY,
            limit=10,
        )
        assert [KINDS.index(f.kind) for f in findings] == sorted(
            KINDS.index(f.kind) for f in findings
        )
        for finding in findings:
            for cell in cells_of(finding):
                assert cell in shown, (finding.key, cell)


def test_the_property_above_is_not_vacuous() -> None:
    # A school like the generator's: English learners 20 % proficient, the others 70 %
    people = [(el, "HI", i < (8 if el else 28), 250) for el in (True, False) for i in range(40)]
    findings = drafted(school_table({2023: people, 2024: people}))
    assert [f.kind for f in findings] == [LARGEST_GAP]  # z = −0.25/0.09332 = −2.68
