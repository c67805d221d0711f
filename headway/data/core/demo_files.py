"""Fictional student files for the demo district, in a district SIS export's own vocabulary.

The files use column names and codes different from Headway's canonical schema, so the
import mapping has real work to do. Everything is drawn from the spec's seed with a
counter-based generator (a SplitMix64 hash of seed, stream, year and student), so the
files are identical for the same spec, whatever the batch order, and batches can stream.

The model, in standard-deviation units of a grade's score distribution:
achievement = school effect + group gaps (wider at CSI/TSI/ATSI schools) + student ability
+ accumulated growth (higher at some schools) + the class teacher's effect + test noise.
Absence rises with economic disadvantage and low achievement; discipline with absence.
The district runs a full PK–12 cycle before the first year written, so it starts in a steady
state: students carry their feeder schools' growth and the level trends are not artefacts.
Plain Python and Polars, no Django: the analytical core is tested and benchmarked on its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from pathlib import Path

import polars as pl


@dataclass(frozen=True)
class DemoSchool:
    code: str
    name: str
    low: int  # lowest grade served, K = 0, PK = -1
    high: int  # highest grade served
    enrollment: int
    pct_econ: float  # % economically disadvantaged
    pct_el: float  # % English learners
    pct_swd: float  # % students with disabilities
    effect: float  # school effect on achievement, in SD units
    designation: str  # "csi", "tsi", "atsi" or "none"
    growth: float = 0.0  # extra growth per year, in SD units
    feeds: tuple[str, ...] = ()  # where students go after the highest grade (codes)


# Mirrors headway.orgs.demo.SCHOOLS (a test keeps them in step); effect, growth and feeds are
# this module's own.
# fmt: off
DEFAULT_SCHOOLS: tuple[DemoSchool, ...] = (
    DemoSchool("0101", "Alder Creek Elementary", 0, 5, 412, 68.2, 21.4, 14.1,
               effect=-0.25, designation="csi", growth=-0.03, feeds=("0201",)),
    DemoSchool("0102", "Birchwood Elementary", -1, 5, 356, 41.0, 8.7, 12.3,
               effect=0.20, designation="none", growth=0.03, feeds=("0202",)),
    DemoSchool("0103", "Cedar Hollow Elementary", 0, 5, 298, 74.5, 30.2, 15.8,
               effect=-0.05, designation="tsi", growth=0.06, feeds=("0201", "0202")),
    DemoSchool("0104", "Dogwood K–8 Academy", 0, 8, 540, 55.3, 12.1, 13.0,
               effect=0.0, designation="none", growth=0.03, feeds=("0301", "0302")),
    DemoSchool("0201", "Elm Street Middle School", 6, 8, 610, 63.0, 15.4, 16.2,
               effect=-0.10, designation="atsi", growth=0.0, feeds=("0301",)),
    DemoSchool("0202", "Fairview Middle School", 6, 8, 575, 38.9, 6.0, 11.5,
               effect=0.20, designation="none", growth=0.03, feeds=("0301", "0302")),
    DemoSchool("0301", "Riverbend High School", 9, 12, 1240, 52.1, 9.8, 13.7,
               effect=0.05, designation="none", growth=0.02),
    DemoSchool("0302", "Westfield High School", 9, 12, 980, 61.7, 11.2, 14.9,
               effect=-0.25, designation="csi", growth=-0.04),
)
# fmt: on


@dataclass(frozen=True)
class DemoSpec:
    seed: int = 2026
    first_year: int = 2021  # the school year starting in 2021 (2021–22)
    years: int = 5
    schools: tuple[DemoSchool, ...] = DEFAULT_SCHOOLS
    scale: float = 1.0  # multiplies enrollments (benchmarks use big values)


COLUMNS: dict[str, tuple[str, ...]] = {
    "assessments": (
        "StudentID",
        "SchoolYear",
        "SchoolCode",
        "Grade",
        "Gender",
        "RaceEthnicity",
        "EconDisadv",
        "EL",
        "SWD",
        "Homeless",
        "FosterCare",
        "MilitaryConnected",
        "Migrant",
        "FAY_School",
        "FAY_District",
        "TestName",
        "Window",
        "Subject",
        "GradeTested",
        "ScaleScore",
        "PerformanceLevel",
    ),
    "attendance": ("StudentID", "SchoolYear", "SchoolCode", "DaysEnrolled", "DaysPresent"),
    "discipline": ("StudentID", "SchoolYear", "SchoolCode", "Incidents", "ISS", "OSS"),
    "classes": (
        "StudentID",
        "SchoolYear",
        "SchoolCode",
        "Subject",
        "SectionID",
        "TeacherID",
        "TeacherName",
    ),
}

FLAGS = {  # our column: the file's column, "Y" or "N"
    "econ": "EconDisadv",
    "el": "EL",
    "swd": "SWD",
    "homeless": "Homeless",
    "foster": "FosterCare",
    "military": "MilitaryConnected",
    "migrant": "Migrant",
    "fay_school": "FAY_School",
    "fay_district": "FAY_District",
}
RACES = (
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Asian",
    "American Indian or Alaska Native",
    "Native Hawaiian or Pacific Islander",
    "Two or More Races",
)
RACE_GAPS = (-0.20, 0.0, -0.35, 0.20, -0.30, -0.20, -0.05)  # beyond the econ/EL/SWD gaps
RACE_SHARES_EL = (0.72, 0.05, 0.04, 0.16, 0.01, 0.01, 0.01)
RACE_SHARES_OTHER = (0.22, 0.46, 0.18, 0.05, 0.015, 0.015, 0.06)
GAPS = {"econ": -0.4, "el": -0.6, "swd": -0.8}
FEMALE_GAPS = {0: -0.03, 1: 0.12}  # girls' edge by subject (0 math, 1 ELA)
GAP_SCALE = {"csi": 1.25, "tsi": 1.15, "atsi": 1.15}  # wider gaps where schools are identified
SUBJECTS = ("Math", "ELA")
LEVELS = ("Level 1 - Did Not Meet", "Level 2 - Approaching", "Level 3 - Meets", "Level 4 - Exceeds")
NOT_TESTED = "Not Tested"
CUTS = (-1.15, -0.45, 0.55)  # level 2, 3, 4 cuts in SD units
CUT_SHIFT = {3: -0.05, 4: 0.0, 5: 0.05, 6: 0.1, 7: 0.05, 8: 0.1, 10: 0.0, 11: 0.05}
CUT_COLUMNS = ("cut2", "cut3", "cut4")
TESTED_GRADES = tuple(CUT_SHIFT)
GRADE_LABELS = {-1: "PK", 0: "K", **{g: str(g) for g in range(1, 13)}}
SCORE_SD = 35
DAYS = 180
FIRST_ID = 1_000_001
BURN_IN = 13  # years simulated before the first file year: a full PK–12 cycle
FIRST_NAMES = (
    "Avery", "Blake", "Carmen", "Dario", "Elena", "Farah", "Gideon", "Hana", "Ivo", "Jolene",
    "Kenji", "Lorna", "Mateo", "Nell", "Orla", "Pavel", "Quinn", "Rafaela", "Soren", "Tamsin",
    "Ulla", "Vikram", "Wren", "Ximena", "Yusuf", "Zara",
)  # fmt: skip
LAST_NAMES = (
    "Ashgrove", "Bellwether", "Copperfield", "Duskwood", "Emberly", "Fernhill", "Glenmoor",
    "Hollowell", "Ironside", "Juniper", "Kestrel", "Larkspur", "Marchbank", "Northcott",
    "Oakhurst", "Pemberton", "Quillfeather", "Rookwood", "Stillwater", "Thistledown",
    "Underhill", "Vantreight", "Whitlock", "Yarrowby",
)  # fmt: skip


# --- counter-based random numbers -------------------------------------------------------

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB


class _S(IntEnum):
    """Random streams: each draw has its own, so adding one never shifts the others."""

    ECON, EL, SWD, SEX, RACE, HOMELESS, FOSTER, MILITARY, MIGRANT = range(1, 10)
    LEAVE, MOVE, DEST, GROWTH, FAY, DAYS, ABILITY, SUBJECT_ABILITY = range(10, 18)
    ABSENCE, ABSENCE_YEAR, INCIDENTS, CONSEQUENCE, SECTION, TEACHER, NOISE = range(18, 25)
    NOT_TESTED, FIRST_NAME, LAST_NAME = range(25, 28)


def _mix_int(x: int) -> int:
    x = (x + _GOLDEN) & _MASK
    x = ((x ^ (x >> 30)) * _M1) & _MASK
    x = ((x ^ (x >> 27)) * _M2) & _MASK
    return x ^ (x >> 31)


def _mix(x: pl.Series) -> pl.Series:
    """SplitMix64's finalizer on a UInt64 series (multiplication wraps)."""
    golden, m1, m2 = (pl.Series([c], dtype=pl.UInt64) for c in (_GOLDEN, _M1, _M2))
    x = x + golden
    x = (x ^ (x // (1 << 30))) * m1
    x = (x ^ (x // (1 << 27))) * m2
    return x ^ (x // (1 << 31))


def _hash(salt: int, keys: pl.Series) -> pl.Series:
    """Hash each row of a struct series of integer keys, seeded by salt."""
    h = pl.repeat(salt, len(keys), dtype=pl.UInt64, eager=True)
    for name in keys.struct.fields:
        h = _mix(h ^ keys.struct.field(name).cast(pl.UInt64))
    return h


def _to_uniform(h: pl.Series) -> pl.Series:
    return (h // (1 << 11)).cast(pl.Float64) * 2.0**-53


def _to_normal(h: pl.Series) -> pl.Series:
    """Box–Muller on the two 32-bit halves of one hash."""
    u1 = ((h // (1 << 32)).cast(pl.Float64) + 0.5) * 2.0**-32
    u2 = (h % (1 << 32)).cast(pl.Float64) * 2.0**-32
    return (-2.0 * u1.log()).sqrt() * (2 * math.pi * u2).cos()


@dataclass(frozen=True)
class _Rng:
    """Counter-based draws: the same seed, stream, tag and keys always give the same number."""

    seed: int

    def _draw(
        self, stream: int, tag: int, keys: tuple[pl.Expr, ...], to: Callable[[pl.Series], pl.Series]
    ) -> pl.Expr:
        salt = _mix_int(_mix_int(_mix_int(self.seed & _MASK) ^ stream) ^ (tag & _MASK))
        return pl.struct(*keys).map_batches(
            lambda s: to(_hash(salt, s)), return_dtype=pl.Float64, is_elementwise=True
        )

    def uniform(self, stream: int, tag: int, *keys: pl.Expr) -> pl.Expr:
        """Uniform on [0, 1), one value per row of the keys; tag is usually the year."""
        return self._draw(stream, tag, keys, _to_uniform)

    def normal(self, stream: int, tag: int, *keys: pl.Expr) -> pl.Expr:
        """Standard normal, one value per row of the keys."""
        return self._draw(stream, tag, keys, _to_normal)


# --- the district's layout, from the spec -----------------------------------------------


def _per_grade(school: DemoSchool, scale: float) -> int:
    return round(school.enrollment * scale / (school.high - school.low + 1))


@lru_cache(maxsize=8)
def _schools(spec: DemoSpec) -> pl.DataFrame:
    """One row per school: its index in the spec and the numbers the draws use."""
    s = spec.schools
    return pl.DataFrame(
        {
            "school": list(range(len(s))),
            "econ_share": [x.pct_econ / 100 for x in s],
            "el_share": [x.pct_el / 100 for x in s],
            "swd_share": [x.pct_swd / 100 for x in s],
            "effect": [x.effect for x in s],
            "gap_scale": [GAP_SCALE.get(x.designation, 1.0) for x in s],
            "growth": [x.growth for x in s],
            "low": [x.low for x in s],
            "high": [x.high for x in s],
        },
        schema_overrides={"school": pl.Int32, "low": pl.Int32, "high": pl.Int32},
    )


@lru_cache(maxsize=8)
def _targets(spec: DemoSpec) -> pl.DataFrame:
    """Students per school and grade: the enrollment spread evenly over the grades served."""
    rows = [
        (i, grade, _per_grade(school, spec.scale))
        for i, school in enumerate(spec.schools)
        for grade in range(school.low, school.high + 1)
    ]
    schema = {"school": pl.Int32, "grade": pl.Int32, "target": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _bands(origin: int, grade: int, options: list[tuple[int, int]]) -> list[tuple[object, ...]]:
    """Destination schools with [lo, hi) slices of the unit interval, by size."""
    total = sum(weight for _, weight in options) or 1
    rows: list[tuple[object, ...]] = []
    lo = 0.0
    for k, (dest, weight) in enumerate(options):
        hi = 2.0 if k == len(options) - 1 else lo + weight / total
        rows.append((origin, grade, dest, lo, hi))
        lo = hi
    return rows


@lru_cache(maxsize=8)
def _destinations(spec: DemoSpec) -> pl.DataFrame:
    """Where a moving student goes: origin -1 for any mover, else the school finished."""
    s = spec.schools
    rows: list[tuple[object, ...]] = []
    for grade in range(min(x.low for x in s), max(x.high for x in s) + 1):
        serving = [
            (j, _per_grade(x, spec.scale)) for j, x in enumerate(s) if x.low <= grade <= x.high
        ]
        rows += _bands(-1, grade, serving)
        for i, school in enumerate(s):
            if school.high + 1 == grade:
                feeds = [(j, w) for j, w in serving if s[j].code in school.feeds]
                rows += _bands(i, grade, feeds or serving)
    columns = ("origin", "grade", "dest", "lo", "hi")
    frame = pl.DataFrame(rows, schema=columns, orient="row")
    return frame.cast({"origin": pl.Int32, "grade": pl.Int32, "dest": pl.Int32, "lo": pl.Float64})


def _plan(grade: int, n: int) -> tuple[bool, int, int]:
    """(homeroom, sections, teachers per subject): homerooms of 22 up to grade 5, then
    subject teachers with up to five sections of 27."""
    homeroom = grade <= 5
    sections = max(1, math.ceil(n / (22 if homeroom else 27)))
    return homeroom, sections, sections if homeroom else math.ceil(sections / 5)


@lru_cache(maxsize=8)
def _layout(spec: DemoSpec) -> pl.DataFrame:
    """Sections and teacher numbers per school, grade and subject; the same every year."""
    rows: list[tuple[object, ...]] = []
    for i, school in enumerate(spec.schools):
        number = 1
        for grade in range(school.low, school.high + 1):
            homeroom, sections, teachers = _plan(grade, _per_grade(school, spec.scale))
            for subject in (0, 1):
                first = number if homeroom else number + subject * teachers
                rows.append((i, grade, subject, homeroom, sections, first, teachers))
            number += teachers if homeroom else 2 * teachers
    schema = {"school": pl.Int32, "grade": pl.Int32, "subject": pl.Int32, "homeroom": pl.Boolean}
    schema |= {"sections": pl.Int64, "first": pl.Int64, "teachers": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


# --- students, year by year -------------------------------------------------------------

ROSTER = {
    "sid": pl.Int64,
    "school": pl.Int32,
    "grade": pl.Int32,
    **{flag: pl.Boolean for flag in ("female", "econ", "el", "swd", "homeless")},
    **{flag: pl.Boolean for flag in ("foster", "military", "migrant")},
    "race": pl.Int32,
    "boost": pl.Float64,  # accumulated growth beyond the norm, in SD units
}


def _race(u: pl.Expr, el: pl.Expr) -> pl.Expr:
    """Race/ethnicity index from a uniform draw; English learners are mostly Hispanic or Asian."""
    index = pl.lit(0, pl.Int32)
    cum_el = cum_other = 0.0
    for k in range(len(RACES) - 1):
        cum_el += RACE_SHARES_EL[k]
        cum_other += RACE_SHARES_OTHER[k]
        index = index + (u >= pl.when(el).then(cum_el).otherwise(cum_other)).cast(pl.Int32)
    return index


def _attributes(rng: _Rng, new: pl.DataFrame) -> pl.DataFrame:
    """Draw each new student's lasting traits, by the school they enter."""

    def u(stream: _S) -> pl.Expr:
        return rng.uniform(stream, 0, pl.col("sid"))

    econ, el = pl.col("econ"), pl.col("el")
    return (
        new.with_columns(
            econ=u(_S.ECON) < pl.col("econ_share"),
            el=u(_S.EL) < pl.col("el_share"),
            swd=u(_S.SWD) < pl.col("swd_share"),
            female=u(_S.SEX) < 0.49,
            military=u(_S.MILITARY) < 0.04,
            race_u=u(_S.RACE),
            boost=pl.lit(0.0),
        )
        .with_columns(
            homeless=u(_S.HOMELESS) < pl.when(econ).then(0.05).otherwise(0.005),
            foster=u(_S.FOSTER) < pl.when(econ).then(0.01).otherwise(0.002),
            migrant=u(_S.MIGRANT) < pl.when(el).then(0.05).otherwise(0.003),
            race=_race(pl.col("race_u"), el),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in ROSTER.items())
    )


def _fill(
    spec: DemoSpec, rng: _Rng, roster: pl.DataFrame, next_id: int
) -> tuple[pl.DataFrame, int]:
    """New students enter wherever a school's grade is below its target size."""
    have = roster.group_by("school", "grade").len()
    need = (
        _targets(spec)
        .join(have, on=["school", "grade"], how="left")
        .with_columns(need=(pl.col("target") - pl.col("len").fill_null(0)).clip(lower_bound=0))
        .sort("school", "grade")
        .with_columns(i=pl.int_ranges(0, "need"))
        .explode("i")
        .drop_nulls("i")
    )
    new = need.with_row_index("n").with_columns(sid=pl.col("n").cast(pl.Int64) + next_id)
    new = new.join(_schools(spec), on="school", how="left", maintain_order="left")
    joined = pl.concat([roster, _attributes(rng, new)]).sort("sid")
    return joined, next_id + new.height


def _advance(spec: DemoSpec, rng: _Rng, roster: pl.DataFrame, year: int) -> pl.DataFrame:
    """A year on: seniors graduate, some leave, the rest move up a grade; some change school."""
    sid = pl.col("sid")
    stays = (pl.col("grade") < 12) & (rng.uniform(_S.LEAVE, year, sid) >= 0.07)
    moved = (
        roster.filter(stays)
        .join(_schools(spec).select("school", "growth", "high"), on="school", how="left")
        .with_columns(
            grade=pl.col("grade") + 1,
            boost=pl.col("boost") + pl.col("growth") + 0.06 * rng.normal(_S.GROWTH, year, sid),
            origin=pl.when(pl.col("grade") >= pl.col("high"))
            .then(pl.col("school"))
            .when(rng.uniform(_S.MOVE, year, sid) < 0.03)
            .then(-1),
            u=rng.uniform(_S.DEST, year, sid),
        )
    )
    stay = moved.filter(pl.col("origin").is_null()).select(list(ROSTER))
    movers = moved.filter(pl.col("origin").is_not_null()).join(
        _destinations(spec), on=["origin", "grade"]
    )
    movers = movers.filter((pl.col("u") >= pl.col("lo")) & (pl.col("u") < pl.col("hi")))
    movers = movers.with_columns(school=pl.col("dest")).select(list(ROSTER))
    return pl.concat([stay, movers]).sort("sid")


def _rosters(spec: DemoSpec) -> Iterator[tuple[int, pl.DataFrame]]:
    """The district's students, one frame per school year.

    The district runs BURN_IN years before the first one written, so every student then has
    a history: feeder schools' growth, their own compositions, earlier moves.
    """
    rng = _Rng(spec.seed)
    roster = pl.DataFrame(schema=ROSTER)
    next_id = FIRST_ID
    for year in range(spec.first_year - BURN_IN, spec.first_year + spec.years):
        if len(roster):
            roster = _advance(spec, rng, roster, year)
        roster, next_id = _fill(spec, rng, roster, next_id)
        if year >= spec.first_year:
            yield year, roster


# --- one school's year: attendance, discipline, classes, results ------------------------


def _grade_bump(low_k: float, elementary: float, middle: float, high: float) -> pl.Expr:
    grade = pl.col("grade")
    return (
        pl.when(grade <= 0)
        .then(low_k)
        .when(grade <= 5)
        .then(elementary)
        .when(grade <= 8)
        .then(middle)
        .otherwise(high)
    )


def _attendance(rng: _Rng, year: int) -> list[pl.Expr]:
    """Days enrolled and the share of them missed: lognormal, higher for disadvantaged,
    low-achieving and older students; students not there all year enrolled late."""
    sid = pl.col("sid")
    z = 0.75 * rng.normal(_S.ABSENCE, 0, sid) + 0.66 * rng.normal(_S.ABSENCE_YEAR, year, sid)
    log_rate = (
        math.log(0.032)
        + 0.7 * z
        + 0.35 * pl.col("econ")
        + 0.25 * pl.col("swd")
        + 0.45 * pl.col("homeless")
        + 0.3 * pl.col("foster")
        + _grade_bump(0.15, 0.0, 0.15, 0.3)
        - 0.25 * pl.col("ability")
    )
    late = (20 + rng.uniform(_S.DAYS, year, sid) * 100).floor().cast(pl.Int64)
    enrolled = pl.when(pl.col("fay_school")).then(DAYS).otherwise(DAYS - late)
    return [
        enrolled.alias("days_enrolled"),
        log_rate.exp().clip(upper_bound=0.85).alias("absence"),
    ]


def _poisson(frame: pl.DataFrame, u: str, rate: str, out: str, terms: int = 15) -> pl.DataFrame:
    """Add a Poisson draw by inverting the distribution function, one term at a time."""
    frame = frame.with_columns(_p=(-pl.col(rate)).exp(), **{out: pl.lit(0, pl.Int64)})
    frame = frame.with_columns(_cdf=pl.col("_p"))
    for k in range(1, terms):
        frame = frame.with_columns(
            (pl.col(out) + (pl.col(u) >= pl.col("_cdf")).cast(pl.Int64)).alias(out),
            _p=pl.col("_p") * pl.col(rate) / k,
        ).with_columns(_cdf=pl.col("_cdf") + pl.col("_p"))
    return frame.drop("_p", "_cdf")


def _consequences(rng: _Rng, year: int, frame: pl.DataFrame, most: int = 8) -> pl.DataFrame:
    """Each incident (up to most) brings an in-school (30%) or out-of-school (12%) suspension."""
    frame = frame.with_columns(iss=pl.lit(0, pl.Int64), oss=pl.lit(0, pl.Int64))
    happened, v = pl.col("incidents"), pl.col("_v")
    for k in range(most):
        frame = frame.with_columns(_v=rng.uniform(_S.CONSEQUENCE, year * 16 + k, pl.col("sid")))
        frame = frame.with_columns(
            iss=pl.col("iss") + ((happened > k) & (v < 0.3)).cast(pl.Int64),
            oss=pl.col("oss") + ((happened > k) & (v >= 0.3) & (v < 0.42)).cast(pl.Int64),
        )
    return frame.drop("_v")


def _discipline(rng: _Rng, year: int, frame: pl.DataFrame) -> pl.DataFrame:
    """Incidents, Poisson with a rate that rises with absence."""
    rate = (
        0.1
        * (
            2.5 * pl.col("absence")
            + 0.5 * ~pl.col("female")
            + 0.45 * pl.col("swd")
            + 0.25 * pl.col("econ")
            + _grade_bump(-0.8, -0.6, 0.4, 0.2)
            - 0.2 * pl.col("ability")
        ).exp()
    )
    frame = frame.with_columns(_rate=rate, _u=rng.uniform(_S.INCIDENTS, year, pl.col("sid")))
    frame = _poisson(frame, "_u", "_rate", "incidents").drop("_rate", "_u")
    return _consequences(rng, year, frame)


def _student_year(spec: DemoSpec, rng: _Rng, part: pl.DataFrame, year: int) -> pl.DataFrame:
    """One school's students in one year, with their codes, FAY flags, attendance, discipline."""
    sid = pl.col("sid")
    codes = {i: school.code for i, school in enumerate(spec.schools)}
    fay = rng.uniform(_S.FAY, year, sid)
    frame = part.with_columns(
        ability=rng.normal(_S.ABILITY, 0, sid),
        fay_school=fay >= 0.05,
        fay_district=fay >= 0.03,
        school_code=pl.col("school").replace_strict(codes, return_dtype=pl.String),
        grade_label=pl.col("grade").replace_strict(GRADE_LABELS, return_dtype=pl.String),
        year_label=pl.lit(f"{year}-{(year + 1) % 100:02d}"),
    )
    frame = frame.with_columns(_attendance(rng, year))
    frame = frame.with_columns(
        days_present=(pl.col("days_enrolled") * (1 - pl.col("absence"))).round().cast(pl.Int64)
    )
    return _discipline(rng, year, frame)


def _sections(spec: DemoSpec, rng: _Rng, frame: pl.DataFrame, year: int) -> pl.DataFrame:
    """One row per student and subject with the class and teacher; homerooms share both."""
    subjects = pl.DataFrame({"subject": [0, 1]}, schema={"subject": pl.Int32})
    linked = frame.join(subjects, how="cross").join(
        _layout(spec), on=["school", "grade", "subject"], how="left"
    )
    key = pl.when(pl.col("homeroom")).then(2).otherwise(pl.col("subject"))
    linked = linked.with_columns(draw=rng.uniform(_S.SECTION, year, pl.col("sid"), key))
    group = ["grade", "subject"]
    rank = pl.col("draw").rank("ordinal").over(group).cast(pl.Int64) - 1
    section = rank * pl.col("sections") // pl.len().over(group)
    linked = linked.with_columns(section=section)
    teacher = pl.col("first") + pl.col("section") * pl.col("teachers") // pl.col("sections")
    return linked.with_columns(teacher=teacher)


def _teachers(rng: _Rng) -> list[pl.Expr]:
    """Teacher id, fictional name and effect (SD 0.15), all fixed by school and number."""
    school, number = pl.col("school"), pl.col("teacher")
    first = (rng.uniform(_S.FIRST_NAME, 0, school, number) * len(FIRST_NAMES)).cast(pl.Int64)
    last = (rng.uniform(_S.LAST_NAME, 0, school, number) * len(LAST_NAMES)).cast(pl.Int64)
    return [
        pl.format("T{}-{}", pl.col("school_code"), number.cast(pl.String).str.zfill(2)).alias(
            "teacher_id"
        ),
        pl.format(
            "{}, {}",
            last.replace_strict(dict(enumerate(LAST_NAMES)), return_dtype=pl.String),
            first.replace_strict(dict(enumerate(FIRST_NAMES)), return_dtype=pl.String),
        ).alias("teacher_name"),
        (0.15 * rng.normal(_S.TEACHER, 0, school, number, pl.col("subject"))).alias(
            "teacher_effect"
        ),
    ]


def _class_rows(linked: pl.DataFrame) -> pl.DataFrame:
    tag = pl.when(pl.col("homeroom")).then(pl.lit("HR")).otherwise(pl.col("subject_label"))
    section_id = pl.format(
        "{}-{}-{}-{}",
        pl.col("school_code"),
        tag.str.to_uppercase(),
        pl.col("grade_label"),
        (pl.col("section") + 1).cast(pl.String).str.zfill(2),
    )
    return linked.select(
        pl.col("sid").alias("StudentID"),
        pl.col("year_label").alias("SchoolYear"),
        pl.col("school_code").alias("SchoolCode"),
        pl.col("subject_label").alias("Subject"),
        section_id.alias("SectionID"),
        pl.col("teacher_id").alias("TeacherID"),
        pl.col("teacher_name").alias("TeacherName"),
    )


def _theta(rng: _Rng, year: int) -> pl.Expr:
    """Achievement in SD units of the grade's scores."""
    sid, subject = pl.col("sid"), pl.col("subject")
    race_gap = pl.col("race").replace_strict(dict(enumerate(RACE_GAPS)), return_dtype=pl.Float64)
    gaps = (
        GAPS["econ"] * pl.col("econ")
        + GAPS["el"] * pl.col("el")
        + GAPS["swd"] * pl.col("swd")
        + race_gap
    )
    female_gap = pl.col("subject").replace_strict(FEMALE_GAPS, return_dtype=pl.Float64)
    return (
        pl.col("effect")
        + pl.col("gap_scale") * gaps
        + 0.8 * pl.col("ability")
        + 0.45 * rng.normal(_S.SUBJECT_ABILITY, 0, sid, subject)
        + female_gap * pl.col("female")
        + pl.col("boost")
        + pl.col("teacher_effect")
        - 1.0 * pl.col("absence")
        + 0.35 * rng.normal(_S.NOISE, year, sid, subject)
    )


def _grade_table() -> pl.DataFrame:
    """Each tested grade's mean scale score and its level 2–4 cut scores."""
    rows = []
    for grade, shift in CUT_SHIFT.items():
        mean = 415 + 12 * (grade - 3)
        rows.append((grade, mean, *(round(mean + SCORE_SD * (c + shift)) for c in CUTS)))
    schema = ["grade", "mean", *CUT_COLUMNS]
    return pl.DataFrame(rows, schema=schema, orient="row").cast({"grade": pl.Int32})


def _scores(rng: _Rng, year: int, linked: pl.DataFrame) -> pl.DataFrame:
    """Scale scores (300–600) and performance levels; about 2% not tested."""
    scored = linked.join(_grade_table(), on="grade", how="left").with_columns(
        theta=_theta(rng, year),
        tested=rng.uniform(_S.NOT_TESTED, year, pl.col("sid"), pl.col("subject")) >= 0.02,
    )
    score = (pl.col("mean") + SCORE_SD * pl.col("theta")).round().clip(300, 600).cast(pl.Int64)
    scored = scored.with_columns(score=pl.when(pl.col("tested")).then(score))
    level = pl.sum_horizontal((pl.col("score") >= pl.col(c)).cast(pl.Int64) for c in CUT_COLUMNS)
    labels = dict(enumerate(LEVELS))
    return scored.with_columns(
        level=pl.when(pl.col("tested"))
        .then(level.replace_strict(labels, return_dtype=pl.String))
        .otherwise(pl.lit(NOT_TESTED))
    )


def _yes(name: str) -> pl.Expr:
    return pl.when(pl.col(name)).then(pl.lit("Y")).otherwise(pl.lit("N"))


def _assessment_rows(linked: pl.DataFrame) -> pl.DataFrame:
    race = pl.col("race").replace_strict(dict(enumerate(RACES)), return_dtype=pl.String)
    return linked.sort("sid", "subject").select(
        pl.col("sid").alias("StudentID"),
        pl.col("year_label").alias("SchoolYear"),
        pl.col("school_code").alias("SchoolCode"),
        pl.col("grade_label").alias("Grade"),
        pl.when(pl.col("female")).then(pl.lit("Female")).otherwise(pl.lit("Male")).alias("Gender"),
        race.alias("RaceEthnicity"),
        *(_yes(flag).alias(name) for flag, name in FLAGS.items()),
        pl.lit("State Assessment").alias("TestName"),
        pl.lit("Spring").alias("Window"),
        pl.col("subject_label").alias("Subject"),
        pl.col("grade_label").alias("GradeTested"),
        pl.col("score").alias("ScaleScore"),
        pl.col("level").alias("PerformanceLevel"),
    )


def _linked(spec: DemoSpec, rng: _Rng, frame: pl.DataFrame, year: int) -> pl.DataFrame:
    labels = dict(enumerate(SUBJECTS))
    linked = _sections(spec, rng, frame, year).with_columns(
        subject_label=pl.col("subject").replace_strict(labels, return_dtype=pl.String)
    )
    return linked.with_columns(_teachers(rng)).join(
        _schools(spec).select("school", "effect", "gap_scale"), on="school", how="left"
    )


def _batches(spec: DemoSpec) -> Iterator[tuple[int, pl.DataFrame]]:
    """(year, one school's student-year frame), school by school, year by year."""
    rng = _Rng(spec.seed)
    for year, roster in _rosters(spec):
        for i in range(len(spec.schools)):
            part = roster.filter(pl.col("school") == i)
            if part.height:
                yield year, _student_year(spec, rng, part, year)


def _tested(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("grade").is_in(TESTED_GRADES))


def assessment_rows(spec: DemoSpec) -> Iterator[pl.DataFrame]:
    """The assessments file in batches, one per school and year, without holding it all."""
    rng = _Rng(spec.seed)
    for year, frame in _batches(spec):
        tested = _tested(frame)
        if tested.height:
            yield _assessment_rows(_scores(rng, year, _linked(spec, rng, tested, year)))


def _tables(spec: DemoSpec, rng: _Rng, frame: pl.DataFrame, year: int) -> dict[str, pl.DataFrame]:
    linked = _linked(spec, rng, frame, year)
    key = [pl.col("sid").alias("StudentID"), pl.col("year_label").alias("SchoolYear")]
    key.append(pl.col("school_code").alias("SchoolCode"))
    days = [pl.col("days_enrolled").alias("DaysEnrolled")]
    days.append(pl.col("days_present").alias("DaysPresent"))
    return {
        "assessments": _assessment_rows(_scores(rng, year, _tested(linked))),
        "attendance": frame.select(*key, *days),
        "discipline": frame.select(
            *key,
            pl.col("incidents").alias("Incidents"),
            pl.col("iss").alias("ISS"),
            pl.col("oss").alias("OSS"),
        ),
        "classes": _class_rows(linked.sort("sid", "subject")),
    }


def generate(spec: DemoSpec, directory: Path) -> dict[str, Path]:
    """Write the four CSV files (UTF-8) into directory; return their paths by kind."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = {kind: directory / f"{kind}.csv" for kind in COLUMNS}
    rng = _Rng(spec.seed)
    with ExitStack() as stack:
        files = {kind: stack.enter_context(path.open("wb")) for kind, path in paths.items()}
        for kind, handle in files.items():
            handle.write((",".join(COLUMNS[kind]) + "\n").encode())
        for year, frame in _batches(spec):
            for kind, table in _tables(spec, rng, frame, year).items():
                table.write_csv(files[kind], include_header=False)
    return paths
