from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from headway.audit.models import AuditEvent
from tests.conftest import PASSWORD, World


def test_it_signs_in_with_email_and_password(world: World, client: Client) -> None:
    response = client.post(
        reverse("accounts-login"), {"username": "alice@example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("home")
    assert AuditEvent.objects.filter(action="auth.login", actor=world.alice).exists()


def test_a_wrong_password_is_refused_and_audited(world: World, client: Client) -> None:
    response = client.post(
        reverse("accounts-login"), {"username": "alice@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.detail == {"email": "alice@example.org"} and event.outcome == "denied"


def test_signing_out_needs_a_post_and_ends_the_session(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.alice)
    assert client.get(reverse("accounts-logout")).status_code == 405
    client.post(reverse("accounts-logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_mails_a_working_link(world: World, client: Client) -> None:
    client.post(reverse("accounts-password-reset"), {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_url = client.get(path)["Location"]
    new = "a brand new passphrase"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts-password-reset-done")
    assert client.login(username="alice@example.org", password=new)


def test_password_reset_does_not_reveal_unknown_addresses(world: World, client: Client) -> None:
    response = client.post(reverse("accounts-password-reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts-password-reset-sent")
    assert mail.outbox == []


def test_sessions_end_after_idle_hours_and_can_be_extended(
    world: World, client_for: Callable[..., Client]
) -> None:
    assert settings.SESSION_COOKIE_AGE == 8 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    client = client_for(world.alice)
    response = client.post(reverse("accounts-session-extend"))
    assert response.json() == {"signed_in": True, "expires_in": 8 * 3600}
    page = client.get(reverse("home")).content.decode()
    assert 'data-session-seconds="28800"' in page and 'id="session-dialog"' in page


def test_extending_an_ended_session_says_so(client: Client) -> None:
    response = client.post(reverse("accounts-session-extend"))
    assert response.status_code == 401 and response.json() == {"signed_in": False}
