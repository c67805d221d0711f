"""Fixtures for the plans tests: a cycle at the fixture school, and the demo district's data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from headway.orgs.roles import Role
from headway.plans.models import Cycle, NeedsAssessment, Plan
from tests.conftest import World
from tests.explore.conftest import demo_results  # noqa: F401  (shared with tests/explore)


@pytest.fixture
def cycle(world: World) -> Cycle:
    """A two-year cycle for world.school starting in 2025, with its needs assessment."""
    cycle = Cycle.objects.create(org=world.school, first_year=2025, years=2, created_by=world.alice)
    NeedsAssessment.objects.create(cycle=cycle)
    return cycle


@pytest.fixture
def plan(cycle: Cycle) -> Plan:
    return Plan.objects.create(cycle=cycle)


@pytest.fixture
def member(world: World, client_for: Callable[..., Client]) -> Client:
    """A team member at the school: contributes to the plan, cannot start cycles."""
    return client_for(world.by_role[Role.TEAM_MEMBER])


def cycle_url(name: str, cycle: Cycle, *more: object) -> str:
    """A cycle page's address: the organization, the cycle, then any further codes."""
    return reverse(name, args=[cycle.org.code, cycle.code, *more])
