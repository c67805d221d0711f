"""Vega-Lite charts, each with a table of the same numbers (template explore/_chart.html).

A builder takes numbers after suppression has run and returns a Chart. The Chart holds the
spec that static/headway/charts.js draws and the rows of the "Show the numbers" table. A
value of None means the number must not be drawn: the group is hidden ("n<10", "*") or
top/bottom coded ("≥95%"). Such an entry keeps its display text in the table, is left out
of the spec's data (which the page sends in full), and is named in the chart's note.

Colours: Okabe–Ito hues and a blue ramp, each at least 3:1 against white (WCAG 1.4.11).
Colour is never the only cue: lines also differ in dash and point shape, the highlighted
school is a labelled diamond, and stacked segments keep the legend's order.

No database and no request: plain values in, plain values out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from headway.orgs.models import school_year_label

Spec = dict[str, Any]

SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v6.json"  # names the version; never fetched
INK = "#1d2733"
MUTED = "#4a5563"
WHITE = "#ffffff"
BAR = "#0072B2"
HIGHLIGHT = "#D55E00"
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", INK, "#8a4b00")
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down")
DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [10, 2])
# Performance levels, lowest first; the second colour is the label text on the segment (≥4.5:1).
LEVEL_RAMP = (
    ("#6b8fbf", INK),
    ("#3a6fb0", WHITE),
    ("#2a5e9e", WHITE),
    ("#1f4e8c", WHITE),
    ("#163d70", WHITE),
    ("#0d2d57", WHITE),
)
LABEL_MIN_PX = 34  # a narrower segment gets no text label: "100%" would not fit
NARROW = "containerSize()[0] < 480"  # Vega expression: a phone-sized chart
# Vega expression: on a phone, an axis label longer than 16 characters breaks at its last
# space within the first 17 (an array of lines is drawn as two lines).
_BREAK = "lastindexof(substring(datum.label, 0, 17), ' ')"
WRAP_LABEL = (
    f"{NARROW} && length(datum.label) > 16 && {_BREAK} > 0"
    f" ? [substring(datum.label, 0, {_BREAK}), substring(datum.label, {_BREAK} + 1)]"
    " : datum.label"
)
NO_VALUE = "—"
CONFIG: Spec = {
    "font": "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
    "view": {"stroke": None},
    "axis": {
        "labelColor": INK,
        "titleColor": INK,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "domainColor": MUTED,
        "tickColor": MUTED,
        "gridColor": "#e2e8ef",
        "labelSeparation": 6,
    },
    "legend": {
        "labelColor": INK,
        "titleColor": INK,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelLimit": 240,
    },
}
_ID = re.compile(r"[a-z][a-z0-9-]*\Z")


@dataclass(frozen=True)
class Chart:
    """What the template explore/_chart.html shows: a captioned chart and its data table.

    ``id`` prefixes the element ids; ``rows`` are display strings, first cell the row label,
    one per entry of ``columns``; ``note`` says what the chart leaves out and why.
    """

    id: str
    title: str
    summary: str
    spec: Spec
    columns: list[str]
    rows: list[list[str]]
    note: str = ""

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"chart id {self.id!r}: use lowercase letters, digits and hyphens")
        if not self.spec.get("description"):
            raise ValueError("a chart spec needs a description (the SVG's accessible name)")
        if any(len(row) != len(self.columns) for row in self.rows):
            raise ValueError("every table row needs one cell per column")


@dataclass(frozen=True)
class GroupRate:
    """A student group's rate (0–1) as suppression left it; value None if not to be drawn."""

    label: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    display: str


@dataclass(frozen=True)
class TrendPoint:
    """A group's rate in one school year (``school_year`` is the year it starts in)."""

    group: str
    school_year: int
    value: float | None
    display: str


@dataclass(frozen=True)
class LevelRow:
    """A group's share (0–1) at each performance level, and the table text for each."""

    group: str
    shares: Mapping[str, float | None]
    display: Mapping[str, str]


@dataclass(frozen=True)
class SchoolPoint:
    """One school of a similar-schools comparison; ``is_self`` marks the school itself."""

    name: str
    x: float | None
    y: float | None
    x_display: str
    y_display: str
    is_self: bool = False


# --- (a) group bars with 95 % intervals -------------------------------------------------------


def group_bars(
    chart_id: str, title: str, summary: str, measure: str, groups: Sequence[GroupRate]
) -> Chart:
    """Horizontal bars of a rate by student group, each with its 95 % interval."""
    values = [
        {"group": g.label, "value": g.value, "ci_low": g.ci_low, "ci_high": g.ci_high}
        for g in groups
        if g.value is not None
    ]
    description = _(
        "Horizontal bar chart of %(measure)s by student group, on a scale from 0 to 100%%, "
        "with a line across each bar for the group's 95%% interval."
    ) % {"measure": measure}
    x = _percent_axis("value", measure)
    interval = {**x, "field": "ci_low"}
    spec = {
        **_base(description, _band_height(len(values), 34)),
        "data": {"values": values},
        "encoding": {"y": _category_axis("group")},
        "layer": [
            {"mark": {"type": "bar", "color": BAR, "height": {"band": 0.65}}, "encoding": {"x": x}},
            {
                "transform": [{"filter": {"field": "ci_low", "valid": True}}],
                "mark": {"type": "errorbar", "ticks": True, "color": INK, "thickness": 2},
                "encoding": {"x": interval, "x2": {"field": "ci_high"}},
            },
        ],
    }
    rows = [[g.label, g.display, _interval(g.ci_low, g.ci_high), _count(g.n)] for g in groups]
    hidden = [f"{g.label} ({g.display})" for g in groups if g.value is None]
    columns = [_("Student group"), measure, _("Interval (95%)"), _("Students")]
    return Chart(chart_id, title, summary, spec, columns, rows, _hidden_note(hidden))


# --- (b) gap trends ----------------------------------------------------------------------------


def gap_trends(
    chart_id: str, title: str, summary: str, measure: str, points: Sequence[TrendPoint]
) -> Chart:
    """Lines of a rate over school years, one per selected student group."""
    groups = list(dict.fromkeys(p.group for p in points))
    years = sorted({p.school_year for p in points})
    labels = [school_year_label(y) for y in years]
    by_key = {(p.group, p.school_year): p for p in points}
    description = _(
        "Line chart of %(measure)s by student group for the school years %(first)s to "
        "%(last)s, on a scale from 0 to 100%%. Each group has its own colour, line pattern "
        "and point shape."
    ) % {
        "measure": measure,
        "first": labels[0] if labels else "",
        "last": labels[-1] if labels else "",
    }
    spec = _trend_spec(description, measure, groups, labels)
    spec["data"] = {"values": _trend_values(groups, years, by_key)}
    rows = [
        [g, *(by_key[g, y].display if (g, y) in by_key else NO_VALUE for y in years)]
        for g in groups
    ]
    hidden = [
        f"{p.group} {school_year_label(p.school_year)} ({p.display})"
        for p in points
        if p.value is None
    ]
    columns = [_("Student group"), *labels]
    return Chart(chart_id, title, summary, spec, columns, rows, _hidden_note(hidden))


def _trend_spec(description: str, measure: str, groups: list[str], labels: list[str]) -> Spec:
    """Colour, dash and point shape all follow the group."""
    series = {"field": "group", "type": "nominal", "title": _("Student group")}
    return {
        **_base(description, 260),
        "encoding": {
            "x": {
                "field": "year",
                "type": "ordinal",
                "sort": labels,
                "title": _("School year"),
                "axis": {"labelAngle": 0},
            },
            "y": _percent_axis("value", measure),
            "color": {**series, "scale": _cycle(groups, SERIES), "legend": _legend(len(groups))},
        },
        "layer": [
            {
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {
                    "detail": {"field": "segment", "type": "nominal"},
                    "strokeDash": {**series, "scale": _cycle(groups, DASHES)},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
                "encoding": {"shape": {**series, "scale": _cycle(groups, SHAPES)}},
            },
        ],
    }


def _trend_values(
    groups: list[str], years: list[int], by_key: Mapping[tuple[str, int], TrendPoint]
) -> list[dict[str, Any]]:
    """Shown points, numbered by line segment: a line breaks where a year is missing or hidden."""
    values: list[dict[str, Any]] = []
    segment = 0
    for group in groups:
        segment += 1
        for year in years:
            point = by_key.get((group, year))
            if point is None or point.value is None:
                segment += 1
                continue
            label = school_year_label(year)
            values.append({"group": group, "year": label, "value": point.value, "segment": segment})
    return values


# --- (c) performance level distribution --------------------------------------------------------


def level_distribution(
    chart_id: str, title: str, summary: str, levels: Sequence[str], rows: Sequence[LevelRow]
) -> Chart:
    """Stacked horizontal bars: each group's students split by performance level, in order."""
    if not 1 <= len(levels) <= len(LEVEL_RAMP):
        raise ValueError(f"between 1 and {len(LEVEL_RAMP)} performance levels, not {len(levels)}")
    ramp = _ramp(len(levels))
    drawn = [r for r in rows if all(r.shares.get(level) is not None for level in levels)]
    description = _(
        "Stacked bar chart of the share of students at each performance level by student "
        "group. Levels run from left to right in this order: %(levels)s."
    ) % {"levels": ", ".join(levels)}
    spec = _levels_spec(description, levels, [fill for fill, _text in ramp], len(drawn))
    spec["data"] = {"values": _level_values(levels, drawn, ramp)}
    table = [[r.group, *(r.display.get(level, NO_VALUE) for level in levels)] for r in rows]
    hidden = [r.group for r in rows if r not in drawn]
    columns = [_("Student group"), *levels]
    return Chart(chart_id, title, summary, spec, columns, table, _hidden_note(hidden))


def _levels_spec(description: str, levels: Sequence[str], fills: list[str], bands: int) -> Spec:
    """Stacked segments in level order, each labelled with its share where it fits."""
    x = {**_percent_axis("share", _("Share of students")), "stack": "zero"}
    order = {"field": "order", "type": "quantitative"}
    return {
        **_base(description, _band_height(bands, 38)),
        "encoding": {"y": _category_axis("group")},
        "layer": [
            {
                "mark": {"type": "bar", "stroke": WHITE, "strokeWidth": 1.5},
                "encoding": {
                    "x": x,
                    "order": order,
                    "color": {
                        "field": "level",
                        "type": "nominal",
                        "title": _("Performance level"),
                        "sort": list(levels),
                        "scale": {"domain": list(levels), "range": fills},
                        "legend": _legend(len(levels)),
                    },
                },
            },
            {
                "mark": {"type": "text", "align": "right", "dx": -4, "fontSize": 11},
                "encoding": {
                    "x": x,
                    "order": order,
                    "detail": {"field": "level", "type": "nominal"},
                    "text": {
                        "condition": {
                            "test": f"datum.share * width >= {LABEL_MIN_PX}",
                            "field": "label",
                        },
                        "value": "",
                    },
                    "color": {
                        "condition": {"test": {"field": "dark_text", "equal": True}, "value": INK},
                        "value": WHITE,
                    },
                },
            },
        ],
    }


def _level_values(
    levels: Sequence[str], rows: Iterable[LevelRow], ramp: Sequence[tuple[str, str]]
) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = []
    for row in rows:
        for i, level in enumerate(levels):
            share = row.shares[level]
            assert share is not None  # rows with a missing share are not drawn
            values.append(
                {
                    "group": row.group,
                    "level": level,
                    "order": i,
                    "share": share,
                    "label": row.display.get(level, ""),
                    "dark_text": ramp[i][1] == INK,
                }
            )
    return values


def _ramp(count: int) -> list[tuple[str, str]]:
    """``count`` colours spread over LEVEL_RAMP from lightest to darkest."""
    if count == 1:
        return [LEVEL_RAMP[-1]]
    last = len(LEVEL_RAMP) - 1
    return [LEVEL_RAMP[i * last // (count - 1)] for i in range(count)]


# --- (d) similar schools ------------------------------------------------------------------------


def similar_schools(
    chart_id: str,
    title: str,
    summary: str,
    x_title: str,
    y_title: str,
    schools: Sequence[SchoolPoint],
    *,
    x_percent: bool = True,
    y_percent: bool = True,
) -> Chart:
    """Scatter of an outcome (y) against a school feature (x); the school itself highlighted."""
    own = next((s.name for s in schools if s.is_self), "")
    this, others = _("This school"), _("Similar schools")
    shown = [s for s in schools if s.x is not None and s.y is not None]
    description = _(
        "Scatter plot of %(y)s against %(x)s for %(school)s and similar schools. "
        "%(school)s is the large orange diamond labelled with its name; "
        "the other schools are grey circles."
    ) % {"x": x_title, "y": y_title, "school": own}
    spec = _scatter_spec(description, this, others)
    spec["encoding"] = {
        "x": _scatter_axis("x", x_title, x_percent),
        "y": _scatter_axis("y", y_title, y_percent),
    }
    spec["data"] = {
        "values": [  # the school itself last, so drawn on top
            {"school": s.name, "x": s.x, "y": s.y, "kind": this if s.is_self else others}
            for s in sorted(shown, key=lambda s: s.is_self)
        ]
    }
    rows = [
        [_("%(school)s (this school)") % {"school": s.name} if s.is_self else s.name]
        + [s.x_display, s.y_display]
        for s in sorted(schools, key=lambda s: not s.is_self)
    ]
    hidden = [s.name for s in schools if s not in shown]
    columns = [_("School"), x_title, y_title]
    return Chart(chart_id, title, summary, spec, columns, rows, _hidden_note(hidden))


def _scatter_spec(description: str, this: str, others: str) -> Spec:
    """The school itself: a large vermillion diamond with its name; the others grey dots."""
    kind = {"field": "kind", "type": "nominal", "title": None}
    is_self = {"field": "kind", "equal": this}
    colours = {"domain": [others, this], "range": [MUTED, HIGHLIGHT]}
    shapes = {"domain": [others, this], "range": ["circle", "diamond"]}
    return {
        **_base(description, 300),
        "layer": [
            {
                "mark": {"type": "point", "filled": True, "opacity": 1, "stroke": WHITE},
                "encoding": {
                    "color": {**kind, "scale": colours, "legend": _symbol_legend()},
                    "shape": {**kind, "scale": shapes},
                    "size": {"condition": {"test": is_self, "value": 280}, "value": 60},
                },
            },
            {
                "transform": [{"filter": is_self}],
                "mark": {"type": "text", "dy": -16, "fontWeight": "bold", "color": INK},
                "encoding": {"text": {"field": "school", "type": "nominal"}},
            },
        ],
    }


def _scatter_axis(name: str, title: str, percent: bool) -> Spec:
    """Zoomed to the schools (no forced zero): the comparison is between close values."""
    scale = {"zero": False, "padding": 12}  # pixels, so that no point sits on an edge
    axis = {"field": name, "type": "quantitative", "title": title, "scale": scale}
    return {**axis, "axis": {"format": ".0%", "tickCount": 6}} if percent else axis


# --- shared pieces ------------------------------------------------------------------------------


def _base(description: str, height: int) -> Spec:
    return {
        "$schema": SCHEMA_URL,
        "description": description,
        "width": "container",
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": CONFIG,
    }


def _band_height(bands: int, step: int) -> int:
    """A fixed height for bars (a "step" height would make Vega-Lite drop width fitting)."""
    return max(bands, 1) * step


def _percent_axis(field: str, title: str) -> Spec:
    return {
        "field": field,
        "type": "quantitative",
        "title": title,
        "scale": {"domain": [0, 1]},
        "axis": {"format": ".0%", "tickCount": 5},
    }


def _category_axis(field: str) -> Spec:
    """Group names down the side; on a phone a long name wraps onto a second line."""
    axis = {"labelLimit": {"expr": f"{NARROW} ? 120 : 240"}, "labelExpr": WRAP_LABEL}
    return {"field": field, "type": "nominal", "sort": None, "title": None, "axis": axis}


def _symbol_legend() -> Spec:
    return {"orient": "bottom", "symbolSize": 120}


def _legend(entries: int) -> Spec:
    """Below the chart: one column on a phone, up to four side by side otherwise."""
    columns = {"expr": f"{NARROW} ? 1 : {min(entries, 4)}"}
    return {"orient": "bottom", "direction": "horizontal", "columns": columns}


def _cycle(domain: list[str], values: Sequence[Any]) -> Spec:
    return {"domain": domain, "range": [values[i % len(values)] for i in range(len(domain))]}


def _hidden_note(entries: list[str]) -> str:
    if not entries:
        return ""
    return _("Not drawn, to protect student privacy: %(entries)s. The table shows them.") % {
        "entries": "; ".join(entries)
    }


def _whole_percent(rate: float) -> int:
    """Half up, as suppression.display_percent rounds."""
    return math.floor(rate * 100 + 0.5 + 1e-9)


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return NO_VALUE
    return f"{_whole_percent(low)}–{_whole_percent(high)}%"


def _count(n: int | None) -> str:
    return NO_VALUE if n is None else number_format(n, force_grouping=True)
