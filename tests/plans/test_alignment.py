"""The alignment map: goals ← strategies ← action steps and rocks, and what serves no goal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.orgs.roles import Role
from headway.plans.alignment import build
from headway.plans.models import ActionStep, Cycle, Goal, Plan, Rock, Strategy
from tests.conftest import World

SignIn = Callable[..., Client]
DUE = date(2025, 10, 1)


def goal(pk: int) -> Goal:
    return Goal(pk=pk, statement=f"Goal {pk}")


def strategy(pk: int) -> Strategy:
    return Strategy(pk=pk, title=f"Strategy {pk}")


def action(pk: int, strategy_id: int | None) -> ActionStep:
    return ActionStep(pk=pk, title=f"Action {pk}", strategy_id=strategy_id, owner="Ana", due=DUE)


def rock(pk: int, goal_id: int | None = None, strategy_id: int | None = None) -> Rock:
    return Rock(pk=pk, title=f"Rock {pk}", goal_id=goal_id, strategy_id=strategy_id)


def titles(items: Sequence[object]) -> list[str]:
    return [str(item) for item in items]


def test_goals_carry_their_strategies_and_these_their_actions_and_rocks() -> None:
    shown = build(
        [goal(1), goal(2)],
        [strategy(10), strategy(11)],
        [(10, 1), (11, 1), (11, 2)],
        [action(100, 10), action(101, 11), action(102, 10)],
        [rock(200, strategy_id=10), rock(201, goal_id=2)],
    )
    first, second = shown.goals
    assert [b.strategy.title for b in first.branches] == ["Strategy 10", "Strategy 11"]
    assert titles(first.branches[0].actions) == ["Action 100", "Action 102"]
    assert titles(first.branches[0].rocks) == ["Rock 200"]
    assert titles(first.branches[1].actions) == ["Action 101"]
    assert [b.strategy.title for b in second.branches] == ["Strategy 11"]
    assert titles(second.rocks) == ["Rock 201"] and first.rocks == []
    assert shown.unaligned == 0


def test_what_serves_no_goal_is_flagged() -> None:
    shown = build(
        [goal(1)],
        [strategy(10), strategy(11)],
        [(10, 1)],
        [action(100, 10), action(101, 11), action(102, None)],
        [rock(200), rock(201, strategy_id=11), rock(202, goal_id=1), rock(203, strategy_id=10)],
    )
    assert [b.strategy.title for b in shown.strategies] == ["Strategy 11"]
    assert titles(shown.strategies[0].actions) == ["Action 101"]
    assert [(str(x.item), x.strategy) for x in shown.actions] == [
        ("Action 101", shown.strategies[0].strategy),
        ("Action 102", None),
    ]
    assert [(str(x.item), str(x.strategy)) for x in shown.rocks] == [
        ("Rock 200", "None"),
        ("Rock 201", "Strategy 11"),
    ]
    assert shown.unaligned == 5


def test_a_goal_without_strategies_and_a_rock_whose_strategy_serves_another_goal() -> None:
    shown = build(
        [goal(1), goal(2)],
        [strategy(10)],
        [(10, 1)],
        [],
        [rock(200, goal_id=2, strategy_id=10)],
    )
    first, second = shown.goals
    assert titles(first.branches[0].rocks) == ["Rock 200"]
    assert second.branches == [] and titles(second.rocks) == ["Rock 200"]
    assert shown.unaligned == 0


def test_an_empty_plan_has_an_empty_map() -> None:
    shown = build([], [], [], [], [])
    assert shown.goals == [] and shown.unaligned == 0


# --- the page -------------------------------------------------------------------------------------


def url(cycle: Cycle) -> str:
    return reverse("plans-alignment", args=[cycle.org.code, cycle.code])


def make_plan(cycle: Cycle, actions: int = 2) -> Plan:
    plan = Plan.objects.create(cycle=cycle)
    math = Goal.objects.create(assessment=cycle.assessment, statement="Math proficiency up")
    Goal.objects.create(assessment=cycle.assessment, statement="Fewer absences")
    plc = Strategy.objects.create(plan=plan, title="Weekly PLCs", lever="plc", driver="competency")
    plc.goals.add(math)
    Strategy.objects.create(plan=plan, title="Robotics club", lever="other", driver="competency")
    for n in range(actions):
        ActionStep.objects.create(
            plan=plan, strategy=plc, title=f"PLC step {n}", owner="Ana", due=DUE
        )
    ActionStep.objects.create(plan=plan, title="Buy tablets", owner="Bo", due=DUE)
    Rock.objects.create(plan=plan, title="Lonely rock", owner="Cy", set_on=DUE, due=DUE)
    Rock.objects.create(plan=plan, title="PLC norms", owner="Cy", set_on=DUE, due=DUE, strategy=plc)
    return plan


def test_the_page_shows_the_map_and_flags_what_serves_no_goal(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    make_plan(cycle)
    html = client_for(world.by_role[Role.TEAM_MEMBER]).get(url(cycle)).content.decode()
    aligned, unaligned = html.split('id="unaligned"')
    for text in ("Math proficiency up", "Weekly PLCs", "PLC step 0", "PLC norms"):
        assert text in aligned
    assert "Fewer absences" in aligned and "No strategy serves this goal yet." in aligned
    assert "initiative inventory" in unaligned
    assert unaligned.count("Not tied to a goal:") == 3
    assert "Robotics club" in unaligned
    assert "Buy tablets" in unaligned and "it carries out no strategy" in unaligned
    assert "Lonely rock" in unaligned and "it names neither a goal nor a strategy" in unaligned
    assert 'aria-hidden="true">⚠' in unaligned


def test_a_plan_where_everything_serves_a_goal_says_so(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    html = client_for(world.by_role[Role.REVIEWER]).get(url(cycle)).content.decode()
    assert "No goals yet." in html
    assert "Everything in the plan serves a goal." in html


def test_the_page_takes_as_many_queries_for_50_actions_as_for_5(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    plan = make_plan(cycle, actions=5)
    client = client_for(world.by_role[Role.TEAM_LEAD])
    client.get(url(cycle))
    with CaptureQueriesContext(connection) as few:
        client.get(url(cycle))
    ActionStep.objects.bulk_create(
        ActionStep(plan=plan, title=f"More {n}", owner="Bo", due=DUE) for n in range(45)
    )
    with CaptureQueriesContext(connection) as many:
        html = client.get(url(cycle)).content.decode()
    assert "More 44" in html
    assert len(few) == len(many)


def test_community_viewers_may_not_read_it(world: World, cycle: Cycle, client_for: SignIn) -> None:
    assert client_for(world.by_role[Role.VIEWER]).get(url(cycle)).status_code == 403
