"""The aggregate table: one row per organization, year, subject, grade, student group and metric.

Metrics write it (metrics.py); suppression reads and annotates it (suppression.py); pages,
exports and the command line read it. Plain Python and Polars, no Django.
"""

from __future__ import annotations

import polars as pl

ALL = "all"  # the value of `grade`, `subject`, `group_type` and `group_value` meaning "every"

SCHEMA: dict[str, pl.DataType] = {
    "org_code": pl.String(),  # the school's code, or the district's/network's identifier
    "org_level": pl.String(),  # "school", "district" or "network"
    "school_year": pl.Int16(),  # the year the school year starts in
    "subject": pl.String(),  # a schema.SUBJECTS code, or "all" for non-assessment metrics
    "grade": pl.String(),  # a CEDS grade code, or "all"
    "group_type": pl.String(),  # "all", "race_ethnicity", "econ_disadvantaged", "sex", ...
    "group_value": pl.String(),  # "all", a code ("HI"), "true"/"false" for flags, a combo name
    "metric": pl.String(),  # see METRICS
    "n": pl.Int64(),  # the denominator: students (or test takers) in the cell
    "count": pl.Int64(),  # the numerator for rates (proficient, chronically absent, …); else null
    "value": pl.Float64(),  # the rate (0–1), mean or share
    "ci_low": pl.Float64(),  # 95 % interval (Wilson for rates, mean ± 1.96 SE for means)
    "ci_high": pl.Float64(),
    "se": pl.Float64(),  # standard error where defined
}

METRICS = (
    "proficiency_rate",  # proficient / tested with a level
    "mean_scale_score",
    "participation_rate",  # tested / result rows in the cell (students expected to test)
    "level_share:<level>",  # share of tested students at each performance level (one row each)
    "chronic_absence_rate",
    "suspension_rate",  # students with ≥1 in- or out-of-school suspension / students
)

# The columns that name one cell of the table (everything but the numbers).
KEY = (
    "org_code",
    "org_level",
    "school_year",
    "subject",
    "grade",
    "group_type",
    "group_value",
    "metric",
)

# Suppression adds these columns (suppression.py).
SUPPRESSION_SCHEMA: dict[str, pl.DataType] = {
    "suppressed": pl.Boolean(),
    "reason": pl.String(),  # "", MIN_N, COMPLEMENTARY, TOP_CODE, BOTTOM_CODE, CHANGE_MIN_N
    "display": pl.String(),  # what viewers without student access see: "42%", "≤5%", "n<10"
}

# The columns a published table has, in order: pages' downloads and `headway metrics`.
PUBLISHED = (
    *(k for k in KEY if k != "org_level"),
    "n",
    "value",
    "ci_low",
    "ci_high",
    "suppressed",
    "reason",
)


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)
