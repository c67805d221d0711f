"""How fast a measure is read and the Monitor dashboard renders, next to the bare statistics.

Run: .venv/bin/python benchmarks/monitor_bench.py [--repeat 30]

Builds a school's cycle with 20 measures of 520 weekly points each (ten years; every fifth
measure an XmR chart, every fifth a p chart with counts and sizes, two phases each) and
times, as the median of --repeat runs:

1. runcharts.analyse on one measure's 520 values (the baseline: the statistics alone),
   and on all 20 measures' values;
2. runcharts.read_chart on the same values as an XmR chart;
3. reading.read of that measure from the database (points, rebases, annotations, phases,
   signals with direction, on or off track);
4. reading.read_cycle of all 20 measures;
5. the dashboard page (monitor-cycle) and the measure's chart page (monitor-measure) as a
   signed-in team lead, with their query counts.

Each figure is printed next to the baseline measured in the same run. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bench_django import start
from bench_machine import load_text  # noqa: E402  (beside this script)

start("monitor")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from headway.accounts.models import User  # noqa: E402
from headway.data.core import runcharts  # noqa: E402
from headway.monitor import reading  # noqa: E402
from headway.monitor.models import Annotation, Measure, Point, Rebase  # noqa: E402
from headway.orgs.models import Membership, Organization  # noqa: E402
from headway.plans.models import Cycle, NeedsAssessment  # noqa: E402

WEEKS = 520
MEASURES = 20
START = date(2016, 9, 5)


def series(k: int) -> list[tuple[int, int]]:
    """(count, size) for each week: a seasonal share that improves in its second half."""
    rows = []
    for week in range(WEEKS):
        size = 40 + (week * 7 + k) % 15
        share = 0.55 + 0.1 * math.sin(week / 8 + k) + (0.08 if week > WEEKS // 2 else 0)
        rows.append((round(size * min(max(share, 0), 1)), size))
    return rows


def build(school: Organization) -> Cycle:
    cycle = Cycle.objects.create(org=school, first_year=2025, years=3)
    NeedsAssessment.objects.create(cycle=cycle)
    for k in range(MEASURES):
        chart = [Measure.Chart.RUN, Measure.Chart.RUN, Measure.Chart.XMR, Measure.Chart.P]
        measure = Measure.objects.create(
            cycle=cycle,
            name=f"Measure {k}",
            chart=chart[k % 4] if k % 5 else Measure.Chart.XMR,
            baseline_points=52,
            target=0.7,
            target_on=START + timedelta(weeks=WEEKS),
        )
        Point.objects.bulk_create(
            Point(
                measure=measure,
                on=START + timedelta(weeks=week),
                value=count / size,
                numerator=count,
                denominator=size,
            )
            for week, (count, size) in enumerate(series(k))
        )
        Rebase.objects.create(measure=measure, on=START + timedelta(weeks=300), reason="Change")
    for year in range(10):
        Annotation.objects.create(cycle=cycle, on=date(2016 + year, 10, 1), text=f"PDSA {year}")
    return cycle


def timed(run: Callable[[], Any], repeat: int) -> float:
    """The median of ``repeat`` runs, in milliseconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def page(client: Client, url: str, repeat: int) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    queries = len(captured)  # now: the next request empties the log it reads from
    return timed(lambda: client.get(url), repeat), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    district = Organization.objects.create(kind="district", name="Bench District")
    school = Organization.objects.create(kind="school", parent=district, name="Bench School")
    lead = User.objects.create_user("lead@example.org", "bench password 1")
    Membership.objects.create(user=lead, org=school, role="team_lead")
    cycle = build(school)
    measure = cycle.measures.get(name="Measure 0")  # an XmR chart
    values: list[float | None] = list(measure.points.values_list("value", flat=True))
    every = [list(m.points.values_list("value", flat=True)) for m in cycle.measures.all()]
    client = Client()
    client.force_login(lead)

    print(load_text())
    print(f"{MEASURES} measures of {WEEKS} weekly points each, two phases; median of {args.repeat}")
    base = timed(lambda: runcharts.analyse(values), args.repeat)
    rows = [
        ("runcharts.analyse, 520 values (baseline)", base, "-"),
        (
            "runcharts.read_chart, XmR",
            timed(lambda: runcharts.read_chart(values, runcharts.ChartType.XMR), args.repeat),
            "-",
        ),
        (
            "reading.read, one measure",
            timed(lambda: reading.read(Measure.objects.get(pk=measure.pk), True), args.repeat),
            "-",
        ),
        (
            "runcharts.analyse, 20 × 520 values",
            timed(lambda: [runcharts.analyse(v) for v in every], args.repeat),
            "-",
        ),
        ("reading.read_cycle, 20 measures", timed(lambda: reading.read_cycle(cycle, True), 5), "-"),
    ]
    for name, url in (
        ("dashboard page, 20 measures", reverse("monitor-cycle", args=[school.code, cycle.code])),
        (
            "chart page, one measure",
            reverse("monitor-measure", args=[school.code, cycle.code, measure.code]),
        ),
    ):
        ms, count = page(client, url, 5)
        rows.append((name, ms, str(count)))
    print(f"{'what':<42} {'median ms':>10} {'× baseline':>11} {'queries':>8}")
    for name, ms, queries in rows:
        print(f"{name:<42} {ms:>10.2f} {ms / base:>11.1f} {queries:>8}")


if __name__ == "__main__":
    main()
