"""The Team section's pages: the landing page, starting and editing a team, the rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headway.audit.models import AuditEvent
from headway.orgs.models import Organization
from headway.orgs.roles import Role
from headway.teams import agreements
from headway.teams.models import (
    Acceptance,
    Acknowledgement,
    AgreementSet,
    Category,
    Charter,
    CompositionSettings,
    CustomRule,
    Participation,
    Partner,
    Partnership,
    Round,
    Team,
    TeamMember,
    TeamRole,
)
from tests.conftest import World

SignIn = Callable[..., Client]


def make_team(org: Organization, name: str = "Alder Creek SIT", **fields: object) -> Team:
    team = Team.objects.create(org=org, name=name, **fields)
    AgreementSet.objects.create(team=team, number=1, items=agreements.default_items())
    return team


def seat(team: Team, name: str, category: str, *roles: str) -> TeamMember:
    return TeamMember.objects.create(
        team=team, name=name, category=category, roles=list(roles) or ["member"]
    )


def adopted_charter(world: World, mission: str = "Every child reads by grade three.") -> Charter:
    partnership = Partnership.objects.create(district=world.district)
    partner = Partner.objects.create(
        partnership=partnership, kind="union", name="Riverbend Teachers", representative="Jo"
    )
    charter = Charter.objects.create(
        partnership=partnership,
        number=1,
        mission=mission,
        vision="Schools the whole town is proud of.",
        values="Trust",
        data_use="Only for improvement.",
    )
    Acknowledgement.objects.create(
        charter=charter, partner=partner, name="Jo", acknowledged_on=date(2025, 1, 10)
    )
    return charter


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def home_url(org: Organization) -> str:
    return reverse("teams-home", args=[org.code])


# The landing page -------------------------------------------------------------------------


def test_the_school_page_lists_teams_with_what_they_still_need(
    world: World, client_for: SignIn
) -> None:
    team = make_team(world.school)
    seat(team, "Pat Principal", Category.PRINCIPAL)
    html = page(client_for(world.by_role[Role.TEAM_LEAD]), home_url(world.school))
    assert "Alder Creek SIT" in html and team.get_absolute_url() in html
    assert "Missing 8: A union representative, Teachers" in html
    assert "Start a team" in html


def test_a_complete_team_has_everyone_it_needs(world: World, client_for: SignIn) -> None:
    team = make_team(world.school, kind=Team.Kind.INSTRUCTIONAL)
    seat(team, "Pat", Category.PRINCIPAL, TeamRole.VISIONARY)
    seat(team, "Ted", Category.TEACHER, TeamRole.INTEGRATOR)
    html = page(client_for(world.by_role[Role.TEAM_MEMBER]), home_url(world.school))
    assert "Has everyone it needs" in html
    assert "Start a team" not in html


def test_the_school_page_shows_the_adopted_charter(world: World, client_for: SignIn) -> None:
    client = client_for(world.by_role[Role.STAFF])
    assert "have not adopted a charter yet" in page(client, home_url(world.school))
    adopted_charter(world)
    html = page(client, home_url(world.school))
    assert "Every child reads by grade three." in html
    assert "Schools the whole town is proud of." in html


def test_the_district_page_links_the_partnership_without_creating_one(
    world: World, client_for: SignIn
) -> None:
    make_team(world.district, "Riverbend District Team", kind=Team.Kind.DISTRICT)
    make_team(world.other_school, "Elm Street SIT")
    html = page(client_for(world.alice), home_url(world.district))
    assert reverse("teams-partnership", args=[world.district.code]) in html
    assert "No partners yet." in html
    assert not Partnership.objects.exists()
    assert "Riverbend District Team" in html and "Elm Street SIT" in html
    assert "Alder Creek Elementary" in html and "No team yet" in html
    assert "Composition rules" in html and "Missing" in html


def test_the_district_page_tells_the_charter_status(world: World, client_for: SignIn) -> None:
    charter = adopted_charter(world)
    Charter.objects.create(
        partnership=charter.partnership,
        number=2,
        mission="m",
        vision="v",
        values="a",
        data_use="d",
    )
    html = page(client_for(world.alice), home_url(world.district))
    assert "1 partner." in html
    assert "Charter version 1 is adopted; version 2 is waiting" in html


def test_the_network_page_lists_its_districts(world: World, client_for: SignIn) -> None:
    html = page(client_for(world.nora), home_url(world.network))
    assert home_url(world.district) in html and "Teams of Riverbend" in html
    assert "Start a team" not in html


def test_community_viewers_see_only_published_teams(world: World, client_for: SignIn) -> None:
    hidden = make_team(world.school, "Draft team")
    shown = make_team(world.school, "Published team", published=True)
    viewer = client_for(world.by_role[Role.VIEWER])
    html = page(viewer, home_url(world.school))
    assert "Published team" in html and "Draft team" not in html
    assert "Missing" not in html and "Who is on it" not in html
    assert viewer.get(hidden.get_absolute_url()).status_code == 404
    assert viewer.get(shown.get_absolute_url()).status_code == 200


def _home_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("where", ["school", "district"])
def test_the_landing_page_makes_as_many_queries_for_six_teams_as_for_two(
    world: World, client_for: SignIn, where: str
) -> None:
    CustomRule.objects.create(district=world.district, title="Two parents", category="parent")
    client = client_for(world.alice)
    url = home_url(getattr(world, where))

    def add_teams(n: int) -> None:
        for i in range(n):
            team = make_team(world.school, f"Team {Team.objects.count()} {i}")
            seat(team, "Pat", Category.PRINCIPAL)
            seat(team, "Ted", Category.TEACHER, TeamRole.CO_CHAIR)

    add_teams(2)
    client.get(url)  # warm caches that do not depend on the number of teams
    two = _home_queries(client, url)
    add_teams(4)
    assert _home_queries(client, url) == two


# Starting a team --------------------------------------------------------------------------


def test_starting_a_team_readies_its_agreements_and_adds_its_creator(
    world: World, client_for: SignIn
) -> None:
    lead = world.by_role[Role.TEAM_LEAD]
    client = client_for(lead)
    assert 'id="id_add_me" checked' in page(
        client, reverse("teams-create", args=[world.school.code])
    )
    data = {
        "name": "Alder Creek ILT",
        "kind": "instructional",
        "vision": "Strong readers",
        "add_me": "on",
        "my_category": "teacher",
    }
    response = client.post(reverse("teams-create", args=[world.school.code]), data)
    team = Team.objects.get(name="Alder Creek ILT")
    assert response["Location"] == team.get_absolute_url()
    assert (team.org, team.kind, team.vision) == (world.school, "instructional", "Strong readers")
    first = team.agreement_sets.get()
    assert first.number == 1 and first.items == agreements.default_items()
    me = team.members.get()
    assert (me.user, me.category, me.roles) == (lead, "teacher", ["member"])
    assert AuditEvent.objects.filter(action="team.created", actor=lead).exists()


def test_a_creator_may_stay_off_the_team(world: World, client_for: SignIn) -> None:
    data = {"name": "Riverbend DIT"}
    client_for(world.alice).post(reverse("teams-create", args=[world.district.code]), data)
    team = Team.objects.get(name="Riverbend DIT")
    assert team.kind == Team.Kind.DISTRICT and not team.members.exists()


def test_joining_a_new_team_needs_a_category(world: World, client_for: SignIn) -> None:
    data = {"name": "Alder Creek SIT", "kind": "improvement", "add_me": "on"}
    response = client_for(world.alice).post(reverse("teams-create", args=[world.school.code]), data)
    html = response.content.decode()
    assert "On the team I speak for: Choose whom you speak for on the team" in html
    assert not Team.objects.exists()


def test_a_school_cannot_start_a_district_team(world: World, client_for: SignIn) -> None:
    data = {"name": "Odd team", "kind": "district"}
    response = client_for(world.alice).post(reverse("teams-create", args=[world.school.code]), data)
    assert "Kind of team: Select a valid choice." in response.content.decode()
    assert not Team.objects.exists()


def test_a_team_member_cannot_start_or_edit_a_team(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    assert client.get(reverse("teams-create", args=[world.school.code])).status_code == 403
    edit = reverse("teams-edit", args=[world.school.code, team.code])
    assert client.post(edit, {"name": "Mine now", "revision": "1"}).status_code == 403
    team.refresh_from_db()
    assert team.name == "Alder Creek SIT"


# The team's page --------------------------------------------------------------------------


def _busy_team(world: World) -> Team:
    team = make_team(world.school, vision="Every child known by name.", alignment="Reading.")
    members = [
        seat(team, "Pat Principal", Category.PRINCIPAL, TeamRole.CO_CHAIR),
        seat(team, "Una Rep", Category.UNION_REP, TeamRole.CO_CHAIR, TeamRole.FACILITATOR),
        seat(team, "Ted Teacher", Category.TEACHER),
        seat(team, "Elle Elected", Category.ELECTED),
    ]
    members[0].user = world.by_role[Role.TEAM_MEMBER]
    members[0].save()
    current = team.current_agreements()
    assert current is not None
    for member in members[:3]:
        Acceptance.objects.create(agreement_set=current, member=member)
    round_ = Round.objects.create(team=team, title="Fall check-in")
    Participation.objects.create(round=round_, member=members[1])
    Participation.objects.create(round=round_, member=members[2])
    return team


def test_the_team_page_shows_roster_checklist_agreements_and_self_assessment(
    world: World, client_for: SignIn
) -> None:
    team = _busy_team(world)
    adopted_charter(world)
    html = page(client_for(world.by_role[Role.TEAM_LEAD]), team.get_absolute_url())
    assert "Una Rep" in html and "Co-chair, Facilitator" in html and "Union representative" in html
    assert "Has an account" in html and "Invited contact" in html
    assert "5 things still needed." in html
    assert "Still needed" in html and "Met" in html and "✗" in html and "✓" in html
    assert "An elected official is on the team, but does not take the community partner" in html
    assert "Families know their children" in html  # the reason
    assert "Every child known by name." in html and "Every child reads by grade three." in html
    assert "3 of 4 members have accepted them." in html
    assert "“Fall check-in” is open." in html and "2 members have answered." in html
    assert reverse("teams-agreements", args=[world.school.code, team.code]) in html
    assert reverse("teams-rounds", args=[world.school.code, team.code]) in html
    assert "Edit the team" in html and "Add a member" in html


def test_community_viewers_see_the_roster_and_vision_but_no_internal_work(
    world: World, client_for: SignIn
) -> None:
    team = _busy_team(world)
    Team.objects.filter(pk=team.pk).update(published=True)
    html = page(client_for(world.by_role[Role.VIEWER]), team.get_absolute_url())
    assert "Una Rep" in html and "Co-chair, Facilitator" in html
    assert "Every child known by name." in html
    assert agreements.default_items()[0] in html
    for internal in ("still needed", "have accepted", "Fall check-in", "Invited contact", "Edit"):
        assert internal not in html


def test_members_without_edit_rights_see_no_edit_buttons(world: World, client_for: SignIn) -> None:
    team = _busy_team(world)
    html = page(client_for(world.by_role[Role.TEAM_MEMBER]), team.get_absolute_url())
    assert "5 things still needed." in html
    assert "Edit the team" not in html and "Add a member" not in html and "Remove" not in html


# Editing ----------------------------------------------------------------------------------


def _edit_data(**changes: str) -> dict[str, str]:
    return {"name": "Alder Creek SIT", "kind": "improvement", "revision": "1", **changes}


def test_editing_a_team_saves_and_is_audited(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    url = reverse("teams-edit", args=[world.school.code, team.code])
    data = _edit_data(vision="Readers", alignment="Literacy goal", published="on")
    response = client_for(world.alice).post(url, data)
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.vision, team.alignment, team.published, team.revision) == (
        "Readers",
        "Literacy goal",
        True,
        2,
    )
    assert AuditEvent.objects.filter(action="team.updated", actor=world.alice).exists()


def test_bad_team_input_names_the_field(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    url = reverse("teams-edit", args=[world.school.code, team.code])
    response = client_for(world.alice).post(url, _edit_data(name=""))
    assert "Name: This field is required." in response.content.decode()
    team.refresh_from_db()
    assert team.name == "Alder Creek SIT"


def test_two_people_editing_at_once_never_overwrite_each_other(
    world: World, client_for: SignIn
) -> None:
    team = make_team(world.school)
    url = reverse("teams-edit", args=[world.school.code, team.code])
    first = client_for(world.alice).post(url, _edit_data(vision="First person's vision"))
    assert first.status_code == 302
    second = client_for(world.by_role[Role.TEAM_LEAD]).post(
        url, _edit_data(vision="Second person's vision")
    )
    html = second.content.decode()
    assert second.status_code == 200
    assert "Alder Creek SIT was changed by someone else while you were editing." in html
    assert "First person&#x27;s vision" in html and "Second person&#x27;s vision" in html
    assert 'name="revision" value="2"' in html
    team.refresh_from_db()
    assert (team.vision, team.revision) == ("First person's vision", 2)


# Composition rules ------------------------------------------------------------------------


def test_rules_belong_to_a_district(world: World, client_for: SignIn) -> None:
    client = client_for(world.alice)
    assert client.get(reverse("teams-rules", args=[world.school.code])).status_code == 404
    html = page(client, reverse("teams-rules", args=[world.district.code]))
    assert "A union representative" in html and "District improvement team" in html
    assert 'id="id_rule_student" checked' in html


def test_switching_off_a_rule_drops_it_from_every_team(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    client = client_for(world.alice)
    on = {f"rule_{slug}": "on" for slug in ("principal", "union_rep", "teachers", "parent")}
    data = {"action": "switches", "revision": "1", **on}
    response = client.post(reverse("teams-rules", args=[world.district.code]), data)
    assert response.status_code == 302
    stored = CompositionSettings.objects.get(district=world.district)
    assert "student" in stored.disabled and "principal" not in stored.disabled
    html = page(client, team.get_absolute_url())
    assert "A student leader" not in html and "The principal" in html
    assert AuditEvent.objects.filter(action="team.rules_changed").exists()


def test_switches_saved_at_once_show_the_conflict(world: World, client_for: SignIn) -> None:
    url = reverse("teams-rules", args=[world.district.code])
    client = client_for(world.alice)
    client.post(url, {"action": "switches", "revision": "1", "rule_principal": "on"})
    response = client.post(url, {"action": "switches", "revision": "1"})
    html = response.content.decode()
    assert "The composition rules were changed by someone else" in html
    assert "The principal" in html and 'name="revision" value="2"' in html
    assert "principal" not in CompositionSettings.objects.get().disabled


def test_a_district_adds_and_removes_its_own_rule(world: World, client_for: SignIn) -> None:
    team = make_team(world.school)
    client = client_for(world.alice)
    url = reverse("teams-rules", args=[world.district.code])
    data = {
        "action": "add",
        "title": "Two parents",
        "reason": "Families first.",
        "category": "parent",
        "minimum": "2",
        "team_kinds": ["improvement"],
    }
    assert client.post(url, data).status_code == 302
    rule = CustomRule.objects.get(district=world.district)
    assert (rule.minimum, rule.team_kinds) == (2, ["improvement"])
    assert "Two parents" in page(client, team.get_absolute_url())
    remove = reverse("teams-rule-remove", args=[world.district.code, rule.code])
    assert "Remove the rule “Two parents”?" in page(client, remove)
    assert CustomRule.objects.exists()
    assert client.post(remove).status_code == 302
    assert not CustomRule.objects.exists()


def test_a_rule_without_a_group_or_role_names_the_field(world: World, client_for: SignIn) -> None:
    url = reverse("teams-rules", args=[world.district.code])
    data = {"action": "add", "title": "Someone", "minimum": "0"}
    html = client_for(world.alice).post(url, data).content.decode()
    assert "Members who speak for: Choose the group the members speak for" in html
    assert "At least: Ensure this value is greater than or equal to 1." in html
    assert not CustomRule.objects.exists()
