"""Reading a measure: centre line, signals with their direction, on or off track."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from headway.data.core.runcharts import ChartType, Rule
from headway.monitor import describe, reading
from headway.monitor.models import Annotation, Measure, Point, Rebase
from headway.monitor.reading import Track
from headway.plans.models import Cycle, Goal
from tests.monitor.conftest import weekly


def test_a_long_run_above_the_median_is_a_favourable_signal(attendance: Measure):
    weekly(attendance, [0.90, 0.91, 0.89, 0.90, 0.92, 0.95, 0.96, 0.95, 0.96, 0.97, 0.96, 0.95])
    attendance.baseline_points = 5
    attendance.save()
    r = reading.read(attendance, internal=True)
    (phase,) = r.phases
    assert phase.chart is not None and phase.chart.centre == 0.90
    assert [f.signal.rule for f in r.found] == [Rule.LONG_RUN]
    assert r.improving and not r.worsening


def test_the_same_run_is_unfavourable_when_lower_is_better(attendance: Measure):
    weekly(attendance, [0.90, 0.91, 0.89, 0.90, 0.92, 0.95, 0.96, 0.95, 0.96, 0.97, 0.96, 0.95])
    attendance.baseline_points = 5
    attendance.direction = Measure.Direction.DECREASE
    attendance.save()
    r = reading.read(attendance, internal=True)
    assert r.worsening and r.needs_attention


def test_a_rebase_starts_a_phase_with_its_own_centre(attendance: Measure):
    points = weekly(attendance, [1, 2, 1, 2, 1, 5, 6, 5, 6, 5])
    Rebase.objects.create(measure=attendance, on=points[5].on, reason="New schedule")
    r = reading.read(attendance, internal=True)
    assert [(p.start, p.end) for p in r.phases] == [(0, 5), (5, 10)]
    assert [p.chart.centre for p in r.phases if p.chart] == [1, 5]


def test_on_track_against_the_straight_line_to_the_target(attendance: Measure):
    attendance.target, attendance.target_on = 0.95, date(2025, 12, 1)
    attendance.save()
    weekly(attendance, [0.85, 0.86, 0.88, 0.87, 0.89])  # 4 of 13 weeks: expected ≈ 0.88
    r = reading.read(attendance, internal=True)
    assert r.expected is not None and round(r.expected, 3) == round(0.85 + 0.10 * 28 / 91, 3)
    assert r.track is Track.ON
    weekly(attendance, [0.86], start=date(2025, 10, 6))
    r = reading.read(attendance, internal=True)
    assert r.track is Track.OFF and r.needs_attention


# --- control charts ------------------------------------------------------------------------------


def test_an_xmr_measure_reads_its_runs_against_the_mean(attendance: Measure) -> None:
    attendance.chart, attendance.unit = Measure.Chart.XMR, Measure.Unit.NUMBER
    attendance.baseline_points = 4
    attendance.save()
    weekly(attendance, [10, 12, 10, 12, 30])
    r = reading.read(attendance, internal=True)
    (phase,) = r.phases
    assert phase.kind == ChartType.XMR and phase.centre == 11.0
    assert phase.limits[0] is not None and phase.limits[0].upper == pytest.approx(
        11 + 2.66 * 2, 0.01
    )
    [outside] = r.found
    assert (outside.signal.rule, outside.signal.points) == (Rule.OUTSIDE_LIMITS, (4,))
    assert outside.favourable and r.improving


def test_a_p_chart_measure_weighs_each_point_by_its_size(cycle: Cycle) -> None:
    measure = Measure.objects.create(cycle=cycle, name="Targets posted", chart=Measure.Chart.P)
    for week, (count, size) in enumerate([(2, 10), (30, 40), (3, 10), (28, 40)]):
        Point.objects.create(
            measure=measure, on=date(2025, 9, 1 + 7 * week), value=count / size,
            numerator=count, denominator=size,
        )  # fmt: skip
    (phase,) = reading.read(measure, internal=True).phases
    assert phase.kind == ChartType.P
    assert phase.centre == pytest.approx(63 / 100)  # not the mean of the shares (0.4625)
    small, large = phase.limits[0], phase.limits[1]
    assert small is not None and large is not None and small.upper > large.upper


def test_a_p_chart_without_counts_is_read_as_a_run_chart(attendance: Measure) -> None:
    attendance.chart = Measure.Chart.P
    attendance.save()
    weekly(attendance, [0.5, 0.6, 0.7])
    (phase,) = reading.read(attendance, internal=True).phases
    assert phase.kind == ChartType.RUN and phase.centre == 0.6
    assert phase.limits == [None, None, None]


def test_ihi_rules_find_an_astronomical_result(attendance: Measure) -> None:
    attendance.rules = Measure.Rules.IHI
    attendance.save()
    weekly(attendance, [0.90, 0.91, 0.90, 0.92, 0.91, 0.90, 0.91, 0.60, 0.91, 0.90])
    r = reading.read(attendance, internal=True)
    [found] = r.found
    assert found.signal.rule == Rule.ASTRONOMICAL and found.signal.points == (7,)
    assert found.favourable is False and r.worsening


# --- what a viewer may see -----------------------------------------------------------------------


def _goal_measure(cycle: Cycle, **goal: Any) -> Measure:
    made = Goal.objects.create(assessment=cycle.assessment, metric="proficiency_rate", **goal)
    return Measure.objects.create(cycle=cycle, goal=made, name="Proficiency")


def _imported(measure: Measure, rows: list[tuple[date, float, float | None]]) -> None:
    for on, value, public in rows:
        Point.objects.create(
            measure=measure, on=on, value=value, public_value=public, n=8,
            public_text="" if public is not None else "n<10", source=Point.Source.IMPORT,
        )  # fmt: skip


def test_a_viewer_without_student_access_sees_the_public_figures(cycle: Cycle) -> None:
    measure = _goal_measure(cycle)
    _imported(measure, [(date(2025, 9, 1), 0.41, 0.41), (date(2025, 10, 1), 0.43, None)])
    public = reading.read(measure, internal=False)
    assert public.values == [0.41, None] and public.latest_value is None
    assert public.track is Track.NO_DATA and not public.internal
    internal = reading.read(measure, internal=True)
    assert internal.values == [0.41, 0.43] and internal.latest_value == 0.43


def test_hand_entered_points_are_shown_to_everyone(attendance: Measure) -> None:
    weekly(attendance, [0.9, 0.91])
    assert reading.read(attendance, internal=False).values == [0.9, 0.91]


def test_a_chart_shows_the_cycles_notes_and_its_own(attendance: Measure, cycle: Cycle) -> None:
    other = Measure.objects.create(cycle=cycle, name="Other")
    every = Annotation.objects.create(cycle=cycle, on=date(2025, 9, 3), text="Everyone")
    mine = Annotation.objects.create(
        cycle=cycle, on=date(2025, 9, 2), text="Mine", measure=attendance
    )
    Annotation.objects.create(cycle=cycle, on=date(2025, 9, 4), text="Theirs", measure=other)
    assert reading.read(attendance, internal=True).annotations == [mine, every]
    by_name = {r.measure.name: r for r in reading.read_cycle(cycle, internal=True)}
    assert [a.text for a in by_name["Other"].annotations] == ["Everyone", "Theirs"]


# --- goals: on or off track ----------------------------------------------------------------------


def test_a_goal_is_on_or_off_track_against_its_interim_target(cycle: Cycle) -> None:
    measure = _goal_measure(cycle, interim={"2025": 0.42}, target=0.5, target_year=2026)
    _imported(measure, [(date(2025, 10, 1), 0.40, 0.40), (date(2026, 3, 2), 0.43, 0.43)])
    r = reading.read(measure, internal=True)
    assert r.expected == 0.42 and r.track is Track.ON
    _imported(measure, [(date(2026, 9, 1), 0.47, 0.47)])  # 2026–27: the target year
    r = reading.read(measure, internal=True)
    assert r.expected == 0.5 and r.track is Track.OFF and r.needs_attention


def test_an_import_is_held_to_the_target_of_the_year_its_figure_is_for(cycle: Cycle) -> None:
    """An autumn import may still bring last school year's results: they are judged
    against last year's interim target, not the new year's."""
    measure = _goal_measure(cycle, interim={"2025": 0.42, "2026": 0.50}, target=0.6)
    _imported(measure, [(date(2026, 9, 10), 0.45, 0.45)])  # in 2026–27
    point = Point.objects.get(measure=measure)
    point.school_year = 2025  # the 2025–26 results
    point.save()
    r = reading.read(measure, internal=True)
    assert r.expected == 0.42 and r.track is Track.ON
    point.school_year = None  # a point that does not say: the year of its date
    point.save()
    assert reading.read(measure, internal=True).expected == 0.50


def test_a_goal_to_decrease_is_on_track_below_its_target(cycle: Cycle) -> None:
    measure = _goal_measure(cycle, interim={"2025": 0.10}, direction=Goal.Direction.DECREASE)
    measure.direction = Measure.Direction.DECREASE
    measure.save()
    _imported(measure, [(date(2025, 10, 1), 0.09, 0.09)])
    assert reading.read(measure, internal=True).track is Track.ON
    _imported(measure, [(date(2025, 11, 1), 0.12, 0.12)])
    assert reading.read(measure, internal=True).track is Track.OFF


def test_a_goal_without_a_target_for_the_year_has_no_target(cycle: Cycle) -> None:
    measure = _goal_measure(cycle, interim={"2026": 0.45})
    _imported(measure, [(date(2025, 10, 1), 0.40, 0.40)])
    r = reading.read(measure, internal=True)
    assert r.expected is None and r.track is Track.NO_TARGET
    assert "no target for this school year" in describe.track_sentence(r)


def test_read_cycle_reads_like_read(attendance: Measure, cycle: Cycle) -> None:
    weekly(attendance, [0.90, 0.91, 0.89, 0.90, 0.92, 0.95, 0.96, 0.95, 0.96, 0.97, 0.96, 0.95])
    [one] = reading.read_cycle(cycle, internal=True)
    alone = reading.read(attendance, internal=True)
    assert one.values == alone.values and one.found == alone.found and one.track == alone.track


def test_too_few_crossings_marks_no_single_result(attendance: Measure):
    """The chart's diamonds mark results that make a signal; too few crossings is a
    property of the whole phase, so it marks none."""
    attendance.unit = Measure.Unit.NUMBER
    attendance.save()
    weekly(attendance, [1.0] * 5 + [9.0] * 5 + [1.0] * 5 + [9.0] * 5)
    r = reading.read(attendance, internal=True)
    assert [f.signal.rule for f in r.found] == [Rule.FEW_CROSSINGS]
    assert r.signal_positions() == set()
