from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from headway.audit.models import AuditEvent
from headway.orgs.roles import Role
from headway.teams.models import Acknowledgement, Charter, Partner, Partnership
from tests.conftest import World

SignIn = Callable[..., Client]

CHARTER = {
    "mission": "Every school improves together.",
    "vision": "Schools where students thrive.",
    "values": "Students first\nTrust",
    "decision_rule": "consensus",
    "decision_notes": "",
    "meeting_cadence": "Monthly",
    "data_use": "Teacher results are never used in evaluations.",
}


class Setup:
    """A partnership of three partners; pat represents the union and has an account."""

    def __init__(self, world: World, people: dict[Role, Any]) -> None:
        self.world = world
        self.people = people
        self.partnership = Partnership.objects.create(district=world.district)
        self.pat = world.person("pat@union.example.org", Role.TEAM_MEMBER, world.district)
        self.district = self.partner("district", "Riverbend Schools", "Sam Lee", "sam@example.org")
        self.union = self.partner("union", "Riverbend Teachers", "Pat Kim", "Pat@Union.example.org")
        self.community = self.partner("community", "Parents United", "Ana Ruiz", "")

    def partner(self, kind: str, name: str, rep: str, email: str) -> Partner:
        return Partner.objects.create(
            partnership=self.partnership, kind=kind, name=name, representative=rep, email=email
        )

    def charter(self, number: int = 1, **fields: str) -> Charter:
        return Charter.objects.create(
            partnership=self.partnership, number=number, **(CHARTER | fields)
        )

    def ack(self, charter: Charter, *partners: Partner) -> None:
        for partner in partners:
            Acknowledgement.objects.create(
                charter=charter,
                partner=partner,
                name=partner.representative,
                acknowledged_on=date(2025, 1, 10),
            )

    def url(self, name: str, *args: Any) -> str:
        return reverse(name, args=[self.world.district.code, *args])


@pytest.fixture
def setup(world: World, district_people: dict[Role, Any]) -> Setup:
    return Setup(world, district_people)


def post_charter(
    client: Client, setup: Setup, number: int, revision: int, follow: bool = False, **fields: str
) -> Any:
    data = CHARTER | fields | {"number": number, "revision": revision}
    return client.post(setup.url("teams-charter-edit"), data, follow=follow)


def ack_data(partner: Partner, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {"partner": partner.pk, "name": "Pat Kim", "acknowledged_on": today} | extra


# Partners


def test_an_admin_adds_a_partner(world: World, client_for: SignIn) -> None:
    data = {
        "kind": "union",
        "name": "Riverbend Teachers",
        "representative": "Pat Kim",
        "title": "President",
        "email": "pat@example.org",
    }
    url = reverse("teams-partner-create", args=[world.district.code])
    response = client_for(world.alice).post(url, data, follow=True)
    assert "Riverbend Teachers was added to the partnership." in response.content.decode()
    partner = Partner.objects.get()
    assert (partner.kind, partner.partnership.district) == ("union", world.district)
    assert AuditEvent.objects.filter(action="partner.added").exists()


def test_a_partnership_without_partners_says_whom_to_add(world: World, client_for: SignIn) -> None:
    url = reverse("teams-partnership", args=[world.district.code])
    page = client_for(world.alice).get(url).content.decode()
    assert "Add the district, the union and at least one community organization." in page
    assert "Write the charter" in page


def _partner_data(representative: str) -> dict[str, str]:
    return {
        "kind": "community",
        "name": "Parents United",
        "representative": representative,
        "revision": "1",
    }


def test_an_admin_edits_a_partner(setup: Setup, client_for: SignIn) -> None:
    url = setup.url("teams-partner-edit", setup.community.code)
    assert client_for(setup.world.alice).post(url, _partner_data("Lee Park")).status_code == 302
    setup.community.refresh_from_db()
    assert setup.community.representative == "Lee Park"


def test_two_admins_editing_a_partner_do_not_overwrite_each_other(
    setup: Setup, client_for: SignIn
) -> None:
    url = setup.url("teams-partner-edit", setup.community.code)
    client = client_for(setup.world.alice)
    assert client.post(url, _partner_data("Lee Park")).status_code == 302
    response = client.post(url, _partner_data("Kim Lau"))  # opened at revision 1 too
    assert response.status_code == 409
    page = response.content.decode()
    assert "was changed by someone else while you were editing" in page
    assert "Lee Park" in page and "Kim Lau" in page
    setup.community.refresh_from_db()
    assert setup.community.representative == "Lee Park"


def test_only_admins_manage_partners(setup: Setup, client_for: SignIn) -> None:
    client = client_for(setup.people[Role.TEAM_LEAD])
    assert client.get(setup.url("teams-partner-create")).status_code == 403
    assert client.get(setup.url("teams-partner-edit", setup.union.code)).status_code == 403
    assert client.get(setup.url("teams-charter-edit")).status_code == 403


def test_removing_a_partner_asks_first(setup: Setup, client_for: SignIn) -> None:
    client = client_for(setup.world.alice)
    url = setup.url("teams-partner-remove", setup.community.code)
    assert "Remove Parents United from the partnership?" in client.get(url).content.decode()
    assert Partner.objects.filter(pk=setup.community.pk).exists()
    assert client.post(url).status_code == 302
    assert not Partner.objects.filter(pk=setup.community.pk).exists()


def test_a_partner_that_acknowledged_the_charter_stays(setup: Setup, client_for: SignIn) -> None:
    setup.ack(setup.charter(), setup.union)
    url = setup.url("teams-partner-remove", setup.union.code)
    page = client_for(setup.world.alice).post(url).content.decode()
    assert "Riverbend Teachers cannot be removed: it acknowledged version 1" in page
    assert Partner.objects.filter(pk=setup.union.pk).exists()


# Writing and editing the charter


def test_writing_the_charter_starts_from_a_first_draft(setup: Setup, client_for: SignIn) -> None:
    client = client_for(setup.world.alice)
    page = client.get(setup.url("teams-charter-edit")).content.decode()
    assert "never used in their evaluations" in page
    response = post_charter(client, setup, 1, 0)
    assert response["Location"] == setup.url("teams-charter", 1)
    charter = Charter.objects.get()
    assert (charter.number, charter.mission) == (1, CHARTER["mission"])
    assert charter.value_list() == ["Students first", "Trust"]


def test_the_partnership_page_shows_the_charter_and_its_status(
    setup: Setup, client_for: SignIn
) -> None:
    setup.ack(setup.charter(decision_rule="fist_to_five"), setup.union, setup.district)
    page = client_for(setup.world.alice).get(setup.url("teams-partnership")).content.decode()
    assert "Acknowledged by 2 of 3 partners" in page
    assert "Fist-to-five" in page and "at least three" in page
    assert "Not yet acknowledged by:" in page and "Parents United" in page


def test_editing_a_draft_changes_it_in_place(setup: Setup, client_for: SignIn) -> None:
    draft = setup.charter()
    response = post_charter(client_for(setup.world.alice), setup, 1, 1, mission="Better together.")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.mission, draft.revision) == ("Better together.", 2)
    assert Charter.objects.count() == 1


def test_an_acknowledged_version_is_never_edited(setup: Setup, client_for: SignIn) -> None:
    first = setup.charter()
    setup.ack(first, setup.union)
    client = client_for(setup.world.alice)
    page = client.get(setup.url("teams-charter-edit")).content.decode()
    assert "your changes will become version 2 and every partner will be asked" in page
    response = post_charter(client, setup, 2, 0, mission="Better together.", follow=True)
    assert "Your changes were saved as version 2." in response.content.decode()
    first.refresh_from_db()
    assert first.mission == CHARTER["mission"]
    second = Charter.objects.get(number=2)
    assert second.mission == "Better together." and not second.is_locked


def test_saving_an_acknowledged_version_unchanged_makes_no_new_version(
    setup: Setup, client_for: SignIn
) -> None:
    setup.ack(setup.charter(), setup.union)
    post_charter(client_for(setup.world.alice), setup, 2, 0, values="Students first\r\nTrust")
    assert Charter.objects.count() == 1


def test_two_edits_of_one_draft_never_overwrite_each_other(
    setup: Setup, client_for: SignIn
) -> None:
    setup.charter()
    client = client_for(setup.world.alice)
    assert post_charter(client, setup, 1, 1, mission="First person's mission.").status_code == 302
    response = post_charter(client, setup, 1, 1, mission="Second person's mission.")
    page = response.content.decode()
    assert response.status_code == 409
    assert "changed by someone else while you were editing" in page
    assert "First person&#x27;s mission." in page and "Second person&#x27;s mission." in page
    assert Charter.objects.get().mission == "First person's mission."


def test_a_version_acknowledged_while_editing_is_not_changed(
    setup: Setup, client_for: SignIn
) -> None:
    first = setup.charter()
    setup.ack(first, setup.union)
    response = post_charter(client_for(setup.world.alice), setup, 1, 1, mission="Too late.")
    assert response.status_code == 409
    assert 'name="number" value="2"' in response.content.decode()
    first.refresh_from_db()
    assert first.mission == CHARTER["mission"] and Charter.objects.count() == 1


def test_two_people_making_the_next_version_at_once_get_a_conflict(
    setup: Setup, client_for: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = setup.charter()
    setup.ack(first, setup.union)
    setup.charter(2, mission="Someone else's version 2.")
    # The second person's request still sees version 1 as the newest when it saves.
    monkeypatch.setattr(Partnership, "current_charter", lambda self: first)
    response = post_charter(client_for(setup.world.alice), setup, 2, 0, mission="Mine.")
    assert response.status_code == 409
    assert Charter.objects.get(number=2).mission == "Someone else's version 2."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mission", "", "Shared mission: This field is required."),
        ("values", " \n ", "Shared values: This field is required."),
    ],
)
def test_bad_charter_input_names_the_field(
    setup: Setup, client_for: SignIn, field: str, value: str, message: str
) -> None:
    data = CHARTER | {field: value, "number": 1, "revision": 0}
    response = client_for(setup.world.alice).post(setup.url("teams-charter-edit"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Charter.objects.exists()


# Reading versions


def test_a_version_shows_the_words_inserted_and_removed(setup: Setup, client_for: SignIn) -> None:
    setup.ack(setup.charter(mission="Every school improves together."), setup.union)
    setup.charter(2, mission="Every school improves quickly together.", vision="Thriving.")
    page = client_for(setup.world.alice).get(setup.url("teams-charter", 2)).content.decode()
    assert '<ins><span class="visually-hidden">added: </span>quickly </ins>' in page
    assert (
        '<del><span class="visually-hidden">removed: </span>Schools where students thrive.</del>'
        in page
    )
    assert "<strong>Unchanged:</strong> Shared values, How decisions are made" in page


def test_the_first_version_says_so(setup: Setup, client_for: SignIn) -> None:
    setup.charter()
    page = client_for(setup.world.alice).get(setup.url("teams-charter", 1)).content.decode()
    assert "This is the first version of the charter." in page


def test_viewers_see_only_the_adopted_charter(setup: Setup, client_for: SignIn) -> None:
    first = setup.charter(mission="The adopted mission.")
    setup.ack(first, setup.union, setup.district, setup.community)
    setup.charter(2, mission="A draft mission.")
    client = client_for(setup.people[Role.VIEWER])
    page = client.get(setup.url("teams-partnership")).content.decode()
    assert "The adopted mission." in page and "A draft mission." not in page
    assert "Riverbend Teachers" in page and "Pat Kim" not in page
    assert "Edit the charter" not in page
    assert client.get(setup.url("teams-charter", 1)).status_code == 200
    assert client.get(setup.url("teams-charter", 2)).status_code == 404


def test_viewers_see_no_charter_before_it_is_adopted(setup: Setup, client_for: SignIn) -> None:
    setup.ack(setup.charter(mission="A draft mission."), setup.union)
    client = client_for(setup.people[Role.VIEWER])
    page = client.get(setup.url("teams-partnership")).content.decode()
    assert "The partners have not adopted a charter yet." in page
    assert "A draft mission." not in page
    assert client.get(setup.url("teams-charter", 1)).status_code == 404


# Acknowledging


def test_a_representative_acknowledges_for_their_partner(setup: Setup, client_for: SignIn) -> None:
    charter = setup.charter()
    client = client_for(setup.pat)
    page = client.get(setup.url("teams-charter", 1)).content.decode()
    assert "Acknowledge version 1" in page and "Parents United (Ana Ruiz)" not in page
    response = client.post(setup.url("teams-charter-acknowledge", 1), ack_data(setup.union))
    assert response.status_code == 302
    ack = Acknowledgement.objects.get()
    assert (ack.charter, ack.partner, ack.recorded_by) == (charter, setup.union, None)
    assert AuditEvent.objects.filter(action="charter.acknowledged", actor=setup.pat).exists()


def test_a_representative_with_viewer_access_still_reads_the_draft(
    setup: Setup, client_for: SignIn
) -> None:
    setup.charter(mission="A draft mission.")
    setup.community.email = "district-viewer@example.org"
    setup.community.save()
    client = client_for(setup.people[Role.VIEWER])
    assert "A draft mission." in client.get(setup.url("teams-partnership")).content.decode()
    data = ack_data(setup.community, name="Ana Ruiz")
    assert client.post(setup.url("teams-charter-acknowledge", 1), data).status_code == 302
    assert Acknowledgement.objects.get().partner == setup.community


def test_a_representative_cannot_acknowledge_for_another_partner(
    setup: Setup, client_for: SignIn
) -> None:
    setup.charter()
    url = setup.url("teams-charter-acknowledge", 1)
    response = client_for(setup.pat).post(url, ack_data(setup.community))
    assert response.status_code == 400
    assert not Acknowledgement.objects.exists()


def test_a_team_member_who_represents_no_partner_may_not_acknowledge(
    setup: Setup, client_for: SignIn
) -> None:
    setup.charter()
    url = setup.url("teams-charter-acknowledge", 1)
    response = client_for(setup.people[Role.TEAM_MEMBER]).post(url, ack_data(setup.union))
    assert response.status_code == 403
    assert not Acknowledgement.objects.exists()


def test_an_admin_records_an_acknowledgement_on_behalf(setup: Setup, client_for: SignIn) -> None:
    setup.charter()
    data = ack_data(setup.community, name="Ana Ruiz")
    client = client_for(setup.world.alice)
    client.post(setup.url("teams-charter-acknowledge", 1), data)
    ack = Acknowledgement.objects.get()
    assert (ack.partner, ack.name, ack.recorded_by) == (
        setup.community,
        "Ana Ruiz",
        setup.world.alice,
    )
    page = client.get(setup.url("teams-charter", 1)).content.decode()
    assert "recorded on their behalf by Alice" in page


def test_the_charter_is_adopted_when_every_partner_acknowledged(
    setup: Setup, client_for: SignIn
) -> None:
    charter = setup.charter()
    setup.ack(charter, setup.district, setup.community)
    url = setup.url("teams-charter-acknowledge", 1)
    response = client_for(setup.pat).post(url, ack_data(setup.union), follow=True)
    page = response.content.decode()
    assert "The charter is adopted" in page
    assert "Adopted — acknowledged by every partner" in page
    assert setup.partnership.adopted_charter() == charter


def test_acknowledging_twice_says_it_is_already_done(setup: Setup, client_for: SignIn) -> None:
    setup.ack(setup.charter(), setup.union)
    url = setup.url("teams-charter-acknowledge", 1)
    response = client_for(setup.pat).post(url, ack_data(setup.union), follow=True)
    assert "Riverbend Teachers has already acknowledged version 1." in response.content.decode()
    assert Acknowledgement.objects.count() == 1


def test_only_the_newest_version_can_be_acknowledged(setup: Setup, client_for: SignIn) -> None:
    setup.ack(setup.charter(), setup.district)
    setup.charter(2)
    url = setup.url("teams-charter-acknowledge", 1)
    response = client_for(setup.pat).post(url, ack_data(setup.union), follow=True)
    assert "Only the newest version can be acknowledged" in response.content.decode()
    assert not Acknowledgement.objects.filter(partner=setup.union).exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"name": "  "}, "Your full name: This field is required."),
        (
            {"acknowledged_on": (date.today() + timedelta(days=2)).isoformat()},
            "Date: The date cannot be in the future.",
        ),
    ],
)
def test_bad_acknowledgement_input_names_the_field(
    setup: Setup, client_for: SignIn, extra: dict[str, str], message: str
) -> None:
    setup.charter()
    url = setup.url("teams-charter-acknowledge", 1)
    response = client_for(setup.pat).post(url, ack_data(setup.union, **extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Acknowledgement.objects.exists()


# Reaching the partnership


URLS: list[tuple[str, tuple[Any, ...]]] = [
    ("teams-partnership", ()),
    ("teams-partner-create", ()),
    ("teams-charter-edit", ()),
    ("teams-charter", (1,)),
]


@pytest.mark.parametrize(("name", "args"), URLS)
def test_a_school_has_no_partnership(
    world: World, client_for: SignIn, name: str, args: tuple[Any, ...]
) -> None:
    url = reverse(name, args=[world.school.code, *args])
    assert client_for(world.alice).get(url).status_code == 404


@pytest.mark.parametrize(("name", "args"), URLS)
def test_outsiders_do_not_find_the_partnership(
    setup: Setup, client_for: SignIn, name: str, args: tuple[Any, ...]
) -> None:
    setup.charter()
    assert client_for(setup.world.dave).get(setup.url(name, *args)).status_code == 404


def test_acknowledging_needs_a_post(setup: Setup, client_for: SignIn) -> None:
    setup.charter()
    url = setup.url("teams-charter-acknowledge", 1)
    assert client_for(setup.pat).get(url).status_code == 405
