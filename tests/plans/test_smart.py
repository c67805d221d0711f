"""The SMART checker on crafted goals: every letter, every verdict it can give, and why.

Similar schools' yearly changes are 1, 2, …, 20 percentage points (TWENTY), so the
percentile of a gain of k points is 5·k: 5 points stand exactly at the 25th percentile,
18 points exactly at the 90th.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from headway.plans.smart import (
    Baseline,
    Facts,
    Status,
    Verdict,
    amount,
    attainable,
    check,
    equity,
    even_interim,
    measurable,
    required_gain,
    results_oriented,
    specific,
    time_bound,
)

TWENTY = tuple(0.01 * k for k in range(1, 21))
FALLS = tuple(-g for g in TWENTY)  # chronic absence or a gap falling by 1…20 points

GOAL = Facts(
    population="Students with disabilities at Alder Creek Elementary",
    outcome="Mathematics proficiency",
    baseline=Baseline(2024, 0.40, "40%"),
    target=0.50,  # +10 points over two years: 5 a year
    target_year=2026,
    first_year=2025,
    last_year=2026,
    peer_changes=TWENTY,
    peers="4 similar schools in the district",
)


def with_gain(points_a_year: float, facts: Facts = GOAL) -> Facts:
    """The goal with a target needing ``points_a_year`` (two years from 40 %)."""
    return replace(facts, target=0.40 + 2 * points_a_year / 100)


def test_a_well_made_goal_meets_every_letter() -> None:
    verdicts = check(GOAL)
    assert [v.letter for v in verdicts] == ["S", "M", "A", "R", "T"]
    assert {v.status for v in verdicts} == {Status.MET}
    assert [v.name for v in verdicts] == [
        "Specific",
        "Measurable",
        "Attainable",
        "Results-oriented",
        "Time-bound",
    ]


def test_a_verdict_has_words_and_an_icon_besides_its_colour() -> None:
    verdict = Verdict("A", Status.WARNING, "Because.")
    assert (verdict.status_text, verdict.icon) == ("Worth a second look", "!")
    assert Verdict("A", Status.UNKNOWN, "").status_text == "Cannot tell yet"


# --- S -----------------------------------------------------------------------------------------


def test_specific_is_met_when_students_and_result_are_named() -> None:
    verdict = specific(GOAL)
    assert verdict.status is Status.MET
    assert "Students with disabilities at Alder Creek Elementary" in verdict.reason
    assert "Mathematics proficiency" in verdict.reason


@pytest.mark.parametrize(
    ("population", "outcome", "said"),
    [
        ("", "Mathematics proficiency", "Say which students the goal is for."),
        ("All students", "", "Say which result it should change."),
        ("", "", "Say which students the goal is for and which result it should change."),
    ],
)
def test_specific_is_not_met_and_says_what_is_missing(
    population: str, outcome: str, said: str
) -> None:
    verdict = specific(replace(GOAL, population=population, outcome=outcome))
    assert verdict.status is Status.NOT_MET and verdict.reason == said


# --- M -----------------------------------------------------------------------------------------


def test_measurable_is_met_with_a_baseline_and_says_it_with_its_year() -> None:
    verdict = measurable(GOAL)
    assert verdict.status is Status.MET
    assert "40% in 2024–25" in verdict.reason


def test_another_measure_is_a_warning_asking_how_it_will_be_measured() -> None:
    other = replace(GOAL, catalog=False, outcome="Reading logs completed", baseline=None)
    verdict = measurable(other)
    assert verdict.status is Status.WARNING
    assert "no data for “Reading logs completed”" in verdict.reason
    assert "how it will be measured" in verdict.reason


def test_a_suppressed_baseline_is_not_measurable_for_this_viewer() -> None:
    hidden = replace(GOAL, baseline=Baseline(2024, None, "n<10", "MIN_N"))
    verdict = measurable(hidden)
    assert verdict.status is Status.NOT_MET
    assert "The group is too small to report" in verdict.reason and "“n<10”" in verdict.reason


def test_a_range_coded_baseline_is_not_measurable_either() -> None:
    coded = replace(GOAL, baseline=Baseline(2024, None, "≥95%", "TOP_CODE"))
    verdict = measurable(coded)
    assert verdict.status is Status.NOT_MET and "only as a range (“≥95%”)" in verdict.reason


def test_a_baseline_hidden_to_protect_a_smaller_group_says_so() -> None:
    hidden = replace(GOAL, baseline=Baseline(2024, None, "*", "COMPLEMENTARY"))
    verdict = measurable(hidden)
    assert verdict.status is Status.NOT_MET and "so that a smaller group cannot" in verdict.reason


def test_no_results_before_the_plan_means_nothing_to_measure_from() -> None:
    verdict = measurable(replace(GOAL, baseline=None))
    assert verdict.status is Status.NOT_MET
    assert "no results for Mathematics proficiency" in verdict.reason
    assert "before 2025–26" in verdict.reason


def test_without_a_result_nothing_is_measurable() -> None:
    assert measurable(replace(GOAL, outcome="")).status is Status.NOT_MET


# --- A -----------------------------------------------------------------------------------------


def test_the_gain_needed_is_spread_over_the_years_to_the_target() -> None:
    assert required_gain(0.40, 2024, 0.50, 2026, decrease=False) == pytest.approx(0.05)
    assert required_gain(0.30, 2024, 0.21, 2027, decrease=True) == pytest.approx(0.03)


def test_a_gain_in_the_middle_of_what_similar_schools_achieved_is_attainable() -> None:
    verdict = attainable(with_gain(10))  # percentile 50
    assert verdict.status is Status.MET
    assert "10 percentage points a year" in verdict.reason and "percentile 50" in verdict.reason
    assert "20 changes at 4 similar schools in the district" in verdict.reason


def test_a_gain_exactly_at_the_25th_percentile_is_ambitious_enough() -> None:
    verdict = attainable(with_gain(5))
    assert verdict.status is Status.MET and "percentile 25" in verdict.reason


def test_a_gain_below_the_25th_percentile_is_not_ambitious() -> None:
    verdict = attainable(with_gain(4.5))  # 4 of 20 changes at or below: 20th
    assert verdict.status is Status.WARNING
    assert verdict.reason.startswith("Not ambitious:")
    assert "4.5 percentage points a year" in verdict.reason and "percentile 20" in verdict.reason
    assert "80% of similar schools' yearly changes were at least as large" in verdict.reason


def test_a_gain_exactly_at_the_90th_percentile_is_still_realistic() -> None:
    verdict = attainable(with_gain(18))
    assert verdict.status is Status.MET and "percentile 90" in verdict.reason


def test_a_gain_above_the_90th_percentile_is_unrealistic() -> None:
    verdict = attainable(with_gain(19))  # 19 of 20 at or below: 95th
    assert verdict.status is Status.NOT_MET
    assert verdict.reason.startswith("Unrealistic:")
    assert "only 10% of similar schools' yearly changes were this large" in verdict.reason


def test_a_gain_larger_than_any_school_made_is_unrealistic() -> None:
    verdict = attainable(with_gain(25))
    assert verdict.status is Status.NOT_MET and "only 0%" in verdict.reason


def test_a_target_no_better_than_the_baseline_is_not_ambitious() -> None:
    verdict = attainable(replace(GOAL, target=0.40))
    assert verdict.status is Status.WARNING
    assert "the target (40%) is no better than the baseline (40% in 2024–25)" in verdict.reason


def test_with_fewer_than_five_changes_of_similar_schools_it_cannot_tell() -> None:
    verdict = attainable(replace(GOAL, peer_changes=(0.01, 0.02, 0.03, 0.04)))
    assert verdict.status is Status.UNKNOWN
    assert "5 percentage points a year" in verdict.reason
    assert "only 4 yearly changes of similar schools" in verdict.reason
    assert "no yearly changes" in attainable(replace(GOAL, peer_changes=())).reason


def test_five_changes_are_enough_to_judge() -> None:
    facts = replace(GOAL, peer_changes=(0.01, 0.02, 0.03, 0.04, 0.06))
    assert attainable(facts).status is Status.MET  # 4 of 5 at or below: 80th


@pytest.mark.parametrize(
    ("facts", "said"),
    [
        (replace(GOAL, baseline=None), "Without a baseline"),
        (replace(GOAL, baseline=Baseline(2024, None, "n<10", "MIN_N")), "Without a baseline"),
        (replace(GOAL, target=None), "Set a target"),
        (replace(GOAL, target_year=None), "Set a target"),
        (replace(GOAL, target_year=2024), "must come after the baseline's year (2024–25)"),
        (replace(GOAL, catalog=False, outcome="Reading logs"), "no figures of similar schools"),
    ],
)
def test_without_what_it_needs_attainability_cannot_be_told(facts: Facts, said: str) -> None:
    verdict = attainable(facts)
    assert verdict.status is Status.UNKNOWN and said in verdict.reason


ABSENCE = Facts(
    population="All students at Alder Creek Elementary",
    outcome="Chronically absent",
    decrease=True,
    baseline=Baseline(2024, 0.30, "30%"),
    target=0.20,  # a fall of 5 points a year
    target_year=2026,
    first_year=2025,
    last_year=2026,
    peer_changes=FALLS,
    peers="similar schools",
)


def test_for_a_goal_to_decrease_a_fall_is_the_gain() -> None:
    verdict = attainable(ABSENCE)  # a fall of 5 stands at the 25th percentile of the falls
    assert verdict.status is Status.MET
    assert "5 percentage points a year" in verdict.reason and "percentile 25" in verdict.reason
    assert attainable(replace(ABSENCE, target=0.30 - 2 * 0.19)).status is Status.NOT_MET
    assert attainable(replace(ABSENCE, target=0.30 - 2 * 0.04)).status is Status.WARNING


def test_a_goal_to_decrease_that_aims_higher_than_its_baseline_is_not_ambitious() -> None:
    verdict = attainable(replace(ABSENCE, target=0.35))
    assert verdict.status is Status.WARNING and "no better than the baseline" in verdict.reason


def test_rises_of_other_schools_do_not_count_as_gains_for_a_goal_to_decrease() -> None:
    rising = replace(ABSENCE, peer_changes=TWENTY)  # every school got worse
    assert attainable(rising).status is Status.NOT_MET


GAP = Facts(
    population="Students with disabilities compared with students without disabilities",
    outcome="Mathematics proficiency",
    gap=True,
    decrease=True,
    baseline=Baseline(2024, 0.30, "30 points"),  # 30 points behind
    target=0.10,  # closing 10 points a year
    target_year=2026,
    first_year=2025,
    last_year=2026,
    peer_changes=FALLS,
    peers="similar schools",
)


def test_a_gap_goal_is_judged_by_how_fast_similar_schools_closed_the_same_gap() -> None:
    verdict = attainable(GAP)
    assert verdict.status is Status.MET and "percentile 50" in verdict.reason
    assert attainable(replace(GAP, target=0.30 - 2 * 0.195)).status is Status.NOT_MET


def test_a_gap_target_is_told_in_points() -> None:
    verdict = attainable(replace(GAP, target=0.30))
    assert "the target (30 points) is no better" in verdict.reason


def test_a_score_goal_is_told_in_points_of_the_scale() -> None:
    assert amount(4, rate=False) == "4 points"
    assert amount(0.025, rate=True) == "2.5 percentage points"
    scores = replace(
        GOAL, rate=False, baseline=Baseline(2024, 240, "240"), target=250, peer_changes=(1,) * 5
    )
    verdict = attainable(scores)  # 5 points a year where every school moved 1
    assert verdict.status is Status.NOT_MET and "5 points a year" in verdict.reason


# --- R -----------------------------------------------------------------------------------------


def test_a_catalog_result_is_a_result_for_students() -> None:
    verdict = results_oriented(GOAL)
    assert verdict.status is Status.MET
    assert verdict.reason == "Mathematics proficiency is a result for students."


def test_another_measure_that_is_a_student_result_is_results_oriented() -> None:
    facts = replace(GOAL, catalog=False, outcome="Reading fluency", measure_kind="outcome")
    assert results_oriented(facts).status is Status.MET


def test_an_activity_for_adults_is_not_a_result() -> None:
    facts = replace(GOAL, catalog=False, outcome="Hold weekly PLCs", measure_kind="activity")
    verdict = results_oriented(facts)
    assert verdict.status is Status.NOT_MET
    assert "an activity for adults, not a result for students" in verdict.reason
    assert "say which student result it should change" in verdict.reason


def test_another_measure_of_unknown_kind_cannot_be_told() -> None:
    facts = replace(GOAL, catalog=False, outcome="Hold weekly PLCs", measure_kind="")
    assert results_oriented(facts).status is Status.UNKNOWN
    assert results_oriented(replace(GOAL, outcome="")).status is Status.UNKNOWN


# --- T -----------------------------------------------------------------------------------------


def test_a_target_year_inside_the_plan_period_is_time_bound() -> None:
    verdict = time_bound(GOAL)
    assert verdict.status is Status.MET and "2026–27" in verdict.reason
    assert time_bound(replace(GOAL, target_year=2025)).status is Status.MET


def test_a_missing_target_year_is_not_time_bound() -> None:
    verdict = time_bound(replace(GOAL, target_year=None))
    assert verdict.status is Status.NOT_MET and "by which school year" in verdict.reason


@pytest.mark.parametrize("year", [2024, 2027])
def test_a_target_year_outside_the_plan_says_the_plan_period(year: int) -> None:
    verdict = time_bound(replace(GOAL, target_year=year))
    assert verdict.status is Status.NOT_MET
    assert "outside the plan period (2025–26 to 2026–27)" in verdict.reason


# --- interim targets and equity ------------------------------------------------------------


def test_interim_targets_lie_on_a_straight_line_from_baseline_to_target() -> None:
    interim = even_interim(0.40, 2024, 0.55, 2027, [2025, 2026, 2027])
    assert interim == pytest.approx({2025: 0.45, 2026: 0.50})


def test_interim_targets_are_only_for_the_years_asked_and_between() -> None:
    assert even_interim(0.40, 2022, 0.60, 2026, [2025, 2026]) == pytest.approx({2025: 0.55})
    assert even_interim(0.40, 2024, 0.50, 2025, [2025]) == {}
    assert even_interim(None, 2024, 0.50, 2026, [2025]) == {}
    assert even_interim(0.40, 2026, 0.50, 2025, [2025]) == {}


def test_the_equity_rule_wants_a_gap_goal_or_a_reason() -> None:
    assert equity(1, "").satisfied
    assert equity(0, "Every group is within two points of the others.").satisfied
    missing = equity(0, "   ")
    assert not missing.satisfied and "Add one, or say why" in missing.text
