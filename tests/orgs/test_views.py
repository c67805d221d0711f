from __future__ import annotations

from collections.abc import Callable

from django.core import mail
from django.test import Client
from django.urls import reverse

from headway.audit.models import AuditEvent
from headway.orgs.models import Invitation, Membership, Organization, SchoolYear
from headway.orgs.roles import Role
from tests.conftest import World

SignIn = Callable[..., Client]


def test_home_lists_roles_and_reachable_organizations(world: World, client_for: SignIn) -> None:
    page = client_for(world.alice).get(reverse("home")).content.decode()
    assert "Network or district administrator" in page
    assert "Alder Creek Elementary" in page and "Elm Street Middle" in page
    assert "Hillcrest" not in page


def test_home_explains_what_to_do_without_any_role(world: World, client_for: SignIn) -> None:
    Membership.objects.filter(user=world.dave).delete()
    page = client_for(world.dave).get(reverse("home")).content.decode()
    assert "You have no access yet" in page


def test_the_switcher_opens_a_reachable_organization(world: World, client_for: SignIn) -> None:
    response = client_for(world.alice).post(reverse("orgs-switch"), {"org": world.school.code})
    assert response["Location"] == world.school.get_absolute_url()


def test_the_switcher_hides_unreachable_and_malformed_codes(
    world: World, client_for: SignIn
) -> None:
    client = client_for(world.alice)
    assert (
        client.post(reverse("orgs-switch"), {"org": world.outside_school.code}).status_code == 404
    )
    assert client.post(reverse("orgs-switch"), {"org": "not-a-code"}).status_code == 404


def test_the_last_opened_organization_stays_current(world: World, client_for: SignIn) -> None:
    client = client_for(world.alice)
    client.get(world.other_school.get_absolute_url())
    page = client.get(reverse("home")).content.decode()
    assert 'aria-label="Improvement cycle"' in page
    assert f'value="{world.other_school.code}" selected' in page


def test_the_district_page_lists_its_schools(world: World, client_for: SignIn) -> None:
    page = client_for(world.alice).get(world.district.get_absolute_url()).content.decode()
    assert "Alder Creek Elementary" in page and "Add a school" in page


def test_read_only_members_see_no_edit_buttons(world: World, client_for: SignIn) -> None:
    page = client_for(world.by_role[Role.VIEWER]).get(world.school.get_absolute_url())
    assert "Edit profile" not in page.content.decode()


def test_editing_a_school_saves_and_is_audited(world: World, client_for: SignIn) -> None:
    data = {"name": "Alder Creek School", "designation": "csi", "designation_year": "2024"}
    response = client_for(world.alice).post(reverse("orgs-edit", args=[world.school.code]), data)
    assert response.status_code == 302
    world.school.refresh_from_db()
    assert (world.school.name, world.school.designation) == ("Alder Creek School", "csi")
    assert AuditEvent.objects.filter(action="org.updated", actor=world.alice).exists()


def test_bad_school_input_names_the_field_and_saves_nothing(
    world: World, client_for: SignIn
) -> None:
    data = {
        "name": "Broken",
        "grade_low": "05",
        "grade_high": "KG",
        "pct_english_learners": "140",
        "designation": "tsi",
    }
    url = reverse("orgs-school-create", args=[world.district.code])
    response = client_for(world.alice).post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The highest grade cannot come before the lowest." in page
    assert "Give the school year the designation started in." in page
    assert "English learners (%)" in page and "less than or equal to 100" in page
    assert not Organization.objects.filter(name="Broken").exists()


def test_adding_a_school_puts_it_in_the_district(world: World, client_for: SignIn) -> None:
    data = {
        "name": "Birchwood Elementary",
        "grade_low": "KG",
        "grade_high": "05",
        "designation": "none",
    }
    client_for(world.alice).post(reverse("orgs-school-create", args=[world.district.code]), data)
    school = Organization.objects.get(name="Birchwood Elementary")
    assert school.parent == world.district and school.grades_served == "Kindergarten – Grade 5"


def test_schools_cannot_hold_schools(world: World, client_for: SignIn) -> None:
    url = reverse("orgs-school-create", args=[world.school.code])
    assert client_for(world.alice).get(url).status_code == 404


def test_school_years_are_added_and_duplicates_refused(world: World, client_for: SignIn) -> None:
    client = client_for(world.alice)
    url = reverse("orgs-year-create", args=[world.district.code])
    assert client.post(url, {"start_year": "2025"}).status_code == 302
    response = client.post(url, {"start_year": "2025"})
    assert response.status_code == 400
    assert "This school year already exists." in response.content.decode()
    assert SchoolYear.objects.filter(district=world.district, start_year=2025).count() == 1


def test_a_year_whose_first_day_is_out_of_range_is_refused(
    world: World, client_for: SignIn
) -> None:
    url = reverse("orgs-year-create", args=[world.district.code])
    data = {"start_year": "2025", "start_date": "2019-08-20", "end_date": "2019-06-01"}
    page = client_for(world.alice).post(url, data).content.decode()
    assert "The first day must fall in 2025 or 2026." in page
    assert "The last day must come after the first day." in page


def test_removing_a_year_asks_first(world: World, client_for: SignIn) -> None:
    client = client_for(world.alice)
    url = reverse("orgs-year-delete", args=[world.district.code, 2024])
    assert "Remove school year 2024–25?" in client.get(url).content.decode()
    assert SchoolYear.objects.filter(start_year=2024).exists()
    client.post(url)
    assert not SchoolYear.objects.filter(start_year=2024).exists()


def test_inviting_sends_a_one_time_link(world: World, client_for: SignIn) -> None:
    url = reverse("orgs-people-invite", args=[world.school.code])
    data = {"email": "New.Person@Example.org", "role": "team_member"}
    client_for(world.alice).post(url, data)
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org"
    assert len(mail.outbox) == 1 and "/accounts/invitation/" in mail.outbox[0].body
    assert invitation.token_hash not in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="membership.invited").exists()


def test_reviewers_need_an_end_date(world: World, client_for: SignIn) -> None:
    url = reverse("orgs-people-invite", args=[world.school.code])
    response = client_for(world.alice).post(url, {"email": "r@example.org", "role": "reviewer"})
    assert response.status_code == 400
    assert "give an end date" in response.content.decode()
    assert not Invitation.objects.exists()


def test_removing_a_role_asks_then_removes(world: World, client_for: SignIn) -> None:
    viewer = Membership.objects.get(user=world.by_role[Role.VIEWER])
    url = reverse("orgs-membership-remove", args=[world.school.code, viewer.code])
    client = client_for(world.alice)
    assert "Remove role" in client.get(url).content.decode()
    client.post(url)
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    assert AuditEvent.objects.filter(action="membership.revoked").exists()


def test_the_last_administrator_cannot_be_removed(world: World, client_for: SignIn) -> None:
    admin = Membership.objects.get(user=world.alice)
    url = reverse("orgs-membership-remove", args=[world.district.code, admin.code])
    client = client_for(world.alice)
    assert "This is the last administrator here." in client.post(url).content.decode()
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_memberships_of_other_organizations_are_not_found(world: World, client_for: SignIn) -> None:
    dave = Membership.objects.get(user=world.dave)
    url = reverse("orgs-membership-remove", args=[world.school.code, dave.code])
    assert client_for(world.alice).post(url).status_code == 404
    assert Membership.objects.filter(pk=dave.pk).exists()


def test_denials_are_audited(world: World, client_for: SignIn) -> None:
    client_for(world.dave).get(world.school.get_absolute_url())
    client_for(world.by_role[Role.VIEWER]).get(reverse("orgs-edit", args=[world.school.code]))
    denied = AuditEvent.objects.filter(action="access.denied", outcome="denied")
    assert {event.actor for event in denied} == {world.dave, world.by_role[Role.VIEWER]}


def test_empty_cycle_sections_say_what_will_live_there(world: World, client_for: SignIn) -> None:
    url = reverse("orgs-section-learning", args=[world.school.code])
    page = client_for(world.by_role[Role.TEAM_MEMBER]).get(url).content.decode()
    assert "Nothing here yet" in page and "Coaching cycles" in page
