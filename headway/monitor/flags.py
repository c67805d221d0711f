"""Which strategies the team should think about stopping, and why, in plain words.

Strategic abandonment: a strategy is a candidate for stopping when

- it shows **no sign of improvement** after its review window: none of its goals' measures
  has a signal the right way (reading.MeasureReading.improving) or is on track, once
  ``review_weeks`` have passed since it started (or since its last review);
- its **work is off track**: more than half of its action steps due by now are not done,
  or one is stuck, or one of its rocks is off track or late;
- it **costs the most per student** of the plan's strategies (budget total / students it
  reaches, the whole school's enrollment when it does not say) and none of its goals'
  measures shows a change for the better.

A strategy whose review window has passed is also flagged **review due**. Only strategies
under way are flagged: a stopped one waits for a review that restarts it.

The functions below are pure: they read ``Evidence`` gathered beforehand (``gather`` does
the queries, a fixed number however many strategies there are) and today's date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from headway.monitor.models import StrategyReview
from headway.monitor.reading import MeasureReading, Track, read_cycle
from headway.plans.models import ActionStep, Plan, Rock, Strategy

CENT = Decimal("0.01")
MIN_COMPARED = 2  # strategies with a cost per student needed to call one the costliest


class Kind(StrEnum):
    NO_IMPROVEMENT = "no_improvement"
    OFF_TRACK = "off_track"
    COSTLY = "costly"
    REVIEW_DUE = "review_due"


TITLES = {
    Kind.NO_IMPROVEMENT: gettext_lazy("No sign of improvement"),
    Kind.OFF_TRACK: gettext_lazy("Its work is off track"),
    Kind.COSTLY: gettext_lazy("Costly for its effect"),
    Kind.REVIEW_DUE: gettext_lazy("Review due"),
}


@dataclass(frozen=True)
class Flag:
    kind: Kind
    reason: str

    @property
    def title(self) -> str:
        return str(TITLES[self.kind])

    @property
    def stop_candidate(self) -> bool:
        return self.kind is not Kind.REVIEW_DUE

    def to_dict(self) -> dict[str, str]:
        """As kept with a review: what the team was shown when it decided."""
        return {"kind": self.kind.value, "title": self.title, "reason": self.reason}


@dataclass(frozen=True)
class Evidence:
    """One strategy with what its flags are read from (its actions, rocks and budget are
    prefetched on the strategy)."""

    strategy: Strategy
    readings: list[MeasureReading]  # its goals' measures
    reviews: list[StrategyReview] = field(default_factory=list)  # newest first
    enrollment: int | None = None  # the school's, for a strategy that reaches everyone

    @property
    def last_review(self) -> StrategyReview | None:
        return self.reviews[0] if self.reviews else None

    @property
    def since(self) -> date | None:
        """Where the present review window starts: the last review, else the start date."""
        last = self.last_review
        return last.reviewed_on if last is not None else self.strategy.started_on

    @property
    def next_review(self) -> date | None:
        since = self.since
        return None if since is None else since + timedelta(weeks=self.strategy.review_weeks)

    @property
    def cost(self) -> Decimal:
        return sum((line.amount for line in self.strategy.budget.all()), Decimal(0))

    @property
    def students(self) -> int | None:
        """The students it reaches: as the plan says, else the whole school."""
        return self.strategy.students or self.enrollment

    @property
    def cost_per_student(self) -> Decimal | None:
        return per_student(self.cost, self.students)

    @property
    def improving(self) -> bool:
        return any(r.improving for r in self.readings)

    @property
    def active(self) -> bool:
        return self.strategy.status == Strategy.Status.ACTIVE


# --- each flag ----------------------------------------------------------------------------------


def review_due(ev: Evidence, today: date) -> Flag | None:
    due = ev.next_review
    if not ev.active or due is None or due > today:
        return None
    reason = _("A review was due %(when)s (%(date)s): every %(weeks)s weeks since %(since)s.") % {
        "when": due_words(due, today),
        "date": date_format(due, "DATE_FORMAT"),
        "weeks": ev.strategy.review_weeks,
        "since": _since_words(ev),
    }
    return Flag(Kind.REVIEW_DUE, reason)


def no_improvement(ev: Evidence, today: date) -> Flag | None:
    """No measure of its goals improving or on track once the review window has passed."""
    due = ev.next_review
    seen = [r for r in ev.readings if r.latest_value is not None]
    if not ev.active or due is None or due > today or not seen:
        return None
    if any(r.improving or r.track is Track.ON for r in seen):
        return None
    reason = ngettext(
        "After %(weeks)s weeks, its goal's measure (%(names)s) shows no change for the "
        "better and is not on track.",
        "After %(weeks)s weeks, none of its goals' %(n)s measures (%(names)s) shows a change "
        "for the better or is on track.",
        len(seen),
    ) % {
        "weeks": ev.strategy.review_weeks,
        "n": len(seen),
        "names": "; ".join(r.measure.name for r in seen),
    }
    return Flag(Kind.NO_IMPROVEMENT, reason)


def off_track(ev: Evidence, today: date) -> Flag | None:
    """Most of its action steps due are not done, one is stuck, or a rock is off track."""
    if not ev.active:
        return None
    actions = list(ev.strategy.actions.all())
    due = [a for a in actions if a.due <= today]
    undone = [a for a in due if a.status != ActionStep.Status.DONE]
    stuck = [a for a in actions if a.status == ActionStep.Status.STUCK]
    rocks = [r for r in ev.strategy.rocks.all() if rock_off_track(r, today)]
    parts = []
    if due and 2 * len(undone) > len(due):
        parts.append(
            ngettext(
                "the one action step due by now is not done",
                "%(n)s of the %(due)s action steps due by now are not done",
                len(due),
            )
            % {"n": len(undone), "due": len(due)}
        )
    if stuck:
        parts.append(_("stuck: %(titles)s") % {"titles": _titles(stuck)})
    if rocks:
        parts.append(_("rocks off track: %(titles)s") % {"titles": _titles(rocks)})
    if not parts:
        return None
    text = "; ".join(parts)
    return Flag(Kind.OFF_TRACK, f"{text[0].upper()}{text[1:]}.")


def rock_off_track(rock: Rock, today: date) -> bool:
    if rock.status == Rock.Status.DONE:
        return False
    return rock.status == Rock.Status.OFF_TRACK or rock.due < today


def costliest(evidence: Sequence[Evidence]) -> dict[int, Flag]:
    """The strategy costing the most per student, if none of its goals' measures improves.

    Compared only among strategies under way with a cost per student, and only when there
    are at least two of them. Keyed by the strategy's id.
    """
    priced = [(ev, ev.cost_per_student) for ev in evidence if ev.active]
    compared = sorted(
        ((ev, cps) for ev, cps in priced if cps is not None), key=lambda pair: -pair[1]
    )
    if len(compared) < MIN_COMPARED:
        return {}
    (top, top_cps), (_second, next_cps) = compared[0], compared[1]
    if top.improving or top_cps == next_cps:
        return {}
    reason = _(
        "It costs the most per student of the plan's %(n)s strategies with a budget: "
        "%(cps)s a student (%(cost)s for %(students)s students), against %(next)s a student "
        "for the next. None of its goals' measures shows a change for the better yet."
    ) % {
        "n": len(compared),
        "cps": dollars(top_cps),
        "cost": dollars(top.cost),
        "students": f"{top.students:,}",
        "next": dollars(next_cps),
    }
    return {top.strategy.pk: Flag(Kind.COSTLY, reason)}


def flags_for(evidence: Sequence[Evidence], today: date) -> dict[int, list[Flag]]:
    """Every strategy's flags, keyed by its id: stop candidates first, then review due."""
    costly = costliest(evidence)
    found: dict[int, list[Flag]] = {}
    for ev in evidence:
        checks = [
            no_improvement(ev, today),
            off_track(ev, today),
            costly.get(ev.strategy.pk),
            review_due(ev, today),
        ]
        found[ev.strategy.pk] = [flag for flag in checks if flag is not None]
    return found


def per_student(cost: Decimal, students: int | None) -> Decimal | None:
    """The cost per student reached, to the cent; None without a cost or students."""
    if not students or not cost:
        return None
    return (cost / students).quantize(CENT)


# --- in words -----------------------------------------------------------------------------------


def dollars(amount: Decimal) -> str:
    """ "$52,000" or "$12.50"."""
    whole = amount == amount.to_integral_value()
    return f"${amount:,.0f}" if whole else f"${amount:,.2f}"


def due_words(due: date, today: date) -> str:
    """How far off a date is: "in 3 weeks", "in 4 days", "today", "2 weeks ago"."""
    days = (due - today).days
    if days == 0:
        return _("today")
    n, weeks = abs(days), abs(days) >= 2 * 7
    if weeks:
        n //= 7
    if days > 0:
        if weeks:
            return ngettext("in %(n)s week", "in %(n)s weeks", n) % {"n": n}
        return ngettext("in %(n)s day", "in %(n)s days", n) % {"n": n}
    if weeks:
        return ngettext("%(n)s week ago", "%(n)s weeks ago", n) % {"n": n}
    return ngettext("%(n)s day ago", "%(n)s days ago", n) % {"n": n}


def _since_words(ev: Evidence) -> str:
    since = ev.since
    assert since is not None
    what = _("the last review") if ev.last_review is not None else _("its start")
    return f"{what} ({date_format(since, 'DATE_FORMAT')})"


def _titles(items: Sequence[ActionStep | Rock]) -> str:
    return "; ".join(f"“{item.title}”" for item in items)


# --- gathering the evidence ---------------------------------------------------------------------


def gather(plan: Plan, internal: bool) -> list[Evidence]:
    """Every strategy of the plan with its evidence, in a fixed number of queries."""
    by_goal = {r.measure.goal_id: r for r in read_cycle(plan.cycle, internal) if r.measure.goal_id}
    strategies = plan.strategies.prefetch_related(
        "goals",
        "budget",
        "actions",
        "rocks",
        Prefetch("reviews", StrategyReview.objects.order_by("-reviewed_on", "-created_at")),
    ).order_by("order", "created_at")
    enrollment = plan.cycle.org.enrollment
    return [
        Evidence(
            strategy,
            [by_goal[g.pk] for g in strategy.goals.all() if g.pk in by_goal],
            list(strategy.reviews.all()),
            enrollment,
        )
        for strategy in strategies
    ]
