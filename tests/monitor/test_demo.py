"""The demo school's year of monitoring: what a visitor to the demo should find there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from headway.accounts.models import User
from headway.explore.cube import Audience
from headway.monitor import reading
from headway.monitor.demo import load_demo_monitor
from headway.monitor.models import (
    Decision,
    Evaluation,
    GoalVerdict,
    Initiative,
    Issue,
    Measure,
    Meeting,
    Point,
    Rebase,
    StrategyReview,
    Todo,
)
from headway.monitor.reading import Track, current_cycle
from headway.orgs.demo import DISTRICT_NAME, load_demo
from headway.orgs.models import Organization, current_start_year
from headway.plans import baselines
from headway.plans.models import Goal, Plan, Strategy
from headway.teams.demo import load_demo_teams
from tests.explore.conftest import demo_results  # noqa: F401  (the demo district with data)

WEEKLY = ["Weekly attendance rate", "Classrooms showing the look-for", "Math check-in average"]


def district() -> Organization:
    return Organization.objects.get(kind="district", name=DISTRICT_NAME)


def school() -> Organization:
    return Organization.objects.get(name="Alder Creek Elementary")


@pytest.fixture
def demo(db: None) -> Organization:
    """The demo district, its team and the monitor demo, without the student data."""
    load_demo()
    load_demo_teams(district())
    load_demo_monitor(district())
    return school()


def measure(name: str) -> Measure:
    return Measure.objects.get(name=name)


# --- a year of weekly measures ------------------------------------------------------------------


def test_a_year_of_weekly_points_ends_within_a_week_of_today(demo: Organization) -> None:
    today = timezone.localdate()
    for name in WEEKLY:
        days = list(measure(name).points.values_list("on", flat=True))
        assert len(days) == 52, name
        assert today - timedelta(days=7) <= days[-1] < today, name
        assert all((b - a).days == 7 for a, b in zip(days, days[1:], strict=False)), name


def test_the_values_are_in_range(demo: Organization) -> None:
    attendance = measure("Weekly attendance rate").points.values_list("value", flat=True)
    assert all(0.85 <= v <= 0.99 for v in attendance)
    for point in measure("Classrooms showing the look-for").points.all():
        assert point.denominator is not None and point.numerator is not None
        assert 0 <= point.numerator <= point.denominator <= 24
        assert point.value == pytest.approx(point.numerator / point.denominator)
    assert all(
        0 <= v <= 100
        for v in measure("Math check-in average").points.values_list("value", flat=True)
    )


def test_the_attendance_chart_shows_a_change_for_the_better(demo: Organization) -> None:
    attendance = measure("Weekly attendance rate")
    assert (attendance.chart, attendance.rules, attendance.baseline_points) == ("run", "anhoej", 12)
    read = reading.read(attendance, internal=True)
    assert read.improving and not read.worsening
    assert all(f.favourable for f in read.found)
    assert attendance.target == 0.95


def test_the_math_check_in_is_off_track_without_any_change(demo: Organization) -> None:
    math = measure("Math check-in average")
    assert (math.chart, math.rules, math.unit) == ("xmr", "ihi", "number")
    read = reading.read(math, internal=True)
    assert read.track is Track.OFF and read.needs_attention
    assert read.found == []


def test_the_look_for_is_a_p_chart_rebased_at_the_new_schedule(demo: Organization) -> None:
    look_for = measure("Classrooms showing the look-for")
    assert look_for.chart == "p"
    (rebase,) = Rebase.objects.filter(measure=look_for)
    assert "schedule" in rebase.reason
    read = reading.read(look_for, internal=True)
    assert len(read.phases) == 2
    after = [p.denominator for p in read.points[read.phases[1].start :]]
    assert set(after) == {24}  # every classroom visited from the new schedule on


def test_the_charts_carry_pdsa_cycles_and_changes(demo: Organization) -> None:
    read = reading.read(measure("Weekly attendance rate"), internal=True)
    kinds = {a.kind for a in read.annotations}
    assert {"pdsa", "change"} <= kinds


# --- plans, reviews and the evaluation ----------------------------------------------------------


def test_the_evaluation_started_the_current_cycle(demo: Organization) -> None:
    evaluation = Evaluation.objects.get()
    assert evaluation.finished_at is not None and evaluation.learned
    assert evaluation.next_cycle == current_cycle(demo)
    assert evaluation.next_cycle is not None
    assert evaluation.cycle.last_year == evaluation.next_cycle.first_year - 1
    verdicts = sorted(evaluation.goals.values_list("verdict", flat=True))
    assert verdicts == [GoalVerdict.Verdict.MET, GoalVerdict.Verdict.PARTLY]
    continues = list(evaluation.strategies.values_list("continues", flat=True))
    assert sorted(continues) == [False, True, True]


def test_the_current_plan_has_goals_strategies_and_work_under_way(demo: Organization) -> None:
    cycle = current_cycle(demo)
    assert cycle is not None and cycle.years == 2
    plan = Plan.objects.get(cycle=cycle)
    assert plan.state == Plan.State.APPROVED and plan.vision and plan.theory_of_action
    goals = Goal.objects.filter(assessment__cycle=cycle)
    assert goals.count() == 3 and all(g.priority_id and g.baseline is not None for g in goals)
    strategies = list(plan.strategies.all())
    assert len(strategies) == 3
    assert all(s.budget.exists() and s.started_on and s.teacher_hours for s in strategies)
    rocks = {r.status for r in plan.rocks.all()}
    assert "off_track" in rocks
    today = timezone.localdate()
    assert any(r.due < today and r.status != "done" for r in plan.rocks.all())  # one is late


def test_one_strategy_was_stopped_and_one_adjusted(demo: Organization) -> None:
    (stopped,) = Strategy.objects.filter(status=Strategy.Status.STOPPED)
    review = stopped.reviews.get()
    assert review.verdict == StrategyReview.Verdict.STOP and review.evidence
    assert review.flags and all(f["kind"] != "review_due" for f in review.flags)
    assert StrategyReview.objects.filter(verdict=StrategyReview.Verdict.ADJUST).count() == 1


def test_the_inventory_holds_two_initiatives_one_to_stop(demo: Organization) -> None:
    statuses = sorted(Initiative.objects.filter(org=demo).values_list("status", flat=True))
    assert statuses == [Initiative.Status.KEEP, Initiative.Status.STOP]


# --- meetings, issues, to-dos -------------------------------------------------------------------


def test_four_weekly_meetings_in_the_last_month(demo: Organization) -> None:
    today = timezone.localdate()
    meetings = list(Meeting.objects.order_by("held_on"))
    assert len(meetings) == 4 and all(m.state == Meeting.State.ENDED for m in meetings)
    assert all(today - timedelta(days=31) <= m.held_on < today for m in meetings)
    for meeting in meetings:
        assert meeting.agenda.count() == 7 and meeting.agenda.exclude(notes="").exists()
        scores = list(meeting.ratings.values_list("score", flat=True))
        assert scores and all(6 <= s <= 9 for s in scores)
        present = meeting.attendance.filter(present=True).count()
        assert len(scores) == present < meeting.attendance.count()
    assert sum(m.headlines.count() for m in meetings) >= 4


def test_an_issue_solved_with_its_decision_and_two_open(demo: Organization) -> None:
    solved = Issue.objects.get(state=Issue.State.SOLVED)
    assert solved.decision and solved.decided_by and solved.solved_in is not None
    decision = Decision.objects.get(issue=solved)
    assert decision.meeting == solved.solved_in and decision.decided_by
    open_ = sorted(Issue.objects.exclude(state=Issue.State.SOLVED).values_list("state", flat=True))
    assert open_ == [Issue.State.DISCUSS, Issue.State.IDENTIFY]


def test_open_to_dos_include_a_late_one_and_priyas_for_this_week(
    demo: Organization, client_for: Callable[[User | None], Client]
) -> None:
    today = timezone.localdate()
    open_todos = Todo.objects.filter(done_at=None)
    assert Todo.objects.exclude(done_at=None).exists()
    assert open_todos.filter(due__lt=today).exists()
    priya = User.objects.get(email="lead@headway.example")
    mine = open_todos.get(owner__user=priya)
    assert today <= mine.due <= today + timedelta(days=6 - today.weekday())
    page = client_for(priya).get(reverse("my-work")).content.decode()
    assert mine.text in page and "Call every family of a chronically absent student" in page


@pytest.mark.parametrize(
    "day", [date(2027, 6, 30), date(2027, 7, 1), date(2027, 11, 22), date(2028, 2, 29)]
)
def test_the_story_holds_whatever_the_day(db: None, day: date) -> None:
    load_demo()
    load_demo_teams(district())
    load_demo_monitor(district(), today=day)
    assert reading.read(measure("Weekly attendance rate"), internal=True).improving
    assert reading.read(measure("Math check-in average"), internal=True).track is Track.OFF
    evaluation = Evaluation.objects.get()
    assert evaluation.next_cycle is not None
    assert evaluation.next_cycle.first_year == current_start_year(day)
    assert (
        Meeting.objects.filter(held_on__lt=day, held_on__gte=day - timedelta(days=28)).count() == 4
    )


# --- with the demo's data and through the command -------------------------------------------------


def test_goals_are_read_from_the_imported_data(demo_results: Organization) -> None:  # noqa: F811
    load_demo_teams(demo_results)
    load_demo_monitor(demo_results, today=date(2026, 11, 23))  # the data end in 2025–26
    reading_goal = Goal.objects.get(assessment__cycle__first_year=2026, metric="proficiency_rate",
                                    subject="ela")  # fmt: skip
    found = baselines.read(school(), Audience.INTERNAL, baselines.indicator_of(reading_goal), 2026)
    assert found.baseline is not None and reading_goal.baseline == found.baseline.value
    for goal in Goal.objects.all():  # tracked, with a point from the data
        assert Point.objects.filter(measure__goal=goal, source=Point.Source.IMPORT).exists()
    math = Strategy.objects.get(status=Strategy.Status.STOPPED).reviews.get()
    assert "no_improvement" in {f["kind"] for f in math.flags}  # its goal's measure is flat


def test_load_demo_loads_it_once(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    def no_files(*args: Any, **kwargs: Any) -> list[Any]:
        return []

    monkeypatch.setattr("headway.data.management.commands.load_demo.import_demo_files", no_files)
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Meeting.objects.count() == 4 and Evaluation.objects.count() == 1
