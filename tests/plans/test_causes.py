"""Root causes: five-whys chains and the fishbone, each tied to findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from headway.explore.models import Finding
from headway.orgs.models import Organization
from headway.orgs.roles import Role
from headway.plans.models import Cause, Cycle, NeedsAssessment, Priority, WhyChain
from tests.conftest import World
from tests.plans.conftest import cycle_url as url

SignIn = Callable[..., Client]


def finding(org: Organization, title: str, state: str = "drafted", **fields: Any) -> Finding:
    return Finding.objects.create(
        org=org, key=title, kind="gap", title=title, text=f"{title}.", state=state, **fields
    )


def chain(cycle: Cycle, *whys: str, problem: str = "Few English learners read well") -> WhyChain:
    return WhyChain.objects.create(assessment=cycle.assessment, problem=problem, whys=list(whys))


def whys(*answers: str, **more: object) -> dict[str, object]:
    data: dict[str, object] = {"problem": "Few English learners read well"}
    data.update({f"why_{n}": answer for n, answer in enumerate(answers, start=1)})
    data.update(more)
    return data


@pytest.fixture
def lead(world: World, client_for: SignIn) -> Client:
    return client_for(world.by_role[Role.TEAM_LEAD])


# Five whys ----------------------------------------------------------------------------------


def test_a_chain_is_started_with_its_findings(world: World, cycle: Cycle, lead: Client) -> None:
    gap = finding(world.school, "English learners trail by 30 points", state="pinned")
    data = whys(
        "They get little reading instruction in English",
        "The schedule has no intervention block",
        findings=[gap.pk],
    )
    response = lead.post(url("plans-why-create", cycle), data)
    saved = WhyChain.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#why-{saved.code}")
    assert saved.whys == [
        "They get little reading instruction in English",
        "The schedule has no intervention block",
    ]
    assert saved.root_cause == "The schedule has no intervention block"
    assert list(saved.findings.all()) == [gap]


def test_the_page_shows_the_chain_with_its_root_cause_last(
    world: World, cycle: Cycle, lead: Client
) -> None:
    saved = chain(cycle, "First answer", "Second answer", "Deepest answer")
    saved.findings.add(finding(world.school, "A gap in reading"))
    html = lead.get(url("plans-causes", cycle)).content.decode()
    assert html.index("First answer") < html.index("Second answer") < html.index("Deepest")
    assert "<strong>Root cause:</strong> Deepest answer" in html
    assert "Root cause:</strong> First answer" not in html
    assert (
        "A gap in reading" in html and reverse("explore-results", args=[world.school.code]) in html
    )


def test_a_gap_in_the_whys_is_refused_naming_the_field(cycle: Cycle, lead: Client) -> None:
    response = lead.post(url("plans-why-create", cycle), whys("One", "", "Three"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2. And why is that?: Answer why 2 before why 3" in html
    assert not WhyChain.objects.exists()


def test_the_first_why_is_required(cycle: Cycle, lead: Client) -> None:
    response = lead.post(url("plans-why-create", cycle), whys())
    assert "Answer at least the first why." in response.content.decode()
    assert not WhyChain.objects.exists()


def test_only_current_or_pinned_findings_of_the_school_are_offered(
    world: World, cycle: Cycle, lead: Client
) -> None:
    pinned = finding(world.school, "Pinned finding", state="pinned", rank=9)
    drafted = finding(world.school, "Drafted finding", rank=1)
    finding(world.school, "Dismissed finding", state="dismissed")
    finding(world.school, "Old finding", current=False)
    finding(world.other_school, "Another school's finding", state="pinned")
    html = lead.get(url("plans-why-create", cycle)).content.decode()
    assert html.index("Pinned finding (pinned)") < html.index("Drafted finding")
    for absent in ("Dismissed", "Old finding", "Another school"):
        assert absent not in html
    other = Finding.objects.get(org=world.other_school)
    response = lead.post(url("plans-why-create", cycle), whys("One", findings=[other.pk]))
    assert response.status_code == 200 and not WhyChain.objects.exists()
    assert pinned.pk != drafted.pk


def test_a_chain_is_edited(cycle: Cycle, lead: Client) -> None:
    saved = chain(cycle, "One", "Two")
    edit = url("plans-why-edit", cycle, saved.code)
    assert 'value="Two"' in lead.get(edit).content.decode()
    response = lead.post(edit, whys("One", "Two", "Three", revision=saved.revision))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.whys == ["One", "Two", "Three"] and saved.revision == 2


def test_concurrent_edits_of_a_chain_show_the_conflict(cycle: Cycle, lead: Client) -> None:
    saved = chain(cycle, "One", "Two")
    edit = url("plans-why-edit", cycle, saved.code)
    lead.post(edit, whys("One", "Two by the first person", revision=1))
    response = lead.post(edit, whys("One", "Two by the second person", revision=1))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved first" in html
    assert "Two by the first person" in html and "Two by the second person" in html
    saved.refresh_from_db()
    assert saved.whys == ["One", "Two by the first person"]
    assert 'name="revision" value="2"' in html
    lead.post(edit, whys("One", "Two by the second person", revision=2))
    saved.refresh_from_db()
    assert saved.whys == ["One", "Two by the second person"]


def test_removing_a_chain_asks_first(cycle: Cycle, lead: Client) -> None:
    saved = chain(cycle, "One")
    priority = Priority.objects.create(assessment=cycle.assessment, title="Reading")
    priority.why_chains.add(saved)
    remove = url("plans-why-remove", cycle, saved.code)
    html = lead.get(remove).content.decode()
    assert "Remove this five-whys chain?" in html and "Reading" in html
    assert lead.post(remove).status_code == 302
    assert not WhyChain.objects.exists() and Priority.objects.exists()


# Fishbone -----------------------------------------------------------------------------------


def test_a_cause_is_added_with_its_findings(world: World, cycle: Cycle, lead: Client) -> None:
    gap = finding(world.school, "Attendance fell", state="pinned")
    data = {"category": "families", "text": "Buses come late", "findings": [gap.pk]}
    response = lead.post(url("plans-causes", cycle), data)
    assert response.status_code == 302 and response["Location"].endswith("#bone-families")
    cause = Cause.objects.get()
    assert (cause.category, cause.text) == ("families", "Buses come late")
    assert list(cause.findings.all()) == [gap]
    html = lead.get(url("plans-causes", cycle)).content.decode()
    section = html[html.index('id="bone-families"') :]
    assert "Buses come late" in section and "Attendance fell" in section


def test_a_cause_needs_a_category(cycle: Cycle, lead: Client) -> None:
    response = lead.post(url("plans-causes", cycle), {"text": "Buses come late"})
    assert "Category: Choose the category the cause belongs to." in response.content.decode()
    assert not Cause.objects.exists()


def test_the_fishbone_has_all_six_categories(cycle: Cycle, lead: Client) -> None:
    html = lead.get(url("plans-causes", cycle)).content.decode()
    for label in (
        "Students",
        "Instruction",
        "Curriculum",
        "Staff",
        "Systems and organization",
        "Families and community",
    ):
        assert f"{label} <span" in html
    assert "No five-whys chain yet." in html


def test_removing_a_cause_asks_first(cycle: Cycle, lead: Client) -> None:
    cause = Cause.objects.create(assessment=cycle.assessment, category="staff", text="Turnover")
    remove = url("plans-cause-remove", cycle, cause.code)
    assert "Remove this possible cause?" in lead.get(remove).content.decode()
    assert lead.post(remove).status_code == 302
    assert not Cause.objects.exists()


# Who may do what ----------------------------------------------------------------------------


def test_a_reviewer_reads_but_cannot_change(world: World, cycle: Cycle, client_for: SignIn) -> None:
    saved = chain(cycle, "One")
    client = client_for(world.by_role[Role.REVIEWER])
    html = client.get(url("plans-causes", cycle)).content.decode()
    assert "Few English learners" in html and "Add a possible cause" not in html
    assert "Start a five-whys chain" not in html
    data = {"category": "staff", "text": "Turnover"}
    assert client.post(url("plans-causes", cycle), data).status_code == 403
    assert client.get(url("plans-why-create", cycle)).status_code == 403
    assert client.get(url("plans-why-edit", cycle, saved.code)).status_code == 403
    assert client.post(url("plans-why-remove", cycle, saved.code)).status_code == 403


def test_viewers_and_outsiders_are_kept_out(world: World, cycle: Cycle, client_for: SignIn) -> None:
    assert client_for(world.by_role[Role.VIEWER]).get(url("plans-causes", cycle)).status_code == 403
    assert client_for(world.dave).get(url("plans-causes", cycle)).status_code == 404


def test_another_cycles_chain_is_not_found(world: World, cycle: Cycle, lead: Client) -> None:
    other = Cycle.objects.create(org=world.school, first_year=2027)
    NeedsAssessment.objects.create(cycle=other)
    saved = chain(other, "One")
    assert lead.get(url("plans-why-edit", cycle, saved.code)).status_code == 404
