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
from headway.plans.document import build
from headway.plans.models import (
    ActionStep,
    Cause,
    Communication,
    Cycle,
    Evidence,
    Goal,
    NeedsAssessment,
    Plan,
    PlanVersion,
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
    method: str = "GET"
    hidden_from_viewers: bool = False  # unpublished: viewers get 404, not 403


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
    Route("plans-review", "school", READERS, _cycle),
    Route("plans-submit", "school", EDITORS, _cycle, method="POST"),
    Route("plans-decide", "school", frozenset({Role.ADMIN}), _cycle, method="POST"),
    Route("plans-version", "school", READERS, lambda f: _cycle(f, number=1)),
    Route("plans-comments", "school", READERS, lambda f: _cycle(f, section="general")),
    Route("plans-next-cycle", "school", EDITORS, _cycle, method="POST"),
    Route("plans-export-pdf", "school", READERS, _cycle),
    Route("plans-export-docx", "school", READERS, _cycle),
    Route("plans-publish", "school", EDITORS, _cycle),
    Route("plans-summary", "school", READERS, _cycle, hidden_from_viewers=True),
]
ORG_FREE = {"plans-notices"}  # a person's own notices: tested below


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
    PlanVersion.objects.create(plan=plan, number=1, content=build(plan).to_json())
    return Fixture(
        world, cycle, evidence, chain, cause, priority, goal, strategy, action, rock, communication
    )


def _url(f: Fixture, route: Route) -> str:
    org = getattr(f.world, route.org)
    return reverse(route.name, kwargs={"code": org.code, **route.kwargs(f)})


def _expected(route: Route, role: Role) -> int | tuple[int, ...]:
    if route.org == "district" and role != Role.ADMIN:
        return 404  # school roles do not reach the district
    if role in route.allowed:
        return (200, 302)
    return 404 if role == Role.VIEWER and route.hidden_from_viewers else 403


def _call(client: Client, route: Route, url: str) -> int:
    return (client.get(url) if route.method == "GET" else client.post(url)).status_code


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_members_get_what_their_role_allows(
    fixture: Fixture, client_for: Callable[..., Client], route: Route, role: Role
) -> None:
    status = _call(client_for(fixture.world.by_role[role]), route, _url(fixture, route))
    expected = _expected(route, role)
    assert status in expected if isinstance(expected, tuple) else status == expected


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_outsiders_get_404(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    assert _call(client_for(fixture.world.dave), route, _url(fixture, route)) == 404


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_network_admins_reach_member_districts(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    assert _call(client_for(fixture.world.nora), route, _url(fixture, route)) in (200, 302)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_sign_in(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    client, url = client_for(None), _url(fixture, route)
    response = client.get(url) if route.method == "GET" else client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts-login"))


def test_every_plan_view_is_in_the_matrix() -> None:
    covered = {route.name for route in ROUTES}
    names = {
        n for n in get_resolver().reverse_dict if isinstance(n, str) and n.startswith("plans-")
    }
    missing = names - covered - ORG_FREE
    assert not missing, f"add these views to ROUTES: {sorted(missing)}"


def test_notices_are_a_signed_in_persons_own(
    fixture: Fixture, client_for: Callable[..., Client]
) -> None:
    url = reverse("plans-notices")
    assert client_for(None).get(url)["Location"].startswith(reverse("accounts-login"))
    assert client_for(fixture.world.by_role[Role.VIEWER]).get(url).status_code == 200
