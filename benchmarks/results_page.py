"""The largest school's results page over a big district's stored results.

Run: .venv/bin/python benchmarks/results_page.py WORK
where WORK holds the canonical Parquet tables benchmarks/metrics_bench.py prepares
(students, results, attendance, discipline). In a fresh database it registers them as the
district's current data, refreshes the results through the real path (timed: aggregation,
suppression, profiles, written to Parquet), then requests the results page of the school
with the most students 50 times as a district administrator (internal figures) and as a
community viewer (public figures): median and p95 times and the query count, next to
/health/ measured in the same run. It then adds ten times the schools and asks for another
year, and prints the query counts again: they must not grow. Nothing is asserted.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from bench_django import start  # noqa: E402  (beside this script)

start("page")

import polars as pl  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from headway.accounts.models import User  # noqa: E402
from headway.data.models import Coverage, Import, Snapshot  # noqa: E402
from headway.explore import cube  # noqa: E402
from headway.orgs.models import Membership, Organization  # noqa: E402

REQUESTS = 50
KINDS = ("students", "results", "attendance", "discipline")


def register(district: Organization, work: Path) -> None:
    """The benchmark's tables as the district's current snapshots, one per kind."""
    source = Import.objects.create(
        district=district, file_name="benchmark", sha256="-", status=Import.Status.DONE
    )
    for kind in KINDS:
        path = work / f"{kind}.parquet"
        counts = pl.scan_parquet(path).group_by("school_year").len().collect()
        years = sorted(int(y) for y in counts["school_year"])
        snapshot = Snapshot.objects.create(
            district=district,
            source=source,
            kind=kind,
            years=years,
            rows_by_year={str(y): int(n) for y, n in counts.iter_rows()},
            path=str(path),
            rows=int(counts["len"].sum()),
            sha256="-",
        )
        for year in years:
            Coverage.objects.create(
                district=district, kind=kind, school_year=year, snapshot=snapshot
            )


def schools_from(work: Path, district: Organization) -> None:
    codes = pl.scan_parquet(work / "students.parquet").select("school_code").unique().collect()
    Organization.objects.bulk_create(
        Organization(kind="school", parent=district, name=f"School {c}", local_id=c)
        for c in sorted(codes["school_code"])
    )


def measure(client: Client, url: str, times: int = REQUESTS) -> tuple[float, float, int]:
    timings, queries = [], 0
    for _ in range(times):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings) * 1000, p95 * 1000, queries


def person(email: str, org: Organization, role: str) -> Client:
    user = User.objects.create_user(email, "bench password 1")
    Membership.objects.create(user=user, org=org, role=role)
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    work = Path(sys.argv[1])
    setup_test_environment()
    call_command("migrate", verbosity=0)
    district = Organization.objects.create(kind="district", name="Bench District", local_id="B")
    schools_from(work, district)
    register(district, work)
    started = time.perf_counter()
    table = cube.refresh(district)
    print(
        f"\nrefresh through the real path: {time.perf_counter() - started:.1f} s "
        f"({table.rows:,} cells, {table.get_status_display()})"
    )
    students = pl.scan_parquet(work / "students.parquet").group_by("school_code").len().collect()
    largest = students.sort("len", descending=True).row(0)[0]
    school = district.children.get(local_id=largest)
    years = table.years
    admin = person("admin@example.org", district, "admin")
    viewer = person("viewer@example.org", school, "viewer")
    url = f"/o/{school.code}/data/results/"
    most = int(students["len"].max() or 0)
    print(f"largest school {largest}: {most:,} student-years, {len(years)} years")
    print(f"{'page':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    health, health95, _ = measure(admin, "/health/")
    print(f"{'/health/ (baseline)':<34} {health:>10.1f} {health95:>8.1f} {'-':>8}")
    for label, client in (("school page, internal", admin), ("school page, public", viewer)):
        median, p95, queries = measure(client, url)
        print(f"{label:<34} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    grown = district.children.count() * 10
    Organization.objects.bulk_create(
        Organization(kind="school", parent=district, name=f"Extra {n}", local_id=f"X{n}")
        for n in range(grown - district.children.count())
    )
    _m, _p, more_schools = measure(admin, url, times=3)
    _m, _p, other_year = measure(admin, f"{url}?year={years[0]}", times=3)
    print(
        f"queries with {grown} schools: {more_schools}; in {years[0]} instead of {years[-1]}: "
        f"{other_year}"
    )


if __name__ == "__main__":
    main()
