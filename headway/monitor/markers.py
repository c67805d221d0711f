"""What happened when, for a measure's chart: notes, phases, rocks and strategy starts.

Which rocks and strategies a chart shows:
- a goal's measure: the rocks that serve the goal, directly or through a strategy that
  serves it, and the strategies that serve it;
- a team's own measure: every rock and every strategy of the cycle's plan (a short-cycle
  measure usually watches the plan's work as a whole, and is not tied to one goal).
Annotations show on the chart they belong to, or on every chart of the cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headway.monitor.models import Measure
from headway.monitor.reading import MeasureReading
from headway.plans.models import Rock, Strategy


@dataclass(frozen=True)
class Marker:
    """A dated event on a chart: a vertical line with a label."""

    on: date
    kind: str  # "pdsa", "change", "event", "phase", "rock_set", "rock_due", "strategy"
    label: str

    @property
    def kind_text(self) -> str:
        return str(KINDS[self.kind])


KINDS = {
    "pdsa": gettext_lazy("PDSA cycle"),
    "change": gettext_lazy("A change we made"),
    "event": gettext_lazy("Something that happened"),
    "phase": gettext_lazy("New phase"),
    "rock_set": gettext_lazy("Rock set"),
    "rock_due": gettext_lazy("Rock due"),
    "strategy": gettext_lazy("Strategy starts"),
}


def rocks_for(measure: Measure) -> list[Rock]:
    rocks = Rock.objects.filter(plan__cycle_id=measure.cycle_id)
    if measure.goal_id is not None:
        goal = measure.goal_id
        rocks = rocks.filter(Q(goal_id=goal) | Q(strategy__goals=goal)).distinct()
    return list(rocks.order_by("set_on", "pk"))


def strategies_for(measure: Measure) -> list[Strategy]:
    strategies = Strategy.objects.filter(plan__cycle_id=measure.cycle_id, started_on__isnull=False)
    if measure.goal_id is not None:
        strategies = strategies.filter(goals=measure.goal_id)
    return list(strategies.order_by("started_on", "pk"))


def markers_for(reading: MeasureReading) -> list[Marker]:
    """Every marker of the measure's chart, by date."""
    measure = reading.measure
    found = [Marker(a.on, a.kind, a.text) for a in reading.annotations]
    found += [
        Marker(r.on, "phase", _("New phase: %(reason)s") % {"reason": r.reason})
        for r in measure.rebases.all()
    ]
    for rock in rocks_for(measure):
        found.append(Marker(rock.set_on, "rock_set", _("Rock set: %(t)s") % {"t": rock.title}))
        found.append(Marker(rock.due, "rock_due", _("Rock due: %(t)s") % {"t": rock.title}))
    found += [
        Marker(s.started_on, "strategy", _("Strategy starts: %(t)s") % {"t": s.title})
        for s in strategies_for(measure)
        if s.started_on is not None
    ]
    return sorted(found, key=lambda m: (m.on, m.kind))
