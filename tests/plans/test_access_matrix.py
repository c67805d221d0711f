"""Every plan view against every role, written out from the product's role table.

The needs assessment is the team's work in progress: people who see internal work read it
(community viewers get 403), people who contribute to the plan change it, and team leads and
administrators start cycles. Indicator sets belong to the district.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from headway.orgs.roles import Role
from headway.plans.models import (
    ActionStep,
    Cause,
    Communication,
    Cycle,
    Evidence,
    Goal,
    NeedsAssessment,
    Plan,
    Priority,
    Rock,
    Strategy,
    WhyChain,
)
from tests.conftest import World

EVERYONE = frozenset(Role)
READERS = EVERYONE - {Role.VIEWER}
CONTRIBUTORS = frozenset({Role.ADMIN, Role.TEAM_LEAD, Role.TEAM_MEMBER, Role.STAFF})
EDITORS = frozenset({Role.ADMIN, Role.TEAM_LEAD})


@dataclass
class Fixture:
    world: World
    cycle: Cycle
    evidence: Evidence
    chain: WhyChain
    cause: Cause
    priority: Priority
    goal: Goal
    strategy: Strategy
    action: ActionStep
    rock: Rock
    communication: Communication


@dataclass(frozen=True)
class Route:
    name: str
    org: str  # "school" or "district"
    allowed: frozenset[Role]
    kwargs: Callable[[Fixture], dict[str, Any]] = lambda f: {}


def _cycle(f: Fixture, **more: Any) -> dict[str, Any]:
    return {"ccode": f.cycle.code, **more}


ROUTES = [
    Route("plans-home", "school", EVERYONE),
    Route("plans-cycle-create", "school", EDITORS),
    Route("plans-indicators", "district", frozenset({Role.ADMIN})),
    Route("plans-assessment", "school", READERS, _cycle),
    Route("plans-answer", "school", CONTRIBUTORS, lambda f: _cycle(f, question="achievement")),
    Route("plans-pin", "school", CONTRIBUTORS, lambda f: _cycle(f, question="achievement")),
    Route(
        "plans-evidence-remove", "school", CONTRIBUTORS, lambda f: _cycle(f, ecode=f.evidence.code)
    ),
    Route("plans-snapshots", "school", READERS, _cycle),
    Route("plans-causes", "school", READERS, _cycle),
    Route("plans-why-create", "school", CONTRIBUTORS, _cycle),
    Route("plans-why-edit", "school", CONTRIBUTORS, lambda f: _cycle(f, wcode=f.chain.code)),
    Route("plans-why-remove", "school", CONTRIBUTORS, lambda f: _cycle(f, wcode=f.chain.code)),
    Route("plans-cause-remove", "school", CONTRIBUTORS, lambda f: _cycle(f, kcode=f.cause.code)),
    Route("plans-practices", "school", READERS, _cycle),
    Route("plans-priorities", "school", READERS, _cycle),
    Route(
        "plans-priority-edit", "school", CONTRIBUTORS, lambda f: _cycle(f, pcode=f.priority.code)
    ),
    Route(
        "plans-priority-remove", "school", CONTRIBUTORS, lambda f: _cycle(f, pcode=f.priority.code)
    ),
    Route("plans-goals", "school", READERS, _cycle),
    Route("plans-goal-create", "school", CONTRIBUTORS, _cycle),
    Route("plans-goal-edit", "school", CONTRIBUTORS, lambda f: _cycle(f, gcode=f.goal.code)),
    Route("plans-goal-remove", "school", CONTRIBUTORS, lambda f: _cycle(f, gcode=f.goal.code)),
    Route("plans-plan", "school", READERS, _cycle),
    Route("plans-plan-edit", "school", CONTRIBUTORS, _cycle),
    Route("plans-alignment", "school", READERS, _cycle),
    Route("plans-commitments", "school", READERS, _cycle),
    Route(
        "plans-commitment-remove",
        "school",
        CONTRIBUTORS,
        lambda f: _cycle(f, kind="communication", icode=f.communication.code),
    ),
    Route("plans-strategy-create", "school", CONTRIBUTORS, _cycle),
    Route(
        "plans-strategy-edit", "school", CONTRIBUTORS, lambda f: _cycle(f, scode=f.strategy.code)
    ),
    Route(
        "plans-strategy-remove", "school", CONTRIBUTORS, lambda f: _cycle(f, scode=f.strategy.code)
    ),
    Route("plans-action-create", "school", CONTRIBUTORS, _cycle),
    Route("plans-action-edit", "school", CONTRIBUTORS, lambda f: _cycle(f, acode=f.action.code)),
    Route("plans-action-remove", "school", CONTRIBUTORS, lambda f: _cycle(f, acode=f.action.code)),
    Route("plans-rocks", "school", READERS, _cycle),
    Route("plans-rock-create", "school", CONTRIBUTORS, _cycle),
    Route("plans-rock-edit", "school", CONTRIBUTORS, lambda f: _cycle(f, rcode=f.rock.code)),
    Route("plans-rock-remove", "school", CONTRIBUTORS, lambda f: _cycle(f, rcode=f.rock.code)),
]


@pytest.fixture
def fixture(world: World) -> Fixture:
    cycle = Cycle.objects.create(org=world.school, first_year=2025, years=2)
    assessment = NeedsAssessment.objects.create(cycle=cycle)
    evidence = Evidence.objects.create(
        assessment=assessment, question="achievement", title="Math", link="/"
    )
    chain = WhyChain.objects.create(assessment=assessment, problem="Low math", whys=["Time"])
    cause = Cause.objects.create(assessment=assessment, category="instruction", text="Pacing")
    priority = Priority.objects.create(assessment=assessment, title="Math in grades 3–5")
    goal = Goal.objects.create(
        assessment=assessment, statement="More proficient readers", metric="proficiency_rate"
    )
    plan = Plan.objects.create(cycle=cycle)
    strategy = Strategy.objects.create(
        plan=plan, title="Weekly PLC cycles", lever="plc", driver="competency"
    )
    action = ActionStep.objects.create(
        plan=plan, strategy=strategy, title="Schedule PLCs", owner="Ana", due=date(2025, 9, 1)
    )
    rock = Rock.objects.create(
        plan=plan, title="PLC norms", owner="Ana", set_on=date(2025, 9, 1), due=date(2025, 10, 1)
    )
    communication = Communication.objects.create(
        plan=plan, audience="Families", message="The plan", channel="Newsletter", when="October"
    )
    return Fixture(
        world, cycle, evidence, chain, cause, priority, goal, strategy, action, rock, communication
    )


def _url(f: Fixture, route: Route) -> str:
    org = getattr(f.world, route.org)
    return reverse(route.name, kwargs={"code": org.code, **route.kwargs(f)})


def _expected(route: Route, role: Role) -> int | tuple[int, ...]:
    if route.org == "district" and role != Role.ADMIN:
        return 404  # school roles do not reach the district
    return (200, 302) if role in route.allowed else 403


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_members_get_what_their_role_allows(
    fixture: Fixture, client_for: Callable[..., Client], route: Route, role: Role
) -> None:
    status = client_for(fixture.world.by_role[role]).get(_url(fixture, route)).status_code
    expected = _expected(route, role)
    assert status in expected if isinstance(expected, tuple) else status == expected


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_outsiders_get_404(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    assert client_for(fixture.world.dave).get(_url(fixture, route)).status_code == 404


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_network_admins_reach_member_districts(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    assert client_for(fixture.world.nora).get(_url(fixture, route)).status_code in (200, 302)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_sign_in(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    response = client_for(None).get(_url(fixture, route))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts-login"))


def test_every_plan_view_is_in_the_matrix() -> None:
    covered = {route.name for route in ROUTES}
    names = {
        n for n in get_resolver().reverse_dict if isinstance(n, str) and n.startswith("plans-")
    }
    assert not names - covered, f"add these views to ROUTES: {sorted(names - covered)}"
