"""The practice self-assessment: rating each indicator, the summary, edit conflicts."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from headway.orgs.roles import Role
from headway.plans import indicators
from headway.plans.models import Cycle, Indicator, PracticeRating
from tests.conftest import World

SignIn = Callable[..., Client]


def url(cycle: Cycle) -> str:
    return reverse("plans-practices", args=[cycle.org.code, cycle.code])


def form_data(html: str) -> dict[str, str]:
    """What the browser would send back untouched: every input, checked radio and textarea
    on the page's ratings form."""
    form = html[html.index('<form method="post" novalidate>') :]
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None or ('type="radio"' in tag and "checked" not in tag):
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, text in re.findall(r'<textarea name="([^"]*)"[^>]*>\n?(.*?)</textarea>', form, re.S):
        data[name] = text
    return data


def key(indicator: Indicator, part: str) -> str:
    return f"i{indicator.pk}_{part}"


@pytest.fixture
def lead(world: World, client_for: SignIn) -> Client:
    return client_for(world.by_role[Role.TEAM_LEAD])


@pytest.fixture
def items(db: None) -> list[Indicator]:
    return list(indicators.default_set().indicators.all())


def test_the_page_lists_every_indicator_of_the_default_set(
    cycle: Cycle, lead: Client, items: list[Indicator]
) -> None:
    html = lead.get(url(cycle)).content.decode()
    for indicator in items:
        assert indicator.text.replace("'", "&#x27;") in html
    assert "Leadership team" in html and "Coaching" in html
    assert f"0 of {len(items)} indicators rated." in html


def test_ratings_are_saved_and_summed_up(
    cycle: Cycle, lead: Client, items: list[Indicator]
) -> None:
    data = form_data(lead.get(url(cycle)).content.decode())
    first, second, third = items[:3]
    data.update({key(first, "status"): "none", key(first, "priority"): "high"})
    data.update({key(second, "status"): "limited", key(second, "priority"): "high"})
    data.update({key(second, "evidence"): "Agendas exist for\r\nhalf the meetings."})
    data.update({key(third, "status"): "full", key(third, "priority"): "low"})
    response = lead.post(url(cycle), data)
    assert response.status_code == 302
    assert PracticeRating.objects.count() == 3
    assert PracticeRating.objects.get(indicator=second).evidence == (
        "Agendas exist for\nhalf the meetings."
    )
    html = lead.get(url(cycle)).content.decode()
    assert f"3 of {len(items)} indicators rated." in html
    facts = html[html.index('<dl class="facts">') : html.index("</dl>")]
    assert "<dt>Full implementation</dt><dd>1</dd>" in facts
    assert "<dt>Limited implementation</dt><dd>1</dd>" in facts
    assert "<dt>No implementation</dt><dd>1</dd>" in facts
    assert f"<dt>Not rated yet</dt><dd>{len(items) - 3}</dd>" in facts
    start = html[html.index('id="start-h"') : html.index("</ol>")]
    assert start.index(first.ref) < start.index(second.ref)
    assert f"<strong>{third.ref}</strong>" not in start


def test_saving_again_unchanged_writes_nothing(
    cycle: Cycle, lead: Client, items: list[Indicator]
) -> None:
    rating = PracticeRating.objects.create(
        assessment=cycle.assessment, indicator=items[0], status="full", evidence="Two\nlines"
    )
    data = form_data(lead.get(url(cycle)).content.decode())
    assert lead.post(url(cycle), data).status_code == 302
    rating.refresh_from_db()
    assert rating.revision == 1
    assert PracticeRating.objects.count() == 1


def test_a_concurrent_change_saves_nothing_and_shows_the_rows(
    cycle: Cycle, lead: Client, items: list[Indicator]
) -> None:
    first, second = items[:2]
    PracticeRating.objects.create(assessment=cycle.assessment, indicator=first, status="limited")
    opened = form_data(lead.get(url(cycle)).content.decode())
    # Someone else saves first: a row both change, and one only they change.
    mine = dict(opened)
    theirs = dict(opened)
    theirs.update({key(first, "status"): "none", key(second, "status"): "full"})
    assert lead.post(url(cycle), theirs).status_code == 302
    mine.update({key(first, "status"): "full", key(items[2], "status"): "limited"})
    response = lead.post(url(cycle), mine)
    html = response.content.decode()
    assert response.status_code == 200 and "Someone else saved first" in html
    table = html[html.index("<table>") : html.index("</table>")]
    assert f"{first.ref} · implementation" in table
    assert "No implementation" in table and "Full implementation" in table
    assert second.ref not in table
    assert not PracticeRating.objects.filter(indicator=items[2]).exists()
    # Saving the reopened form keeps my rows and the other person's untouched row.
    assert lead.post(url(cycle), form_data(html)).status_code == 302
    stored = {r.indicator_id: r.status for r in PracticeRating.objects.all()}
    assert stored == {first.pk: "full", second.pk: "full", items[2].pk: "limited"}


def test_a_reviewer_reads_the_ratings_but_cannot_save(
    world: World, cycle: Cycle, client_for: SignIn, items: list[Indicator]
) -> None:
    PracticeRating.objects.create(
        assessment=cycle.assessment, indicator=items[0], status="full", evidence="Weekly agendas"
    )
    client = client_for(world.by_role[Role.REVIEWER])
    html = client.get(url(cycle)).content.decode()
    assert "Weekly agendas" in html and "Save the ratings" not in html
    assert client.post(url(cycle), {}).status_code == 403
    assert client_for(world.by_role[Role.VIEWER]).get(url(cycle)).status_code == 403


def test_a_school_rates_its_districts_set(world: World, cycle: Cycle, lead: Client) -> None:
    rows = [indicators.Row("S1", "State area", "A state framework indicator")]
    indicators.create_set(world.district, "State framework", "state.csv", rows)
    html = lead.get(url(cycle)).content.decode()
    assert "A state framework indicator" in html and "Indicators from: State framework" in html
