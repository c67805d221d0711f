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
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import polars as pl

from headway.data import pipeline, storage
from headway.data.core import metrics
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
    table = ResultsTable.objects.create(district=district)
    started = time.perf_counter()
    try:
        internal, public = compute(district)
        folder = results_dir(district)
        table.internal_path = str(folder / f"{table.code}-internal.parquet")
        table.public_path = str(folder / f"{table.code}-public.parquet")
        storage.write_parquet(internal, Path(table.internal_path))
        storage.write_parquet(public, Path(table.public_path))
        table.profiles_path = str(folder / f"{table.code}-profiles.parquet")
        profiles = _profiles(pipeline.current(district.pk, Kind.STUDENTS))
        storage.write_parquet(profiles, Path(table.profiles_path))
        table.levels = level_order(pipeline.current(district.pk, Kind.RESULTS))
        table.rows = internal.height
        table.years = sorted(int(y) for y in internal.get_column("school_year").unique())
        table.status = ResultsTable.Status.READY
    except Exception as exc:
        log.exception("results of district %s failed", district.code)
        table.status = ResultsTable.Status.FAILED
        table.error = f"The results could not be computed ({type(exc).__name__})."
    table.seconds = time.perf_counter() - started
    table.save()
    _prune(district)
    return table


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
    if table is None:
        return Results(empty(), None, audience)
    path = table.internal_path if audience is Audience.INTERNAL else table.public_path
    scan = pl.scan_parquet(path)
    frame = (scan.filter(where) if where is not None else scan).collect()
    return Results(frame, table, audience)
