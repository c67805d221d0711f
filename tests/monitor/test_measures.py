"""The Monitor landing page, the cycle's dashboard, and adding, editing and removing measures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from headway.audit.models import AuditEvent
from headway.monitor import goalpoints
from headway.monitor.models import Annotation, Measure, Point, Rebase
from headway.orgs.roles import Role
from headway.plans.models import Cycle, Goal
from tests.conftest import World
from tests.monitor.conftest import cycle_url, weekly

SignIn = Callable[..., Client]


def measure_url(name: str, measure: Measure) -> str:
    return cycle_url(name, measure.cycle, measure.code)


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Share of classrooms with the learning target posted",
        "description": "Walkthroughs on Tuesdays, every classroom.",
        "unit": "percent",
        "direction": "increase",
        "chart": "run",
        "rules": "anhoej",
        "baseline_points": "",
        "target": "",
        "target_on": "",
        "start_value": "",
    }
    return data | changes


# --- the landing page ----------------------------------------------------------------------------


def test_the_landing_page_opens_the_current_cycle(cycle: Cycle, lead: Client) -> None:
    response = lead.get(reverse("monitor-home", args=[cycle.org.code]))
    assert response.status_code == 302 and response["Location"] == cycle_url("monitor-cycle", cycle)


def test_without_a_cycle_the_landing_page_explains_and_points_to_the_plan(
    world: World, lead: Client
) -> None:
    page = lead.get(reverse("monitor-home", args=[world.school.code])).content.decode()
    assert "There is no improvement cycle here yet." in page
    assert reverse("plans-home", args=[world.school.code]) in page


# --- the dashboard -------------------------------------------------------------------------------


def test_the_dashboard_shows_each_measure_with_its_latest_result_and_status(
    attendance: Measure, lead: Client
) -> None:
    attendance.target, attendance.target_on = 0.95, date(2025, 12, 1)
    attendance.save()
    weekly(attendance, [0.85, 0.86, 0.88, 0.87, 0.86])
    page = lead.get(cycle_url("monitor-cycle", attendance.cycle)).content.decode()
    assert "Weekly attendance rate" in page
    assert "86%" in page and "Off track" in page
    assert "1 measure needs attention" in page
    assert "No goal with an indicator from the data yet" in page


def test_the_dashboard_words_a_signal_by_the_measures_direction(
    attendance: Measure, lead: Client
) -> None:
    weekly(attendance, [0.90, 0.91, 0.89, 0.90, 0.92, 0.95, 0.96, 0.95, 0.96, 0.97, 0.96, 0.95])
    attendance.baseline_points = 5
    attendance.save()
    page = lead.get(cycle_url("monitor-cycle", attendance.cycle)).content.decode()
    assert "Improving" in page and "No target" in page
    attendance.direction = Measure.Direction.DECREASE
    attendance.save()
    page = lead.get(cycle_url("monitor-cycle", attendance.cycle)).content.decode()
    assert "Getting worse" in page and "1 measure needs attention" in page


def test_every_goal_with_an_indicator_appears_on_the_dashboard(cycle: Cycle, lead: Client) -> None:
    goal = Goal.objects.create(
        assessment=cycle.assessment,
        statement="More students attend school every day.",
        metric="attendance_rate",
        direction=Goal.Direction.INCREASE,
    )
    Goal.objects.create(assessment=cycle.assessment, statement="Joy", measure="Student surveys")
    page = lead.get(cycle_url("monitor-cycle", cycle)).content.decode()
    measure = Measure.objects.get()
    assert measure.goal == goal and measure.unit == Measure.Unit.PERCENT
    assert "More students attend school every day." in page
    assert "No result yet" in page
    lead.get(cycle_url("monitor-cycle", cycle))
    assert Measure.objects.count() == 1  # once only


def test_a_goals_measure_follows_its_goals_direction_and_unit(cycle: Cycle) -> None:
    goal = Goal.objects.create(assessment=cycle.assessment, metric="attendance_rate")
    [made] = goalpoints.track_goals(cycle)
    assert (made.direction, made.unit) == ("increase", "percent")
    goal.metric, goal.direction = "mean_scale_score", Goal.Direction.DECREASE
    goal.save()
    assert goalpoints.track_goals(cycle) == []
    made.refresh_from_db()
    assert (made.direction, made.unit) == ("decrease", "number")


def test_the_dashboard_has_a_helpful_empty_state(cycle: Cycle, lead: Client) -> None:
    page = lead.get(cycle_url("monitor-cycle", cycle)).content.decode()
    assert "No measure of the team's own yet." in page
    assert cycle_url("monitor-measure-create", cycle) in page


def test_the_dashboards_queries_do_not_grow_with_measures_and_points(
    cycle: Cycle, lead: Client, django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        for k in range(n):
            measure = Measure.objects.create(cycle=cycle, name=f"Measure {k}")
            weekly(measure, [0.8 + (i % 5) / 100 for i in range(30)])
            Rebase.objects.create(measure=measure, on=date(2025, 11, 3), reason="Change")
        Annotation.objects.create(cycle=cycle, on=date(2025, 10, 1), text="PDSA")

    add(2)
    with django_assert_max_num_queries(30) as few:
        assert lead.get(cycle_url("monitor-cycle", cycle)).status_code == 200
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert lead.get(cycle_url("monitor-cycle", cycle)).status_code == 200


# --- adding a measure ----------------------------------------------------------------------------


def test_it_adds_a_measure_with_its_target_typed_in_percent(cycle: Cycle, member: Client) -> None:
    data = form(target="95", target_on="2026-06-01", start_value="80", baseline_points="8")
    response = member.post(cycle_url("monitor-measure-create", cycle), data)
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == measure_url("monitor-points", measure)
    assert measure.target == pytest.approx(0.95) and measure.start_value == pytest.approx(0.80)
    assert measure.baseline_points == 8 and measure.cycle == cycle
    assert AuditEvent.objects.filter(action="monitor.measure_created").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "Measure", "Say in a few words what the team measures."),
        ({"target": "120", "target_on": "2026-06-01"}, "Target", "between 0 and 100"),
        ({"target": "90"}, "Target date", "Give the date the target should be reached by."),
        ({"target_on": "2026-06-01"}, "Target", "Give the target to reach by that date."),
        ({"chart": "p", "unit": "number"}, "Chart", "choose the unit “Percent”"),
        ({"baseline_points": "1"}, "Freeze the centre line", "at least 2 results"),
        ({"baseline_points": "many"}, "Freeze the centre line", "whole number"),
        ({"target": "lots", "target_on": "2026-06-01"}, "Target", "Give a number"),
    ],
)
def test_it_refuses_a_bad_measure_naming_the_field(
    cycle: Cycle, member: Client, changes: dict[str, str], field: str, message: str
) -> None:
    response = member.post(cycle_url("monitor-measure-create", cycle), form(**changes))
    page = response.content.decode()
    assert response.status_code == 200 and not Measure.objects.exists()
    assert "Please correct the following:" in page
    assert f"{field}" in page and message in page


def test_reviewers_cannot_add_measures(world: World, cycle: Cycle, client_for: SignIn) -> None:
    reviewer = client_for(world.by_role[Role.REVIEWER])
    assert reviewer.post(cycle_url("monitor-measure-create", cycle), form()).status_code == 403
    assert not Measure.objects.exists()


# --- editing and removing ------------------------------------------------------------------------


def test_it_edits_a_measure_and_shows_its_target_in_percent(
    attendance: Measure, member: Client
) -> None:
    attendance.target, attendance.target_on = 0.95, date(2026, 6, 1)
    attendance.save()
    page = member.get(measure_url("monitor-measure-edit", attendance)).content.decode()
    assert 'value="95.0"' in page or 'value="95"' in page
    data = form(name="Attendance", target="96", target_on="2026-06-01", revision="1")
    response = member.post(measure_url("monitor-measure-edit", attendance), data)
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert attendance.name == "Attendance" and attendance.target == pytest.approx(0.96)
    assert attendance.revision == 2


def test_an_edit_does_not_overwrite_someone_elses(attendance: Measure, member: Client) -> None:
    url = measure_url("monitor-measure-edit", attendance)
    member.post(url, form(name="Their name", revision="1"))
    response = member.post(url, form(name="My name", revision="1"))
    page = response.content.decode()
    attendance.refresh_from_db()
    assert response.status_code == 200 and attendance.name == "Their name"
    assert "Someone else saved first" in page and "Their name" in page and "My name" in page
    assert member.post(url, form(name="My name", revision="2")).status_code == 302
    attendance.refresh_from_db()
    assert attendance.name == "My name"


def test_a_goals_measure_keeps_the_goals_unit_and_direction(cycle: Cycle, member: Client) -> None:
    goal = Goal.objects.create(
        assessment=cycle.assessment,
        statement="Fewer suspensions",
        metric="suspension_rate",
        direction=Goal.Direction.DECREASE,
    )
    member.get(cycle_url("monitor-cycle", cycle))
    measure = Measure.objects.get(goal=goal)
    page = member.get(measure_url("monitor-measure-edit", measure)).content.decode()
    assert 'name="unit"' not in page and 'name="direction"' not in page
    data = {"name": "Suspensions", "chart": "p", "rules": "ihi", "revision": "1"}
    response = member.post(measure_url("monitor-measure-edit", measure), data)
    assert "come without counts" in response.content.decode()
    data["chart"] = "xmr"
    assert member.post(measure_url("monitor-measure-edit", measure), data).status_code == 302
    measure.refresh_from_db()
    assert (measure.name, measure.chart, measure.direction) == ("Suspensions", "xmr", "decrease")


def test_removing_a_measure_asks_first_and_takes_its_points(
    attendance: Measure, member: Client
) -> None:
    weekly(attendance, [0.9, 0.91])
    url = measure_url("monitor-measure-remove", attendance)
    page = member.get(url).content.decode()
    assert "Its 2 results are removed with it." in page
    assert Measure.objects.exists()
    response = member.post(url)
    assert response["Location"] == cycle_url("monitor-cycle", attendance.cycle)
    assert not Measure.objects.exists() and not Point.objects.exists()


def test_a_goals_measure_cannot_be_removed_while_its_goal_exists(
    cycle: Cycle, member: Client
) -> None:
    Goal.objects.create(assessment=cycle.assessment, metric="attendance_rate")
    member.get(cycle_url("monitor-cycle", cycle))
    measure = Measure.objects.get()
    page = member.get(measure_url("monitor-measure-remove", measure)).content.decode()
    assert "cannot be removed" in page and "stays as long as the goal does" in page
    assert 'class="danger"' not in page
    member.post(measure_url("monitor-measure-remove", measure))
    assert Measure.objects.exists()


def test_the_measure_page_is_a_404_in_another_cycle(
    world: World, attendance: Measure, member: Client
) -> None:
    other = Cycle.objects.create(org=world.school, first_year=2030)
    url = cycle_url("monitor-measure", other, attendance.code)
    assert member.get(url).status_code == 404


# --- the chart's settings, saved on the measure --------------------------------------------------


def test_the_chart_type_rules_and_baseline_are_saved_on_the_measure(
    attendance: Measure, member: Client
) -> None:
    weekly(attendance, [0.9, 0.91, 0.89, 0.92, 0.9, 0.93])
    url = measure_url("monitor-measure", attendance)
    data = {"chart": "xmr", "rules": "ihi", "baseline_points": "4", "revision": "1"}
    assert member.post(url, data).status_code == 302
    attendance.refresh_from_db()
    assert (attendance.chart, attendance.rules, attendance.baseline_points) == ("xmr", "ihi", 4)
    page = member.get(url).content.decode()
    assert "(average)" in page and "Lower limit" in page


def test_a_p_chart_without_counts_says_it_is_read_as_a_run_chart(
    attendance: Measure, member: Client
) -> None:
    weekly(attendance, [0.9, 0.91, 0.89])
    attendance.chart = Measure.Chart.P
    attendance.save()
    page = member.get(measure_url("monitor-measure", attendance)).content.decode()
    assert "This chart is read as a run chart for now" in page and "(median)" in page


def test_a_bad_chart_setting_is_refused_on_the_chart_page(
    attendance: Measure, member: Client
) -> None:
    url = measure_url("monitor-measure", attendance)
    data = {"chart": "run", "rules": "anhoej", "baseline_points": "0", "revision": "1"}
    response = member.post(url, data)
    assert response.status_code == 200
    assert "Freeze the centre line after at least 2 results." in response.content.decode()


def test_viewers_see_the_chart_page_but_cannot_change_it(
    world: World, attendance: Measure, client_for: SignIn
) -> None:
    weekly(attendance, [0.9, 0.91, 0.89])
    reviewer = client_for(world.by_role[Role.REVIEWER])
    url = measure_url("monitor-measure", attendance)
    page = reviewer.get(url).content.decode()
    assert "Weekly attendance rate" in page and "Read the chart this way" not in page
    data = {"chart": "xmr", "rules": "anhoej", "baseline_points": "", "revision": "1"}
    assert reviewer.post(url, data).status_code == 403


def test_the_page_explains_an_empty_chart(attendance: Measure, member: Client) -> None:
    page = member.get(measure_url("monitor-measure", attendance)).content.decode()
    assert "No results yet: the chart appears with the first two." in page
    weekly(attendance, [0.9], start=date.today() - timedelta(days=3))
    page = member.get(measure_url("monitor-measure", attendance)).content.decode()
    assert "Too few results yet" in page
