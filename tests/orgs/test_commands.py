from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from headway.accounts.models import User
from headway.data.models import Coverage
from headway.orgs.demo import DEMO_PASSWORD, PEOPLE, SCHOOLS
from headway.orgs.models import Membership, Organization, SchoolYear
from tests.conftest import World


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_demo_loads_once_and_prints_the_sign_ins() -> None:
    first = _run("load_demo")
    assert "Loaded the demo district and its team." in first
    for email, *_rest in PEOPLE:
        assert email in first
    assert Organization.objects.filter(kind="school").count() == len(SCHOOLS)
    covered = set(Coverage.objects.values_list("kind", "school_year"))
    assert covered == {
        (k, y)
        for k in ("students", "results", "attendance", "discipline", "classes")
        for y in range(2021, 2026)
    }
    assert User.objects.get(email="admin@headway.example").check_password(DEMO_PASSWORD)
    Organization.objects.filter(kind="school").update(enrollment=1)
    second = _run("load_demo")
    assert "was not loaded again" in second
    assert set(Organization.objects.filter(kind="school").values_list("enrollment", flat=True)) == {
        1
    }


@pytest.mark.django_db
def test_the_demo_has_one_person_per_role() -> None:
    _run("load_demo")
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {
        "admin",
        "data_steward",
        "team_lead",
        "team_member",
        "staff",
        "reviewer",
        "viewer",
    }


@pytest.mark.django_db
def test_organizations_are_managed_from_the_command_line() -> None:
    _run("orgs", "add-network", "North Network")
    _run("orgs", "add-district", "North District", "--state", "va", "--network", "North Network")
    _run(
        "orgs", "add-school", "North District", "North High", "--level", "high", "--grades", "09-12"
    )
    _run("orgs", "add-year", "North District", "2025")
    district = Organization.objects.get(name="North District")
    assert district.state == "VA"
    assert district.networks.get().name == "North Network"
    assert district.children.get().grades_served == "Grade 9 – Grade 12"
    assert SchoolYear.objects.get(district=district).label == "2025–26"
    assert "North High (in North District)" in _run("orgs", "list")


def test_bad_command_line_input_is_explained(world: World) -> None:
    with pytest.raises(CommandError, match="grade_high: The highest grade cannot come before"):
        _run("orgs", "add-school", "Riverbend", "Upside Down", "--grades", "12-09")
    with pytest.raises(CommandError, match="No single district is named or coded 'Nowhere'"):
        _run("orgs", "add-year", "Nowhere", "2025")
    with pytest.raises(CommandError, match="This school year already exists"):
        _run("orgs", "add-year", "Riverbend", "2024")
    with pytest.raises(CommandError, match="No account uses ghost@example.org"):
        _run("orgs", "grant", "ghost@example.org", "viewer", "Riverbend")
    assert not Organization.objects.filter(name="Upside Down").exists()


def test_roles_are_granted_from_the_command_line(world: World) -> None:
    _run("orgs", "grant", "dave@example.org", "reviewer", str(world.school.code))
    assert Membership.objects.filter(user=world.dave, org=world.school, role="reviewer").exists()
