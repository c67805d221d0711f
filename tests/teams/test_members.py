"""Adding, changing and removing the people on a team."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from headway.accounts.models import User
from headway.audit.models import AuditEvent
from headway.orgs.roles import Role
from headway.teams.models import (
    Acceptance,
    Category,
    Participation,
    Response,
    Round,
    Team,
    TeamMember,
)
from tests.conftest import World
from tests.teams.test_teams import make_team, seat

SignIn = Callable[..., Client]


def add_url(team: Team) -> str:
    return reverse("teams-member-add", args=[team.org.code, team.code])


def member_url(name: str, member: TeamMember) -> str:
    return reverse(name, args=[member.team.org.code, member.team.code, member.code])


def contact(name: str, category: str, *roles: str, email: str = "") -> dict[str, object]:
    return {"name": name, "email": email, "category": category, "roles": list(roles)}


def test_a_school_team_passes_the_check_once_everyone_it_needs_is_added(
    world: World, client_for: SignIn
) -> None:
    team = make_team(world.school)
    client = client_for(world.by_role[Role.TEAM_LEAD])
    assert "9 things still needed." in client.get(team.get_absolute_url()).content.decode()
    principal = world.by_role[Role.STAFF]
    people = [
        {"user": str(principal.pk), "category": "principal", "roles": ["co_chair"]},
        contact("Una Rep", "union_rep", "co_chair", email="una@union.example"),
        contact("Ted Teacher", "teacher"),
        contact("Pam Para", "paraprofessional"),
        contact("Flo Family", "parent"),
        contact("Sam Student", "student"),
        contact("Dee District", "district_staff"),
        contact("Eli Elected", "elected"),
    ]
    for data in people:
        assert client.post(add_url(team), data).status_code == 302
    html = client.get(team.get_absolute_url()).content.decode()
    assert "1 thing still needed." in html
    assert "An elected official is on the team, but does not take the community partner" in html
    client.post(add_url(team), contact("Cora Community", "community"))
    html = client.get(team.get_absolute_url()).content.decode()
    assert "The team has everyone it needs." in html
    assert team.members.get(user=principal).name == principal.display_name
    assert AuditEvent.objects.filter(action="team.member_added").count() == 9


def test_people_to_choose_from_hold_a_role_here_or_above(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    on_team = seat(team, "Already on", Category.TEACHER)
    on_team.user = world.by_role[Role.STAFF]
    on_team.save()
    html = client_for(world.alice).get(add_url(team)).content.decode()
    assert "alice@example.org" in html and "nora@example.org" in html
    assert "team_member@example.org" in html
    assert "dave@example.org" not in html  # another district
    assert "staff@example.org" not in html  # already on the team


def test_a_person_is_on_a_team_only_once(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    client = client_for(world.alice)
    data = {"user": str(world.alice.pk), "category": "district_staff"}
    assert client.post(add_url(team), data).status_code == 302
    by_email = contact("Alice again", "parent", email="ALICE@example.org")
    html = client.post(add_url(team), by_email).content.decode()
    assert "Email (optional): Alice is already on this team." in html
    assert team.members.count() == 1


def test_a_contact_with_the_email_of_an_account_is_linked_to_it(
    world: World, client_for: SignIn
) -> None:
    team = make_team(world.school)
    staff = world.by_role[Role.STAFF]
    data = contact("Sal", "teacher", email=staff.email)
    client_for(world.alice).post(add_url(team), data)
    member = team.members.get()
    assert (member.user, member.name) == (staff, "Sal")


def test_a_contact_is_linked_when_they_sign_up_later(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    data = contact("Flo Family", "parent", email="flo@family.example")
    client_for(world.alice).post(add_url(team), data)
    member = team.members.get()
    assert member.user is None
    html = client_for(world.alice).get(team.get_absolute_url()).content.decode()
    assert "Invited contact" in html
    flo = User.objects.create_user("Flo@Family.example", "pw-long-enough")
    member.refresh_from_db()
    assert member.user == flo


def test_adding_needs_a_person_and_names_the_field(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    client = client_for(world.alice)
    html = client.post(add_url(team), {"roles": ["member"]}).content.decode()
    assert "Someone with a Headway account: Choose a person from the list" in html
    assert "Speaks for: This field is required." in html
    both = {"user": str(world.alice.pk), "name": "Someone", "category": "parent"}
    html = client.post(add_url(team), both).content.decode()
    assert "Name: Choose a person from the list or type a name, not both." in html
    bad_email = contact("Flo", "parent", email="not-an-address")
    assert "Email (optional): Enter a valid email address." in (
        client.post(add_url(team), bad_email).content.decode()
    )
    assert not team.members.exists()


def test_a_team_member_cannot_add_change_or_remove_members(
    world: World, client_for: SignIn
) -> None:
    team = make_team(world.school)
    member = seat(team, "Ted", Category.TEACHER)
    member.user = world.by_role[Role.TEAM_MEMBER]
    member.save()
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    assert client.post(add_url(team), contact("Zed", "parent")).status_code == 403
    edit = member_url("teams-member-edit", member)
    assert client.post(edit, {"category": "parent", "revision": "1"}).status_code == 403
    assert client.post(member_url("teams-member-remove", member)).status_code == 403
    assert team.members.count() == 1


def test_editing_a_member_changes_their_seat(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    member = seat(team, "Ted", Category.TEACHER)
    data = {"name": "Ted T.", "category": "union_rep", "roles": ["co_chair", "note_taker"]}
    response = client_for(world.alice).post(
        member_url("teams-member-edit", member), {**data, "revision": "1"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.category, member.roles, member.revision) == (
        "Ted T.",
        "union_rep",
        ["co_chair", "note_taker"],
        2,
    )


def test_a_member_without_roles_is_a_plain_member(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    member = seat(team, "Ted", Category.TEACHER, "co_chair")
    data = {"name": "Ted", "category": "teacher", "revision": "1"}
    client_for(world.alice).post(member_url("teams-member-edit", member), data)
    member.refresh_from_db()
    assert member.roles == ["member"]


def test_two_people_editing_a_member_at_once_see_the_conflict(
    world: World, client_for: SignIn
) -> None:
    team = make_team(world.school)
    member = seat(team, "Ted", Category.TEACHER)
    url = member_url("teams-member-edit", member)
    first = {"name": "Ted", "category": "coach", "roles": ["member"], "revision": "1"}
    assert client_for(world.alice).post(url, first).status_code == 302
    second = {**first, "category": "union_rep"}
    html = client_for(world.by_role[Role.TEAM_LEAD]).post(url, second).content.decode()
    assert "Ted was changed by someone else while you were editing." in html
    assert "Instructional coach" in html and "Union representative" in html
    member.refresh_from_db()
    assert member.category == "coach"


def test_removing_a_member_asks_first_and_keeps_answers_anonymous(
    world: World, client_for: SignIn
) -> None:
    team = make_team(world.school)
    member = seat(team, "Ted", Category.TEACHER)
    current = team.current_agreements()
    assert current is not None
    Acceptance.objects.create(agreement_set=current, member=member)
    round_ = Round.objects.create(team=team, title="Fall")
    Participation.objects.create(round=round_, member=member)
    Response.objects.create(round=round_, ratings={"trust": 4})
    client = client_for(world.alice)
    url = member_url("teams-member-remove", member)
    html = client.get(url).content.decode()
    assert "Remove Ted from Alder Creek SIT?" in html and "without their name" in html
    assert team.members.exists()
    assert client.post(url)["Location"] == team.get_absolute_url()
    assert not team.members.exists() and not Acceptance.objects.exists()
    assert round_.responses.count() == 1
    assert AuditEvent.objects.filter(action="team.member_removed", actor=world.alice).exists()


def test_a_member_with_an_account_keeps_the_account_name(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    member = seat(team, "Staff", Category.TEACHER)
    member.user = world.by_role[Role.STAFF]
    member.save()
    client = client_for(world.alice)
    url = member_url("teams-member-edit", member)
    html = client.get(url).content.decode()
    assert "come from their Headway account" in html and 'name="name"' not in html
    data = {"name": "Renamed", "category": "coach", "roles": ["member"], "revision": "1"}
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.name, member.category) == ("Staff", "coach")
    assert member.user == world.by_role[Role.STAFF]
