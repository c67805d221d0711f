"""Import pages against every role held on the district: only import rights reach them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from headway.data.models import Import, Snapshot
from headway.orgs.roles import Role
from tests.conftest import World

IMPORTERS = {Role.ADMIN, Role.DATA_STEWARD}


def _objects(world: World) -> dict[str, Any]:
    imp = Import.objects.create(
        district=world.district,
        file_name="f.csv",
        sha256="0",
        status="refused",
        report={"detail": []},
    )
    snap = Snapshot.objects.create(
        district=world.district,
        source=imp,
        kind="results",
        years=[2023],
        path="/nonexistent",
        rows=0,
        sha256="0",
    )
    return {"icode": imp.code, "scode": snap.code}


ROUTES = [
    ("data-import-new", "GET", ()),
    ("data-import-new", "POST", ()),
    ("data-import", "GET", ("icode",)),
    ("data-import-yaml", "GET", ("icode",)),
    ("data-import-mapping-download", "GET", ("icode",)),
    ("data-import-report", "GET", ("icode",)),
    ("data-import-cancel", "POST", ("icode",)),
    ("data-import-retry", "POST", ("icode",)),
    ("data-import-add-schools", "POST", ("icode",)),
    ("data-snapshot-rollback", "GET", ("scode",)),
]


def _call(client: Client, world: World, name: str, method: str, keys: tuple[str, ...]) -> int:
    objects = _objects(world)
    url = reverse(name, kwargs={"code": world.district.code, **{k: objects[k] for k in keys}})
    return (client.get(url) if method == "GET" else client.post(url, {})).status_code


@pytest.mark.parametrize(("name", "method", "keys"), ROUTES, ids=lambda v: str(v))
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_import_rights_reach_import_pages(
    world: World,
    district_people: dict[Role, Any],
    client_for: Callable[..., Client],
    name: str,
    method: str,
    keys: tuple[str, ...],
    role: Role,
) -> None:
    status = _call(client_for(district_people[role]), world, name, method, keys)
    assert status in ((200, 302, 400, 410) if role in IMPORTERS else (403,))


@pytest.mark.parametrize(("name", "method", "keys"), ROUTES, ids=lambda v: str(v))
def test_outsiders_get_404(
    world: World, client_for: Callable[..., Client], name: str, method: str, keys: tuple[str, ...]
) -> None:
    assert _call(client_for(world.dave), world, name, method, keys) == 404


def test_another_districts_import_is_not_found(
    world: World, client_for: Callable[..., Client]
) -> None:
    imp = Import.objects.create(district=world.other_district, file_name="f.csv", sha256="0")
    url = reverse("data-import", args=[world.district.code, imp.code])
    assert client_for(world.alice).get(url).status_code == 404


def test_the_data_page_is_open_to_every_member(
    world: World, district_people: dict[Role, Any], client_for: Callable[..., Client]
) -> None:
    for person in district_people.values():
        response = client_for(person).get(reverse("data-home", args=[world.district.code]))
        assert response.status_code == 200


def test_viewers_see_no_import_details(
    world: World, district_people: dict[Role, Any], client_for: Callable[..., Client]
) -> None:
    _objects(world)
    page = (
        client_for(district_people[Role.VIEWER])
        .get(reverse("data-home", args=[world.district.code]))
        .content.decode()
    )
    assert "f.csv" not in page and "Import a file" not in page


def test_every_data_view_is_in_the_matrix() -> None:
    covered = {name for name, _m, _k in ROUTES} | {"data-home"}
    names = {n for n in get_resolver().reverse_dict if isinstance(n, str) and n.startswith("data-")}
    assert names <= covered, f"add these views to ROUTES: {sorted(names - covered)}"
