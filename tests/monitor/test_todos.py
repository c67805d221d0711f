"""To-dos: open first with due dates and lateness in words, done after; added and ticked off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from headway.audit.models import AuditEvent
from headway.monitor.models import Todo
from headway.orgs.roles import Role
from headway.teams.models import Team, TeamMember
from tests.conftest import World

SignIn = Callable[..., Client]


def today() -> date:
    return timezone.localdate()


def todos_url(world: World) -> str:
    return reverse("monitor-todos", args=[world.school.code])


def done_url(todo: Todo) -> str:
    return reverse("monitor-todo-done", args=[todo.team.org.code, todo.code])


def owner(team: Team) -> TeamMember:
    return team.members.get(name="Team Member")


def test_a_todo_added_outside_a_meeting_is_due_in_a_week(
    world: World, team: Team, member: Client
) -> None:
    html = member.get(todos_url(world)).content.decode()
    assert f'value="{(today() + timedelta(days=7)).isoformat()}"' in html
    response = member.post(todos_url(world), {"text": "Order books", "owner": owner(team).code})
    todo = Todo.objects.get()
    assert (todo.team, todo.owner, todo.meeting, todo.due) == (
        team,
        owner(team),
        None,
        today() + timedelta(days=7),
    )
    assert response["Location"].endswith(f"#todo-{todo.code}")
    assert AuditEvent.objects.filter(action="monitor.todo_created").exists()


def test_bad_input_is_named(world: World, team: Team, member: Client) -> None:
    elsewhere = Team.objects.create(org=world.other_school, name="Elm team")
    stranger = elsewhere.members.create(name="Dee", category="teacher")
    data = {"text": "", "owner": stranger.code, "due": "next week"}
    html = member.post(todos_url(world), data).content.decode()
    assert "To-do: Say in a few words what is to be done." in html
    assert "Who does it: Choose a member of the team." in html
    assert "Due: Give the day as a date, for example 2025-10-06." in html
    data = {"text": "Too late", "owner": owner(team).code, "due": "2020-01-01"}
    html = member.post(todos_url(world), data).content.decode()
    assert "Due: The due date cannot be before today" in html
    assert not Todo.objects.exists()


def test_open_todos_come_first_soonest_due_with_lateness_in_words(
    world: World, team: Team, member: Client
) -> None:
    mine = owner(team)
    Todo.objects.create(team=team, owner=mine, text="Due later", due=today() + timedelta(days=3))
    Todo.objects.create(team=team, owner=mine, text="Overdue", due=today() - timedelta(days=2))
    Todo.objects.create(team=team, owner=mine, text="Due now", due=today())
    Todo.objects.create(team=team, owner=mine, text="Finished", due=today(), done_at=timezone.now())
    html = member.get(todos_url(world)).content.decode()
    order = [html.index(text) for text in ("Overdue", "Due now", "Due later", "Finished")]
    assert order == sorted(order)
    assert '<strong class="tag tag-warn">2 days late</strong>' in html
    assert "due today" in html and "due in 3 days" in html
    assert html.index('id="done-h"') < html.index("Finished")


def test_marking_done_and_not_done(world: World, team: Team, member: Client) -> None:
    todo = Todo.objects.create(team=team, owner=owner(team), text="Order books")
    response = member.post(done_url(todo), {"done": "yes"}, follow=True)
    todo.refresh_from_db()
    assert todo.done_at is not None
    assert "“Order books” is done." in response.content.decode()
    member.post(done_url(todo), {"done": "no"})
    todo.refresh_from_db()
    assert todo.done_at is None
    actions = AuditEvent.objects.filter(object_id=str(todo.code)).values_list("action", flat=True)
    assert sorted(actions) == ["monitor.todo_done", "monitor.todo_undone"]


def test_marking_done_goes_back_to_our_own_page_only(
    world: World, team: Team, member: Client
) -> None:
    todo = Todo.objects.create(team=team, owner=owner(team), text="Order books")
    back = reverse("monitor-meetings", args=[world.school.code])
    assert member.post(done_url(todo), {"done": "yes", "next": back})["Location"] == back
    evil = member.post(done_url(todo), {"done": "yes", "next": "https://evil.example/"})
    assert evil["Location"].startswith(todos_url(world))


def test_with_several_teams_the_team_is_shown(world: World, team: Team, member: Client) -> None:
    other = Team.objects.create(org=world.school, name="Grade 3 team")
    dee = other.members.create(name="Dee", category="teacher")
    Todo.objects.create(team=other, owner=dee, text="Grade 3 task")
    html = member.get(todos_url(world)).content.decode()
    assert "Dee — Grade 3 team" in html and "<td>Grade 3 team</td>" in html
    member.post(todos_url(world), {"text": "Another", "owner": dee.code})
    assert Todo.objects.get(text="Another").team == other


def test_an_empty_list_says_where_todos_come_from(world: World, team: Team, member: Client) -> None:
    html = member.get(todos_url(world)).content.decode()
    assert "No open to-dos." in html and "Nothing done yet." in html


@pytest.mark.parametrize(("role", "status"), [(Role.VIEWER, 403), (Role.REVIEWER, 200)])
def test_reading_needs_internal_access(
    world: World, team: Team, client_for: SignIn, role: Role, status: int
) -> None:
    assert client_for(world.by_role[role]).get(todos_url(world)).status_code == status


def test_a_reviewer_cannot_tick_off(world: World, team: Team, client_for: SignIn) -> None:
    todo = Todo.objects.create(team=team, owner=owner(team), text="Order books")
    reviewer = client_for(world.by_role[Role.REVIEWER])
    assert "Mark done" not in reviewer.get(todos_url(world)).content.decode()
    assert reviewer.post(done_url(todo), {"done": "yes"}).status_code == 403
    todo.refresh_from_db()
    assert todo.done_at is None


def test_outsiders_and_wrong_methods(world: World, team: Team, client_for: SignIn) -> None:
    todo = Todo.objects.create(team=team, owner=owner(team), text="Order books")
    assert client_for(world.dave).post(done_url(todo), {"done": "yes"}).status_code == 404
    lead = client_for(world.by_role[Role.TEAM_LEAD])
    assert lead.get(done_url(todo)).status_code == 405
