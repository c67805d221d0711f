"""End-to-end journeys through the demo district, one per demo person, in Chromium."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from headway.accounts.models import User
from headway.orgs.access import reachable_orgs
from headway.orgs.demo import DISTRICT_NAME, PEOPLE, logins
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    field,
    login_url,
    sign_in,
)

pytestmark = pytest.mark.browser

ADMIN = "admin@headway.example"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(login_url(None))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Headway")


def open_org(page: Page, name: str) -> None:
    """Open an organization with the header's switcher."""
    field(page, "Organization").select_option(label=name)
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


@pytest.mark.parametrize("email", [row[0] for row in PEOPLE])
def test_person_journey(page: Page, demo: None, email: str) -> None:
    _, role_label, home_org = next(row for row in logins() if row[0] == email)
    user = User.objects.get(email=email)
    reachable = [org.name for org in reachable_orgs(user)]

    sign_in(page, email, a11y=True)
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_text(f"Welcome, {user.first_name}")
    expect(page.get_by_role("region", name=role_label)).to_contain_text(home_org)
    assert_accessible(page)

    switcher = field(page, "Organization")
    expect(switcher.locator("option")).to_have_text(reachable)
    target = next((name for name in reachable if name != home_org), home_org)
    open_org(page, target)
    nav = page.get_by_role("navigation", name="Improvement cycle")
    expect(nav).to_be_visible()
    expect(nav).to_contain_text(target)
    expect(nav.get_by_role("link", name="Overview")).to_have_attribute("aria-current", "page")
    expect(switcher.locator("option:checked")).to_have_text(target)
    assert_accessible(page)

    nav.get_by_role("link", name="Learning", exact=True).click()
    expect(h1).to_have_text("Learning")
    expect(nav.get_by_role("link", name="Learning", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("heading", name="Nothing here yet")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        f"This part of the cycle is not open for {target} yet."
    )
    assert_accessible(page)

    sign_out(page)
    page.goto("/")
    expect(page).to_have_url(login_url("/"))


def test_phone_journey(page: Page, demo: None) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, ADMIN)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    open_org(page, DISTRICT_NAME)
    expect(page.get_by_role("navigation", name="Improvement cycle")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    page.get_by_role("link", name="People and roles").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("People and roles")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_admin_invites_a_new_person(
    page: Page, demo: None, live_server: LiveServer, settings: Settings
) -> None:
    settings.SITE_URL = live_server.url
    invitee = "jordan.reyes@example.org"
    sign_in(page, ADMIN)
    open_org(page, DISTRICT_NAME)
    page.get_by_role("link", name="People and roles").click()
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_text(f"People and roles at {DISTRICT_NAME}")

    field(page, "Email address").fill(invitee)
    field(page, "Role").select_option(label="Data steward")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"An invitation was sent to {invitee}.")
    pending = page.get_by_role("table", name="Invitations waiting for an answer")
    expect(pending.get_by_role("row", name=invitee)).to_contain_text("Data steward")
    assert_accessible(page)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [invitee]
    found = re.search(r"https?://\S+/accounts/invitation/\S+/", str(mail.outbox[0].body))
    assert found, mail.outbox[0].body
    link = found.group(0)
    assert link.startswith(live_server.url)

    sign_out(page)
    page.goto(link)
    expect(h1).to_have_text(f"Join {DISTRICT_NAME}")
    expect(page.get_by_role("main")).to_contain_text("You are invited as Data steward.")
    assert_accessible(page)
    field(page, "First name").fill("Jordan")
    field(page, "Last name").fill("Reyes")
    field(page, "Password").fill("a long walk by the river")
    field(page, "Password again").fill("a long walk by the river")
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(re.compile(r"/o/[0-9a-f-]{36}/$"))
    expect(h1).to_contain_text(DISTRICT_NAME)
    expect(page.get_by_role("status")).to_contain_text(
        f"Welcome! You are now Data steward at {DISTRICT_NAME}."
    )
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Jordan Reyes")
    assert User.objects.filter(email=invitee, first_name="Jordan").exists()


def test_add_school_errors_are_summarized(page: Page, demo: None) -> None:
    sign_in(page, ADMIN)
    open_org(page, DISTRICT_NAME)
    page.get_by_role("link", name="Add a school", exact=True).click()
    h1 = page.get_by_role("heading", level=1)
    expect(h1).to_have_text(f"Add a school to {DISTRICT_NAME}")

    page.get_by_role("button", name="Add school", exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please correct the following:")
    problem = summary.get_by_role("link", name="Name: This field is required.")
    expect(problem).to_have_attribute("href", "#id_name")
    assert_accessible(page)
    problem.click()
    expect(field(page, "Name")).to_be_focused()
