"""A district forms its partnership and a school its team, in the browser, with axe on each page.

The district administrator adds the partners, writes the charter and records each partner's
acknowledgement until it is adopted, then changes it (version 2, with its differences shown).
The school's team lead starts a team that fails the composition check, adds people until it
passes, and opens a self-assessment; three members accept the agreements and answer; the
lead closes the round and the results appear.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from headway.teams.models import Response, Team
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    field,
    sign_in,
)

pytestmark = pytest.mark.browser

DISTRICT = "Riverbend Unified School District"
SCHOOL = "Alder Creek Elementary"


def _open_team_section(page: Page, org: str) -> None:
    page.get_by_label("Organization").select_option(label=org)
    page.get_by_role("button", name="Open").click()
    page.get_by_role("navigation", name="Improvement cycle").get_by_role(
        "link", name="Team"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Teams of {org}")


def _add_partner(page: Page, kind: str, name: str, person: str, email: str = "") -> None:
    page.get_by_role("link", name="Add a partner").or_(
        page.get_by_role("link", name="Add the first partner")
    ).click()
    page.get_by_role("radio", name=kind, exact=True).check()
    field(page, "Name of the partner organization").fill(name)
    field(page, "Representative").fill(person)
    if email:
        field(page, "Representative's email").fill(email)
    page.get_by_role("button", name="Add partner").click()
    expect(page.get_by_role("rowheader", name=name, exact=True)).to_be_visible()


def _record(page: Page, partner: str, person: str) -> None:
    page.get_by_role("radio", name=f"{partner} ({person})").check()
    field(page, "Your full name").fill(person)
    page.get_by_role("button", name="Acknowledge").click()


def _adopt_charter(page: Page) -> None:
    page.get_by_role("link", name="The partnership").click()
    assert_accessible(page)
    _add_partner(page, "School district", DISTRICT, "Dana Whitfield", "admin@headway.example")
    _add_partner(page, "Teachers' union", "Riverbend Federation of Teachers", "Jordan Reyes")
    _add_partner(page, "Community organization", "Family Resource Center", "Aisha Brooks")
    page.get_by_role("link", name="Write the charter").click()
    field(page, "Shared mission").fill("Every student reads at grade level by third grade.")
    field(page, "Shared vision").fill("Schools where families and staff feel they belong.")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    _record(page, DISTRICT, "Dana Whitfield")
    _record(page, "Riverbend Federation of Teachers", "Jordan Reyes")
    _record(page, "Family Resource Center", "Aisha Brooks")
    expect(page.get_by_text("The charter is adopted")).to_be_visible()
    assert_accessible(page)


def _change_charter(page: Page) -> None:
    page.get_by_role("link", name="Back to the partnership").click()
    page.get_by_role("link", name="Edit the charter").click()
    field(page, "Shared vision").fill("Schools where students, families and staff belong.")
    page.get_by_role("button", name="Save as version 2").click()
    expect(page.locator("ins", has_text="students,")).to_be_visible()
    assert_accessible(page)


def _add_member(page: Page, speaks_for: str, name: str = "", account: str = "") -> None:
    page.get_by_role("link", name="Add a member").click()
    if account:
        person = field(page, "Someone with a Headway account")
        person.select_option(label=account)
    else:
        field(page, "Name").fill(name)
    field(page, "Speaks for").select_option(label=speaks_for)
    page.get_by_role("button", name="Add to the team").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alder Creek SIT")
    expect(page.get_by_role("row", name=name or account.split(" (")[0])).to_be_visible()


def _line(page: Page, title: str) -> str:
    return page.locator("#checklist li", has_text=title).inner_text()


def _form_team(page: Page) -> None:
    page.get_by_role("link", name="Start a team").click()
    field(page, "Name").fill("Alder Creek SIT")
    field(page, "On the team I speak for").select_option(label="Instructional coach")
    page.get_by_role("button", name="Start the team").click()
    expect(page.get_by_text("9 things still needed.")).to_be_visible()
    assert_accessible(page)
    _add_member(page, "Principal", name="Marisol Vega")
    _add_member(page, "Union representative", name="Jordan Reyes")
    _add_member(page, "Teacher", account="Marcus Bell (member@headway.example)")
    _add_member(page, "Paraprofessional", name="Hannah Kim")
    _add_member(page, "Parent or family leader", account="Rosa Delgado (parent@headway.example)")
    _add_member(page, "Student leader", name="Jamal Carter")
    _add_member(page, "District staff", account="Sam Ortiz (steward@headway.example)")
    _add_member(page, "Elected official", name="Tom Hale")
    assert "does not take the community partner" in _line(page, "A community partner")
    _add_member(page, "Community partner", name="Aisha Brooks")
    for name in ("Marisol Vega", "Jordan Reyes"):
        page.get_by_role("link", name=f"Edit {name}").click()
        page.get_by_role("checkbox", name="Co-chair").check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("row", name=name)).to_contain_text("Co-chair")
    expect(page.get_by_text("The team has everyone it needs.")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page)
    page.set_viewport_size(DESKTOP)


def _accept_and_answer(page: Page, team_url: str, score: int) -> None:
    page.goto(team_url)
    page.get_by_role("link", name="Open the working agreements").click()
    page.get_by_role("button", name="I accept these agreements").click()
    expect(page.get_by_text("You accepted")).to_be_visible()
    page.goto(team_url)
    page.get_by_role("link", name="Open the self-assessment").click()
    page.get_by_role("link", name="Answer now").first.click()
    for question in page.locator("fieldset").all():
        question.get_by_role("radio").nth(score - 1).check()
    assert_accessible(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("You have answered this round.")).to_be_visible()


def test_a_partnership_adopts_its_charter_and_a_school_team_assesses_itself(
    page: Page, second: Page, demo: None
) -> None:
    sign_in(page, "admin@headway.example")
    _open_team_section(page, DISTRICT)
    _adopt_charter(page)
    _change_charter(page)

    lead = second
    sign_in(lead, "lead@headway.example")
    _open_team_section(lead, SCHOOL)
    expect(lead.get_by_text("Every student reads at grade level by third grade.")).to_be_visible()
    _form_team(lead)
    team_url = lead.url
    lead.get_by_role("link", name="Open the self-assessment").click()
    lead.get_by_role("button", name="Open the round").click()
    _accept_and_answer(lead, team_url, 4)
    lead.context.clear_cookies()
    for email, score in (("member@headway.example", 3), ("parent@headway.example", 5)):
        sign_in(lead, email)
        _accept_and_answer(lead, team_url, score)
        lead.context.clear_cookies()

    sign_in(lead, "lead@headway.example")
    lead.goto(team_url)
    expect(lead.get_by_text("3 of 10 members have accepted them")).to_be_visible()
    lead.get_by_role("link", name="Open the self-assessment").click()
    lead.get_by_role("link", name=Team.objects.get().rounds.get().title, exact=True).click()
    lead.get_by_role("button", name="Close the round: no more answers").click()
    expect(lead.locator("#self-assessment .chart-view svg")).to_be_visible()
    expect(lead.get_by_text("Average 4.0 out of 5 from 3 answers").first).to_be_visible()
    assert_accessible(lead)
    assert Response.objects.count() == 3
