"""Network roll-up: a network's aggregate table from its districts' aggregate tables.

Why from the districts' tables and not from their students: a network (districts working
together) holds each district's computed table, not its student records, and every figure
of a district cell can be combined exactly: n and counts add up, a mean is recovered from
n·mean, and a standard deviation from se·√n. So each network cell is what metrics.compute
would give if the districts' students had been counted together as one district.

Counting rules and limitations:

- Only district-level rows (org_level "district") are read; school rows and any extra
  columns (suppressed, reason, display, …) are ignored. Give the INTERNAL, unsuppressed
  tables: suppressed cells have no n and cannot be added up.
- A cell that some districts lack combines the districts that have it. Level shares are
  the exception that proves the rule: a district leaves out a level none of its students
  reached that year and subject, so there it counts as an explicit 0 of its test takers.
- A student in two districts' files (moved mid-year) counts twice: the tables carry no
  student ids, so the roll-up cannot merge them as metrics.compute does within a district
  (attendance days summed, counted once). Network n can exceed the number of students.
- A district mean whose n > 1 and se is null has lost its spread: the network's se (and
  interval) is then null rather than silently too small.

Plain Python and Polars, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from headway.data.core.aggregates import SCHEMA, empty
from headway.data.core.metrics import LEVEL, SORT, Z95, wilson

DISTRICT = "district"
NETWORK = "network"
MEAN = "mean_scale_score"
GROUP = ("school_year", "subject", "grade", "group_type", "group_value")  # a cell, bar metric
CELL = (*GROUP, "metric")  # a network cell: the key without the organization


def network(districts: Sequence[pl.DataFrame], *, network_code: str) -> pl.DataFrame:
    """The network's own aggregate table (org_level "network", org_code ``network_code``).

    ``districts`` are the internal tables metrics.compute returns, one per district.
    Columns and dtypes are exactly aggregates.SCHEMA, sorted like metrics.compute's output.
    Raises ValueError when one district's rows come in two tables (they would count twice).
    """
    rows = _district_rows(districts)
    if rows.is_empty():
        return empty()
    is_mean = pl.col("metric") == MEAN
    parts = [_rates(_with_every_level(rows.filter(~is_mean))), _means(rows.filter(is_mean))]
    org = {"org_code": pl.lit(network_code), "org_level": pl.lit(NETWORK)}
    return pl.concat(part.with_columns(**org).select(_output()) for part in parts).sort(SORT)


def network_parents(district_codes: Iterable[str], network_code: str) -> dict[str, str]:
    """Each district's code mapped to the network's: suppression's ``parents`` argument, so
    that a network's districts are protected against the network total."""
    return dict.fromkeys(district_codes, network_code)


# --- inputs ---------------------------------------------------------------------------------


def _district_rows(districts: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The district-level rows of every table, in SCHEMA columns only."""
    frames = [
        frame.select(_output()).filter(pl.col("org_level") == DISTRICT) for frame in districts
    ]
    seen: set[str] = set()
    for frame in frames:
        codes = set(frame.get_column("org_code").unique().to_list())
        if codes & seen:
            raise ValueError(f"district(s) {', '.join(sorted(codes & seen))} given twice")
        seen |= codes
    return pl.concat(frames) if frames else empty()


def _with_every_level(rates: pl.DataFrame) -> pl.DataFrame:
    """Rate rows with the level shares a district left out (no student of its own reached
    the level that year and subject) put back as 0 of the cell's test takers.

    Without them a network share would divide by the test takers of only the districts
    where the level was seen, unlike counting the students together.
    """
    is_level = pl.col("metric").str.starts_with(LEVEL)
    levels = rates.filter(is_level)
    cells = levels.group_by("org_code", *GROUP).agg(pl.col("n").first())
    network_levels = levels.select("school_year", "subject", "metric").unique()
    every = cells.join(network_levels, on=["school_year", "subject"])
    given = levels.select("org_code", *CELL, "count")
    filled = every.join(given, on=["org_code", *CELL], how="left")
    columns = ["org_code", *CELL, "n", "count"]
    return pl.concat(
        [
            rates.filter(~is_level).select(columns),
            filled.with_columns(pl.col("count").fill_null(0)).select(columns),
        ]
    )


# --- combining ------------------------------------------------------------------------------


def _rates(rows: pl.DataFrame) -> pl.DataFrame:
    """Rates of the summed counts, with the same Wilson interval and se as metrics."""
    summed = rows.group_by(CELL).agg(pl.col("n").sum(), pl.col("count").sum())
    n, count = pl.col("n"), pl.col("count")
    p = count / n
    low, high = wilson(count, n)
    se = (p * (1 - p) / n).sqrt()
    return summed.filter(n > 0).with_columns(value=p, ci_low=low, ci_high=high, se=se)


def _means(rows: pl.DataFrame) -> pl.DataFrame:
    """Pooled means: Σ n·mean / Σ n, and the pooled sd from within- and between-district
    sums of squares, se = sd/√N (none for N = 1) and mean ± z·se.

    Deviations from the pooled mean rather than raw sums of squares (the same total,
    Σ(n−1)·sd² + Σ n·mean² − N·mean²) because scale scores near 500 with small spreads
    would lose digits in the subtraction.
    """
    n, mean, total = pl.col("n"), pl.col("value"), pl.col("n").sum().over(CELL)
    pooled = ((n * mean).sum().over(CELL) / total).alias("pooled")
    within = pl.when(n == 1).then(0.0).otherwise((n - 1) * n * pl.col("se") ** 2)
    between = n * (mean - pl.col("pooled")) ** 2
    parts = rows.with_columns(pooled).with_columns(within.alias("within"), between.alias("between"))
    summed = parts.group_by(CELL).agg(
        n.sum(),
        pl.col("pooled").first().alias("value"),
        (pl.col("within").sum() + pl.col("between").sum()).alias("squares"),
        pl.col("within").is_null().any().alias("lost"),
    )
    variance = pl.col("squares") / (n - 1)
    se = pl.when((n > 1) & ~pl.col("lost")).then((variance / n).sqrt())
    return summed.with_columns(se=se, count=pl.lit(None, pl.Int64)).with_columns(
        ci_low=pl.col("value") - Z95 * pl.col("se"), ci_high=pl.col("value") + Z95 * pl.col("se")
    )


def _output() -> list[pl.Expr]:
    return [pl.col(name).cast(dtype) for name, dtype in SCHEMA.items()]
