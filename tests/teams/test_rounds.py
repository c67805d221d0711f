"""The team-effectiveness self-assessment: rounds, anonymous answers and results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from headway.accounts.models import User
from headway.orgs.roles import Role
from headway.teams.characteristics import CHARACTERISTICS
from headway.teams.models import Participation, Response, Round, Team, TeamMember
from tests.conftest import World

SignIn = Callable[..., Client]
SLUGS = [c.slug for c in CHARACTERISTICS]


@dataclass
class Crew:
    team: Team
    lead: User
    member: User
    staff: User

    def url(self, name: str, *extra: Any) -> str:
        return reverse(name, args=[self.team.org.code, self.team.code, *extra])


@pytest.fixture
def crew(world: World) -> Crew:
    team = Team.objects.create(org=world.school, name="Alder Creek SIT", published=True)
    people = [world.by_role[r] for r in (Role.TEAM_LEAD, Role.TEAM_MEMBER, Role.STAFF)]
    for user, category in zip(people, ["principal", "teacher", "teacher"], strict=True):
        TeamMember.objects.create(team=team, user=user, name=user.first_name, category=category)
    TeamMember.objects.create(team=team, name="Pat Parent", category="parent")
    return Crew(team, *people)


def open_round(crew: Crew, title: str = "Fall check-in") -> Round:
    return Round.objects.create(team=crew.team, title=title, opened_by=crew.lead)


def ratings(value: int = 3, **given: int | str) -> dict[str, str]:
    data = {slug: str(value) for slug in SLUGS}
    data.update({slug: str(v) for slug, v in given.items()})
    return data


def answer(client: Client, crew: Crew, rnd: Round, data: dict[str, str]) -> Any:
    return client.post(crew.url("teams-round-answer", rnd.code), data)


def closed(rnd: Round) -> Round:
    Round.objects.filter(pk=rnd.pk).update(closed_at=timezone.now())
    rnd.refresh_from_db()
    return rnd


def three_answers(client_for: SignIn, crew: Crew, rnd: Round) -> None:
    given = [
        (crew.lead, ratings(mission=3, trust=1, risk=2) | {"trust_comment": "We hold back."}),
        (crew.member, ratings(mission=4, trust=2, risk=2) | {"trust_comment": "Agendas help"}),
        (crew.staff, ratings(mission=5, trust=2, risk=3)),
    ]
    for user, data in given:
        assert answer(client_for(user), crew, rnd, data).status_code == 302


def test_a_lead_opens_a_round_titled_with_the_month(crew: Crew, client_for: SignIn) -> None:
    response = client_for(crew.lead).post(crew.url("teams-rounds"), {"title": ""})
    rnd = Round.objects.get(team=crew.team)
    assert response["Location"] == rnd.get_absolute_url()
    assert rnd.title == "Self-assessment, " + timezone.localdate().strftime("%B %Y")
    assert rnd.is_open and rnd.opened_by == crew.lead


def test_the_round_list_shows_status_and_number_answered(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    Participation.objects.create(round=rnd, member=crew.team.members.get(user=crew.member))
    page = client_for(crew.member).get(crew.url("teams-rounds")).content.decode()
    assert "Fall check-in" in page and "Open" in page and "1 of 4" in page
    assert "waiting for your answers" not in page


def test_only_one_round_is_open_at_a_time(crew: Crew, client_for: SignIn) -> None:
    open_round(crew)
    client = client_for(crew.lead)
    assert "Close “Fall check-in” first" in client.get(crew.url("teams-rounds")).content.decode()
    response = client.post(crew.url("teams-rounds"), {"title": "Another"})
    assert response.status_code == 400
    assert "is still open. Close it first" in response.content.decode()
    assert Round.objects.filter(team=crew.team).count() == 1


def test_only_leads_open_and_close_rounds(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    client = client_for(crew.member)
    assert client.post(crew.url("teams-rounds"), {"title": "Mine"}).status_code == 403
    assert client.post(crew.url("teams-round-close", rnd.code)).status_code == 403
    rnd.refresh_from_db()
    assert rnd.is_open


def test_three_answers_show_results_with_correct_averages(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    three_answers(client_for, crew, rnd)
    closed(rnd)
    response = client_for(crew.lead).get(rnd.get_absolute_url())
    results = {r.characteristic.slug: r for r in response.context["results"]}
    assert results["mission"].mean == "4.0"  # 3, 4, 5
    assert results["trust"].mean == "1.7"  # 1, 2, 2
    assert results["leadership"].mean == "3.0"
    assert (results["mission"].summary.low, results["mission"].summary.high) == (3, 5)
    page = response.content.decode()
    assert "Average 4.0 out of 5 from 3 answers" in page
    assert 'data-chart="self-assessment-spec"' in page and "vega-embed" in page


def test_an_open_round_keeps_its_results_hidden_even_with_three_answers(
    crew: Crew, client_for: SignIn
) -> None:
    rnd = open_round(crew)
    three_answers(client_for, crew, rnd)
    response = client_for(crew.lead).get(rnd.get_absolute_url())
    page = response.content.decode()
    assert "results" not in response.context and "We hold back." not in page
    assert "Results show when a team lead closes the round." in page
    closed(rnd)
    assert "We hold back." in client_for(crew.lead).get(rnd.get_absolute_url()).content.decode()


def test_with_two_answers_results_are_hidden(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    answer(client_for(crew.lead), crew, rnd, ratings(trust_comment="Secret worry"))
    answer(client_for(crew.member), crew, rnd, ratings())
    response = client_for(crew.lead).get(rnd.get_absolute_url())
    page = response.content.decode()
    assert "So far 2 of the 3 answers needed before results show" in page
    assert "results" not in response.context and "Secret worry" not in page
    assert "vega-embed" not in page


def test_the_page_names_who_answered_but_not_what(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    three_answers(client_for, crew, rnd)
    page = client_for(crew.member).get(rnd.get_absolute_url()).content.decode()
    assert "3 members have answered: Staff, Team_Lead, Team_Member." in page
    assert "Not answered yet (1): Pat Parent." in page


def test_comments_are_listed_alphabetically(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    three_answers(client_for, crew, rnd)
    closed(rnd)
    response = client_for(crew.lead).get(rnd.get_absolute_url())
    results = {r.characteristic.slug: r for r in response.context["results"]}
    assert results["trust"].comments == ["Agendas help", "We hold back."]
    assert results["mission"].comments == []


def test_reflection_prompts_follow_the_two_lowest(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    three_answers(client_for, crew, rnd)
    closed(rnd)
    response = client_for(crew.lead).get(rnd.get_absolute_url())
    assert [c.slug for c in response.context["reflect"]] == ["trust", "risk"]
    assert "What would make it safer to raise a concern" in response.content.decode()


def test_the_change_since_the_previous_round_shows(crew: Crew, client_for: SignIn) -> None:
    earlier = open_round(crew, "Spring")
    earlier.closed_at = timezone.now()
    earlier.save()
    for mission in (2, 3, 4):
        Response.objects.create(round=earlier, ratings={s: 3 for s in SLUGS} | {"mission": mission})
    Round.objects.filter(pk=earlier.pk).update(opened_at=timezone.now() - timedelta(days=90))
    rnd = open_round(crew)
    three_answers(client_for, crew, rnd)
    closed(rnd)
    response = client_for(crew.lead).get(rnd.get_absolute_url())
    results = {r.characteristic.slug: r for r in response.context["results"]}
    assert results["mission"].change == "+1.0"
    assert results["trust"].change == "−1.3"
    assert "Change since the last round: +1.0." in response.content.decode()


def test_no_change_shows_after_a_previous_round_of_two(crew: Crew, client_for: SignIn) -> None:
    earlier = open_round(crew, "Spring")
    Round.objects.filter(pk=earlier.pk).update(
        opened_at=timezone.now() - timedelta(days=90), closed_at=timezone.now()
    )
    for _i in range(2):
        Response.objects.create(round=earlier, ratings={s: 1 for s in SLUGS})
    rnd = open_round(crew)
    three_answers(client_for, crew, rnd)
    closed(rnd)
    response = client_for(crew.lead).get(rnd.get_absolute_url())
    assert all(r.change is None for r in response.context["results"])


def test_answering_stores_an_anonymous_response(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    data = ratings(5, mission=2, mission_comment="  Unclear goals ")
    response = answer(client_for(crew.member), crew, rnd, data)
    assert response["Location"] == rnd.get_absolute_url()
    stored = Response.objects.get(round=rnd)
    assert stored.ratings == {s: 5 for s in SLUGS} | {"mission": 2}
    assert stored.comments == {"mission": "Unclear goals"}
    assert Participation.objects.get(round=rnd).member.user == crew.member


def test_responses_hold_no_member_reference(crew: Crew) -> None:
    fields = Response._meta.get_fields()
    related = {f.related_model for f in fields if f.is_relation}
    assert related == {Round}
    assert not any(isinstance(f, models.DateField) for f in fields)  # no time to match on


def test_a_member_cannot_answer_twice(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    client = client_for(crew.member)
    answer(client, crew, rnd, ratings())
    response = client.post(crew.url("teams-round-answer", rnd.code), ratings(1), follow=True)
    assert "You have already answered this round" in response.content.decode()
    assert Response.objects.filter(round=rnd).count() == 1
    assert client.get(crew.url("teams-round-answer", rnd.code)).status_code == 302


def test_a_non_member_gets_403_on_answer(world: World, crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    client = client_for(world.by_role[Role.REVIEWER])
    assert client.get(crew.url("teams-round-answer", rnd.code)).status_code == 403
    assert answer(client, crew, rnd, ratings()).status_code == 403
    assert not Response.objects.exists()


def test_viewers_get_404_on_rounds(world: World, crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    client = client_for(world.by_role[Role.VIEWER])
    assert client.get(crew.url("teams-rounds")).status_code == 404
    assert client.get(rnd.get_absolute_url()).status_code == 404
    assert client.post(crew.url("teams-rounds"), {"title": "x"}).status_code == 404


def test_outsiders_get_404(world: World, crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    client = client_for(world.dave)
    assert client.get(crew.url("teams-rounds")).status_code == 404
    assert client.get(crew.url("teams-round-answer", rnd.code)).status_code == 404


def test_reviewers_see_the_rounds(world: World, crew: Crew, client_for: SignIn) -> None:
    open_round(crew)
    response = client_for(world.by_role[Role.REVIEWER]).get(crew.url("teams-rounds"))
    assert response.status_code == 200 and "Fall check-in" in response.content.decode()


def test_the_answer_form_explains_anonymity(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    page = client_for(crew.member).get(crew.url("teams-round-answer", rnd.code)).content.decode()
    assert "Your answers are stored without your name" in page
    assert "results appear once at least 3 members have answered" in page
    assert page.count("<fieldset") == 9 and "<legend>A shared mission:</legend>" in page
    assert "1 – Not at all" in page


def test_a_rating_out_of_range_names_the_field(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    response = answer(client_for(crew.member), crew, rnd, ratings(mission=7))
    assert response.status_code == 400
    assert "A shared mission: Choose a number from 1 (not at all) to 5 (fully)." in (
        response.content.decode()
    )
    assert not Response.objects.exists() and not Participation.objects.exists()


def test_a_missing_rating_names_the_field(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    data = ratings()
    del data["trust"]
    response = answer(client_for(crew.member), crew, rnd, data)
    assert response.status_code == 400
    assert "Trust and openness: Choose how true this is of the team" in response.content.decode()


def test_a_long_comment_names_the_field(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    response = answer(client_for(crew.member), crew, rnd, ratings(risk_comment="x" * 1001))
    assert response.status_code == 400
    assert "Keep the comment to 1000 characters or fewer." in response.content.decode()


def test_closing_a_round_stops_answers(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    response = client_for(crew.lead).post(crew.url("teams-round-close", rnd.code))
    assert response["Location"] == rnd.get_absolute_url()
    rnd.refresh_from_db()
    assert rnd.closed_at is not None
    client = client_for(crew.member)
    response = answer(client, crew, rnd, ratings())
    assert response.status_code == 302 and not Response.objects.exists()
    page = client.get(crew.url("teams-rounds")).content.decode()
    assert "Closed on" in page


def test_the_close_button_says_what_it_does(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    page = client_for(crew.lead).get(rnd.get_absolute_url()).content.decode()
    assert "Close the round: no more answers" in page
    page = client_for(crew.member).get(rnd.get_absolute_url()).content.decode()
    assert "Close the round" not in page and "Answer the nine questions" in page


def test_closing_requires_post(crew: Crew, client_for: SignIn) -> None:
    rnd = open_round(crew)
    assert client_for(crew.lead).get(crew.url("teams-round-close", rnd.code)).status_code == 405


def test_an_unknown_round_is_404(crew: Crew, client_for: SignIn) -> None:
    other = Team.objects.create(org=crew.team.org, name="Other team")
    rnd = Round.objects.create(team=other, title="Theirs")
    assert client_for(crew.lead).get(crew.url("teams-round", rnd.code)).status_code == 404
