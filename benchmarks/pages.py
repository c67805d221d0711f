"""How organization pages scale with the number of schools a person can reach.

Run: .venv/bin/python benchmarks/pages.py
Prints, for districts of growing size, the median time and the query count of the
home page and the district page, next to /health/ (the baseline: one trivial query)
measured in the same run on the same database.
"""

from __future__ import annotations

import statistics
import time

from bench_django import start  # noqa: E402  (beside this script)

start("pages")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from headway.accounts.models import User  # noqa: E402
from headway.orgs.models import Membership, Organization  # noqa: E402

SIZES = (8, 100, 1000)
REPEAT = 15


def measure(client: Client, url: str) -> tuple[float, int]:
    timings = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings) * 1000, len(captured)


def grow(district: Organization, total: int) -> None:
    have = district.children.count()
    Organization.objects.bulk_create(
        Organization(kind="school", parent=district, name=f"School {n:04d}", level="elementary")
        for n in range(have, total)
    )


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    district = Organization.objects.create(kind="district", name="Bench District")
    admin = User.objects.create_user("bench@example.org", "bench password 1")
    Membership.objects.create(user=admin, org=district, role="admin")
    client = Client()
    client.force_login(admin)
    print(f"{'schools':>8} {'page':<10} {'median ms':>10} {'queries':>8} {'× baseline':>11}")
    for size in SIZES:
        grow(district, size)
        baseline, _ = measure(client, "/health/")
        print(f"{size:>8} {'/health/':<10} {baseline:>10.2f} {'-':>8} {'1.0':>11}")
        for label, url in (("home", "/"), ("district", district.get_absolute_url())):
            ms, queries = measure(client, url)
            print(f"{size:>8} {label:<10} {ms:>10.2f} {queries:>8} {ms / baseline:>11.1f}")


if __name__ == "__main__":
    main()
