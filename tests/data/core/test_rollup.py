"""rollup.network(): a network's cells checked against the same figures worked out by hand
from the raw rows of all its districts counted together (plain Python, no metrics code),
and against metrics.compute run once over the concatenated rows."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from headway.data.core.aggregates import SCHEMA
from headway.data.core.metrics import compute
from headway.data.core.rollup import network, network_parents
from headway.data.core.schema import Kind
from headway.data.core.validate import table_schema

Z = 1.959964
Row = dict[str, Any]
CELL = ["school_year", "subject", "grade", "group_type", "group_value", "metric"]
NUMBERS = ["value", "ci_low", "ci_high", "se"]
PROFICIENT = ("Meets", "Exceeds")


# --- districts as students and their rows ---------------------------------------------------


@dataclass(frozen=True)
class Pupil:
    """One student-year of a district and every row the district's files hold for them."""

    student_id: str
    school: str
    grade: str
    race: str | None = None
    sex: str | None = None
    econ: bool | None = None
    year: int = 2023
    listed: bool = True  # has a students-table row (else counted in "all" only)
    # subject, scale score, performance level, tested
    results: tuple[tuple[str, float | None, str | None, bool], ...] = ()
    attendance: tuple[tuple[str, float, float], ...] = ()  # school, days enrolled, present
    discipline: tuple[tuple[str, int | None, int | None], ...] = ()  # school, ISS, OSS


@dataclass(frozen=True)
class District:
    code: str
    pupils: tuple[Pupil, ...] = field(default_factory=tuple)


def table(kind: Kind, rows: list[Row]) -> pl.LazyFrame:
    schema = table_schema(kind)
    full = [{**dict.fromkeys(schema), **row} for row in rows]
    return pl.DataFrame(full, schema=schema, orient="row").lazy()


RESULT_COLUMNS = (
    "school_code",
    "subject",
    "grade_tested",
    "scale_score",
    "performance_level",
    "tested",
    "proficient",
)


def rows_of(p: Pupil) -> Iterable[tuple[Kind, Row]]:
    """The student's rows in each canonical table."""
    base: Row = {"student_id": p.student_id, "school_year": p.year}
    if p.listed:
        groups = {"race_ethnicity": p.race, "sex": p.sex, "econ_disadvantaged": p.econ}
        yield Kind.STUDENTS, base | {"school_code": p.school, "grade": p.grade} | groups
    for subject, score, level, tested in p.results:
        proficient = None if level is None else level in PROFICIENT
        values = (p.school, subject, p.grade, score, level, tested, proficient)
        yield Kind.RESULTS, base | dict(zip(RESULT_COLUMNS, values, strict=True))
    for school, enrolled, present in p.attendance:
        absent = (enrolled - present) / enrolled >= 0.10 if enrolled else None
        days = {"days_enrolled": enrolled, "days_present": present, "chronically_absent": absent}
        yield Kind.ATTENDANCE, base | {"school_code": school} | days
    for school, iss, oss in p.discipline:
        counts = {"in_school_suspensions": iss, "out_of_school_suspensions": oss}
        yield Kind.DISCIPLINE, base | {"school_code": school} | counts


def computed(pupils: Iterable[Pupil], code: str) -> pl.DataFrame:
    """metrics.compute over these students' rows, as district ``code``."""
    rows: dict[Kind, list[Row]] = defaultdict(list)
    for p in pupils:
        for kind, row in rows_of(p):
            rows[kind].append(row)
    kinds = (Kind.STUDENTS, Kind.RESULTS, Kind.ATTENDANCE, Kind.DISCIPLINE)
    students, results, attendance, discipline = (table(kind, rows[kind]) for kind in kinds)
    return compute(students, results, attendance, discipline, district_code=code)


def district_tables(districts: Sequence[District]) -> list[pl.DataFrame]:
    return [computed(d.pupils, d.code) for d in districts]


# --- the oracle: every network cell from the raw rows of all districts -------------------


def memberships(p: Pupil) -> list[tuple[str, str]]:
    groups = [("all", "all")]
    if not p.listed:
        return groups
    if p.race not in (None, "NR"):
        groups.append(("race_ethnicity", str(p.race)))
    if p.sex is not None:
        groups.append(("sex", p.sex))
    if p.econ is not None:
        groups.append(("econ_disadvantaged", "true" if p.econ else "false"))
    return groups


def cells(p: Pupil, subject: str, grade: str | None) -> Iterable[tuple[Any, ...]]:
    for g in (grade, "all"):
        if g is not None:
            for group in memberships(p):
                yield (p.year, subject, g, *group)


def chronic(p: Pupil) -> bool | None:
    """All the student's days in their district together, as the district counts them."""
    enrolled = sum(days for _, days, _ in p.attendance)
    present = sum(days for _, _, days in p.attendance)
    return (enrolled - present) / enrolled >= 0.10 if enrolled else None


def suspended(p: Pupil) -> bool | None:
    known = [(i or 0) + (o or 0) for _, i, o in p.discipline if i is not None or o is not None]
    return sum(known) >= 1 if known else None


def wilson_bounds(count: int, n: int) -> tuple[float, float]:
    """The roots of (p̂ − p)² = z²·p(1 − p)/n in p."""
    p_hat = count / n
    a, b, c = 1 + Z * Z / n, -(2 * p_hat + Z * Z / n), p_hat * p_hat
    root = math.sqrt(b * b - 4 * a * c)
    return max(0.0, (-b - root) / (2 * a)), min(1.0, (-b + root) / (2 * a))


def rate(key: tuple[Any, ...], metric: str, outcomes: list[bool | None]) -> Row | None:
    known = [o for o in outcomes if o is not None]
    if not known:
        return None
    n, count = len(known), sum(known)
    p = count / n
    low, high = wilson_bounds(count, n)
    numbers = {"value": p, "ci_low": low, "ci_high": high, "se": math.sqrt(p * (1 - p) / n)}
    return dict(zip(CELL, (*key, metric), strict=True)) | {"n": n, "count": count} | numbers


def mean(key: tuple[Any, ...], scores: list[float]) -> Row | None:
    if not scores:
        return None
    m = statistics.fmean(scores)
    se = statistics.stdev(scores) / math.sqrt(len(scores)) if len(scores) > 1 else None
    low, high = (None, None) if se is None else (m - Z * se, m + Z * se)
    numbers = {"value": m, "ci_low": low, "ci_high": high, "se": se}
    row = dict(zip(CELL, (*key, "mean_scale_score"), strict=True))
    return row | {"n": len(scores), "count": None} | numbers


def result_rows(results: dict[tuple[Any, ...], list[Row]]) -> Iterable[Row | None]:
    levels: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for key, rows in results.items():
        levels[key[:2]] |= {r["level"] for r in rows if r["level"] is not None}
    for key, rows in results.items():
        yield rate(key, "participation_rate", [r["tested"] for r in rows])
        yield rate(key, "proficiency_rate", [r["proficient"] for r in rows])
        yield mean(key, [r["score"] for r in rows if r["score"] is not None])
        leveled = [r["level"] for r in rows if r["level"] is not None]
        for level in levels[key[:2]]:
            yield rate(key, f"level_share:{level}", [lv == level for lv in leveled])


def oracle(districts: Sequence[District]) -> pl.DataFrame:
    """The network's cells, as if every district's students had been counted together."""
    results: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    outcomes: dict[tuple[Any, ...], list[bool | None]] = defaultdict(list)
    for p in (p for d in districts for p in d.pupils):
        for subject, score, level, tested in p.results:
            proficient = None if level is None else level in PROFICIENT
            row = {"score": score, "level": level, "tested": tested, "proficient": proficient}
            for key in cells(p, subject, p.grade):
                results[key].append(row)
        grade = p.grade if p.listed else None
        for metric, rows, outcome in (
            ("chronic_absence_rate", p.attendance, chronic),
            ("suspension_rate", p.discipline, suspended),
        ):
            if rows:
                for key in cells(p, "all", grade):
                    outcomes[(*key, metric)].append(outcome(p))
    found = list(result_rows(results))
    found += [rate(key[:-1], key[-1], values) for key, values in outcomes.items()]
    expected = [{"org_code": "NET", "org_level": "network", **r} for r in found if r]
    return pl.DataFrame(expected, schema=SCHEMA).sort(CELL)


def assert_same_cells(got: pl.DataFrame, want: pl.DataFrame) -> None:
    got, want = got.sort(CELL), want.sort(CELL)
    assert got.select(CELL).to_dicts() == want.select(CELL).to_dicts()
    assert got.select("n", "count").to_dicts() == want.select("n", "count").to_dicts()
    for column in NUMBERS:
        pairs = zip(got.get_column(column), want.get_column(column), strict=True)
        for g, w in pairs:
            assert (g is None) == (w is None), column
            assert w is None or g == pytest.approx(w, rel=1e-9, abs=1e-12), column


# --- three small districts ------------------------------------------------------------------
# N1 reaches "Exceeds" in math, N2 never does (its share there is an explicit 0 of its test
# takers); N2 has no Hispanic students and no ELA; N3 has one math score (a mean without se),
# a student with no students row, and a student who moved between its schools.

M, E = "math", "ela"
N1 = District(
    "N1",
    (
        Pupil(
            "a1",
            "N1A",
            "04",
            "HI",
            "F",
            True,
            results=((M, 520, "Exceeds", True),),
            attendance=(("N1A", 170, 150),),
        ),
        Pupil(
            "a2",
            "N1A",
            "04",
            "WH",
            "M",
            False,
            results=((M, 480, "Meets", True),),
            attendance=(("N1A", 170, 165),),
        ),
        Pupil("a3", "N1A", "05", "HI", "M", True, results=((M, None, None, False),)),
        Pupil(
            "a4",
            "N1B",
            "05",
            "NR",
            "F",
            None,
            results=((M, 455, "Below", True),),
            discipline=(("N1B", 1, 0),),
        ),
        Pupil(
            "a5",
            "N1B",
            "04",
            "BL",
            "F",
            True,
            results=((E, 500, "Meets", True),),
            discipline=(("N1B", 0, None),),
        ),
        Pupil("a6", "N1B", "04", "HI", "F", True, year=2024, results=((M, 505, "Meets", True),)),
    ),
)
N2 = District(
    "N2",
    (
        Pupil("b1", "N2A", "04", "WH", "F", True, results=((M, 470, "Meets", True),)),
        Pupil("b2", "N2A", "04", "BL", "M", False, results=((M, 430, "Below", True),)),
        Pupil("b3", "N2A", "05", "WH", "M", None, results=((M, 462, "Below", True),)),
        Pupil("b4", "N2A", "05", "BL", "F", True, attendance=(("N2A", 100, 80),)),
        Pupil("b5", "N2A", "04", "WH", "F", False, discipline=(("N2A", None, None),)),
        Pupil("b6", "N2A", "04", "BL", "M", True, year=2024, results=((M, 490, "Meets", True),)),
    ),
)
N3 = District(
    "N3",
    (
        Pupil("c1", "N3A", "04", "HI", "M", False, results=((M, 510, "Meets", True),)),
        Pupil("c2", "N3A", "05", "WH", "F", True, listed=False, results=((E, 440, "Below", True),)),
        Pupil(
            "c3",
            "N3A",
            "05",
            "HI",
            "F",
            True,
            attendance=(("N3A", 100, 85), ("N3B", 80, 80)),  # 15 % absent at A, 8.3 % in N3
            discipline=(("N3A", 0, 0), ("N3B", 0, 2)),
        ),
    ),
)
NETWORK = (N1, N2, N3)


def test_it_counts_the_districts_students_together() -> None:
    got = network(district_tables(NETWORK), network_code="NET")
    want = oracle(NETWORK)
    assert want.height > 100
    assert_same_cells(got, want)


def test_it_matches_metrics_over_the_concatenated_rows() -> None:
    together = computed([p for d in NETWORK for p in d.pupils], "NET")
    want = together.filter(org_level="district").with_columns(org_level=pl.lit("network"))
    got = network(district_tables(NETWORK), network_code="NET")
    assert_same_cells(got, want)


# --- shapes and edges -----------------------------------------------------------------------


def share(out: pl.DataFrame, metric: str, **key: object) -> Row:
    wanted = {"subject": "math", "grade": "all", "group_type": "all", "group_value": "all"}
    rows = out.filter(pl.col("metric") == metric, **(wanted | key)).to_dicts()
    assert len(rows) == 1, (metric, key, rows)
    return rows[0]


def test_a_level_one_district_never_saw_divides_by_all_test_takers() -> None:
    out = network(district_tables([N1, N2]), network_code="NET")
    exceeds = share(out, "level_share:Exceeds", school_year=2023)
    assert (exceeds["n"], exceeds["count"]) == (6, 1)  # a1 of a1, a2, a4 and b1, b2, b3


def test_a_district_without_a_group_adds_nothing_to_it() -> None:
    both = network(district_tables([N1, N2]), network_code="NET")
    alone = network(district_tables([N1]), network_code="NET")
    hispanic = pl.col("group_value") == "HI"
    assert both.filter(hispanic).equals(alone.filter(hispanic))
    ela = pl.col("subject") == "ela"
    assert both.filter(ela).equals(alone.filter(ela))


def test_it_ignores_extra_columns_and_school_rows() -> None:
    plain = district_tables(NETWORK)
    marked = [
        frame.with_columns(
            suppressed=pl.lit(True), reason=pl.lit("MIN_N"), display=pl.lit("n<10")
        ).select("display", *SCHEMA, "suppressed", "reason")
        for frame in plain
    ]
    only_district = [frame.filter(org_level="district") for frame in plain]
    expected = network(plain, network_code="NET")
    assert network(marked, network_code="NET").equals(expected)
    assert network(only_district, network_code="NET").equals(expected)


def test_output_is_the_network_in_the_aggregate_schema_sorted() -> None:
    out = network(district_tables(NETWORK), network_code="NET")
    assert out.schema == pl.Schema(SCHEMA)
    assert set(out.get_column("org_code")) == {"NET"}
    assert set(out.get_column("org_level")) == {"network"}
    order = ["org_level", "org_code", "school_year", "subject", "grade"]
    assert out.equals(out.sort([*order, "group_type", "group_value", "metric"]))
    assert not out.select(CELL).is_duplicated().any()


def test_without_districts_the_table_is_empty() -> None:
    for given_tables in ([], [computed([], "N1")]):
        out = network(given_tables, network_code="NET")
        assert out.is_empty() and out.schema == pl.Schema(SCHEMA)


def mean_cell(code: str, n: int, value: float, se: float | None) -> pl.DataFrame:
    row = {"org_code": code, "org_level": "district", "school_year": 2023, "subject": "math"}
    row |= {"grade": "all", "group_type": "all", "group_value": "all"}
    row |= {"metric": "mean_scale_score", "n": n, "count": None, "value": value, "se": se}
    return pl.DataFrame([row | {"ci_low": None, "ci_high": None}], schema=SCHEMA)


def test_a_single_score_has_no_se_but_still_counts_in_the_spread() -> None:
    one = mean_cell("A", 1, 530.0, None)
    two = mean_cell("B", 2, 500.0, statistics.stdev([480, 520]) / math.sqrt(2))
    got = network([one, two], network_code="NET").row(0, named=True)
    se = statistics.stdev([530, 480, 520]) / math.sqrt(3)
    assert (got["n"], got["count"]) == (3, None)
    assert got["value"] == pytest.approx(510.0, rel=1e-12)
    assert got["se"] == pytest.approx(se, rel=1e-9)
    assert (got["ci_low"], got["ci_high"]) == pytest.approx((510 - Z * se, 510 + Z * se))
    alone = network([one], network_code="NET").row(0, named=True)
    assert (alone["n"], alone["se"], alone["ci_low"]) == (1, None, None)


def test_a_lost_spread_gives_no_se_rather_than_a_wrong_one() -> None:
    frames = [mean_cell("A", 3, 490.0, None), mean_cell("B", 2, 500.0, 20.0)]
    got = network(frames, network_code="NET").row(0, named=True)
    assert (got["n"], got["value"]) == (5, pytest.approx(494.0))
    assert (got["se"], got["ci_low"], got["ci_high"]) == (None, None, None)


def test_a_student_in_two_districts_counts_twice() -> None:
    """The documented limitation: the tables hold no ids, so a mover cannot be merged."""
    moved = [
        District("N1", (Pupil("x", "N1A", "04", listed=False, attendance=(("N1A", 90, 70),)),)),
        District("N2", (Pupil("x", "N2A", "04", listed=False, attendance=(("N2A", 90, 90),)),)),
    ]
    out = network(district_tables(moved), network_code="NET")
    rolled = share(out, "chronic_absence_rate", subject="all")
    assert (rolled["n"], rolled["count"]) == (2, 1)  # 22 % absent in N1, 0 % in N2
    # Counted together: one student, 20 of 180 days absent (11 %), so 1 of 1.
    together = computed([p for d in moved for p in d.pupils], "NET")
    merged = share(together, "chronic_absence_rate", subject="all", org_level="district")
    assert (merged["n"], merged["count"]) == (1, 1)


def test_it_refuses_a_district_given_twice() -> None:
    with pytest.raises(ValueError, match="N1 given twice"):
        network(district_tables([N1, N1]), network_code="NET")


def test_network_parents_maps_every_district_to_the_network() -> None:
    assert network_parents(["N1", "N2"], "NET") == {"N1": "NET", "N2": "NET"}
    assert network_parents([], "NET") == {}


# --- random districts -----------------------------------------------------------------------

LEVELS = ("Below", "Meets", "Exceeds")


@st.composite
def pupils(draw: st.DrawFn, code: str, index: int, levels: list[str]) -> Pupil:
    school = draw(st.sampled_from([f"{code}A", f"{code}B"]))
    tested = st.booleans()
    result = st.tuples(
        st.sampled_from([M, E]),
        st.none() | st.integers(300, 700).map(float),
        st.none() | st.sampled_from(levels),
        tested,
    ).map(lambda r: r if r[3] else (r[0], None, None, False))
    days = st.integers(0, 180).flatmap(
        lambda enrolled: st.tuples(st.just(float(enrolled)), st.integers(0, enrolled).map(float))
    )
    suspensions = st.none() | st.integers(0, 2)
    return Pupil(
        f"{code}-{index}",
        school,
        draw(st.sampled_from(["03", "04"])),
        draw(st.sampled_from(["HI", "WH", "NR", None])),
        draw(st.sampled_from(["F", "M", None])),
        draw(st.sampled_from([True, False, None])),
        year=draw(st.sampled_from([2023, 2024])),
        listed=draw(st.booleans()),
        results=tuple(draw(st.lists(result, max_size=2, unique_by=lambda r: r[0]))),
        attendance=tuple(
            (school, *d) for d in draw(st.lists(days, max_size=2))
        ),  # one school: enough here
        discipline=tuple(
            (school, i, o)
            for i, o in draw(st.lists(st.tuples(suspensions, suspensions), max_size=2))
        ),
    )


@st.composite
def districts(draw: st.DrawFn) -> list[District]:
    count = draw(st.integers(1, 3))
    made = []
    for d in range(count):
        code = f"D{d}"
        size = draw(st.integers(0, 6))
        levels = draw(st.lists(st.sampled_from(LEVELS), min_size=1, unique=True))  # its own
        made.append(District(code, tuple(draw(pupils(code, i, levels)) for i in range(size))))
    return made


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(districts())
def test_random_networks_count_their_students_together(network_districts: list[District]) -> None:
    got = network(district_tables(network_districts), network_code="NET")
    assert_same_cells(got, oracle(network_districts))
