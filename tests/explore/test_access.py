"""Results pages against every role: who sees figures, student lists, findings and settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from headway.explore.models import Finding
from headway.orgs.roles import Cap, Role, capabilities
from tests.conftest import World

# name, method, what the role needs; every route answers outsiders 404
ROUTES = [
    ("explore-results", "GET", Cap.VIEW),
    ("explore-export-csv", "GET", Cap.VIEW),
    ("explore-export-xlsx", "GET", Cap.VIEW),
    ("explore-students", "GET", Cap.VIEW_STUDENTS),
    ("explore-finding", "POST", Cap.CONTRIBUTE),
    ("explore-reporting", "GET", Cap.MANAGE_ORG),
    ("explore-reporting", "POST", Cap.MANAGE_ORG),
]


def _call(client: Client, world: World, name: str, method: str) -> int:
    kwargs: dict[str, Any] = {"code": world.district.code}
    if name == "explore-finding":
        finding = Finding.objects.create(
            org=world.district, key="k", kind="largest_gap", title="t", text="x"
        )
        kwargs["fcode"] = finding.code
    url = reverse(name, kwargs=kwargs)
    data = {"action": "pin"} if name == "explore-finding" else {}
    return (client.get(url) if method == "GET" else client.post(url, data)).status_code


@pytest.mark.parametrize(("name", "method", "cap"), ROUTES, ids=lambda v: str(v))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_members_reach_what_their_role_allows(
    world: World,
    district_people: dict[Role, Any],
    client_for: Callable[..., Client],
    name: str,
    method: str,
    cap: Cap,
    role: Role,
) -> None:
    status = _call(client_for(district_people[role]), world, name, method)
    allowed = cap in capabilities([role])
    assert (status != 403) if allowed else status == 403
    assert status != 500


@pytest.mark.parametrize(("name", "method", "cap"), ROUTES, ids=lambda v: str(v))
def test_outsiders_get_404(
    world: World, client_for: Callable[..., Client], name: str, method: str, cap: Cap
) -> None:
    assert _call(client_for(world.dave), world, name, method) == 404


def test_every_results_view_is_in_the_matrix() -> None:
    covered = {name for name, _m, _c in ROUTES}
    names = {
        n for n in get_resolver().reverse_dict if isinstance(n, str) and n.startswith("explore-")
    }
    assert names <= covered, f"add these views to ROUTES: {sorted(names - covered)}"
