"""The end of a cycle: each goal's final figure, its target, and a suggested verdict.

The final figure is the latest point of the goal's measure when it has one (the measure
takes a point from every import), else the latest result in the cycle's years from the
aggregate tables (plans.baselines, for the viewer's audience: a small group's figure is
"n<10" for a viewer without student access, and then no verdict is suggested).

The evaluation is a record the whole team reads and the next cycle carries forward, so
it always holds the *public* figures, whoever writes it: a small group's final figure and
baseline are "n<10" and no number, for everyone.

The suggestion, which the team confirms or changes: **met** when the figure reached the
target in the goal's direction; **partly met** when it moved the right way from the baseline
but not as far as the target; **not met** otherwise. Without a target or a figure there is
nothing to suggest.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from headway.accounts.models import User
from headway.explore.cube import Audience
from headway.explore.present import is_rate
from headway.monitor.models import Evaluation, GoalVerdict, Measure
from headway.monitor.reading import MeasureReading, read_cycle
from headway.plans import baselines, review, smart
from headway.plans.models import Cycle, Goal, Plan

Verdict = GoalVerdict.Verdict


@dataclass(frozen=True)
class Final:
    """A goal at the cycle's end, as one viewer may see it."""

    goal: Goal
    value: float | None  # None: no figure, or hidden from this viewer
    text: str  # as shown: "57%", "n<10", "12 points"
    source: str  # where the figure comes from, in words
    baseline: float | None
    rate: bool  # shown as a percent
    suggested: Verdict | None
    why: str  # the suggestion's reason, with the numbers

    @property
    def target_text(self) -> str:
        target = self.goal.target
        return "—" if target is None else figure_text(self.goal, target, self.rate)

    @property
    def baseline_text(self) -> str:
        base = self.baseline
        return "—" if base is None else figure_text(self.goal, base, self.rate)


def suggest(
    increase: bool, baseline: float | None, target: float | None, value: float | None
) -> Verdict | None:
    """Met, partly met or not met; None without a target or a figure."""
    if target is None or value is None:
        return None
    if (value >= target) if increase else (value <= target):
        return Verdict.MET
    if baseline is not None and ((value > baseline) if increase else (value < baseline)):
        return Verdict.PARTLY
    return Verdict.NOT_MET


def figure_text(goal: Goal, x: float, rate: bool) -> str:
    """A goal's number as people read it: "55%", "54.5%", "12 points" for a gap, "250"."""
    if goal.is_gap:
        return smart.points(x, rate)
    return f"{_trimmed(x * 100)}%" if rate else _trimmed(x)


def _trimmed(x: float) -> str:
    return f"{x:.1f}".removesuffix(".0")


def why(
    goal: Goal, rate: bool, value: float | None, baseline: float | None, verdict: Verdict | None
) -> str:
    """Why the suggestion, with the numbers."""

    def shown(x: float) -> str:
        return figure_text(goal, x, rate)

    if goal.target is None:
        return _("The goal has no target: decide with the team.")
    if value is None:
        return _("No figure to judge by: decide with the team.")
    words = {"value": shown(value), "target": shown(goal.target)}
    if verdict == Verdict.MET:
        return _("%(value)s reaches the target of %(target)s.") % words
    if baseline is None:
        return _("%(value)s falls short of the target of %(target)s; without a baseline, "
                 "Headway cannot tell whether it moved the right way.") % words  # fmt: skip
    words["baseline"] = shown(baseline)
    if verdict == Verdict.PARTLY:
        return _("It moved the right way, from %(baseline)s to %(value)s, but not as far as "
                 "the target of %(target)s.") % words  # fmt: skip
    return _("It did not move the right way: %(baseline)s at the start, %(value)s now, "
             "against a target of %(target)s.") % words  # fmt: skip


# --- reading the goals --------------------------------------------------------------------------


def finals(cycle: Cycle) -> list[Final]:
    """Every goal of the cycle with its public final figure and a suggested verdict."""
    by_goal = {r.measure.goal_id: r for r in read_cycle(cycle, False) if r.measure.goal_id}
    goals = cycle.assessment.goals.order_by("created_at")
    return [_final(goal, cycle, by_goal.get(goal.pk)) for goal in goals]


def _final(goal: Goal, cycle: Cycle, reading: MeasureReading | None) -> Final:
    if reading is not None and reading.latest is not None:
        return _from_measure(goal, cycle, reading)
    return _from_results(goal, cycle)


def _public_baseline(goal: Goal, cycle: Cycle) -> float | None:
    """The goal's baseline as the public sees it (None when a small group's is hidden)."""
    if not goal.metric:
        return goal.baseline  # another measure, in words: the team's own number
    found = baselines.read(
        cycle.org, Audience.PUBLIC, baselines.indicator_of(goal), cycle.first_year,
        goal.baseline_year,
    )  # fmt: skip
    return None if found.baseline is None else found.baseline.value


def _from_measure(goal: Goal, cycle: Cycle, reading: MeasureReading) -> Final:
    point = reading.latest
    assert point is not None
    value = reading.latest_value
    rate = is_rate(goal.metric) if goal.metric else reading.measure.unit == Measure.Unit.PERCENT
    text = figure_text(goal, value, rate) if value is not None else (point.public_text or "—")
    source = _("The latest point of “%(name)s”, %(date)s.") % {
        "name": reading.measure.name,
        "date": date_format(point.on, "DATE_FORMAT"),
    }
    base = _public_baseline(goal, cycle) if goal.metric else goal.baseline
    return _judged(goal, rate, (value, text, source), base if base is not None else _first(reading))


def _first(reading: MeasureReading) -> float | None:
    measure = reading.measure
    if measure.start_value is not None:
        return measure.start_value
    return next((v for v in reading.values if v is not None), None)


def _from_results(goal: Goal, cycle: Cycle) -> Final:
    if not goal.metric:
        return _judged(goal, False, (None, "—", _("Headway has no figures for this measure.")))
    found = baselines.read(
        cycle.org, Audience.PUBLIC, baselines.indicator_of(goal), cycle.first_year,
        goal.baseline_year,
    )  # fmt: skip
    years = [y for y in found.figures if cycle.first_year <= y <= cycle.last_year]
    base = None if found.baseline is None else found.baseline.value
    rate = is_rate(goal.metric)
    if not years:
        return _judged(goal, rate, (None, "—", _("No results for the cycle's years yet.")), base)
    figure = found.figures[years[-1]]
    source = _("The results for %(year)s.") % {"year": figure.year_label}
    return _judged(goal, rate, (figure.value, figure.text, source), base)


def _judged(
    goal: Goal, rate: bool, shown: tuple[float | None, str, str], base: float | None = None
) -> Final:
    """``shown``: the final value, its text and its source."""
    value, text, source = shown
    increase = goal.direction == Goal.Direction.INCREASE
    verdict = suggest(increase, base, goal.target, value)
    reason = why(goal, rate, value, base, verdict)
    return Final(goal, value, text, source, base, rate, verdict, reason)


# --- finishing ----------------------------------------------------------------------------------


class AlreadyFinished(Exception):
    """Someone else finished the evaluation a moment ago."""


def finish(evaluation: Evaluation, user: User, keep: Collection[int]) -> Cycle | None:
    """Mark the evaluation finished and start the next cycle with the strategies in ``keep``.

    Returns the new cycle; None when the next cycle had already been started (the
    evaluation is then linked to it, and nothing is copied). Raises AlreadyFinished,
    writing nothing, when it was finished already. Call it inside the transaction that
    saves the verdicts.
    """
    cycle = evaluation.cycle
    with transaction.atomic():
        claimed = Evaluation.objects.filter(pk=evaluation.pk, finished_at=None).update(
            finished_at=timezone.now(), finished_by=user
        )
        if not claimed:
            raise AlreadyFinished
        plan, _created = Plan.objects.get_or_create(cycle=cycle)
        plan.cycle = cycle
        try:
            new: Cycle | None = review.start_next_cycle(plan, user, keep=keep).cycle
        except review.Refused:
            new = None
        linked = new or review.next_cycle_of(cycle)
        if linked is not None and not Evaluation.objects.filter(next_cycle=linked).exists():
            Evaluation.objects.filter(pk=evaluation.pk).update(next_cycle=linked)
    evaluation.refresh_from_db()
    return new
