"""The completeness checklist: every line met and not met, ESSA lines by designation, and
the facts read from the database in a fixed number of queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headway.plans import completeness
from headway.plans.completeness import Facts, GoalFacts, StrategyFacts, check, fix_url
from headway.plans.models import (
    ActionStep,
    Answer,
    BudgetLine,
    Communication,
    Cycle,
    Evidence,
    Goal,
    Inequity,
    Plan,
    Priority,
    Rock,
    Snapshot,
    Strategy,
)
from headway.teams.models import Team, TeamMember
from tests.conftest import World

TESTED = GoalFacts("proficiency_rate", "", 2024, 0.5, 2026, interim=True)
ABSENCE = GoalFacts("chronic_absence_rate", "", 2024, 0.1, 2025, interim=True)
PLC = StrategyFacts("Weekly PLC cycles", tier=2, goals=1, sources=frozenset({"sec1003"}))
COMPLETE = Facts(
    designation="csi",
    first_year=2025,
    last_year=2026,
    questions=8,
    answered=4,
    evidence_metrics=("proficiency_rate",),
    snapshots=1,
    priorities=2,
    teams=(frozenset({"principal", "teacher", "parent"}),),
    goals=(TESTED, ABSENCE),
    strategies=(PLC,),
    budget_lines=1,
    actions=3,
    actions_with_resources=1,
    learning_actions=1,
    first_due=date(2025, 9, 1),
    last_due=date(2027, 5, 1),
    rocks=2,
    communications=1,
    inequities=1,
    involvement=True,
)
KEY_PARTS = [
    "needs",
    "team",
    "data",
    "goals",
    "strategies",
    "roles",
    "timeline",
    "resources",
    "learning",
    "communication",
    "monitoring",
]


def line(facts: Facts, key: str) -> completeness.Line:
    return next(line for line in check(facts).lines if line.key == key)


def test_a_complete_plan_has_every_part_in_place_but_the_approval() -> None:
    checklist = check(COMPLETE)
    assert [line.key for line in checklist.parts] == KEY_PARTS
    missing = [line.key for line in checklist.lines if not line.met]
    assert missing == ["approval"]
    assert (checklist.met, checklist.total) == (16, 17)


def test_an_approved_csi_plan_has_every_part_in_place() -> None:
    checklist = check(replace(COMPLETE, approved=True))
    assert (checklist.met, checklist.total) == (17, 17)
    assert "the state approved it" in line(replace(COMPLETE, approved=True), "approval").reason


MISSING: list[tuple[str, dict[str, Any], str]] = [
    ("needs", {"answered": 3}, "3 of 8 guided questions answered; at least 4 needed."),
    ("needs", {"evidence_metrics": ()}, "pin at least one finding or figure"),
    ("team", {"teams": ()}, "No improvement team with members yet."),
    ("data", {"evidence_metrics": (), "snapshots": 0}, "no snapshot"),
    ("goals", {"goals": ()}, "No goals yet."),
    ("goals", {"goals": (replace(TESTED, target_year=2027),)}, "within the plan's school years"),
    ("goals", {"goals": (replace(TESTED, baseline_year=None),)}, "baseline year"),
    ("goals", {"goals": (replace(TESTED, target=None),)}, "a target"),
    ("strategies", {"strategies": ()}, "No strategies yet."),
    (
        "strategies",
        {"strategies": (PLC, StrategyFacts("Tutoring"))},
        "Not tied to a goal: Tutoring.",
    ),
    ("roles", {"actions": 0}, "No action steps yet"),
    ("timeline", {"actions": 0, "first_due": None, "last_due": None}, "No action steps"),
    ("timeline", {"last_due": date(2027, 12, 1)}, "far outside the plan's school years"),
    ("timeline", {"first_due": date(2025, 1, 10)}, "far outside the plan's school years"),
    ("timeline", {"rocks": 0}, "set 45-day rocks"),
    ("resources", {"budget_lines": 0, "actions_with_resources": 0}, "No budget lines"),
    ("learning", {"learning_actions": 0}, "marked as professional learning"),
    ("communication", {"communications": 0}, "No communication plan yet"),
    (
        "monitoring",
        {"rocks": 0, "goals": (TESTED, replace(ABSENCE, interim=False))},
        "Give every goal interim targets, or set 45-day rocks.",
    ),
    ("monitoring", {"rocks": 0, "goals": ()}, "Give every goal interim targets"),
    ("indicators", {"goals": (), "evidence_metrics": ()}, "test results, attendance or"),
    (
        "indicators",
        {"goals": (TESTED,), "evidence_metrics": ("proficiency_rate",)},
        "covers attendance or discipline yet",
    ),
    (
        "indicators",
        {"goals": (ABSENCE,), "evidence_metrics": ("suspension_rate",)},
        "covers test results yet",
    ),
    ("evidence", {"strategies": ()}, "No strategies yet."),
    ("evidence", {"strategies": (replace(PLC, tier=None),)}, "No ESSA evidence tier yet"),
    ("evidence", {"strategies": (replace(PLC, tier=4),)}, "(§1003) pay only for tiers 1 to 3"),
    ("based", {"priorities": 0}, "Name the priorities"),
    ("based", {"answered": 1}, "Complete the needs assessment first"),
    ("inequities", {"inequities": 0}, "name at least one resource inequity"),
    (
        "stakeholders",
        {"teams": (frozenset({"principal", "teacher"}), frozenset({"parent"}))},
        "a principal, a teacher and a parent",
    ),
    ("stakeholders", {"involvement": False}, "how students and families took part"),
    ("approval", {}, "the district and then the state approve it"),
]


@pytest.mark.parametrize(("key", "changes", "reason"), MISSING)
def test_each_line_says_why_it_is_not_met(key: str, changes: dict[str, Any], reason: str) -> None:
    found = line(replace(COMPLETE, **changes), key)
    assert not found.met
    assert reason in found.reason
    assert found.title


MET: list[tuple[str, dict[str, Any], str]] = [
    ("needs", {}, "4 of 8 questions answered; evidence pinned: 1."),
    ("team", {}, "The team has members speaking for 3 groups."),
    ("data", {"evidence_metrics": (), "snapshots": 1}, "snapshots taken: 1"),
    ("goals", {"goals": (TESTED, replace(ABSENCE, target=None))}, "1 of 2 goals"),
    ("goals", {"goals": (GoalFacts("", "Words per minute", None, 90, 2026),)}, "1 of 1"),
    ("strategies", {}, "1 strategy, serving the plan's goals."),
    ("roles", {}, "3 action steps, each with who leads it."),
    ("timeline", {"first_due": date(2025, 5, 15)}, "45-day rocks set: 2"),
    ("resources", {"budget_lines": 0}, "action steps naming their resources: 1"),
    ("learning", {}, "1 action step is professional learning."),
    ("communication", {}, "1 line in the communication plan."),
    ("monitoring", {}, "45-day rocks set: 2"),
    ("monitoring", {"rocks": 0}, "Every goal has interim targets"),
    ("indicators", {"goals": (TESTED,), "evidence_metrics": ("suspension_rate",)}, "cover"),
    ("evidence", {"strategies": (replace(PLC, tier=4, sources=frozenset({"local"})),)}, "tier"),
    ("based", {}, "The priorities rest on the needs assessment."),
    ("inequities", {}, "1 resource inequity named"),
    ("stakeholders", {}, "families took part"),
]


@pytest.mark.parametrize(("key", "changes", "reason"), MET)
def test_each_line_says_why_it_is_met(key: str, changes: dict[str, Any], reason: str) -> None:
    found = line(replace(COMPLETE, **changes), key)
    assert found.met
    assert reason in found.reason


@pytest.mark.parametrize(
    ("designation", "essa"),
    [
        ("none", []),
        ("tsi", ["indicators", "evidence", "stakeholders"]),
        ("atsi", ["indicators", "evidence", "inequities", "stakeholders"]),
        ("csi", ["indicators", "evidence", "based", "inequities", "stakeholders", "approval"]),
    ],
)
def test_essa_lines_appear_only_for_designated_schools(designation: str, essa: list[str]) -> None:
    checklist = check(replace(COMPLETE, designation=designation))
    assert [line.key for line in checklist.essa] == essa
    assert checklist.total == 11 + len(essa)
    assert checklist.designation == ("" if designation == "none" else designation)


def test_an_empty_plan_has_nothing_in_place() -> None:
    checklist = check(Facts())
    assert (checklist.met, checklist.total) == (0, 11)


# --- from the database ----------------------------------------------------------------------------


def test_lines_link_to_where_to_fix_them(cycle: Cycle) -> None:
    org, code = cycle.org.code, cycle.code
    assert fix_url("team", cycle) == f"/o/{org}/team/"
    assert (
        fix_url("communication", cycle) == f"/o/{org}/plan/{code}/plan/commitments/#communication"
    )
    assert fix_url("goals", cycle) == f"/o/{org}/plan/{code}/goals/"
    assert fix_url("", cycle) == ""
    for fix in completeness.PAGES:
        assert fix_url(fix, cycle).startswith(f"/o/{org}/plan/{code}/")


def build(world: World, cycle: Cycle, actions: int) -> Plan:
    """A plan with a little of everything, and ``actions`` action steps."""
    assessment = cycle.assessment
    for question in ("achievement", "groups", "similar", "trends"):
        Answer.objects.create(assessment=assessment, question=question, text="Our reading.")
    Answer.objects.create(assessment=assessment, question="causes", text="")
    Evidence.objects.create(
        assessment=assessment,
        question="achievement",
        title="Math",
        link="/",
        frozen={"metric": "chronic_absence_rate"},
    )
    Evidence.objects.create(assessment=assessment, question="groups", title="Note", link="/")
    Snapshot.objects.create(assessment=assessment, moment="beginning", school_year=2025)
    priority = Priority.objects.create(assessment=assessment, title="Math")
    goal = Goal.objects.create(
        assessment=assessment,
        priority=priority,
        statement="Math up",
        metric="proficiency_rate",
        baseline_year=2024,
        target=0.5,
        target_year=2026,
        interim={"2025": 0.45},
    )
    Goal.objects.create(assessment=assessment, statement="Draft")
    team = Team.objects.create(org=world.school, name="School improvement team")
    for name, category in (("Pat", "principal"), ("Tess", "teacher"), ("Pia", "parent")):
        TeamMember.objects.create(team=team, name=name, category=category)
    plan = Plan.objects.create(cycle=cycle, involvement="Family nights in two languages.")
    strategy = Strategy.objects.create(plan=plan, title="PLC", lever="plc", driver="competency")
    strategy.goals.add(goal)
    Strategy.objects.create(plan=plan, title="Tutoring", lever="other", driver="competency", tier=4)
    BudgetLine.objects.create(
        strategy=strategy, item="Coach", amount=Decimal(1000), source="sec1003"
    )
    for n in range(actions):
        ActionStep.objects.create(
            plan=plan,
            strategy=strategy,
            title=f"Step {n}",
            owner="Ana",
            due=date(2025, 9, 1) + timedelta(days=n),
            professional_learning=n == 0,
            resources="Substitutes" if n < 2 else "",
        )
    Rock.objects.create(
        plan=plan, title="Norms", owner="Ana", set_on=date(2025, 9, 1), due=date(2025, 10, 1)
    )
    Communication.objects.create(
        plan=plan, audience="Families", message="x", channel="Letter", when="May"
    )
    Inequity.objects.create(plan=plan, kind="teachers", evidence="x", action="y")
    return Plan.objects.select_related("cycle__org").get(pk=plan.pk)


def test_the_facts_are_read_from_the_plan(world: World, cycle: Cycle) -> None:
    world.school.designation = "csi"
    world.school.save()
    facts = completeness.gather(build(world, cycle, actions=5))
    assert facts.designation == "csi"
    assert (facts.first_year, facts.last_year) == (2025, 2026)
    assert facts.answered == 4 and facts.questions == 8
    assert sorted(facts.evidence_metrics) == ["", "chronic_absence_rate"]
    assert facts.snapshots == 1 and facts.priorities == 1
    assert facts.teams == (frozenset({"principal", "teacher", "parent"}),)
    assert len(facts.goals) == 2 and facts.goals[0].interim and not facts.goals[1].interim
    assert facts.strategies == (
        StrategyFacts("PLC", None, 1, frozenset({"sec1003"})),
        StrategyFacts("Tutoring", 4, 0, frozenset()),
    )
    assert facts.budget_lines == 1
    assert (facts.actions, facts.actions_with_resources, facts.learning_actions) == (5, 2, 1)
    assert (facts.first_due, facts.last_due) == (date(2025, 9, 1), date(2025, 9, 5))
    assert (facts.rocks, facts.communications, facts.inequities) == (1, 1, 1)
    assert facts.involvement
    checklist = check(facts)
    assert line(facts, "strategies").reason == "Not tied to a goal: Tutoring."
    assert line(facts, "indicators").met
    assert not line(facts, "evidence").met
    assert checklist.total == 17


def test_reading_the_facts_takes_the_same_few_queries_for_5_or_50_actions(
    world: World, cycle: Cycle
) -> None:
    small = build(world, cycle, actions=5)
    with CaptureQueriesContext(connection) as few:
        completeness.gather(small)
    ActionStep.objects.bulk_create(
        ActionStep(plan=small, title=f"More {n}", owner="Bo", due=date(2026, 1, 1))
        for n in range(45)
    )
    with CaptureQueriesContext(connection) as many:
        facts = completeness.gather(small)
    assert facts.actions == 50
    assert len(few) == len(many) <= 7
