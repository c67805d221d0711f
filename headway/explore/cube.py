"""The district's aggregate table: computed after each change of its data, read by pages.

``refresh`` runs the analytical core over the district's current snapshots once: metrics
for every school and the district (metrics.compute), then suppression over the WHOLE table
(suppression.suppress), so every page, chart and export shows the same cells hidden, whatever
filter it applies (R-SUP-4c: across files). Both tables are written aside as Parquet and a
``ResultsTable`` row marks them ready; ``load`` reads the newest ready one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import polars as pl
from django.db.models import QuerySet

from headway.data import pipeline, storage
from headway.data.core import metrics, rollup
from headway.data.core.aggregates import KEY, SUPPRESSION_SCHEMA, empty
from headway.data.core.schema import Kind
from headway.data.core.similar import PROFILE_SCHEMA, school_profiles
from headway.data.core.suppression import suppress
from headway.explore.models import ReportingSettings, ResultsTable
from headway.orgs.models import Organization

log = logging.getLogger("headway.explore")
KEEP = 2  # ready tables kept per district: the current one and the one before (open readers)


class Audience(StrEnum):
    """Who a figure is for: people with student access see internal figures, others public."""

    INTERNAL = "internal"
    PUBLIC = "public"


def org_code(org: Organization) -> str:
    """The code an organization has in the aggregate table: a school's or district's own code."""
    return org.local_id or str(org.code)


def settings_for(district: Organization) -> ReportingSettings:
    """The district's reporting settings (the defaults until an administrator changes them)."""
    found, _created = ReportingSettings.objects.get_or_create(district=district)
    return found


def results_dir(district: Organization) -> Path:
    path = storage.data_dir() / "results" / str(district.code)
    path.mkdir(parents=True, exist_ok=True)
    return path


def compute(district: Organization) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(internal, public) aggregate tables from the district's current data.

    The internal table keeps every number and also says, cell by cell, whether and why the
    public table hides it, so people with student access can see what others will see.
    """
    chosen = settings_for(district)
    tables = {kind: pipeline.current(district.pk, kind) for kind in Kind}
    internal = metrics.compute(
        tables[Kind.STUDENTS],
        tables[Kind.RESULTS],
        tables[Kind.ATTENDANCE],
        tables[Kind.DISCIPLINE],
        district_code=org_code(district),
        options=chosen.options(),
    )
    parents = {
        code: org_code(district)
        for code in district.children.exclude(local_id="").values_list("local_id", flat=True)
    }
    public = suppress(internal, chosen.policy(), parents)
    marks = public.select(*KEY, *SUPPRESSION_SCHEMA)  # internal rows say what the public sees
    return internal.join(marks, on=list(KEY), how="left", nulls_equal=True), public


def level_order(results: pl.LazyFrame) -> list[str]:
    """Performance levels from lowest to highest, by their students' average scale score.

    Files name levels in their own words; the scores put them in order. Levels without
    scores come last, by name.
    """
    if "performance_level" not in results.collect_schema():
        return []
    scored = "scale_score" in results.collect_schema()
    mean = pl.col("scale_score").mean() if scored else pl.lit(None, pl.Float64)
    levels = (
        results.group_by("performance_level")
        .agg(mean.alias("score"))
        .drop_nulls("performance_level")
        .sort("score", "performance_level", nulls_last=True)
        .collect()
    )
    return [str(level) for level in levels.get_column("performance_level")]


def _profiles(students: pl.LazyFrame) -> pl.DataFrame:
    if "school_code" not in students.collect_schema():
        return pl.DataFrame(schema=PROFILE_SCHEMA)
    return school_profiles(students)


def refresh(district: Organization) -> ResultsTable:
    """Compute and store the district's tables; the previous ones stay current on failure."""

    def build(table: ResultsTable) -> pl.DataFrame:
        internal, public = compute(district)
        table.public_path = _write(table, "public", public)
        table.profiles_path = _write(
            table, "profiles", _profiles(pipeline.current(district.pk, Kind.STUDENTS))
        )
        table.levels = level_order(pipeline.current(district.pk, Kind.RESULTS))
        return internal

    return _stored(district, build)


def refresh_network(network: Organization) -> ResultsTable:
    """The network's own figures, rolled up from its districts' newest internal tables.

    Only people with student access see them: a public network total would need the
    districts' published tables and the network's suppressed together, which is not built,
    so the public sees each district's own public figures instead.
    """

    def build(table: ResultsTable) -> pl.DataFrame:
        tables = latest_of(network.members.filter(kind=Organization.Kind.DISTRICT))
        frames = [
            pl.scan_parquet(t.internal_path).filter(pl.col("org_level") == "district").collect()
            for t in tables.values()
        ]
        table.levels = list(dict.fromkeys(level for t in tables.values() for level in t.levels))
        return rollup.network(frames, network_code=org_code(network))

    return _stored(network, build)


def _write(table: ResultsTable, name: str, frame: pl.DataFrame) -> str:
    path = results_dir(table.district) / f"{table.code}-{name}.parquet"
    storage.write_parquet(frame, path)
    return str(path)


def _stored(org: Organization, build: Callable[[ResultsTable], pl.DataFrame]) -> ResultsTable:
    """Run ``build`` (it returns the internal table and writes the others) into a new
    ResultsTable, ready only once every file is written."""
    table = ResultsTable.objects.create(district=org)
    started = time.perf_counter()
    try:
        internal = build(table)
        table.internal_path = _write(table, "internal", internal)
        table.rows = internal.height
        table.years = sorted(int(y) for y in internal.get_column("school_year").unique())
        table.status = ResultsTable.Status.READY
    except Exception as exc:
        log.exception("results of %s failed", org.code)
        table.status = ResultsTable.Status.FAILED
        table.error = f"The results could not be computed ({type(exc).__name__})."
    table.seconds = time.perf_counter() - started
    table.save()
    _prune(org)
    return table


def latest_of(orgs: QuerySet[Organization]) -> dict[int, ResultsTable]:
    """The newest ready table of each organization, in one query."""
    newest: dict[int, ResultsTable] = {}
    ready = ResultsTable.objects.filter(district__in=orgs, status=ResultsTable.Status.READY)
    for table in ready.order_by("created_at"):
        newest[table.district_id] = table
    return newest


def _prune(district: Organization) -> None:
    """Remove the files of ready tables older than the KEEP newest, and failed rows' leftovers."""
    ready = ResultsTable.objects.filter(district=district, status=ResultsTable.Status.READY)
    for old in ready[KEEP:]:
        for path in filter(None, (old.internal_path, old.public_path, old.profiles_path)):
            storage.remove_quietly(Path(path))
        old.delete()


def latest(district: Organization) -> ResultsTable | None:
    return (
        ResultsTable.objects.filter(district=district, status=ResultsTable.Status.READY)
        .order_by("-created_at")
        .first()
    )


@dataclass(frozen=True)
class Results:
    """The rows of a district's table that one view asked for, and where they came from."""

    frame: pl.DataFrame
    table: ResultsTable | None
    audience: Audience

    @property
    def internal(self) -> bool:
        return self.audience is Audience.INTERNAL


def load(district: Organization, audience: Audience, where: pl.Expr | None = None) -> Results:
    """The district's newest ready table for ``audience``, filtered by ``where``."""
    table = latest(district)
    path = "" if table is None else table.internal_path
    if table is not None and audience is Audience.PUBLIC:
        path = table.public_path  # a network's table has none: no public network total
    if table is None or not path:
        return Results(empty(), table, audience)
    scan = pl.scan_parquet(path)
    frame = (scan.filter(where) if where is not None else scan).collect()
    return Results(frame, table, audience)
