"""The plan page, its narrative, and its communication, support and inequity lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.audit.models import AuditEvent
from headway.orgs.roles import Role
from headway.plans.models import (
    ActionStep,
    BudgetLine,
    Communication,
    Cycle,
    Goal,
    Inequity,
    Plan,
    Priority,
    Rock,
    Strategy,
    Support,
)
from tests.conftest import World
from tests.plans.conftest import cycle_url as url

SignIn = Callable[..., Client]
DUE = date(2025, 10, 1)


@pytest.fixture
def lead(world: World, client_for: SignIn) -> Client:
    return client_for(world.by_role[Role.TEAM_LEAD])


def fill(plan: Plan, actions: int = 2) -> Strategy:
    assessment = plan.cycle.assessment
    priority = Priority.objects.create(assessment=assessment, title="Math in grades 3 to 5")
    goal = Goal.objects.create(
        assessment=assessment, priority=priority, statement="Math proficiency rises to 50%"
    )
    Goal.objects.create(assessment=assessment, statement="Fewer chronic absences")
    plc = Strategy.objects.create(
        plan=plan, title="Weekly PLC cycles", lever="plc", driver="competency", tier=2
    )
    plc.goals.add(goal)
    BudgetLine.objects.create(strategy=plc, item="Coach", amount=Decimal(1500), source="title_i")
    BudgetLine.objects.create(strategy=plc, item="Subs", amount=Decimal("250.50"), source="local")
    Strategy.objects.create(plan=plan, title="Robotics club", lever="other", driver="leadership")
    for n in range(actions):
        ActionStep.objects.create(
            plan=plan,
            strategy=plc,
            title=f"PLC step {n}",
            owner="Ana",
            due=DUE,
            professional_learning=n == 0,
        )
    ActionStep.objects.create(plan=plan, title="Family math night", owner="Bo", due=DUE)
    for status in ("on_track", "on_track", "off_track", "done"):
        Rock.objects.create(
            plan=plan, title=f"Rock {status}", owner="Cy", set_on=DUE, due=DUE, status=status
        )
    Communication.objects.create(
        plan=plan, audience="Families", message="Our goals", channel="Newsletter", when="October"
    )
    Support.objects.create(plan=plan, commitment="A math coach", by_whom="Curriculum office")
    Inequity.objects.create(plan=plan, kind="teachers", evidence="New staff", action="Mentors")
    return plc


# --- the overview -------------------------------------------------------------------------------


def test_an_empty_plan_shows_what_to_write_and_the_checklist(cycle: Cycle, lead: Client) -> None:
    html = lead.get(url("plans-plan", cycle)).content.decode()
    assert html.count("Not written yet.") == 7  # four narratives, three commitment lists
    assert "No priorities or goals yet." in html
    assert "No strategies yet." in html and "No action steps yet." in html
    assert "No rocks yet." in html
    assert "0 of 11 parts in place" in html
    assert "What ESSA asks" not in html
    assert url("plans-strategy-create", cycle) in html and "Add a strategy" in html
    assert url("plans-action-create", cycle) in html and "Add an action step" in html
    assert Plan.objects.filter(cycle=cycle).exists()


def test_the_plan_shows_its_parts(cycle: Cycle, plan: Plan, lead: Client) -> None:
    plc = fill(plan)
    plan.vision = "Every child reads by grade 3."
    plan.save()
    html = lead.get(url("plans-plan", cycle)).content.decode()
    assert "Every child reads by grade 3." in html and html.count("Not written yet.") == 3
    assert "Math in grades 3 to 5" in html and "Math proficiency rises to 50%" in html
    assert "Goals not tied to a priority" in html and "Fewer chronic absences" in html
    assert url("plans-strategy-edit", cycle, plc.code) in html
    assert "Professional learning communities" in html and "Tier 2" in html
    assert "$1,750.50" in html
    assert "Serves no goal" in html and "No tier yet" in html
    assert "PLC step 1" in html and "Family math night" in html and "No strategy" in html
    assert "2 rocks on track" in html and "1 rock off track" in html and "1 rock done" in html
    assert "Families: by Newsletter, October" in html
    assert "A math coach" in html and "Mentors" in html


def test_the_checklist_links_to_where_to_fix_each_part(
    cycle: Cycle, plan: Plan, lead: Client
) -> None:
    fill(plan)
    html = lead.get(url("plans-plan", cycle)).content.decode()
    assert "Not tied to a goal: Robotics club." in html
    assert f"{url('plans-alignment', cycle)}#unaligned" in html
    assert reverse("teams-home", args=[cycle.org.code]) in html
    assert "Work on it" in html and "In place" in html and "Not yet" in html


def test_a_csi_school_sees_what_essa_asks(world: World, cycle: Cycle, lead: Client) -> None:
    world.school.designation = "csi"
    world.school.save()
    html = lead.get(url("plans-plan", cycle)).content.decode()
    assert (
        "What ESSA asks of the plan (the school's designation: Comprehensive support (CSI))" in html
    )
    assert "Resource inequities identified" in html
    assert "the district and then the state approve it" in html
    assert "0 of 17 parts in place" in html


def test_the_plan_page_takes_as_many_queries_for_50_actions_as_for_5(
    cycle: Cycle, plan: Plan, lead: Client
) -> None:
    fill(plan, actions=5)
    lead.get(url("plans-plan", cycle))
    with CaptureQueriesContext(connection) as few:
        lead.get(url("plans-plan", cycle))
    ActionStep.objects.bulk_create(
        ActionStep(plan=plan, title=f"More {n}", owner="Bo", due=DUE) for n in range(45)
    )
    with CaptureQueriesContext(connection) as many:
        html = lead.get(url("plans-plan", cycle)).content.decode()
    assert "More 44" in html
    assert len(few) == len(many)


def test_a_reviewer_reads_the_plan_but_may_not_change_it(
    world: World, cycle: Cycle, plan: Plan, client_for: SignIn
) -> None:
    plc = fill(plan)
    client = client_for(world.by_role[Role.REVIEWER])
    html = client.get(url("plans-plan", cycle)).content.decode()
    assert "Weekly PLC cycles" in html
    assert "Add a strategy" not in html and url("plans-strategy-edit", cycle, plc.code) not in html
    assert url("plans-plan-edit", cycle) not in html
    assert client.get(url("plans-plan-edit", cycle)).status_code == 403
    assert (
        client.post(url("plans-plan-edit", cycle), {"vision": "x", "revision": 1}).status_code
        == 403
    )


def test_community_viewers_and_outsiders_may_not_read_the_plan(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    assert client_for(world.by_role[Role.VIEWER]).get(url("plans-plan", cycle)).status_code == 403
    assert client_for(world.dave).get(url("plans-plan", cycle)).status_code == 404


# --- the narrative ------------------------------------------------------------------------------

STORY = {
    "vision": "Every child reads by grade 3.",
    "theory_of_action": "If teachers meet weekly, then instruction improves.",
    "assets": "Strong family ties.",
    "involvement": "Two family nights, in English and Spanish.",
}


def test_the_narrative_is_written(cycle: Cycle, plan: Plan, lead: Client) -> None:
    response = lead.post(url("plans-plan-edit", cycle), {**STORY, "revision": 1}, follow=True)
    html = response.content.decode()
    plan.refresh_from_db()
    assert plan.vision == STORY["vision"] and plan.involvement == STORY["involvement"]
    assert plan.revision == 2
    assert all(text in html for text in STORY.values())
    assert AuditEvent.objects.filter(action="plan.updated").exists()


def test_concurrent_edits_of_the_narrative_show_the_conflict(
    cycle: Cycle, plan: Plan, lead: Client
) -> None:
    edit = url("plans-plan-edit", cycle)
    lead.post(edit, {**STORY, "revision": 1})
    response = lead.post(edit, {**STORY, "vision": "Every child thrives.", "revision": 1})
    html = response.content.decode()
    assert "Someone else saved first" in html
    assert "Every child reads by grade 3." in html and "Every child thrives." in html
    plan.refresh_from_db()
    assert plan.vision == STORY["vision"]
    assert 'name="revision" value="2"' in html
    lead.post(edit, {**STORY, "vision": "Every child thrives.", "revision": 2})
    plan.refresh_from_db()
    assert plan.vision == "Every child thrives."


# --- communication, district support, resource inequities ---------------------------------------

Line = type[Communication] | type[Support] | type[Inequity]
ADDS: dict[str, tuple[dict[str, str], Line, str]] = {
    "communication": (
        {"audience": "Families", "message": "Our goals", "channel": "Letter", "when": "May"},
        Communication,
        "The line was added to the communication plan.",
    ),
    "support": (
        {"commitment": "A math coach", "by_whom": "Curriculum office", "when": ""},
        Support,
        "The district&#x27;s commitment was added.",
    ),
    "inequity": (
        {"kind": "courses", "evidence": "No algebra in grade 8", "action": "Online algebra"},
        Inequity,
        "The resource inequity was added.",
    ),
}


@pytest.mark.parametrize("kind", list(ADDS))
def test_a_line_is_added_to_each_list(cycle: Cycle, plan: Plan, lead: Client, kind: str) -> None:
    values, model, message = ADDS[kind]
    data = {"kind": kind, **{f"{kind}-{name}": value for name, value in values.items()}}
    response = lead.post(url("plans-commitments", cycle), data, follow=True)
    html = response.content.decode()
    assert message in html
    item = model.objects.get()
    assert item.plan == plan
    assert AuditEvent.objects.filter(action=f"plan.{kind}_added").exists()
    anchor = {"communication": "communication", "support": "support", "inequity": "inequities"}
    assert response.redirect_chain[-1][0].endswith(f"#{anchor[kind]}")


REQUIRED = {
    "communication": "Who hears it: Say who hears it.",
    "support": "What the district will do: Say what the district will do.",
    "inequity": "Kind of inequity: Choose the kind of inequity.",
}


@pytest.mark.parametrize("kind", list(ADDS))
def test_a_missing_field_is_named_on_the_right_form(
    cycle: Cycle, plan: Plan, lead: Client, kind: str
) -> None:
    values, model, _message = ADDS[kind]
    first = next(iter(values))
    data = {"kind": kind, **{f"{kind}-{name}": value for name, value in values.items()}}
    data[f"{kind}-{first}"] = ""
    html = lead.post(url("plans-commitments", cycle), data).content.decode()
    assert REQUIRED[kind] in html
    assert html.count('class="error-summary"') == 1
    section = html.split(f'<input type="hidden" name="kind" value="{kind}">')[1].split("</form>")[0]
    assert "error-summary" in section
    assert not model.objects.exists()


def test_an_unknown_list_is_not_found(cycle: Cycle, plan: Plan, lead: Client) -> None:
    assert lead.post(url("plans-commitments", cycle), {"kind": "wishes"}).status_code == 404


def test_a_designated_school_is_told_inequities_are_required(
    world: World, cycle: Cycle, lead: Client
) -> None:
    html = lead.get(url("plans-commitments", cycle)).content.decode()
    assert "ESSA asks the plans of schools in comprehensive support" in html
    assert "makes this section required" not in html
    world.school.designation = "atsi"
    world.school.save()
    html = lead.get(url("plans-commitments", cycle)).content.decode()
    assert "makes this section required" in html


@pytest.mark.parametrize("kind", list(ADDS))
def test_a_line_is_removed_after_asking(cycle: Cycle, plan: Plan, lead: Client, kind: str) -> None:
    values, model, _message = ADDS[kind]
    item = model.objects.create(plan=plan, **values)
    remove = url("plans-commitment-remove", cycle, kind, item.code)
    html = lead.get(remove).content.decode()
    assert "Remove this" in html and next(iter(values.values())) in html
    assert remove in lead.get(url("plans-commitments", cycle)).content.decode()
    assert lead.post(remove).status_code == 302
    assert not model.objects.exists()
    assert AuditEvent.objects.filter(action=f"plan.{kind}_removed").exists()


def test_removing_checks_the_kind_and_the_plan(
    world: World, cycle: Cycle, plan: Plan, lead: Client
) -> None:
    line = Communication.objects.create(
        plan=plan, audience="Families", message="x", channel="Letter", when="May"
    )
    assert lead.get(url("plans-commitment-remove", cycle, "support", line.code)).status_code == 404
    assert lead.get(url("plans-commitment-remove", cycle, "wishes", line.code)).status_code == 404
    other = Cycle.objects.create(org=world.school, first_year=2027)
    wrong = url("plans-commitment-remove", other, "communication", line.code)
    assert lead.post(wrong).status_code == 404
    assert Communication.objects.exists()


def test_a_reviewer_reads_the_lists_but_may_not_change_them(
    world: World, cycle: Cycle, plan: Plan, client_for: SignIn
) -> None:
    line = Communication.objects.create(
        plan=plan, audience="Families", message="x", channel="Letter", when="May"
    )
    client = client_for(world.by_role[Role.REVIEWER])
    html = client.get(url("plans-commitments", cycle)).content.decode()
    assert "Families" in html and "Add the line" not in html and "Remove" not in html
    values = ADDS["communication"][0]
    data = {"kind": "communication", **{f"communication-{k}": v for k, v in values.items()}}
    assert client.post(url("plans-commitments", cycle), data).status_code == 403
    remove = url("plans-commitment-remove", cycle, "communication", line.code)
    assert client.post(remove).status_code == 403
    assert Communication.objects.count() == 1
    viewer = client_for(world.by_role[Role.VIEWER])
    assert viewer.get(url("plans-commitments", cycle)).status_code == 403
