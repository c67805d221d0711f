"""Fixtures for the browser journeys: one Chromium per session, a fresh context per test.

The journeys run against pytest-django's live server with the demo district loaded.
Browsers are never downloaded: Debian's Chromium is launched by path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from headway.orgs.demo import DEMO_PASSWORD, load_demo
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 740}
HOME_URL = re.compile(r"^https?://[^/]+/$")

AXE = Axe()
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page in a fresh browser context (own cookies), with relative URLs on the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def second(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """Another person's browser, with cookies of its own."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-US")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo district, committed so the live server's thread sees it."""
    load_demo()


def assert_accessible(page: Page) -> None:
    """No serious or critical WCAG 2.1 A/AA violation on the page as it is now."""
    results = AXE.run(page, options=AXE_OPTIONS)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {page.url}:\n" + "\n".join(map(_describe, blocking))


def _describe(violation: dict[str, Any]) -> str:
    nodes = violation["nodes"]
    targets = [" >>> ".join(map(str, node["target"])) for node in nodes[:3]]
    more = f" (+{len(nodes) - 3} more)" if len(nodes) > 3 else ""
    return (
        f"- {violation['id']} [{violation['impact']}] {violation['help']}: "
        f"{'; '.join(targets)}{more}\n  {violation['helpUrl']}"
    )


def assert_no_horizontal_scroll(page: Page) -> None:
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{page.url} scrolls sideways: {scroll}px wide in {client}px"


def field(page: Page, label: str) -> Locator:
    """The form control with exactly this label (Django adds a colon to labels)."""
    return page.get_by_label(re.compile(f"^{re.escape(label)}:?$"))


def login_url(next_path: str | None = "/", timeout: bool = False) -> re.Pattern[str]:
    """The sign-in page's URL (any host), optionally with ?next= (plain or encoded) and timeout."""
    pattern = re.escape("/accounts/login/")
    if next_path:
        plain, encoded = re.escape(next_path), re.escape(quote(next_path, safe=""))
        pattern += rf"\?next=(?:{plain}|{encoded})"
    if timeout:
        pattern += "&timeout=1" if next_path else r"\?timeout=1"
    return re.compile(pattern + "$")


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD, a11y: bool = False) -> None:
    """Sign in through the form, starting from /, and land on the home page."""
    page.goto("/")
    expect(page).to_have_url(login_url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Headway")
    if a11y:
        assert_accessible(page)
    field(page, "Email address").fill(email)
    field(page, "Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(HOME_URL)
