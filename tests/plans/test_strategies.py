"""Strategies: evidence tier, implementation driver, goals served and budget lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from headway.audit.models import AuditEvent
from headway.orgs.roles import Role
from headway.plans import review
from headway.plans.models import ActionStep, BudgetLine, Cycle, Goal, Plan, Rock, Strategy
from tests.conftest import World
from tests.plans.conftest import cycle_url as url

SignIn = Callable[..., Client]
SEC1003 = "§1003 funds may pay only for strategies with strong, moderate or promising evidence"


@pytest.fixture
def goals(cycle: Cycle) -> list[Goal]:
    return [
        Goal.objects.create(assessment=cycle.assessment, statement=text)
        for text in ("Reading proficiency rises from 41% to 55%", "Chronic absence falls to 10%")
    ]


def budget(*lines: dict[str, Any], initial: int = 0, extra: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {
        "budget-TOTAL_FORMS": len(lines) + extra,
        "budget-INITIAL_FORMS": initial,
        "budget-MIN_NUM_FORMS": 0,
        "budget-MAX_NUM_FORMS": 1000,
    }
    for number, line in enumerate(lines):
        data |= {f"budget-{number}-{name}": value for name, value in line.items()}
    for number in range(len(lines), len(lines) + extra):
        data |= {f"budget-{number}-{name}": "" for name in ("item", "amount", "source")}
    return data


def strategy_data(**more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Weekly coaching cycles",
        "description": "Coaches work with every grade 3–5 teacher.",
        "lever": "coaching",
        "driver": "competency",
        "tier": "2",
        "citation": "https://ies.ed.gov/ncee/wwc/",
    }
    data |= budget(extra=2)
    data.update(more)
    return data


def coach_line(**more: Any) -> dict[str, Any]:
    return {"item": "Reading coach", "amount": "$52,000", "source": "title_i"} | more


def test_the_form_explains_drivers_and_tiers_and_offers_the_goals(
    cycle: Cycle, member: Client, goals: list[Goal]
) -> None:
    html = member.get(url("plans-strategy-create", cycle)).content.decode()
    for text in (
        "Competency: selecting, developing and coaching people.",
        "Organization: the school&#x27;s processes, using data well, and removing barriers.",
        "Leadership: technical",
        "Tier 1. Strong evidence",
        "Not yet known",
        "Logic model (required for tier 4)",
        "Evaluation plan (required for tier 4)",
        "Reading proficiency rises from 41% to 55%",
        'name="budget-1-item"',
        'name="budget-0-DELETE"',
        "Add another budget line",
    ):
        assert text in html, text
    assert 'name="budget-2-item"' not in html


def test_a_strategy_is_created_with_two_budget_lines_and_its_goals(
    cycle: Cycle, member: Client, goals: list[Goal]
) -> None:
    data = strategy_data(goals=[goals[0].pk, goals[1].pk])
    data |= budget(coach_line(), {"item": "Books", "amount": "1200.5", "source": "local"}, extra=1)
    response = member.post(url("plans-strategy-create", cycle), data)
    assert response.status_code == 302
    strategy = Strategy.objects.get()
    assert response["Location"] == url("plans-plan", cycle) + f"#strategy-{strategy.code}"
    assert strategy.tier == 2 and strategy.driver == "competency"
    assert set(strategy.goals.all()) == set(goals)
    lines = list(strategy.budget.values_list("item", "amount", "source"))
    assert lines == [
        ("Reading coach", Decimal("52000.00"), "title_i"),
        ("Books", Decimal("1200.50"), "local"),
    ]
    assert AuditEvent.objects.filter(action="plan.strategy_added").count() == 1


def test_1003_funds_with_tier_4_are_refused_naming_the_funding_source(
    cycle: Cycle, member: Client
) -> None:
    data = strategy_data(tier="4", logic_model="Coaching → practice", evaluation="Scores")
    data |= budget(coach_line(source="sec1003"))
    html = member.post(url("plans-strategy-create", cycle), data).content.decode()
    assert "Budget line 1, Funding source: " + SEC1003 in html
    assert not Strategy.objects.exists() and not BudgetLine.objects.exists()


def test_1003_funds_with_tier_3_are_accepted(cycle: Cycle, member: Client) -> None:
    data = strategy_data(tier="3") | budget(coach_line(source="sec1003"))
    assert member.post(url("plans-strategy-create", cycle), data).status_code == 302
    assert BudgetLine.objects.get().source == "sec1003"


def test_tier_4_without_a_logic_model_is_refused_naming_the_field(
    cycle: Cycle, member: Client
) -> None:
    data = strategy_data(tier="4", evaluation="Compare spring scores")
    html = member.post(url("plans-strategy-create", cycle), data).content.decode()
    assert "Logic model (required for tier 4): A tier 4 strategy needs a logic model" in html
    assert "needs an evaluation plan" not in html
    assert not Strategy.objects.exists()


@pytest.mark.parametrize(
    ("amount", "words"),
    [("-5", "Enter an amount of 0 or more."), ("10.005", "at most 2 decimals"), ("ten", "number")],
)
def test_bad_amounts_are_refused_naming_the_line_and_field(
    cycle: Cycle, member: Client, amount: str, words: str
) -> None:
    data = strategy_data() | budget(coach_line(amount=amount))
    html = member.post(url("plans-strategy-create", cycle), data).content.decode()
    assert "Budget line 1, Amount ($): " in html and words in html
    assert not Strategy.objects.exists()


def test_a_failing_budget_line_saves_nothing(
    cycle: Cycle, member: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(BudgetLine.objects, "bulk_create", broken)
    data = strategy_data() | budget(coach_line())
    with pytest.raises(RuntimeError):
        member.post(url("plans-strategy-create", cycle), data)
    assert not Strategy.objects.exists()


def test_a_valid_line_is_not_saved_when_another_line_fails(cycle: Cycle, member: Client) -> None:
    data = strategy_data() | budget(coach_line(), {"item": "Books", "amount": "", "source": ""})
    html = member.post(url("plans-strategy-create", cycle), data).content.decode()
    assert "Budget line 2, Amount ($): Enter the amount" in html
    assert "Budget line 2, Funding source: Choose who pays for the line." in html
    assert not Strategy.objects.exists() and not BudgetLine.objects.exists()


def test_adding_a_line_keeps_what_was_typed_without_saving(cycle: Cycle, member: Client) -> None:
    data = strategy_data(add_line="1", title="") | budget(coach_line(), extra=0)
    html = member.post(url("plans-strategy-create", cycle), data).content.decode()
    assert not Strategy.objects.exists()
    assert "Please correct" not in html
    assert 'value="Reading coach"' in html and 'value="$52,000"' in html
    assert 'name="budget-1-item"' in html and 'name="budget-2-item"' not in html


@pytest.fixture
def strategy(plan: Plan, goals: list[Goal]) -> Strategy:
    strategy = Strategy.objects.create(
        plan=plan, title="Coaching", lever="coaching", driver="competency", tier=2
    )
    strategy.goals.set([goals[0]])
    BudgetLine.objects.create(strategy=strategy, item="Coach", amount=50000, source="title_i")
    BudgetLine.objects.create(strategy=strategy, item="Books", amount=900, source="local")
    return strategy


def edit_data(strategy: Strategy, **more: Any) -> dict[str, Any]:
    lines = [
        {"item": line.item, "amount": str(line.amount), "source": line.source}
        for line in strategy.budget.all()
    ]
    data = strategy_data(revision=strategy.revision, goals=[strategy.goals.get().pk])
    data |= budget(*lines, initial=len(lines), extra=2)
    data.update(more)
    return data


def test_a_strategy_is_edited_and_a_budget_line_deleted(
    cycle: Cycle, member: Client, strategy: Strategy
) -> None:
    edit = url("plans-strategy-edit", cycle, strategy.code)
    html = member.get(edit).content.decode()
    assert 'value="Coach"' in html and 'value="Books"' in html and 'name="budget-3-item"' in html
    data = edit_data(strategy, title="Coaching cycles", **{"budget-1-DELETE": "on"})
    data |= {"budget-2-item": "Substitutes", "budget-2-amount": "800", "budget-2-source": "grant"}
    assert member.post(edit, data).status_code == 302
    strategy.refresh_from_db()
    assert strategy.title == "Coaching cycles" and strategy.revision == 2
    assert list(strategy.budget.values_list("item", flat=True)) == ["Coach", "Substitutes"]
    assert AuditEvent.objects.filter(action="plan.strategy_updated").count() == 1


def test_concurrent_edits_of_a_strategy_show_the_conflict_and_write_nothing(
    cycle: Cycle, member: Client, strategy: Strategy
) -> None:
    edit = url("plans-strategy-edit", cycle, strategy.code)
    first = edit_data(strategy, title="Coaching first", **{"budget-1-DELETE": "on"})
    second = edit_data(strategy, title="Coaching second")
    second |= {"budget-2-item": "Laptops", "budget-2-amount": "700", "budget-2-source": "local"}
    assert member.post(edit, first).status_code == 302
    html = member.post(edit, second).content.decode()
    assert "Someone else saved first" in html
    assert "Coaching first" in html and "Coaching second" in html
    assert "Laptops: $700.00 (Local funds)" in html
    strategy.refresh_from_db()
    assert strategy.title == "Coaching first" and strategy.revision == 2
    assert list(strategy.budget.values_list("item", flat=True)) == ["Coach"]
    assert f'name="revision" value="{strategy.revision}"' in html


def test_removing_a_strategy_asks_first_and_keeps_its_actions_and_rocks(
    cycle: Cycle, member: Client, strategy: Strategy, plan: Plan
) -> None:
    action = ActionStep.objects.create(
        plan=plan, strategy=strategy, title="Schedule coaching", owner="Ms. Diaz", due="2025-10-01"
    )
    rock = Rock.objects.create(
        plan=plan,
        strategy=strategy,
        title="Coaching calendar",
        owner="Mr. Lee",
        set_on="2025-09-01",
        due="2025-10-01",
    )
    remove = url("plans-strategy-remove", cycle, strategy.code)
    html = member.get(remove).content.decode()
    assert "Remove the strategy “Coaching”?" in html
    assert "Coach: $50000.00 (Title I)" in html
    assert "Schedule coaching" in html and "Coaching calendar" in html
    assert member.post(remove).status_code == 302
    action.refresh_from_db()
    rock.refresh_from_db()
    assert not Strategy.objects.exists() and not BudgetLine.objects.exists()
    assert action.strategy is None and rock.strategy is None
    assert AuditEvent.objects.filter(action="plan.strategy_removed").count() == 1


def test_a_reviewer_may_not_add_edit_or_remove(
    world: World, cycle: Cycle, client_for: SignIn, strategy: Strategy
) -> None:
    client = client_for(world.by_role[Role.REVIEWER])
    for name, more in (
        ("plans-strategy-create", ()),
        ("plans-strategy-edit", (strategy.code,)),
        ("plans-strategy-remove", (strategy.code,)),
    ):
        assert client.get(url(name, cycle, *more)).status_code == 403
        assert client.post(url(name, cycle, *more), strategy_data()).status_code == 403
    assert Strategy.objects.count() == 1


def test_outsiders_see_nothing(world: World, cycle: Cycle, client_for: SignIn) -> None:
    client = client_for(world.dave)
    assert client.get(url("plans-strategy-create", cycle)).status_code == 404


def test_a_strategy_of_another_plan_is_not_found(
    world: World, cycle: Cycle, member: Client, strategy: Strategy
) -> None:
    other = Cycle.objects.create(org=world.school, first_year=2027, years=1, created_by=world.alice)
    response = member.get(url("plans-strategy-edit", other, strategy.code))
    assert response.status_code == 404


def test_adding_a_line_while_editing_keeps_the_revision_and_saves_nothing(
    cycle: Cycle, member: Client, strategy: Strategy
) -> None:
    edit = url("plans-strategy-edit", cycle, strategy.code)
    data = edit_data(strategy, title="Not saved yet", add_line="1", **{"budget-0-DELETE": "on"})
    html = member.post(edit, data).content.decode()
    assert 'value="Not saved yet"' in html and 'name="revision" value="1"' in html
    assert 'name="budget-0-DELETE" id="id_budget-0-DELETE" checked' in html
    assert 'name="budget-4-item"' in html and 'name="budget-5-item"' not in html
    strategy.refresh_from_db()
    assert strategy.title == "Coaching" and strategy.budget.count() == 2


# --- time, reach and reviews (read by strategy reviews and the initiative inventory) ----------


def test_start_date_review_window_teacher_time_and_reach_are_saved(
    cycle: Cycle, member: Client
) -> None:
    html = member.get(url("plans-strategy-create", cycle)).content.decode()
    for text in ("Time, reach and reviews", "Start date", "Review it every (weeks)",
                 "Teacher time (hours a month)", "Students it reaches", 'value="12"'):  # fmt: skip
        assert text in html, text
    data = strategy_data(started_on="2025-09-15", review_weeks="8", teacher_hours="24.5",
                         students="120")  # fmt: skip
    assert member.post(url("plans-strategy-create", cycle), data).status_code == 302
    strategy = Strategy.objects.get()
    assert strategy.started_on == date(2025, 9, 15) and strategy.review_weeks == 8
    assert strategy.teacher_hours == Decimal("24.5") and strategy.students == 120
    assert strategy.status == Strategy.Status.ACTIVE


def test_an_empty_review_window_is_twelve_weeks(cycle: Cycle, member: Client) -> None:
    data = strategy_data(review_weeks="", students="")
    assert member.post(url("plans-strategy-create", cycle), data).status_code == 302
    strategy = Strategy.objects.get()
    assert strategy.review_weeks == 12 and strategy.students is None


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("started_on", "mid-September", "Start date: Enter a date, for example 2025-09-15."),
        ("review_weeks", "1", "Review it at least every 52 weeks and at most every 2 weeks."),
        ("review_weeks", "often", "Enter a whole number of weeks from 2 to 52."),
        ("teacher_hours", "-3", "Enter 0 or more hours."),
        ("teacher_hours", "2.25", "Enter the hours with at most one decimal, like 12.5."),
        ("students", "all", "Enter the number of students as a whole number"),
    ],
)
def test_bad_time_and_reach_are_refused_naming_the_field(
    cycle: Cycle, member: Client, field: str, value: str, words: str
) -> None:
    html = member.post(url("plans-strategy-create", cycle), strategy_data(**{field: value}))
    assert words in html.content.decode()
    assert not Strategy.objects.exists()


def test_the_next_cycle_copies_time_and_reach_but_not_stopped_strategies(
    world: World, plan: Plan, strategy: Strategy
) -> None:
    Strategy.objects.filter(pk=strategy.pk).update(
        started_on=date(2025, 9, 1), review_weeks=6, teacher_hours=Decimal(10), students=80
    )
    Strategy.objects.create(
        plan=plan, title="Saturday school", lever="other", driver="organization",
        status=Strategy.Status.STOPPED,
    )  # fmt: skip
    new = review.start_next_cycle(plan, world.alice)
    copy = new.strategies.get()
    assert copy.title == "Coaching" and copy.review_weeks == 6 and copy.students == 80
    assert copy.started_on == date(2025, 9, 1) and copy.teacher_hours == Decimal(10)
    assert copy.budget.count() == 2
