"""Every organization view against every role: outsiders 404, read-only 403, allowed 2xx or 3xx.

The expected roles per view are written out here from the role table in the product
description, not computed from the code under test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from headway.orgs.models import Invitation, Membership
from headway.orgs.roles import Role
from headway.orgs.sections import SECTION_BY_SLUG
from tests.conftest import World

EVERYONE = frozenset(Role)
ADMIN_ONLY = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    org: str  # "school" or "district": which organization of the world the URL points at
    allowed: frozenset[Role]
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    data: dict[str, str] = field(default_factory=dict)


def _membership(world: World) -> dict[str, Any]:
    m = Membership.objects.get(user=world.by_role[Role.VIEWER])
    return {"mcode": m.code}


def _invitation(world: World) -> dict[str, Any]:
    invitation = Invitation(email="new@example.org", org=world.school, role=Role.VIEWER)
    invitation.issue_token()
    invitation.save()
    return {"icode": invitation.code}


ROUTES = [
    Route("orgs-detail", "GET", "school", EVERYONE),
    Route("orgs-edit", "GET", "school", ADMIN_ONLY),
    Route(
        "orgs-edit", "POST", "school", ADMIN_ONLY, data={"name": "Renamed", "designation": "none"}
    ),
    Route("orgs-people", "GET", "school", ADMIN_ONLY),
    Route(
        "orgs-people-invite",
        "POST",
        "school",
        ADMIN_ONLY,
        data={"email": "x@example.org", "role": "viewer"},
    ),
    Route("orgs-membership-remove", "GET", "school", ADMIN_ONLY, _membership),
    Route("orgs-membership-remove", "POST", "school", ADMIN_ONLY, _membership),
    Route("orgs-invitation-revoke", "POST", "school", ADMIN_ONLY, _invitation),
    Route("orgs-school-create", "GET", "district", ADMIN_ONLY),
    Route(
        "orgs-school-create",
        "POST",
        "district",
        ADMIN_ONLY,
        data={"name": "New School", "designation": "none"},
    ),
    Route("orgs-years", "GET", "district", ADMIN_ONLY),
    Route("orgs-year-create", "POST", "district", ADMIN_ONLY, data={"start_year": "2025"}),
    Route("orgs-year-delete", "GET", "district", ADMIN_ONLY, lambda w: {"start_year": 2024}),
    Route("orgs-year-delete", "POST", "district", ADMIN_ONLY, lambda w: {"start_year": 2024}),
    *[Route(s.url, "GET", "school", EVERYONE) for s in SECTION_BY_SLUG.values() if not s.url_name],
]


def _url(world: World, route: Route) -> str:
    org = getattr(world, route.org)
    return reverse(route.name, kwargs={"code": org.code, **route.kwargs(world)})


def _call(client: Client, route: Route, url: str) -> int:
    if route.method == "GET":
        return client.get(url).status_code
    return client.post(url, route.data).status_code


def _reaches(world: World, role: Role, route: Route) -> bool:
    # Admin (alice) holds the district; every other role is held at the school only.
    return role == Role.ADMIN or route.org == "school"


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.name}")
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_members_get_what_their_role_allows(
    world: World, client_for: Callable[..., Client], route: Route, role: Role
) -> None:
    status = _call(client_for(world.by_role[role]), route, _url(world, route))
    if not _reaches(world, role, route):
        assert status == 404
    elif role in route.allowed:
        assert status in (200, 302)
    else:
        assert status == 403


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.name}")
def test_outsiders_get_404(world: World, client_for: Callable[..., Client], route: Route) -> None:
    assert _call(client_for(world.dave), route, _url(world, route)) == 404


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.name}")
def test_network_admins_reach_member_districts(
    world: World, client_for: Callable[..., Client], route: Route
) -> None:
    assert _call(client_for(world.nora), route, _url(world, route)) in (200, 302)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.name}")
def test_anonymous_visitors_are_sent_to_sign_in(
    world: World, client_for: Callable[..., Client], route: Route
) -> None:
    client = client_for(None)
    url = _url(world, route)
    response = client.get(url) if route.method == "GET" else client.post(url, route.data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts-login"))


def test_expired_roles_grant_nothing(world: World, client_for: Callable[..., Client]) -> None:
    reviewer = world.by_role[Role.REVIEWER]
    Membership.objects.filter(user=reviewer).update(expires_on="2020-01-01")
    url = reverse("orgs-detail", args=[world.school.code])
    assert client_for(reviewer).get(url).status_code == 404


def test_every_organization_view_is_in_the_matrix() -> None:
    covered = {route.name for route in ROUTES}
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.startswith("orgs-") and name != "orgs-switch"
    }
    assert names <= covered, f"add these views to ROUTES: {sorted(names - covered)}"
