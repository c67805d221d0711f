"""Metrics: the aggregate table (aggregates.SCHEMA) from a district's canonical tables.

Why it is built this way: a district results file can hold millions of rows, and each row
belongs to about 2 organizations × 2 grades (its own and "all") × 15 student groups. Copying
every row into every cell it belongs to would multiply memory by ~60. Instead each table is
read once into *fine cells* (one row per school, year, subject, grade, demographic profile
and accountability flags) holding only additive statistics: counts, sums, sums of squares.
Every reported cell is a sum of fine cells, so organizations, student groups and "all
grades" are rolled up from the small fine table, and rates, means and intervals come last.

Counting rules:

- Results: every result row of the year counts. A year with several windows or assessments
  in one subject aggregates all of them together; reporting per window or per assessment is
  out of scope here. Upstream guarantees one row per student, year, window, assessment and
  subject, so with one spring test a student counts once per cell.
- Attendance and discipline: a student counts once per school (one row per student, year
  and school); for the district a student with rows at several schools is merged first
  (days summed, suspensions summed), so they count once there too.
- Organizations: a row counts for the school on the row itself (results, attendance and
  discipline each carry school_code) and for the district.
- Student groups come from the students table, joined on (student_id, school_year). A row
  without a students row counts in group "all" only. Race code "NR" (not reported) is in no
  race group (standards §2.3); a null flag puts the student in neither "true" nor "false".
- With ``Options.use_accountability_flags`` a school's cells keep rows whose
  counts_for_school is not false and the district's cells rows whose counts_for_district is
  not false (null counts: a file without the flags still reports everyone).

Plain Python and Polars, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeIs

import polars as pl

from headway.data.core.aggregates import ALL, SCHEMA, empty
from headway.data.core.schema import CHRONIC_ABSENCE_SHARE, GROUP_FLAGS

Z95 = 1.959964  # the normal 97.5 % quantile: every 95 % interval uses it, rates and means
NOT_REPORTED = "NR"
COMBO = "combo"
FLAGS = GROUP_FLAGS
GROUPS = ("race_ethnicity", "sex", *FLAGS)  # the students table's student-group columns
FAY = ("fay_school", "fay_district")  # whether a row counts for its school / the district
CELL = ("school_year", "subject", "grade")
FINE = ("school_code", *CELL, *GROUPS, *FAY)
ORG = ("org_code", "org_level")
SORT = ("org_level", "org_code", *CELL, "group_type", "group_value", "metric")  # output order
LEVEL = "level_share:"  # prefix of the per-level metrics (aggregates.METRICS)


@dataclass(frozen=True)
class Combo:
    """A district-defined combination group, e.g. English learners with disabilities."""

    name: str  # group_value in the output, group_type "combo"
    flags: dict[str, bool]  # e.g. {"english_learner": True, "disability": True}

    def __post_init__(self) -> None:
        unknown = sorted(set(self.flags) - set(FLAGS))
        if not self.name or not self.flags or unknown:
            raise ValueError(
                f"combo {self.name!r} needs a name and flags among {', '.join(FLAGS)}"
                + (f" (unknown: {', '.join(unknown)})" if unknown else "")
            )


@dataclass(frozen=True)
class Options:
    use_accountability_flags: bool = True  # honour counts_for_school / counts_for_district
    combos: tuple[Combo, ...] = ()


DEFAULT = Options()


@dataclass(frozen=True)
class _Rate:
    """A rate metric read from two cube columns: its denominator and numerator."""

    metric: str
    n: str
    count: str


def compute(
    students: pl.LazyFrame,
    results: pl.LazyFrame | None,
    attendance: pl.LazyFrame | None,
    discipline: pl.LazyFrame | None,
    *,
    district_code: str,
    options: Options = DEFAULT,
) -> pl.DataFrame:
    """Every metric for every school and the district, year, subject, grade and group.

    A table that is None (or has no columns, as pipeline.current() gives for a kind never
    imported) contributes nothing. Sorted on the cell key, dtypes exactly aggregates.SCHEMA.
    """
    people = _people(students, options)
    parts = []
    if _present(results):
        parts.append(_results_metrics(results, people, district_code, options))
    if _present(attendance):
        parts.append(_attendance_metrics(attendance, people, district_code, options))
    if _present(discipline):
        parts.append(_discipline_metrics(discipline, people, district_code, options))
    if not parts:
        return empty()
    return pl.concat(parts).sort(SORT)


def wilson(count: pl.Expr, n: pl.Expr, z: float = Z95) -> tuple[pl.Expr, pl.Expr]:
    """The Wilson score interval for count/n: (low, high), null where n is 0.

    Wilson rather than the normal approximation because small groups and rates near 0 or 1
    are common here, where p ± z·se leaves [0, 1] or collapses to a point.
    """
    p = count.cast(pl.Float64) / n
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * (p * (1 - p) / n + z2n / (4 * n)).sqrt() / (1 + z2n)
    low = pl.when(n > 0).then((centre - half).clip(0.0, 1.0))
    high = pl.when(n > 0).then((centre + half).clip(0.0, 1.0))
    return low, high


# --- inputs ---------------------------------------------------------------------------------


def _present(frame: pl.LazyFrame | None) -> TypeIs[pl.LazyFrame]:
    return frame is not None and len(frame.collect_schema()) > 0


def _people(students: pl.LazyFrame, options: Options) -> pl.LazyFrame:
    """One row per student-year: grade, student groups and whether they count (FAY).

    Columns a district's files never gave become typed nulls, so nothing else special-cases
    them; "NR" becomes null because not-reported students belong to no race group.
    """
    wanted = {
        "student_id": pl.String(),
        "school_year": pl.Int16(),
        "grade": pl.String(),
        "race_ethnicity": pl.String(),
        "sex": pl.String(),
        **dict.fromkeys((*FLAGS, "counts_for_school", "counts_for_district"), pl.Boolean()),
    }
    if not _present(students):
        students = pl.LazyFrame(schema=wanted)
    have = students.collect_schema()
    given = [(pl.col(n) if n in have else pl.lit(None)).cast(t).alias(n) for n, t in wanted.items()]
    race = pl.col("race_ethnicity")
    return students.select(given).select(
        "student_id",
        "school_year",
        "grade",
        pl.when(race != NOT_REPORTED).then(race).alias("race_ethnicity"),
        *GROUPS[1:],
        counts_for("counts_for_school", options).alias("fay_school"),
        counts_for("counts_for_district", options).alias("fay_district"),
    )


def counts_for(flag: str, options: Options) -> pl.Expr:
    """Whether a student counts (a counts_for_* flag): false only when flags are honoured
    and the flag says false; null means "counts". Student lists use the same rule."""
    if not options.use_accountability_flags:
        return pl.lit(True)
    return pl.col(flag).fill_null(True)


def _joined(rows: pl.LazyFrame, people: pl.LazyFrame) -> pl.LazyFrame:
    """Rows with their student's groups; a row without a students row counts everywhere."""
    joined = rows.join(people, on=["student_id", "school_year"], how="left")
    return joined.with_columns(pl.col(FAY).fill_null(True))


def _fine(rows: pl.LazyFrame, stats: list[pl.Expr]) -> pl.LazyFrame:
    """The one pass over a table: additive statistics per fine cell, computed now."""
    return rows.group_by(FINE).agg(stats).collect().lazy()


def _ones(expr: pl.Expr) -> pl.Expr:
    """How many rows the boolean expression is true for (nulls are not)."""
    return expr.sum().cast(pl.Int64)


def _number(expr: pl.Expr) -> pl.Expr:
    """How many rows have a value."""
    return expr.count().cast(pl.Int64)


# --- results --------------------------------------------------------------------------------

_RESULT_RATES = (
    _Rate("participation_rate", "rows", "tested"),
    _Rate("proficiency_rate", "graded", "proficient"),
)


def _results_metrics(
    results: pl.LazyFrame, people: pl.LazyFrame, district_code: str, options: Options
) -> pl.DataFrame:
    """Participation, proficiency, mean scale score and level shares per cell."""
    levels = _levels(results)
    rows = results.select(
        "student_id",
        "school_year",
        "school_code",
        "subject",
        pl.col("grade_tested").alias("grade"),
        "tested",
        "proficient",
        "scale_score",
        "performance_level",
    )
    fine = _fine(_joined(rows, people.drop("grade")), _result_stats(levels))
    cube = _rollup(fine, fine, district_code, options.combos)
    shares = [_Rate(LEVEL + name, "leveled", LEVEL + name) for name in levels]
    rates = _rates(cube, [*_RESULT_RATES, *shares])
    return pl.concat([_keep_seen_levels(rates), _means(cube)]).collect()


def _levels(results: pl.LazyFrame) -> list[str]:
    """The performance levels present: one column read, so level counts fit the one pass."""
    level = pl.col("performance_level").drop_nulls().unique().sort()
    values: list[str] = results.select(level).collect().to_series().to_list()
    return values


def _result_stats(levels: list[str]) -> list[pl.Expr]:
    """Counts and sums per fine cell; sums of squares give each cell's standard deviation."""
    score, level = pl.col("scale_score"), pl.col("performance_level")
    return [
        pl.len().cast(pl.Int64).alias("rows"),
        _ones(pl.col("tested")).alias("tested"),
        _number(pl.col("proficient")).alias("graded"),
        _ones(pl.col("proficient")).alias("proficient"),
        _number(score).alias("scored"),
        score.sum().alias("score_sum"),
        (score * score).sum().alias("score_squares"),
        _number(level).alias("leveled"),
        *(_ones(level == name).alias(LEVEL + name) for name in levels),
    ]


def _keep_seen_levels(rates: pl.LazyFrame) -> pl.LazyFrame:
    """Drop level shares for levels no student of that year and subject reached anywhere.

    A level seen somewhere stays as an explicit 0 share elsewhere (a school with nobody at
    "Advanced" shows 0 %), but one assessment's levels are not listed under another's year.
    """
    is_level = pl.col("metric").str.starts_with(LEVEL)
    seen = pl.col("count").sum().over("school_year", "subject", "metric") > 0
    return rates.filter(is_level.not_() | seen)


# --- attendance and discipline --------------------------------------------------------------


def _attendance_metrics(
    attendance: pl.LazyFrame, people: pl.LazyFrame, district_code: str, options: Options
) -> pl.DataFrame:
    """Chronic absence: each school from its own rows, the district from days summed per
    student, so a student who moved counts once, absent or not, over all their days."""
    keys = ("student_id", "school_year", "school_code")
    rows = attendance.select(*keys, pl.col("chronically_absent").alias("outcome"))
    merged = attendance.group_by("student_id", "school_year").agg(
        pl.col("days_enrolled").sum(), pl.col("days_present").sum()
    )
    enrolled, present = pl.col("days_enrolled"), pl.col("days_present")
    chronic = pl.when(enrolled > 0).then((enrolled - present) / enrolled >= CHRONIC_ABSENCE_SHARE)
    district = merged.select("student_id", "school_year", chronic.alias("outcome"))
    return _outcome_metrics(rows, district, people, district_code, options, "chronic_absence_rate")


def _discipline_metrics(
    discipline: pl.LazyFrame, people: pl.LazyFrame, district_code: str, options: Options
) -> pl.DataFrame:
    """Suspension: students with at least one in- or out-of-school suspension. Rows with
    neither count given are left out of n: a file of incidents alone says nothing about
    suspensions, and counting those students as not suspended would make a false 0 %."""
    iss, oss = pl.col("in_school_suspensions"), pl.col("out_of_school_suspensions")
    known = iss.is_not_null() | oss.is_not_null()
    suspensions = pl.when(known).then(iss.fill_null(0) + oss.fill_null(0)).alias("suspensions")
    keys = ("student_id", "school_year", "school_code")
    rows = discipline.select(*keys, suspensions)
    merged = rows.group_by("student_id", "school_year").agg(
        pl.col("suspensions").sum(), pl.col("suspensions").count().alias("known")
    )
    district = merged.select(
        "student_id",
        "school_year",
        pl.when(pl.col("known") > 0).then(pl.col("suspensions") >= 1).alias("outcome"),
    )
    school = rows.select(*keys, (pl.col("suspensions") >= 1).alias("outcome"))
    return _outcome_metrics(school, district, people, district_code, options, "suspension_rate")


def _outcome_metrics(
    school_rows: pl.LazyFrame,
    district_rows: pl.LazyFrame,
    people: pl.LazyFrame,
    district_code: str,
    options: Options,
    metric: str,
) -> pl.DataFrame:
    """A yes/no outcome per student: school cells from one row per student and school,
    district cells from one row per student; subject "all", grade from the students table."""
    stats = [_number(pl.col("outcome")).alias("n"), _ones(pl.col("outcome")).alias("count")]
    fine = [
        _fine(_joined(rows, people).with_columns(subject=pl.lit(ALL)), stats)
        for rows in (school_rows, district_rows.with_columns(school_code=pl.lit(None, pl.String)))
    ]
    cube = _rollup(fine[0], fine[1], district_code, options.combos)
    return _rates(cube, [_Rate(metric, "n", "count")]).collect()


# --- roll-up --------------------------------------------------------------------------------


def _rollup(
    school: pl.LazyFrame, district: pl.LazyFrame, district_code: str, combos: tuple[Combo, ...]
) -> pl.LazyFrame:
    """Fine cells summed into every organization, grade (and "all") and student group.

    ``school`` and ``district`` are fine cells (the same ones for results); each level
    keeps the rows its own accountability flag lets count.
    """
    stats = [c for c in school.collect_schema().names() if c not in FINE]
    at_school = school.filter("fay_school").with_columns(
        org_code=pl.col("school_code"), org_level=pl.lit("school")
    )
    at_district = district.filter("fay_district").with_columns(
        org_code=pl.lit(district_code), org_level=pl.lit("district")
    )
    orgs = pl.concat([at_school, at_district]).select(*ORG, *CELL, *GROUPS, *stats)
    by_group = _by_group(orgs, stats, combos)
    all_grades = by_group.group_by(*ORG, "school_year", "subject", "group_type", "group_value")
    every = all_grades.agg(pl.col(stats).sum()).with_columns(grade=pl.lit(ALL))
    cells = by_group.filter(pl.col("grade").is_not_null())
    return pl.concat([cells, every], how="diagonal")


def _by_group(orgs: pl.LazyFrame, stats: list[str], combos: tuple[Combo, ...]) -> pl.LazyFrame:
    """One group_by per student-group family (all, race, sex, each flag, each combo), all
    run together in one query; a family's null values (no race, flag unknown) drop out."""
    parts = [
        orgs.group_by(*ORG, *CELL, value.alias("group_value"))
        .agg(pl.col(stats).sum())
        .with_columns(group_type=pl.lit(family))
        for family, value in _families(combos)
    ]
    return pl.concat(parts, how="diagonal").filter(pl.col("group_value").is_not_null())


def _families(combos: tuple[Combo, ...]) -> list[tuple[str, pl.Expr]]:
    """(group_type, the expression giving each row's group_value or null)."""
    flags = [(flag, pl.col(flag).cast(pl.String)) for flag in FLAGS]
    member = [(COMBO, _member(combo)) for combo in combos]
    race_sex = [(name, pl.col(name)) for name in ("race_ethnicity", "sex")]
    return [(ALL, pl.lit(ALL)), *race_sex, *flags, *member]


def _member(combo: Combo) -> pl.Expr:
    """The combo's name for students matching every flag; null (not a member) otherwise,
    including when one of the flags is unknown."""
    matches = pl.all_horizontal(pl.col(f) == wanted for f, wanted in combo.flags.items())
    return pl.when(matches.fill_null(False)).then(pl.lit(combo.name))


# --- metrics from the cube ------------------------------------------------------------------


def _rates(cube: pl.LazyFrame, rates: list[_Rate]) -> pl.LazyFrame:
    """Rate rows (n ≥ 1 only: a rate of nobody has no value), with Wilson intervals."""
    key = [*ORG, *CELL, "group_type", "group_value"]
    parts = [
        cube.select(
            *key,
            pl.lit(rate.metric).alias("metric"),
            pl.col(rate.n).alias("n"),
            pl.col(rate.count).alias("count"),
        )
        for rate in rates
    ]
    rows = pl.concat(parts).filter(pl.col("n") > 0)
    n, count = pl.col("n"), pl.col("count")
    p = count / n
    low, high = wilson(count, n)
    se = (p * (1 - p) / n).sqrt()
    return rows.with_columns(value=p, ci_low=low, ci_high=high, se=se).select(_output())


def _means(cube: pl.LazyFrame) -> pl.LazyFrame:
    """Mean scale score, its standard error sd/√n (none for n = 1) and mean ± z·se."""
    n, total, squares = pl.col("scored"), pl.col("score_sum"), pl.col("score_squares")
    mean = total / n
    # Sum-of-squares variance; clipped at 0 against rounding when every score is equal.
    variance = ((squares - total * mean) / (n - 1)).clip(lower_bound=0.0)
    se = pl.when(n > 1).then((variance / n).sqrt())
    return (
        cube.filter(n > 0)
        .with_columns(
            metric=pl.lit("mean_scale_score"),
            n=n,
            count=pl.lit(None, pl.Int64),
            value=mean,
            se=se,
            ci_low=mean - Z95 * se,
            ci_high=mean + Z95 * se,
        )
        .select(_output())
    )


def _output() -> list[pl.Expr]:
    return [pl.col(name).cast(dtype) for name, dtype in SCHEMA.items()]
