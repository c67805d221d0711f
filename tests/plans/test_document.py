"""The plan as one document: what versions and exports keep, and what the public never sees."""

from __future__ import annotations

from datetime import date

import pytest

from headway.plans.document import Document, build
from headway.plans.models import ActionStep, BudgetLine, Plan, Rock, Strategy, Support


@pytest.fixture
def detailed(plan: Plan) -> Plan:
    strategy = Strategy.objects.create(
        plan=plan,
        title="Reading coaches",
        lever="coaching",
        driver="competency",
        tier=4,
        description="Two coaches work with K–3 teachers.",
        logic_model="Coaching changes daily reading lessons.",
        evaluation="Compare spring reading results of coached classes.",
    )
    BudgetLine.objects.create(
        strategy=strategy, item="Coach salaries", amount=84000, source="local"
    )
    ActionStep.objects.create(
        plan=plan,
        strategy=strategy,
        title="Hire",
        owner="Ana",
        due=date(2025, 9, 1),
        resources="Interview panel",
    )
    Rock.objects.create(
        plan=plan,
        title="Coaching cycles begin",
        owner="Ana",
        set_on=date(2025, 9, 1),
        due=date(2025, 10, 1),
        milestones=[{"text": "Calendar agreed", "done": False}],
    )
    Support.objects.create(plan=plan, commitment="A reading specialist", by_whom="Dr. Mireles")
    return plan


def test_the_team_document_keeps_every_detail_a_version_compares(detailed: Plan) -> None:
    text = "\n".join(build(detailed).texts().values())
    for detail in (
        "Two coaches work with K–3 teachers.",
        "Coaching changes daily reading lessons.",
        "Compare spring reading results",
        "Coach salaries | 84,000.00 | Local funds",
        "Interview panel",
        "Calendar agreed",
        "Dr. Mireles",
    ):
        assert detail in text


def test_the_public_document_leaves_out_budgets_owners_and_names(detailed: Plan) -> None:
    text = "\n".join(build(detailed, public=True).texts().values())
    assert "Reading coaches" in text and "A reading specialist" in text
    for private in ("84,000", "Ana", "Dr. Mireles", "Interview panel", "Calendar agreed"):
        assert private not in text


def test_a_document_survives_its_json_copy(detailed: Plan) -> None:
    document = build(detailed)
    assert Document.from_json(document.to_json()).texts() == document.texts()
