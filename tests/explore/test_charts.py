"""Chart builders: what the spec draws, what the table shows, and the partial that shows both."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.template.loader import render_to_string

from headway.explore import charts
from headway.explore.charts import Chart, GroupRate, LevelRow, SchoolPoint, TrendPoint

LEVELS = ["Below basic", "Basic", "Proficient", "Advanced"]


def _groups() -> list[GroupRate]:
    return [
        GroupRate("All students", 0.52, 0.49, 0.55, 1812, "52%"),
        GroupRate("English learners", 0.29, 0.22, 0.37, 121, "29%"),
        GroupRate("Foster care", None, None, None, None, "n<10"),
        GroupRate("Asian", None, None, None, 45, "≥95%"),
        GroupRate("White", 0.61, None, None, 301, "61%"),
    ]


def _bars() -> Chart:
    return charts.group_bars(
        "bars", "Proficiency", "Half were proficient.", "Proficient", _groups()
    )


def _points() -> list[TrendPoint]:
    return [
        TrendPoint("All students", 2023, 0.52, "52%"),
        TrendPoint("All students", 2021, 0.47, "47%"),
        TrendPoint("All students", 2022, 0.50, "50%"),
        TrendPoint("English learners", 2021, 0.16, "16%"),
        TrendPoint("English learners", 2022, None, "n<10"),
        TrendPoint("English learners", 2023, 0.29, "29%"),
    ]


def _trend() -> Chart:
    return charts.gap_trends("trend", "Over time", "The gap narrowed.", "Proficient", _points())


def _level_row(group: str, shares: list[float | None]) -> LevelRow:
    display = {
        level: "n<10" if share is None else f"{round(share * 100)}%"
        for level, share in zip(LEVELS, shares, strict=True)
    }
    return LevelRow(group, dict(zip(LEVELS, shares, strict=True)), display)


def _levels() -> Chart:
    rows = [
        _level_row("All students", [0.2, 0.28, 0.37, 0.15]),
        _level_row("Homeless", [None, None, None, None]),
    ]
    return charts.level_distribution("levels", "Levels", "Most are Basic or above.", LEVELS, rows)


def _similar() -> Chart:
    schools = [
        SchoolPoint("Elm", 0.50, 0.44, "50%", "44%"),
        SchoolPoint("Lincoln", 0.56, 0.52, "56%", "52%", is_self=True),
        SchoolPoint("Tiny", 0.41, None, "41%", "n<10"),
    ]
    return charts.similar_schools(
        "similar",
        "Similar schools",
        "Lincoln is above most.",
        "Disadvantaged",
        "Proficient",
        schools,
    )


BUILDERS: list[Callable[[], Chart]] = [_bars, _trend, _levels, _similar]


def _values(chart: Chart) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = chart.spec["data"]["values"]
    return values


def _layer_encodings(chart: Chart) -> list[dict[str, Any]]:
    return [layer.get("encoding", {}) for layer in chart.spec["layer"]]


# --- every chart ------------------------------------------------------------------------------


@pytest.mark.parametrize("build", BUILDERS)
def test_every_chart_describes_itself_and_fits_its_container(build: Callable[[], Chart]) -> None:
    chart = build()
    assert len(chart.spec["description"]) > 40
    assert chart.spec["width"] == "container"
    assert isinstance(chart.spec["height"], int)
    assert chart.spec["$schema"].endswith("/vega-lite/v6.json")
    json.dumps(chart.spec)  # json_script must be able to serialize it


@pytest.mark.parametrize("build", BUILDERS)
def test_every_table_row_has_one_cell_per_column(build: Callable[[], Chart]) -> None:
    chart = build()
    assert chart.rows
    assert all(len(row) == len(chart.columns) for row in chart.rows)
    assert all(isinstance(cell, str) for row in chart.rows for cell in row)


def test_it_rejects_an_id_that_cannot_prefix_element_ids() -> None:
    with pytest.raises(ValueError, match="chart id"):
        Chart("Bad id", "t", "s", {"description": "d"}, ["a"], [["1"]])


def test_it_rejects_a_spec_without_description() -> None:
    with pytest.raises(ValueError, match="description"):
        Chart("ok", "t", "s", {}, ["a"], [["1"]])


def test_it_rejects_ragged_table_rows() -> None:
    with pytest.raises(ValueError, match="one cell per column"):
        Chart("ok", "t", "s", {"description": "d"}, ["a", "b"], [["1"]])


def test_colours_are_readable_on_white() -> None:
    for colour in (*charts.SERIES, charts.BAR, charts.HIGHLIGHT, charts.MUTED):
        assert _contrast(colour, charts.WHITE) >= 3, colour
    for fill, text in charts.LEVEL_RAMP:
        assert _contrast(fill, charts.WHITE) >= 3, fill
        assert _contrast(fill, text) >= 4.5, (fill, text)


# --- (a) group bars ----------------------------------------------------------------------------


def test_bars_draw_only_the_groups_with_a_value() -> None:
    chart = _bars()
    assert [v["group"] for v in _values(chart)] == ["All students", "English learners", "White"]
    assert _values(chart)[0] == {
        "group": "All students",
        "value": 0.52,
        "ci_low": 0.49,
        "ci_high": 0.55,
    }
    assert "Foster care" not in json.dumps(chart.spec)


def test_bars_table_keeps_suppressed_groups_with_their_display_text() -> None:
    chart = _bars()
    assert chart.columns == ["Student group", "Proficient", "Interval (95%)", "Students"]
    assert chart.rows == [
        ["All students", "52%", "49–55%", "1,812"],
        ["English learners", "29%", "22–37%", "121"],
        ["Foster care", "n<10", "—", "—"],
        ["Asian", "≥95%", "—", "45"],
        ["White", "61%", "—", "301"],
    ]
    assert "Foster care (n<10)" in chart.note
    assert "Asian (≥95%)" in chart.note


def test_bars_use_a_percent_axis_from_0_to_100() -> None:
    x = _layer_encodings(_bars())[0]["x"]
    assert x["scale"]["domain"] == [0, 1]
    assert x["axis"]["format"] == ".0%"


def test_bars_draw_intervals_only_where_known() -> None:
    interval = _bars().spec["layer"][1]
    assert interval["transform"] == [{"filter": {"field": "ci_low", "valid": True}}]
    assert interval["encoding"]["x2"] == {"field": "ci_high"}


def test_bars_without_hidden_groups_have_no_note() -> None:
    chart = charts.group_bars("b", "t", "s", "Rate", _groups()[:2])
    assert chart.note == ""


# --- (b) gap trends ----------------------------------------------------------------------------


def test_trend_labels_school_years_in_order() -> None:
    chart = _trend()
    assert chart.columns == ["Student group", "2021–22", "2022–23", "2023–24"]
    assert chart.spec["encoding"]["x"]["sort"] == ["2021–22", "2022–23", "2023–24"]
    assert "2021–22 to 2023–24" in chart.spec["description"]


def test_trend_leaves_hidden_points_out_and_breaks_the_line_there() -> None:
    values = [v for v in _values(_trend()) if v["group"] == "English learners"]
    assert [(v["year"], v["value"]) for v in values] == [("2021–22", 0.16), ("2023–24", 0.29)]
    assert values[0]["segment"] != values[1]["segment"]
    all_students = {v["segment"] for v in _values(_trend()) if v["group"] == "All students"}
    assert len(all_students) == 1


def test_trend_table_shows_display_text_and_a_dash_for_missing_years() -> None:
    points = [*_points(), TrendPoint("Homeless", 2023, None, "*")]
    chart = charts.gap_trends("t", "t", "s", "Proficient", points)
    assert chart.rows == [
        ["All students", "47%", "50%", "52%"],
        ["English learners", "16%", "n<10", "29%"],
        ["Homeless", "—", "—", "*"],
    ]
    assert "English learners 2022–23 (n<10)" in chart.note


def test_trend_groups_differ_in_colour_dash_and_shape() -> None:
    line, points = _layer_encodings(_trend())
    colours = _trend().spec["encoding"]["color"]["scale"]["range"]
    assert len(set(colours)) == 2
    assert len({json.dumps(d) for d in line["strokeDash"]["scale"]["range"]}) == 2
    assert len(set(points["shape"]["scale"]["range"])) == 2


# --- (c) performance levels --------------------------------------------------------------------


def test_levels_stack_in_the_given_order() -> None:
    chart = _levels()
    colour = _layer_encodings(chart)[0]["color"]
    assert colour["scale"]["domain"] == LEVELS
    assert colour["sort"] == LEVELS
    assert [v["level"] for v in _values(chart)] == LEVELS
    assert [v["order"] for v in _values(chart)] == [0, 1, 2, 3]


def test_levels_leave_out_groups_with_a_hidden_share_but_keep_them_in_the_table() -> None:
    chart = _levels()
    assert {v["group"] for v in _values(chart)} == {"All students"}
    assert chart.rows == [
        ["All students", "20%", "28%", "37%", "15%"],
        ["Homeless", "n<10", "n<10", "n<10", "n<10"],
    ]
    assert "Homeless" in chart.note


def test_levels_go_from_light_to_dark() -> None:
    ramp = _layer_encodings(_levels())[0]["color"]["scale"]["range"]
    assert ramp[0] == charts.LEVEL_RAMP[0][0]
    assert ramp[-1] == charts.LEVEL_RAMP[-1][0]
    assert len(set(ramp)) == len(LEVELS)


def test_levels_refuse_more_levels_than_colours() -> None:
    levels = [f"L{i}" for i in range(len(charts.LEVEL_RAMP) + 1)]
    with pytest.raises(ValueError, match="performance levels"):
        charts.level_distribution("l", "t", "s", levels, [])


# --- (d) similar schools -----------------------------------------------------------------------


def test_similar_schools_highlight_the_school_itself_by_more_than_colour() -> None:
    chart = _similar()
    values = _values(chart)
    assert values[-1] == {"school": "Lincoln", "x": 0.56, "y": 0.52, "kind": "This school"}
    points, label = chart.spec["layer"]
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "diamond"]
    assert label["mark"]["type"] == "text"
    assert label["transform"] == [{"filter": {"field": "kind", "equal": "This school"}}]
    assert "Lincoln" in chart.spec["description"]


def test_similar_schools_table_lists_the_school_first_and_keeps_hidden_ones() -> None:
    chart = _similar()
    assert chart.columns == ["School", "Disadvantaged", "Proficient"]
    assert chart.rows == [
        ["Lincoln (this school)", "56%", "52%"],
        ["Elm", "50%", "44%"],
        ["Tiny", "41%", "n<10"],
    ]
    assert "Tiny" not in json.dumps(chart.spec["data"])
    assert "Tiny" in chart.note


# --- the partial -------------------------------------------------------------------------------


def test_partial_shows_caption_summary_chart_data_and_table() -> None:
    html = render_to_string("explore/_chart.html", {"chart": _bars()})
    assert '<figure class="chart" id="bars">' in html
    assert "<figcaption" in html and ">Proficiency</figcaption>" in html
    assert "Half were proficient." in html
    assert (
        'data-chart="bars-spec" role="img" aria-label="Horizontal bar chart of Proficient' in html
    )
    assert '<script id="bars-spec" type="application/json">' in html
    assert "<summary>Show the numbers</summary>" in html
    assert '<caption id="bars-caption">Proficiency</caption>' in html
    assert '<th scope="col">Student group</th>' in html
    assert '<th scope="row">Foster care</th><td class="num">n&lt;10</td>' in html
    assert "Not drawn, to protect student privacy" in html


def test_partial_takes_any_object_with_the_contract_attributes() -> None:
    class Minimal:
        id = "plain"
        title = "T"
        summary = "S"
        spec = {"description": "D", "mark": "bar"}
        columns = ["A", "B"]
        rows = [["x", "1"]]

    html = render_to_string("explore/_chart.html", {"chart": Minimal()})
    assert 'data-chart="plain-spec"' in html
    assert 'class="chart-note"' not in html


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
