"""A measure's chart: a Vega-Lite spec drawn by the explore app's machinery (explore/_chart.html).

Layers, bottom to top: the expected values (a dashed green line: the straight line to a
team's target, or a goal's interim target for each school year), the control limits of
an XmR or p chart (dotted steps, per point for a p chart), the centre line of each phase
(median, average or overall share), the results as a line with points (broken where a
result is hidden from the viewer), the results that are part of a signal as large orange
diamonds, and dated events as vertical lines, each kind with its own dash, numbered as in
the events table below the chart.
Nothing relies on colour alone: shapes, dashes and labels differ too, and the page gives
the same numbers in tables and the signals in sentences. The marks are hidden from
assistive technology (``aria: False``): the figure's label, summary and table say it all.

No database: a reading and markers in, a Chart out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from headway.explore.charts import CONFIG, HIGHLIGHT, INK, MUTED, SCHEMA_URL, WHITE, Chart, Spec
from headway.monitor import describe
from headway.monitor.markers import Marker
from headway.monitor.models import Measure
from headway.monitor.reading import MeasureReading, Phase
from headway.orgs.models import current_start_year

LINE = "#0072B2"
EXPECTED = "#009E73"
HEIGHT = 300
ROWS = 4  # rows of marker labels above the plot, so that close dates do not overwrite
MARKER_DASH = {
    "pdsa": [6, 3],
    "change": [1, 0],
    "event": [2, 2],
    "phase": [1, 0],
    "rock_set": [8, 3, 2, 3],
    "rock_due": [4, 4],
    "strategy": [10, 2],
}
MARKER_COLOUR = {"phase": INK, "strategy": "#8a4b00", "rock_set": "#CC79A7", "rock_due": "#CC79A7"}


@dataclass(frozen=True)
class Segment:
    """A stretch of the expected line, from one date and value to another."""

    start: date
    end: date
    start_value: float
    end_value: float


def iso(on: date) -> str:
    return on.isoformat()


# --- the expected line ---------------------------------------------------------------------------


def expected_segments(reading: MeasureReading) -> list[Segment]:
    """A team's straight line from its first result to its target date, or for a goal the
    expected value of each school year over the results of that year."""
    points = reading.points
    if not points:
        return []
    first, last = points[0].on, points[-1].on
    measure = reading.measure
    if measure.goal_id is None:
        if measure.target is None or measure.target_on is None:
            return []
        end = max(measure.target_on, first)
        start_value, end_value = reading.expected_on(first), reading.expected_on(end)
        if start_value is None or end_value is None:
            return []
        return [Segment(first, end, start_value, end_value)]
    segments = []
    for year in range(current_start_year(first), current_start_year(last) + 1):
        start, end = max(date(year, 7, 1), first), min(date(year + 1, 6, 30), last)
        value = reading.expected_on(start)
        if value is not None:
            segments.append(Segment(start, end, value, value))
    return segments


# --- the spec ------------------------------------------------------------------------------------


def _x(field: str) -> Spec:
    """Dates as days in UTC, so that no browser's time zone moves a result to the day before."""
    return {
        "field": field,
        "type": "temporal",
        "timeUnit": "utcyearmonthdate",
        "title": None,
        "axis": {"format": "%b %-d", "labelAngle": 0, "labelOverlap": True, "grid": False},
    }


def _y(measure: Measure, field: str) -> Spec:
    axis: Spec = {"tickCount": 5}
    if measure.unit == Measure.Unit.PERCENT:
        axis["format"] = ".0%"
    return {
        "field": field,
        "type": "quantitative",
        "title": measure.name[:60],
        "scale": {"zero": False},
        "axis": axis,
    }


def _point_values(reading: MeasureReading) -> list[dict[str, Any]]:
    """Shown results, numbered by line segment: a line breaks at a hidden result."""
    signals = reading.signal_positions()
    rows, segment = [], 0
    for i, (point, value) in enumerate(zip(reading.points, reading.values, strict=True)):
        if value is None:
            segment += 1
            continue
        rows.append(
            {
                "on": iso(point.on),
                "value": value,
                "segment": segment,
                "signal": i in signals,
                "phase": reading.phase_of(i) + 1,
            }
        )
    return rows


def _centre_values(reading: MeasureReading) -> list[dict[str, Any]]:
    rows = []
    for number, phase in enumerate(reading.phases, start=1):
        if phase.centre is None:
            continue
        start, end = reading.points[phase.start].on, reading.points[phase.end - 1].on
        rows.append({"on": iso(start), "end": iso(end), "centre": phase.centre, "phase": number})
    return rows


def _limit_values(reading: MeasureReading) -> list[dict[str, Any]]:
    rows = []
    for number, phase in enumerate(reading.phases, start=1):
        for k, lim in enumerate(phase.limits):
            if lim is not None:
                on = iso(reading.points[phase.start + k].on)
                rows.append({"on": on, "lower": lim.lower, "upper": lim.upper, "phase": number})
    return rows


def _marker_values(markers: list[Marker], first: date, last: date) -> list[dict[str, Any]]:
    """The markers within the chart's dates, each labelled with its number in the events
    table below the chart (whole labels would overwrite each other); the numbers sit in
    rows above the plot, those in the last third of the dates ending at their line."""
    span = max((last - first).days, 1)
    return [
        {
            "on": iso(m.on),
            "kind": m.kind,
            "label": str(number),
            "row": number % ROWS,
            "late": (m.on - first).days / span > 2 / 3,
        }
        for number, m in enumerate(markers, 1)
        if first <= m.on <= last
    ]


def _layers(reading: MeasureReading, markers: list[Marker], segments: list[Segment]) -> list[Spec]:
    measure = reading.measure
    y = _y(measure, "value")
    layers: list[Spec] = []
    if segments:
        layers.append(_expected_layer(measure, segments))
    limits = _limit_values(reading)
    if limits:
        layers += [_limit_layer(measure, limits, side) for side in ("lower", "upper")]
    layers.append(
        {
            "data": {"values": _centre_values(reading)},
            "mark": {"type": "rule", "color": INK, "strokeWidth": 2, "aria": False},
            "encoding": {"x": _x("on"), "x2": {"field": "end"}, "y": _y(measure, "centre")},
        }
    )
    layers += _result_layers(y)
    dates = [p.on for p in reading.points] + [s.end for s in segments]
    shown = _marker_values(markers, min(dates), max(dates))
    if not shown:
        return [{"layer": layers}]
    # The labels have a y scale of their own (rows above the plot); the results and their
    # lines share theirs, in a group.
    rules, labels = _marker_layers(shown)
    return [{"layer": [*layers, rules]}, labels]


def _expected_layer(measure: Measure, segments: list[Segment]) -> Spec:
    values = [
        {"on": iso(s.start), "end": iso(s.end), "from": s.start_value, "to": s.end_value}
        for s in segments
    ]
    return {
        "data": {"values": values},
        "mark": {
            "type": "rule",
            "color": EXPECTED,
            "strokeWidth": 2,
            "strokeDash": [8, 4],
            "aria": False,
        },
        "encoding": {
            "x": _x("on"),
            "x2": {"field": "end"},
            "y": _y(measure, "from"),
            "y2": {"field": "to"},
        },
    }


def _limit_layer(measure: Measure, limits: list[dict[str, Any]], side: str) -> Spec:
    return {
        "data": {"values": limits},
        "mark": {
            "type": "line",
            "interpolate": "step",
            "color": MUTED,
            "strokeWidth": 1.5,
            "strokeDash": [2, 3],
            "aria": False,
        },
        "encoding": {
            "x": _x("on"),
            "y": _y(measure, side),
            "detail": {"field": "phase", "type": "nominal"},
        },
    }


def _result_layers(y: Spec) -> list[Spec]:
    x = _x("on")
    return [
        {
            "mark": {"type": "line", "color": LINE, "strokeWidth": 2, "aria": False},
            "encoding": {"x": x, "y": y, "detail": {"field": "segment", "type": "nominal"}},
        },
        {
            "transform": [{"filter": "!datum.signal"}],
            "mark": {
                "type": "point",
                "filled": True,
                "size": 45,
                "color": LINE,
                "opacity": 1,
                "aria": False,
            },
            "encoding": {"x": x, "y": y},
        },
        {
            "transform": [{"filter": "datum.signal"}],
            "mark": {
                "type": "point",
                "shape": "diamond",
                "filled": True,
                "size": 150,
                "color": HIGHLIGHT,
                "stroke": WHITE,
                "strokeWidth": 1.5,
                "opacity": 1,
                "aria": False,
            },
            "encoding": {"x": x, "y": y},
        },
    ]


def _labels(values: list[dict[str, Any]], late: bool) -> Spec:
    return {
        "data": {"values": values},
        "transform": [{"filter": "datum.late" if late else "!datum.late"}],
        "mark": {
            "type": "text",
            "align": "right" if late else "left",
            "baseline": "middle",
            "dx": -3 if late else 3,
            "fontSize": 11,
            "color": INK,
            "aria": False,
        },
        "encoding": {
            "x": _x("on"),
            "y": {
                "field": "row",
                "type": "quantitative",
                "scale": {"domain": [0, ROWS - 1], "range": [-12 - 14 * (ROWS - 1), -12]},
                "axis": None,
            },
            "text": {"field": "label"},
        },
    }


def _marker_layers(values: list[dict[str, Any]]) -> tuple[Spec, Spec]:
    kinds = list(MARKER_DASH)
    colour = {
        "field": "kind",
        "type": "nominal",
        "legend": None,
        "scale": {"domain": kinds, "range": [MARKER_COLOUR.get(k, MUTED) for k in kinds]},
    }
    dash = {
        "field": "kind",
        "type": "nominal",
        "legend": None,
        "scale": {"domain": kinds, "range": [MARKER_DASH[k] for k in kinds]},
    }
    rules = {
        "data": {"values": values},
        "mark": {"type": "rule", "strokeWidth": 1.5, "aria": False},
        "encoding": {"x": _x("on"), "color": colour, "strokeDash": dash},
    }
    labels = {"layer": [_labels(values, late) for late in (False, True)]}
    return rules, labels


def _description(reading: MeasureReading) -> str:
    words = {
        "kind": _kind_name(reading),
        "name": reading.measure.name,
        "n": len(reading.points),
        "first": describe.when(reading.points[0].on),
        "last": describe.when(reading.points[-1].on),
    }
    return (
        _(
            "%(kind)s of “%(name)s”: %(n)s results from %(first)s to %(last)s, joined by a "
            "blue line, with a black centre line for each phase, the expected values as a "
            "dashed green line, results that are part of a signal as large orange diamonds, "
            "and dated events as labelled vertical lines."
        )
        % words
    )


def _kind_name(reading: MeasureReading) -> str:
    kinds = {phase.kind for phase in reading.phases if phase.chart is not None}
    if len(kinds) == 1:
        return str(Measure.Chart(kinds.pop()).label)
    return str(Measure.Chart.RUN.label)


# --- the chart and its table ---------------------------------------------------------------------


def measure_chart(reading: MeasureReading, markers: list[Marker], chart_id: str) -> Chart:
    """The measure's chart with a table of its numbers (None: no result yet)."""
    segments = expected_segments(reading)
    spec: Spec = {
        "$schema": SCHEMA_URL,
        "description": _description(reading),
        "width": "container",
        "height": HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": CONFIG,
        "data": {"values": _point_values(reading)},
        "layer": _layers(reading, markers, segments),
        "resolve": {"scale": {"y": "independent"}},
    }
    columns, rows = _table(reading)
    return Chart(
        chart_id,
        reading.measure.name,
        summary(reading),
        spec,
        columns,
        rows,
        _hidden_note(reading),
    )


def _table(reading: MeasureReading) -> tuple[list[str], list[list[str]]]:
    limited = any(lim is not None for phase in reading.phases for lim in phase.limits)
    columns = [_("Date"), _("Result"), _("Centre line")]
    if limited:
        columns += [_("Lower limit"), _("Upper limit")]
    columns.append(_("Expected"))
    rows = []
    measure = reading.measure
    for i, point in enumerate(reading.points):
        phase = reading.phases[reading.phase_of(i)]
        lim = phase.limits[i - phase.start] if phase.limits else None
        row = [describe.when(point.on), describe.point_text(reading, i)]
        row.append(describe.value_text(measure, phase.centre))
        if limited:
            row += [
                describe.value_text(measure, lim.lower if lim else None),
                describe.value_text(measure, lim.upper if lim else None),
            ]
        row.append(describe.value_text(measure, reading.expected_for(point)))
        rows.append(row)
    return columns, rows


def _hidden_note(reading: MeasureReading) -> str:
    hidden = [i for i, v in enumerate(reading.values) if v is None]
    if not hidden:
        return ""
    return ngettext(
        "%(n)s result is not drawn: too few students to report it.",
        "%(n)s results are not drawn: too few students to report them.",
        len(hidden),
    ) % {"n": len(hidden)}


def summary(reading: MeasureReading) -> str:
    """What the chart shows, in two or three sentences."""
    words = {
        "n": len(reading.points),
        "first": describe.when(reading.points[0].on),
        "last": describe.when(reading.points[-1].on),
    }
    said = [
        ngettext(
            "%(n)s result, on %(first)s.",
            "%(n)s results, from %(first)s to %(last)s.",
            len(reading.points),
        )
        % words,
        describe.track_sentence(reading),
    ]
    said.append(_centres(reading))
    count = len(reading.found)
    said.append(
        ngettext("%(n)s signal: see below.", "%(n)s signals: see below.", count) % {"n": count}
        if count
        else _("No signal: the ups and downs are the usual ones.")
    )
    return " ".join(s for s in said if s)


def _centres(reading: MeasureReading) -> str:
    shown = [(k, p) for k, p in enumerate(reading.phases, start=1) if p.centre is not None]
    if not shown:
        return _("Too few results yet to draw a centre line.")
    measure = reading.measure
    if len(shown) == 1:
        return _centre_words(measure, shown[0][1])
    parts = [
        _("phase %(k)s: %(value)s") % {"k": k, "value": describe.value_text(measure, p.centre)}
        for k, p in shown
    ]
    return _("Centre line by phase: %(parts)s.") % {"parts": "; ".join(parts)}


def _centre_words(measure: Measure, phase: Phase) -> str:
    words = {
        "name": describe.centre_name(phase),
        "value": describe.value_text(measure, phase.centre),
    }
    return _("Centre line (the %(name)s): %(value)s.") % words
