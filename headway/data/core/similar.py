"""Similar schools: the schools most like one school, and where it stands among them.

A team judges its results, and a goal's attainability, against schools that serve students
like theirs: about as many, with similar shares of economically disadvantaged students,
English learners and students with disabilities, at the same level (elementary, middle,
high, …). The comparison pool can be the district's schools, a network's, or a public
school-level file: anything with the profile columns below.

Profile columns (``school_profiles`` makes them from a students table; a public file or a
network's table brings its own):

- ``school_code``, ``school_year``;
- ``enrollment``: students in the school that year;
- ``econ_share``, ``el_share``, ``swd_share``: shares (0–1) of economically disadvantaged
  students, English learners and students with disabilities among the students whose flag
  is known (a null flag counts in neither part; a school with no known flag has a null share);
- ``level`` (optional): elementary/middle/high/…; null or "" is unknown, and unknown compares
  with unknown only;
- ``outcome`` (optional): the figure to stand the school among its peers, e.g. its
  proficiency rate (``with_outcome`` adds it from the aggregate table);
- any other column (a school name) is carried along.

Distance: each feature is standardized over the comparison pool (the schools of that year
and level with every feature known, the school included): z = (x − mean) / sd, population
sd; a feature every school shares (sd 0) adds nothing. Enrollment enters as its natural log,
so 200 against 400 students counts like 500 against 1,000. The distance between two schools
is √Σ weight × (z₁ − z₂)², over FEATURES with WEIGHTS.

Plain Python and Polars, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from headway.data.core.aggregates import ALL
from headway.data.core.gaps import usable

# Shown to users next to each similar school: what is compared, and how much it counts.
FEATURES: dict[str, str] = {
    "enrollment": "Number of students (compared on a log scale)",
    "econ_share": "Share of economically disadvantaged students",
    "el_share": "Share of English learners",
    "swd_share": "Share of students with disabilities",
}
# Economic disadvantage counts double: of these, it is the one most closely tied to a
# school's average results, so it matters most for a fair comparison.
WEIGHTS: dict[str, float] = {
    "enrollment": 1.0,
    "econ_share": 2.0,
    "el_share": 1.0,
    "swd_share": 1.0,
}
LOGGED = frozenset({"enrollment"})  # features compared as their natural log
SHARES = {
    "econ_share": "econ_disadvantaged",
    "el_share": "english_learner",
    "swd_share": "disability",
}

PROFILE_SCHEMA: dict[str, pl.DataType] = {
    "school_code": pl.String(),
    "school_year": pl.Int16(),
    "enrollment": pl.Int64(),
    "econ_share": pl.Float64(),
    "el_share": pl.Float64(),
    "swd_share": pl.Float64(),
}
DISTANCE = "distance"  # the column nearest adds to the similar schools


@dataclass(frozen=True)
class Outcome:
    """Which aggregate figure an ``outcome`` column holds: the school's all-students cell."""

    metric: str = "proficiency_rate"
    subject: str = ALL
    grade: str = ALL


@dataclass(frozen=True, eq=False)
class Similar:
    """The schools most like one school in one year, and where it stands among them."""

    school: str
    year: int
    level: str | None
    pool: str  # where the peers come from, as shown to users: "district", "network", …
    profile: dict[str, float | None]  # the school's own features and outcome
    schools: pl.DataFrame  # the k most similar, closest first: profile columns + DISTANCE
    compared: int  # other schools of that year and level with every feature
    skipped: int  # other schools of that year and level missing a feature
    missing: tuple[str, ...]  # features the school itself lacks: then nothing is compared
    outcome: float | None  # the school's outcome
    percentile: float | None  # 0–100: share of the similar schools with a lower outcome
    outcomes_known: int  # similar schools with an outcome: the percentile's denominator
    measure: Outcome | None = None  # what outcome is, when known
    features: tuple[str, ...] = tuple(FEATURES)  # what was compared (a pool may lack some)


def school_profiles(students: pl.LazyFrame) -> pl.DataFrame:
    """Enrollment and group shares per school and year, columns PROFILE_SCHEMA.

    Enrollment counts the students table's rows (one per student and year). A share's
    denominator is the students whose flag is known: a district that records English
    learner status for only some students gets the share among those, not a share
    diluted by unknowns. Missing flag columns give null shares.
    """
    have = students.collect_schema().names()
    shares = [
        (pl.col(flag).cast(pl.Float64).mean() if flag in have else pl.lit(None)).alias(name)
        for name, flag in SHARES.items()
    ]
    return (
        students.group_by("school_code", "school_year")
        .agg(pl.len().alias("enrollment"), *shares)
        .select(pl.col(c).cast(t) for c, t in PROFILE_SCHEMA.items())
        .sort("school_code", "school_year")
        .collect()
    )


def with_outcome(
    profiles: pl.DataFrame, aggregates: pl.DataFrame, measure: Outcome
) -> pl.DataFrame:
    """profiles with an ``outcome`` column: each school's all-students value of the measure.

    Only shown cells count (gaps.usable), so a suppressed table gives a null outcome for a
    hidden school rather than a number it must not show.
    """
    cells = aggregates.lazy().filter(
        usable(aggregates),
        pl.col("org_level") == "school",
        pl.col("metric") == measure.metric,
        pl.col("subject") == measure.subject,
        pl.col("grade") == measure.grade,
        pl.col("group_type") == ALL,
        pl.col("group_value") == ALL,
    )
    outcome = cells.select(
        pl.col("org_code").alias("school_code"),
        pl.col("school_year").cast(pl.Int16),
        pl.col("value").alias("outcome"),
    )
    base = profiles.lazy().drop("outcome", strict=False)
    joined = base.join(
        outcome, on=["school_code", "school_year"], how="left", maintain_order="left"
    )
    return joined.collect()


def nearest(
    profiles: pl.DataFrame,
    school: str,
    *,
    year: int,
    k: int = 5,
    pool: str = "district",
    measure: Outcome | None = None,
    features: Sequence[str] | None = None,
) -> Similar:
    """The k schools of the same level most like ``school`` in ``year`` (it excluded).

    Ties in distance (to 9 decimals) go to the first school_code. Raises LookupError when
    the school has no profile that year; a school missing a feature gets no similar
    schools, and ``missing`` names what it lacks.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    used = tuple(FEATURES) if features is None else tuple(f for f in FEATURES if f in features)
    if not used:
        raise ValueError("at least one feature must be compared")
    peers = _same_level(profiles, school, year)
    me = peers.filter(pl.col("school_code") == school)
    others = peers.filter(pl.col("school_code") != school)
    complete = _complete(others, used)
    missing = tuple(f for f in used if me.get_column(_X + f).is_null().item())
    found = complete.clear() if missing else _closest(pl.concat([me, complete]), school, k, used)
    known = [x for x in found.get_column("outcome").to_list() if x is not None]
    row = me.row(0, named=True)
    return Similar(
        school=school,
        year=year,
        level=row[_LEVEL],
        pool=pool,
        profile={f: row[f] for f in (*FEATURES, "outcome") if f in row},
        schools=found.drop(pl.selectors.starts_with("__")),
        compared=complete.height,
        skipped=others.height - complete.height,
        missing=missing,
        outcome=row["outcome"],
        percentile=_percentile(row["outcome"], known),
        outcomes_known=len(known),
        measure=measure,
        features=used,
    )


# --- the comparison --------------------------------------------------------------------------

_X, _Z, _LEVEL = "__x_", "__z_", "__level"  # cleaned and standardized features; the level


def _same_level(profiles: pl.DataFrame, school: str, year: int) -> pl.DataFrame:
    """The year's schools at the school's level, features cleaned (see _clean)."""
    frame = _clean(profiles.filter(pl.col("school_year") == year))
    if frame.get_column("school_code").is_duplicated().any():
        raise ValueError(f"the profiles have several rows for one school in {year}")
    me = frame.filter(pl.col("school_code") == school)
    if me.is_empty():
        raise LookupError(f"no profile for school {school!r} in {year}")
    level = me.get_column(_LEVEL).item()
    same = pl.col(_LEVEL).is_null() if level is None else pl.col(_LEVEL) == level
    return frame.filter(same)


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    """The profile plus each feature as a Float64 ``__x_`` column, null where unusable (a
    column the file lacks; a non-positive enrollment has no log), the level with "" as
    unknown, and an ``outcome`` column (null when the profiles have none)."""

    def given(name: str) -> pl.Expr:
        return pl.col(name) if name in frame.columns else pl.lit(None)

    features = {f: given(f).cast(pl.Float64) for f in FEATURES}
    features |= {f: pl.when(x > 0).then(x.log()) for f, x in features.items() if f in LOGGED}
    level = given("level").cast(pl.String)
    return frame.with_columns(
        *(x.alias(_X + f) for f, x in features.items()),
        pl.when(level != "").then(level).alias(_LEVEL),
        given("outcome").cast(pl.Float64).alias("outcome"),
    )


def _complete(frame: pl.DataFrame, used: tuple[str, ...]) -> pl.DataFrame:
    return frame.filter(pl.all_horizontal(pl.col(_X + f).is_not_null() for f in used))


def _closest(pool: pl.DataFrame, school: str, k: int, used: tuple[str, ...]) -> pl.DataFrame:
    """The k nearest to ``school`` within ``pool`` (which holds it), by the weighted
    distance on the ``used`` features standardized over the pool."""
    scored = pool.with_columns(_standardized(_X + f).alias(_Z + f) for f in used)
    mine = scored.filter(pl.col("school_code") == school).row(0, named=True)
    terms = [WEIGHTS[f] * (pl.col(_Z + f) - mine[_Z + f]) ** 2 for f in used]
    distance = pl.sum_horizontal(terms).sqrt().alias(DISTANCE)
    others = scored.filter(pl.col("school_code") != school).with_columns(distance)
    # Rounded for ties: 0.5 − 0.3 and 0.7 − 0.5 differ in the last bit, not for a reader.
    return others.sort(pl.col(DISTANCE).round(9), "school_code").head(k)


def _standardized(column: str) -> pl.Expr:
    x = pl.col(column)
    sd = x.std(ddof=0)
    return pl.when(sd > 0).then((x - x.mean()) / sd).otherwise(pl.lit(0.0))


def _percentile(outcome: float | None, others: list[float]) -> float | None:
    """Share of the similar schools with a lower outcome, ties counted half, in percent."""
    if outcome is None or not others:
        return None
    lower = sum(1 for x in others if x < outcome)
    ties = sum(1 for x in others if x == outcome)
    return 100 * (lower + ties / 2) / len(others)
