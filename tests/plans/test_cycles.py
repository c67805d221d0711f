"""The Plan section's landing page and starting an improvement cycle."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from headway.audit.models import AuditEvent
from headway.orgs.models import current_start_year, school_year_label
from headway.orgs.roles import Role
from headway.plans.models import Answer, Cycle, Evidence, NeedsAssessment
from tests.conftest import World

SignIn = Callable[..., Client]


def _home(world: World) -> str:
    return reverse("plans-home", args=[world.school.code])


def _create(world: World) -> str:
    return reverse("plans-cycle-create", args=[world.school.code])


def test_a_team_lead_starts_a_cycle_with_its_needs_assessment(
    world: World, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.TEAM_LEAD])
    response = client.post(_create(world), {"first_year": "2024", "years": "2"})
    cycle = Cycle.objects.get(org=world.school)
    assert response.status_code == 302 and response["Location"] == cycle.get_absolute_url()
    assert (cycle.first_year, cycle.years, cycle.label) == (2024, 2, "2024–25 to 2025–26")
    assert NeedsAssessment.objects.filter(cycle=cycle).exists()
    event = AuditEvent.objects.get(action="plan.cycle_started")
    assert event.org == world.school and event.detail == {"first_year": 2024, "years": 2}


def test_the_form_offers_the_districts_school_years_and_the_current_one(
    world: World, client_for: SignIn
) -> None:
    html = client_for(world.alice).get(_create(world)).content.decode()
    now = current_start_year()
    assert f'<option value="{now}" selected>{school_year_label(now)}</option>' in html
    assert '<option value="2024"' in html
    assert "How long the plan runs" in html and "<legend" in html


def test_a_second_cycle_starting_the_same_year_is_refused_with_a_clear_message(
    world: World, client_for: SignIn
) -> None:
    Cycle.objects.create(org=world.school, first_year=2024)
    response = client_for(world.alice).post(_create(world), {"first_year": "2024", "years": "1"})
    assert response.status_code == 200
    assert "A plan starting in 2024–25 already exists." in response.content.decode()
    assert Cycle.objects.filter(org=world.school).count() == 1


def test_a_cycle_runs_one_to_three_years(world: World, client_for: SignIn) -> None:
    response = client_for(world.alice).post(_create(world), {"first_year": "2024", "years": "4"})
    assert response.status_code == 200 and not Cycle.objects.exists()
    assert "How long the plan runs" in response.content.decode()


def test_a_team_member_may_not_start_a_cycle(world: World, client_for: SignIn) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    assert client.get(_create(world)).status_code == 403
    assert client.post(_create(world), {"first_year": "2024", "years": "1"}).status_code == 403
    assert not Cycle.objects.exists()


def test_outsiders_cannot_tell_the_plan_exists(world: World, client_for: SignIn) -> None:
    client = client_for(world.dave)
    assert client.get(_home(world)).status_code == 404
    assert client.get(_create(world)).status_code == 404


def test_the_home_page_lists_cycles_with_their_progress(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    Answer.objects.create(assessment=cycle.assessment, question="achievement", text="Math.")
    Answer.objects.create(assessment=cycle.assessment, question="groups", text="")
    Evidence.objects.create(assessment=cycle.assessment, question="groups", title="t", link="/")
    html = client_for(world.by_role[Role.TEAM_MEMBER]).get(_home(world)).content.decode()
    assert "Needs assessment 2025–26 to 2026–27" in html and cycle.get_absolute_url() in html
    assert "1 of 8" in html and '<td class="num">1</td>' in html
    assert "Start a cycle" not in html


def test_the_home_page_explains_the_cycle_when_there_is_none(
    world: World, client_for: SignIn
) -> None:
    html = client_for(world.by_role[Role.TEAM_LEAD]).get(_home(world)).content.decode()
    assert "No improvement cycle yet." in html and "SMART goals" in html
    assert "Start the first cycle" in html


def test_community_viewers_see_no_cycle_details(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    response = client_for(world.by_role[Role.VIEWER]).get(_home(world))
    html = response.content.decode()
    assert response.status_code == 200 and "once it is published" in html
    assert cycle.label not in html and "Start a cycle" not in html


def test_a_district_sees_its_schools_plans(world: World, cycle: Cycle, client_for: SignIn) -> None:
    html = client_for(world.alice).get(reverse("plans-home", args=[world.district.code]))
    text = html.content.decode()
    assert "Alder Creek Elementary" in text and "1 cycle" in text


def test_plans_belong_to_schools_and_districts_not_networks(
    world: World, client_for: SignIn
) -> None:
    client = client_for(world.nora)
    html = client.get(reverse("plans-home", args=[world.network.code])).content.decode()
    assert "Plans belong to schools and districts." in html
    assert client.get(reverse("plans-cycle-create", args=[world.network.code])).status_code == 404
