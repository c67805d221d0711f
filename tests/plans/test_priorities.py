"""Priorities: at most three or four, each tied to findings or root causes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from headway.explore.models import Finding
from headway.orgs.roles import Role
from headway.plans.models import Cause, Cycle, Goal, Priority, WhyChain
from tests.conftest import World
from tests.plans.conftest import cycle_url as url

SignIn = Callable[..., Client]
FOCUS = "Spreading effort over many priorities is the most common reason plans stall"


@pytest.fixture
def lead(world: World, client_for: SignIn) -> Client:
    return client_for(world.by_role[Role.TEAM_LEAD])


@pytest.fixture
def gap(world: World) -> Finding:
    return Finding.objects.create(
        org=world.school, key="gap", kind="gap", title="Students with disabilities trail", text="x"
    )


def add(client: Client, cycle: Cycle, title: str, **more: object) -> str:
    data: dict[str, object] = {"action": "add", "title": title}
    data.update(more)
    response = client.post(url("plans-priorities", cycle), data)
    return response.content.decode() if response.status_code == 200 else ""


def make(cycle: Cycle, count: int) -> list[Priority]:
    return [
        Priority.objects.create(assessment=cycle.assessment, title=f"Priority {n}", order=n)
        for n in range(count)
    ]


def test_a_priority_is_added_with_what_it_rests_on(
    cycle: Cycle, lead: Client, gap: Finding
) -> None:
    chain = WhyChain.objects.create(
        assessment=cycle.assessment, problem="Low math", whys=["No coaching in math"]
    )
    cause = Cause.objects.create(assessment=cycle.assessment, category="staff", text="Turnover")
    errors = add(
        lead,
        cycle,
        "Math for students with disabilities",
        description="Every student reaches grade level",
        barriers="Few special educators",
        findings=[gap.pk],
        why_chains=[chain.pk],
        causes=[cause.pk],
    )
    assert errors == ""
    priority = Priority.objects.get()
    assert list(priority.findings.all()) == [gap]
    assert list(priority.why_chains.all()) == [chain] and list(priority.causes.all()) == [cause]
    html = lead.get(url("plans-priorities", cycle)).content.decode()
    for text in (
        "Math for students with disabilities",
        "Every student reaches grade level",
        "Few special educators",
        "Students with disabilities trail",
        "root cause: No coaching in math",
        "Staff: Turnover",
    ):
        assert text in html


def test_a_priority_must_rest_on_a_finding_or_a_cause(cycle: Cycle, lead: Client) -> None:
    html = add(lead, cycle, "Reading")
    assert "Tie the priority to at least one finding, five-whys chain or possible cause" in html
    assert not Priority.objects.exists()
    assert "Pin findings on the" in html


def test_a_root_cause_alone_is_enough(cycle: Cycle, lead: Client) -> None:
    cause = Cause.objects.create(assessment=cycle.assessment, category="staff", text="Turnover")
    assert add(lead, cycle, "Keep teachers", causes=[cause.pk]) == ""
    assert Priority.objects.count() == 1


def test_three_and_four_priorities_need_no_reason(cycle: Cycle, lead: Client, gap: Finding) -> None:
    for n in range(4):
        assert add(lead, cycle, f"Priority {n}", findings=[gap.pk]) == ""
    titles = list(Priority.objects.values_list("title", "order"))
    assert titles == [(f"Priority {n}", n) for n in range(4)]
    html = lead.get(url("plans-priorities", cycle)).content.decode()
    assert "The plan has 4 priorities." not in html
    assert "This would be priority number 5." in html


def test_a_fifth_without_a_reason_is_refused_with_why_focus_matters(
    cycle: Cycle, lead: Client, gap: Finding
) -> None:
    make(cycle, 4)
    html = add(lead, cycle, "Fifth", findings=[gap.pk])
    assert "Why the plan needs this many priorities: This would be priority number 5." in html
    assert FOCUS in html
    assert Priority.objects.count() == 4


def test_a_fifth_with_a_reason_is_saved_with_a_gentle_warning(
    cycle: Cycle, lead: Client, gap: Finding
) -> None:
    make(cycle, 4)
    response = lead.post(
        url("plans-priorities", cycle),
        {"title": "Fifth", "findings": [gap.pk], "over_limit_reason": "The state requires it."},
        follow=True,
    )
    html = response.content.decode()
    assert Priority.objects.count() == 5
    assert "The plan now has 5 priorities." in html
    assert "The plan has 5 priorities.</strong>" in html
    assert "The state requires it." in html


def test_a_priority_is_edited(cycle: Cycle, lead: Client, gap: Finding) -> None:
    priority = make(cycle, 1)[0]
    edit = url("plans-priority-edit", cycle, priority.code)
    assert "Priority 0" in lead.get(edit).content.decode()
    data = {"title": "Reading", "findings": [gap.pk], "revision": 1}
    assert lead.post(edit, data).status_code == 302
    priority.refresh_from_db()
    assert priority.title == "Reading" and priority.revision == 2
    assert list(priority.findings.all()) == [gap]


def test_concurrent_edits_of_a_priority_show_the_conflict(
    cycle: Cycle, lead: Client, gap: Finding
) -> None:
    priority = make(cycle, 1)[0]
    edit = url("plans-priority-edit", cycle, priority.code)
    lead.post(edit, {"title": "Reading first", "findings": [gap.pk], "revision": 1})
    response = lead.post(edit, {"title": "Math second", "findings": [gap.pk], "revision": 1})
    html = response.content.decode()
    assert "Someone else saved first" in html
    assert "Reading first" in html and "Math second" in html
    priority.refresh_from_db()
    assert priority.title == "Reading first"


def test_removing_a_priority_asks_first_and_keeps_its_goals(cycle: Cycle, lead: Client) -> None:
    priority = make(cycle, 1)[0]
    goal = Goal.objects.create(
        assessment=cycle.assessment, priority=priority, statement="Math up 10 points"
    )
    remove = url("plans-priority-remove", cycle, priority.code)
    html = lead.get(remove).content.decode()
    assert "Remove the priority “Priority 0”?" in html and "Math up 10 points" in html
    assert lead.post(remove).status_code == 302
    goal.refresh_from_db()
    assert not Priority.objects.exists() and goal.priority is None


def test_priorities_move_up_and_down(cycle: Cycle, lead: Client) -> None:
    first, _second, third = make(cycle, 3)

    def move(priority: Priority, direction: str) -> list[str]:
        data = {"action": "move", "pcode": priority.code, "direction": direction}
        assert lead.post(url("plans-priorities", cycle), data).status_code == 302
        return list(cycle.assessment.priorities.values_list("title", flat=True))

    assert move(third, "up") == ["Priority 0", "Priority 2", "Priority 1"]
    assert move(first, "down") == ["Priority 2", "Priority 0", "Priority 1"]
    assert move(third, "up") == ["Priority 2", "Priority 0", "Priority 1"]


def test_a_reviewer_reads_but_may_not_add(
    world: World, cycle: Cycle, client_for: SignIn, gap: Finding
) -> None:
    make(cycle, 1)
    client = client_for(world.by_role[Role.REVIEWER])
    response = client.get(url("plans-priorities", cycle))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Priority 0" in html and "Add a priority" not in html
    response = client.post(url("plans-priorities", cycle), {"title": "Mine", "findings": [gap.pk]})
    assert response.status_code == 403
    assert Priority.objects.count() == 1


def test_a_community_viewer_may_not_read_and_outsiders_see_nothing(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    viewer = client_for(world.by_role[Role.VIEWER])
    assert viewer.get(url("plans-priorities", cycle)).status_code == 403
    assert client_for(world.dave).get(url("plans-priorities", cycle)).status_code == 404


def test_the_fifth_keeps_needing_its_reason_when_edited(
    cycle: Cycle, lead: Client, gap: Finding
) -> None:
    fifth = make(cycle, 5)[4]
    edit = url("plans-priority-edit", cycle, fifth.code)
    assert "This is priority number 5." in lead.get(edit).content.decode()
    response = lead.post(edit, {"title": "Fifth", "findings": [gap.pk], "revision": 1})
    assert "This would be priority number 5." in response.content.decode()
    Priority.objects.filter(title="Priority 0").delete()
    assert "over_limit_reason" not in lead.get(edit).content.decode()
