"""Every monitor view against every role, written out from the product's role table.

Monitoring, meetings, issues and to-dos are the team's internal work: people who see internal
work read them (community viewers get 403), people who contribute change them, and team
leads and administrators decide on strategies and close a cycle's evaluation. The section's
landing page tells community viewers where the public part is. Pages that only
exist to change something (forms, confirmations) need the changing capability to open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from headway.monitor.models import (
    Annotation,
    Initiative,
    Issue,
    Measure,
    Meeting,
    Point,
    Rebase,
    Todo,
)
from headway.orgs.roles import Role
from headway.plans.models import Cycle, NeedsAssessment, Plan, Strategy
from headway.teams.models import Category, Team, TeamMember
from tests.conftest import World

EVERYONE = frozenset(Role)
READERS = EVERYONE - {Role.VIEWER}
CONTRIBUTORS = frozenset({Role.ADMIN, Role.TEAM_LEAD, Role.TEAM_MEMBER, Role.STAFF})
EDITORS = frozenset({Role.ADMIN, Role.TEAM_LEAD})


@dataclass
class Fixture:
    world: World
    cycle: Cycle
    strategy: Strategy
    measure: Measure
    point: Point
    rebase: Rebase
    annotation: Annotation
    meeting: Meeting
    issue: Issue
    todo: Todo
    initiative: Initiative


@dataclass(frozen=True)
class Route:
    name: str
    allowed: frozenset[Role]
    kwargs: Callable[[Fixture], dict[str, Any]] = lambda f: {}
    method: str = "GET"


def _cycle(f: Fixture, **more: Any) -> dict[str, Any]:
    return {"ccode": f.cycle.code, **more}


def _measure(f: Fixture, **more: Any) -> dict[str, Any]:
    return _cycle(f, mcode=f.measure.code, **more)


def _meeting(f: Fixture, **more: Any) -> dict[str, Any]:
    return {"gcode": f.meeting.code, **more}


ROUTES = [
    Route("monitor-home", EVERYONE),  # viewers: where to read what is public
    Route("monitor-cycle", READERS, _cycle),
    Route("monitor-measure-create", CONTRIBUTORS, _cycle),
    Route("monitor-measure", READERS, _measure),
    Route("monitor-measure-edit", CONTRIBUTORS, _measure),
    Route("monitor-measure-remove", CONTRIBUTORS, _measure),
    Route("monitor-points", READERS, _measure),
    Route("monitor-points-upload", CONTRIBUTORS, _measure),
    Route("monitor-point-remove", CONTRIBUTORS, lambda f: _measure(f, pk=f.point.pk)),
    Route("monitor-rebase", CONTRIBUTORS, _measure, method="POST"),
    Route(
        "monitor-rebase-remove",
        CONTRIBUTORS,
        lambda f: _measure(f, rcode=f.rebase.code),
        method="POST",
    ),
    Route("monitor-annotations", READERS, _cycle),
    Route(
        "monitor-annotation-remove",
        CONTRIBUTORS,
        lambda f: _cycle(f, acode=f.annotation.code),
    ),
    Route("monitor-strategies", READERS, _cycle),
    Route("monitor-strategy-review", EDITORS, lambda f: _cycle(f, scode=f.strategy.code)),
    Route("monitor-inventory", READERS, _cycle),
    Route("monitor-initiative", CONTRIBUTORS, lambda f: _cycle(f, icode=f.initiative.code)),
    Route(
        "monitor-initiative-remove",
        CONTRIBUTORS,
        lambda f: _cycle(f, icode=f.initiative.code),
    ),
    Route("monitor-evaluation", READERS, _cycle),
    Route("monitor-evaluation-finish", EDITORS, _cycle, method="POST"),
    Route("monitor-meetings", READERS),
    Route("monitor-meeting-start", CONTRIBUTORS, method="POST"),
    Route("monitor-meeting", READERS, _meeting),
    Route(
        "monitor-meeting-timer",
        CONTRIBUTORS,
        lambda f: _meeting(f, kind="issues"),
        method="POST",
    ),
    Route(
        "monitor-meeting-notes",
        CONTRIBUTORS,
        lambda f: _meeting(f, kind="issues"),
        method="POST",
    ),
    Route("monitor-meeting-attendance", CONTRIBUTORS, _meeting, method="POST"),
    Route("monitor-meeting-headline", CONTRIBUTORS, _meeting, method="POST"),
    Route("monitor-meeting-decision", CONTRIBUTORS, _meeting, method="POST"),
    Route("monitor-meeting-todo", CONTRIBUTORS, _meeting, method="POST"),
    Route("monitor-meeting-rate", CONTRIBUTORS, _meeting, method="POST"),
    Route("monitor-meeting-end", CONTRIBUTORS, _meeting, method="POST"),
    Route("monitor-meeting-recap", CONTRIBUTORS, _meeting, method="POST"),
    Route("monitor-todos", READERS),
    Route("monitor-todo-done", CONTRIBUTORS, lambda f: {"tcode": f.todo.code}, method="POST"),
    Route("monitor-issues", READERS),
    Route("monitor-issue", READERS, lambda f: {"icode": f.issue.code}),
]
ORG_FREE = {"my-work"}  # a person's own work: tested in test_mywork.py


@pytest.fixture
def fixture(world: World) -> Fixture:
    cycle = Cycle.objects.create(org=world.school, first_year=2025, years=2)
    NeedsAssessment.objects.create(cycle=cycle)
    plan = Plan.objects.create(cycle=cycle)
    strategy = Strategy.objects.create(
        plan=plan, title="Weekly PLC cycles", lever="plc", driver="competency"
    )
    measure = Measure.objects.create(cycle=cycle, name="Weekly attendance rate")
    point = Point.objects.create(measure=measure, on=date(2025, 9, 1), value=0.9)
    Point.objects.create(measure=measure, on=date(2025, 9, 8), value=0.92)
    rebase = Rebase.objects.create(measure=measure, on=date(2025, 9, 8), reason="New bell times")
    annotation = Annotation.objects.create(cycle=cycle, on=date(2025, 9, 3), text="PDSA 1")
    team = Team.objects.create(org=world.school, name="Alder Creek Team")
    lead = world.by_role[Role.TEAM_LEAD]
    owner = TeamMember.objects.create(
        team=team, user=lead, name="Team Lead", email=lead.email, category=Category.COACH
    )
    meeting = Meeting.objects.create(team=team, cycle=cycle)
    issue = Issue.objects.create(team=team, title="Substitutes are scarce on Fridays")
    todo = Todo.objects.create(team=team, text="Send the survey", owner=owner)
    initiative = Initiative.objects.create(org=world.school, name="Reading software")
    return Fixture(
        world, cycle, strategy, measure, point, rebase, annotation, meeting, issue, todo,
        initiative,
    )  # fmt: skip


def _url(f: Fixture, route: Route) -> str:
    return reverse(route.name, kwargs={"code": f.world.school.code, **route.kwargs(f)})


def _call(client: Client, route: Route, url: str) -> int:
    return (client.get(url) if route.method == "GET" else client.post(url)).status_code


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_members_get_what_their_role_allows(
    fixture: Fixture, client_for: Callable[..., Client], route: Route, role: Role
) -> None:
    status = _call(client_for(fixture.world.by_role[role]), route, _url(fixture, route))
    if role in route.allowed:
        assert status in (200, 302)  # a POST without a form's fields re-shows it or redirects
    else:
        assert status == 403


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_outsiders_get_404(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    assert _call(client_for(fixture.world.dave), route, _url(fixture, route)) == 404


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_anonymous_visitors_are_sent_to_sign_in(
    fixture: Fixture, client_for: Callable[..., Client], route: Route
) -> None:
    client, url = client_for(None), _url(fixture, route)
    response = client.get(url) if route.method == "GET" else client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts-login"))


def test_every_monitor_view_is_in_the_matrix() -> None:
    covered = {route.name for route in ROUTES}
    names = {
        n for n in get_resolver().reverse_dict if isinstance(n, str) and n.startswith("monitor-")
    }
    assert not names - covered - ORG_FREE, f"add these views to ROUTES: {sorted(names - covered)}"


def test_another_schools_objects_are_not_found(
    fixture: Fixture, client_for: Callable[..., Client]
) -> None:
    """A code from one school's monitor never opens under another school's address."""
    client = client_for(fixture.world.alice)  # the district's administrator sees both schools
    other = fixture.world.other_school.code
    for route in ROUTES:
        if route.kwargs(fixture):
            url = reverse(route.name, kwargs={"code": other, **route.kwargs(fixture)})
            assert _call(client, route, url) == 404, route.name


def test_community_viewers_are_pointed_to_the_public_summary(
    fixture: Fixture, client_for: Callable[..., Client]
) -> None:
    viewer = client_for(fixture.world.by_role[Role.VIEWER])
    html = viewer.get(reverse("monitor-home", args=[fixture.world.school.code])).content.decode()
    assert "public summary" in html and fixture.measure.name not in html
    assert reverse("monitor-meetings", args=[fixture.world.school.code]) not in html


def test_every_page_has_a_plain_title_and_one_main_heading(
    fixture: Fixture, client_for: Callable[..., Client]
) -> None:
    """What a screen reader announces first: the page's title, then its one h1."""
    client = client_for(fixture.world.alice)
    for route in ROUTES:
        if route.method != "GET":
            continue
        response = client.get(_url(fixture, route), follow=True)
        html = response.content.decode()
        title = html[html.index("<title>") + 7 : html.index("</title>")]
        assert "<" not in title and title.strip().endswith("· Headway"), (route.name, title)
        assert html.count("<h1") == 1, route.name
