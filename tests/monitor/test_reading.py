"""Reading a measure: centre line, signals with their direction, on or off track."""

from __future__ import annotations

from datetime import date

from headway.data.core.runcharts import Rule
from headway.monitor import reading
from headway.monitor.models import Measure, Rebase
from headway.monitor.reading import Track
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
