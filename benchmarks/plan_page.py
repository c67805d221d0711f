"""How fast a big plan's pages render, and whether their query count grows with the plan.

Run: .venv/bin/python benchmarks/plan_page.py [--requests 50]

Builds a school's plan with 4 goals, 20 strategies (two budget lines each) and 200 action
steps, 10 rocks and a few commitments, then requests the plan page, the alignment map and
the rocks board --requests times each as a signed-in team lead: median and p95 next to
/health/ (the baseline: one trivial query) measured in the same run on the same database.
The query count of each page is printed for the full plan and for one with 20 action steps:
it must not grow with the number of actions. Nothing is asserted; the target for the plan
page is a p95 under 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta

from bench_django import start
from bench_machine import load_text  # noqa: E402  (beside this script)

start("plan")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from headway.accounts.models import User  # noqa: E402
from headway.orgs.models import Membership, Organization  # noqa: E402
from headway.plans.models import (  # noqa: E402
    ActionStep,
    BudgetLine,
    Communication,
    Cycle,
    Goal,
    NeedsAssessment,
    Plan,
    Rock,
    Strategy,
)

PAGES = ("plans-plan", "plans-alignment", "plans-rocks")
TARGET_P95_MS = 300.0


def build_plan(school: Organization, first_year: int, actions: int) -> Cycle:
    cycle = Cycle.objects.create(org=school, first_year=first_year, years=2)
    assessment = NeedsAssessment.objects.create(cycle=cycle)
    goals = [
        Goal.objects.create(
            assessment=assessment,
            statement=f"Goal {n}: more students proficient",
            metric="proficiency_rate",
            subject="math" if n % 2 else "ela",
            target=0.6,
            target_year=first_year + 1,
        )
        for n in range(4)
    ]
    plan = Plan.objects.create(cycle=cycle, vision="Every student reads and reasons well.")
    strategies = []
    for n in range(20):
        strategy = Strategy.objects.create(
            plan=plan, title=f"Strategy {n}", lever="coaching", driver="competency", tier=2
        )
        strategy.goals.add(goals[n % 4])
        strategies.append(strategy)
    BudgetLine.objects.bulk_create(
        BudgetLine(strategy=s, item=f"Line {k}", amount=1000 + k, source="title_i")
        for s in strategies
        for k in range(2)
    )
    start = date(first_year, 8, 20)
    ActionStep.objects.bulk_create(
        ActionStep(
            plan=plan,
            strategy=strategies[n % 20],
            title=f"Action step {n}",
            owner=f"Owner {n % 7}",
            start=start,
            due=start + timedelta(days=n),
            professional_learning=n % 5 == 0,
        )
        for n in range(actions)
    )
    Rock.objects.bulk_create(
        Rock(
            plan=plan,
            title=f"Rock {n}",
            owner=f"Owner {n}",
            set_on=start,
            due=start + timedelta(days=40),
            milestones=[{"text": "First", "done": True}, {"text": "Second", "done": False}],
            strategy=strategies[n],
        )
        for n in range(10)
    )
    Communication.objects.create(
        plan=plan, audience="Families", message="Our plan", channel="Letter", when="October"
    )
    return cycle


def measure(client: Client, url: str, requests: int) -> tuple[float, float, int]:
    timings = []
    queries = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95, queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    district = Organization.objects.create(kind="district", name="Bench District")
    school = Organization.objects.create(kind="school", parent=district, name="Bench School")
    lead = User.objects.create_user("lead@example.org", "bench password 1")
    Membership.objects.create(user=lead, org=school, role="team_lead")
    big = build_plan(school, 2025, actions=200)
    small = build_plan(school, 2027, actions=20)
    client = Client()
    client.force_login(lead)

    print(load_text())
    print("plan: 4 goals, 20 strategies, 40 budget lines, 200 action steps, 10 rocks")
    print(
        f"{'page':<18} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'queries (20 actions)':>21}"
    )
    base_median, base_p95, _ = measure(client, "/health/", args.requests)
    print(f"{'/health/ (baseline)':<18} {base_median:>10.1f} {base_p95:>8.1f} {'-':>8} {'-':>21}")
    for name in PAGES:
        median, p95, queries = measure(
            client, reverse(name, args=[school.code, big.code]), args.requests
        )
        _m, _p, few = measure(client, reverse(name, args=[school.code, small.code]), 3)
        print(f"{name:<18} {median:>10.1f} {p95:>8.1f} {queries:>8} {few:>21}")
    print(f"target: plans-plan p95 under {TARGET_P95_MS:.0f} ms; queries the same with 20 actions")


if __name__ == "__main__":
    main()
