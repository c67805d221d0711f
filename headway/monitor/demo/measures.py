"""The demo school's measures: its goals' indicators and a year of its own weekly measures."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from headway.accounts.models import User
from headway.monitor import goalpoints
from headway.monitor.demo.common import WEEKS, Built, Calendar
from headway.monitor.models import Annotation, Measure, Point, Rebase
from headway.orgs.models import Organization
from headway.plans.models import Cycle

# Fixed seeds for each measure's noise: the same story at every load (chosen so the charts
# show what the story says: see tests/monitor/test_demo.py).
SEEDS = {"attendance": 9, "math": 13, "look_for": 15}
LOOK_FOR_CLASSROOMS = 24


# --- goal measures --------------------------------------------------------------------------------


def track_goals(district: Organization, cycles: list[Cycle]) -> None:
    """Each goal's indicator as a measure, with today's point from the district's results
    (none without results: a test world without an import)."""
    for cycle in cycles:
        goalpoints.track_goals(cycle)
    goalpoints.record(district)


# --- the team's weekly measures -------------------------------------------------------------------


@dataclass(frozen=True)
class Weekly:
    attendance: Measure
    look_for: Measure
    math: Measure


def weekly_measures(current: Built, cal: Calendar, lead: User) -> Weekly:
    cycle = current.cycle
    target_on = date(cal.year + 1, 6, 12)  # the end of this school year
    attendance = Measure.objects.create(
        cycle=cycle, name="Weekly attendance rate", unit=Measure.Unit.PERCENT,
        description="Students present ÷ students enrolled, all days of the week, from the "
        "attendance office's Monday report.",
        chart=Measure.Chart.RUN, rules=Measure.Rules.ANHOEJ, baseline_points=12, target=0.95,
        target_on=target_on, start_value=0.915, order=10, created_by=lead,
    )  # fmt: skip
    look_for = Measure.objects.create(
        cycle=cycle, name="Classrooms showing the look-for", unit=Measure.Unit.PERCENT,
        description="On the weekly walkthrough, classrooms where students explain their "
        "thinking to a partner, out of the classrooms visited.",
        chart=Measure.Chart.P, target=0.75, target_on=target_on, start_value=0.30, order=11,
        created_by=lead,
    )  # fmt: skip
    math = Measure.objects.create(
        cycle=cycle, name="Math check-in average", unit=Measure.Unit.NUMBER,
        description="The average score (out of 100) on the Friday math check-in, grades 3–5.",
        chart=Measure.Chart.XMR, rules=Measure.Rules.IHI, target=75, target_on=target_on,
        start_value=62, order=12, created_by=lead,
    )  # fmt: skip
    weeks = cal.weekly()
    counts = look_for_counts(random.Random(SEEDS["look_for"]))
    Point.objects.bulk_create(
        [
            *_points(attendance, weeks, attendance_values(random.Random(SEEDS["attendance"]))),
            *_points(math, weeks, math_values(random.Random(SEEDS["math"]))),
            *(
                Point(measure=look_for, on=on, value=seen / visited, numerator=seen,
                      denominator=visited, entered_by=lead)
                for on, (seen, visited) in zip(weeks, counts, strict=True)
            ),
        ]
    )  # fmt: skip
    _notes(Weekly(attendance, look_for, math), cycle, cal, lead)
    return Weekly(attendance, look_for, math)


OUTREACH_WEEK = WEEKS - 1 - 20  # the week the first-day calls began
NEW_SCHEDULE_WEEK = WEEKS - 1 - 25  # every classroom visited each week from then on


def attendance_values(rng: random.Random) -> list[float]:
    """About 91.8% a week until the outreach began, then up to about 94.6% within a month."""
    values = []
    for week in range(WEEKS):
        after = week - OUTREACH_WEEK
        level = 0.918 if after < 1 else min(0.946, 0.93 + 0.005 * after)
        values.append(round(_clamp(rng.gauss(level, 0.005), 0.85, 0.99), 4))
    return values


def math_values(rng: random.Random) -> list[float]:
    """Around 63.5 out of 100 all year: the ups and downs of a weekly check-in, no change."""
    return [round(_clamp(rng.gauss(63.5, 2.2), 0, 100), 1) for _week in range(WEEKS)]


def look_for_counts(rng: random.Random) -> list[tuple[int, int]]:
    """(classrooms showing the look-for, classrooms visited) each week: 12 to 18 visited a
    week until the new schedule, all of them after it, and more of them showing it."""
    counts = []
    for week in range(WEEKS):
        after = week - NEW_SCHEDULE_WEEK
        visited = LOOK_FOR_CLASSROOMS if after >= 0 else rng.randint(12, 18)
        share = 0.30 + 0.003 * week if after < 0 else 0.42 + 0.008 * after
        counts.append((sum(1 for _c in range(visited) if rng.random() < share), visited))
    return counts


def _points(measure: Measure, weeks: list[date], values: list[float]) -> list[Point]:
    lead = measure.created_by
    return [
        Point(measure=measure, on=on, value=value, entered_by=lead)
        for on, value in zip(weeks, values, strict=True)
    ]


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _notes(weekly: Weekly, cycle: Cycle, cal: Calendar, lead: User) -> None:
    week = cal.weeks_ago
    Rebase.objects.create(
        measure=weekly.look_for, on=week(25), created_by=lead,
        reason="New walkthrough schedule: every classroom visited each week",
    )  # fmt: skip
    notes = [
        (None, 25, Annotation.Kind.CHANGE, "Weekly PLC cycles begin in every grade"),
        (weekly.attendance, 23, Annotation.Kind.PDSA,
         "PDSA 1: greeting every student at the door in two classrooms"),
        (weekly.attendance, 20, Annotation.Kind.CHANGE,
         "The family liaison calls home on the first day of absence"),
        (weekly.attendance, 12, Annotation.Kind.PDSA,
         "PDSA 2: a text message to families the evening before a Monday"),
        (weekly.look_for, 15, Annotation.Kind.PDSA,
         "PDSA: turn-and-talk sentence starters in grade 2"),
        (weekly.math, 6, Annotation.Kind.PDSA, "PDSA: exit tickets in two grade 4 classrooms"),
        (weekly.math, 3, Annotation.Kind.CHANGE, "The computer-based math block was stopped"),
    ]  # fmt: skip
    Annotation.objects.bulk_create(
        Annotation(cycle=cycle, measure=m, on=week(ago), kind=kind, text=text, created_by=lead)
        for m, ago, kind, text in notes
    )
