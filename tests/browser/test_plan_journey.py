"""A plan is written, reviewed, approved, exported and published, in the browser.

The team lead writes a strategy (the evidence rule shows itself: §1003 money for a tier-4
strategy is refused), an action step and a rock, reads the alignment map, and submits the
plan; the district administrator asks for changes; the lead changes the vision and submits
again; the administrator approves. The lead downloads the PDF and the Word file (both read
back) and publishes the summary, which a parent then reads, in English and in Spanish.
axe on each page.
"""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

from headway.orgs.models import Organization
from headway.plans.models import (
    BudgetLine,
    Cycle,
    Goal,
    NeedsAssessment,
    Plan,
    PlanVersion,
    Rock,
    Strategy,
)
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


def _submit(page: Page) -> None:
    page.get_by_role("link", name=re.compile("Review, versions and comments")).first.click()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text(re.compile("Submitted for review")).first).to_be_visible()
    assert_accessible(page)


def _decide(page: Page, cycle: Cycle, outcome: str, comment: str = "") -> None:
    page.goto(f"/o/{cycle.org.code}/plan/{cycle.code}/plan/review/")
    page.get_by_role("radio", name=outcome).check()
    if comment:
        field(page, "Comment").fill(comment)
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()


def _downloads(page: Page, tmp: Path) -> None:
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the whole plan as a PDF").click()
    pdf_path = tmp / "plan.pdf"
    pdf.value.save_as(pdf_path)
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert "Improvement plan of Alder Creek Elementary" in text and "Approved" in text
    assert "Weekly coaching cycles in grades 1 to 3" in text and "Page 1 of" in text
    with page.expect_download() as word:
        page.get_by_role("link", name=re.compile("as a Word file")).click()
    document = docx.Document(BytesIO(Path(word.value.path()).read_bytes()))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Improvement plan of Alder Creek Elementary" in body
    assert "Weekly coaching cycles in grades 1 to 3" in cells


def test_a_plan_is_reviewed_approved_exported_and_published(
    page: Page, second: Page, cycle: Cycle, tmp_path: Path
) -> None:
    sign_in(page, "lead@headway.example")
    page.goto(f"/o/{cycle.org.code}/plan/{cycle.code}/plan/")
    _strategy(page)
    page.get_by_role("link", name="The plan").click()
    _submit(page)

    sign_in(second, "admin@headway.example")
    _decide(second, cycle, "Changes requested", "Say more about families in the vision.")

    page.goto(f"/o/{cycle.org.code}/plan/{cycle.code}/plan/")
    page.get_by_role("link", name="Write or edit these").click()
    field(page, "Vision").fill("Every child reads with joy, with families as partners.")
    page.get_by_role("button", name="Save").click()
    _submit(page)
    _decide(second, cycle, "Approved")  # Alder Creek is a CSI school: the state approves too
    field(second, "Approved by").fill("Jo Park, state office of school improvement")
    field(second, "Date of the state's decision").fill("2025-08-15")
    second.get_by_role("radio", name="Approved").check()
    second.get_by_role("button", name="Record the decision").click()

    page.goto(f"/o/{cycle.org.code}/plan/{cycle.code}/plan/")
    _downloads(page, tmp_path)
    page.get_by_role("link", name="Write and publish the summary").click()
    field(page, "Summary for families").fill("We want every child to read with joy.")
    page.get_by_role("checkbox", name="Publish the summary").check()
    page.get_by_role("button", name="Save").click()

    second.context.clear_cookies()
    sign_in(second, "parent@headway.example")
    second.goto(f"/o/{cycle.org.code}/plan/")
    second.get_by_role("link", name=re.compile("summary")).click()
    expect(second.get_by_text("We want every child to read with joy.")).to_be_visible()
    assert "84,000" not in second.content()
    assert_accessible(second)
    second.get_by_label("Language").select_option(label="Español")
    second.get_by_role("button", name="Change").click()
    expect(second.locator("html")).to_have_attribute("lang", "es")
    expect(second.get_by_text("Metas SMART").first).to_be_visible()
    expect(second.get_by_text("We want every child to read with joy.")).to_be_visible()
    assert_accessible(second)

    plan = Plan.objects.get()
    assert plan.state == Plan.State.APPROVED and plan.published
    assert PlanVersion.objects.count() == 2
