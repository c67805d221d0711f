"""Run one import: read → check the mapping → validate → store, with progress and cancel.

Nothing the district already has changes unless every step succeeds: snapshots are
written aside and renamed into place, and the coverage pointers that make them
current move inside one transaction at the very end.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from headway.data import storage
from headway.data.core.mapping import Mapping, MappingError, check, from_yaml
from headway.data.core.readers import ReadError
from headway.data.core.schema import STUDENT_KINDS, Kind, Problem, Report
from headway.data.core.validate import normalize
from headway.data.models import Coverage, Import, Snapshot
from headway.data.signals import data_changed
from headway.ops.models import WorkerHeartbeat
from headway.orgs.models import Organization

log = logging.getLogger("headway.data")


class Cancelled(Exception):
    """The person asked to stop the import."""


def register_file(
    district: Organization, path: Path, *, mapping_yaml: str, name: str = "", sheet: str = ""
) -> Import:
    """Copy a local file among the uploads and queue its import (command line, demo, benchmarks).

    The file is read only when the import runs, which also records what was detected.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist or is not a file.")
    stored, sha, size = storage.save_local(path)
    return Import.objects.create(
        district=district,
        file_name=name or path.name,
        upload_path=str(stored),
        size=size,
        sha256=sha,
        sheet=sheet,
        mapping_yaml=mapping_yaml,
        status=Import.Status.QUEUED,
    )


def known_schools(imp: Import) -> set[str]:
    return set(imp.district.children.exclude(local_id="").values_list("local_id", flat=True))


def _schools_to_check(imp: Import, mapping: Mapping) -> set[str] | None:
    """The district's school codes, for files about its students. A school-level file
    (schools) lists a whole state's schools, so its codes are not checked (None)."""
    if not any(kind in STUDENT_KINDS for kind in mapping.kinds):
        return None
    return known_schools(imp)


def report_to_json(report: Report) -> dict[str, Any]:
    return {
        "errors": report.error_count,
        "warnings": report.warning_count,
        "totals": [
            {"severity": severity, "kind": kind, "count": count}
            for (severity, kind), count in sorted(report.counts.items())
        ],
        "detail": [vars(problem) for problem in report.detail],
    }


def _progress(imp: Import, **fields: Any) -> None:
    """Save progress without touching other fields (a cancel request may arrive meanwhile)."""
    Import.objects.filter(pk=imp.pk).update(**fields)
    if Import.objects.filter(pk=imp.pk, cancel_requested=True).exists():
        raise Cancelled


def _finish(imp: Import, status: str, **fields: Any) -> None:
    Import.objects.filter(pk=imp.pk).update(
        status=status, phase="", finished_at=timezone.now(), **fields
    )


def run(imp: Import) -> None:
    """Carry one import through to stored, refused, cancelled or failed."""
    _progress(imp, status=Import.Status.RUNNING, phase="reading", error="")
    try:
        _run(imp)
    except Cancelled:
        _finish(imp, Import.Status.CANCELLED)
    except (ReadError, MappingError) as problem:
        report = Report()
        report.add(Problem("unreadable", str(problem), file=imp.file_name))
        _finish(imp, Import.Status.REFUSED, report=report_to_json(report))
    except Exception as exc:
        log.exception("import %s failed", imp.code)
        reason = (
            f"An unexpected error stopped the import ({type(exc).__name__}). Nothing was changed."
        )
        _finish(imp, Import.Status.FAILED, error=reason)


def _run(imp: Import) -> None:
    mapping = from_yaml(imp.mapping_yaml, source=f"the mapping of {imp.file_name}")
    source = imp.source()
    frame, rows, detected = source.frame, source.frame.height, source.detected
    del source
    _progress(imp, rows_read=rows, detected=detected, phase="validating")
    report = check(mapping, frame)
    if not report.ok:
        _finish(imp, Import.Status.REFUSED, report=report_to_json(report))
        return
    result = normalize(
        frame,
        mapping,
        file=imp.file_name,
        known_schools=_schools_to_check(imp, mapping),
        on_progress=lambda _phase, n: _progress(imp, rows_validated=n),
        trimmed=True,  # the readers strip every cell
    )
    del frame  # For memory: only the canonical tables are needed from here on.
    report.extend(result.report)
    if not report.ok:
        _finish(imp, Import.Status.REFUSED, report=report_to_json(report))
        return
    _progress(imp, rows_validated=rows, phase="storing")
    stored = _store(imp, mapping, result.tables)
    _finish(imp, Import.Status.DONE, rows_stored=stored, report=report_to_json(report))


def _store(imp: Import, mapping: Mapping, tables: dict[Kind, pl.DataFrame]) -> int:
    written: list[Snapshot] = []
    try:
        for kind, frame in tables.items():
            written.append(_write_snapshot(imp, kind, frame))
            _progress(imp, rows_stored=sum(s.rows for s in written))
        _make_current(written)
    except BaseException:
        for snapshot in written:
            storage.remove_quietly(Path(snapshot.path))
        raise
    return sum(s.rows for s in written)


def _write_snapshot(imp: Import, kind: Kind, frame: pl.DataFrame) -> Snapshot:
    snapshot = Snapshot(district=imp.district, source=imp, kind=kind.value, rows=frame.height)
    path = storage.snapshots_dir(imp.district.code) / kind.value / f"{snapshot.code}.parquet"
    snapshot.sha256 = storage.write_parquet(frame, path)
    snapshot.path = str(path)
    counts = frame.group_by("school_year").len().drop_nulls("school_year").sort("school_year")
    snapshot.years = [int(y) for y in counts["school_year"]]
    snapshot.rows_by_year = {str(y): int(n) for y, n in counts.iter_rows()}
    return snapshot


def _point_coverage_at(snapshot: Snapshot) -> None:
    for year in snapshot.years:
        Coverage.objects.update_or_create(
            district=snapshot.district,
            kind=snapshot.kind,
            school_year=year,
            defaults={"snapshot": snapshot},
        )


@transaction.atomic
def _make_current(snapshots: list[Snapshot]) -> None:
    for snapshot in snapshots:
        snapshot.save()
        _point_coverage_at(snapshot)
    if snapshots:
        _announce(snapshots[0].district)


@transaction.atomic
def rollback(snapshot: Snapshot) -> list[int]:
    """Make an earlier snapshot current again for every school year it covers."""
    _point_coverage_at(snapshot)
    _announce(snapshot.district)
    return list(snapshot.years)


def _announce(district: Organization) -> None:
    """Tell whoever derives figures from the district's data, once the change is committed."""
    transaction.on_commit(lambda: data_changed.send(sender=Organization, district=district))


def fail_abandoned() -> int:
    """Mark imports failed whose worker stopped (killed, crashed) while running them."""
    alive = WorkerHeartbeat.alive_ids()
    stale = Import.objects.filter(status=Import.Status.RUNNING).exclude(worker_id="")
    return stale.exclude(worker_id__in=alive).update(
        status=Import.Status.FAILED,
        phase="",
        finished_at=timezone.now(),
        error="The worker stopped while this import was running. Nothing was changed.",
    )


def current(district_id: int, kind: Kind, years: list[int] | None = None) -> pl.LazyFrame:
    """The district's current rows of one table: each year from the snapshot covering it."""
    rows = Coverage.objects.filter(district_id=district_id, kind=kind.value)
    if years is not None:
        rows = rows.filter(school_year__in=years)
    parts = [
        pl.scan_parquet(path).filter(pl.col("school_year") == year)
        for year, path in rows.values_list("school_year", "snapshot__path")
    ]
    return pl.concat(parts, how="diagonal_relaxed") if parts else pl.LazyFrame()
