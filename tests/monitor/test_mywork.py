"""My work: what the signed-in person must do, across every organization they reach."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from headway.accounts.models import User
from headway.monitor.models import Evaluation, StrategyReview, Todo
from headway.monitor.mywork import my_work, names_of, owner_pattern
from headway.orgs.access import reach_of, reachable_orgs, roles_for
from headway.orgs.models import Membership, Organization, current_start_year
from headway.orgs.roles import Role
from headway.plans.models import (
    ActionStep,
    Cycle,
    Decision,
    NeedsAssessment,
    Plan,
    PlanVersion,
    Rock,
    Strategy,
)
from headway.teams.models import Category, Participation, Round, Team, TeamMember
from tests.conftest import World

SignIn = Callable[[User | None], Client]
URL = "/my-work/"


def today() -> date:
    return timezone.localdate()


def running_plan(org: Organization, first_year: int | None = None, years: int = 1) -> Plan:
    """A plan of a cycle that includes this school year (or starts when asked)."""
    cycle = Cycle.objects.create(
        org=org, first_year=first_year or current_start_year(), years=years
    )
    NeedsAssessment.objects.create(cycle=cycle)
    return Plan.objects.create(cycle=cycle)


def action(plan: Plan, owner: str, due_in: int = 10, **more: object) -> ActionStep:
    return ActionStep.objects.create(
        plan=plan, title=f"Action for {owner}", owner=owner, due=today() + timedelta(days=due_in),
        **more,
    )  # fmt: skip


def rock(plan: Plan, owner: str, due_in: int = 20, **more: object) -> Rock:
    return Rock.objects.create(
        plan=plan, title=f"Rock for {owner}", owner=owner, set_on=today() - timedelta(days=20),
        due=today() + timedelta(days=due_in), **more,
    )  # fmt: skip


@pytest.fixture
def team(world: World) -> Team:
    """The school's team: the team lead's seat is named differently from their account."""
    team = Team.objects.create(org=world.school, name="Alder Creek Team")
    TeamMember.objects.create(
        team=team, user=world.by_role[Role.TEAM_LEAD], name="Ana Ruiz", category=Category.COACH
    )
    TeamMember.objects.create(
        team=team, user=world.by_role[Role.TEAM_MEMBER], name="Ben Ode", category=Category.TEACHER
    )
    TeamMember.objects.create(
        team=team, user=world.by_role[Role.VIEWER], name="Rosa Parent", category=Category.PARENT
    )
    return team


def seat(team: Team, user: User) -> TeamMember:
    return team.members.get(user=user)


def page(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


# --- the page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_asks_for_a_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_refuses_a_post(world: World, client_for: SignIn) -> None:
    assert client_for(world.alice).post(URL).status_code == 405


def test_the_header_links_to_it_for_signed_in_people(world: World, client_for: SignIn) -> None:
    client = client_for(world.alice)
    assert f'href="{URL}"' in client.get(reverse("plans-notices")).content.decode()
    assert f'href="{URL}"' not in client_for(None).get(reverse("accounts-login")).content.decode()


def test_an_empty_list_says_nothing_is_waiting(world: World, client_for: SignIn) -> None:
    html = page(client_for(world.by_role[Role.STAFF]))
    assert "Nothing waiting for you." in html
    assert "<table" not in html


# --- action steps and rocks: matched by name -----------------------------------------------------


def test_action_steps_and_rocks_are_matched_by_name_ignoring_case_and_spaces(
    world: World, team: Team, client_for: SignIn
) -> None:
    lead = world.by_role[Role.TEAM_LEAD]
    lead.last_name = "Natarajan"
    lead.save()
    plan = running_plan(world.school)
    action(plan, "  ana   RUIZ ")  # the seat's name
    action(plan, "Team_lead natarajan", due_in=-3, status=ActionStep.Status.STUCK)  # the account's
    action(plan, "Ana Ruiz-Lopez")  # another person
    action(plan, "Ana", due_in=1)  # only a first name: not enough
    action(plan, "Ana Ruiz", status=ActionStep.Status.DONE)  # done
    rock(plan, "ana ruiz", due_in=0, status=Rock.Status.OFF_TRACK)
    rock(plan, "Ana Ruiz", status=Rock.Status.DONE)

    html = page(client_for(lead))
    assert html.count("Action for") == 2
    assert "Action for   ana   RUIZ " in html and "Action for Team_lead natarajan" in html
    assert "3 days late" in html and "Stuck" in html and "in 10 days" in html
    assert html.count("Rock for") == 1 and "due today" in html and "Off track" in html
    assert "3 things are waiting for you." in html
    assert "1 is late." in html
    assert "Ana Ruiz, Team_Lead Natarajan" in html  # the names matched, said on the page


def test_items_link_to_where_they_are_done(world: World, team: Team) -> None:
    plan = running_plan(world.school)
    step = action(plan, "Ana Ruiz")
    stone = rock(plan, "Ana Ruiz")
    cycle = plan.cycle
    (actions, rocks) = my_work(world.by_role[Role.TEAM_LEAD]).groups
    args = [world.school.code, cycle.code]
    assert actions.items[0].link == reverse("plans-action-edit", args=[*args, step.code])
    assert rocks.items[0].link == reverse("plans-rock-edit", args=[*args, stone.code])


def test_a_reader_is_sent_to_the_plan_not_to_a_form(world: World) -> None:
    reviewer = world.by_role[Role.REVIEWER]  # reads the team's work, does not change it
    reviewer.first_name, reviewer.last_name = "Grace", "Liu"
    reviewer.save()
    plan = running_plan(world.school)
    step = action(plan, "Grace Liu")
    (group,) = my_work(reviewer).groups
    assert group.items[0].link.endswith(f"/plan/#action-{step.code}")


def test_only_running_cycles_count(world: World, team: Team) -> None:
    year = current_start_year()
    over = running_plan(world.school, first_year=year - 2, years=2)
    action(over, "Ana Ruiz")
    evaluated = running_plan(world.school, first_year=year - 1, years=3)
    Evaluation.objects.create(cycle=evaluated.cycle, finished_at=timezone.now())
    rock(evaluated, "Ana Ruiz")
    not_finished = running_plan(world.school, first_year=year + 5)
    Evaluation.objects.create(cycle=not_finished.cycle)  # begun, not finished
    rock(not_finished, "Ana Ruiz")
    work = my_work(world.by_role[Role.TEAM_LEAD])
    assert [(g.kind, len(g.items)) for g in work.groups] == [("rocks", 1)]


def test_another_organizations_items_never_show(world: World, team: Team) -> None:
    outside = running_plan(world.outside_school)  # Hillcrest: out of reach
    action(outside, "Ana Ruiz")
    rock(outside, "Ana Ruiz")
    Strategy.objects.create(
        plan=outside, title="Theirs", lever="plc", driver="competency",
        started_on=today() - timedelta(weeks=20),
    )  # fmt: skip
    submitted(outside)
    other_team = Team.objects.create(org=world.outside_school, name="Hillcrest Team")
    Round.objects.create(team=other_team, title="Their round")
    assert my_work(world.by_role[Role.TEAM_LEAD]).groups == []
    assert my_work(world.alice).groups == []


def test_a_community_viewer_sees_no_internal_work_even_with_a_seat(
    world: World, team: Team, client_for: SignIn
) -> None:
    viewer = world.by_role[Role.VIEWER]
    Todo.objects.create(team=team, text="Bring the flyers", owner=seat(team, viewer))
    action(running_plan(world.school), "Rosa Parent")
    open_round = Round.objects.create(team=team, title="Spring self-assessment")
    (group,) = my_work(viewer).groups  # only the self-assessment: every seat answers it
    assert group.kind == "self_assessments" and group.items[0].title == open_round.title
    assert "Bring the flyers" not in page(client_for(viewer))


# --- to-dos --------------------------------------------------------------------------------------


def test_open_to_dos_owned_by_the_persons_seat(
    world: World, team: Team, client_for: SignIn
) -> None:
    lead = world.by_role[Role.TEAM_LEAD]
    mine = seat(team, lead)
    Todo.objects.create(team=team, text="Call the bus company", owner=mine, due=today())
    Todo.objects.create(
        team=team, text="Send the survey", owner=mine, due=today() - timedelta(days=2)
    )
    Todo.objects.create(team=team, text="Done already", owner=mine, done_at=timezone.now())
    Todo.objects.create(
        team=team, text="Ben's job", owner=seat(team, world.by_role[Role.TEAM_MEMBER])
    )
    html = page(client_for(lead))
    assert "Call the bus company" in html and "Send the survey" in html
    assert "Done already" not in html and "Ben&#x27;s job" not in html
    assert html.index("Send the survey") < html.index("Call the bus company")  # late first
    assert "2 days late" in html and "due today" in html
    assert reverse("monitor-todos", args=[world.school.code]) in html


# --- reviews -------------------------------------------------------------------------------------


def submitted(plan: Plan) -> PlanVersion:
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.SUBMITTED)
    return PlanVersion.objects.create(plan=plan, number=plan.version)


def test_plans_waiting_for_review_show_to_those_who_approve(
    world: World, client_for: SignIn
) -> None:
    plan = running_plan(world.school)
    submitted(plan)
    running_plan(world.other_school)  # a draft: nothing to review
    html = page(client_for(world.alice))
    assert "Plans waiting for your review" in html and "Alder Creek Elementary" in html
    assert "Waiting for the district&#x27;s decision." in html
    assert reverse("plans-review", args=[world.school.code, plan.cycle.code]) in html
    assert my_work(world.by_role[Role.TEAM_LEAD]).groups == []
    assert my_work(world.dave).groups == []


def test_after_the_districts_approval_the_state_approval_is_what_waits(world: World) -> None:
    version = submitted(running_plan(world.school))
    Decision.objects.create(
        version=version, level="district", outcome="approved", decided_on=today()
    )
    (group,) = my_work(world.alice).groups
    assert group.items[0].note == "The district approved it: record the state's approval."


def test_a_strategy_review_is_due_after_its_window(world: World) -> None:
    plan = running_plan(world.school)

    def strategy(title: str, weeks_ago: int, **more: object) -> Strategy:
        started = today() - timedelta(weeks=weeks_ago)
        return Strategy.objects.create(
            plan=plan, title=title, lever="plc", driver="competency", started_on=started, **more
        )

    late = strategy("Weekly PLC cycles", 13)
    strategy("Just started", 2)
    reviewed = strategy("Reviewed lately", 30)
    StrategyReview.objects.create(
        strategy=reviewed,
        verdict="continue",
        evidence="Fine",
        reviewed_on=today() - timedelta(weeks=2),
    )
    strategy("Stopped", 30, status=Strategy.Status.STOPPED)
    strategy("Due today", 4, review_weeks=4)
    (group,) = my_work(world.by_role[Role.TEAM_LEAD]).groups
    assert [(i.title, i.when) for i in group.items] == [
        ("Weekly PLC cycles", "7 days late"),
        ("Due today", "due today"),
    ]
    assert group.items[0].link == reverse(
        "monitor-strategy-review", args=[world.school.code, plan.cycle.code, late.code]
    )
    assert my_work(world.by_role[Role.TEAM_MEMBER]).groups == []  # cannot decide on strategies


# --- self-assessments ----------------------------------------------------------------------------


def test_an_unanswered_open_round_waits_for_each_member(world: World, team: Team) -> None:
    open_round = Round.objects.create(team=team, title="Winter self-assessment")
    Round.objects.create(team=team, title="Closed one", closed_at=timezone.now())
    lead, member = world.by_role[Role.TEAM_LEAD], world.by_role[Role.TEAM_MEMBER]
    Participation.objects.create(round=open_round, member=seat(team, member))
    (group,) = my_work(lead).groups
    assert [i.title for i in group.items] == ["Winter self-assessment"]
    assert group.items[0].link == reverse(
        "teams-round-answer", args=[world.school.code, team.code, open_round.code]
    )
    assert my_work(member).groups == []  # answered
    assert my_work(world.alice).groups == []  # no seat on the team


# --- the rules underneath ------------------------------------------------------------------------


def test_the_owner_pattern_matches_whole_names_only() -> None:
    import re

    pattern = owner_pattern(["Ana Ruiz", "J. (Jo) Smith"])
    assert pattern is not None
    found = re.compile(pattern, re.IGNORECASE)
    assert found.search("  ANA\truiz ") and found.search("j. (jo)  smith")
    assert (
        not found.search("Ana Ruiz Lopez")
        and not found.search("Ana")
        and not found.search("J  Jo Smith")
    )
    assert owner_pattern(["", "  "]) is None


def test_names_are_the_account_name_and_the_seats_without_repeats(world: World, team: Team) -> None:
    lead = world.by_role[Role.TEAM_LEAD]
    other = Team.objects.create(org=world.school, name="Reading team")
    TeamMember.objects.create(team=other, user=lead, name="ana  ruiz", category=Category.COACH)
    assert names_of(lead, lead.team_memberships.all()) == ["Ana Ruiz", "Team_Lead"]


def test_the_reach_agrees_with_the_access_rules(world: World) -> None:
    both = world.person("both@example.org", Role.TEAM_MEMBER, world.school)
    Membership.objects.create(user=both, org=world.network, role=Role.VIEWER)
    Membership.objects.create(
        user=both, org=world.other_district, role=Role.ADMIN, expires_on=date(2000, 1, 1)
    )  # expired
    for user in [*User.objects.all()]:
        reach = reach_of(user)
        assert set(reach.orgs) == {o.pk for o in reachable_orgs(user)}, user
        for org in reach.orgs.values():
            assert reach.roles[org.pk] == roles_for(user, org), (user, org)


# --- speed ---------------------------------------------------------------------------------------


def many_things(world: World, team: Team, schools: int) -> None:
    """More schools in the district, each with a plan full of the admin's work."""
    admin = world.alice
    admin.last_name = "Admin"
    admin.save()
    for i in range(schools):
        school = Organization.objects.create(
            kind="school", name=f"School {i}", parent=world.district, level="elementary"
        )
        plan = running_plan(school)
        for _k in range(3):
            action(plan, "Alice Admin")
            rock(plan, "alice admin")
        Strategy.objects.create(
            plan=plan, title=f"Strategy {i}", lever="plc", driver="competency",
            started_on=today() - timedelta(weeks=20),
        )  # fmt: skip
        submitted(plan)
        other = Team.objects.create(org=school, name=f"Team {i}")
        mine = TeamMember.objects.create(team=other, user=admin, name="A", category="other")
        Todo.objects.create(team=other, text=f"To-do {i}", owner=mine)
        Round.objects.create(team=other, title=f"Round {i}")


def test_the_number_of_queries_does_not_grow_with_the_work(
    world: World,
    team: Team,
    client_for: SignIn,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(world.alice)
    many_things(world, team, 1)
    with django_assert_max_num_queries(30) as few:
        assert "10 things are waiting for you." in page(client)
    many_things(world, team, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "70 things are waiting for you." in page(client)
