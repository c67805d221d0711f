"""The demo district's files: deterministic, in the SIS's own vocabulary, and realistic enough
that gaps, growth, absence and teachers show up where a school team would look for them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from headway.data.core.demo_files import (
    DEFAULT_SCHOOLS,
    FIRST_NAMES,
    LAST_NAMES,
    DemoSpec,
    assessment_rows,
    generate,
)

HEADERS = {
    "assessments": "StudentID,SchoolYear,SchoolCode,Grade,Gender,RaceEthnicity,EconDisadv,EL,SWD,"
    "Homeless,FosterCare,MilitaryConnected,Migrant,FAY_School,FAY_District,TestName,Window,"
    "Subject,GradeTested,ScaleScore,PerformanceLevel",
    "attendance": "StudentID,SchoolYear,SchoolCode,DaysEnrolled,DaysPresent",
    "discipline": "StudentID,SchoolYear,SchoolCode,Incidents,ISS,OSS",
    "classes": "StudentID,SchoolYear,SchoolCode,Subject,SectionID,TeacherID,TeacherName",
}
LEVELS = {
    "Level 1 - Did Not Meet",
    "Level 2 - Approaching",
    "Level 3 - Meets",
    "Level 4 - Exceeds",
    "Not Tested",
}
RACES = {
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Asian",
    "American Indian or Alaska Native",
    "Native Hawaiian or Pacific Islander",
    "Two or More Races",
}
TEXT = {"SchoolCode": pl.String, "Grade": pl.String, "GradeTested": pl.String}
YEARS = ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate(DemoSpec(), tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def results(files: dict[str, Path]) -> pl.DataFrame:
    """Every assessment row, with proficient (null when not tested) and the year as a number."""
    frame = pl.read_csv(files["assessments"], schema_overrides=TEXT)
    level = pl.col("PerformanceLevel")
    return frame.with_columns(
        proficient=pl.when(level != "Not Tested").then(level.str.contains("Level [34]")),
        year=pl.col("SchoolYear").str.slice(0, 4).cast(pl.Int32),
        grade=pl.col("Grade").replace({"K": "0", "PK": "-1"}).cast(pl.Int32),
    )


@pytest.fixture(scope="module")
def attendance(files: dict[str, Path]) -> pl.DataFrame:
    frame = pl.read_csv(files["attendance"], schema_overrides=TEXT)
    missed = (pl.col("DaysEnrolled") - pl.col("DaysPresent")) / pl.col("DaysEnrolled")
    return frame.with_columns(chronic=missed >= 0.10)


def rate(frame: pl.DataFrame, column: str = "proficient") -> float:
    return float(frame[column].mean())  # type: ignore[arg-type]


# --- the files as files ------------------------------------------------------------------


def test_headers_are_the_sis_vocabulary(files):
    assert set(files) == set(HEADERS)
    for kind, path in files.items():
        assert path.read_text(encoding="utf-8").splitlines()[0] == HEADERS[kind]


def test_same_seed_same_files(files, tmp_path):
    again = generate(DemoSpec(), tmp_path)
    for kind, path in files.items():
        assert again[kind].read_bytes() == path.read_bytes(), kind


def test_other_seed_other_files(tmp_path):
    one = generate(DemoSpec(seed=1, years=1), tmp_path / "one")
    two = generate(DemoSpec(seed=2, years=1), tmp_path / "two")
    for kind in ("assessments", "attendance", "discipline", "classes"):
        assert one[kind].read_bytes() != two[kind].read_bytes(), kind


def test_streamed_batches_are_the_assessments_file(files):
    batches = list(assessment_rows(DemoSpec()))
    assert len(batches) == 5 * len(DEFAULT_SCHOOLS)  # one per school and year
    text = (
        HEADERS["assessments"] + "\n" + "".join(b.write_csv(include_header=False) for b in batches)
    )
    assert text == files["assessments"].read_text(encoding="utf-8")


def test_scale_multiplies_rows():
    one = sum(b.height for b in assessment_rows(DemoSpec(years=1)))
    three = sum(b.height for b in assessment_rows(DemoSpec(years=1, scale=3)))
    assert 2.9 < three / one < 3.1


def test_codes_are_the_documented_ones(results):
    assert results["SchoolYear"].unique().sort().to_list() == YEARS
    assert set(results["SchoolCode"]) == {s.code for s in DEFAULT_SCHOOLS}
    assert set(results["Grade"]) == {"3", "4", "5", "6", "7", "8", "10", "11"}
    assert (results["Grade"] == results["GradeTested"]).all()
    assert set(results["Gender"]) == {"Female", "Male"}
    assert set(results["RaceEthnicity"]) == RACES
    for flag in ("EconDisadv", "EL", "SWD", "Homeless", "FosterCare", "MilitaryConnected"):
        assert set(results[flag]) == {"Y", "N"}, flag
    assert set(results["Migrant"]) | set(results["FAY_School"]) == {"Y", "N"}
    assert set(results["TestName"]) == {"State Assessment"}
    assert set(results["Window"]) == {"Spring"}
    assert set(results["Subject"]) == {"Math", "ELA"}
    assert set(results["PerformanceLevel"]) == LEVELS


def test_not_tested_rows_have_no_score(results):
    untested = results["PerformanceLevel"] == "Not Tested"
    assert (untested == results["ScaleScore"].is_null()).all()
    assert 0.01 < untested.mean() < 0.03
    assert results["ScaleScore"].min() >= 300 and results["ScaleScore"].max() <= 600


def test_one_row_per_student_year_and_subject(results, attendance, files):
    assert not results.select("StudentID", "SchoolYear", "Subject").is_duplicated().any()
    assert not attendance.select("StudentID", "SchoolYear").is_duplicated().any()
    classes = pl.read_csv(files["classes"])
    assert not classes.select("StudentID", "SchoolYear", "Subject").is_duplicated().any()
    assert classes.height == 2 * attendance.height
    per_year = attendance.group_by("SchoolYear").len()["len"]
    assert per_year.min() >= 4_900 and per_year.max() <= 5_200
    tested = results.select("StudentID", "SchoolYear", "SchoolCode").unique()
    assert tested.join(attendance, on=["StudentID", "SchoolYear", "SchoolCode"]).height == len(
        tested
    )


def test_full_academic_year_flags(results, attendance):
    students = results.unique(["StudentID", "SchoolYear"])
    assert 0.03 < (students["FAY_School"] == "N").mean() < 0.07
    assert 0.015 < (students["FAY_District"] == "N").mean() < 0.045
    assert students.filter(pl.col("FAY_District") == "N")["FAY_School"].eq("N").all()
    joined = students.join(attendance, on=["StudentID", "SchoolYear"])
    assert joined.filter(pl.col("FAY_School") == "Y")["DaysEnrolled"].eq(180).all()
    assert joined.filter(pl.col("FAY_School") == "N")["DaysEnrolled"].lt(180).all()


def test_default_schools_match_the_demo_district():
    from headway.orgs.demo import SCHOOLS

    def grade(code: str) -> int:
        return {"PK": -1, "KG": 0}[code] if code in ("PK", "KG") else int(code)

    assert len(DEFAULT_SCHOOLS) == len(SCHOOLS)
    for ours, theirs in zip(DEFAULT_SCHOOLS, SCHOOLS, strict=True):
        name, code, _level, low, high, enrollment, econ, el, swd, _locale, designation, _ = theirs
        assert (ours.code, ours.name, ours.enrollment) == (code, name, enrollment)
        assert (ours.low, ours.high) == (grade(low), grade(high))
        assert (ours.pct_econ, ours.pct_el, ours.pct_swd) == (float(econ), float(el), float(swd))
        assert ours.designation == designation


# --- what a school team would notice -------------------------------------------------------


def test_district_proficiency_is_plausible(results):
    assert 0.35 < rate(results) < 0.60


def test_csi_schools_do_worse(results):
    csi = {s.code for s in DEFAULT_SCHOOLS if s.designation == "csi"}
    by_school = results.group_by("SchoolCode").agg(pl.col("proficient").mean())
    is_csi = pl.col("SchoolCode").is_in(csi)
    assert by_school.filter(is_csi)["proficient"].mean() + 0.1 < (
        by_school.filter(~is_csi)["proficient"].mean()
    )


@pytest.mark.parametrize("flag,gap", [("EconDisadv", 0.10), ("EL", 0.15), ("SWD", 0.15)])
def test_group_gaps(results, flag, gap):
    group = rate(results.filter(pl.col(flag) == "Y"))
    others = rate(results.filter(pl.col(flag) == "N"))
    assert others - group > gap


def test_race_ethnicity_gaps(results):
    white = rate(results.filter(pl.col("RaceEthnicity") == "White"))
    for group in ("Black or African American", "Hispanic or Latino"):
        assert white - rate(results.filter(pl.col("RaceEthnicity") == group)) > 0.05, group


def test_chronic_absence(results, attendance):
    assert 0.10 < rate(attendance, "chronic") < 0.30
    joined = results.drop_nulls("proficient").join(attendance, on=["StudentID", "SchoolYear"])
    proficient = rate(joined.filter(pl.col("proficient")), "chronic")
    assert rate(joined.filter(~pl.col("proficient")), "chronic") > proficient + 0.05
    econ = rate(joined.filter(pl.col("EconDisadv") == "Y"), "chronic")
    assert econ > rate(joined.filter(pl.col("EconDisadv") == "N"), "chronic") + 0.05


def test_discipline_follows_absence(files, attendance):
    discipline = pl.read_csv(files["discipline"], schema_overrides=TEXT)
    assert discipline.height == attendance.height
    assert (discipline["ISS"] + discipline["OSS"] <= discipline["Incidents"]).all()
    joined = discipline.join(attendance, on=["StudentID", "SchoolYear", "SchoolCode"])
    chronic = joined.filter(pl.col("chronic"))["Incidents"].mean()
    assert chronic > 1.3 * joined.filter(~pl.col("chronic"))["Incidents"].mean()  # type: ignore[operator]


def test_students_move_up_a_grade_each_year(results):
    this = results.filter(pl.col("year") < 2025, pl.col("grade").is_in([3, 4, 5, 6, 7, 10]))
    following = results.select(
        "StudentID", "Subject", year=pl.col("year") - 1, next_grade="grade", next="ScaleScore"
    )
    pairs = this.join(following, on=["StudentID", "Subject", "year"])
    assert len(pairs) > 0.75 * len(this)  # most students stay in the district
    assert (pairs["next_grade"] == pairs["grade"] + 1).all()
    assert (pairs["next"] - pairs["ScaleScore"]).mean() > 5


def anova_f(scores: pl.DataFrame, cell: list[str], unit: str) -> float:
    """One-way analysis of variance of scores between units within cells, pooled over cells:
    about 1 when units are random groups of a cell's students, above 1 when units matter."""
    dev = pl.col("ScaleScore") - pl.col("ScaleScore").mean().over(cell)
    by_unit = (
        scores.with_columns(dev=dev)
        .group_by(*cell, unit)
        .agg(mean=pl.col("dev").mean(), var=pl.col("dev").var(ddof=0), n=pl.len())
    )
    units, cells, students = by_unit.height, by_unit.select(cell).n_unique(), len(scores)
    between = float((by_unit["n"] * by_unit["mean"] ** 2).sum()) / (units - cells)
    within = float((by_unit["n"] * by_unit["var"]).sum()) / (students - units)
    return between / within


def test_teacher_effects_spread_class_means(results, files):
    """A teacher's students score apart from the rest of their school, grade and subject more
    than chance would put them; shuffling the teachers within cells takes that away."""
    classes = pl.read_csv(files["classes"])
    cell = ["SchoolYear", "SchoolCode", "Grade", "Subject"]
    scores = results.drop_nulls("ScaleScore").join(
        classes, on=["StudentID", "SchoolYear", "Subject"]
    )
    scores = scores.filter(pl.col("TeacherID").n_unique().over(cell) >= 2)
    assert anova_f(scores, cell, "TeacherID") > 1.4
    shuffled = scores.with_columns(pl.col("TeacherID").shuffle(seed=1).over(cell))
    assert anova_f(shuffled, cell, "TeacherID") < 1.25


def test_teachers_are_fictional_and_at_the_students_school(files, attendance):
    classes = pl.read_csv(files["classes"], schema_overrides={"SchoolCode": pl.String})
    names = classes["TeacherName"].unique().str.split_exact(", ", 1).struct.unnest()
    assert set(names["field_0"]) <= set(LAST_NAMES)
    assert set(names["field_1"]) <= set(FIRST_NAMES)
    assert classes["TeacherID"].str.contains(r"^T\d{4}-\d{2,}$").all()
    assert (
        classes.group_by("TeacherID").agg(pl.col("TeacherName").n_unique())["TeacherName"].max()
        == 1
    )
    joined = classes.join(attendance, on=["StudentID", "SchoolYear", "SchoolCode"])
    assert (joined["TeacherID"].str.slice(1, 4) == joined["SchoolCode"]).all()
    assert (joined["SectionID"].str.slice(0, 4) == joined["SchoolCode"]).all()
