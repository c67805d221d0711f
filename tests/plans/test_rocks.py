"""45-day rocks: due within 45 days, milestones ticked off, status kept on the board."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from headway.audit.models import AuditEvent
from headway.orgs.roles import Role
from headway.plans.models import Cycle, Goal, Plan, Rock, Strategy
from tests.conftest import World
from tests.plans.conftest import cycle_url as url

SignIn = Callable[..., Client]


@pytest.fixture
def lead(world: World, client_for: SignIn) -> Client:
    return client_for(world.by_role[Role.TEAM_LEAD])


@pytest.fixture
def goal(cycle: Cycle) -> Goal:
    return Goal.objects.create(assessment=cycle.assessment, statement="More proficient readers")


@pytest.fixture
def strategy(plan: Plan) -> Strategy:
    return Strategy.objects.create(
        plan=plan, title="Weekly PLC cycles", lever="plc", driver="competency"
    )


def today() -> date:
    return timezone.localdate()


def rock(plan: Plan, title: str = "PLC norms", **more: object) -> Rock:
    fields: dict[str, object] = {
        "owner": "Ana",
        "set_on": today(),
        "due": today() + timedelta(days=30),
    }
    fields.update(more)
    return Rock.objects.create(plan=plan, title=title, **fields)


def form_data(**more: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "PLC norms",
        "owner": "Ana Ruiz",
        "set_on": today().isoformat(),
        "due": (today() + timedelta(days=45)).isoformat(),
        "status": "on_track",
        "milestones": "Draft norms\nAgree in PLC\n\nPost in every room",
    }
    data.update(more)
    return data


def test_a_rock_due_within_45_days_is_added(
    cycle: Cycle, plan: Plan, lead: Client, goal: Goal, strategy: Strategy
) -> None:
    data = form_data(goal=goal.pk, strategy=strategy.pk)
    response = lead.post(url("plans-rock-create", cycle), data, follow=True)
    added = Rock.objects.get()
    assert (added.owner, added.due, added.goal, added.strategy) == (
        "Ana Ruiz",
        today() + timedelta(days=45),
        goal,
        strategy,
    )
    assert added.milestones == [
        {"text": "Draft norms", "done": False},
        {"text": "Agree in PLC", "done": False},
        {"text": "Post in every room", "done": False},
    ]
    html = response.content.decode()
    assert "The rock “PLC norms” was added." in html
    assert "serves no goal or strategy" not in html
    assert "Milestones: 0 of 3 done" in html and "in 45 days" in html
    assert "More proficient readers" in html and "Weekly PLC cycles" in html
    assert AuditEvent.objects.filter(action="plan.rock_created").exists()


def test_the_form_starts_today(cycle: Cycle, lead: Client) -> None:
    html = lead.get(url("plans-rock-create", cycle)).content.decode()
    assert f'value="{today().isoformat()}"' in html
    assert "Add a rock" in html


def test_a_rock_due_46_days_after_is_refused_with_the_latest_date(
    cycle: Cycle, lead: Client
) -> None:
    data = form_data(due=(today() + timedelta(days=46)).isoformat())
    html = lead.post(url("plans-rock-create", cycle), data).content.decode()
    latest = date_format(today() + timedelta(days=45), "DATE_FORMAT")
    assert f"the latest allowed date is {latest}." in html
    assert ">Due: A rock is due within 45 days" in html
    assert not Rock.objects.exists()


def test_a_rock_due_before_it_is_set_is_refused(cycle: Cycle, lead: Client) -> None:
    data = form_data(due=(today() - timedelta(days=1)).isoformat())
    html = lead.post(url("plans-rock-create", cycle), data).content.decode()
    assert "Due: The due date must come after the day the rock is set" in html
    assert not Rock.objects.exists()


def test_a_rock_needs_a_due_date_and_an_owner(cycle: Cycle, lead: Client) -> None:
    html = lead.post(url("plans-rock-create", cycle), form_data(due="", owner="")).content.decode()
    assert "Give the day the rock is due." in html and "Name the person who owns the rock." in html
    assert not Rock.objects.exists()


def test_a_rock_that_serves_nothing_is_saved_with_a_warning(cycle: Cycle, lead: Client) -> None:
    response = lead.post(url("plans-rock-create", cycle), form_data(), follow=True)
    html = response.content.decode()
    assert Rock.objects.count() == 1
    assert "This rock serves no goal or strategy yet." in html
    assert "No goal or strategy yet" in html


def test_editing_keeps_the_done_state_of_unchanged_milestones(
    cycle: Cycle, plan: Plan, lead: Client
) -> None:
    milestones = [{"text": "Draft norms", "done": True}, {"text": "Agree in PLC", "done": True}]
    saved = rock(plan, milestones=milestones)
    edit = url("plans-rock-edit", cycle, saved.code)
    assert "Draft norms\nAgree in PLC</textarea>" in lead.get(edit).content.decode()
    data = form_data(revision=1, milestones="Draft norms\nAgree in PLC meeting\nPost them")
    assert lead.post(edit, data).status_code == 302
    saved.refresh_from_db()
    assert [m["done"] for m in saved.milestones] == [True, False, False]
    assert saved.revision == 2 and saved.owner == "Ana Ruiz"
    html = lead.get(url("plans-rocks", cycle)).content.decode()
    assert "Milestones: 1 of 3 done" in html
    assert AuditEvent.objects.filter(action="plan.rock_updated").exists()


def test_concurrent_edits_of_a_rock_show_the_conflict(
    cycle: Cycle, plan: Plan, lead: Client
) -> None:
    saved = rock(plan)
    edit = url("plans-rock-edit", cycle, saved.code)
    lead.post(edit, form_data(revision=1, owner="Ben"))
    html = lead.post(edit, form_data(revision=1, owner="Cleo")).content.decode()
    assert "Someone else saved first" in html and "Ben" in html and "Cleo" in html
    saved.refresh_from_db()
    assert saved.owner == "Ben" and saved.revision == 2
    assert 'name="revision" value="2"' in html


def test_the_status_changes_from_the_board(cycle: Cycle, plan: Plan, lead: Client) -> None:
    saved = rock(plan)
    data = {"action": "status", "rcode": saved.code, "status": "off_track", "revision": 1}
    response = lead.post(url("plans-rocks", cycle), data, follow=True)
    saved.refresh_from_db()
    assert saved.status == "off_track" and saved.revision == 2
    assert "“PLC norms” is now “Off track”." in response.content.decode()
    assert AuditEvent.objects.filter(action="plan.rock_status_changed").exists()


def test_a_stale_status_change_overwrites_nothing(cycle: Cycle, plan: Plan, lead: Client) -> None:
    saved = rock(plan)
    board = url("plans-rocks", cycle)
    lead.post(board, {"action": "status", "rcode": saved.code, "status": "done", "revision": 1})
    data = {"action": "status", "rcode": saved.code, "status": "off_track", "revision": 1}
    html = lead.post(board, data, follow=True).content.decode()
    assert "was changed by someone else while you were looking at the board" in html
    assert "its status is now “Done”" in html
    saved.refresh_from_db()
    assert saved.status == "done" and saved.revision == 2


def test_milestones_are_ticked_off_on_the_board(cycle: Cycle, plan: Plan, lead: Client) -> None:
    milestones = [{"text": "Draft norms", "done": False}, {"text": "Agree", "done": False}]
    saved = rock(plan, milestones=milestones)
    board = url("plans-rocks", cycle)
    data = {"action": "milestone", "rcode": saved.code, "index": 1, "done": "on", "revision": 1}
    html = lead.post(board, data, follow=True).content.decode()
    saved.refresh_from_db()
    assert saved.milestones[1]["done"] and not saved.milestones[0]["done"]
    assert "“Agree” is done." in html and "Milestones: 1 of 2 done" in html
    stale = lead.post(board, data | {"index": 0}, follow=True).content.decode()
    assert "changed by someone else" in stale
    saved.refresh_from_db()
    assert not saved.milestones[0]["done"]
    lead.post(board, {"action": "milestone", "rcode": saved.code, "index": 1, "revision": 2})
    saved.refresh_from_db()
    assert not saved.milestones[1]["done"]


def test_the_board_groups_rocks_by_status_with_counts_and_due_words(
    cycle: Cycle, plan: Plan, lead: Client
) -> None:
    rock(plan, "Soon", due=today() + timedelta(days=1))
    rock(plan, "Late", status="off_track", set_on=today() - timedelta(days=40), due=today())
    rock(plan, "Very late", set_on=today() - timedelta(days=40), due=today() - timedelta(days=3))
    rock(plan, "Finished", status="done", due=today() + timedelta(days=2))
    html = lead.get(url("plans-rocks", cycle)).content.decode()
    on_track, off_track, done = (html.index(f'id="rocks-{s}-h"') for s in Rock.Status.values)
    assert on_track < html.index("Very late") < html.index("Soon") < off_track
    assert off_track < html.index(">Late<") < done < html.index("Finished")
    assert 'On track <span class="muted">(2)</span>' in html
    assert 'Off track <span class="muted">(1)</span>' in html
    assert 'Done <span class="muted">(1)</span>' in html
    assert "in 1 day" in html and "due today" in html and "3 days late" in html
    assert "Add a rock" in html


def test_the_board_filters_by_owner(cycle: Cycle, plan: Plan, lead: Client) -> None:
    rock(plan, "Ana's rock", owner="Ana")
    rock(plan, "Ben's rock", owner="Ben")
    html = lead.get(url("plans-rocks", cycle), {"owner": "Ben"}).content.decode()
    assert "Ben&#x27;s rock" in html and "Ana&#x27;s rock" not in html
    assert "Showing 1 rock owned by Ben." in html


def test_the_empty_board_explains_rocks(cycle: Cycle, lead: Client) -> None:
    html = lead.get(url("plans-rocks", cycle)).content.decode()
    assert "No rocks yet." in html and "due within 45 days" in html


def test_removing_a_rock_asks_first(cycle: Cycle, plan: Plan, lead: Client) -> None:
    saved = rock(plan, milestones=[{"text": "Draft", "done": False}])
    remove = url("plans-rock-remove", cycle, saved.code)
    html = lead.get(remove).content.decode()
    assert "Remove the rock “PLC norms”?" in html and "Its 1 milestone is removed" in html
    assert Rock.objects.exists()
    assert lead.post(remove).status_code == 302
    assert not Rock.objects.exists()
    assert AuditEvent.objects.filter(action="plan.rock_removed").exists()


def test_a_reviewer_reads_but_may_not_change(
    world: World, cycle: Cycle, plan: Plan, client_for: SignIn
) -> None:
    saved = rock(plan)
    client = client_for(world.by_role[Role.REVIEWER])
    response = client.get(url("plans-rocks", cycle))
    html = response.content.decode()
    assert response.status_code == 200 and "PLC norms" in html
    assert "Add a rock" not in html and "Update" not in html
    assert client.get(url("plans-rock-create", cycle)).status_code == 403
    assert client.post(url("plans-rock-create", cycle), form_data()).status_code == 403
    data = {"action": "status", "rcode": saved.code, "status": "done", "revision": 1}
    assert client.post(url("plans-rocks", cycle), data).status_code == 403
    saved.refresh_from_db()
    assert saved.status == "on_track" and Rock.objects.count() == 1


def test_a_community_viewer_may_not_read_and_outsiders_see_nothing(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    assert client_for(world.by_role[Role.VIEWER]).get(url("plans-rocks", cycle)).status_code == 403
    assert client_for(world.dave).get(url("plans-rocks", cycle)).status_code == 404


def test_a_rock_of_another_cycle_is_not_found(
    world: World, cycle: Cycle, plan: Plan, lead: Client
) -> None:
    other = Cycle.objects.create(org=world.school, first_year=2027, years=1)
    elsewhere = rock(Plan.objects.create(cycle=other))
    assert lead.get(url("plans-rock-edit", cycle, elsewhere.code)).status_code == 404
    data = {"action": "status", "rcode": "not-a-code", "status": "done", "revision": 1}
    assert lead.post(url("plans-rocks", cycle), data).status_code == 404


def test_the_board_costs_the_same_queries_for_3_or_30_rocks(
    cycle: Cycle, plan: Plan, lead: Client, goal: Goal, strategy: Strategy
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert lead.get(url("plans-rocks", cycle)).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        milestones = [{"text": "Step", "done": True}]
        for i in range(n):
            rock(plan, f"Rock {i}", goal=goal, strategy=strategy, milestones=milestones)

    add(3)
    few = count()
    add(27)
    assert count() == few
