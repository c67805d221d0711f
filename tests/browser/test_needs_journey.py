"""A team grounds its needs assessment and SMART goals in imported data, in the browser.

sgpData_LONG is imported into the demo district (its schools added) and its findings
drafted. The district administrator starts a cycle for one of its schools, pins findings
to a question, answers it, builds a five-whys chain, rates practices, sets three priorities
and two goals whose baselines come from the data, and reads the attainability verdicts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from headway.explore import findings
from headway.orgs.demo import DISTRICT_NAME
from headway.orgs.models import Organization
from headway.plans.models import Evidence, Goal, PracticeRating, Priority, WhyChain
from tests.browser.conftest import assert_accessible, field, sign_in
from tests.explore.conftest import SGP, import_file, needs_shared

pytestmark = [pytest.mark.browser, needs_shared]

SCHOOL_CODE = "1851"  # Silk-Royal Elementary School: five years of results


@pytest.fixture
def sgp_school(demo: None) -> Organization:
    district = Organization.objects.get(kind="district", name=DISTRICT_NAME)
    import_file(district, SGP)
    findings.redraft(district)
    return district.children.get(local_id=SCHOOL_CODE)


def _to_plan(page: Page, school: Organization) -> None:
    page.get_by_label("Organization").select_option(label=school.name)
    page.get_by_role("button", name="Open").click()
    page.get_by_role("navigation", name="Improvement cycle").get_by_role(
        "link", name="Plan"
    ).click()
    page.get_by_role("link", name="Start a cycle").first.click()
    field(page, "First school year").select_option(label="2025–26")
    page.get_by_role("radio", name="Two school years").check()
    assert_accessible(page)
    page.get_by_role("button", name="Start the cycle").click()


def _pin_and_answer(page: Page) -> None:
    question = "Which groups of students are not yet succeeding?"
    page.get_by_role("link", name=re.compile(f"^Pin evidence.*{question[:40]}")).click()
    boxes = page.get_by_role("checkbox")
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert_accessible(page)
    page.get_by_role("button", name="Pin the ticked findings").click()
    page.get_by_role("link", name=re.compile(f"^Write the answer.*{question[:40]}")).click()
    page.get_by_role("textbox").first.fill("Students with disabilities trail in math.")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_text("Students with disabilities trail in math.")).to_be_visible()
    assert_accessible(page)


def _five_whys(page: Page) -> None:
    page.get_by_role("link", name="Root causes").click()
    page.get_by_role("link", name="Start a five-whys chain").click()
    field(page, "The problem").fill("Math proficiency fell for two years.")
    field(page, "1. Why does this happen?").fill("Fewer students finish the grade's units.")
    field(page, "2. And why is that?").fill("Pacing guides leave no time to reteach.")
    field(page, "3. And why is that?").fill("PLCs do not look at unit results together.")
    page.get_by_role("button", name="Save the chain").click()
    expect(page.get_by_text("PLCs do not look at unit results together.")).to_be_visible()
    assert_accessible(page)


def _rate_practices(page: Page) -> None:
    page.get_by_role("link", name="Practices").click()
    for ref, status in (("L1", "Full"), ("C1", "Limited"), ("P1", "None")):
        page.get_by_role("group", name=f"How fully is {ref} in place?").get_by_role(
            "radio", name=status, exact=True
        ).check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the ratings").click()
    expect(page.get_by_role("heading", name="Where to start")).to_be_visible()


def _priorities(page: Page) -> None:
    page.get_by_role("link", name="Priorities").click()
    titles = ("Math in grades 3–5", "Reading for English learners", "Attendance")
    for title in titles:
        field(page, "Priority").fill(title)
        page.get_by_role("checkbox", name=re.compile("Math proficiency fell")).check()
        page.get_by_role("button", name="Add the priority").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    assert_accessible(page)


def _goal(page: Page, target: str, statement: str) -> None:
    page.get_by_role("link", name="Goals").click()
    page.get_by_role("link", name=re.compile("Add a goal|Set the first goal")).first.click()
    field(page, "Goal statement").fill(statement)
    field(page, "Result").select_option(label="Proficient")
    field(page, "Subject").select_option(label="Mathematics")
    field(page, "Target").fill(target)
    field(page, "Target school year").select_option(label="2026–27")
    assert_accessible(page)
    page.get_by_role("button", name="Save the goal").click()


def test_a_team_grounds_priorities_and_goals_in_imported_data(
    page: Page, sgp_school: Organization
) -> None:
    sign_in(page, "admin@headway.example")
    _to_plan(page, sgp_school)
    _pin_and_answer(page)
    _five_whys(page)
    _rate_practices(page)
    _priorities(page)
    _goal(page, "99", "Nearly every student proficient in math by 2026–27.")
    expect(page.get_by_text("Unrealistic:").first).to_be_visible()
    _goal(page, "1", "Hold math proficiency where it is.")
    expect(page.get_by_text(re.compile("Not ambitious")).first).to_be_visible()
    assert_accessible(page)

    goal = Goal.objects.order_by("created_at").first()
    assert goal is not None and goal.baseline_year == 2024 and goal.baseline is not None
    assert Evidence.objects.count() == 2 and WhyChain.objects.count() == 1
    assert PracticeRating.objects.count() == 3 and Priority.objects.count() == 3
