"""Every team and partnership view against every role, written out from the product's role table.

A school team that is not published is hidden (404) from community viewers; people who see
internal work may read it; only team leads and administrators change it; only people on the
team accept its agreements or answer its self-assessment. The partnership belongs to the
district: only people who reach the district see it, and only its administrators change it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from headway.orgs.roles import Role
from headway.teams.models import (
    AgreementSet,
    Category,
    Charter,
    CustomRule,
    Partner,
    Partnership,
    Round,
    Team,
    TeamMember,
)
from tests.conftest import World

EVERYONE = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.TEAM_LEAD})
ON_TEAM = frozenset({Role.TEAM_LEAD, Role.TEAM_MEMBER})
ADMIN_ONLY = frozenset({Role.ADMIN})


@dataclass
class Fixture:
    world: World
    team: Team
    member: TeamMember
    round: Round
    charter: Charter
    partner: Partner
    rule_code: str = ""


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    org: str  # "school" or "district"
    allowed: frozenset[Role]
    kwargs: Callable[[Fixture], dict[str, Any]] = lambda f: {}
    data: dict[str, str] = field(default_factory=dict)
    hidden_from_viewers: bool = True  # an unpublished team: viewers get 404, not 403


def _team(f: Fixture) -> dict[str, Any]:
    return {"tcode": f.team.code}


def _member(f: Fixture) -> dict[str, Any]:
    return {"tcode": f.team.code, "mcode": f.member.code}


def _round(f: Fixture) -> dict[str, Any]:
    return {"tcode": f.team.code, "rcode": f.round.code}


def _partner(f: Fixture) -> dict[str, Any]:
    return {"pcode": f.partner.code}


def _rule(f: Fixture) -> dict[str, Any]:
    return {"rcode": f.rule_code}


def _charter(f: Fixture) -> dict[str, Any]:
    return {"number": f.charter.number}


ROUTES = [
    Route("teams-home", "GET", "school", EVERYONE, hidden_from_viewers=False),
    Route("teams-create", "GET", "school", EDITORS, hidden_from_viewers=False),
    Route("teams-detail", "GET", "school", EVERYONE - {Role.VIEWER}, _team),
    Route("teams-edit", "GET", "school", EDITORS, _team),
    Route("teams-member-add", "GET", "school", EDITORS, _team),
    Route("teams-member-edit", "GET", "school", EDITORS, _member),
    Route("teams-member-remove", "GET", "school", EDITORS, _member),
    Route("teams-agreements", "GET", "school", EVERYONE - {Role.VIEWER}, _team),
    Route("teams-agreements-edit", "GET", "school", EDITORS, _team),
    Route("teams-agreements-accept", "POST", "school", ON_TEAM, _team),
    Route("teams-rounds", "GET", "school", EVERYONE - {Role.VIEWER}, _team),
    Route("teams-round", "GET", "school", EVERYONE - {Role.VIEWER}, _round),
    Route("teams-round-answer", "GET", "school", ON_TEAM, _round),
    Route("teams-round-close", "POST", "school", EDITORS, _round),
    Route("teams-rules", "GET", "district", ADMIN_ONLY),
    Route("teams-rule-remove", "GET", "district", ADMIN_ONLY, _rule),
    Route("teams-partnership", "GET", "district", ADMIN_ONLY),
    Route("teams-partner-create", "GET", "district", ADMIN_ONLY),
    Route("teams-partner-edit", "GET", "district", ADMIN_ONLY, _partner),
    Route("teams-partner-remove", "GET", "district", ADMIN_ONLY, _partner),
    Route("teams-charter-edit", "GET", "district", ADMIN_ONLY),
    Route("teams-charter", "GET", "district", ADMIN_ONLY, _charter),
    Route(
        "teams-charter-acknowledge",
        "POST",
        "district",
        ADMIN_ONLY,
        _charter,
        data={"name": "Jo Rivera", "acknowledged_on": "2026-01-05"},  # partner added per test
    ),
]


@pytest.fixture
def fixture(world: World) -> Fixture:
    team = Team.objects.create(org=world.school, name="Alder Creek SIT")
    for role in ON_TEAM:
        user = world.by_role[role]
        TeamMember.objects.create(
            team=team, user=user, name=user.first_name, category=Category.TEACHER
        )
    member = TeamMember.objects.create(team=team, name="Pat Contact", category=Category.PARENT)
    AgreementSet.objects.create(team=team, number=1, items=["We start on time."])
    round_ = Round.objects.create(team=team, title="Round one")
    partnership = Partnership.objects.create(district=world.district)
    partner = Partner.objects.create(
        partnership=partnership, kind="union", name="Riverbend Teachers", representative="Jo"
    )
    charter = Charter.objects.create(
        partnership=partnership, number=1, mission="m", vision="v", values="a", data_use="d"
    )
    rule = CustomRule.objects.create(district=world.district, title="Two teachers", minimum=2)
    return Fixture(world, team, member, round_, charter, partner, str(rule.code))


def _call(client: Client, route: Route, url: str, f: Fixture | None = None) -> int:
    if route.method == "GET":
        return client.get(url).status_code
    data = dict(route.data)
    if f is not None and "acknowledged_on" in data:
        data["partner"] = str(f.partner.pk)
    return client.post(url, data).status_code


def _url(f: Fixture, route: Route) -> str:
    org = getattr(f.world, route.org)
    return reverse(route.name, kwargs={"code": org.code, **route.kwargs(f)})


def _expected(route: Route, role: Role) -> tuple[int, ...]:
    if route.org == "district" and role != Role.ADMIN:
        return (404,)  # school roles do not reach the district
    if role in route.allowed:
        return (200, 302)
    if role == Role.VIEWER and route.hidden_from_viewers:
        return (404,)
    return (403,)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.name}")
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_members_get_what_their_role_allows(
    fixture: Fixture, client_for: Callable[..., Client], route: Route, role: Role
) -> None:
    client = client_for(fixture.world.by_role[role])
    status = _call(client, route, _url(fixture, route), fixture)
    assert status in _expected(route, role)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.name}")
def test_outsiders_get_404(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    assert _call(client_for(fixture.world.dave), route, _url(fixture, route)) == 404


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if not r.allowed <= ON_TEAM],  # only people on the team do these
    ids=lambda r: f"{r.method} {r.name}",
)
def test_network_admins_reach_member_districts(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    assert _call(client_for(fixture.world.nora), route, _url(fixture, route), fixture) in (200, 302)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.name}")
def test_anonymous_visitors_are_sent_to_sign_in(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    client = client_for(None)
    url = _url(fixture, route)
    response = client.get(url) if route.method == "GET" else client.post(url, route.data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts-login"))


def test_a_published_team_is_open_to_community_viewers(
    fixture: Fixture, client_for: Callable[..., Client]
) -> None:
    viewer = client_for(fixture.world.by_role[Role.VIEWER])
    url = reverse("teams-detail", args=[fixture.world.school.code, fixture.team.code])
    assert viewer.get(url).status_code == 404
    Team.objects.filter(pk=fixture.team.pk).update(published=True)
    assert viewer.get(url).status_code == 200
    rounds = reverse("teams-rounds", args=[fixture.world.school.code, fixture.team.code])
    assert viewer.get(rounds).status_code == 404  # the self-assessment is never published


def test_every_team_view_is_in_the_matrix() -> None:
    covered = {route.name for route in ROUTES}
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.startswith("teams-")
    }
    missing = names - covered
    assert not missing, f"add these views to ROUTES: {sorted(missing)}"
