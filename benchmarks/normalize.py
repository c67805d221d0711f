"""How long normalize() takes on a large synthetic long assessment file.

Run: .venv/bin/python benchmarks/normalize.py [rows] [bad_share]
Builds an SGP-like all-text frame (two subjects per student-year, text flags, "2020_2021"
years), proposes a mapping, and times normalize(); with bad_share > 0 that share of rows
gets a bad grade, to show that a flood of problems is still checked quickly.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from headway.data.core.mapping import propose  # noqa: E402
from headway.data.core.validate import normalize  # noqa: E402


def synthetic(rows: int, bad_share: float = 0.0) -> pl.DataFrame:
    """SGP-like long rows: student i//2, subject by parity, year and demographics by student."""
    i = pl.int_range(rows, dtype=pl.Int64)
    student = i // 2
    year = 2020 + student % 5
    bad = (i % 1000) < int(bad_share * 1000)
    frame = pl.select(
        ID=(1_000_000 + student).cast(pl.String),
        YEAR=pl.format("{}_{}", year, year + 1),
        CONTENT_AREA=pl.when(i % 2 == 0).then(pl.lit("MATHEMATICS")).otherwise(pl.lit("READING")),
        GRADE=pl.when(bad).then(pl.lit("Grade Q")).otherwise((3 + student % 6).cast(pl.String)),
        SCALE_SCORE=(300 + (i * 7919) % 400).cast(pl.String),
        ACHIEVEMENT_LEVEL=pl.lit(pl.Series(["Unsatisfactory", "Proficient", "Advanced"])).gather(
            i % 3
        ),
        GENDER=pl.when(student % 2 == 0)
        .then(pl.lit("Gender: Male"))
        .otherwise(pl.lit("Gender: Female")),
        ETHNICITY=pl.lit(pl.Series(["White", "Hispanic", "Asian", "African American"])).gather(
            student % 4
        ),
        FREE_REDUCED_LUNCH_STATUS=pl.format(
            "Free Reduced Lunch: {}",
            pl.when(student % 3 == 0).then(pl.lit("Yes")).otherwise(pl.lit("No")),
        ),
        ELL_STATUS=pl.format(
            "ELL: {}", pl.when(student % 7 == 0).then(pl.lit("Yes")).otherwise(pl.lit("No"))
        ),
        SCHOOL_NUMBER=(1000 + student % 120).cast(pl.String),
    )
    return frame


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    bad_share = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    frame = synthetic(rows, bad_share)
    mapping = propose(frame.head(10_000), name="synthetic")
    schools = set(frame.get_column("SCHOOL_NUMBER").unique().to_list())
    start = time.perf_counter()
    result = normalize(frame, mapping, file="synthetic.csv", known_schools=schools)
    elapsed = time.perf_counter() - start
    sizes = {kind.value: table.height for kind, table in result.tables.items()}
    print(f"{rows:,} rows in {elapsed:.2f} s; tables {sizes}; problems {result.report.counts}")


if __name__ == "__main__":
    main()
