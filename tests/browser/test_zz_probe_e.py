import time
import pytest
from playwright.sync_api import Page
from headway.orgs.demo import DISTRICT_NAME
from headway.orgs.models import Organization
from headway.monitor.demo import load_demo_monitor
from headway.teams.demo import load_demo_teams
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

def test_probe(page: Page, demo: None) -> None:
    t = time.time()
    district = Organization.objects.get(kind="district", name=DISTRICT_NAME)
    load_demo_teams(district)
    load_demo_monitor(district)
    print("load", time.time() - t)
    school = Organization.objects.get(name="Alder Creek Elementary")
    sign_in(page, "lead@headway.example")
    page.goto(f"/o/{school.code}/monitor/meetings/")
    open("/tmp/e/meetings.txt", "w").write(page.locator("main").inner_text())
    page.get_by_role("button", name="Start a meeting").first.click()
    open("/tmp/e/meeting.txt", "w").write(page.locator("main").inner_text())
    open("/tmp/e/meeting.html", "w").write(page.content())
    page.goto(f"/o/{school.code}/monitor/")
    open("/tmp/e/dashboard.txt", "w").write(page.url + "\n" + page.locator("main").inner_text())
    page.get_by_role("link", name="Strategy reviews").click()
    open("/tmp/e/strategies.txt", "w").write(page.url + "\n" + page.locator("main").inner_text())
    page.get_by_role("link", name="Evaluation").click()
    open("/tmp/e/evaluation.txt", "w").write(page.url + "\n" + page.locator("main").inner_text())
    page.goto("/my-work/")
    open("/tmp/e/mywork.txt", "w").write(page.url + "\n" + page.locator("main").inner_text())
    print("total", time.time() - t)
