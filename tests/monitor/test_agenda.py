"""The meeting agenda: built from what needs attention, and nothing that does not."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from headway.monitor import agenda
from headway.monitor.agenda import Section
from headway.monitor.models import Issue, Measure, Todo
from headway.plans.models import Cycle, Plan, Rock
from headway.teams.models import Team
from tests.monitor.conftest import weekly


def today() -> date:
    return timezone.localdate()


def section(sections: list[Section], kind: str) -> Section:
    return next(s for s in sections if s.kind == kind)


def texts(sections: list[Section], kind: str) -> list[str]:
    return [entry.text for entry in section(sections, kind).items]


def on_track_and_off_track(attendance: Measure, cycle: Cycle) -> Measure:
    """``attendance`` falls behind its straight line to 95%; a second measure keeps up."""
    attendance.target, attendance.target_on = 0.95, date(2025, 12, 1)
    attendance.save()
    weekly(attendance, [0.85, 0.86, 0.88, 0.87, 0.89, 0.86])
    steady = Measure.objects.create(
        cycle=cycle,
        name="Classrooms showing the look-for",
        target=0.95,
        target_on=date(2025, 12, 1),
    )
    weekly(steady, [0.85, 0.86, 0.88, 0.87, 0.89])
    return steady


def test_the_agenda_lists_exactly_what_needs_attention(
    team: Team, cycle: Cycle, plan: Plan, attendance: Measure
) -> None:
    on_track_and_off_track(attendance, cycle)
    soon = today() + timedelta(days=20)
    Rock.objects.create(
        plan=plan, title="PLC norms", owner="Ana", set_on=today(), due=soon, status="off_track"
    )
    Rock.objects.create(plan=plan, title="Walkthrough tool", owner="Ben", set_on=today(), due=soon)
    Rock.objects.create(
        plan=plan, title="Old rock", owner="Ben", set_on=today(), due=today(), status="done"
    )
    owner = team.members.get(name="Team Member")
    Todo.objects.create(team=team, owner=owner, text="Call the bus company", due=today())
    Todo.objects.create(team=team, owner=owner, text="Order books", due=soon)
    Todo.objects.create(
        team=team, owner=owner, text="Book the hall", due=today(), done_at=timezone.now()
    )
    Issue.objects.create(team=team, title="No common planning time", raised_by="Ana")
    Issue.objects.create(team=team, title="Hall booked twice", state=Issue.State.SOLVED)

    sections = agenda.build(team, cycle, today())

    assert texts(sections, "measures") == ["Weekly attendance rate"]
    assert texts(sections, "rocks") == ["PLC norms"]
    assert texts(sections, "todos") == ["Call the bus company"]
    assert texts(sections, "issues") == ["No common planning time"]
    (measure,) = section(sections, "measures").items
    assert measure.why.startswith("Off track: 86% on Oct. 6, 2025,") and "88.8%" in measure.why
    assert measure.link.endswith(f"/measures/{attendance.code}/")
    (rock,) = section(sections, "rocks").items
    assert rock.why == "Off track — Ana, due in 20 days."
    (todo,) = section(sections, "todos").items
    assert todo.why == "Team Member, due today."
    (issue,) = section(sections, "issues").items
    assert issue.why == "Identified, raised by Ana."


def test_the_sections_come_in_order_with_ninety_minutes_in_all(team: Team) -> None:
    sections = agenda.build(team, None, today())
    assert [s.kind for s in sections] == [
        "check_in",
        "measures",
        "rocks",
        "headlines",
        "todos",
        "issues",
        "wrap_up",
    ]
    assert [s.minutes for s in sections] == [5, 5, 5, 5, 5, 60, 5]
    assert not any(s.items for s in sections)  # no cycle, nothing open: nothing to look at


def test_a_rock_past_its_due_date_is_late_even_when_on_track(
    team: Team, cycle: Cycle, plan: Plan
) -> None:
    Rock.objects.create(
        plan=plan,
        title="Family night",
        owner="Cara",
        set_on=today() - timedelta(days=30),
        due=today() - timedelta(days=2),
    )
    (rock,) = section(agenda.build(team, cycle, today()), "rocks").items
    assert rock.why == "Late — Cara, 2 days late."


def test_a_signal_the_wrong_way_says_so(team: Team, cycle: Cycle, attendance: Measure) -> None:
    weekly(attendance, [0.90, 0.91, 0.89, 0.90, 0.92, 0.95, 0.96, 0.95, 0.96, 0.97, 0.96, 0.95])
    attendance.baseline_points = 5
    attendance.direction = Measure.Direction.DECREASE
    attendance.save()
    (item,) = section(agenda.build(team, cycle, today()), "measures").items
    assert "8 results in a row" in item.why and "a change for the worse" in item.why
    assert "Off track" not in item.why  # no target: only the signal is the reason


def test_a_new_signal_the_right_way_is_good_news(
    team: Team, cycle: Cycle, attendance: Measure
) -> None:
    weekly(attendance, [0.90, 0.91, 0.89, 0.90, 0.92, 0.95, 0.96, 0.95, 0.96, 0.97, 0.96, 0.95])
    attendance.baseline_points = 5
    attendance.save()
    (item,) = section(agenda.build(team, cycle, today()), "measures").items
    assert item.text == "Weekly attendance rate"
    assert item.why.startswith("Good news: ") and "a change for the better" in item.why


def test_an_old_signal_that_has_ended_is_not_news(
    team: Team, cycle: Cycle, attendance: Measure
) -> None:
    weekly(attendance, [0.90, 0.91, 0.89, 0.90, 0.92, 0.95, 0.96, 0.95, 0.96, 0.97, 0.96, 0.85])
    attendance.baseline_points = 5
    attendance.save()
    assert texts(agenda.build(team, cycle, today()), "measures") == []


def test_only_this_teams_todos_and_issues(team: Team, cycle: Cycle) -> None:
    other = Team.objects.create(org=team.org, name="Grade 3 team")
    someone = other.members.create(name="Dee", category="teacher")
    Todo.objects.create(team=other, owner=someone, text="Not ours", due=today())
    Issue.objects.create(team=other, title="Not ours either")
    sections = agenda.build(team, cycle, today())
    assert texts(sections, "todos") == [] and texts(sections, "issues") == []
