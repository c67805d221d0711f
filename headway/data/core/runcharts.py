"""Run charts: is a series of measurements changing, or only varying as it always has?

A run chart plots the points around the median of a *baseline*: all the points, the first
``freeze`` points, or the points a caller marks. Two sets of rules read it:

- Anhøj (the default, as in the R package qicharts2): a run is a sequence of points on the
  same side of the centre line; points on the line are skipped, neither making nor
  breaking a run. With n useful points (not missing, not on the line) the longest run
  signals when it is longer than round(log2 n) + 3, and the number of crossings (n runs
  − 1) signals when it is below the 5% binomial limit qbinom(0.05, n − 1, 0.5). Both limits
  match anhoej_critical_values.csv for n = 10–100.
- IHI: a shift is 6 or more points in a row on one side of the median (points on the median
  skipped); a trend is 5 or more points in a row all going up or all going down, where a
  point equal to the one before it is ignored: it neither makes nor breaks the trend.

  An astronomical point (IHI's third rule, "obviously different") is read here as a point
  outside the baseline's XmR limits (below): the same yardstick a control chart uses.

Control charts (``read_chart``) draw the centre line and limits of their kind, and read the
runs against that centre line, as qicharts2 does:

- XmR (individuals): centre = the baseline mean; limits = centre ± 3/d2 × the baseline's
  average moving range (3/1.128 ≈ 2.66, the constant qicharts2 uses).
- p (proportions): centre p̄ = the baseline's total count / total size; each point's limits
  are p̄ ± 3 √(p̄ (1 − p̄) / its size), kept within 0 and 1.

Points outside their limits signal.

Signals carry a code and numbers, not sentences; ``describe`` turns one into plain English
for the command line (views translate the codes themselves).

Plain Python, no Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from statistics import fmean, median
from typing import TypeGuard

Values = Sequence[float | None]

IHI_SHIFT = 6  # points in a row on one side of the median
IHI_TREND = 5  # points in a row all going up or all going down
XMR_SIGMA = 3 / 1.128  # 3 / d2 for moving ranges of 2 points
ALPHA = 0.05  # the crossings limit is the lower 5% of the binomial


class Rules(StrEnum):
    ANHOEJ = "anhoej"
    IHI = "ihi"


class Rule(StrEnum):
    LONG_RUN = "long_run"  # Anhøj: a run longer than its limit
    FEW_CROSSINGS = "few_crossings"  # Anhøj: fewer crossings than their limit
    SHIFT = "shift"  # IHI
    TREND = "trend"  # IHI
    ASTRONOMICAL = "astronomical"  # IHI: a point far outside the usual range
    OUTSIDE_LIMITS = "outside_limits"  # XmR and p charts


class ChartType(StrEnum):
    RUN = "run"  # median line
    XMR = "xmr"  # individuals: mean and limits from moving ranges
    P = "p"  # proportions: p̄ and limits from each point's size


@dataclass(frozen=True)
class Signal:
    """One rule that fired: the points (0-based positions in the series) that show it, and
    the number the rule measured against its limit."""

    rule: Rule
    points: tuple[int, ...]
    value: float
    limit: float


@dataclass(frozen=True)
class RunChart:
    n_obs: int
    n_useful: int
    centre: float
    longest_run: int
    longest_run_max: int
    crossings: int
    crossings_min: int
    runs_signal: bool
    crossings_signal: bool
    signals: tuple[Signal, ...] = field(default=())

    @property
    def signal(self) -> bool:
        return bool(self.signals)


@dataclass(frozen=True)
class Limits:
    centre: float
    lower: float
    upper: float


def _present(value: float | None) -> TypeGuard[float]:
    return value is not None and not math.isnan(value)


def baseline_mask(n: int, freeze: int | None = None) -> list[bool]:
    """All points, or the first ``freeze`` of them."""
    if freeze is not None and freeze < 1:
        raise ValueError("freeze must be at least 1")
    return [freeze is None or i < freeze for i in range(n)]


def _baseline(values: Values, mask: Sequence[bool] | None) -> list[float]:
    mask = baseline_mask(len(values)) if mask is None else mask
    points = [v for v, keep in zip(values, mask, strict=True) if keep and _present(v)]
    if not points:
        raise ValueError("the baseline has no values")
    return points


def baseline_median(values: Values, mask: Sequence[bool] | None = None) -> float:
    return float(median(_baseline(values, mask)))


def longest_run_max(n_useful: int) -> int:
    return round(math.log2(n_useful)) + 3 if n_useful else 0


def crossings_min(n_useful: int) -> int:
    """qbinom(0.05, n − 1, 0.5): the smallest k with P(X ≤ k) ≥ 0.05."""
    trials = max(n_useful - 1, 0)
    total, cumulative = 2**trials, 0
    for k in range(trials + 1):
        cumulative += math.comb(trials, k)
        if cumulative / total >= ALPHA * (1 - 64 * 2.2e-16):  # R's fuzz on the quantile
            return k
    return trials


def _sides(values: Values, centre: float) -> list[tuple[int, int]]:
    """(position, +1 above / −1 below) for the useful points."""
    return [
        (i, 1 if v > centre else -1) for i, v in enumerate(values) if _present(v) and v != centre
    ]


def _runs(sides: list[tuple[int, int]]) -> list[list[int]]:
    runs: list[list[int]] = []
    last = 0
    for i, side in sides:
        if side != last:
            runs.append([])
            last = side
        runs[-1].append(i)
    return runs


def analyse(
    values: Values,
    rules: Rules = Rules.ANHOEJ,
    baseline: Sequence[bool] | None = None,
    centre: float | None = None,
) -> RunChart:
    """Read the series against ``centre``, by default the median of the baseline points."""
    centre = baseline_median(values, baseline) if centre is None else centre
    runs = _runs(_sides(values, centre))
    n_useful = sum(len(run) for run in runs)
    longest = max((len(run) for run in runs), default=0)
    crossings = max(len(runs) - 1, 0)
    run_max, cross_min = longest_run_max(n_useful), crossings_min(n_useful)
    if rules == Rules.ANHOEJ:
        signals = _anhoej(runs, run_max, crossings, cross_min)
    else:
        signals = _shifts(runs) + _trends(values)
    return RunChart(
        n_obs=len(values),
        n_useful=n_useful,
        centre=centre,
        longest_run=longest,
        longest_run_max=run_max,
        crossings=crossings,
        crossings_min=cross_min,
        runs_signal=longest > run_max,
        crossings_signal=crossings < cross_min,
        signals=tuple(signals),
    )


def _anhoej(runs: list[list[int]], run_max: int, crossings: int, cross_min: int) -> list[Signal]:
    signals = [
        Signal(Rule.LONG_RUN, tuple(run), len(run), run_max) for run in runs if len(run) > run_max
    ]
    if crossings < cross_min:
        points = tuple(i for run in runs for i in run)
        signals.append(Signal(Rule.FEW_CROSSINGS, points, crossings, cross_min))
    return signals


def _shifts(runs: list[list[int]]) -> list[Signal]:
    return [
        Signal(Rule.SHIFT, tuple(run), len(run), IHI_SHIFT) for run in runs if len(run) >= IHI_SHIFT
    ]


def _trends(values: Values) -> list[Signal]:
    """Points all going up or all going down. A point equal to the one before it is ignored:
    1, 2, 2, 3, 4, 5 is a trend of 5; its points run from the last point of the first value
    to the first point of the last one."""
    levels = _levels(values)
    steps = [1 if b[2] > a[2] else -1 for a, b in zip(levels, levels[1:], strict=False)]
    signals: list[Signal] = []
    start = 0
    for k in range(1, len(steps) + 1):
        if k == len(steps) or steps[k] != steps[start]:
            if k - start + 1 >= IHI_TREND:
                first, last = levels[start][1], levels[k][0]
                points = tuple(
                    i for i, v in enumerate(values) if first <= i <= last and _present(v)
                )
                signals.append(Signal(Rule.TREND, points, k - start + 1, IHI_TREND))
            start = k
    return signals


def _levels(values: Values) -> list[tuple[int, int, float]]:
    """Successive equal values collapsed: (first position, last position, value)."""
    levels: list[tuple[int, int, float]] = []
    for i, v in enumerate(values):
        if not _present(v):
            continue
        if levels and levels[-1][2] == v:
            levels[-1] = (levels[-1][0], i, v)
        else:
            levels.append((i, i, v))
    return levels


def xmr_limits(values: Values, baseline: Sequence[bool] | None = None) -> Limits:
    """Centre = baseline mean; limits = centre ± 3/d2 × the average moving range of
    successive baseline values (a missing value breaks the moving range)."""
    mask = baseline_mask(len(values)) if baseline is None else baseline
    centre = fmean(_baseline(values, mask))
    kept = [v if keep else None for v, keep in zip(values, mask, strict=True)]
    ranges = [
        abs(b - a) for a, b in zip(kept, kept[1:], strict=False) if _present(a) and _present(b)
    ]
    if not ranges:
        raise ValueError("the baseline needs two successive values for a moving range")
    spread = XMR_SIGMA * fmean(ranges)
    return Limits(centre, centre - spread, centre + spread)


def p_limits(
    counts: Values, sizes: Values, baseline: Sequence[bool] | None = None
) -> list[Limits | None]:
    """p chart: centre = the baseline's total count / total size; each point's limits are
    centre ± 3 √(centre (1 − centre) / its size), kept within 0 and 1. A point without a
    size has no limits."""
    mask = baseline_mask(len(counts)) if baseline is None else baseline
    kept = [
        (c, s)
        for c, s, keep in zip(counts, sizes, mask, strict=True)
        if keep and _present(c) and _present(s) and s > 0
    ]
    total = sum(s for _c, s in kept)
    if not total:
        raise ValueError("the baseline has no counts with a size")
    centre = sum(c for c, _s in kept) / total
    limits: list[Limits | None] = []
    for size in sizes:
        if not _present(size) or size <= 0:
            limits.append(None)
            continue
        spread = 3 * math.sqrt(centre * (1 - centre) / size)
        limits.append(Limits(centre, max(centre - spread, 0.0), min(centre + spread, 1.0)))
    return limits


def outside_each(values: Values, limits: Sequence[Limits | None]) -> Signal | None:
    """Points outside their own limits (a p chart's limits differ from point to point)."""
    points = tuple(
        i
        for i, (v, lim) in enumerate(zip(values, limits, strict=True))
        if lim is not None and _present(v) and not lim.lower <= v <= lim.upper
    )
    return Signal(Rule.OUTSIDE_LIMITS, points, len(points), 0) if points else None


def outside(values: Values, limits: Limits) -> Signal | None:
    points = tuple(
        i for i, v in enumerate(values) if _present(v) and not limits.lower <= v <= limits.upper
    )
    return Signal(Rule.OUTSIDE_LIMITS, points, len(points), 0) if points else None


def astronomical(values: Values, baseline: Sequence[bool] | None = None) -> Signal | None:
    """IHI: points outside the baseline's XmR limits; None without two successive baseline
    values to measure the usual range by."""
    try:
        limits = xmr_limits(values, baseline)
    except ValueError:
        return None
    found = outside(values, limits)
    return None if found is None else Signal(Rule.ASTRONOMICAL, found.points, found.value, 0)


@dataclass(frozen=True)
class ControlChart:
    """A series read as a chart of its kind: the runs against its centre line, each point's
    limits (None for a run chart or a point without them), and every signal."""

    kind: ChartType
    runs: RunChart
    limits: tuple[Limits | None, ...]
    signals: tuple[Signal, ...]

    @property
    def centre(self) -> float:
        return self.runs.centre


def read_chart(
    values: Values,
    kind: ChartType = ChartType.RUN,
    rules: Rules = Rules.ANHOEJ,
    baseline: Sequence[bool] | None = None,
    counts: Values | None = None,
    sizes: Values | None = None,
) -> ControlChart:
    """Read a series as a run chart, an XmR chart or a p chart (which needs each point's
    ``counts`` and ``sizes``). Raises ValueError when the baseline cannot give the chart's
    centre or limits."""
    limits: list[Limits | None] = [None] * len(values)
    centre = None
    if kind == ChartType.XMR:
        limits = [xmr_limits(values, baseline)] * len(values)
    elif kind == ChartType.P:
        if counts is None or sizes is None:
            raise ValueError("a p chart needs counts and sizes")
        limits = p_limits(counts, sizes, baseline)
    if kind != ChartType.RUN:
        centre = next(lim.centre for lim in limits if lim is not None)
    runs = analyse(values, rules, baseline, centre)
    signals: list[Signal | None] = [*runs.signals]
    if kind == ChartType.RUN and rules == Rules.IHI:
        signals.append(astronomical(values, baseline))
    signals.append(outside_each(values, limits))
    found = tuple(s for s in signals if s is not None)
    return ControlChart(kind, runs, tuple(limits), found)


def describe(signal: Signal) -> str:
    """The signal in plain English (positions shown counting from 1)."""
    first, last = signal.points[0] + 1, signal.points[-1] + 1
    value, limit = int(signal.value), int(signal.limit)
    match signal.rule:
        case Rule.LONG_RUN:
            return (
                f"Points {first} to {last} are {value} in a row on one side of the centre line; "
                f"more than {limit} in a row is unlikely by chance: the process has shifted."
            )
        case Rule.FEW_CROSSINGS:
            return (
                f"The points cross the centre line {value} times; fewer than {limit} crossings "
                "is unlikely by chance: the process has shifted or drifts."
            )
        case Rule.SHIFT:
            return (
                f"Points {first} to {last} are {value} in a row on one side of the median: a shift."
            )
        case Rule.TREND:
            return f"Points {first} to {last} go {value} in a row the same way: a trend."
        case Rule.ASTRONOMICAL:
            where = ", ".join(str(i + 1) for i in signal.points)
            return f"Points far outside the usual range ({where}): something unusual happened."
        case Rule.OUTSIDE_LIMITS:
            where = ", ".join(str(i + 1) for i in signal.points)
            return f"Points outside the control limits ({where}): something unusual happened."
