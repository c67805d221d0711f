"""The public summary: who reads it before and after it is published, what it leaves out,
and publishing it without overwriting someone else's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from headway.audit.models import AuditEvent
from headway.explore.cube import Audience
from headway.orgs.roles import Role
from headway.plans import baselines
from headway.plans.models import Plan
from tests.conftest import World
from tests.plans.conftest import cycle_url as url
from tests.plans.test_exports import GOAL, STRATEGY, fill

SignIn = Callable[..., Client]
WORDS = "We want every child to read with joy."


@pytest.fixture
def full_plan(plan: Plan) -> Plan:
    return fill(plan)


@pytest.fixture
def lead(world: World, client_for: SignIn) -> Client:
    return client_for(world.by_role[Role.TEAM_LEAD])


def _publish(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(published=True, summary=WORDS)


def test_community_viewers_read_the_summary_only_once_published(
    world: World, full_plan: Plan, client_for: SignIn
) -> None:
    viewer = client_for(world.by_role[Role.VIEWER])
    assert viewer.get(url("plans-summary", full_plan.cycle)).status_code == 404
    _publish(full_plan)
    response = viewer.get(url("plans-summary", full_plan.cycle))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Improvement plan of Alder Creek Elementary" in page and WORDS in page
    assert STRATEGY in page and GOAL in page and "Every child reads" in page
    assert "1,750.50" not in page and "Budget" not in page  # no budgets
    assert "Quintero" not in page and "Lindqvist" not in page  # no owners
    assert "PLC step" not in page and "Data wall up" not in page  # no action steps, no rocks
    assert "Not published yet" not in page
    assert 'lang="en"' in page


def test_the_plan_page_of_a_viewer_links_the_published_summary(
    world: World, full_plan: Plan, client_for: SignIn
) -> None:
    viewer = client_for(world.by_role[Role.VIEWER])
    home = reverse("plans-home", args=[world.school.code])
    assert "No plan has been published yet." in viewer.get(home).content.decode()
    _publish(full_plan)
    assert url("plans-summary", full_plan.cycle) in viewer.get(home).content.decode()


def test_outsiders_never_see_a_summary(world: World, full_plan: Plan, client_for: SignIn) -> None:
    _publish(full_plan)
    response = client_for(world.dave).get(url("plans-summary", full_plan.cycle))
    assert response.status_code == 404


def test_the_team_previews_an_unpublished_summary(
    world: World, full_plan: Plan, client_for: SignIn
) -> None:
    member = client_for(world.by_role[Role.TEAM_MEMBER])
    page = member.get(url("plans-summary", full_plan.cycle)).content.decode()
    assert "Not published yet." in page and "only the team can see this page" in page
    assert STRATEGY in page and "1,750.50" not in page
    assert url("plans-publish", full_plan.cycle) not in page  # members do not publish


def test_a_small_groups_baseline_shows_as_suppressed_in_the_summary(
    world: World, full_plan: Plan, client_for: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary asks for the public figures; a small group's baseline reads “n<10”."""

    def read(org: Any, audience: Audience, indicator: Any, *years: Any) -> baselines.Reading:
        public = audience is Audience.PUBLIC
        figure = baselines.Figure(2024, None, "n<10", None, "MIN_N")
        exact = baselines.Figure(2024, 0.37, "37%", 8)
        return baselines.Reading(indicator, not public, {}, figure if public else exact)

    monkeypatch.setattr(baselines, "read", read)
    _publish(full_plan)
    viewer = client_for(world.by_role[Role.VIEWER])
    page = viewer.get(url("plans-summary", full_plan.cycle)).content.decode()
    assert "n&lt;10 (2024–25)" in page and "37%" not in page


def test_the_lead_publishes_the_summary(full_plan: Plan, lead: Client) -> None:
    page = lead.get(url("plans-publish", full_plan.cycle)).content.decode()
    assert "Summary for families" in page and url("plans-summary", full_plan.cycle) in page
    form = {"revision": "1", "summary": WORDS, "published": "on"}
    response = lead.post(url("plans-publish", full_plan.cycle), form)
    assert response.status_code == 302 and response["Location"].endswith("#exports")
    full_plan.refresh_from_db()
    assert full_plan.published and full_plan.summary == WORDS and full_plan.revision == 2
    assert AuditEvent.objects.filter(action="plan.published").count() == 1
    form = {"revision": "2", "summary": WORDS}
    lead.post(url("plans-publish", full_plan.cycle), form)
    full_plan.refresh_from_db()
    assert not full_plan.published
    assert AuditEvent.objects.filter(action="plan.unpublished").count() == 1


def test_publishing_needs_words_for_families(full_plan: Plan, lead: Client) -> None:
    form = {"revision": "1", "summary": " ", "published": "on"}
    page = lead.post(url("plans-publish", full_plan.cycle), form).content.decode()
    assert "Summary for families: Write a few sentences for families before publishing." in page
    full_plan.refresh_from_db()
    assert not full_plan.published


@pytest.mark.parametrize(("role", "status"), [(Role.TEAM_MEMBER, 403), (Role.VIEWER, 403)])
def test_publishing_needs_the_right_to_edit_the_plan(
    world: World, plan: Plan, client_for: SignIn, role: Role, status: int
) -> None:
    client = client_for(world.by_role[role])
    form = {"revision": "1", "summary": WORDS, "published": "on"}
    assert client.post(url("plans-publish", plan.cycle), form).status_code == status
    plan.refresh_from_db()
    assert not plan.published


def test_two_people_publishing_do_not_overwrite_each_other(full_plan: Plan, lead: Client) -> None:
    theirs = {"revision": "1", "summary": "Theirs.", "published": "on"}
    assert lead.post(url("plans-publish", full_plan.cycle), theirs).status_code == 302
    mine = {"revision": "1", "summary": "Mine."}
    page = lead.post(url("plans-publish", full_plan.cycle), mine).content.decode()
    assert "Someone else saved first" in page
    assert "The public summary was changed by someone else" in page
    assert "<td>Theirs.</td><td>Mine.</td>" in page and "<td>Yes</td><td>No</td>" in page
    assert 'name="revision" value="2"' in page
    full_plan.refresh_from_db()
    assert full_plan.summary == "Theirs." and full_plan.published


def test_an_empty_plan_has_a_helpful_summary_preview(
    world: World, plan: Plan, client_for: SignIn
) -> None:
    lead = client_for(world.by_role[Role.TEAM_LEAD])
    page = lead.get(url("plans-summary", plan.cycle)).content.decode()
    assert "The plan has nothing written in it yet." in page
    assert url("plans-publish", plan.cycle) in page  # the lead may publish from here
