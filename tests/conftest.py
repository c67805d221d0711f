"""The fixture world: one network, two districts, a few schools and one person per role.

alice administers the Riverbend district; dave administers the other district and
must never see Riverbend. Other people hold one role each at Alder Creek.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from pytest_django.fixtures import Settings

from headway.accounts.models import User
from headway.orgs.models import Membership, Organization, SchoolYear
from headway.orgs.roles import Role

# Playwright's sync API runs an event loop; the ORM calls in browser tests are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--browser", action="store_true", help="run the browser journeys")


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--browser"):
        return
    skip = pytest.mark.skip(reason="browser journey: run with --browser")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English: a request in Spanish leaves its language active in the
    thread, and a later test in the same worker would otherwise format in Spanish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


class World:
    """Handles on the fixture world's organizations and people."""

    def __init__(self) -> None:
        self.network = Organization.objects.create(kind="network", name="Lakeshore Network")
        self.district = Organization.objects.create(kind="district", name="Riverbend", state="OH")
        self.network.members.add(self.district)
        self.school = Organization.objects.create(
            kind="school", name="Alder Creek Elementary", parent=self.district, level="elementary"
        )
        self.other_school = Organization.objects.create(
            kind="school", name="Elm Street Middle", parent=self.district, level="middle"
        )
        self.other_district = Organization.objects.create(kind="district", name="Hillcrest")
        self.outside_school = Organization.objects.create(
            kind="school", name="Hillcrest High", parent=self.other_district, level="high"
        )
        SchoolYear.objects.create(district=self.district, start_year=2024)
        self.alice = self.person("alice@example.org", Role.ADMIN, self.district)
        self.dave = self.person("dave@example.org", Role.ADMIN, self.other_district)
        self.nora = self.person("nora@example.org", Role.ADMIN, self.network)
        self.by_role: dict[Role, User] = {Role.ADMIN: self.alice}
        for role in Role:
            if role != Role.ADMIN:
                self.by_role[role] = self.person(f"{role.value}@example.org", role, self.school)

    def person(self, email: str, role: Role, org: Organization) -> User:
        user = User.objects.create_user(email, PASSWORD, first_name=email.split("@")[0].title())
        expires = date(2099, 1, 1) if role == Role.REVIEWER else None
        Membership.objects.create(user=user, org=org, role=role, expires_on=expires)
        return user


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, settings: Settings) -> Path:
    """Every test keeps its uploads and snapshots in its own temporary folder."""
    settings.DATA_DIR = tmp_path / "var"
    return tmp_path / "var"


@pytest.fixture
def world(db: None) -> World:
    return World()


@pytest.fixture
def client_for(client: Client) -> Callable[[User | None], Client]:
    """A test client signed in as the given person (or anonymous for None)."""

    def sign_in(user: User | None) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def district_people(world: World) -> dict[Role, Any]:
    """One person holding each role on the fixture district (alice is its administrator)."""
    people: dict[Role, Any] = {Role.ADMIN: world.alice}
    for role in Role:
        if role != Role.ADMIN:
            people[role] = world.person(f"district-{role.value}@example.org", role, world.district)
    return people
