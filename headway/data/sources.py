"""Open an uploaded file as one table, whether it is a CSV, a workbook or a OneRoster package."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from headway.data.core.convert import clean, convert
from headway.data.core.oneroster import oneroster_students, read_oneroster
from headway.data.core.readers import ReadError, read_table
from headway.data.core.schema import Kind, field_named

PACKAGE_PROBLEMS_SHOWN = 10
SCHOOL_CODE = field_named(Kind.STUDENTS, "school_code")


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


def school_codes(
    frame: pl.DataFrame, columns: dict[str, str], wide_codes: list[str]
) -> pl.DataFrame:
    """Distinct (code, name) pairs of the schools a file mentions, for adding unknown ones."""
    code_columns = [columns["school_code"]] if "school_code" in columns else wide_codes
    name = columns.get("school_name")
    parts = [
        frame.select(
            convert(SCHOOL_CODE, clean(pl.col(c))).alias("code"),
            (pl.col(name) if name else pl.lit(None, pl.String)).alias("name"),
        )
        for c in code_columns
        if c in frame.columns
    ]
    if not parts:
        return pl.DataFrame(schema={"code": pl.String, "name": pl.String})
    codes = pl.concat(parts).drop_nulls("code")
    return codes.group_by("code").agg(pl.col("name").drop_nulls().first()).sort("code")
