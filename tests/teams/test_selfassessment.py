"""The self-assessment's summary maths and chart, checked against numbers worked out by hand."""

from __future__ import annotations

import math
from decimal import Decimal

from headway.teams.characteristics import CHARACTERISTICS
from headway.teams.charts import assessment_bars
from headway.teams.selfassessment import (
    SLUGS,
    Summary,
    change_shown,
    lowest,
    one_decimal,
    results_ready,
    sorted_comments,
    summarise,
)


def answers(*rows: dict[str, int], rest: int = 3) -> list[dict[str, int]]:
    """Full responses: the given ratings, and ``rest`` for every other characteristic."""
    return [{**dict.fromkeys(SLUGS, rest), **row} for row in rows]


THREE = answers({"mission": 3, "trust": 1}, {"mission": 4, "trust": 2}, {"mission": 5, "trust": 2})


def by_slug(summaries: list[Summary]) -> dict[str, Summary]:
    return {s.slug: s for s in summaries}


def test_it_averages_each_characteristic() -> None:
    result = by_slug(summarise(THREE))
    assert result["mission"].mean == 4.0  # (3 + 4 + 5) / 3
    assert math.isclose(result["trust"].mean, 5 / 3)  # (1 + 2 + 2) / 3
    assert result["leadership"].mean == 3.0


def test_it_gives_the_spread_of_answers() -> None:
    mission = by_slug(summarise(THREE))["mission"]
    assert (mission.low, mission.high, mission.n) == (3, 5, 3)
    # Deviations from 4: -1, 0, 1; squares 1, 0, 1; mean 2/3; root 0.8165.
    assert math.isclose(mission.sd, math.sqrt(2 / 3))
    trust = by_slug(summarise(THREE))["trust"]
    # Deviations from 5/3: -2/3, 1/3, 1/3; squares 4/9, 1/9, 1/9; mean 2/9.
    assert math.isclose(trust.sd, math.sqrt(2 / 9))
    assert by_slug(summarise(THREE))["leadership"].sd == 0.0


def test_it_keeps_the_order_of_the_nine_characteristics() -> None:
    assert [s.slug for s in summarise(THREE)] == [c.slug for c in CHARACTERISTICS]


def test_it_shows_nothing_below_three_answers() -> None:
    assert summarise(THREE[:2]) == []
    assert summarise([]) == []
    assert not results_ready(2) and results_ready(3)


def test_it_gives_the_change_since_a_previous_round_of_three() -> None:
    previous = answers({"mission": 2}, {"mission": 3}, {"mission": 4})  # average 3
    mission = by_slug(summarise(THREE, previous))["mission"]
    assert mission.previous_mean == 3.0
    assert mission.change == 1.0


def test_it_gives_no_change_when_the_previous_round_had_two_answers() -> None:
    previous = answers({"mission": 2}, {"mission": 3})
    mission = by_slug(summarise(THREE, previous))["mission"]
    assert mission.previous_mean is None and mission.change is None


def test_it_gives_no_change_without_a_previous_round() -> None:
    assert all(s.change is None for s in summarise(THREE))


def test_it_leaves_out_ratings_off_the_scale() -> None:
    rows: list[dict[str, object]] = [dict(r) for r in THREE]
    rows += [{"mission": 9}, {"mission": "5"}, {"mission": True}]
    mission = by_slug(summarise(rows))["mission"]
    assert (mission.n, mission.mean) == (3, 4.0)


def test_it_leaves_out_a_characteristic_with_too_few_ratings() -> None:
    rows = [{"mission": 4}, {"mission": 5}, {"trust": 3, "mission": 3}]
    assert [s.slug for s in summarise(rows)] == ["mission"]


def test_lowest_gives_the_two_lowest_averages() -> None:
    rows = answers(
        {"trust": 1, "risk": 2, "consensus": 2},
        {"trust": 2, "risk": 2, "consensus": 3},
        {"trust": 2, "risk": 2, "consensus": 3},
    )
    assert [s.slug for s in lowest(summarise(rows))] == ["trust", "risk"]
    assert [s.slug for s in lowest(summarise(rows), k=3)] == ["trust", "risk", "consensus"]


def test_lowest_keeps_the_given_order_between_equal_averages() -> None:
    assert [s.slug for s in lowest(summarise(answers({}, {}, {})))] == ["mission", "trust"]


def test_numbers_round_half_up_to_one_decimal() -> None:
    assert one_decimal(2.25) == Decimal("2.3")
    assert one_decimal(3.25) == Decimal("3.3")
    assert one_decimal(5 / 3) == Decimal("1.7")


def test_the_change_shown_matches_the_averages_shown() -> None:
    summary = Summary("mission", 3, 10 / 3, 0.5, 3, 4, previous_mean=3.25)
    assert one_decimal(summary.mean) == one_decimal(3.25) == Decimal("3.3")
    assert change_shown(summary) == Decimal("0.0")
    assert change_shown(Summary("mission", 3, 4.0, 0.5, 3, 5)) is None


def test_comments_are_sorted_alphabetically_without_blanks() -> None:
    comments = [
        {"mission": "banana"},
        {"mission": "  "},
        {"mission": "Apple "},
        {"trust": "other"},
        {"mission": "cherry"},
    ]
    assert sorted_comments(comments, "mission") == ["Apple", "banana", "cherry"]


def test_the_chart_has_a_table_row_for_each_characteristic() -> None:
    previous = answers({"mission": 2}, {"mission": 3}, {"mission": 4})
    chart = assessment_bars("self-assessment", "Averages", summarise(THREE, previous))
    assert len(chart.rows) == 9
    assert chart.rows[0] == ["A shared mission", "4.0", "3–5", "0.8", "3", "+1.0"]
    assert chart.rows[1] == ["Trust and openness", "1.7", "1–2", "0.5", "3", "−1.3"]
    assert "Rated lowest: Trust and openness (1.7)" in chart.summary
    values = chart.spec["data"]["values"]
    assert values[0] == {
        "name": "A shared mission",
        "base": 1,
        "mean": 4.0,
        "low": 3,
        "high": 5,
        "previous": 3.0,
    }
    assert chart.spec["description"]


def test_the_chart_shows_a_fall_with_a_minus_sign() -> None:
    previous = answers({"trust": 4}, {"trust": 4}, {"trust": 5})
    chart = assessment_bars("self-assessment", "Averages", summarise(THREE, previous))
    assert chart.rows[1][-1] == "−2.6"  # 1.7 − 4.3
