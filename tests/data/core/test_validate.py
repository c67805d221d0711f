"""normalize(): canonical tables, every problem located in the source file, exact totals."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from headway.data.core.mapping import ROW_ID, Mapping, Wide, propose
from headway.data.core.schema import DETAIL_LIMIT, GRADES, Kind, Problem, Report
from headway.data.core.validate import DETAIL_PER_CHECK, Normalized, normalize

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared real data folder {SHARED} is absent"
)

HEADER = [
    "ID",
    "YEAR",
    "SCHOOL",
    "GRADE",
    "SUBJECT",
    "SCORE",
    "LEVEL",
    "SEX",
    "RACE",
    "HISP",
    "FRL",
]
GOOD = ["1001", "2023-24", "A1", "5", "Mathematics", "512", "Proficient", "F", "WH", "N", "Y"]


def mapping(**changes: object) -> Mapping:
    m = Mapping(
        name="test",
        kinds=[Kind.STUDENTS, Kind.RESULTS],
        columns={
            "student_id": "ID",
            "school_year": "YEAR",
            "school_code": "SCHOOL",
            "grade": "GRADE",
            "grade_tested": "GRADE",
            "subject": "SUBJECT",
            "scale_score": "SCORE",
            "performance_level": "LEVEL",
            "sex": "SEX",
            "race": "RACE",
            "hispanic": "HISP",
            "econ_disadvantaged": "FRL",
        },
        values={"subject": {"Mathematics": "math", "Reading": "ela"}},
        constants={"assessment": "State test"},
        proficient_levels=["Proficient", "Advanced"],
        not_tested_levels=["No Score"],
    )
    return replace(m, **changes)  # type: ignore[arg-type]


def rows(*changes: dict[str, str | None]) -> pl.DataFrame:
    """One good row per change, with the change applied (IDs differ unless changed)."""
    records = []
    for i, change in enumerate(changes):
        record: dict[str, str | None] = dict(zip(HEADER, GOOD, strict=True))
        record["ID"] = str(1001 + i)
        record.update(change)
        records.append(record)
    columns = list(dict.fromkeys(c for r in records for c in r))
    return pl.DataFrame(records, schema=dict.fromkeys(columns, pl.String))


def run(frame: pl.DataFrame, m: Mapping | None = None, **options: object) -> Normalized:
    return normalize(frame, m or mapping(), file="scores.csv", **options)  # type: ignore[arg-type]


def errors(report: Report) -> dict[str, int]:
    return {kind: n for (severity, kind), n in report.counts.items() if severity == "error"}


# --- a clean file -------------------------------------------------------------------------


def test_clean_rows_become_typed_canonical_tables() -> None:
    frame = rows({}, {"SUBJECT": "Reading", "LEVEL": "No Score", "SCORE": "", "ID": "1001"})
    result = run(frame)
    assert result.report.counts == {}
    assert result.rows_read == 2
    students = result.tables[Kind.STUDENTS]
    assert students.rows(named=True) == [
        {
            "student_id": "1001",
            "school_year": 2023,
            "school_code": "A1",
            "grade": "05",
            "school_name": None,
            "race": ["WH"],
            "hispanic": False,
            "race_ethnicity": "WH",
            "sex": "F",
            "econ_disadvantaged": True,
            "disability": None,
            "english_learner": None,
            "homeless": None,
            "foster_care": None,
            "military_connected": None,
            "migrant": None,
            "gifted": None,
            "counts_for_school": None,
            "counts_for_district": None,
        }
    ]
    assert students.schema["school_year"] == pl.Int16
    assert students.schema["race"] == pl.List(pl.String)
    results = result.tables[Kind.RESULTS]
    assert results.rows() == [
        ("1001", 2023, "A1", None, "State test", "math", "05", 512.0, "Proficient", True, True),
        ("1001", 2023, "A1", None, "State test", "ela", "05", None, None, False, None),
    ]


def test_progress_is_reported_a_few_times() -> None:
    heard: list[tuple[str, int]] = []
    run(rows({}, {}), on_progress=lambda stage, n: heard.append((stage, n)))
    assert heard == [("staged", 2), ("converted", 2), ("checked", 2), ("validated", 2)]


# --- one test per problem kind ------------------------------------------------------------


def test_missing_value() -> None:
    result = run(rows({}, {"ID": ""}))
    assert result.report.detail == [
        Problem(
            "missing_value",
            "Student ID is required, but this row has none.",
            file="scores.csv",
            row=2,
            column="ID",
            value="",
        )
    ]
    assert result.report.counts == {("error", "missing_value"): 1}


def test_bad_code_lists_the_codes_and_points_to_the_mapping() -> None:
    result = run(rows({}, {"SEX": "Q"}))
    assert result.report.detail == [
        Problem(
            "bad_code",
            "'Q' is not a sex Headway knows. Use one of F, M, X, "
            "or add 'Q' to the mapping's values for sex.",
            file="scores.csv",
            row=2,
            column="SEX",
            value="Q",
        )
    ]


def test_bad_code_in_a_set_of_races() -> None:
    result = run(rows({"RACE": "WH,ZZ"}))
    assert [(p.kind, p.row, p.column, p.value) for p in result.report.detail] == [
        ("bad_code", 1, "RACE", "WH,ZZ")
    ]


def test_a_value_map_target_of_nothing_is_not_an_error() -> None:
    m = mapping(values={**mapping().values, "race": {"Other": ""}})
    result = run(rows({"RACE": "Other"}), m)
    assert result.report.counts == {}
    assert result.tables[Kind.STUDENTS].get_column("race_ethnicity").to_list() == ["NR"]


def test_bad_number() -> None:
    result = run(rows({"SCORE": "5l2"}))
    assert result.report.detail == [
        Problem(
            "bad_number",
            "Scale score must be a number; '5l2' is not one.",
            file="scores.csv",
            row=1,
            column="SCORE",
            value="5l2",
        )
    ]


def test_bad_year() -> None:
    result = run(rows({}, {}, {"YEAR": "2023-25"}))
    assert result.report.detail == [
        Problem(
            "bad_year",
            "'2023-25' is not a school year. Write it like 2024-25 or 2024_2025, "
            "or add '2023-25' to the mapping's values for school_year.",
            file="scores.csv",
            row=3,
            column="YEAR",
            value="2023-25",
        )
    ]
    assert errors(result.report) == {"bad_year": 1}  # not also a missing value


def test_bad_boolean() -> None:
    result = run(rows({"FRL": "Maybe"}))
    assert result.report.detail == [
        Problem(
            "bad_boolean",
            "'Maybe' is not a yes/no value for Economically disadvantaged. Use Yes/No, Y/N "
            "or 1/0, or add 'Maybe' to the mapping's values for econ_disadvantaged.",
            file="scores.csv",
            row=1,
            column="FRL",
            value="Maybe",
        )
    ]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2020_2021", 2020),
        ("2020-21", 2020),
        ("2020-2021", 2020),
        ("2021", 2020),
        ("SY2020-21", 2020),
    ],
)
def test_school_years_are_stored_as_the_year_they_start_in(text: str, year: int) -> None:
    result = run(rows({"YEAR": text}))
    assert result.tables[Kind.STUDENTS].get_column("school_year").to_list() == [year]


@pytest.mark.parametrize(
    ("text", "code"),
    [("3", "03"), ("03", "03"), ("Grade 3", "03"), ("3.0", "03"), ("K", "KG"), ("KG", "KG")]
    + [("Kindergarten", "KG"), ("PK", "PK"), ("12th", "12")],
)
def test_grades_become_ceds_codes(text: str, code: str) -> None:
    result = run(rows({"GRADE": text}))
    assert result.tables[Kind.STUDENTS].get_column("grade").to_list() == [code]


@pytest.mark.parametrize(
    ("text", "flag"),
    [("Yes", True), ("N", False), ("true", True), ("0", False), ("FRL: Yes", True)],
)
def test_flags_read_the_usual_forms(text: str, flag: bool) -> None:
    result = run(rows({"FRL": text}))
    assert result.tables[Kind.STUDENTS].get_column("econ_disadvantaged").to_list() == [flag]


def test_negative_scale_score_is_impossible() -> None:
    result = run(rows({"SCORE": "-5"}))
    assert result.report.detail == [
        Problem(
            "impossible_value",
            "Scale score cannot be negative.",
            file="scores.csv",
            row=1,
            column="SCORE",
            value="-5",
        )
    ]


def test_more_days_present_than_enrolled_is_impossible() -> None:
    m = Mapping(
        name="attendance",
        kinds=[Kind.ATTENDANCE],
        columns={
            "student_id": "ID",
            "school_year": "YEAR",
            "school_code": "SCHOOL",
            "days_enrolled": "ENROLLED",
            "days_present": "PRESENT",
        },
        values={},
        constants={},
        proficient_levels=[],
        not_tested_levels=[],
    )
    frame = pl.DataFrame(
        {
            "ID": ["1", "2", "3"],
            "YEAR": ["2024"] * 3,
            "SCHOOL": ["A"] * 3,
            "ENROLLED": ["180", "180", "170"],
            "PRESENT": ["162", "163", "171"],
        }
    )
    result = run(frame, m)
    assert result.report.detail == [
        Problem(
            "impossible_value",
            "Days present (171) is more than days enrolled (170).",
            file="scores.csv",
            row=3,
            column="PRESENT",
            value="171",
        )
    ]
    absent = result.tables[Kind.ATTENDANCE].get_column("chronically_absent").to_list()
    assert absent == [True, False, False]  # 18 of 180 days missed is 10%


def test_a_grade_tested_far_from_the_enrolled_grade_is_a_warning() -> None:
    m = mapping(columns={**mapping().columns, "grade_tested": "TESTED"})
    result = run(rows({"TESTED": "5"}, {"TESTED": "8"}, {"TESTED": "7"}), m)
    assert result.report.ok
    assert result.report.detail == [
        Problem(
            "impossible_value",
            "Grade tested (08) is more than 2 grades from the enrolled grade (05); "
            "check that both are right.",
            file="scores.csv",
            row=2,
            column="TESTED",
            value="8",
            severity="warning",
        )
    ]


def test_duplicate_results_report_every_row_involved() -> None:
    result = run(rows({}, {"ID": "1001"}, {}, {"ID": "1001"}))
    message = (
        "Rows 1, 2 and 4 are the same test result (student 1001, 2023-24, State test, math): "
        "keep only one."
    )
    assert result.report.detail == [
        Problem("duplicate", message, file="scores.csv", row=r, column="ID", value="1001")
        for r in (1, 2, 4)
    ]
    assert result.report.counts == {("error", "duplicate"): 3}


def test_unknown_school_lists_the_schools_when_there_are_few() -> None:
    result = run(rows({}, {"SCHOOL": "Z9"}), known_schools={"A1", "B2"})
    assert result.report.detail == [
        Problem(
            "unknown_school",
            "School Z9 is not one of the district's schools (A1, B2).",
            file="scores.csv",
            row=2,
            column="SCHOOL",
            value="Z9",
        )
    ]


def test_unknown_school_counts_the_schools_when_there_are_many() -> None:
    known = {f"S{i}" for i in range(21)}
    result = run(rows({"SCHOOL": "Z9"}), known_schools=known)
    assert result.report.detail[0].message == (
        "School Z9 is not one of the district's 21 schools; "
        "add the school in Headway or correct the code."
    )


def test_conflicting_demographics_warn_and_keep_the_first() -> None:
    frame = rows(
        {"SUBJECT": "Mathematics"},
        {"ID": "1001", "SUBJECT": "Reading", "FRL": "N", "SEX": "F"},
        {"ID": "1001", "SUBJECT": "Science", "FRL": "No", "GRADE": "5"},
    )
    m = mapping(values={"subject": {"Mathematics": "math", "Reading": "ela", "Science": "science"}})
    result = run(frame, m)
    assert result.report.ok
    assert result.report.detail == [
        Problem(
            "conflicting_student",
            "Student 1001 has different economically disadvantaged values in 2023-24: "
            "'Y' in row 1 and 'N' in row 2. Headway keeps the first.",
            file="scores.csv",
            row=2,
            column="FRL",
            value="N",
            severity="warning",
        )
    ]
    assert result.report.counts == {("warning", "conflicting_student"): 1}
    assert result.tables[Kind.STUDENTS].get_column("econ_disadvantaged").to_list() == [True]
    assert result.tables[Kind.RESULTS].height == 3


def test_conflict_details_name_the_first_students_by_key_whatever_the_file_order() -> None:
    # Each student's two subjects come together, but the students come in descending order.
    students = [str(9000 - i) for i in range(DETAIL_PER_CHECK + 5)]
    changes: list[dict[str, str | None]] = [
        {"ID": student, "SUBJECT": subject, "FRL": flag}
        for student in students
        for subject, flag in (("Mathematics", "Y"), ("Reading", "N"))
    ]
    frame = rows(*changes)
    result = run(frame)
    named = [p.message.split()[1] for p in result.report.detail]
    assert named == sorted(students)[:DETAIL_PER_CHECK]
    assert result.report.counts == {("warning", "conflicting_student"): len(students)}
    kept = result.tables[Kind.STUDENTS].get_column("econ_disadvantaged")
    assert kept.to_list() == [True] * len(students)


def test_duplicates_are_found_whether_a_students_rows_come_together_or_not() -> None:
    together = rows({}, {"ID": "1001"}, {"ID": "1001", "SUBJECT": "Reading"}, {})
    apart = rows({}, {"ID": "1002"}, {"ID": "1001"}, {"ID": "1002", "SUBJECT": "Reading"})
    for frame, duplicated in ((together, [1, 2]), (apart, [1, 3])):
        result = run(frame)
        assert sorted(p.row or 0 for p in result.report.detail) == duplicated
        assert result.report.counts == {("error", "duplicate"): 2}


def test_the_same_value_written_differently_is_no_conflict() -> None:
    frame = rows({"FRL": "Yes"}, {"ID": "1001", "SUBJECT": "Reading", "FRL": "y", "YEAR": "2024"})
    assert run(frame).report.counts == {}


def test_a_mapping_that_cannot_read_the_file_gives_empty_tables() -> None:
    result = run(rows({}).drop("SCHOOL"))
    assert errors(result.report) == {"missing_column": 1}
    assert result.tables[Kind.RESULTS].height == 0
    assert result.tables[Kind.RESULTS].schema["scale_score"] == pl.Float64


def test_filters_keep_only_the_listed_values() -> None:
    frame = rows({"VALID": "VALID_CASE"}, {"VALID": "INVALID_CASE"}, {"VALID": "VALID_CASE"})
    result = run(frame, mapping(filters={"VALID": ["VALID_CASE"]}))
    assert result.rows_read == 3
    assert result.rows_skipped == 1
    assert result.tables[Kind.RESULTS].get_column("student_id").to_list() == ["1001", "1003"]


def test_identifiers_exported_as_numbers_lose_the_trailing_zero() -> None:
    result = run(rows({"SCHOOL": "27.0", "ID": "1001.0"}), known_schools={"27"})
    assert result.report.counts == {}
    assert result.tables[Kind.STUDENTS].row(0)[:3] == ("1001", 2023, "27")


# --- the detail cap -----------------------------------------------------------------------

FLAGS = [
    "hispanic",
    "econ_disadvantaged",
    "disability",
    "english_learner",
    "homeless",
    "foster_care",
    "military_connected",
    "migrant",
    "gifted",
    "counts_for_school",
    "counts_for_district",
]


def test_details_stop_at_the_limit_but_totals_stay_exact() -> None:
    n = 150
    columns = {"student_id": "ID", "school_year": "YEAR", "school_code": "SCHOOL", "sex": "SEX"}
    columns |= {"grade": "GRADE"} | {f: f.upper() for f in FLAGS}
    m = Mapping("cap", [Kind.STUDENTS], columns, {}, {}, [], [])
    data = {"ID": [str(i) for i in range(n)], "YEAR": ["2024"] * n, "SCHOOL": ["A"] * n}
    data |= {"SEX": ["?"] * n, "GRADE": ["G"] * n} | {f.upper(): ["maybe"] * n for f in FLAGS}
    result = run(pl.DataFrame(data), m)
    assert result.report.counts == {
        ("error", "bad_code"): 2 * n,
        ("error", "bad_boolean"): len(FLAGS) * n,
    }
    assert len(result.report.detail) == DETAIL_LIMIT
    per_column = {p.column: 0 for p in result.report.detail}
    for p in result.report.detail:
        per_column[p.column] += 1
    assert set(per_column.values()) == {DETAIL_PER_CHECK}  # every check shows some rows
    first_grade = next(p for p in result.report.detail if p.column == "GRADE")
    assert first_grade == Problem(
        "bad_code",
        f"'G' is not a grade Headway knows. Use one of {', '.join(GRADES)}, "
        "or add 'G' to the mapping's values for grade.",
        file="scores.csv",
        row=1,
        column="GRADE",
        value="G",
    )


# --- wide files ---------------------------------------------------------------------------


def wide_mapping(**wide_changes: object) -> Mapping:
    wide = Wide(
        id_columns=["SEX"],
        groups={
            "scale_score": {"readk": "KG", "read1": "01", "mathk": "KG", "math1": "01"},
            "school_code": {"schk": "KG", "sch1": "01"},
        },
        constants_by_group={
            "readk": {"subject": "ela", "school_year": "1985"},
            "mathk": {"subject": "math", "school_year": "1985"},
            "read1": {"subject": "ela", "school_year": "1986"},
            "math1": {"subject": "math", "school_year": "1986"},
        },
    )
    return Mapping(
        name="wide",
        kinds=[Kind.STUDENTS, Kind.RESULTS],
        columns={"student_id": ROW_ID, "sex": "SEX"},
        values={"sex": {"girl": "F", "boy": "M"}},
        constants={},
        proficient_levels=[],
        not_tested_levels=[],
        wide=replace(wide, **wide_changes),  # type: ignore[arg-type]
    )


WIDE = pl.DataFrame(
    {
        "SEX": ["girl", "boy", "girl"],
        "readk": ["450", None, None],
        "mathk": ["470", None, None],
        "schk": ["7.0", None, None],
        "read1": ["520", "-3", None],
        "math1": [None, "530", None],
        "sch1": ["7.0", None, "8"],
    }
)


def test_wide_rows_become_one_row_per_period_and_subject() -> None:
    result = run(WIDE, wide_mapping())
    results = result.tables[Kind.RESULTS]
    assert results.select("student_id", "school_year", "school_code", "subject").rows() == [
        ("row-1", 1985, "7", "ela"),
        ("row-1", 1985, "7", "math"),
        ("row-1", 1986, "7", "ela"),
        ("row-2", 1986, None, "ela"),
        ("row-2", 1986, None, "math"),
    ]
    # Periods without a score give no row: row-1's grade-1 math, row-3's grade 1 (school only).
    assert results.get_column("grade_tested").to_list() == ["KG", "KG"] + ["01"] * 3
    assert results.get_column("tested").to_list() == [True] * 5
    students = result.tables[Kind.STUDENTS]
    assert students.select("student_id", "school_year", "sex").rows() == [
        ("row-1", 1985, "F"),
        ("row-1", 1986, "F"),
        ("row-2", 1986, "M"),
    ]
    assert result.report.counts == {
        ("error", "missing_value"): 2,
        ("error", "impossible_value"): 1,
    }
    assert result.report.detail == [
        Problem(
            "missing_value",
            "School code is required, but this row has none.",
            file="scores.csv",
            row=2,
            column="sch1",
        ),
        Problem(
            "missing_value",
            "School code is required, but this row has none.",
            file="scores.csv",
            row=2,
            column="sch1",
        ),
        Problem(
            "impossible_value",
            "Scale score cannot be negative.",
            file="scores.csv",
            row=2,
            column="read1",
            value="-3",
        ),
    ]


def test_one_year_for_every_period_makes_duplicates_that_explain_themselves() -> None:
    wide = wide_mapping().wide
    assert wide is not None
    plain = {col: {"subject": c["subject"]} for col, c in wide.constants_by_group.items()}
    m = replace(wide_mapping(constants_by_group=plain), constants={"school_year": "1985"})
    result = run(WIDE.head(1), m)
    assert errors(result.report) == {"duplicate": 2}
    assert result.report.detail[0].message == (
        "Row 1 gives the same test result (student row-1, 1985-86, ela) twice, from different "
        "period columns: each period needs its own school year (set school_year per column "
        "in wide.constants_by_group)."
    )


# --- the real files -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sgp() -> pl.DataFrame:
    return pl.read_csv(SHARED / "sgpdata" / "sgpData_LONG.csv.gz", infer_schema=False)


@needs_shared
def test_sgp_long_normalizes_without_errors(sgp: pl.DataFrame) -> None:
    schools = set(sgp.get_column("SCHOOL_NUMBER").to_list())
    result = normalize(sgp, propose(sgp, name="sgp"), file="sgp.csv", known_schools=schools)
    assert result.report.error_count == 0
    # Students at two schools, or flagged differently per subject, within one year.
    assert result.report.counts == {("warning", "conflicting_student"): 1662}
    students, results = result.tables[Kind.STUDENTS], result.tables[Kind.RESULTS]
    assert students.height == sgp.select("ID", "YEAR").unique().height == 185_021
    assert results.height == sgp.filter(pl.col("VALID_CASE") == "VALID_CASE").height == 368_301
    levels = sgp.get_column("ACHIEVEMENT_LEVEL")
    assert results.get_column("proficient").sum() == levels.is_in(["Proficient", "Advanced"]).sum()
    assert results.get_column("proficient").null_count() == (levels == "No Score").sum() == 2106
    not_tested = results.filter(pl.col("tested").not_())
    assert not_tested.height == 2106
    assert not_tested.get_column("performance_level").null_count() == 2106
    assert results.get_column("school_year").unique().sort().to_list() == [
        2020,
        2021,
        2022,
        2023,
        2024,
    ]
    assert set(results.get_column("grade_tested").unique()) == {f"{g:02d}" for g in range(3, 11)}
    assert set(results.get_column("subject").unique()) == {"math", "ela"}
    first = students.filter(pl.col("student_id") == "1000372", pl.col("school_year") == 2022)
    assert first.select("school_code", "grade", "race_ethnicity", "sex", "econ_disadvantaged").row(
        0
    ) == ("1851", "03", "HI", "M", True)
    assert set(students.get_column("race_ethnicity").unique()) == {"WH", "HI", "AS", "BL", "AM"}


@needs_shared
def test_star_wide_normalizes_once_each_grade_has_its_year() -> None:
    star = pl.read_csv(SHARED / "star" / "AER_STAR_wide.csv.gz", infer_schema=False)
    m = propose(star, name="star")
    assert m.wide is not None
    years = {"KG": "1985", "01": "1986", "02": "1987", "03": "1988"}
    for col, label in m.wide.groups["scale_score"].items():
        m.wide.constants_by_group[col]["school_year"] = years[label]
    del m.constants["school_year"]
    result = normalize(star, m, file="star.csv")
    # A period yields rows only where it has a score: row 4399's kindergarten lunch status
    # without a kindergarten school or score is not a result.
    assert result.report.counts == {}
    results, students = result.tables[Kind.RESULTS], result.tables[Kind.STUDENTS]
    scores = sum(star.get_column(c).is_not_null().sum() for c in m.wide.groups["scale_score"])
    assert results.height == scores == 48_875
    assert results.get_column("scale_score").null_count() == 0
    assert students.height == 24_694
    assert results.get_column("proficient").null_count() == results.height
    ethnicity = students.get_column("race_ethnicity").value_counts().sort("race_ethnicity")
    assert dict(ethnicity.iter_rows()) == {
        "AM": 8,
        "AS": 62,
        "BL": 8198,
        "HI": 26,
        "NR": 71,
        "WH": 16329,
    }


# --- properties ---------------------------------------------------------------------------

YEAR_FORMS = {2021: ["2021-22", "2021_2022", "2022", "2021-2022"], 2022: ["2022-23", "2023"]}
GRADE_FORMS = {
    "KG": ["K", "KG", "Kindergarten"],
    "03": ["3", "03", "Grade 3"],
    "10": ["10", "10.0"],
}
FLAG_FORMS = {True: ["Y", "Yes", "1", "FRL: Yes"], False: ["N", "no", "0", "FRL: No"]}
RACE_FORMS = {("WH",): ["WH", "wh"], ("AS", "BL"): ["AS,BL", "BL|AS"], (): ["Other"]}
LEVELS = ["Proficient", "Advanced", "Unsatisfactory", "No Score"]


@st.composite
def long_files(draw: st.DrawFn) -> pl.DataFrame:
    """Mapping-conformant long files: each student-year's values agree, written many ways."""
    records = []
    for student in range(draw(st.integers(1, 8))):
        for year in draw(st.lists(st.sampled_from(list(YEAR_FORMS)), min_size=1, unique=True)):
            grade = draw(st.sampled_from(list(GRADE_FORMS)))
            flag = draw(st.booleans())
            race = draw(st.sampled_from(list(RACE_FORMS)))
            subjects = draw(
                st.lists(st.sampled_from(["Mathematics", "Reading"]), min_size=1, unique=True)
            )
            for subject in subjects:
                records.append(
                    {
                        "ID": f"S{student}",
                        "YEAR": draw(st.sampled_from(YEAR_FORMS[year])),
                        "SCHOOL": f"A{student % 3}",
                        "GRADE": draw(st.sampled_from(GRADE_FORMS[grade])),
                        "SUBJECT": subject,
                        "SCORE": str(draw(st.integers(100, 900))),
                        "LEVEL": draw(st.sampled_from(LEVELS)),
                        "SEX": "F" if student % 2 else "M",
                        "RACE": draw(st.sampled_from(RACE_FORMS[race])),
                        "HISP": draw(st.sampled_from(FLAG_FORMS[student % 3 == 0])),
                        "FRL": draw(st.sampled_from(FLAG_FORMS[flag])),
                    }
                )
    return pl.DataFrame(records, schema=dict.fromkeys(HEADER, pl.String))


RACE_MAP = mapping(values={**mapping().values, "race": {"Other": ""}})
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sorted_tables(result: Normalized) -> dict[Kind, pl.DataFrame]:
    return {
        kind: table.sort(
            ["student_id", "school_year", "subject"][: 3 if kind == Kind.RESULTS else 2]
        )
        for kind, table in result.tables.items()
    }


@SETTINGS
@given(long_files())
def test_conformant_files_normalize_cleanly_and_keep_their_rows(frame: pl.DataFrame) -> None:
    result = run(frame, RACE_MAP, known_schools={"A0", "A1", "A2"})
    assert result.report.counts == {}
    assert result.tables[Kind.RESULTS].height == frame.height
    student_years = result.tables[Kind.RESULTS].select("student_id", "school_year").unique()
    assert result.tables[Kind.STUDENTS].height == student_years.height
    results = result.tables[Kind.RESULTS]
    expected = frame.get_column("LEVEL").is_in(["Proficient", "Advanced"]).to_list()
    tested = (frame.get_column("LEVEL") != "No Score").to_list()
    assert results.get_column("proficient").to_list() == [
        e if t else None for e, t in zip(expected, tested, strict=True)
    ]


@SETTINGS
@given(long_files(), st.data())
def test_row_order_does_not_change_the_tables(frame: pl.DataFrame, data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(frame.height)))
    shuffled = frame[list(order)]
    original, reordered = (
        sorted_tables(run(frame, RACE_MAP)),
        sorted_tables(run(shuffled, RACE_MAP)),
    )
    for kind, table in original.items():
        assert reordered[kind].equals(table)


@SETTINGS
@given(long_files(), st.data())
def test_k_bad_codes_make_exactly_k_errors(frame: pl.DataFrame, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, frame.height))
    chosen = data.draw(
        st.lists(st.integers(0, frame.height - 1), min_size=k, max_size=k, unique=True)
    )
    bad = pl.Series(
        "SEX", ["Q" if i in chosen else v for i, v in enumerate(frame.get_column("SEX"))]
    )
    result = run(frame.with_columns(bad), RACE_MAP)
    assert errors(result.report) == ({"bad_code": k} if k else {})
    assert sorted(p.row or 0 for p in result.report.detail if p.kind == "bad_code") == sorted(
        i + 1 for i in chosen
    )
