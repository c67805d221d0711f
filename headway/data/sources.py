"""Open an uploaded file as one table, whether it is a CSV, a workbook or a OneRoster package."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from headway.data.core.oneroster import oneroster_students, read_oneroster
from headway.data.core.readers import ReadError, read_table

PACKAGE_PROBLEMS_SHOWN = 10


@dataclass
class Source:
    frame: pl.DataFrame
    detected: str


def open_source(path: Path, *, name: str, sheet: str = "", groups: Path | None = None) -> Source:
    """The file's rows as text columns; raises ReadError with a plain message when unusable."""
    if _is_oneroster(path, name):
        return _oneroster(path, name, groups)
    table = read_table(path, name=name, sheet=sheet or None)
    return Source(table.frame, table.detected.describe())


def _is_oneroster(path: Path, name: str) -> bool:
    return name.lower().endswith(".zip") or (
        path.is_file() and zipfile.is_zipfile(path) and not name.lower().endswith(".xlsx")
    )


def _oneroster(path: Path, name: str, groups: Path | None) -> Source:
    package = read_oneroster(path)
    if not package.report.ok:
        problems = [p.message for p in package.report.detail if p.severity == "error"]
        shown = "\n".join(f"- {m}" for m in problems[:PACKAGE_PROBLEMS_SHOWN])
        more = len(problems) - PACKAGE_PROBLEMS_SHOWN
        tail = f"\n… and {more} more." if more > 0 else ""
        raise ReadError(name, f"is not a usable OneRoster package:\n{shown}{tail}")
    supplementary = read_table(groups, name=groups.name) if groups is not None else None
    frame = oneroster_students(package, supplementary=supplementary)
    # OneRoster names a school year by the year it ends in; say so without ambiguity.
    frame = frame.with_columns(
        pl.format("{}-{}", pl.col("school_year"), (pl.col("school_year").cast(pl.Int32) + 1)).alias(
            "school_year"
        )
    )
    extra = f" with the student-group file {groups.name}" if groups is not None else ""
    return Source(frame, f"OneRoster {package.version} package{extra}")
