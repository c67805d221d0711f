"""metrics.compute(): every cell of the aggregate cube, checked against numbers worked out
independently: by hand for a small district, by a plain-Python oracle over the same rows,
and directly from the raw columns of a real state assessment file."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from headway.data.core.aggregates import SCHEMA
from headway.data.core.mapping import propose
from headway.data.core.metrics import DEFAULT, Combo, Options, compute, wilson
from headway.data.core.schema import Kind
from headway.data.core.validate import normalize, table_schema

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
SGP_LONG = SHARED / "sgpdata" / "sgpData_LONG.csv.gz"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared real data folder {SHARED} is absent"
)

Z = 1.959964
KEY = ["org_code", "org_level", "school_year", "subject", "grade", "group_type", "group_value"]
FLAG_NAMES = (
    "econ_disadvantaged",
    "disability",
    "english_learner",
    "homeless",
    "foster_care",
    "military_connected",
    "migrant",
    "gifted",
)
Row = dict[str, Any]
DISTRICTS = ("D", "DEMO")  # the small district's code and the real file's


# --- the small district ---------------------------------------------------------------------
# Year 2023, schools A and B of district D. s4 has race "not reported"; s3 has null flags;
# s2 does not count for school A, s5 not for the district; s7 has results but no students row.

STUDENTS: list[Row] = [
    # student, school, grade, race, sex, econ, EL, SWD, counts for school, for district
    *(
        dict(
            zip(
                (
                    "student_id",
                    "school_code",
                    "grade",
                    "race_ethnicity",
                    "sex",
                    "econ_disadvantaged",
                    "english_learner",
                    "disability",
                    "counts_for_school",
                    "counts_for_district",
                ),
                values,
                strict=True,
            )
        )
        for values in (
            ("s1", "A", "05", "HI", "F", True, True, True, True, True),
            ("s2", "A", "05", "WH", "M", False, True, False, False, True),
            ("s3", "A", "05", "HI", "F", True, False, None, None, None),
            ("s4", "A", "05", "NR", "M", None, False, False, True, True),
            ("s5", "A", "05", "BL", "X", True, False, False, True, False),
            ("s6", "B", "04", "WH", "F", False, False, False, True, True),
        )
    )
]
RESULT_COLUMNS = (
    "student_id",
    "school_code",
    "subject",
    "grade_tested",
    "scale_score",
    "performance_level",
    "tested",
    "proficient",
)
RESULTS: list[Row] = [
    dict(zip(RESULT_COLUMNS, values, strict=True))
    for values in (
        ("s1", "A", "math", "05", 500.0, "Meets", True, True),
        ("s2", "A", "math", "05", 480.0, "Approaching", True, False),
        ("s3", "A", "math", "05", 520.0, "Exceeds", True, True),
        ("s4", "A", "math", "05", None, None, False, None),
        ("s5", "A", "math", "05", 540.0, "Exceeds", True, True),
        ("s6", "B", "math", "04", 450.0, "Did Not Meet", True, False),
        ("s7", "B", "math", "04", 470.0, "Meets", True, True),
        ("s1", "A", "ela", "05", 510.0, "Meets", True, True),
    )
]
ATTENDANCE: list[Row] = [
    dict(zip(("student_id", "school_code", "days_enrolled", "days_present"), v, strict=True))
    for v in (
        ("s1", "A", 100.0, 85.0),  # 15 % absent at A
        ("s1", "B", 80.0, 80.0),  # … but 15 of 180 days (8.3 %) in the district
        ("s2", "A", 170.0, 160.0),
        ("s3", "A", 0.0, 0.0),  # no days: no rate
        ("s5", "A", 100.0, 89.0),
        ("s6", "B", 100.0, 95.0),
    )
]
DISCIPLINE: list[Row] = [
    dict(
        zip(
            ("student_id", "school_code", "in_school_suspensions", "out_of_school_suspensions"),
            v,
            strict=True,
        )
    )
    for v in (
        ("s1", "A", 1, 0),
        ("s1", "B", 0, 0),
        ("s2", "A", None, None),  # suspensions unknown: not in n
        ("s3", "A", 0, None),
        ("s5", "A", 0, 2),
        ("s6", "B", 0, 0),
    )
]
EL_SWD = Combo("EL with disabilities", {"english_learner": True, "disability": True})
NEITHER = Combo("neither EL nor SWD", {"english_learner": False, "disability": False})


def canonical(kind: Kind, rows: list[Row]) -> pl.LazyFrame:
    """A canonical table: every column of the kind, the ones a row leaves out null."""
    schema = table_schema(kind)
    full = [{**dict.fromkeys(schema), "school_year": 2023, **row} for row in rows]
    if kind == Kind.ATTENDANCE:
        for row in full:
            enrolled, present = row["days_enrolled"], row["days_present"]
            absent = (enrolled - present) / enrolled >= 0.10 if enrolled else None
            row["chronically_absent"] = absent
    return pl.DataFrame(full, schema=schema, orient="row").lazy()


def run(options: Options = DEFAULT, **tables: list[Row] | None) -> pl.DataFrame:
    given = {"results": RESULTS, "attendance": ATTENDANCE, "discipline": DISCIPLINE, **tables}
    frames = {
        name: None if rows is None else canonical(Kind(name), rows) for name, rows in given.items()
    }
    return compute(
        canonical(Kind.STUDENTS, STUDENTS),
        frames["results"],
        frames["attendance"],
        frames["discipline"],
        district_code="D",
        options=options,
    )


def cell(out: pl.DataFrame, metric: str, **key: object) -> Row:
    """The one output row of a metric in a cell; defaults: district D, all grades, all."""
    wanted: dict[str, object] = {"org_code": "D", "subject": "math", "grade": "all"}
    wanted |= {"group_type": "all", "group_value": "all", **key}
    wanted["org_level"] = "district" if wanted["org_code"] in DISTRICTS else "school"
    rows = out.filter(pl.col("metric") == metric, **wanted).to_dicts()
    assert len(rows) == 1, (metric, wanted, rows)
    return rows[0]


def absent(out: pl.DataFrame, metric: str, **key: object) -> bool:
    filters = {"group_type": "all", "group_value": "all", "grade": "all", **key}
    return out.filter(pl.col("metric") == metric, **filters).is_empty()


# --- an independent Wilson interval ---------------------------------------------------------


def wilson_bounds(count: int, n: int, z: float = Z) -> tuple[float, float]:
    """The interval's ends as the roots of (p̂ − p)² = z²·p(1 − p)/n, solved for p."""
    p_hat = count / n
    a = 1 + z * z / n
    b = -(2 * p_hat + z * z / n)
    c = p_hat * p_hat
    root = math.sqrt(b * b - 4 * a * c)
    return max(0.0, (-b - root) / (2 * a)), min(1.0, (-b + root) / (2 * a))


def assert_rate(row: Row, n: int, count: int) -> None:
    low, high = wilson_bounds(count, n)
    p = count / n
    assert (row["n"], row["count"]) == (n, count)
    assert row["value"] == pytest.approx(p)
    assert row["ci_low"] == pytest.approx(low, abs=1e-12)
    assert row["ci_high"] == pytest.approx(high, abs=1e-12)
    assert row["se"] == pytest.approx(math.sqrt(p * (1 - p) / n), abs=1e-12)


def assert_mean(row: Row, scores: list[float]) -> None:
    mean = statistics.fmean(scores)
    assert row["n"] == len(scores) and row["count"] is None
    assert row["value"] == pytest.approx(mean)
    if len(scores) == 1:
        assert row["se"] is None and row["ci_low"] is None and row["ci_high"] is None
        return
    se = statistics.stdev(scores) / math.sqrt(len(scores))
    assert row["se"] == pytest.approx(se)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((mean - Z * se, mean + Z * se))


@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    [  # Newcombe (1998), Statistics in Medicine 17:857, table II, method 3 (score)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_published_intervals(count: int, n: int, low: float, high: float) -> None:
    ends = wilson(pl.lit(count), pl.lit(n))
    got = pl.select(ends[0].alias("low"), ends[1].alias("high")).row(0)
    assert got == pytest.approx((low, high), abs=5e-5)
    assert got == pytest.approx(wilson_bounds(count, n), abs=1e-12)


def test_wilson_is_null_without_students() -> None:
    low, high = wilson(pl.lit(0), pl.lit(0))
    assert pl.select(low, high.alias("h")).row(0) == (None, None)


# --- hand-worked cells ----------------------------------------------------------------------


def test_school_cells_by_hand_without_flags() -> None:
    out = run(Options(use_accountability_flags=False))
    a5 = {"org_code": "A", "grade": "05"}
    assert_rate(cell(out, "participation_rate", **a5), 5, 4)  # s4 not tested
    assert_rate(cell(out, "proficiency_rate", **a5), 4, 3)  # 3 of 4 proficient: 0.75
    assert cell(out, "proficiency_rate", **a5)["value"] == 0.75
    assert_mean(cell(out, "mean_scale_score", **a5), [500, 480, 520, 540])
    assert_rate(cell(out, "level_share:Exceeds", **a5), 4, 2)
    assert_rate(cell(out, "level_share:Meets", **a5), 4, 1)
    assert_rate(cell(out, "level_share:Did Not Meet", **a5), 4, 0)  # seen at B: an explicit 0
    # Groups: Hispanic s1, s3; "not reported" s4 in no race group; null flags in neither.
    assert_rate(
        cell(out, "proficiency_rate", **a5, group_type="race_ethnicity", group_value="HI"), 2, 2
    )
    assert absent(out, "participation_rate", group_type="race_ethnicity", group_value="NR")
    econ_true = cell(
        out, "participation_rate", **a5, group_type="econ_disadvantaged", group_value="true"
    )
    econ_false = cell(
        out, "participation_rate", **a5, group_type="econ_disadvantaged", group_value="false"
    )
    assert (econ_true["n"], econ_false["n"]) == (3, 1)  # s4's flag is null
    assert_rate(cell(out, "participation_rate", **a5, group_type="sex", group_value="X"), 1, 1)
    assert_mean(
        cell(out, "mean_scale_score", org_code="B", grade="04", group_type="sex", group_value="F"),
        [450],
    )


def test_accountability_flags_leave_students_out_per_level() -> None:
    out = run()  # flags honoured: s2 not at school A, s5 not in the district
    a5 = {"org_code": "A", "grade": "05"}
    assert_rate(cell(out, "participation_rate", **a5), 4, 3)
    assert_rate(cell(out, "proficiency_rate", **a5), 3, 3)  # s1, s3 (null flag counts), s5
    assert_rate(cell(out, "proficiency_rate", grade="05"), 3, 2)  # s1, s2, s3
    assert_rate(cell(out, "proficiency_rate"), 5, 3)  # + s6, and s7 who has no students row
    assert_mean(cell(out, "mean_scale_score"), [500, 480, 520, 450, 470])
    # s7 is in "all" but in no group: the sexes add up to 4 of the 5 district test takers.
    by_sex = out.filter(
        pl.col("metric") == "proficiency_rate",
        org_code="D",
        subject="math",
        grade="all",
        group_type="sex",
    )
    assert dict(by_sex.select("group_value", "n").iter_rows()) == {"F": 3, "M": 1}


def test_attendance_counts_a_student_who_moved_once_in_the_district() -> None:
    out = run(Options(use_accountability_flags=False))
    every = {"subject": "all"}
    # School A: s1 15 % absent, s2 5.9 %, s3 no days (no rate), s5 11 %.
    assert_rate(cell(out, "chronic_absence_rate", org_code="A", **every), 3, 2)
    assert_rate(cell(out, "chronic_absence_rate", org_code="A", grade="05", **every), 3, 2)
    # District: s1's 180 days give 8.3 % absent, so s1 is not chronically absent there.
    assert_rate(cell(out, "chronic_absence_rate", **every), 4, 1)
    # Grade from the students table: s1 is a 5th grader at school B too.
    assert_rate(cell(out, "chronic_absence_rate", org_code="B", grade="05", **every), 1, 0)
    flagged = run()
    assert_rate(cell(flagged, "chronic_absence_rate", **every), 3, 0)  # s5 does not count


def test_suspension_rate_leaves_out_unknown_suspensions() -> None:
    out = run(Options(use_accountability_flags=False))
    every = {"subject": "all"}
    assert_rate(cell(out, "suspension_rate", org_code="A", **every), 3, 2)  # s2 unknown
    assert_rate(cell(out, "suspension_rate", org_code="B", **every), 2, 0)
    assert_rate(cell(out, "suspension_rate", **every), 4, 2)  # s1 once, suspended at A


def test_combos_need_every_flag_known_and_matching() -> None:
    out = run(Options(use_accountability_flags=False, combos=(EL_SWD, NEITHER)))
    a5 = {"org_code": "A", "grade": "05", "group_type": "combo"}
    assert_rate(cell(out, "participation_rate", **a5, group_value=EL_SWD.name), 1, 1)  # s1
    # s3's disability flag is null: not in "neither"; s4 and s5 are.
    assert_rate(cell(out, "participation_rate", **a5, group_value=NEITHER.name), 2, 1)
    assert_rate(cell(out, "participation_rate", group_type="combo", group_value=NEITHER.name), 3, 2)


def test_level_shares_only_for_levels_seen_that_year_and_subject() -> None:
    out = run()
    ela = out.filter(pl.col("metric").str.starts_with("level_share:"), subject="ela")
    assert set(ela.get_column("metric")) == {"level_share:Meets"}


def test_combo_flags_must_be_student_group_flags() -> None:
    with pytest.raises(ValueError, match="unknown: hispanic"):
        Combo("x", {"hispanic": True})
    with pytest.raises(ValueError, match="needs a name"):
        Combo("x", {})


# --- every cell against a plain-Python oracle -----------------------------------------------
# Row by row, in plain Python: which cells each result (or student) belongs to, then the
# metrics of each cell from its members. No Polars, no sums of squares, no roll-ups.


@dataclass
class Entity:
    """One thing counted: a result row, or a student's attendance or discipline."""

    org: tuple[str, str]
    subject: str
    grade: str | None
    person: Row
    values: Row = field(default_factory=dict)


def memberships(person: Row, combos: Iterable[Combo]) -> list[tuple[str, str]]:
    groups = [("all", "all")]
    if person.get("race_ethnicity") not in (None, "NR"):
        groups.append(("race_ethnicity", person["race_ethnicity"]))
    if person.get("sex") is not None:
        groups.append(("sex", person["sex"]))
    for flag in FLAG_NAMES:
        if person.get(flag) is not None:
            groups.append((flag, "true" if person[flag] else "false"))
    for combo in combos:
        if all(person.get(f) is wanted for f, wanted in combo.flags.items()):
            groups.append(("combo", combo.name))
    return groups


def counts_at(person: Row, level: str, options: Options) -> bool:
    flag = person.get(f"counts_for_{level}")
    return not options.use_accountability_flags or flag is not False


def result_entities(options: Options) -> Iterable[Entity]:
    people = {p["student_id"]: p for p in STUDENTS}
    for r in RESULTS:
        person = people.get(r["student_id"], {})
        for org in ((r["school_code"], "school"), ("D", "district")):
            if counts_at(person, org[1], options):
                yield Entity(org, r["subject"], r["grade_tested"], person, r)


def outcome_entities(options: Options, metric: str) -> Iterable[Entity]:
    """School entities from each row; district ones from each student's rows together."""
    people = {p["student_id"]: p for p in STUDENTS}
    rows = ATTENDANCE if metric == "chronic_absence_rate" else DISCIPLINE
    by_student: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_student[r["student_id"]].append(r)
    for student, own in by_student.items():
        person = people.get(student, {})
        for r in own:
            if counts_at(person, "school", options):
                yield Entity(
                    (r["school_code"], "school"),
                    "all",
                    person.get("grade"),
                    person,
                    {"outcome": outcome(metric, [r])},
                )
        if counts_at(person, "district", options):
            yield Entity(
                ("D", "district"),
                "all",
                person.get("grade"),
                person,
                {"outcome": outcome(metric, own)},
            )


def outcome(metric: str, rows: list[Row]) -> bool | None:
    if metric == "chronic_absence_rate":
        enrolled = sum(r["days_enrolled"] for r in rows)
        present = sum(r["days_present"] for r in rows)
        return (enrolled - present) / enrolled >= 0.10 if enrolled else None
    counts = [(r["in_school_suspensions"], r["out_of_school_suspensions"]) for r in rows]
    known = [(i or 0) + (o or 0) for i, o in counts if i is not None or o is not None]
    return sum(known) >= 1 if known else None


def cells_of(
    entities: Iterable[Entity], combos: Iterable[Combo]
) -> dict[tuple[Any, ...], list[Entity]]:
    cells: dict[tuple[Any, ...], list[Entity]] = defaultdict(list)
    for e in entities:
        for grade in (e.grade, "all"):
            if grade is None:
                continue
            for group in memberships(e.person, combos):
                cells[(*e.org, 2023, e.subject, grade, *group)].append(e)
    return cells


def rate_row(key: tuple[Any, ...], metric: str, flags: list[bool | None]) -> Row | None:
    known = [f for f in flags if f is not None]
    if not known:
        return None
    n, count = len(known), sum(known)
    p = count / n
    low, high = wilson_bounds(count, n)
    se = math.sqrt(p * (1 - p) / n)
    return {
        **dict(zip(KEY, key, strict=True)),
        "metric": metric,
        "n": n,
        "count": count,
        "value": p,
        "ci_low": low,
        "ci_high": high,
        "se": se,
    }


def mean_row(key: tuple[Any, ...], scores: list[float]) -> Row | None:
    if not scores:
        return None
    mean = statistics.fmean(scores)
    se = statistics.stdev(scores) / math.sqrt(len(scores)) if len(scores) > 1 else None
    ci = (None, None) if se is None else (mean - Z * se, mean + Z * se)
    return {
        **dict(zip(KEY, key, strict=True)),
        "metric": "mean_scale_score",
        "n": len(scores),
        "count": None,
        "value": mean,
        "ci_low": ci[0],
        "ci_high": ci[1],
        "se": se,
    }


def result_rows(
    key: tuple[Any, ...], es: list[Entity], levels: dict[str, set[str]]
) -> Iterable[Row | None]:
    values = [e.values for e in es]
    yield rate_row(key, "participation_rate", [bool(v["tested"]) for v in values])
    yield rate_row(key, "proficiency_rate", [v["proficient"] for v in values])
    yield mean_row(key, [v["scale_score"] for v in values if v["scale_score"] is not None])
    leveled = [v["performance_level"] for v in values if v["performance_level"] is not None]
    for level in levels[key[3]]:
        yield rate_row(key, f"level_share:{level}", [lv == level for lv in leveled])


def oracle(options: Options) -> list[Row]:
    entities = list(result_entities(options))
    levels: dict[str, set[str]] = defaultdict(set)
    for e in entities:
        if e.values["performance_level"] is not None:
            levels[e.subject].add(e.values["performance_level"])
    rows: list[Row | None] = []
    for key, es in cells_of(entities, options.combos).items():
        rows.extend(result_rows(key, es, levels))
    for metric in ("chronic_absence_rate", "suspension_rate"):
        for key, es in cells_of(outcome_entities(options, metric), options.combos).items():
            rows.append(rate_row(key, metric, [e.values["outcome"] for e in es]))
    return [r for r in rows if r is not None]


@pytest.mark.parametrize(
    "options",
    [
        Options(),
        Options(use_accountability_flags=False),
        Options(combos=(EL_SWD, NEITHER)),
        Options(use_accountability_flags=False, combos=(EL_SWD,)),
    ],
    ids=["flags", "no-flags", "flags-combos", "no-flags-combo"],
)
def test_every_cell_matches_the_oracle(options: Options) -> None:
    out = run(options)
    expected = pl.DataFrame(oracle(options), schema=SCHEMA)
    assert expected.height > 250
    order = [*KEY, "metric"]
    got, want = out.sort(order), expected.sort(order)
    assert got.select(order).to_dicts() == want.select(order).to_dicts()
    assert got.select("n", "count").to_dicts() == want.select("n", "count").to_dicts()
    for column in ("value", "ci_low", "ci_high", "se"):
        assert got.get_column(column).to_list() == pytest.approx(
            want.get_column(column).to_list(), abs=1e-9
        )


# --- shape of the output --------------------------------------------------------------------


def test_output_has_the_aggregate_schema_sorted_and_one_row_per_cell() -> None:
    out = run(Options(combos=(EL_SWD,)))
    assert out.schema == pl.Schema(SCHEMA)
    order = [
        "org_level",
        "org_code",
        "school_year",
        "subject",
        "grade",
        "group_type",
        "group_value",
        "metric",
    ]
    assert out.equals(out.sort(order))
    assert not out.select(order).is_duplicated().any()
    assert set(out.get_column("org_level")) == {"school", "district"}


def test_missing_tables_give_their_metrics_nothing() -> None:
    nothing = run(results=None, attendance=None, discipline=None)
    assert nothing.is_empty() and nothing.schema == pl.Schema(SCHEMA)
    only_attendance = run(results=None, discipline=None)
    assert set(only_attendance.get_column("metric")) == {"chronic_absence_rate"}


def test_without_a_students_table_everyone_is_in_all_only() -> None:
    out = compute(
        pl.LazyFrame(), canonical(Kind.RESULTS, RESULTS), None, pl.LazyFrame(), district_code="D"
    )
    assert set(out.get_column("group_type")) == {"all"}
    assert_rate(cell(out, "proficiency_rate"), 6, 4)  # s4 was not tested


# --- the real state assessment file ---------------------------------------------------------
# Independent figures come straight from the raw CSV columns. One rule is Headway's own and is
# repeated here on purpose: a student's groups and enrollment flags for a year are those of
# their first row in the file (the students table keeps the first; a few students change
# school or flags between subjects).

PROFICIENT = ("Proficient", "Advanced")


@pytest.fixture(scope="module")
def sgp_raw() -> pl.DataFrame:
    return pl.read_csv(SGP_LONG, infer_schema=False)


@pytest.fixture(scope="module")
def sgp_cube(sgp_raw: pl.DataFrame) -> pl.DataFrame:
    schools = set(sgp_raw.get_column("SCHOOL_NUMBER").drop_nulls())
    normalized = normalize(
        sgp_raw, propose(sgp_raw, name="sgpData_LONG"), file=SGP_LONG.name, known_schools=schools
    )
    assert normalized.report.ok
    tables = {kind: frame.lazy() for kind, frame in normalized.tables.items()}
    return compute(tables[Kind.STUDENTS], tables[Kind.RESULTS], None, None, district_code="DEMO")


def with_first_row_groups(raw: pl.DataFrame) -> pl.DataFrame:
    """Each row with its student's first row of the year's ELL status and enrollment flags."""
    first = raw.unique(["ID", "YEAR"], keep="first", maintain_order=True).select(
        "ID", "YEAR", "ELL_STATUS", "SCHOOL_ENROLLMENT_STATUS", "DISTRICT_ENROLLMENT_STATUS"
    )
    return raw.drop("ELL_STATUS", "SCHOOL_ENROLLMENT_STATUS", "DISTRICT_ENROLLMENT_STATUS").join(
        first, on=["ID", "YEAR"], how="left"
    )


@needs_shared
@pytest.mark.parametrize("school", ["5552", "6492"])  # one row not enrolled; one "No Score"
def test_sgp_english_learner_proficiency_at_a_school(
    sgp_raw: pl.DataFrame, sgp_cube: pl.DataFrame, school: str
) -> None:
    rows = with_first_row_groups(sgp_raw).filter(
        pl.col("YEAR") == "2023_2024",
        pl.col("CONTENT_AREA") == "MATHEMATICS",
        pl.col("GRADE") == "5",
        pl.col("SCHOOL_NUMBER") == school,
        pl.col("ELL_STATUS") == "ELL: Yes",
        pl.col("SCHOOL_ENROLLMENT_STATUS") != "Enrolled School: No",
    )
    levels = [level for level in rows.get_column("ACHIEVEMENT_LEVEL") if level != "No Score"]
    n, count = len(levels), sum(level in PROFICIENT for level in levels)
    key = {"org_code": school, "school_year": 2023, "subject": "math", "grade": "05"}
    row = cell(
        sgp_cube, "proficiency_rate", **key, group_type="english_learner", group_value="true"
    )
    assert n > 20
    assert_rate(row, n, count)
    participation = cell(
        sgp_cube, "participation_rate", **key, group_type="english_learner", group_value="true"
    )
    assert (participation["n"], participation["count"]) == (rows.height, n)


@needs_shared
def test_sgp_district_mean_reading_score(sgp_raw: pl.DataFrame, sgp_cube: pl.DataFrame) -> None:
    rows = with_first_row_groups(sgp_raw).filter(
        pl.col("YEAR") == "2022_2023",
        pl.col("CONTENT_AREA") == "READING",
        pl.col("DISTRICT_ENROLLMENT_STATUS") != "Enrolled District: No",
    )
    scores = [float(s) for s in rows.get_column("SCALE_SCORE") if s not in (None, "", "NA")]
    row = cell(sgp_cube, "mean_scale_score", org_code="DEMO", school_year=2022, subject="ela")
    assert len(scores) > 30_000
    assert_mean(row, scores)


@needs_shared
def test_sgp_all_students_equal_the_sum_of_each_partition(sgp_cube: pl.DataFrame) -> None:
    """Every student has a race, sex and each flag in this file, so each family's groups add
    up to "all", in every cell and for every metric (gifted is a flag here, homeless is not)."""
    cells = ["org_code", "org_level", "school_year", "subject", "grade", "metric"]
    everyone = sgp_cube.filter(group_type="all").select(*cells, pl.col("n").alias("all_n"))
    parts = sgp_cube.filter(pl.col("group_type").is_in(["all", "combo"]).not_())
    sums = parts.group_by(*cells, "group_type").agg(pl.col("n").sum())
    families = set(sums.get_column("group_type"))
    assert families == {
        "race_ethnicity",
        "sex",
        "econ_disadvantaged",
        "disability",
        "english_learner",
        "gifted",
    }
    checked = sums.join(everyone, on=cells, how="left")
    assert checked.height == everyone.height * len(families)
    assert checked.filter(pl.col("n") != pl.col("all_n")).is_empty()


@needs_shared
def test_sgp_district_totals_match_the_raw_rows(
    sgp_raw: pl.DataFrame, sgp_cube: pl.DataFrame
) -> None:
    raw = with_first_row_groups(sgp_raw).filter(
        pl.col("DISTRICT_ENROLLMENT_STATUS") != "Enrolled District: No"
    )
    per_year = raw.group_by("YEAR", "CONTENT_AREA").agg(
        pl.len().alias("rows"),
        (pl.col("ACHIEVEMENT_LEVEL") != "No Score").sum().alias("graded"),
        pl.col("ACHIEVEMENT_LEVEL").is_in(PROFICIENT).sum().alias("proficient"),
    )
    district = sgp_cube.filter(org_level="district", grade="all", group_type="all")
    for year, subject, rows, graded, proficient in per_year.iter_rows():
        key = {
            "school_year": int(year[:4]),
            "subject": {"READING": "ela", "MATHEMATICS": "math"}[subject],
        }
        participation = district.filter(metric="participation_rate", **key).row(0, named=True)
        assert (participation["n"], participation["count"]) == (rows, graded)
        assert_rate(
            district.filter(metric="proficiency_rate", **key).row(0, named=True), graded, proficient
        )
