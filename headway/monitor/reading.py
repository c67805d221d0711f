"""What a measure's points say: its chart, its signals, and whether it is on track.

The one place that reads a measure. Pages, the meeting agenda, strategy reviews and the
evaluation all ask here, and the statistics come from ``data.core.runcharts`` (the same
code as ``headway runchart``).

- The points a person sees: a goal measure's points carry the public figure captured with
  them; a viewer without student access sees that (a hidden figure is a gap in the chart).
- Phases: a rebase starts a new phase with its own centre line; the first phase may freeze
  its baseline after its first points. Signals are read within each phase.
- Direction: a signal is *favourable* when its points lie on the better side of the centre
  (above it when higher is better), or when a trend goes the better way.
- On track: the latest point against the value expected by then — a goal's interim target
  for the point's school year, or for a team's own measure the straight line from its
  starting value to its target.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Prefetch

from headway.data.core import runcharts
from headway.data.core.runcharts import Limits, Rule, RunChart, Signal
from headway.monitor.models import Annotation, Measure, Point, Rebase
from headway.orgs.models import Organization, current_start_year
from headway.plans.models import Cycle

MIN_POINTS = 2  # a chart needs at least this many points in a phase to read anything


class Track(StrEnum):
    ON = "on"  # at or better than expected by now
    OFF = "off"  # worse than expected by now
    NO_TARGET = "no_target"  # nothing to compare with
    NO_DATA = "no_data"  # no point yet (or the latest is hidden from this viewer)


@dataclass(frozen=True)
class Phase:
    """A stretch of the chart between rebases, read on its own."""

    start: int  # position of its first point in ``MeasureReading.points``
    values: list[float | None]  # the phase's values as the viewer sees them
    chart: RunChart | None  # None: too few points
    limits: list[Limits | None]  # per point of the phase: XmR or p limits, or None

    @property
    def end(self) -> int:
        """One past the position of its last point."""
        return self.start + len(self.values)


@dataclass(frozen=True)
class Found:
    """A signal with its direction: favourable, unfavourable, or neither (None)."""

    signal: Signal
    phase: int
    favourable: bool | None


@dataclass(frozen=True)
class MeasureReading:
    measure: Measure
    points: list[Point]
    values: list[float | None]  # as this viewer may see them (None: hidden)
    phases: list[Phase]
    found: list[Found]
    expected: float | None  # the value expected by the latest point's date
    track: Track
    annotations: list[Annotation] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def latest_value(self) -> float | None:
        return self.values[-1] if self.values else None

    @property
    def worsening(self) -> bool:
        """A signal in the last phase that points the wrong way."""
        last = len(self.phases) - 1
        return any(f.phase == last and f.favourable is False for f in self.found)

    @property
    def improving(self) -> bool:
        """A signal in the last phase that points the right way."""
        last = len(self.phases) - 1
        return any(f.phase == last and f.favourable for f in self.found)

    @property
    def needs_attention(self) -> bool:
        return self.track is Track.OFF or self.worsening


def read(measure: Measure, internal: bool) -> MeasureReading:
    """Read one measure (its points and rebases are fetched if not prefetched)."""
    notes = list(measure.cycle.annotations.order_by("on", "created_at"))
    return _read(measure, internal, notes)


def _read(measure: Measure, internal: bool, notes: list[Annotation]) -> MeasureReading:
    points = list(measure.points.all())
    values = [_shown(p, internal) for p in points]
    rebases = [r.on for r in measure.rebases.all()]
    phases = _phases(measure, points, values, rebases)
    found = [
        Found(s, i, _favourable(measure, s, values, phase))
        for i, phase in enumerate(phases)
        if phase.chart is not None
        for s in _signals(phase)
    ]
    expected = _expected(measure, points)
    mine = [a for a in notes if a.measure_id in (None, measure.pk)]
    track = _track(measure, values, expected)
    return MeasureReading(measure, points, values, phases, found, expected, track, mine)


def read_cycle(cycle: Cycle, internal: bool) -> list[MeasureReading]:
    """Every measure of the cycle, read with a fixed number of queries."""
    measures = (
        cycle.measures.select_related("goal")
        .prefetch_related(
            Prefetch("points", Point.objects.order_by("on")),
            Prefetch("rebases", Rebase.objects.order_by("on")),
        )
        .order_by("order", "created_at")
    )
    notes = list(cycle.annotations.order_by("on", "created_at"))
    readings = []
    for measure in measures:
        measure.cycle = cycle
        readings.append(_read(measure, internal, notes))
    return readings


def _shown(point: Point, internal: bool) -> float | None:
    if point.source == Point.Source.IMPORT and not internal:
        return point.public_value
    return point.value


def _phases(
    measure: Measure, points: Sequence[Point], values: list[float | None], rebases: list[date]
) -> list[Phase]:
    cuts = [0]
    for on in rebases:
        at = next((i for i, p in enumerate(points) if p.on >= on), len(points))
        if cuts[-1] < at < len(points):
            cuts.append(at)
    cuts.append(len(points))
    phases = []
    for k, (start, end) in enumerate(zip(cuts, cuts[1:], strict=False)):
        freeze = measure.baseline_points if k == 0 else None
        phases.append(_phase(measure, points[start:end], values[start:end], start, freeze))
    return phases or [Phase(0, [], None, [])]


def _phase(
    measure: Measure,
    points: Sequence[Point],
    values: list[float | None],
    start: int,
    freeze: int | None,
) -> Phase:
    present = [v for v in values if v is not None]
    if len(present) < MIN_POINTS:
        return Phase(start, values, None, [None] * len(values))
    mask = runcharts.baseline_mask(len(values), freeze if freeze and freeze < len(values) else None)
    if not any(keep and v is not None for keep, v in zip(mask, values, strict=True)):
        mask = runcharts.baseline_mask(len(values))
    rules = runcharts.Rules(measure.rules)
    chart = runcharts.analyse(values, rules, mask)
    return Phase(start, values, chart, _limits(measure, points, values, mask))


def _limits(
    measure: Measure, points: Sequence[Point], values: list[float | None], mask: list[bool]
) -> list[Limits | None]:
    if measure.chart == Measure.Chart.XMR:
        try:
            limits = runcharts.xmr_limits(values, mask)
        except ValueError:
            return [None] * len(values)
        return [limits] * len(values)
    if measure.chart == Measure.Chart.P:
        sizes = [p.denominator for p in points]
        counts = [p.numerator for p in points]
        try:
            return list(runcharts.p_limits(counts, sizes, mask))
        except ValueError:
            return [None] * len(values)
    return [None] * len(values)


def _signals(phase: Phase) -> list[Signal]:
    assert phase.chart is not None
    signals = list(phase.chart.signals)
    outside = runcharts.outside_each(phase.values, phase.limits)
    if outside is not None:
        signals.append(outside)
    return [_shifted(s, phase.start) for s in signals]


def _shifted(signal: Signal, offset: int) -> Signal:
    points = tuple(i + offset for i in signal.points)
    return Signal(signal.rule, points, signal.value, signal.limit)


def _favourable(
    measure: Measure, signal: Signal, values: list[float | None], phase: Phase
) -> bool | None:
    better_up = measure.direction == Measure.Direction.INCREASE
    shown = [v for v in (values[i] for i in signal.points) if v is not None]
    if not shown or phase.chart is None:
        return None
    if signal.rule == Rule.TREND:
        first, last = shown[0], shown[-1]
        return (last > first) == better_up if last != first else None
    if signal.rule == Rule.OUTSIDE_LIMITS:
        centre = _centre_of(phase)
        above = sum(1 for v in shown if v > centre)
        below = len(shown) - above
        return None if above == below else (above > below) == better_up
    # Runs, shifts and few crossings: the side of the centre the points lie on, weighted
    # towards the most recent half of the points.
    recent = shown[len(shown) // 2 :]
    centre = phase.chart.centre
    above = sum(1 for v in recent if v > centre)
    below = sum(1 for v in recent if v < centre)
    return None if above == below else (above > below) == better_up


def _centre_of(phase: Phase) -> float:
    limits = next((lim for lim in phase.limits if lim is not None), None)
    if limits is not None:
        return limits.centre
    assert phase.chart is not None
    return phase.chart.centre


def _expected(measure: Measure, points: Sequence[Point]) -> float | None:
    if not points:
        return None
    latest = points[-1].on
    goal = measure.goal
    if goal is not None:
        year = current_start_year(latest)
        if goal.target_year == year and goal.target is not None:
            return goal.target
        value = goal.interim.get(str(year))
        return float(value) if value is not None else None
    if measure.target is None or measure.target_on is None:
        return None
    first = points[0]
    start = measure.start_value if measure.start_value is not None else first.value
    span = (measure.target_on - first.on).days
    if span <= 0 or latest >= measure.target_on:
        return measure.target
    share = max((latest - first.on).days, 0) / span
    return start + (measure.target - start) * share


def _track(measure: Measure, values: list[float | None], expected: float | None) -> Track:
    latest = values[-1] if values else None
    if latest is None:
        return Track.NO_DATA
    if expected is None:
        return Track.NO_TARGET
    better_up = measure.direction == Measure.Direction.INCREASE
    on = latest >= expected if better_up else latest <= expected
    return Track.ON if on else Track.OFF


def attention(readings: Iterable[MeasureReading]) -> list[MeasureReading]:
    """The measures a meeting should look at: off track, or a signal the wrong way."""
    return [r for r in readings if r.needs_attention]


def current_cycle(org: Organization) -> Cycle | None:
    """The cycle whose years include this school year, else the most recent one, else None."""
    year = current_start_year()
    cycles = list(Cycle.objects.filter(org=org).order_by("-first_year"))
    now = next((c for c in cycles if c.first_year <= year <= c.last_year), None)
    return now or (cycles[0] if cycles else None)
