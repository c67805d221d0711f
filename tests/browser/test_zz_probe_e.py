import pytest
from playwright.sync_api import Page
from headway.orgs.models import Organization
from tests.browser.test_monitor_journey import school, _open_monitor  # noqa
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

def test_probe(page: Page, school: Organization) -> None:
    sign_in(page, "lead@headway.example")
    _open_monitor(page)
    page.get_by_role("link", name="Weekly attendance rate").click()
    page.get_by_role("radio", name="IHI rules (shift, trend)").check()
    page.get_by_role("button", name="Read the chart this way").click()
    open("/tmp/e/ihi.txt", "w").write(page.locator("main").inner_text())
