"""A team's working agreements: writing, versions, accepting, and edits that cross."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from headway.accounts.models import User
from headway.orgs.roles import Role
from headway.teams.agreements import default_items
from headway.teams.models import Acceptance, AgreementSet, Team, TeamMember
from tests.conftest import World

SignIn = Callable[..., Client]


@dataclass
class Crew:
    team: Team
    lead: User
    member: User
    staff: User
    contact: TeamMember

    def url(self, name: str) -> str:
        return reverse(name, args=[self.team.org.code, self.team.code])

    def seat(self, user: User) -> TeamMember:
        return self.team.members.get(user=user)


@pytest.fixture
def crew(world: World) -> Crew:
    team = Team.objects.create(org=world.school, name="Alder Creek SIT", published=True)
    people = [world.by_role[r] for r in (Role.TEAM_LEAD, Role.TEAM_MEMBER, Role.STAFF)]
    for user, category in zip(people, ["principal", "teacher", "teacher"], strict=True):
        TeamMember.objects.create(team=team, user=user, name=user.first_name, category=category)
    contact = TeamMember.objects.create(team=team, name="Pat Parent", category="parent")
    lead, member, staff = people
    return Crew(team, lead, member, staff, contact)


def agreements(crew: Crew, *items: str, number: int = 1) -> AgreementSet:
    return AgreementSet.objects.create(
        team=crew.team, number=number, items=list(items), created_by=crew.lead
    )


def accept(client: Client, crew: Crew, number: int = 1, follow: bool = False, **extra: Any) -> Any:
    data = {"number": number, **extra}
    return client.post(crew.url("teams-agreements-accept"), data, follow=follow)


def save(client: Client, crew: Crew, text: str, number: int) -> Any:
    return client.post(crew.url("teams-agreements-edit"), {"items": text, "number": number})


def test_a_team_without_agreements_offers_the_defaults(crew: Crew, client_for: SignIn) -> None:
    page = client_for(crew.lead).get(crew.url("teams-agreements")).content.decode()
    assert "This team has no working agreements yet." in page
    assert "Start from the suggested agreements" in page
    form = client_for(crew.lead).get(crew.url("teams-agreements-edit")).context["form"]
    assert form.initial == {"items": "\n".join(default_items()), "number": 0}


def test_members_without_edit_rights_see_a_friendly_empty_state(
    crew: Crew, client_for: SignIn
) -> None:
    page = client_for(crew.member).get(crew.url("teams-agreements")).content.decode()
    assert "The team lead writes them with the team" in page
    assert "Start from the suggested agreements" not in page


def test_a_lead_saves_the_first_version(crew: Crew, client_for: SignIn) -> None:
    text = "We start on time.\n\n  We listen first.  \n"
    response = save(client_for(crew.lead), crew, text, 0)
    assert response["Location"] == crew.url("teams-agreements")
    saved = AgreementSet.objects.get(team=crew.team)
    assert (saved.number, saved.items) == (1, ["We start on time.", "We listen first."])
    assert saved.created_by == crew.lead


def test_the_agreements_show_as_a_numbered_list(crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.", "We listen first.")
    page = client_for(crew.member).get(crew.url("teams-agreements")).content.decode()
    assert "<li>We start on time.</li><li>We listen first.</li>" in page
    assert "<ol" in page
    assert "4 members have not accepted yet: Pat Parent, Staff, Team_Lead, Team_Member." in page
    assert "I accept these agreements" in page


def test_a_member_accepts(crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.")
    client = client_for(crew.member)
    response = accept(client, crew)
    assert response["Location"] == crew.url("teams-agreements")
    acceptance = Acceptance.objects.get()
    assert acceptance.member == crew.seat(crew.member)
    page = client.get(crew.url("teams-agreements")).content.decode()
    assert "You have accepted these agreements." in page
    assert "I accept these agreements" not in page
    assert "3 members have not accepted yet" in page


def test_accepting_twice_is_fine_and_says_so(crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.")
    client = client_for(crew.member)
    accept(client, crew)
    page = client.post(crew.url("teams-agreements-accept"), {"number": 1}, follow=True)
    assert "You had already accepted these agreements." in page.content.decode()
    assert Acceptance.objects.count() == 1


def test_accepting_an_out_of_date_version_records_nothing(crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.")
    agreements(crew, "We start on time.", "We end on time.", number=2)
    response = client_for(crew.member).post(
        crew.url("teams-agreements-accept"), {"number": 1}, follow=True
    )
    assert "changed after you opened the page" in response.content.decode()
    assert not Acceptance.objects.exists()


def test_people_not_on_the_team_cannot_accept(world: World, crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.")
    assert accept(client_for(world.by_role[Role.REVIEWER]), crew).status_code == 403
    assert not Acceptance.objects.exists()


def test_a_lead_records_acceptance_for_a_contact(crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.")
    client = client_for(crew.lead)
    page = client.get(crew.url("teams-agreements")).content.decode()
    assert "Record that Pat Parent accepted" in page
    response = accept(client, crew, member=crew.contact.code)
    assert response.status_code == 302
    acceptance = Acceptance.objects.get()
    assert (acceptance.member, acceptance.recorded_by) == (crew.contact, crew.lead)
    page = client.get(crew.url("teams-agreements")).content.decode()
    assert "recorded by" in page and "Record that Pat Parent accepted" not in page


def test_only_leads_record_for_contacts(crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.")
    assert accept(client_for(crew.member), crew, member=crew.contact.code).status_code == 403
    assert not Acceptance.objects.exists()


def test_a_lead_cannot_record_for_a_member_with_an_account(crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.")
    seat = crew.seat(crew.member)
    response = accept(client_for(crew.lead), crew, member=seat.code, follow=True)
    assert "who has no Headway account" in response.content.decode()
    assert not Acceptance.objects.exists()


def test_editing_creates_version_2_and_asks_everyone_again(crew: Crew, client_for: SignIn) -> None:
    first = agreements(crew, "We start on time.")
    Acceptance.objects.create(agreement_set=first, member=crew.seat(crew.member))
    client = client_for(crew.lead)
    page = client.get(crew.url("teams-agreements-edit")).content.decode()
    assert "every member is asked to accept the agreements again" in page
    save(client, crew, "We start on time.\nWe end on time.", 1)
    second = crew.team.current_agreements()
    assert second is not None and second.number == 2 and not second.acceptances.exists()
    page = client_for(crew.member).get(crew.url("teams-agreements")).content.decode()
    assert "Accepted version 1; not yet this one" in page
    assert "I accept these agreements" in page
    assert "4 members have not accepted yet" in page


def test_saving_unchanged_text_keeps_the_version(crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.", "We listen first.")
    response = save(client_for(crew.lead), crew, "We start on time.\n\nWe listen first.\n", 1)
    assert response.status_code == 302
    assert AgreementSet.objects.count() == 1


def test_edits_that_cross_show_a_conflict(crew: Crew, client_for: SignIn) -> None:
    agreements(crew, "We start on time.")
    client = client_for(crew.lead)
    save(client, crew, "We start on time.\nPhones away.", 1)  # someone else, first
    response = save(client, crew, "We start on time.\nWe bring snacks.", 1)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed the agreements while you were editing" in page
    assert "<li>Phones away.</li>" in page  # their stored version
    assert "We bring snacks." in page  # the unsaved text, still in the box
    assert AgreementSet.objects.count() == 2
    assert response.context["form"].initial["number"] == 2
    save(client, crew, "We start on time.\nWe bring snacks.", 2)  # after comparing
    assert AgreementSet.objects.count() == 3


def test_empty_agreements_name_the_field(crew: Crew, client_for: SignIn) -> None:
    response = save(client_for(crew.lead), crew, " \n\n ", 0)
    assert response.status_code == 400
    assert "Our working agreements: Write at least one agreement." in response.content.decode()
    assert not AgreementSet.objects.exists()


def test_a_long_agreement_names_its_line(crew: Crew, client_for: SignIn) -> None:
    text = "Fine.\n\n" + "x" * 301
    response = save(client_for(crew.lead), crew, text, 0)
    assert response.status_code == 400
    assert "Line 3 is 301 characters long; shorten it to 300 or fewer." in (
        response.content.decode()
    )


def test_only_leads_edit(crew: Crew, client_for: SignIn) -> None:
    assert client_for(crew.member).get(crew.url("teams-agreements-edit")).status_code == 403
    assert save(client_for(crew.member), crew, "Mine", 0).status_code == 403


def test_community_viewers_see_only_the_items(world: World, crew: Crew, client_for: SignIn) -> None:
    first = agreements(crew, "We start on time.")
    Acceptance.objects.create(agreement_set=first, member=crew.seat(crew.member))
    page = client_for(world.by_role[Role.VIEWER]).get(crew.url("teams-agreements"))
    text = page.content.decode()
    assert "We start on time." in text
    assert "Who has accepted" not in text and "Team_Member" not in text
    assert "I accept" not in text


def test_unpublished_teams_are_hidden_from_viewers(
    world: World, crew: Crew, client_for: SignIn
) -> None:
    Team.objects.filter(pk=crew.team.pk).update(published=False)
    response = client_for(world.by_role[Role.VIEWER]).get(crew.url("teams-agreements"))
    assert response.status_code == 404
