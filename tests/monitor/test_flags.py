"""Flags on strategies: no improvement, work off track, costly for its effect, review due."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from headway.monitor import flags
from headway.monitor.flags import Evidence, Kind
from headway.monitor.models import Measure, StrategyReview
from headway.plans.models import ActionStep, BudgetLine, Cycle, Goal, Plan, Rock, Strategy
from tests.monitor.conftest import FIRST_MONDAY, weekly

START = FIRST_MONDAY  # the strategy starts the week the measures start
AFTER = START + timedelta(weeks=13)  # its 12-week review window has passed
DURING = START + timedelta(weeks=5)
FLAT = [0.80, 0.82, 0.79, 0.81, 0.80, 0.82, 0.79, 0.81, 0.80, 0.82, 0.79, 0.81]
RISING = [0.80, 0.81, 0.79, 0.80, 0.81, 0.90, 0.91, 0.92, 0.91, 0.93, 0.92, 0.94]


def strategy(plan: Plan, title: str = "Weekly PLC cycles", **more: object) -> Strategy:
    fields: dict[str, object] = {"lever": "plc", "driver": "competency", "started_on": START}
    fields.update(more)
    return Strategy.objects.create(plan=plan, title=title, **fields)


def goal_measure(cycle: Cycle, s: Strategy, name: str, values: list[float]) -> Measure:
    goal = Goal.objects.create(assessment=cycle.assessment, statement=f"{name} rises")
    s.goals.add(goal)
    measure = Measure.objects.create(cycle=cycle, goal=goal, name=name, baseline_points=5)
    weekly(measure, values)
    return measure


def evidence(plan: Plan, enrollment: int | None = None) -> dict[str, Evidence]:
    if enrollment is not None:
        plan.cycle.org.enrollment = enrollment
        plan.cycle.org.save()
    return {ev.strategy.title: ev for ev in flags.gather(plan, internal=True)}


def kinds(found: list[flags.Flag]) -> list[Kind]:
    return [flag.kind for flag in found]


# --- no sign of improvement -----------------------------------------------------------------


def test_flat_goal_measures_after_the_window_are_no_sign_of_improvement(
    cycle: Cycle, plan: Plan
) -> None:
    s = strategy(plan)
    goal_measure(cycle, s, "Reading proficiency", FLAT)
    ev = evidence(plan)["Weekly PLC cycles"]
    flag = flags.no_improvement(ev, AFTER)
    assert flag is not None and flag.stop_candidate
    assert "After 12 weeks" in flag.reason and "Reading proficiency" in flag.reason
    assert flags.no_improvement(ev, DURING) is None  # the window has not passed yet


def test_a_favourable_signal_is_a_sign_of_improvement(cycle: Cycle, plan: Plan) -> None:
    s = strategy(plan)
    goal_measure(cycle, s, "Reading proficiency", RISING)
    goal_measure(cycle, s, "Attendance", FLAT)
    ev = evidence(plan)["Weekly PLC cycles"]
    assert ev.improving
    assert flags.no_improvement(ev, AFTER) is None


def test_a_measure_on_track_is_enough(cycle: Cycle, plan: Plan) -> None:
    s = strategy(plan)
    measure = goal_measure(cycle, s, "Reading proficiency", FLAT)
    assert measure.goal is not None
    measure.goal.interim = {"2025": 0.75}  # expected by the school year of the latest point
    measure.goal.save()
    ev = evidence(plan)["Weekly PLC cycles"]
    assert flags.no_improvement(ev, AFTER) is None


def test_the_window_restarts_at_the_last_review(cycle: Cycle, plan: Plan) -> None:
    s = strategy(plan)
    goal_measure(cycle, s, "Reading proficiency", FLAT)
    StrategyReview.objects.create(
        strategy=s, verdict="adjust", evidence="Flat so far.", reviewed_on=AFTER
    )
    ev = evidence(plan)["Weekly PLC cycles"]
    assert ev.since == AFTER and ev.next_review == AFTER + timedelta(weeks=12)
    assert flags.no_improvement(ev, AFTER + timedelta(weeks=4)) is None
    assert flags.no_improvement(ev, AFTER + timedelta(weeks=12)) is not None


def test_without_a_start_date_or_goal_measures_nothing_is_judged(cycle: Cycle, plan: Plan) -> None:
    unstarted = strategy(plan, "Unstarted", started_on=None)
    goal_measure(cycle, unstarted, "Reading proficiency", FLAT)
    strategy(plan, "Unmeasured")
    found = evidence(plan)
    assert flags.no_improvement(found["Unstarted"], AFTER) is None
    assert flags.no_improvement(found["Unmeasured"], AFTER) is None
    assert flags.review_due(found["Unstarted"], AFTER) is None


# --- work off track -------------------------------------------------------------------------


def action(plan: Plan, s: Strategy, title: str, due: date, status: str) -> ActionStep:
    return ActionStep.objects.create(
        plan=plan, strategy=s, title=title, owner="Ana", due=due, status=status
    )


def test_more_than_half_of_the_steps_due_not_done_is_off_track(plan: Plan) -> None:
    s = strategy(plan)
    action(plan, s, "Train coaches", DURING - timedelta(days=7), "done")
    action(plan, s, "Set PLC norms", DURING - timedelta(days=3), "under_way")
    action(plan, s, "Observe classrooms", DURING - timedelta(days=1), "not_started")
    action(plan, s, "Share results", DURING + timedelta(days=30), "not_started")  # not due
    flag = flags.off_track(evidence(plan)["Weekly PLC cycles"], DURING)
    assert flag is not None and flag.kind is Kind.OFF_TRACK
    assert flag.reason == "2 of the 3 action steps due by now are not done."


def test_half_not_done_is_not_yet_off_track(plan: Plan) -> None:
    s = strategy(plan)
    action(plan, s, "Train coaches", DURING - timedelta(days=7), "done")
    action(plan, s, "Set PLC norms", DURING - timedelta(days=3), "under_way")
    assert flags.off_track(evidence(plan)["Weekly PLC cycles"], DURING) is None


def test_one_stuck_step_or_rock_off_track_is_enough(plan: Plan) -> None:
    s = strategy(plan)
    action(plan, s, "Buy the books", DURING + timedelta(days=30), "stuck")
    Rock.objects.create(
        plan=plan, strategy=s, title="PLC norms", owner="Ana", set_on=START,
        due=DURING + timedelta(days=10), status="off_track",
    )  # fmt: skip
    Rock.objects.create(  # late, so off track as well
        plan=plan, strategy=s, title="Walkthrough tool", owner="Ben", set_on=START,
        due=DURING - timedelta(days=1), status="on_track",
    )  # fmt: skip
    flag = flags.off_track(evidence(plan)["Weekly PLC cycles"], DURING)
    assert flag is not None
    assert flag.reason == (
        "Stuck: “Buy the books”; rocks off track: “Walkthrough tool”; “PLC norms”."
    )


# --- costly for its effect ------------------------------------------------------------------


def budget(s: Strategy, amount: int) -> None:
    BudgetLine.objects.create(strategy=s, item="Costs", amount=Decimal(amount), source="local")


def test_the_costliest_per_student_without_improvement_is_flagged_with_its_figures(
    cycle: Cycle, plan: Plan
) -> None:
    coaching = strategy(plan, "Coaching", students=100)
    budget(coaching, 52000)
    goal_measure(cycle, coaching, "Reading proficiency", FLAT)
    plc = strategy(plan, "PLC cycles")  # reaches the whole school: 400 students
    budget(plc, 8000)
    strategy(plan, "Free strategy")  # no budget: not compared
    found = flags.costliest(list(evidence(plan, enrollment=400).values()))
    assert list(found) == [coaching.pk]
    assert found[coaching.pk].reason == (
        "It costs the most per student of the plan's 2 strategies with a budget: $520 a "
        "student ($52,000 for 100 students), against $20 a student for the next. None of "
        "its goals' measures shows a change for the better yet."
    )


def test_the_costliest_is_not_flagged_when_it_shows_improvement(cycle: Cycle, plan: Plan) -> None:
    coaching = strategy(plan, "Coaching", students=100)
    budget(coaching, 52000)
    goal_measure(cycle, coaching, "Reading proficiency", RISING)
    budget(strategy(plan, "PLC cycles", students=400), 8000)
    assert flags.costliest(list(evidence(plan).values())) == {}


def test_one_strategy_alone_is_not_compared(plan: Plan) -> None:
    budget(strategy(plan, "Coaching", students=100), 52000)
    assert flags.costliest(list(evidence(plan).values())) == {}


def test_a_stopped_strategy_gets_no_flags(cycle: Cycle, plan: Plan) -> None:
    s = strategy(plan, status=Strategy.Status.STOPPED)
    goal_measure(cycle, s, "Reading proficiency", FLAT)
    action(plan, s, "Buy the books", DURING, "stuck")
    found = flags.flags_for(list(evidence(plan).values()), AFTER)
    assert found == {s.pk: []}


# --- review due -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (START + timedelta(weeks=12), "today"),
        (START + timedelta(weeks=12, days=3), "3 days ago"),
        (START + timedelta(weeks=15), "3 weeks ago"),
    ],
)
def test_a_review_is_due_when_the_window_has_passed(plan: Plan, today: date, words: str) -> None:
    strategy(plan)
    ev = evidence(plan)["Weekly PLC cycles"]
    flag = flags.review_due(ev, today)
    assert flag is not None and not flag.stop_candidate
    assert flag.reason.startswith(f"A review was due {words} (")
    assert "every 12 weeks since its start" in flag.reason
    assert flags.review_due(ev, START + timedelta(weeks=11)) is None


def test_all_flags_together_in_order(cycle: Cycle, plan: Plan) -> None:
    s = strategy(plan, students=50)
    budget(s, 10000)
    budget(strategy(plan, "Cheap", students=500), 500)
    goal_measure(cycle, s, "Reading proficiency", FLAT)
    action(plan, s, "Buy the books", DURING, "stuck")
    found = flags.flags_for(list(evidence(plan).values()), AFTER)
    assert kinds(found[s.pk]) == [
        Kind.NO_IMPROVEMENT, Kind.OFF_TRACK, Kind.COSTLY, Kind.REVIEW_DUE,
    ]  # fmt: skip
    assert found[s.pk][0].to_dict()["title"] == "No sign of improvement"


def test_words_for_dates_and_money() -> None:
    today = date(2026, 1, 10)
    assert flags.due_words(date(2026, 1, 12), today) == "in 2 days"
    assert flags.due_words(date(2026, 2, 7), today) == "in 4 weeks"
    assert flags.due_words(date(2026, 1, 9), today) == "1 day ago"
    assert flags.dollars(Decimal("52000")) == "$52,000"
    assert flags.dollars(Decimal("12.5")) == "$12.50"
