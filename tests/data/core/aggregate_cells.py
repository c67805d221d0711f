"""Hand-made aggregate tables for the gaps, trends, similar-schools and findings tests.

Rates get their Wilson interval and standard error from plain Python here, not from
metrics.py, and random tables are built from made-up students, so every total is the sum
of its parts as metrics.compute makes them (suppression's complementary rules need that).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import polars as pl
from hypothesis import strategies as st

from headway.data.core.aggregates import SCHEMA

Z = 1.959964
Row = dict[str, Any]
RATE = "proficiency_rate"
MEAN = "mean_scale_score"
ALL = ("all", "all")
EL = ("english_learner", "true")
NOT_EL = ("english_learner", "false")


def rate(
    group: tuple[str, str],
    n: int,
    count: int,
    *,
    year: int = 2024,
    metric: str = RATE,
    org: str = "S1",
    level: str = "school",
    subject: str = "math",
    grade: str = "all",
) -> Row:
    """A rate cell: value count/n, Wilson 95 % interval, se √(p(1−p)/n)."""
    p = count / n
    z2n = Z * Z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = Z * math.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n)
    numbers = {"n": n, "count": count, "value": p, "se": math.sqrt(p * (1 - p) / n)}
    interval = {"ci_low": max(0.0, centre - half), "ci_high": min(1.0, centre + half)}
    return _key(group, year, metric, org, level, subject, grade) | numbers | interval


def mean(
    group: tuple[str, str],
    n: int,
    value: float,
    se: float | None,
    *,
    year: int = 2024,
    org: str = "S1",
    level: str = "school",
    subject: str = "math",
    grade: str = "all",
) -> Row:
    """A mean scale score cell with interval value ± Z·se."""
    low, high = (None, None) if se is None else (value - Z * se, value + Z * se)
    numbers = {"n": n, "count": None, "value": value, "se": se, "ci_low": low, "ci_high": high}
    return _key(group, year, MEAN, org, level, subject, grade) | numbers


def _key(
    group: tuple[str, str],
    year: int,
    metric: str,
    org: str,
    level: str,
    subject: str,
    grade: str,
) -> Row:
    return {
        "org_code": org,
        "org_level": level,
        "school_year": year,
        "subject": subject,
        "grade": grade,
        "group_type": group[0],
        "group_value": group[1],
        "metric": metric,
    }


def table(rows: Iterable[Row]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


# --- random tables from made-up students ------------------------------------------------------

RACES = ("HI", "WH", "AS")
# (English learner, race, proficient, scale score)
Student = tuple[bool, str, bool, int]


def students() -> st.SearchStrategy[list[Student]]:
    one = st.tuples(st.booleans(), st.sampled_from(RACES), st.booleans(), st.integers(200, 300))
    return st.lists(one, min_size=1, max_size=70)


def years() -> st.SearchStrategy[dict[int, list[Student]]]:
    """One school's students in two to four consecutive years from 2021."""
    return st.integers(2, 4).flatmap(
        lambda k: st.tuples(*(students() for _ in range(k))).map(
            lambda lists: {2021 + i: people for i, people in enumerate(lists)}
        )
    )


def school_table(by_year: dict[int, list[Student]]) -> pl.DataFrame:
    """Proficiency and mean-score cells for all students, EL yes/no and three races."""
    rows: list[Row] = []
    for year, people in by_year.items():
        groups: dict[tuple[str, str], list[Student]] = defaultdict(list)
        for person in people:
            el, race = person[0], person[1]
            for group in (ALL, ("english_learner", str(el).lower()), ("race_ethnicity", race)):
                groups[group].append(person)
        for group, members in groups.items():
            rows.append(rate(group, len(members), sum(m[2] for m in members), year=year))
            rows.append(_mean_of(group, [m[3] for m in members], year))
    return table(rows)


def _mean_of(group: tuple[str, str], scores: list[int], year: int) -> Row:
    n = len(scores)
    value = sum(scores) / n
    if n == 1:
        return mean(group, n, value, None, year=year)
    variance = sum((s - value) ** 2 for s in scores) / (n - 1)
    return mean(group, n, value, math.sqrt(variance / n), year=year)
