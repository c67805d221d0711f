"""The self-assessment's chart, drawn by the explore app's chart machinery (explore/_chart.html).

Horizontal bars of each characteristic's average on the 1–5 scale, a black line from the
lowest to the highest answer, and an orange diamond for the previous round's average. The
marks differ in shape as well as colour, and the description and table say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from headway.explore.charts import (
    BAR,
    CONFIG,
    HIGHLIGHT,
    INK,
    NARROW,
    NO_VALUE,
    SCHEMA_URL,
    WHITE,
    WRAP_LABEL,
    Chart,
    Spec,
)
from headway.teams.characteristics import BY_SLUG, SCALE
from headway.teams.selfassessment import Summary, change_shown, one_decimal

BAND = 42  # pixels per characteristic


def assessment_bars(chart_id: str, title: str, summaries: Sequence[Summary]) -> Chart:
    """The chart of one round's results, with a table of the same numbers."""
    description = _(
        "Horizontal bar chart of the average answer for each characteristic, on a scale from "
        "1 (not at all) to 5 (fully). A black line across each bar runs from the lowest to "
        "the highest answer. Where there was an earlier round, an orange diamond marks its "
        "average."
    )
    spec: Spec = {
        "$schema": SCHEMA_URL,
        "description": description,
        "width": "container",
        "height": max(len(summaries), 1) * BAND,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": CONFIG,
        "data": {"values": [_value(s) for s in summaries]},
        "encoding": {"y": _name_axis()},
        "layer": _layers(),
    }
    columns = [
        _("Characteristic"),
        _("Average"),
        _("Lowest–highest"),
        _("Standard deviation"),
        _("Answers"),
        _("Change since the last round"),
    ]
    rows = [_row(s) for s in summaries]
    return Chart(chart_id, title, _summary_text(summaries), spec, columns, rows)


def _value(s: Summary) -> dict[str, Any]:
    return {
        "name": str(BY_SLUG[s.slug].name),
        "base": SCALE[0],
        "mean": float(one_decimal(s.mean)),
        "low": s.low,
        "high": s.high,
        "previous": None if s.previous_mean is None else float(one_decimal(s.previous_mean)),
    }


def _name_axis() -> Spec:
    axis = {"labelLimit": {"expr": f"{NARROW} ? 120 : 240"}, "labelExpr": WRAP_LABEL}
    return {"field": "name", "type": "nominal", "sort": None, "title": None, "axis": axis}


def _scale_axis(field: str) -> Spec:
    return {
        "field": field,
        "type": "quantitative",
        "title": _("Average answer (1 = not at all, 5 = fully)"),
        "scale": {"domain": [SCALE[0], SCALE[-1]], "zero": False},
        "axis": {"values": list(SCALE), "format": "d"},
    }


def _layers() -> list[Spec]:
    x = _scale_axis("mean")
    return [
        {
            "mark": {"type": "bar", "color": BAR, "height": {"band": 0.6}},
            "encoding": {"x": x, "x2": {"field": "base"}},
        },
        {
            "mark": {"type": "rule", "color": INK, "strokeWidth": 2},
            "encoding": {"x": {**x, "field": "low"}, "x2": {"field": "high"}},
        },
        {
            "transform": [{"filter": {"field": "previous", "valid": True}}],
            "mark": {
                "type": "point",
                "shape": "diamond",
                "filled": True,
                "size": 130,
                "color": HIGHLIGHT,
                "stroke": WHITE,
                "strokeWidth": 1.5,
                "opacity": 1,
                "aria": False,  # the table and the summary give the previous averages
            },
            "encoding": {"x": {**x, "field": "previous"}},
        },
    ]


def _row(s: Summary) -> list[str]:
    change = change_shown(s)
    return [
        str(BY_SLUG[s.slug].name),
        decimal(s.mean),
        f"{s.low}–{s.high}",
        decimal(s.sd),
        str(s.n),
        NO_VALUE if change is None else signed(change),
    ]


def decimal(value: float) -> str:
    """A number as shown on the page: one decimal, rounded half up, in the reader's locale."""
    return number_format(one_decimal(value), 1)


def signed(change: Decimal) -> str:
    """A change with its sign: "+0.4", "−0.2" (a real minus sign), or "0.0"."""
    text = number_format(abs(change), 1)
    if change > 0:
        return f"+{text}"
    return f"−{text}" if change < 0 else text


def _summary_text(summaries: Sequence[Summary]) -> str:
    if not summaries:
        return ""
    high = max(summaries, key=lambda s: s.mean)
    low = min(summaries, key=lambda s: s.mean)
    return _(
        "Averages on a scale from 1 (not at all) to 5 (fully). Rated highest: %(high)s "
        "(%(high_mean)s). Rated lowest: %(low)s (%(low_mean)s)."
    ) % {
        "high": BY_SLUG[high.slug].name,
        "high_mean": decimal(high.mean),
        "low": BY_SLUG[low.slug].name,
        "low_mean": decimal(low.mean),
    }
