"""What a measure's points say: its chart, its signals, and whether it is on track.

The one place that reads a measure. Pages, the meeting agenda, strategy reviews and the
evaluation all ask here, and the statistics come from ``data.core.runcharts`` (the same
code as ``headway runchart``).

- The points a person sees: a goal measure's points carry the public figure captured with
  them; a viewer without student access sees that (a hidden figure is a gap in the chart).
- Phases: a rebase starts a new phase with its own centre line; the first phase may freeze
  its baseline after its first points. Signals are read within each phase.
- Charts: a run chart's centre line is the median; an XmR chart's the mean, with limits; a
  p chart's the overall share p̄, with limits from each point's count and size. The runs
  rules read the points against the line drawn, as qicharts2 does. A control chart whose
  baseline cannot give its limits (a p chart without counts) is read as a run chart.
- Direction: a signal is *favourable* when its points lie on the better side of the centre
  (above it when higher is better), or when a trend goes the better way.
- On track: the latest point against the value expected by then — a goal's interim target
  for the point's school year (its target from the target year on), or for a team's own
  measure the straight line from its starting value to its target. Interim targets drawn
  from a baseline the viewer may not see would give it away, so such a viewer gets none
  (as on the goals page); the goal's target itself shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Prefetch

from headway.data.core import runcharts
from headway.data.core.runcharts import ChartType, Limits, Rule, RunChart, Signal
from headway.explore.cube import Audience
from headway.monitor.models import Annotation, Measure, Point, Rebase
from headway.orgs.models import Organization, current_start_year
from headway.plans import baselines
from headway.plans.models import Cycle, Goal

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
    chart: RunChart | None  # the runs against the centre line; None: too few points
    limits: list[Limits | None]  # per point of the phase: XmR or p limits, or None
    kind: ChartType = ChartType.RUN  # the chart drawn (a p chart without counts: a run chart)
    signals: tuple[Signal, ...] = ()  # positions within the phase

    @property
    def end(self) -> int:
        """One past the position of its last point."""
        return self.start + len(self.values)

    @property
    def centre(self) -> float | None:
        return self.chart.centre if self.chart is not None else None


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
    internal: bool = True  # read for a viewer with student access
    interim_hidden: bool = False  # the goal's interim targets would give a hidden figure away

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

    @property
    def is_goal(self) -> bool:
        return self.measure.goal_id is not None

    def phase_of(self, position: int) -> int:
        """The number (from 0) of the phase holding the point at ``position``."""
        return next((k for k, p in enumerate(self.phases) if p.start <= position < p.end), 0)

    def expected_for(self, point: Point) -> float | None:
        """The value expected of this result: by its date, or for its school year."""
        first = self.points[0] if self.points else None
        return expected_at(self.measure, first, point.on, self.interim_hidden, point.school_year)

    def expected_on(self, on: date) -> float | None:
        """The value expected by ``on`` (None: no target, or not for this viewer)."""
        first = self.points[0] if self.points else None
        return expected_at(self.measure, first, on, self.interim_hidden)

    def signal_positions(self) -> set[int]:
        """The results that make a signal: a run, a shift, a trend, a result outside the
        limits. Too few crossings is a property of the whole phase, not of some results."""
        return {
            i for f in self.found if f.signal.rule != Rule.FEW_CROSSINGS for i in f.signal.points
        }


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
    hidden = not internal and _interim_hidden(measure)
    expected = reading_expected(measure, points, hidden)
    mine = [a for a in notes if a.measure_id in (None, measure.pk)]
    track = _track(measure, values, expected)
    return MeasureReading(
        measure, points, values, phases, found, expected, track, mine, internal, hidden
    )


def read_cycle(cycle: Cycle, internal: bool) -> list[MeasureReading]:
    """Every measure of the cycle, read with a fixed number of queries (and, for a viewer
    without student access, one more for each goal with interim targets)."""
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
    if sum(1 for keep, v in zip(mask, values, strict=True) if keep and v is not None) < 2:
        mask = runcharts.baseline_mask(len(values))  # a frozen baseline of hidden points
    rules = runcharts.Rules(measure.rules)
    counts = [p.numerator for p in points]
    sizes = [p.denominator for p in points]
    try:
        chart = runcharts.read_chart(values, ChartType(measure.chart), rules, mask, counts, sizes)
    except ValueError:
        chart = runcharts.read_chart(values, ChartType.RUN, rules, mask)
    return Phase(start, values, chart.runs, list(chart.limits), chart.kind, chart.signals)


def _signals(phase: Phase) -> list[Signal]:
    return [_shifted(s, phase.start) for s in phase.signals]


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
    centre = phase.chart.centre
    if signal.rule in (Rule.OUTSIDE_LIMITS, Rule.ASTRONOMICAL):
        above = sum(1 for v in shown if v > centre)
        below = len(shown) - above
        return None if above == below else (above > below) == better_up
    # Runs, shifts and few crossings: the side of the centre the points lie on, weighted
    # towards the most recent half of the points.
    recent = shown[len(shown) // 2 :]
    above = sum(1 for v in recent if v > centre)
    below = sum(1 for v in recent if v < centre)
    return None if above == below else (above > below) == better_up


def reading_expected(measure: Measure, points: Sequence[Point], hidden: bool) -> float | None:
    """What the latest result should have reached (None without results)."""
    if not points:
        return None
    latest = points[-1]
    return expected_at(measure, points[0], latest.on, hidden, latest.school_year)


def expected_at(
    measure: Measure,
    first: Point | None,
    on: date,
    interim_hidden: bool = False,
    school_year: int | None = None,
) -> float | None:
    """The value ``measure`` should have reached by ``on``; ``first`` is its first point
    (where a team's straight line to its target starts). A goal's figure is held to the
    target of the school year it is for (``school_year``; by default the year of ``on``)."""
    if measure.goal is not None:
        year = school_year if school_year is not None else current_start_year(on)
        return _goal_expected(measure.goal, year, interim_hidden)
    if measure.target is None or measure.target_on is None or first is None:
        return None
    start = measure.start_value if measure.start_value is not None else first.value
    span = (measure.target_on - first.on).days
    if span <= 0 or on >= measure.target_on:
        return measure.target
    share = max((on - first.on).days, 0) / span
    return start + (measure.target - start) * share


def _goal_expected(goal: Goal, year: int, interim_hidden: bool) -> float | None:
    """The goal's target for ``year`` as the viewer may see it; past the target year, the
    target."""
    if goal.target is not None and goal.target_year is not None and year >= goal.target_year:
        return goal.target
    return baselines.targets_shown(goal, interim_hidden).get(year)


def _interim_hidden(measure: Measure) -> bool:
    """Whether the goal's baseline is hidden from the public (its interim targets too)."""
    goal = measure.goal
    if goal is None or not goal.interim or not goal.metric:
        return False
    cycle = measure.cycle
    indicator = baselines.indicator_of(goal)
    public = baselines.read(
        cycle.org, Audience.PUBLIC, indicator, cycle.first_year, goal.baseline_year
    )
    return public.baseline is not None and public.baseline.hidden


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
