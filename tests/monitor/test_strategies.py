"""Strategy reviews: the overview with flags, the evidence, and continue, adjust or stop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from headway.audit.models import AuditEvent
from headway.monitor.models import Measure, StrategyReview
from headway.orgs.roles import Role
from headway.plans.models import ActionStep, BudgetLine, Cycle, Goal, Plan, Rock, Strategy
from tests.conftest import World
from tests.monitor.conftest import cycle_url, weekly

SignIn = Callable[..., Client]
FLAT = [0.80, 0.82, 0.79, 0.81, 0.80, 0.82, 0.79, 0.81, 0.80, 0.82, 0.79, 0.81]


def today() -> Any:
    return timezone.localdate()


@pytest.fixture
def coaching(cycle: Cycle, plan: Plan) -> Strategy:
    """Coaching, started 13 weeks ago (its review is due), with a flat goal measure, a stuck
    step, a budget and teacher time."""
    s = Strategy.objects.create(
        plan=plan,
        title="Weekly coaching cycles",
        lever="coaching",
        driver="competency",
        started_on=today() - timedelta(weeks=13),
        teacher_hours=Decimal("24.5"),
        students=120,
    )
    goal = Goal.objects.create(assessment=cycle.assessment, statement="Reading proficiency rises")
    s.goals.add(goal)
    measure = Measure.objects.create(
        cycle=cycle, goal=goal, name="Reading proficiency", baseline_points=5
    )
    weekly(measure, FLAT)
    BudgetLine.objects.create(strategy=s, item="Coach", amount=Decimal(60000), source="title_i")
    ActionStep.objects.create(
        plan=plan, strategy=s, title="Buy the books", owner="Ana", due=today(), status="stuck"
    )
    Rock.objects.create(
        plan=plan, strategy=s, title="Coaching calendar", owner="Ben", set_on=today(),
        due=today() + timedelta(days=30), status="on_track",
    )  # fmt: skip
    return s


def review_url(s: Strategy) -> str:
    return cycle_url("monitor-strategy-review", s.plan.cycle, s.code)


def decide(**more: str) -> dict[str, str]:
    data = {
        "verdict": "continue",
        "evidence": "Reading has not moved in 12 weeks; the books are stuck at the district.",
        "changes": "",
        "decided_by": "The leadership team, 12 March",
        "reviewed_on": today().isoformat(),
    }
    data.update(more)
    return data


def test_the_overview_lists_each_strategy_with_its_review_and_flags(
    cycle: Cycle, coaching: Strategy, lead: Client
) -> None:
    html = lead.get(cycle_url("monitor-strategies", cycle)).content.decode()
    for text in (
        "Weekly coaching cycles",
        "Under way",
        "due 7 days ago",
        "No sign of improvement",
        "After 12 weeks, its goal&#x27;s measure (Reading proficiency) shows no change",
        "Its work is off track",
        "The one action step due by now is not done; stuck: “Buy the books”.",
        "Review due",
        "Not reviewed yet",
        "1 strategy is a candidate for stopping.",
        review_url(coaching),
    ):
        assert text in html, text


def test_the_review_page_shows_the_evidence(cycle: Cycle, coaching: Strategy, lead: Client) -> None:
    StrategyReview.objects.create(
        strategy=coaching,
        verdict="adjust",
        evidence="Coaching started late.",
        changes="Two cycles a month instead of one.",
        reviewed_on=today() - timedelta(weeks=13),
        flags=[{"kind": "review_due", "title": "Review due", "reason": "Due today."}],
    )
    html = lead.get(review_url(coaching)).content.decode()
    for text in (
        "Reading proficiency",
        "81%",  # the latest point
        "<strong>No signal yet.</strong> 81% on Nov. 17, 2025. The goal has no target",
        "Buy the books",
        "Stuck",
        "Coaching calendar",
        "Coach: $60,000.00",
        "It reaches 120 students.",
        "Cost per student: $500.00.",
        "Teacher time: 24.5 hours a month.",
        "Coaching started late.",
        "Two cycles a month instead of one.",
        "Review due: Due today.",
        'name="verdict"',
    ):
        assert text in html, text


def test_a_decision_is_recorded_with_the_flags_shown(coaching: Strategy, lead: Client) -> None:
    response = lead.post(review_url(coaching), decide(verdict="continue"))
    assert response.status_code == 302
    review = coaching.reviews.get()
    assert review.verdict == "continue" and review.decided_by.startswith("The leadership")
    assert [f["kind"] for f in review.flags] == ["no_improvement", "off_track", "review_due"]
    assert AuditEvent.objects.filter(action="monitor.strategy_reviewed").exists()
    html = lead.get(response["Location"]).content.decode()
    assert "The review of “Weekly coaching cycles” is saved: it continues." in html
    assert "Review due" not in html  # the window starts again at the review


def test_bad_input_is_refused_naming_the_field(coaching: Strategy, lead: Client) -> None:
    html = lead.post(review_url(coaching), decide(evidence="")).content.decode()
    assert "Say in a few words what the evidence shows." in html
    html = lead.post(review_url(coaching), decide(verdict="adjust")).content.decode()
    assert "Say what changes when the team adjusts the strategy." in html
    tomorrow = (today() + timedelta(days=1)).isoformat()
    html = lead.post(review_url(coaching), decide(reviewed_on=tomorrow)).content.decode()
    assert "The review date is in the future" in html
    html = lead.post(review_url(coaching), decide(verdict="maybe")).content.decode()
    assert "Select a valid choice" in html
    assert not coaching.reviews.exists()


def test_stopping_asks_first_then_stops_without_reopening_the_approved_plan(
    plan: Plan, coaching: Strategy, lead: Client
) -> None:
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.APPROVED)
    response = lead.post(review_url(coaching), decide(verdict="stop"))
    html = response.content.decode()
    assert response.status_code == 200 and "Stop the strategy “Weekly coaching cycles”?" in html
    assert "It frees about 24.5 teacher hours a month." in html
    assert not coaching.reviews.exists()
    coaching.refresh_from_db()
    assert coaching.status == Strategy.Status.ACTIVE

    response = lead.post(review_url(coaching), decide(verdict="stop", confirm="1"))
    assert response.status_code == 302
    coaching.refresh_from_db()
    plan.refresh_from_db()
    assert coaching.status == Strategy.Status.STOPPED
    assert plan.state == Plan.State.APPROVED and plan.version == 1
    assert coaching.reviews.get().verdict == "stop"
    html = lead.get(response["Location"]).content.decode()
    assert "“Weekly coaching cycles” is stopped." in html
    assert "None: a review can restart it." in html


def test_going_back_from_the_confirmation_keeps_what_was_typed(
    coaching: Strategy, lead: Client
) -> None:
    html = lead.post(review_url(coaching), decide(verdict="stop", back="1")).content.decode()
    assert "the books are stuck at the district" in html and 'name="verdict"' in html
    assert not coaching.reviews.exists()


def test_a_later_review_restarts_a_stopped_strategy(
    plan: Plan, coaching: Strategy, lead: Client
) -> None:
    Strategy.objects.filter(pk=coaching.pk).update(status=Strategy.Status.STOPPED)
    html = lead.get(cycle_url("monitor-strategies", plan.cycle)).content.decode()
    assert "Stopped" in html and "Review due" not in html  # a stopped strategy is not flagged
    lead.post(review_url(coaching), decide(verdict="continue"))
    coaching.refresh_from_db()
    assert coaching.status == Strategy.Status.ACTIVE


def test_the_plan_page_and_the_alignment_map_say_stopped(
    plan: Plan, coaching: Strategy, lead: Client
) -> None:
    Strategy.objects.filter(pk=coaching.pk).update(status=Strategy.Status.STOPPED)
    for name in ("plans-plan", "plans-alignment"):
        html = lead.get(cycle_url(name, plan.cycle)).content.decode()
        assert '<span class="tag">Stopped</span>' in html, name


def test_a_team_member_reads_the_overview_but_cannot_decide(
    cycle: Cycle, coaching: Strategy, member: Client
) -> None:
    html = member.get(cycle_url("monitor-strategies", cycle)).content.decode()
    assert "Weekly coaching cycles" in html and review_url(coaching) not in html
    assert member.post(review_url(coaching), decide(verdict="stop", confirm="1")).status_code == 403
    assert member.get(review_url(coaching)).status_code == 403
    coaching.refresh_from_db()
    assert coaching.status == Strategy.Status.ACTIVE and not coaching.reviews.exists()


def test_outsiders_and_unknown_strategies_get_404(
    world: World, cycle: Cycle, coaching: Strategy, client_for: SignIn, lead: Client
) -> None:
    other = Plan.objects.create(cycle=Cycle.objects.create(org=world.other_school, first_year=2025))
    foreign = Strategy.objects.create(
        plan=other, title="Elsewhere", lever="plc", driver="competency"
    )
    assert lead.get(review_url(foreign)).status_code == 404
    assert lead.put(review_url(coaching)).status_code == 405
    assert client_for(world.dave).get(review_url(coaching)).status_code == 404


def test_the_overview_needs_as_many_queries_for_seven_strategies_as_for_one(
    cycle: Cycle, plan: Plan, coaching: Strategy, lead: Client
) -> None:
    url = cycle_url("monitor-strategies", cycle)
    lead.get(url)  # the session is saved once
    with CaptureQueriesContext(connection) as one:
        lead.get(url)
    for n in range(6):
        s = Strategy.objects.create(
            plan=plan, title=f"Strategy {n}", lever="plc", driver="competency",
            started_on=today(), students=10,
        )  # fmt: skip
        BudgetLine.objects.create(strategy=s, item="Books", amount=Decimal(100), source="local")
        StrategyReview.objects.create(strategy=s, verdict="continue", evidence="Fine.")
    with CaptureQueriesContext(connection) as seven:
        assert "Strategy 5" in lead.get(url).content.decode()
    assert len(seven) == len(one)


def test_an_empty_plan_says_where_strategies_come_from(world: World, client_for: SignIn) -> None:
    cycle = Cycle.objects.create(org=world.school, first_year=2030)
    html = (
        client_for(world.by_role[Role.TEAM_LEAD])
        .get(cycle_url("monitor-strategies", cycle))
        .content.decode()
    )
    assert "No strategies yet." in html
