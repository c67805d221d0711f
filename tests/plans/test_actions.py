"""Action steps: who leads each, when it starts and is due, and the strategy it carries out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from headway.audit.models import AuditEvent
from headway.orgs.roles import Role
from headway.plans.models import ActionStep, Cycle, Plan, Strategy
from headway.teams.models import Team, TeamMember
from tests.conftest import World
from tests.plans.conftest import cycle_url as url

SignIn = Callable[..., Client]


@pytest.fixture
def strategy(plan: Plan) -> Strategy:
    return Strategy.objects.create(
        plan=plan, title="Weekly coaching cycles", lever="coaching", driver="competency"
    )


def action_data(**more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Schedule coaching cycles",
        "owner": "Ms. Diaz",
        "start": "2025-09-01",
        "due": "2025-09-30",
        "resources": "Two substitute days",
        "status": "not_started",
    }
    data.update(more)
    return data


def test_an_action_step_is_added_for_a_strategy(
    cycle: Cycle, member: Client, strategy: Strategy
) -> None:
    create = url("plans-action-create", cycle)
    html = member.get(f"{create}?strategy={strategy.code}").content.decode()
    assert f'<option value="{strategy.pk}" selected>Weekly coaching cycles</option>' in html
    assert "None yet" in html
    data = action_data(strategy=strategy.pk, professional_learning="on")
    response = member.post(create, data)
    action = ActionStep.objects.get()
    assert response["Location"] == url("plans-plan", cycle) + f"#action-{action.code}"
    assert action.strategy == strategy and action.professional_learning
    assert action.due == date(2025, 9, 30) and action.owner == "Ms. Diaz"
    assert AuditEvent.objects.filter(action="plan.action_added").count() == 1


def test_a_step_needs_no_strategy_and_a_bad_strategy_code_is_ignored(
    cycle: Cycle, member: Client, plan: Plan
) -> None:
    create = url("plans-action-create", cycle)
    assert member.get(f"{create}?strategy=nonsense").status_code == 200
    assert member.post(create, action_data()).status_code == 302
    assert ActionStep.objects.get().strategy is None


def test_a_due_date_before_the_start_is_refused_naming_the_field(
    cycle: Cycle, member: Client
) -> None:
    data = action_data(start="2025-10-01", due="2025-09-30")
    html = member.post(url("plans-action-create", cycle), data).content.decode()
    assert "Due date: The due date is before the start date" in html
    assert not ActionStep.objects.exists()


def test_a_due_date_is_required(cycle: Cycle, member: Client) -> None:
    html = member.post(url("plans-action-create", cycle), action_data(due="")).content.decode()
    assert "Due date: Enter the date the step is due." in html
    assert not ActionStep.objects.exists()


def test_the_team_members_are_offered_as_owners(world: World, cycle: Cycle, member: Client) -> None:
    team = Team.objects.create(org=world.school, name="School improvement team")
    TeamMember.objects.create(team=team, name="Ana Diaz", category="teacher")
    other = Team.objects.create(org=world.outside_school, name="Elsewhere")
    TeamMember.objects.create(team=other, name="Zed Outsider", category="teacher")
    html = member.get(url("plans-action-create", cycle)).content.decode()
    assert 'list="owner-names"' in html and '<option value="Ana Diaz">' in html
    assert "Zed Outsider" not in html


@pytest.fixture
def action(plan: Plan, strategy: Strategy) -> ActionStep:
    return ActionStep.objects.create(
        plan=plan, strategy=strategy, title="Order books", owner="Mr. Lee", due=date(2025, 10, 1)
    )


def test_an_action_step_is_edited(cycle: Cycle, member: Client, action: ActionStep) -> None:
    edit = url("plans-action-edit", cycle, action.code)
    html = member.get(edit).content.decode()
    assert 'value="Order books"' in html and 'value="2025-10-01"' in html
    data = action_data(title="Order decodable books", status="under_way", revision=1)
    assert member.post(edit, data).status_code == 302
    action.refresh_from_db()
    assert action.title == "Order decodable books" and action.status == "under_way"
    assert action.strategy is None and action.revision == 2
    assert AuditEvent.objects.filter(action="plan.action_updated").count() == 1


def test_concurrent_edits_of_an_action_step_show_the_conflict(
    cycle: Cycle, member: Client, action: ActionStep, strategy: Strategy
) -> None:
    edit = url("plans-action-edit", cycle, action.code)
    member.post(edit, action_data(owner="Ms. First", strategy=strategy.pk, revision=1))
    response = member.post(edit, action_data(owner="Mr. Second", revision=1))
    html = response.content.decode()
    assert "Someone else saved first" in html
    assert "Ms. First" in html and "Mr. Second" in html
    assert 'name="revision" value="2"' in html
    action.refresh_from_db()
    assert action.owner == "Ms. First" and action.revision == 2


def test_removing_an_action_step_asks_first(
    cycle: Cycle, member: Client, action: ActionStep, strategy: Strategy
) -> None:
    remove = url("plans-action-remove", cycle, action.code)
    html = member.get(remove).content.decode()
    assert "Remove the action step “Order books”?" in html
    assert "The strategy “Weekly coaching cycles” stays in the plan." in html
    assert member.post(remove).status_code == 302
    assert not ActionStep.objects.exists() and Strategy.objects.filter(pk=strategy.pk).exists()
    assert AuditEvent.objects.filter(action="plan.action_removed").count() == 1


@pytest.mark.parametrize("role", [Role.TEAM_MEMBER, Role.TEAM_LEAD, Role.STAFF, Role.ADMIN])
def test_contributors_may_add_action_steps(
    world: World, cycle: Cycle, client_for: SignIn, role: Role
) -> None:
    client = client_for(world.by_role[role])
    assert client.get(url("plans-action-create", cycle)).status_code == 200
    assert client.post(url("plans-action-create", cycle), action_data()).status_code == 302


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.DATA_STEWARD])
def test_others_may_not_add_edit_or_remove(
    world: World, cycle: Cycle, client_for: SignIn, action: ActionStep, role: Role
) -> None:
    client = client_for(world.by_role[role])
    for name, more in (
        ("plans-action-create", ()),
        ("plans-action-edit", (action.code,)),
        ("plans-action-remove", (action.code,)),
    ):
        assert client.get(url(name, cycle, *more)).status_code == 403
        assert client.post(url(name, cycle, *more), action_data()).status_code == 403
    assert ActionStep.objects.get().title == "Order books"


def test_outsiders_and_strangers_see_nothing(
    world: World, cycle: Cycle, client_for: SignIn, action: ActionStep
) -> None:
    assert client_for(world.dave).get(url("plans-action-create", cycle)).status_code == 404
    response = client_for(None).get(url("plans-action-edit", cycle, action.code))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_status_update_alone_does_not_reopen_an_approved_plan(
    cycle: Cycle, plan: Plan, member: Client, strategy: Strategy
) -> None:
    step = ActionStep.objects.create(
        plan=plan,
        strategy=strategy,
        title="Schedule coaching cycles",
        owner="Ms. Diaz",
        start=date(2025, 9, 1),
        due=date(2025, 9, 30),
        resources="Two substitute days",
    )
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.APPROVED)
    edit = url("plans-action-edit", cycle, step.code)
    same = action_data(strategy=str(strategy.pk), status="done", revision=1)
    assert member.post(edit, same).status_code == 302
    plan.refresh_from_db()
    assert plan.state == Plan.State.APPROVED and plan.version == 1
    assert member.post(edit, same | {"title": "New title", "revision": 2}).status_code == 302
    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT and plan.version == 2
