"""Fixtures for the plans tests: a cycle at the fixture school, and the demo district's data."""

from __future__ import annotations

import pytest

from headway.plans.models import Cycle, NeedsAssessment
from tests.conftest import World
from tests.explore.conftest import demo_results  # noqa: F401  (shared with tests/explore)


@pytest.fixture
def cycle(world: World) -> Cycle:
    """A two-year cycle for world.school starting in 2025, with its needs assessment."""
    cycle = Cycle.objects.create(org=world.school, first_year=2025, years=2, created_by=world.alice)
    NeedsAssessment.objects.create(cycle=cycle)
    return cycle
