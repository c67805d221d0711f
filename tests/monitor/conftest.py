"""Fixtures for the monitor tests: a cycle with a plan, the school's team, a weekly measure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client

from headway.monitor.models import Measure, Point
from headway.orgs.roles import Role
from headway.plans.models import Cycle, Plan
from headway.teams.models import Category, Team, TeamMember
from tests.conftest import World
from tests.plans.conftest import cycle, cycle_url, member, plan  # noqa: F401  (shared fixtures)

__all__ = ["cycle_url", "weekly"]

FIRST_MONDAY = date(2025, 9, 1)


def weekly(measure: Measure, values: list[float], start: date = FIRST_MONDAY) -> list[Point]:
    """One point a week from ``start``: the team's own measure, entered by hand."""
    return Point.objects.bulk_create(
        Point(measure=measure, on=start + timedelta(weeks=i), value=v) for i, v in enumerate(values)
    )


@pytest.fixture
def team(world: World) -> Team:
    """The school's improvement team: the team lead, a member and a contact without account."""
    team = Team.objects.create(org=world.school, name="Alder Creek School Improvement Team")
    lead = world.by_role[Role.TEAM_LEAD]
    TeamMember.objects.create(
        team=team, user=lead, name="Team Lead", email=lead.email, category=Category.COACH
    )
    mem = world.by_role[Role.TEAM_MEMBER]
    TeamMember.objects.create(
        team=team, user=mem, name="Team Member", email=mem.email, category=Category.TEACHER
    )
    TeamMember.objects.create(team=team, name="Hannah Kim", category=Category.PARAPROFESSIONAL)
    return team


@pytest.fixture
def attendance(cycle: Cycle, plan: Plan) -> Measure:  # noqa: ARG001, F811  (the plan too)
    """A weekly attendance rate (a percent, higher is better), with no points yet."""
    return Measure.objects.create(
        cycle=cycle, name="Weekly attendance rate", unit=Measure.Unit.PERCENT
    )


@pytest.fixture
def lead(world: World, client_for: Callable[..., Client]) -> Client:
    """The school's team lead: runs meetings, decides on strategies."""
    return client_for(world.by_role[Role.TEAM_LEAD])
