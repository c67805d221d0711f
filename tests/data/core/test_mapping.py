"""Mappings: proposals from real and small files, the YAML form, and checks against a file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from headway.data.core.mapping import (
    ROW_ID,
    Mapping,
    MappingError,
    Wide,
    check,
    from_yaml,
    period_label,
    propose,
    race_of,
    slots,
    to_yaml,
)
from headway.data.core.schema import Kind, Problem

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
SGP_LONG = SHARED / "sgpdata" / "sgpData_LONG.csv.gz"
STAR_WIDE = SHARED / "star" / "AER_STAR_wide.csv.gz"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared real data folder {SHARED} is absent"
)


def text_frame(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    columns = list(dict.fromkeys(c for row in rows for c in row))
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))


@pytest.fixture(scope="module")
def sgp() -> pl.DataFrame:
    return pl.read_csv(SGP_LONG, infer_schema=False)


@pytest.fixture(scope="module")
def star() -> pl.DataFrame:
    return pl.read_csv(STAR_WIDE, infer_schema=False)


# --- proposals from the real files ------------------------------------------------------


@needs_shared
def test_propose_sgp_long_maps_every_field_the_file_has(sgp: pl.DataFrame) -> None:
    m = propose(sgp, name="sgpData_LONG")
    assert m.kinds == [Kind.STUDENTS, Kind.RESULTS]
    assert m.columns == {
        "student_id": "ID",
        "school_year": "YEAR",
        "school_code": "SCHOOL_NUMBER",
        "grade": "GRADE",
        "school_name": "SCHOOL_NAME",
        "race": "ETHNICITY",
        "hispanic": "ETHNICITY",
        "sex": "GENDER",
        "econ_disadvantaged": "FREE_REDUCED_LUNCH_STATUS",
        "disability": "IEP_STATUS",
        "english_learner": "ELL_STATUS",
        "gifted": "GIFTED_AND_TALENTED_PROGRAM_STATUS",
        "counts_for_school": "SCHOOL_ENROLLMENT_STATUS",
        "counts_for_district": "DISTRICT_ENROLLMENT_STATUS",
        "subject": "CONTENT_AREA",
        "grade_tested": "GRADE",
        "scale_score": "SCALE_SCORE",
        "performance_level": "ACHIEVEMENT_LEVEL",
    }
    assert m.values["subject"] == {"MATHEMATICS": "math", "READING": "ela"}
    assert m.values["sex"] == {"Gender: Male": "M", "Gender: Female": "F"}
    assert m.values["econ_disadvantaged"] == {
        "Free Reduced Lunch: No": "false",
        "Free Reduced Lunch: Yes": "true",
    }
    assert m.values["english_learner"]["ELL: Yes"] == "true"
    assert m.values["counts_for_school"]["Enrolled School: Yes"] == "true"
    assert m.values["race"] == {
        "White": "WH",
        "Hispanic": "",
        "Asian": "AS",
        "African American": "BL",
        "Native American": "AM",
    }
    assert m.values["hispanic"]["Hispanic"] == "true"
    assert m.values["hispanic"]["White"] == "false"
    assert m.proficient_levels == ["Proficient", "Advanced"]
    assert m.not_tested_levels == ["No Score"]
    assert m.filters == {"VALID_CASE": ["VALID_CASE"]}
    assert m.constants == {}
    assert m.wide is None
    assert check(m, sgp).counts == {}


@needs_shared
def test_propose_star_wide_groups_periods_and_leaves_the_year_to_fill(star: pl.DataFrame) -> None:
    m = propose(star, name="AER_STAR_wide")
    assert m.kinds == [Kind.STUDENTS, Kind.RESULTS]
    assert m.wide is not None
    assert m.wide.period_field == "grade_tested"
    assert m.wide.groups["scale_score"] == {
        "readk": "KG",
        "read1": "01",
        "read2": "02",
        "read3": "03",
        "mathk": "KG",
        "math1": "01",
        "math2": "02",
        "math3": "03",
    }
    assert m.wide.groups["school_code"] == {
        "schoolidk": "KG",
        "schoolid1": "01",
        "schoolid2": "02",
        "schoolid3": "03",
    }
    assert list(m.wide.groups["econ_disadvantaged"]) == ["lunchk", "lunch1", "lunch2", "lunch3"]
    assert m.wide.constants_by_group["readk"] == {"subject": "ela"}
    assert m.wide.constants_by_group["math3"] == {"subject": "math"}
    assert m.columns == {
        "student_id": ROW_ID,
        "race": "ethnicity",
        "hispanic": "ethnicity",
        "sex": "gender",
    }
    assert m.wide.id_columns == ["gender", "ethnicity"]
    assert m.values["econ_disadvantaged"] == {"free": "true", "non-free": "false"}
    assert m.values["sex"] == {"male": "M", "female": "F"}
    assert m.values["race"] == {
        "cauc": "WH",
        "afam": "BL",
        "asian": "AS",
        "hispanic": "",
        "other": "",
        "amindian": "AM",
    }
    assert m.values["hispanic"]["hispanic"] == "true"
    assert m.values["hispanic"]["other"] == ""
    assert m.constants == {"school_year": ""}
    report = check(m, star)
    assert report.counts == {("error", "unmapped_field"): 1}
    assert report.detail == [
        Problem(
            "unmapped_field",
            "Students need a school year, and the mapping's constant 'school_year' is empty: "
            "fill it in (e.g. school_year: 2024-25).",
            file="AER_STAR_wide",
        )
    ]


# --- proposals from small files ---------------------------------------------------------


def test_propose_reads_header_synonyms_and_value_forms() -> None:
    frame = text_frame(
        [
            {
                "SASID": "1",
                "School Year": "2021",
                "sch_num": "12",
                "Grade Level": "Grade 3",
                "Student Gender": "Female",
                "Race/Ethnicity": "White, Asian",
                "ELL": "Y",
                "Homeless": "0",
                "Subject": "Math",
                "Scale Score": "501",
                "Performance Level": "Meets Expectations",
            },
            {
                "SASID": "2",
                "School Year": "2022",
                "sch_num": "12",
                "Grade Level": "KG",
                "Student Gender": "Male",
                "Race/Ethnicity": "Two or More Races",
                "ELL": "N",
                "Homeless": "1",
                "Subject": "English Language Arts",
                "Scale Score": "480",
                "Performance Level": "Partially Meets Expectations",
            },
        ]
    )
    m = propose(frame)
    assert m.columns["student_id"] == "SASID"
    assert m.columns["school_code"] == "sch_num"
    assert m.columns["grade"] == "Grade Level"
    assert m.columns["english_learner"] == "ELL"
    assert m.values["school_year"] == {"2021": "2020", "2022": "2021"}  # the year it ends in
    assert "grade" not in m.values  # the column rules read "Grade 3" and "KG" as they are
    assert m.values["sex"] == {"Female": "F", "Male": "M"}
    assert m.values["english_learner"] == {"Y": "true", "N": "false"}
    assert m.values["homeless"] == {"0": "false", "1": "true"}
    assert m.values["subject"] == {"Math": "math", "English Language Arts": "ela"}
    # Two named races are a set; a bare "two or more" names none and is left for people.
    assert m.values["race"] == {"White, Asian": "AS,WH"}
    assert m.proficient_levels == ["Meets Expectations"]
    assert "hispanic" not in m.columns


def test_propose_without_ids_or_years_leaves_visible_blanks() -> None:
    frame = text_frame([{"School": "1224", "Sex": "Female"}, {"School": "1288", "Sex": "Male"}])
    m = propose(frame, name="MathAchieve")
    assert m.kinds == [Kind.STUDENTS]
    assert m.columns == {"student_id": ROW_ID, "school_code": "School", "sex": "Sex"}
    assert m.constants == {"school_year": ""}


def test_propose_wide_years_and_subject_from_the_file_name() -> None:
    frame = text_frame(
        [{"ID": "1", "GRADE_2021": "3.0", "GRADE_2022": "4.0", "SS_2021": "500", "SS_2022": "520"}]
    )
    m = propose(frame, name="sgpData_WIDE_reading")
    assert m.wide == Wide(
        id_columns=["ID"],
        groups={
            "grade": {"GRADE_2021": "2020", "GRADE_2022": "2021"},
            "grade_tested": {"GRADE_2021": "2020", "GRADE_2022": "2021"},
            "scale_score": {"SS_2021": "2020", "SS_2022": "2021"},
        },
        period_field="school_year",
    )
    assert m.constants == {"subject": "ela", "school_code": ""}
    assert "&id" not in to_yaml(m)  # shared dicts are written out, not as YAML anchors


@pytest.mark.parametrize(
    ("value", "meaning"),
    [
        ("Hispanic", ("", "true")),
        ("Hispanic/Latino", ("", "true")),
        ("African American", ("BL", "false")),
        ("Black or African American", ("BL", "false")),
        ("American Indian or Alaska Native", ("AM", "false")),
        ("Native Hawaiian or Other Pacific Islander", ("PI", "false")),
        ("cauc", ("WH", "false")),
        ("White, Not Hispanic", ("WH", "false")),
        ("White/Asian", ("AS,WH", "false")),
        ("Other", ("", "")),
        ("Unknown", ("", "")),
        ("Two or more races", (None, "false")),
        ("Zorblax", (None, None)),
        ("B", ("BL", "false")),
        ("H", ("", "true")),
        ("M", (None, None)),
    ],
)
def test_race_of(value: str, meaning: tuple[str | None, str | None]) -> None:
    assert race_of(value) == meaning


def test_period_labels() -> None:
    assert period_label("k") == ("grade", "KG")
    assert period_label("3") == ("grade", "03")
    assert period_label("2021") == ("year", "2020")
    assert period_label("14") is None


def test_slots_join_plain_columns_to_every_row_of_their_period() -> None:
    wide = Wide(
        id_columns=[],
        groups={
            "scale_score": {"readk": "KG", "mathk": "KG"},
            "school_code": {"schoolk": "KG"},
        },
        constants_by_group={"readk": {"subject": "ela"}, "mathk": {"subject": "math"}},
    )
    found = [(s.label, s.constants, s.columns) for s in slots(wide)]
    assert found == [
        ("KG", {"subject": "ela"}, {"scale_score": "readk", "school_code": "schoolk"}),
        ("KG", {"subject": "math"}, {"scale_score": "mathk", "school_code": "schoolk"}),
    ]


# --- YAML -------------------------------------------------------------------------------


def small_mapping() -> Mapping:
    return Mapping(
        name="scores",
        kinds=[Kind.STUDENTS, Kind.RESULTS],
        columns={"student_id": "ID", "school_year": "YEAR", "school_code": "SCHOOL"},
        values={"subject": {"MATH": "math"}, "econ_disadvantaged": {"Yes": "true", "No": ""}},
        constants={"subject": "math", "assessment": "State test"},
        proficient_levels=["Proficient"],
        not_tested_levels=["No Score"],
        filters={"VALID": ["1", "yes"]},
    )


@needs_shared
def test_yaml_round_trip_of_real_proposals(sgp: pl.DataFrame, star: pl.DataFrame) -> None:
    for m in (propose(sgp, name="sgp"), propose(star, name="star")):
        assert from_yaml(to_yaml(m)) == m


def test_yaml_round_trip_keeps_yes_no_and_numbers_as_text() -> None:
    m = small_mapping()
    text = to_yaml(m)
    assert text.startswith("# Headway import mapping.")
    assert from_yaml(text) == m


def test_yaml_unquoted_yes_and_years_stay_text() -> None:
    m = from_yaml(
        """
name: plain
kinds: [students]
columns:
  student_id: ID
  school_year: YEAR
  school_code: SCHOOL
  english_learner: ELL
values:
  english_learner:
    Yes: true
    No: false
  school_year:
    2021: 2020
"""
    )
    assert m.values == {
        "english_learner": {"Yes": "true", "No": "false"},
        "school_year": {"2021": "2020"},
    }


def test_bad_yaml_syntax_names_the_line() -> None:
    with pytest.raises(MappingError) as caught:
        from_yaml("name: x\ncolumns:\n  student_id: [ID\n", source="m.yaml")
    assert str(caught.value).startswith("m.yaml: this is not valid YAML (line 4:")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name: x\nkinds: [students]\ncolums:\n  student_id: ID\n",
            "m.yaml, line 3: colums: unknown key; expected one of name, kinds, filters, percents, "
            "columns, values, constants, proficient_levels, not_tested_levels, wide",
        ),
        (
            "kinds: [students, grades]\n",
            "m.yaml, line 1: kinds: 'grades' is not a table; expected students, results, "
            "attendance, discipline, classes, schools",
        ),
        (
            "kinds: [students]\ncolumns:\n  student_id: ID\n  shoe_size: SHOE\n",
            "m.yaml, line 4: columns.shoe_size: 'shoe_size' is not a field of students; expected "
            "one of student_id, school_year, school_code, grade, school_name, race, hispanic, sex, "
            "econ_disadvantaged, disability, english_learner, homeless, foster_care, "
            "military_connected, migrant, gifted, counts_for_school, counts_for_district",
        ),
        (
            "kinds: [students]\ncolumns:\n  scale_score: SS\n",
            "m.yaml, line 3: columns.scale_score: 'scale_score' is not a field of students; "
            "it belongs to results, which is not in kinds",
        ),
        (
            "kinds: [results]\nvalues:\n  subject:\n    MATHEMATICS: maths\n",
            "m.yaml, line 4: values.subject.MATHEMATICS: 'maths' is not a valid subject; "
            "expected one of ela, math, science, social_studies, other",
        ),
        (
            "kinds: [students]\ncolumns:\n  race_ethnicity: RE\n",
            "m.yaml, line 3: columns.race_ethnicity: 'race_ethnicity' is computed by Headway; "
            "remove it from the mapping",
        ),
        (
            "kinds: [students]\nconstants:\n  school_year: next year\n",
            "m.yaml, line 3: constants.school_year: 'next year' is not a valid school year; "
            "expected a school year such as 2024-25",
        ),
        (
            "kinds: [students]\ncolumns: [ID, YEAR]\n",
            "m.yaml, line 2: columns: expected a set of 'key: value' lines",
        ),
        ("- just\n- a list\n", "m.yaml: expected a set of 'key: value' lines"),
        (
            "kinds: [students]\nproficient_levels: Proficient\n",
            "m.yaml, line 2: proficient_levels: expected a list (lines starting with '- ')",
        ),
        (
            "kinds: [results]\nwide:\n  groups:\n    scale_score: {readk: KG, mathk: KG}\n",
            "m.yaml, line 4: wide.groups.scale_score: columns readk and mathk both give "
            "scale_score for period KG; give them different constants_by_group (e.g. subject) "
            "to tell them apart",
        ),
        (
            "kinds: [students]\ncolumns: {school_year: YEAR}\nconstants: {school_year: '2024'}\n",
            "m.yaml, line 2: columns.school_year: 'school_year' is given twice (in columns and "
            "constants); keep one",
        ),
    ],
)
def test_bad_mappings_name_the_key_and_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(MappingError) as caught:
        from_yaml(text, source="m.yaml")
    assert str(caught.value) == message


# --- checks against a file --------------------------------------------------------------


def test_check_names_a_missing_column_and_lists_the_file_columns() -> None:
    frame = text_frame([{"ID": "1", "YEAR": "2024", "SCHOOL_NUM": "12", "VALID": "1"}])
    report = check(small_mapping(), frame, file="scores.csv")
    assert report.detail == [
        Problem(
            "missing_column",
            "The mapping reads a column named 'SCHOOL', but this file has no such column. "
            "The file's columns are: ID, YEAR, SCHOOL_NUM, VALID.",
            file="scores.csv",
            column="SCHOOL",
        )
    ]


def test_check_requires_each_table_key_once() -> None:
    m = replace(small_mapping(), columns={"student_id": "ID"}, constants={}, filters={})
    report = check(m, text_frame([{"ID": "1"}]))
    assert [p.message for p in report.detail] == [
        "Students need a school year: map a column to 'school_year' or set a constant "
        "(e.g. school_year: 2024-25).",
        "Students need a school code: map a column to 'school_code' or set a constant "
        "(e.g. school_code: …).",
        "Results need a subject: map a column to 'subject' or set a constant (e.g. subject: ela).",
    ]
    assert report.counts == {("error", "unmapped_field"): 3}


def test_check_warns_when_no_level_counts_as_proficient() -> None:
    m = replace(
        small_mapping(),
        columns={**small_mapping().columns, "performance_level": "LEVEL"},
        proficient_levels=[],
        filters={},
    )
    frame = text_frame([{"ID": "1", "YEAR": "2024", "SCHOOL": "12", "LEVEL": "Proficient"}])
    report = check(m, frame)
    assert report.ok
    assert report.counts == {("warning", "no_proficient_levels"): 1}


def test_check_accepts_wide_groups_and_group_constants_as_coverage() -> None:
    m = Mapping(
        name="wide",
        kinds=[Kind.RESULTS],
        columns={"student_id": ROW_ID},
        values={},
        constants={},
        proficient_levels=[],
        not_tested_levels=[],
        wide=Wide(
            id_columns=[],
            groups={"scale_score": {"r1": "01"}, "school_code": {"s1": "01"}},
            constants_by_group={"r1": {"subject": "ela", "school_year": "1986"}},
        ),
    )
    assert check(m, text_frame([{"r1": "500", "s1": "7"}])).counts == {}
