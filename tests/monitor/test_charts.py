"""A measure's chart: what its spec draws, what its table says, and a sentence per signal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client

from headway.data.core.runcharts import Rule
from headway.monitor import describe, markers, reading
from headway.monitor.charts import measure_chart
from headway.monitor.models import Annotation, Measure, Point, Rebase
from headway.plans.models import Cycle, Goal, Plan, Rock, Strategy
from tests.monitor.conftest import cycle_url, weekly

Spec = dict[str, Any]


def layers(spec: Spec) -> Iterator[Spec]:
    """Every unit layer of a (nested) layered spec."""
    for layer in spec.get("layer", []):
        if "layer" in layer:
            yield from layers(layer)
        else:
            yield layer


def layer_data(spec: Spec, mark: str, field: str) -> list[dict[str, Any]]:
    """The data of the layers drawing ``mark`` with ``field`` on any channel."""
    found: list[dict[str, Any]] = []
    for layer in layers(spec):
        kind = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        fields = {c.get("field") for c in layer.get("encoding", {}).values()}
        if kind == mark and field in fields:
            data: dict[str, Any] = layer.get("data") or spec["data"]
            found += data["values"]
    return found


def chart_of(measure: Measure, internal: bool = True) -> Any:
    r = reading.read(measure, internal)
    return measure_chart(r, markers.markers_for(r), "measure-chart")


def test_each_phase_has_its_centre_line_and_a_phase_marker(attendance: Measure) -> None:
    points = weekly(attendance, [1, 2, 1, 2, 1, 5, 6, 5, 6, 5])
    attendance.unit = Measure.Unit.NUMBER
    attendance.save()
    Rebase.objects.create(measure=attendance, on=points[5].on, reason="New schedule")
    spec = chart_of(attendance).spec
    centres = layer_data(spec, "rule", "centre")
    assert [(c["on"], c["end"], c["centre"]) for c in centres] == [
        ("2025-09-01", "2025-09-29", 1),
        ("2025-10-06", "2025-11-03", 5),
    ]
    [phase] = [m for m in layer_data(spec, "rule", "on") if m.get("kind") == "phase"]
    assert phase["on"] == "2025-10-06" and phase["label"] == "1"  # its row in the events table
    (marker,) = markers.markers_for(reading.read(attendance, True))
    assert "New schedule" in marker.label
    json.dumps(spec)  # plain JSON for the page


def test_an_xmr_chart_draws_its_limits_and_a_diamond_outside_them(attendance: Measure) -> None:
    attendance.chart, attendance.unit = Measure.Chart.XMR, Measure.Unit.NUMBER
    attendance.baseline_points = 4
    attendance.save()
    weekly(attendance, [10, 12, 10, 12, 30])
    chart = chart_of(attendance)
    limits = layer_data(chart.spec, "line", "upper")
    assert len(limits) == 5 and limits[0]["upper"] == pytest.approx(11 + 3 / 1.128 * 2)
    values = chart.spec["data"]["values"]
    assert [v["signal"] for v in values] == [False] * 4 + [True]
    [diamond] = [layer for layer in layers(chart.spec) if layer["mark"].get("shape") == "diamond"]
    assert diamond["transform"] == [{"filter": "datum.signal"}]
    assert chart.columns == [
        "Date",
        "Result",
        "Centre line",
        "Lower limit",
        "Upper limit",
        "Expected",
    ]
    assert chart.rows[-1][:2] == ["Sept. 29, 2025", "30"]


def test_a_p_chart_has_limits_for_each_point(cycle: Cycle) -> None:
    measure = Measure.objects.create(cycle=cycle, name="Targets posted", chart=Measure.Chart.P)
    for week, (count, size) in enumerate([(10, 20), (12, 25), (9, 20), (30, 40), (11, 20)]):
        Point.objects.create(
            measure=measure,
            on=date(2025, 9, 1 + 7 * week),
            value=count / size,
            numerator=count,
            denominator=size,
        )
    uppers = [row["upper"] for row in layer_data(chart_of(measure).spec, "line", "upper")]
    centre = 72 / 125
    expected = [
        min(centre + 3 * (centre * (1 - centre) / n) ** 0.5, 1) for n in (20, 25, 20, 40, 20)
    ]
    assert uppers == pytest.approx(expected)
    assert uppers[0] != uppers[1]


def test_annotations_rocks_and_strategy_starts_are_marked(
    attendance: Measure, cycle: Cycle, plan: Plan
) -> None:
    weekly(attendance, [0.9, 0.91, 0.89, 0.9, 0.92, 0.9, 0.91, 0.93])
    other = Measure.objects.create(cycle=cycle, name="Other")
    Annotation.objects.create(cycle=cycle, on=date(2025, 9, 10), text="PDSA 1", kind="pdsa")
    Annotation.objects.create(cycle=cycle, on=date(2025, 9, 12), text="Mine", measure=attendance)
    Annotation.objects.create(cycle=cycle, on=date(2025, 9, 15), text="Not here", measure=other)
    Rock.objects.create(
        plan=plan, title="Call every family", owner="Ana", set_on=date(2025, 9, 8),
        due=date(2025, 10, 13),
    )  # fmt: skip
    Strategy.objects.create(
        plan=plan, title="Mentors", lever="other", driver="leadership",
        started_on=date(2025, 9, 22),
    )  # fmt: skip
    spec = chart_of(attendance).spec
    found = layer_data(spec, "rule", "kind")
    assert {m["label"] for m in layer_data(spec, "text", "label")} == {m["label"] for m in found}
    # On the chart, each event is the number of its row in the events table below it.
    assert [(m["on"], m["kind"], m["label"]) for m in found] == [
        ("2025-09-08", "rock_set", "1"),
        ("2025-09-10", "pdsa", "2"),
        ("2025-09-12", "pdsa", "3"),
        ("2025-09-22", "strategy", "4"),
        ("2025-10-13", "rock_due", "5"),
    ]
    assert [m.label for m in markers.markers_for(reading.read(attendance, True))] == [
        "Rock set: Call every family",
        "PDSA 1",
        "Mine",
        "Strategy starts: Mentors",
        "Rock due: Call every family",
    ]


def test_a_goals_chart_marks_only_the_rocks_and_strategies_serving_its_goal(
    cycle: Cycle, plan: Plan
) -> None:
    goal = Goal.objects.create(assessment=cycle.assessment, metric="attendance_rate")
    other = Goal.objects.create(assessment=cycle.assessment, metric="proficiency_rate")
    measure = Measure.objects.create(cycle=cycle, goal=goal, name="Attendance")
    weekly(measure, [0.9, 0.91, 0.92, 0.9, 0.93, 0.9])
    serving = Strategy.objects.create(
        plan=plan, title="Mentors", lever="other", driver="leadership",
        started_on=date(2025, 9, 9),
    )  # fmt: skip
    serving.goals.add(goal)
    elsewhere = Strategy.objects.create(
        plan=plan, title="Tutoring", lever="other", driver="leadership",
        started_on=date(2025, 9, 10),
    )  # fmt: skip
    elsewhere.goals.add(other)
    for title, rock_goal, strategy in [
        ("By goal", goal, None),
        ("By strategy", None, serving),
        ("Other goal", other, None),
        ("Nothing", None, None),
    ]:
        Rock.objects.create(
            plan=plan, title=title, owner="Ana", set_on=date(2025, 9, 15),
            due=date(2025, 10, 1), goal=rock_goal, strategy=strategy,
        )  # fmt: skip
    labels = {m.label for m in markers.markers_for(reading.read(measure, True))}
    assert labels == {
        "Strategy starts: Mentors",
        "Rock set: By goal",
        "Rock due: By goal",
        "Rock set: By strategy",
        "Rock due: By strategy",
    }


def test_the_expected_line_runs_to_the_target(attendance: Measure) -> None:
    attendance.target, attendance.target_on = 0.95, date(2025, 12, 1)
    attendance.save()
    weekly(attendance, [0.85, 0.86, 0.88])
    chart = chart_of(attendance)
    [line] = layer_data(chart.spec, "rule", "from")
    assert (line["on"], line["end"], line["from"], line["to"]) == (
        "2025-09-01", "2025-12-01", 0.85, 0.95,
    )  # fmt: skip
    assert chart.rows[0][-1] == "85%" and chart.rows[-1][-1] == "86.5%"


def test_a_goals_expected_line_steps_by_school_year(cycle: Cycle) -> None:
    goal = Goal.objects.create(
        assessment=cycle.assessment, metric="attendance_rate", interim={"2025": 0.9},
        target=0.94, target_year=2026,
    )  # fmt: skip
    measure = Measure.objects.create(cycle=cycle, goal=goal, name="Attendance")
    for on, value in [(date(2025, 10, 1), 0.88), (date(2026, 3, 1), 0.9), (date(2026, 9, 1), 0.93)]:
        Point.objects.create(measure=measure, on=on, value=value, source="import")
    lines = layer_data(chart_of(measure).spec, "rule", "from")
    assert [(x["on"], x["end"], x["from"]) for x in lines] == [
        ("2025-10-01", "2026-06-30", 0.9),
        ("2026-07-01", "2026-09-01", 0.94),
    ]


def test_hidden_results_are_left_out_of_the_spec_and_said_in_the_note(cycle: Cycle) -> None:
    goal = Goal.objects.create(assessment=cycle.assessment, metric="proficiency_rate")
    measure = Measure.objects.create(cycle=cycle, goal=goal, name="Proficiency")
    for k, public in enumerate([0.41, None, 0.45]):
        Point.objects.create(
            measure=measure, on=date(2025, 9, 1 + 7 * k), value=0.4 + k / 100,
            public_value=public, public_text="" if public else "n<10", source="import",
        )  # fmt: skip
    chart = chart_of(measure, internal=False)
    values = chart.spec["data"]["values"]
    assert [v["value"] for v in values] == [0.41, 0.45]
    assert values[0]["segment"] != values[1]["segment"]  # the line breaks at the gap
    assert "0.41" not in json.dumps(chart.rows) and [r[1] for r in chart.rows] == [
        "41%",
        "n<10",
        "45%",
    ]
    assert "1 result is not drawn" in chart.note
    assert "0.4," not in json.dumps(chart.spec)  # no internal figure in the page


def test_every_signal_has_a_sentence_naming_its_dates(attendance: Measure) -> None:
    attendance.rules = Measure.Rules.IHI
    attendance.chart = Measure.Chart.XMR
    attendance.save()
    weekly(attendance, [0.5, 0.5, 0.5, 0.51, 0.52, 0.53, 0.54, 0.55, 0.56, 0.57, 0.58, 0.9])
    r = reading.read(attendance, True)
    rules = {f.signal.rule for f in r.found}
    assert {Rule.TREND, Rule.SHIFT, Rule.OUTSIDE_LIMITS} <= rules
    sentences = describe.sentences(r)
    assert len(sentences) == len(r.found)
    verdicts = {
        True: "Higher is better here, so this is a change for the better.",
        False: "Higher is better here, so this is a change for the worse.",
        None: "It is not clearly better or worse.",
    }
    for found, sentence in zip(r.found, sentences, strict=True):
        first = describe.when(r.points[found.signal.points[0]].on)
        assert first in sentence, sentence
        assert sentence.endswith(verdicts[found.favourable])
        assert "point" not in sentence.lower()
    # the trend goes up, the last result is far above the limits: both for the better
    better = {f.signal.rule for f in r.found if f.favourable}
    assert {Rule.TREND, Rule.OUTSIDE_LIMITS} <= better


def test_a_sentence_names_three_results_outside_the_limits_and_counts_the_rest(
    attendance: Measure,
) -> None:
    attendance.chart = Measure.Chart.XMR
    attendance.baseline_points = 8
    attendance.save()
    weekly(attendance, [0.50, 0.52, 0.49, 0.51, 0.50, 0.52, 0.48, 0.51] + [0.9] * 6)
    r = reading.read(attendance, True)
    (outside,) = [f for f in r.found if f.signal.rule == Rule.OUTSIDE_LIMITS]
    sentence = describe.signal_sentence(r, outside)
    last = describe.when(r.points[-1].on)
    assert sentence.count("(90%)") == 3 and f"and 3 more, the last on {last}" in sentence


@pytest.mark.parametrize(
    ("values", "rule", "words"),
    [
        ([1, 9, 2, 8, 3, 7, 10, 11, 12, 13, 14, 15, 16, 17], Rule.LONG_RUN, "9 results in a row"),
        ([1] * 5 + [9] * 5 + [1] * 5 + [9] * 5, Rule.FEW_CROSSINGS, "only 3 times"),
        ([5, 6, 5, 6, 5, 6, 5, 4, 3, 2, 1, 0], Rule.TREND, "kept going down, 5 in a row"),
    ],
)
def test_a_signal_the_wrong_way_says_worse(
    attendance: Measure, values: list[float], rule: Rule, words: str
) -> None:
    attendance.unit, attendance.direction = Measure.Unit.NUMBER, Measure.Direction.DECREASE
    attendance.rules = Measure.Rules.IHI if rule == Rule.TREND else Measure.Rules.ANHOEJ
    attendance.baseline_points = 6 if rule == Rule.LONG_RUN else None  # the median is 5.5
    attendance.save()
    if rule == Rule.TREND:
        values = [-v for v in values]  # going up: worse when lower is better
        words = "kept going up"
    weekly(attendance, values)
    r = reading.read(attendance, True)
    [found] = [f for f in r.found if f.signal.rule == rule]
    sentence = describe.signal_sentence(r, found)
    assert words in sentence
    if found.favourable is not None:
        assert "Lower is better here, so this is a change for the worse." in sentence


def test_the_chart_page_shows_the_chart_its_tables_and_its_sentences(
    attendance: Measure, member: Client
) -> None:
    weekly(attendance, [0.90, 0.91, 0.89, 0.90, 0.92, 0.95, 0.96, 0.95, 0.96, 0.97, 0.96, 0.95])
    attendance.baseline_points = 5
    attendance.save()
    page = member.get(cycle_url("monitor-measure", attendance.cycle, attendance.code)).content
    text = page.decode()
    assert 'data-chart="measure-chart-spec"' in text and "vega-lite-6.5.0.min.js" in text
    assert "Show the numbers" in text and "<caption" in text
    assert "12 results, from Sept. 1, 2025 to Nov. 17, 2025." in text
    assert "were above the centre line (the median)" in text
    assert "a long run on one side" in text  # the signal column of the results table
    assert "Run analysis by phase" in text


def test_the_chart_partial_renders_every_number(attendance: Measure) -> None:
    weekly(attendance, [0.9, 0.91])
    chart = chart_of(attendance)
    html = render_to_string("explore/_chart.html", {"chart": chart})
    assert "90%" in html and "91%" in html and chart.summary in html
