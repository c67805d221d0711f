"""The initiative inventory: the plan's strategies and other initiatives, totals and freed time."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from headway.audit.models import AuditEvent
from headway.monitor import inventory
from headway.monitor.models import Initiative
from headway.orgs.roles import Role
from headway.plans.models import BudgetLine, Cycle, Plan, Strategy
from tests.conftest import World
from tests.monitor.conftest import cycle_url

SignIn = Callable[..., Client]


@pytest.fixture
def stock(world: World, plan: Plan) -> dict[str, Any]:
    """Two strategies (one stopped) and three initiatives (one marked "stop"); 400 students."""
    world.school.enrollment = 400
    world.school.save()
    coaching = Strategy.objects.create(
        plan=plan, title="Weekly coaching cycles", lever="coaching", driver="competency",
        teacher_hours=Decimal("20"), students=100,
    )  # fmt: skip
    BudgetLine.objects.create(
        strategy=coaching, item="Coach", amount=Decimal(50000), source="local"
    )
    stopped = Strategy.objects.create(
        plan=plan, title="Saturday school", lever="other", driver="organization",
        teacher_hours=Decimal("16"), status=Strategy.Status.STOPPED,
    )  # fmt: skip
    BudgetLine.objects.create(strategy=stopped, item="Pay", amount=Decimal(9000), source="local")
    make = Initiative.objects.create
    return {
        "coaching": coaching,
        "software": make(org=world.school, name="Reading software", cost=Decimal(12000),
                         teacher_hours=Decimal("6.5"), status="stop"),
        "committee": make(org=world.school, name="Events committee", teacher_hours=Decimal(10),
                          status="stop"),
        "tutoring": make(org=world.school, name="After-school tutoring", cost=Decimal(8000),
                         teacher_hours=Decimal(30), students=40, status="keep"),
    }  # fmt: skip


def url(cycle: Cycle, name: str = "monitor-inventory", *more: object) -> str:
    return cycle_url(name, cycle, *more)


def initiative_data(**more: str) -> dict[str, str]:
    data = {
        "name": "PBIS rewards store",
        "purpose": "Positive behaviour support.",
        "cost": "$1,250.50",
        "teacher_hours": "4",
        "students": "",
        "status": "review",
    }
    data.update(more)
    return data


def test_totals_count_what_goes_on_and_the_time_stopping_frees(
    cycle: Cycle, plan: Plan, stock: dict[str, Any]
) -> None:
    strategies = plan.strategies.prefetch_related("budget").order_by("order", "created_at")
    rows = inventory.rows(strategies, Initiative.objects.filter(org=cycle.org), 400)
    assert [r.name for r in rows] == [
        "Weekly coaching cycles", "Saturday school", "After-school tutoring",
        "Events committee", "Reading software",
    ]  # fmt: skip
    totals = inventory.totals(rows)
    assert totals.cost == Decimal(50000 + 12000 + 8000)  # Saturday school is stopped
    assert totals.hours == Decimal("66.5")  # 20 + 6.5 + 10 + 30
    assert totals.freed == Decimal("16.5") and totals.to_stop == [
        "Events committee", "Reading software",
    ]  # fmt: skip
    assert totals.stopped_hours == Decimal(16)
    assert rows[0].cost_per_student == Decimal(500)
    assert rows[4].cost_per_student == Decimal(30) and rows[4].whole_school  # 12,000 / 400
    assert rows[3].cost_per_student is None  # no cost


def test_the_page_shows_the_table_totals_freed_time_and_a_chart(
    cycle: Cycle, stock: dict[str, Any], member: Client
) -> None:
    html = member.get(url(cycle)).content.decode()
    for text in (
        "Weekly coaching cycles",
        "Plan strategy, under way",
        "Plan strategy, stopped",
        "$500.00",  # coaching per student
        '400 <span class="muted">(whole school)</span>',
        "The school spends $70,000.00 a year and 66.5 teacher hours a month on these.",
        "Stopping what is marked “stop” (Events committee, Reading software) would free "
        "16.5 teacher hours a month.",
        "Strategies stopped in reviews already gave back 16 teacher hours a month",
        "Teacher time by initiative",
        "4 initiatives take 66.5 teacher hours a month together. The most: After-school "
        "tutoring, 30 hours.",
        "Show the numbers",
        "Add an initiative",
    ):
        assert text in html, text


def test_an_initiative_is_added(cycle: Cycle, member: Client) -> None:
    response = member.post(url(cycle), initiative_data())
    assert response.status_code == 302
    item = Initiative.objects.get()
    assert item.cost == Decimal("1250.50") and item.teacher_hours == Decimal(4)
    assert item.org == cycle.org and item.status == "review"
    assert AuditEvent.objects.filter(action="monitor.initiative_added").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Name the initiative."),
        ("cost", "a lot", "Enter the cost as a number, for example 2500 or 2500.50."),
        ("cost", "-5", "Enter a cost of 0 or more."),
        ("teacher_hours", "ten", "Enter the hours as a number, for example 12 or 12.5."),
        ("teacher_hours", "-1", "Enter 0 hours or more."),
        ("students", "many", "Enter the number of students as a whole number, for example 120."),
        ("status", "maybe", "Select a valid choice."),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    cycle: Cycle, member: Client, field: str, value: str, message: str
) -> None:
    response = member.post(url(cycle), initiative_data(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'class="error-summary"' in html and f'href="#id_{field}"' in html
    assert not Initiative.objects.exists()


def test_empty_cost_and_hours_are_zero_and_hours_are_rounded(cycle: Cycle, member: Client) -> None:
    member.post(url(cycle), initiative_data(cost="", teacher_hours="7.25"))
    item = Initiative.objects.get()
    assert item.cost == 0 and item.teacher_hours == Decimal("7.3")


def test_editing_saves_and_a_concurrent_edit_shows_the_conflict(
    cycle: Cycle, stock: dict[str, Any], member: Client
) -> None:
    software = stock["software"]
    edit = url(cycle, "monitor-initiative", software.code)
    assert "Reading software" in member.get(edit).content.decode()
    data = initiative_data(name="Reading software", status="keep", revision="1")
    assert member.post(edit, data).status_code == 302
    software.refresh_from_db()
    assert software.status == "keep" and software.revision == 2
    stale = initiative_data(name="Reading software", cost="99", revision="1")
    html = member.post(edit, stale).content.decode()
    assert "Reading software was changed by someone else while you were editing." in html
    assert "Someone else saved first" in html and "99" in html
    software.refresh_from_db()
    assert software.cost == Decimal("1250.50") and software.revision == 2
    assert 'name="revision" value="2"' in html  # saving again keeps theirs deliberately


def test_removing_asks_first(cycle: Cycle, stock: dict[str, Any], member: Client) -> None:
    committee = stock["committee"]
    remove = url(cycle, "monitor-initiative-remove", committee.code)
    html = member.get(remove).content.decode()
    assert "Remove “Events committee” from the inventory?" in html
    assert Initiative.objects.filter(pk=committee.pk).exists()
    assert member.post(remove).status_code == 302
    assert not Initiative.objects.filter(pk=committee.pk).exists()


def test_a_reviewer_reads_but_cannot_change(
    world: World, cycle: Cycle, stock: dict[str, Any], client_for: SignIn
) -> None:
    reviewer = client_for(world.by_role[Role.REVIEWER])
    html = reviewer.get(url(cycle)).content.decode()
    assert "Reading software" in html and "Add an initiative" not in html
    assert reviewer.post(url(cycle), initiative_data()).status_code == 403
    edit = url(cycle, "monitor-initiative", stock["software"].code)
    assert reviewer.get(edit).status_code == 403


def test_another_schools_initiative_is_not_found(
    world: World, cycle: Cycle, member: Client
) -> None:
    theirs = Initiative.objects.create(org=world.other_school, name="Theirs")
    assert member.get(url(cycle, "monitor-initiative", theirs.code)).status_code == 404
    assert member.post(url(cycle, "monitor-initiative-remove", theirs.code)).status_code == 404
    assert Initiative.objects.filter(pk=theirs.pk).exists()


def test_an_empty_inventory_explains_itself(cycle: Cycle, member: Client) -> None:
    html = member.get(url(cycle)).content.decode()
    assert "Nothing in the inventory yet." in html and "Teacher time by initiative" not in html
