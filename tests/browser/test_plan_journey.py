"""A team lead writes the plan in the browser: strategy, budget, action step, rock, alignment.

The evidence rule shows itself on the way (§1003 money for a tier-4 strategy is refused);
the completeness checklist and the alignment map follow what was written. axe on each page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from headway.orgs.models import Organization
from headway.plans.models import BudgetLine, Cycle, Goal, NeedsAssessment, Rock, Strategy
from tests.browser.conftest import assert_accessible, field, sign_in

pytestmark = pytest.mark.browser

SCHOOL = "Alder Creek Elementary"


@pytest.fixture
def cycle(demo: None) -> Cycle:
    school = Organization.objects.get(name=SCHOOL)
    cycle = Cycle.objects.create(org=school, first_year=2025, years=2)
    assessment = NeedsAssessment.objects.create(cycle=cycle)
    Goal.objects.create(
        assessment=assessment,
        statement="Two in three third graders read at grade level by spring 2027.",
        metric="proficiency_rate",
        subject="ela",
        target=0.66,
        target_year=2026,
    )
    return cycle


def _strategy(page: Page) -> None:
    page.get_by_role("link", name="Add a strategy").click()
    field(page, "Strategy").fill("Weekly coaching cycles in grades 1 to 3")
    page.get_by_role("radio", name=re.compile("^Instructional coaching")).check()
    page.get_by_role("radio", name=re.compile("^Competency")).check()
    page.get_by_role("radio", name=re.compile("^Tier 4")).check()
    page.get_by_role("checkbox", name=re.compile("Two in three third graders")).check()
    line = page.locator("#budget tbody tr").first
    line.get_by_role("textbox").nth(0).fill("Two reading coaches")
    line.get_by_role("textbox").nth(1).fill("84000")
    line.get_by_role("combobox").select_option(label="School improvement funds (§1003)")
    assert_accessible(page)
    page.get_by_role("button", name="Save the strategy").click()
    expect(page.get_by_text(re.compile("§1003 funds may pay only")).first).to_be_visible()
    page.get_by_role("radio", name=re.compile("^Tier 2")).check()
    field(page, "Evidence: the study or review behind the tier").fill("A review of coaching.")
    page.get_by_role("button", name="Save the strategy").click()
    expect(page.get_by_role("link", name="Weekly coaching cycles in grades 1 to 3")).to_be_visible()


def _action_and_rock(page: Page) -> None:
    page.get_by_role("link", name="Add an action step").click()
    field(page, "Action step").fill("Set the coaching calendar")
    field(page, "Who leads it").fill("Priya Natarajan")
    field(page, "Strategy it carries out").select_option(index=1)
    field(page, "Due date").fill("2025-09-15")
    page.get_by_role("button", name="Save the action step").click()
    expect(page.get_by_role("row", name=re.compile("Set the coaching calendar"))).to_be_visible()
    page.get_by_role("link", name="45-day rocks").click()
    page.get_by_role("link", name="Add a rock").first.click()
    field(page, "Rock").fill("Every K–3 teacher in a coaching cycle")
    field(page, "Who owns it").fill("Priya Natarajan")
    field(page, "Set on").fill("2025-09-01")
    field(page, "Due").fill("2025-10-10")
    field(page, "Milestones").fill("Schedule agreed\nFirst cycle started")
    field(page, "Strategy it serves").select_option(index=1)
    assert_accessible(page)
    page.get_by_role("button", name="Add the rock").click()
    expect(page.get_by_text("0 of 2 done")).to_be_visible()
    assert_accessible(page)


def test_a_team_lead_writes_the_plan_and_sees_it_aligned(page: Page, cycle: Cycle) -> None:
    sign_in(page, "lead@headway.example")
    page.goto(f"/o/{cycle.org.code}/plan/{cycle.code}/plan/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("plan")
    assert_accessible(page)
    _strategy(page)
    _action_and_rock(page)
    page.get_by_role("link", name="The plan").click()
    page.get_by_role(
        "link", name="See how strategies, action steps and rocks serve each goal"
    ).click()
    expect(page.get_by_text("Set the coaching calendar")).to_be_visible()
    assert_accessible(page)

    strategy = Strategy.objects.get()
    assert strategy.tier == 2 and list(strategy.goals.all()) == list(Goal.objects.all())
    assert BudgetLine.objects.get().source == BudgetLine.Source.SCHOOL_IMPROVEMENT
    assert Rock.objects.get().milestones == [
        {"text": "Schedule agreed", "done": False},
        {"text": "First cycle started", "done": False},
    ]
