"""Goals' indicators as measures: one measure per goal, and a point from every import.

``track_goals`` gives each goal of a cycle that has an indicator from the data (a
``metric``) its measure, with the indicator's history: a point for each school year with a
figure, dated the 30th of June that ends it (years still under way are left to the
imports). ``record`` adds, after every refresh of a district's results, one
point to each such measure of every cycle of the district and its schools: the
indicator's figure in the latest school year with data, read where the goals page reads it
(plans.baselines), once for people with student access and once for the public. The
public figure is kept beside it (None with its text, "n<10", when hidden), so a viewer
without student access never sees the internal one, even on an old point.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from headway.explore.cube import Audience
from headway.explore.present import is_rate
from headway.monitor.models import Measure, Point
from headway.orgs.models import Organization
from headway.plans import baselines, smart
from headway.plans.baselines import Figure
from headway.plans.models import Cycle, Goal

NAME_LENGTH = 200  # Measure.name's length


def measure_name(goal: Goal) -> str:
    """The goal's statement, or what it is about when it has none."""
    name = " ".join(goal.statement.split()) or baselines.outcome(goal)
    return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1] + "…"


def _unit(goal: Goal) -> str:
    return Measure.Unit.PERCENT if is_rate(goal.metric) else Measure.Unit.NUMBER


def track_goals(cycle: Cycle) -> list[Measure]:
    """Give every goal of the cycle with an indicator its measure; return the new ones.

    Goal measures already there follow their goal's direction and unit (the team cannot
    change those on a goal's measure).
    """
    goals = list(Goal.objects.filter(assessment__cycle=cycle).exclude(metric="").order_by("pk"))
    tracked = {
        m.goal_id: m for m in Measure.objects.filter(cycle=cycle, goal__in=goals).order_by("pk")
    }
    _follow(goals, tracked)
    made = [
        Measure(
            cycle=cycle,
            goal=goal,
            name=measure_name(goal),
            unit=_unit(goal),
            direction=goal.direction,
        )
        for goal in goals
        if goal.pk not in tracked
    ]
    if not made:
        return []
    made = Measure.objects.bulk_create(made)
    for measure in made:
        _history(measure)
    return made


def _history(measure: Measure) -> None:
    """A point for each finished school year with a figure, dated at its end."""
    internal, public = _reads(measure)
    today = timezone.localdate()
    Point.objects.bulk_create(
        Point(measure=measure, on=date(year + 1, 6, 30), **_fields(figure, public.get(year)))
        for year, figure in internal.items()
        if figure.value is not None and date(year + 1, 6, 30) <= today
    )


def _follow(goals: list[Goal], tracked: dict[int | None, Measure]) -> None:
    changed = []
    for goal in goals:
        measure = tracked.get(goal.pk)
        if measure is not None and (measure.direction, measure.unit) != (
            goal.direction,
            _unit(goal),
        ):
            measure.direction, measure.unit = goal.direction, _unit(goal)
            changed.append(measure)
    if changed:
        Measure.objects.bulk_update(changed, ["direction", "unit"])


def cycles_of(district: Organization) -> list[Cycle]:
    """The cycles of the district itself and of its schools, except those whose evaluation
    is finished: a closed cycle's charts end where it was judged."""
    where = (Q(org=district) | Q(org__parent=district)) & ~Q(evaluation__finished_at__isnull=False)
    return list(Cycle.objects.filter(where).select_related("org").order_by("pk"))


def record(district: Organization, on: date | None = None) -> int:
    """One point dated ``on`` (today) per goal measure of every cycle of the district and
    its schools: added, or replacing that day's. Returns how many were written."""
    on = on or timezone.localdate()
    measures = (
        Measure.objects.filter(cycle__in=cycles_of(district), goal__isnull=False)
        .exclude(goal__metric="")
        .select_related("goal", "cycle__org")
        .order_by("pk")
    )
    written = 0
    with transaction.atomic():
        for measure in measures:
            written += _record_one(measure, on)
    return written


def _record_one(measure: Measure, on: date) -> int:
    internal, public = _reads(measure)
    figure = _latest(internal)
    if figure is None or figure.value is None:
        return 0
    Point.objects.update_or_create(
        measure=measure, on=on, defaults=_fields(figure, public.get(figure.year))
    )
    return 1


def _reads(measure: Measure) -> tuple[dict[int, Figure], dict[int, Figure]]:
    """The indicator's figures by school year, for people with student access and for the
    public."""
    goal, cycle = measure.goal, measure.cycle
    assert goal is not None
    indicator = baselines.indicator_of(goal)
    internal, public = (
        baselines.read(cycle.org, audience, indicator, cycle.first_year).figures
        for audience in (Audience.INTERNAL, Audience.PUBLIC)
    )
    return internal, public


def _fields(figure: Figure, public: Figure | None) -> dict[str, Any]:
    return {
        "value": figure.value,
        "n": figure.n,
        "public_value": public.value if public is not None else None,
        "public_text": _public_text(public),
        "source": Point.Source.IMPORT,
        "note": _note(figure.year),
        "school_year": figure.year,
        "numerator": None,
        "denominator": None,
    }


def _latest(figures: dict[int, Figure]) -> Figure | None:
    shown = [f for f in figures.values() if f.value is not None]
    return max(shown, key=lambda f: f.year) if shown else None


def _public_text(public: Figure | None) -> str:
    if public is None:
        return "—"
    return public.text[:40] if public.value is None else ""


def _note(year: int) -> str:
    # Stored as data, not shown words: the school year the figure is for ("2025–26").
    return smart.year_label(year)
