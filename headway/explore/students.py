"""Student lists behind a result: who is in a group, for people with student access only.

A team that sees "grade-5 students with disabilities: 18 % proficient in math" wants the
names behind the number to plan support. Views call ``student_list`` only after checking
Cap.VIEW_STUDENTS and write every view and export to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from headway.data import pipeline
from headway.data.core.aggregates import ALL
from headway.data.core.metrics import counts_for
from headway.data.core.schema import Kind
from headway.explore.cube import org_code, settings_for
from headway.explore.filters import Filters
from headway.orgs.models import Organization

LIMIT = 2000  # rows shown on a page; the CSV has them all
COLUMNS = ("student_id", "school_code", "grade_tested", "scale_score", "performance_level")


@dataclass(frozen=True)
class StudentList:
    rows: pl.DataFrame
    group_type: str
    group_value: str
    below_only: bool

    @property
    def count(self) -> int:
        return self.rows.height


def student_list(
    org: Organization, filters: Filters, group_type: str, group_value: str, *, below_only: bool
) -> StudentList:
    """The tested students of ``org`` in one group, for the filters' year, subject and grade."""
    district = org.district()
    assert district is not None
    results = pipeline.current(district.pk, Kind.RESULTS, [filters.school_year])
    students = pipeline.current(district.pk, Kind.STUDENTS, [filters.school_year])
    if not results.collect_schema() or not students.collect_schema():
        nobody = pl.DataFrame(schema=dict.fromkeys(COLUMNS, pl.String))
        return StudentList(nobody, group_type, group_value, below_only)
    rows = results.filter(
        (pl.col("subject") == filters.subject) & pl.col("performance_level").is_not_null()
    )
    if org.is_school:
        rows = rows.filter(pl.col("school_code") == org_code(org))
    if filters.grade != ALL:
        rows = rows.filter(pl.col("grade_tested") == filters.grade)
    if below_only:
        rows = rows.filter(~pl.col("proficient"))
    have = set(students.collect_schema())
    members = students.filter(
        _in_group(district, group_type, group_value, have) & _counts(org, district, have)
    ).select("student_id")
    joined = rows.join(members, on="student_id", how="semi").select(
        *(pl.col(c) if c in rows.collect_schema() else pl.lit(None).alias(c) for c in COLUMNS)
    )
    return StudentList(joined.sort("student_id").collect(), group_type, group_value, below_only)


def _in_group(district: Organization, group_type: str, value: str, have: set[str]) -> pl.Expr:
    """Membership of a student group, as metrics counts it; a column the files lack: nobody."""
    if group_type == ALL:
        return pl.lit(True)
    if group_type == "combo":
        combos = [c for c in settings_for(district).options().combos if c.name == value]
        flags = combos[0].flags if combos else {"": True}
        if not set(flags) <= have:
            return pl.lit(False)
        return pl.all_horizontal(pl.col(f) == v for f, v in flags.items())
    if group_type not in have:
        return pl.lit(False)
    if value in ("true", "false"):
        return pl.col(group_type) == (value == "true")
    return pl.col(group_type) == value


def _counts(org: Organization, district: Organization, have: set[str]) -> pl.Expr:
    """Whether a student counts for ``org``'s results (the full-academic-year flags)."""
    flag = "counts_for_school" if org.is_school else "counts_for_district"
    if flag not in have:
        return pl.lit(True)
    return counts_for(flag, settings_for(district).options())
