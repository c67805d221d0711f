"""Goals' measures: a point from every refresh of the results, public figures for the public.

Uses the demo district (tests/explore/conftest.py ``demo_results``): three school years from
2023–24. Lena (staff) may see student records and so internal figures; Priya (team lead)
sees what the public sees.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

import polars as pl
import pytest
from django.test import Client
from django.utils import timezone

from headway.explore import cube
from headway.explore.cube import Audience
from headway.explore.signals import results_refreshed
from headway.explore.tasks import refresh_results
from headway.monitor import describe, goalpoints, reading
from headway.monitor.models import Evaluation, Measure, Point
from headway.orgs.demo import DEMO_PASSWORD
from headway.orgs.models import Organization
from headway.plans.models import Cycle, Goal, NeedsAssessment
from tests.explore.conftest import demo_results  # noqa: F401  (the demo district's data)
from tests.monitor.conftest import cycle_url

ALDER = "0101"


def _client(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    return client


def _cycle(district: Organization) -> Cycle:
    school = district.children.get(local_id=ALDER)
    cycle = Cycle.objects.create(org=school, first_year=2025, years=2)
    NeedsAssessment.objects.create(cycle=cycle)
    return cycle


def _cell(district: Organization, **where: Any) -> dict[str, Any]:
    """Alder Creek's internal proficiency cell of the newest year matching ``where``, with
    a figure that no page shows by chance (not 0% or 100%)."""
    frame = cube.load(district, Audience.INTERNAL).frame.filter(
        (pl.col("org_code") == ALDER)
        & (pl.col("metric") == "proficiency_rate")
        & (pl.col("grade") == "all")
        & pl.col("value").is_between(0.03, 0.97)
    )
    newest = frame["school_year"].max()
    frame = frame.filter(pl.col("school_year") == newest)
    for column, value in where.items():
        frame = frame.filter(pl.col(column) == value)
    return frame.sort("subject", "group_type", "group_value").row(0, named=True)


def _refresh_on(district: Organization, day: date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: day)
    refresh_results.call(str(district.code))


def test_each_refresh_of_the_results_adds_a_point_to_each_goal(
    demo_results: Organization,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cycle = _cycle(demo_results)
    goal = Goal.objects.create(
        assessment=cycle.assessment, statement="More students proficient in math.",
        metric="proficiency_rate", subject="math",
    )  # fmt: skip
    Goal.objects.create(assessment=cycle.assessment, statement="Joy", measure="Surveys")
    _refresh_on(demo_results, date(2026, 1, 12), monkeypatch)
    measure = Measure.objects.get()  # the goal without an indicator has none
    assert measure.goal == goal and measure.name == "More students proficient in math."
    cell = _cell(demo_results, subject="math", group_type="all")
    # Its history first: a point at the end of each finished school year with a figure.
    *history, point = Point.objects.order_by("on")
    assert [(p.on, p.note) for p in history] == [
        (date(2024, 6, 30), "2023–24"),
        (date(2025, 6, 30), "2024–25"),
    ]
    assert point.on == date(2026, 1, 12) and point.source == Point.Source.IMPORT
    assert point.value == pytest.approx(cell["value"]) and point.n == cell["n"]
    assert point.public_value == pytest.approx(cell["value"]) and point.public_text == ""
    assert point.note == "2025–26" and point.school_year == 2025

    _refresh_on(demo_results, date(2026, 1, 19), monkeypatch)
    _refresh_on(demo_results, date(2026, 1, 19), monkeypatch)  # the same day: replaced
    assert list(Point.objects.values_list("on", flat=True))[-2:] == [
        date(2026, 1, 12),
        date(2026, 1, 19),
    ]
    assert Point.objects.count() == 4

    # Once the cycle's evaluation is finished, its charts end where it was judged.
    Evaluation.objects.create(cycle=cycle, finished_at=timezone.now())
    _refresh_on(demo_results, date(2026, 1, 26), monkeypatch)
    assert Point.objects.count() == 4


def test_the_public_sees_a_small_groups_figure_as_hidden_never_the_internal_one(
    demo_results: Organization,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cell = _cell(demo_results, reason="MIN_N")
    cycle = _cycle(demo_results)
    Goal.objects.create(
        assessment=cycle.assessment, statement="Our small group gains.",
        metric="proficiency_rate", subject=cell["subject"],
        group_type=cell["group_type"], group_value=cell["group_value"],
        interim={"2025": 0.5}, target=0.9, target_year=2026,
    )  # fmt: skip
    _refresh_on(demo_results, date(2026, 1, 12), monkeypatch)
    _refresh_on(demo_results, date(2026, 1, 19), monkeypatch)
    point = Point.objects.first()
    assert point is not None and point.public_value is None and point.public_text == "n<10"
    measure = Measure.objects.get()
    exact = describe.value_text(measure, cell["value"])

    lead = _client("lead@headway.example")
    pages = [
        lead.get(cycle_url("monitor-cycle", cycle)),
        lead.get(cycle_url("monitor-measure", cycle, measure.code)),
        lead.get(cycle_url("monitor-points", cycle, measure.code)),
    ]
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200 and "n&lt;10" in page
        assert exact not in page and json.dumps(cell["value"]) not in page
        assert "Students</th>" not in page  # nor how many students

    teacher = _client("teacher@headway.example")
    page = teacher.get(cycle_url("monitor-measure", cycle, measure.code)).content.decode()
    assert exact in page and "n&lt;10" not in page and "Students</th>" in page


def test_interim_targets_drawn_from_a_hidden_baseline_stay_hidden(
    demo_results: Organization,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cell = _cell(demo_results, reason="MIN_N")
    cycle = _cycle(demo_results)
    Goal.objects.create(
        assessment=cycle.assessment, metric="proficiency_rate", subject=cell["subject"],
        group_type=cell["group_type"], group_value=cell["group_value"],
        interim={"2025": 0.8137}, target=0.9, target_year=2026, baseline_year=2024,
    )  # fmt: skip
    hidden = cube.load(demo_results, Audience.PUBLIC).frame.filter(
        (pl.col("org_code") == ALDER)
        & (pl.col("school_year") == 2024)
        & (pl.col("metric") == "proficiency_rate")
        & (pl.col("grade") == "all")
        & (pl.col("subject") == cell["subject"])
        & (pl.col("group_type") == cell["group_type"])
        & (pl.col("group_value") == cell["group_value"])
    )
    if hidden.is_empty() or hidden["value"][0] is not None:
        pytest.skip("this group's 2024–25 baseline is public in the demo data")
    goalpoints.track_goals(cycle)
    _refresh_on(demo_results, date(2026, 1, 12), monkeypatch)
    measure = Measure.objects.select_related("goal").get()
    measure.cycle = cycle
    public = reading.read(measure, internal=False)
    assert public.interim_hidden and public.expected is None
    internal = reading.read(measure, internal=True)
    assert internal.expected == 0.8137 and not internal.interim_hidden
    lead = _client("lead@headway.example")
    dashboard = lead.get(cycle_url("monitor-cycle", cycle)).content.decode()
    chart = lead.get(cycle_url("monitor-measure", cycle, measure.code)).content.decode()
    assert "81.4%" not in dashboard and "81.4%" not in chart
    assert "The interim targets are not shown" in chart


def test_a_failing_receiver_does_not_undo_the_refresh(
    demo_results: Organization,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    results_refreshed.connect(broken, dispatch_uid="broken-for-test")
    try:
        with caplog.at_level(logging.ERROR, logger="headway.explore"):
            status = refresh_results.call(str(demo_results.code))
    finally:
        results_refreshed.disconnect(dispatch_uid="broken-for-test")
    assert status == "ready" and "failed" in caplog.text
