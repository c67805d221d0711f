"""A measure's reading in plain words: each signal, whether it is on track, its values.

Every signal of a chart gets one sentence that names its dates (never "points 6 to 14"),
says what happened in words a principal or a parent reads without a statistics course,
and says whether it is better or worse by the measure's direction. The dashboard's status
words and the values as shown (a percent measure stores 0–1 and shows 0–100 %) live here
too, so every page says the same thing the same way.
"""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from headway.data.core.runcharts import ChartType, Rule
from headway.monitor.models import Measure, Point
from headway.monitor.reading import Found, MeasureReading, Phase, Track

NO_VALUE = "—"
MAX_LISTED = 3  # results named in a sentence; the rest are counted


def when(on: date) -> str:
    return date_format(on, "DATE_FORMAT")


def value_text(measure: Measure, value: float | None) -> str:
    """92.5% for a percent measure (stored 0.925), 14 or 3.25 for a number."""
    if value is None:
        return NO_VALUE
    if measure.unit == Measure.Unit.PERCENT:
        return f"{value * 100:.1f}".removesuffix(".0") + "%"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def point_text(reading: MeasureReading, position: int) -> str:
    """A point's value as this viewer may see it: hidden figures keep their public text."""
    value = reading.values[position]
    if value is None:
        return reading.points[position].public_text or NO_VALUE
    return value_text(reading.measure, value)


def centre_name(phase: Phase) -> str:
    names = {
        ChartType.RUN: _("median"),
        ChartType.XMR: _("average"),
        ChartType.P: _("overall share"),
    }
    return names[phase.kind]


def rule_name(rule: Rule) -> str:
    names = {
        Rule.LONG_RUN: _("a long run on one side"),
        Rule.FEW_CROSSINGS: _("too few crossings"),
        Rule.SHIFT: _("a shift"),
        Rule.TREND: _("a trend"),
        Rule.ASTRONOMICAL: _("far outside the usual range"),
        Rule.OUTSIDE_LIMITS: _("outside the limits"),
    }
    return names[rule]


# --- signals ------------------------------------------------------------------------------------


def signal_sentence(reading: MeasureReading, found: Found) -> str:
    """One plain sentence (or two) for a signal, with its dates and its direction."""
    return f"{_what(reading, found)} {_verdict(reading.measure, found.favourable)}"


def sentences(reading: MeasureReading) -> list[str]:
    return [signal_sentence(reading, found) for found in reading.found]


def _verdict(measure: Measure, favourable: bool | None) -> str:
    up = measure.direction == Measure.Direction.INCREASE
    if favourable is None:
        return _("It is not clearly better or worse.")
    if favourable:
        return (
            _("Higher is better here, so this is a change for the better.")
            if up
            else _("Lower is better here, so this is a change for the better.")
        )
    return (
        _("Higher is better here, so this is a change for the worse.")
        if up
        else _("Lower is better here, so this is a change for the worse.")
    )


def _span(reading: MeasureReading, found: Found) -> dict[str, str]:
    points = found.signal.points
    return {
        "first": when(reading.points[points[0]].on),
        "last": when(reading.points[points[-1]].on),
        "n": str(int(found.signal.value)),
        "limit": str(int(found.signal.limit)),
    }


def _side(reading: MeasureReading, found: Found) -> str:
    centre = reading.phases[found.phase].centre or 0.0
    shown = [v for v in (reading.values[i] for i in found.signal.points) if v is not None]
    above = sum(1 for v in shown if v > centre)
    return _("above") if above * 2 > len(shown) else _("below")


def _what(reading: MeasureReading, found: Found) -> str:
    words = _span(reading, found)
    phase = reading.phases[found.phase]
    words["centre"] = centre_name(phase)
    match found.signal.rule:
        case Rule.LONG_RUN:
            words["side"] = _side(reading, found)
            return (
                _(
                    "From %(first)s to %(last)s, %(n)s results in a row were %(side)s the "
                    "centre line (the %(centre)s). More than %(limit)s in a row rarely happens "
                    "by chance: something has changed."
                )
                % words
            )
        case Rule.FEW_CROSSINGS:
            words["useful"] = str(len(found.signal.points))
            return (
                _(
                    "Between %(first)s and %(last)s, the results crossed the centre line (the "
                    "%(centre)s) only %(n)s times. With %(useful)s results, fewer than %(limit)s "
                    "crossings rarely happens by chance: the measure has moved away from its "
                    "usual level."
                )
                % words
            )
        case Rule.SHIFT:
            words["side"] = _side(reading, found)
            return (
                _(
                    "From %(first)s to %(last)s, %(n)s results in a row were %(side)s the "
                    "centre line (the %(centre)s): a shift, which %(limit)s or more in a row "
                    "signal."
                )
                % words
            )
        case Rule.TREND:
            return _trend(reading, found, words)
        case Rule.ASTRONOMICAL | Rule.OUTSIDE_LIMITS:
            return _outside(reading, found)


def _trend(reading: MeasureReading, found: Found, words: dict[str, str]) -> str:
    shown = [v for v in (reading.values[i] for i in found.signal.points) if v is not None]
    if shown and shown[-1] > shown[0]:
        return (
            _(
                "From %(first)s to %(last)s, the results kept going up, %(n)s in a row: a trend, "
                "which %(limit)s or more in a row signal."
            )
            % words
        )
    return (
        _(
            "From %(first)s to %(last)s, the results kept going down, %(n)s in a row: a trend, "
            "which %(limit)s or more in a row signal."
        )
        % words
    )


def _outside(reading: MeasureReading, found: Found) -> str:
    points = found.signal.points
    listed = ", ".join(
        f"{when(reading.points[i].on)} ({point_text(reading, i)})" for i in points[:MAX_LISTED]
    )
    if len(points) > MAX_LISTED:
        listed = _("%(listed)s and %(n)s more, the last on %(last)s") % {
            "listed": listed,
            "n": len(points) - MAX_LISTED,
            "last": when(reading.points[points[-1]].on),
        }
    if found.signal.rule == Rule.ASTRONOMICAL:
        return ngettext(
            "The result of %(dates)s is far outside the usual range of the ups and downs: "
            "something unusual happened then.",
            "The results of %(dates)s are far outside the usual range of the ups and downs: "
            "something unusual happened then.",
            len(points),
        ) % {"dates": listed}
    return ngettext(
        "The result of %(dates)s is outside the control limits: something unusual happened "
        "then, beyond the usual ups and downs.",
        "The results of %(dates)s are outside the control limits: something unusual happened "
        "then, beyond the usual ups and downs.",
        len(points),
    ) % {"dates": listed}


# --- on or off track, and the dashboard's words -------------------------------------------------


def track_word(reading: MeasureReading) -> str:
    words = {
        Track.ON: _("On track"),
        Track.OFF: _("Off track"),
        Track.NO_TARGET: _("No target"),
        Track.NO_DATA: _("No result yet"),
    }
    if reading.track is Track.NO_DATA and reading.points:
        return _("Not shown")
    return words[reading.track]


def track_sentence(reading: MeasureReading) -> str:
    """Whether the latest result is where it should be by now, in one sentence."""
    latest = reading.latest
    if latest is None:
        return _("No results yet.")
    measure = reading.measure
    words = {
        "value": point_text(reading, len(reading.points) - 1),
        "date": when(latest.on),
        "expected": value_text(measure, reading.expected),
    }
    up = measure.direction == Measure.Direction.INCREASE
    match reading.track:
        case Track.ON:
            if up:
                return (
                    _(
                        "On track: %(value)s on %(date)s, at or above the %(expected)s expected "
                        "by then."
                    )
                    % words
                )
            return (
                _("On track: %(value)s on %(date)s, at or below the %(expected)s expected by then.")
                % words
            )
        case Track.OFF:
            if up:
                return (
                    _("Off track: %(value)s on %(date)s, below the %(expected)s expected by then.")
                    % words
                )
            return (
                _("Off track: %(value)s on %(date)s, above the %(expected)s expected by then.")
                % words
            )
        case Track.NO_TARGET:
            return _no_target(reading, words)
        case Track.NO_DATA:
            return (
                _(
                    "The latest result, of %(date)s, is not shown (%(value)s): too few students "
                    "to report it."
                )
                % words
            )


def _no_target(reading: MeasureReading, words: dict[str, str]) -> str:
    if reading.interim_hidden:
        return (
            _(
                "%(value)s on %(date)s. The interim targets are not shown: they would give away "
                "a figure too small to report."
            )
            % words
        )
    if reading.is_goal:
        return (
            _(
                "%(value)s on %(date)s. The goal has no target for this school year to compare "
                "with: give it interim targets on the goals page."
            )
            % words
        )
    return (
        _(
            "%(value)s on %(date)s. No target yet: give the measure a target and a date to see "
            "whether it is on track."
        )
        % words
    )


def signal_word(reading: MeasureReading) -> str:
    """What the chart says lately: improving, getting worse, a change, or no signal yet."""
    if reading.worsening:
        return _("Getting worse")
    if reading.improving:
        return _("Improving")
    last = len(reading.phases) - 1
    if any(f.phase == last for f in reading.found):
        return _("A change, not clearly better or worse")
    return _("No signal yet")


def source_text(point: Point) -> str:
    return str(point.get_source_display())
