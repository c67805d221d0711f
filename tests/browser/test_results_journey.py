"""Teams read their results in the browser: charts drawn, small groups protected, lists audited."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from headway.audit.models import AuditEvent
from headway.data.core.demo_files import DemoSpec
from headway.data.demo import import_demo_files
from headway.explore import cube, findings
from headway.orgs.demo import DISTRICT_NAME
from headway.orgs.models import Organization
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(demo: None) -> Organization:
    district = Organization.objects.get(kind="district", name=DISTRICT_NAME)
    import_demo_files(district, DemoSpec(years=3, first_year=2023, scale=0.3))
    cube.refresh(district)
    findings.redraft(district)
    return district


def _open_results(page: Page, org: str) -> None:
    page.get_by_label("Organization").select_option(label=org)
    page.get_by_role("button", name="Open").click()
    page.get_by_role("navigation", name="Improvement cycle").get_by_role(
        "link", name="Data"
    ).click()
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results for {org}")


def test_a_teacher_explores_results_and_lists_students(page: Page, demo_data: Organization) -> None:
    sign_in(page, "teacher@headway.example")
    _open_results(page, "Alder Creek Elementary")
    expect(page.get_by_text("Internal figures.")).to_be_visible()
    chart = page.locator("#chart-groups .chart-view svg")
    expect(chart).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Compare").select_option(label="English learners")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("row", name="English learners").first).to_be_visible()
    expect(page.locator("#chart-trend .chart-view svg")).to_be_visible()
    expect(page.locator("#chart-similar .chart-view svg")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="List English learners", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("English learners: the students")
    expect(page.get_by_text("This visit is recorded.")).to_be_visible()
    assert_accessible(page)
    assert AuditEvent.objects.filter(action="data.students_viewed").exists()


def test_a_parent_sees_only_what_may_be_published(page: Page, demo_data: Organization) -> None:
    sign_in(page, "parent@headway.example")
    _open_results(page, "Alder Creek Elementary")
    expect(page.get_by_text("Internal figures.")).to_have_count(0)
    expect(page.get_by_role("link", name="List", exact=False)).to_have_count(0)
    expect(page.locator("#chart-groups .chart-view svg")).to_be_visible()
    expect(page.get_by_text("n<10").first).to_be_visible()
    assert_accessible(page)


def test_a_team_member_pins_a_finding_on_a_phone(page: Page, demo_data: Organization) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, "member@headway.example")
    school = demo_data.children.get(local_id="0101")
    page.goto(f"/o/{school.code}/data/results/")
    first = page.locator(".finding").first
    title = first.get_by_role("heading").inner_text()
    first.get_by_role("button", name="Pin").click()
    expect(page.get_by_text("Pinned: the needs assessment will use this finding.")).to_be_visible()
    expect(page.locator(".finding-pinned").first.get_by_role("heading")).to_contain_text(title)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
