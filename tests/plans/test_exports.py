"""The plan as a PDF and as a Word file: their content read back, access and the audit trail."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import docx
import pytest
from django.test import Client

from headway.audit.models import AuditEvent
from headway.orgs.roles import Role
from headway.plans import exports
from headway.plans.document import Document, Section, Table
from headway.plans.models import (
    ActionStep,
    BudgetLine,
    Communication,
    Goal,
    Plan,
    Rock,
    Strategy,
)
from tests.conftest import World
from tests.plans.conftest import cycle_url as url

SignIn = Callable[..., Client]
DUE = date(2025, 10, 1)
GOAL = "Math proficiency rises to 50% by spring 2027"
STRATEGY = "Weekly PLC cycles on student work"


def fill(plan: Plan) -> Plan:
    """A small complete plan: a goal, a strategy with a budget, action steps, a rock."""
    plan.vision = "Every child reads and reasons with confidence."
    plan.save()
    goal = Goal.objects.create(assessment=plan.cycle.assessment, statement=GOAL)
    plc = Strategy.objects.create(plan=plan, title=STRATEGY, lever="plc", driver="competency")
    plc.goals.add(goal)
    BudgetLine.objects.create(strategy=plc, item="Coach", amount=Decimal("1750.50"))
    for n in range(3):
        ActionStep.objects.create(
            plan=plan, strategy=plc, title=f"PLC step {n}", owner="Ana Quintero", due=DUE
        )
    Rock.objects.create(
        plan=plan, title="Data wall up", owner="Cyrus Lindqvist", set_on=DUE, due=DUE
    )
    Communication.objects.create(
        plan=plan, audience="Families", message="Our goals", channel="Newsletter", when="October"
    )
    return plan


@pytest.fixture
def full_plan(plan: Plan) -> Plan:
    return fill(plan)


@pytest.fixture
def lead(world: World, client_for: SignIn) -> Client:
    return client_for(world.by_role[Role.TEAM_LEAD])


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "plan.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())  # lines wrap where the page is narrow


def test_the_pdf_reads_as_the_whole_plan_with_page_numbers(
    full_plan: Plan, lead: Client, tmp_path: Path
) -> None:
    response = lead.get(url("plans-export-pdf", full_plan.cycle))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="plan-alder-creek-elementary-2025-27.pdf"'
    text = pdf_text(response.content, tmp_path)
    assert "Improvement plan of Alder Creek Elementary" in text
    assert "2025–26 to 2026–27" in text and "Generated on" in text
    assert STRATEGY in text and GOAL in text and "PLC step 2" in text
    assert "Every child reads" in text and "1,750.50" in text
    assert "Page 1 of 2" in text
    info = subprocess.run(["pdfinfo", str(tmp_path / "plan.pdf")], capture_output=True, check=True)
    assert (
        "Tagged:          yes" in info.stdout.decode()
    )  # headings and tables are tagged  # the goals, strategies and steps need two
    event = AuditEvent.objects.get(action="plan.exported")
    assert event.detail == {"format": "pdf"} and event.org == full_plan.cycle.org


def test_the_word_file_has_headings_and_tables_with_repeating_header_rows(
    full_plan: Plan, lead: Client
) -> None:
    response = lead.get(url("plans-export-docx", full_plan.cycle))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        'filename="plan-alder-creek-elementary-2025-27.docx"'
    )
    word = docx.Document(BytesIO(response.content))
    styles = {p.text: p.style.name for p in word.paragraphs if p.style is not None}
    assert styles["Improvement plan of Alder Creek Elementary"] == "Title"
    assert styles["Strategies"] == styles["Action steps and timeline"] == "Heading 1"
    assert styles["SMART goals"] == "Heading 2" and styles["Communication plan"] == "Heading 2"
    strategies = next(t for t in word.tables if t.rows[0].cells[0].text == "Strategy")
    header = strategies.rows[0]
    assert [c.text for c in header.cells][-1] == "Budget"
    assert header._tr.xpath("./w:trPr/w:tblHeader/@w:val") == ["true"]  # repeats on each page
    assert strategies.rows[1].cells[0].text == STRATEGY
    assert strategies.rows[1].cells[-1].text == "1,750.50"
    event = AuditEvent.objects.get(action="plan.exported")
    assert event.detail == {"format": "docx"} and event.object_id == str(full_plan.pk)


@pytest.mark.parametrize("name", ["plans-export-pdf", "plans-export-docx"])
def test_community_viewers_cannot_export_the_whole_plan(
    world: World, plan: Plan, client_for: SignIn, name: str
) -> None:
    response = client_for(world.by_role[Role.VIEWER]).get(url(name, plan.cycle))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="plan.exported").exists()


def test_outsiders_do_not_learn_the_plan_exists(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    response = client_for(world.dave).get(url("plans-export-docx", plan.cycle))
    assert response.status_code == 404


def test_the_plan_page_links_to_the_exports(full_plan: Plan, lead: Client) -> None:
    page = lead.get(url("plans-plan", full_plan.cycle)).content.decode()
    assert url("plans-export-pdf", full_plan.cycle) in page
    assert url("plans-export-docx", full_plan.cycle) in page
    assert url("plans-publish", full_plan.cycle) in page and "Not published yet" in page


def test_an_empty_word_file_still_opens() -> None:
    content = exports.docx_bytes(Document("A plan", "2025–26", []), date(2025, 9, 1))
    word = docx.Document(BytesIO(content))
    assert [p.text for p in word.paragraphs][:3] == [
        "A plan",
        "2025–26",
        "Generated on Sept. 1, 2025.",
    ]
    assert word.core_properties.title == "A plan"


def test_the_page_counter_is_a_safe_css_string() -> None:
    assert exports.page_counter_css() == '"Page " counter(page) " of " counter(pages) ""'


def test_the_pdf_never_fetches_an_address() -> None:
    with pytest.raises(ValueError, match="disabled"):
        exports._NoFetching().fetch("http://example.org/tracker.png")


def test_a_table_caption_equal_to_its_section_is_not_repeated() -> None:
    table = Table("Strategies", ["Strategy"], [["Tutoring"]])
    content = exports.docx_bytes(Document("A plan", "", [Section("s", "Strategies", [], [table])]))
    texts = [p.text for p in docx.Document(BytesIO(content)).paragraphs]
    assert texts.count("Strategies") == 1
