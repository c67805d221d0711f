"""Pages cost the same number of queries whether a district has 2 schools or 42 (no N+1).

nora administers the network, so she reaches the network, the district and every school.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.orgs.models import Membership, Organization
from tests.conftest import World


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(world: World, schools: int) -> None:
    for n in range(schools):
        school = Organization.objects.create(
            kind="school", name=f"School {n}", parent=world.district
        )
        Membership.objects.create(user=world.nora, org=school, role="team_lead")
        world.network.members.add(school)


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("home"),
        lambda w: w.district.get_absolute_url(),
        lambda w: w.network.get_absolute_url(),
        lambda w: reverse("orgs-people", args=[w.district.code]),
        lambda w: reverse("orgs-years", args=[w.district.code]),
    ],
    ids=["home", "district", "network", "people", "years"],
)
def test_query_count_does_not_grow_with_schools(
    world: World, client_for: Callable[..., Client], url: Callable[[World], str]
) -> None:
    client = client_for(world.nora)
    before = _queries(client, url(world))
    _grow(world, 40)
    assert _queries(client, url(world)) == before
