"""The alignment map: goals ← strategies ← action steps and rocks, and what serves no goal.

Every strategy should serve a goal, every action step carry out a strategy, every rock
serve a goal or a strategy. What does not is listed apart: it is the start of the
initiative inventory, the work the team may stop, merge or tie to a goal.

``build`` is plain Python over records already read; ``read`` reads them in five queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from headway.plans.models import ActionStep, Goal, Plan, Rock, Strategy


@dataclass(frozen=True)
class Branch:
    """A strategy with the action steps and rocks that carry it out."""

    strategy: Strategy
    actions: list[ActionStep]
    rocks: list[Rock]


@dataclass(frozen=True)
class GoalNode:
    goal: Goal
    branches: list[Branch]
    rocks: list[Rock]  # rocks that serve the goal without a strategy shown under it


@dataclass(frozen=True)
class Loose[T]:
    """Something that serves no goal, with why in words."""

    item: T
    strategy: Strategy | None = None  # for an action step or rock: its strategy, if any


@dataclass(frozen=True)
class Map:
    goals: list[GoalNode]
    strategies: list[Branch] = field(default_factory=list)  # serving no goal
    actions: list[Loose[ActionStep]] = field(default_factory=list)
    rocks: list[Loose[Rock]] = field(default_factory=list)

    @property
    def unaligned(self) -> int:
        return len(self.strategies) + len(self.actions) + len(self.rocks)


def build(
    goals: Sequence[Goal],
    strategies: Sequence[Strategy],
    served: Iterable[tuple[int, int]],
    actions: Sequence[ActionStep],
    rocks: Sequence[Rock],
) -> Map:
    """The map from the plan's records; ``served`` holds (strategy pk, goal pk) pairs."""
    goals_of: dict[int, set[int]] = {}
    for strategy_id, goal_id in served:
        goals_of.setdefault(strategy_id, set()).add(goal_id)
    branches = {s.pk: _branch(s, actions, rocks) for s in strategies}
    nodes = [_node(goal, strategies, goals_of, branches, rocks) for goal in goals]
    aligned = {pk for pk, goal_ids in goals_of.items() if goal_ids}
    by_pk = {s.pk: s for s in strategies}
    return Map(
        nodes,
        [branches[s.pk] for s in strategies if s.pk not in aligned],
        [Loose(a, by_pk.get(a.strategy_id or 0)) for a in actions if a.strategy_id not in aligned],
        [
            Loose(r, by_pk.get(r.strategy_id or 0))
            for r in rocks
            if r.goal_id is None and r.strategy_id not in aligned
        ],
    )


def _branch(strategy: Strategy, actions: Sequence[ActionStep], rocks: Sequence[Rock]) -> Branch:
    return Branch(
        strategy,
        [a for a in actions if a.strategy_id == strategy.pk],
        [r for r in rocks if r.strategy_id == strategy.pk],
    )


def _node(
    goal: Goal,
    strategies: Sequence[Strategy],
    goals_of: dict[int, set[int]],
    branches: dict[int, Branch],
    rocks: Sequence[Rock],
) -> GoalNode:
    mine = [s.pk for s in strategies if goal.pk in goals_of.get(s.pk, set())]
    direct = [r for r in rocks if r.goal_id == goal.pk and r.strategy_id not in mine]
    return GoalNode(goal, [branches[pk] for pk in mine], direct)


def read(plan: Plan) -> Map:
    """The plan's map, read in five queries however many action steps it has."""
    goals: QuerySet[Goal] = Goal.objects.filter(assessment__cycle_id=plan.cycle_id)
    served = Strategy.goals.through.objects.filter(strategy__plan=plan).values_list(
        "strategy_id", "goal_id"
    )
    return build(
        list(goals),
        list(plan.strategies.all()),
        list(served),
        list(plan.actions.all()),
        list(plan.rocks.all()),
    )
