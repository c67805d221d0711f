"""The idle-session warning (WCAG 2.2.1): a dialog offers more time before the session ends.

The session lasts 8 seconds here; the page warns 4 seconds before the end (the warning is
capped at half the session).
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect
from pytest_django import Settings

from tests.browser.conftest import HOME_URL, assert_accessible, login_url, sign_in

pytestmark = pytest.mark.browser

SESSION_SECONDS = 8
WARNING_SECONDS = 4  # min(SESSION_WARNING_SECONDS, SESSION_SECONDS // 2)


@pytest.fixture
def short_session(settings: Settings) -> None:
    settings.SESSION_COOKIE_AGE = SESSION_SECONDS
    settings.SESSION_WARNING_SECONDS = 6


def test_staying_signed_in(page: Page, demo: None, short_session: None) -> None:
    sign_in(page, "admin@headway.example")
    signed_in_at = time.monotonic()
    body = page.locator("body")
    expect(body).to_have_attribute("data-session-seconds", str(SESSION_SECONDS))
    expect(body).to_have_attribute("data-session-warning", str(WARNING_SECONDS))

    dialog = page.get_by_role("dialog", name="Still there?")
    expect(dialog).to_be_visible(timeout=(SESSION_SECONDS - WARNING_SECONDS + 2) * 1000)
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog).to_contain_text("Less than a minute is left.")
    assert_accessible(page)

    stay.click()
    expect(dialog).to_be_hidden()
    # Wait until the original deadline has passed; the extended session is still alive.
    left = signed_in_at + SESSION_SECONDS + 1 - time.monotonic()
    if left > 0:
        page.wait_for_timeout(left * 1000)
    page.reload()
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Dana")


def test_idle_session_ends(page: Page, demo: None, short_session: None) -> None:
    sign_in(page, "admin@headway.example")
    expect(page.get_by_role("dialog", name="Still there?")).to_be_visible(
        timeout=(SESSION_SECONDS - WARNING_SECONDS + 2) * 1000
    )
    expect(page).to_have_url(login_url("/", timeout=True), timeout=(WARNING_SECONDS + 3) * 1000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Headway")
    expect(page.get_by_role("main")).to_contain_text(
        "You were signed out because nothing happened for a long time."
    )
    assert_accessible(page)
    page.goto("/")
    expect(page).to_have_url(login_url("/"))
