from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from headway.accounts.models import User
from headway.orgs.models import Invitation, Membership
from headway.orgs.roles import Role
from tests.conftest import World


def _invite(world: World, email: str, role: Role = Role.TEAM_MEMBER) -> str:
    invitation = Invitation(email=email, org=world.school, role=role, invited_by=world.alice)
    token = invitation.issue_token()
    invitation.save()
    return reverse("accounts-invitation", args=[token])


def test_a_new_person_creates_an_account_and_gets_the_role(world: World, client: Client) -> None:
    url = _invite(world, "newbie@example.org")
    data = {
        "first_name": "Nia",
        "last_name": "Lopez",
        "password1": "sunflower meadow path",
        "password2": "sunflower meadow path",
    }
    response = client.post(url, data)
    assert response["Location"] == world.school.get_absolute_url()
    user = User.objects.get(email="newbie@example.org")
    assert Membership.objects.filter(user=user, org=world.school, role="team_member").exists()
    assert client.get(world.school.get_absolute_url()).status_code == 200
    assert client.get(url).status_code == 404, "the link works only once"


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "too short"), ("12345678901", "entirely numeric"), ("password123", "too common")],
)
def test_weak_passwords_are_refused_with_a_reason(
    world: World, client: Client, password: str, message: str
) -> None:
    url = _invite(world, "newbie@example.org")
    data = {"first_name": "N", "last_name": "L", "password1": password, "password2": password}
    response = client.post(url, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not User.objects.filter(email="newbie@example.org").exists()


def test_mismatched_passwords_are_refused(world: World, client: Client) -> None:
    url = _invite(world, "newbie@example.org")
    data = {
        "first_name": "N",
        "last_name": "L",
        "password1": "one long phrase",
        "password2": "another long phrase",
    }
    assert "The two passwords differ." in client.post(url, data).content.decode()


def test_an_existing_person_accepts_after_signing_in(
    world: World, client_for: Callable[..., Client]
) -> None:
    url = _invite(world, "dave@example.org", Role.REVIEWER)
    anonymous = client_for(None)
    assert "Sign in to accept" in anonymous.get(url).content.decode()
    client = client_for(world.dave)
    assert "Accept" in client.get(url).content.decode()
    client.post(url)
    assert Membership.objects.filter(user=world.dave, org=world.school, role="reviewer").exists()


def test_someone_else_cannot_use_the_invitation(
    world: World, client_for: Callable[..., Client]
) -> None:
    url = _invite(world, "someone@example.org")
    response = client_for(world.dave).post(url)
    assert "This invitation is for someone else" in response.content.decode()
    assert not Membership.objects.filter(user=world.dave, org=world.school).exists()


def test_expired_and_unknown_invitations_are_refused(world: World, client: Client) -> None:
    url = _invite(world, "late@example.org")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(url).status_code == 404
    bogus = client.get(reverse("accounts-invitation", args=["not-a-token"]))
    assert bogus.status_code == 404
    assert "no longer valid" in bogus.content.decode()
