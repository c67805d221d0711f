"""Results typed by hand: percents, counts out of a size for p charts, the same date, removal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from headway.audit.models import AuditEvent
from headway.monitor.models import Measure, Point
from headway.orgs.roles import Role
from headway.plans.models import Cycle, Goal
from tests.conftest import World
from tests.monitor.conftest import cycle_url, weekly

SignIn = Callable[..., Client]


def url(measure: Measure, name: str = "monitor-points", *more: Any) -> str:
    return cycle_url(name, measure.cycle, measure.code, *more)


def test_a_percent_is_typed_0_to_100_and_kept_as_a_share(
    attendance: Measure, member: Client
) -> None:
    data = {"on": "2025-09-01", "value": "92.5", "note": "First week"}
    response = member.post(url(attendance), data)
    assert response.status_code == 302
    point = Point.objects.get()
    assert point.value == pytest.approx(0.925) and point.source == Point.Source.HAND
    assert point.note == "First week" and point.entered_by is not None
    page = member.get(url(attendance)).content.decode()
    assert "92.5%" in page and "Entered by hand" in page
    assert AuditEvent.objects.filter(action="monitor.point_added").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"on": "", "value": "90"}, "Date", "Give the date of the result."),
        ({"on": "next week", "value": "90"}, "Date", "Give a date such as 2025-09-29."),
        ({"on": "2025-09-01", "value": ""}, "Value (percent, 0–100)", "Give the result."),
        ({"on": "2025-09-01", "value": "abc"}, "Value (percent, 0–100)", "Give a number"),
        ({"on": "2025-09-01", "value": "150"}, "Value (percent, 0–100)", "Give a percent between"),
    ],
)
def test_it_refuses_a_bad_result_naming_the_field(
    attendance: Measure, member: Client, data: dict[str, str], field: str, message: str
) -> None:
    response = member.post(url(attendance), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Point.objects.exists()
    assert f"{field}: {message}" in page


def test_a_result_cannot_be_dated_in_the_future(attendance: Measure, member: Client) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = member.post(url(attendance), {"on": tomorrow.isoformat(), "value": "90"})
    assert "cannot be dated after today" in response.content.decode()
    assert not Point.objects.exists()


def test_the_same_date_is_replaced_only_after_confirmation(
    attendance: Measure, member: Client
) -> None:
    weekly(attendance, [0.90])
    data = {"on": "2025-09-01", "value": "95"}
    response = member.post(url(attendance), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is already a result for Sept. 1, 2025 (90%)" in page
    assert 'name="replace"' in page
    assert Point.objects.get().value == pytest.approx(0.90)
    response = member.post(url(attendance), data | {"replace": "on"})
    assert response.status_code == 302
    assert Point.objects.get().value == pytest.approx(0.95)
    assert AuditEvent.objects.filter(action="monitor.point_replaced").exists()


def test_a_p_chart_takes_a_count_out_of_a_size(cycle: Cycle, member: Client) -> None:
    measure = Measure.objects.create(cycle=cycle, name="Targets posted", chart=Measure.Chart.P)
    page = member.get(url(measure)).content.decode()
    assert 'name="count"' in page and 'name="size"' in page and 'name="value"' not in page
    response = member.post(url(measure), {"on": "2025-09-01", "count": "12", "size": "20"})
    assert response.status_code == 302
    point = Point.objects.get()
    assert (point.numerator, point.denominator) == (12, 20)
    assert point.value == pytest.approx(0.6)
    response = member.post(url(measure), {"on": "2025-09-08", "count": "21", "size": "20"})
    assert "Count: The count cannot be more than the number it is out of." in (
        response.content.decode()
    )
    response = member.post(url(measure), {"on": "2025-09-08", "count": "3", "size": "0"})
    assert "Out of: " in response.content.decode()
    assert Point.objects.count() == 1


def test_a_goals_results_cannot_be_typed_by_hand(cycle: Cycle, member: Client) -> None:
    goal = Goal.objects.create(assessment=cycle.assessment, metric="attendance_rate")
    measure = Measure.objects.create(cycle=cycle, goal=goal, name="Attendance")
    page = member.get(url(measure)).content.decode()
    assert "come from each data import" in page and 'name="value"' not in page
    member.post(url(measure), {"on": "2025-09-01", "value": "90"})
    assert not Point.objects.exists()
    assert member.get(url(measure, "monitor-points-upload")).status_code == 302


def test_removing_a_result_asks_first(attendance: Measure, member: Client) -> None:
    [first, _second] = weekly(attendance, [0.90, 0.91])
    remove = url(attendance, "monitor-point-remove", first.pk)
    page = member.get(remove).content.decode()
    assert "Remove the result of Sept. 1, 2025?" in page and "90%" in page
    assert Point.objects.count() == 2
    assert member.post(remove)["Location"] == url(attendance)
    assert list(Point.objects.values_list("value", flat=True)) == [0.91]
    assert member.post(remove).status_code == 404


def test_a_result_of_another_measure_is_not_found(
    attendance: Measure, cycle: Cycle, member: Client
) -> None:
    other = Measure.objects.create(cycle=cycle, name="Other")
    [point] = weekly(other, [0.5])
    assert member.get(url(attendance, "monitor-point-remove", point.pk)).status_code == 404


def test_reviewers_see_results_but_cannot_add_or_remove_them(
    world: World, attendance: Measure, client_for: SignIn
) -> None:
    [point] = weekly(attendance, [0.9])
    reviewer = client_for(world.by_role[Role.REVIEWER])
    page = reviewer.get(url(attendance)).content.decode()
    assert "90%" in page and 'name="value"' not in page and "Remove" not in page
    assert reviewer.post(url(attendance), {"on": "2025-09-08", "value": "1"}).status_code == 403
    assert reviewer.post(url(attendance, "monitor-point-remove", point.pk)).status_code == 403
    assert Point.objects.count() == 1


def test_the_results_page_has_an_empty_state(attendance: Measure, member: Client) -> None:
    page = member.get(url(attendance)).content.decode()
    assert "No result yet." in page


def test_a_result_changes_the_chart_right_away(attendance: Measure, member: Client) -> None:
    weekly(attendance, [0.90, 0.91, 0.89, 0.90, 0.92, 0.95, 0.96, 0.95, 0.96])
    attendance.baseline_points = 5
    attendance.save()
    chart = member.get(url(attendance, "monitor-measure")).content.decode()
    assert "No signal: the ups and downs are the usual ones." in chart
    for on in (date(2025, 11, 3), date(2025, 11, 10)):  # 7 in a row above the median, 90%
        member.post(url(attendance), {"on": on.isoformat(), "value": "95"})
    chart = member.get(url(attendance, "monitor-measure")).content.decode()
    assert "From Sept. 29, 2025 to Nov. 10, 2025, 7 results in a row were above" in chart
    assert "Higher is better here, so this is a change for the better." in chart
