"""The schools table: public school-level files, one row per school and school year."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from headway.data.core.mapping import Mapping, MappingError, from_yaml, propose, to_yaml
from headway.data.core.readers import read_table
from headway.data.core.schema import LEVELS, Kind
from headway.data.core.validate import normalize
from headway.orgs.models import Organization

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
MICHIGAN = SHARED / "school_level" / "michigan_school93_98.csv"
needs_michigan = pytest.mark.skipif(not MICHIGAN.is_file(), reason=f"{MICHIGAN} is absent")

SCHOOLS = Mapping(
    name="schools",
    kinds=[Kind.SCHOOLS],
    columns={
        "school_year": "year",
        "school_code": "schid",
        "enrollment": "enrol",
        "econ_share": "lunch",
        "proficiency_rate": "math4",
    },
    values={},
    constants={},
    proficient_levels=[],
    not_tested_levels=[],
    percents=["econ_share", "proficiency_rate"],
)


def frame(*rows: tuple[str, ...]) -> pl.DataFrame:
    names = ["schid", "year", "enrol", "lunch", "math4"]
    return pl.DataFrame(
        [dict(zip(names, r, strict=True)) for r in rows], schema=dict.fromkeys(names, pl.String)
    )


@pytest.fixture(scope="module")
def michigan() -> pl.DataFrame:
    return read_table(MICHIGAN, name=MICHIGAN.name).frame


@needs_michigan
def test_it_proposes_a_schools_mapping_for_the_michigan_file(michigan: pl.DataFrame) -> None:
    m = propose(michigan, name=MICHIGAN.name)
    assert m.kinds == [Kind.SCHOOLS]
    assert m.columns == {
        "school_year": "year",
        "school_code": "schid",
        "district_code": "distid",
        "enrollment": "enrol",
        "econ_share": "lunch",
        "proficiency_rate": "math4",
    }
    assert m.percents == ["econ_share", "proficiency_rate"]
    assert m.values == {"school_year": {str(y): str(y - 1) for y in range(1993, 1999)}}
    assert from_yaml(to_yaml(m)) == m


@needs_michigan
def test_the_proposed_mapping_imports_the_michigan_file_as_it_is(michigan: pl.DataFrame) -> None:
    m = from_yaml(to_yaml(propose(michigan, name=MICHIGAN.name)))
    result = normalize(michigan, m, file=MICHIGAN.name, known_schools=set(), trimmed=True)
    assert result.report.ok and not result.report.counts, result.report.detail[:3]
    schools = result.tables[Kind.SCHOOLS]
    assert schools.height == 10_668 == michigan.height
    assert sorted(schools["school_year"].unique()) == list(range(1992, 1998))
    # Data row 5000: 82010,2398,70,990,2500,15.5,1994,…
    row = schools.filter(pl.col("school_code") == "2398", pl.col("school_year") == 1993)
    assert row.select(
        "district_code", "enrollment", "econ_share", "proficiency_rate", "el_share"
    ).row(0) == ("82010", 990, pytest.approx(0.70), pytest.approx(0.155), None)


def test_shares_are_read_as_percents_only_when_the_mapping_says_so() -> None:
    rows = frame(("4937", "2001", "468", "40.6", "83.3"))
    as_percents = normalize(rows, SCHOOLS, file="f.csv").tables[Kind.SCHOOLS]
    assert as_percents.select("econ_share", "proficiency_rate").row(0) == pytest.approx(
        (0.406, 0.833)
    )
    rows = frame(("4937", "2001", "468", "0.406", "0.833"))
    as_shares = normalize(rows, replace(SCHOOLS, percents=[]), file="f.csv")
    assert as_shares.report.ok
    assert as_shares.tables[Kind.SCHOOLS]["econ_share"].to_list() == [0.406]


def test_values_out_of_range_are_errors_with_their_place() -> None:
    rows = frame(
        ("1", "2001", "468", "40.6", "83.3"),
        ("2", "2001", "-5", "104.2", "83.3"),
        ("3", "2001", "12", "40", "-1"),
    )
    result = normalize(rows, SCHOOLS, file="f.csv")
    assert result.report.counts == {("error", "impossible_value"): 3}
    found = {(p.row, p.column, p.value): p.message for p in result.report.detail}
    assert found == {
        (2, "enrol", "-5"): "Enrollment cannot be negative.",
        (2, "lunch", "104.2"): (
            "Economically disadvantaged share is a percent from 0 to 100; '104.2' is not."
        ),
        (3, "math4", "-1"): "Proficiency rate is a percent from 0 to 100; '-1' is not.",
    }
    assert {p.file for p in result.report.detail} == {"f.csv"}


def test_a_percent_read_as_a_share_says_how_to_fix_the_mapping() -> None:
    rows = frame(("1", "2001", "468", "40.6", "0.5"))
    result = normalize(rows, replace(SCHOOLS, percents=[]), file="f.csv")
    (problem,) = result.report.detail
    assert (problem.kind, problem.row, problem.column, problem.value) == (
        "impossible_value",
        1,
        "lunch",
        "40.6",
    )
    assert "from 0 to 1" in problem.message and "list econ_share under percents" in problem.message


def test_text_in_a_number_column_is_a_bad_number() -> None:
    result = normalize(frame(("1", "2001", "many", "n/a", "50")), SCHOOLS, file="f.csv")
    assert result.report.counts == {("error", "bad_number"): 2}
    assert {(p.column, p.value) for p in result.report.detail} == {
        ("enrol", "many"),
        ("lunch", "n/a"),
    }


def test_a_school_twice_in_a_year_is_a_duplicate_named_by_school() -> None:
    rows = frame(
        ("7", "2001", "1", "1", "1"), ("8", "2001", "1", "1", "1"), ("7", "2001", "2", "2", "2")
    )
    result = normalize(rows, SCHOOLS, file="f.csv")
    assert result.report.counts == {("error", "duplicate"): 2}
    first = result.report.detail[0]
    assert (first.row, first.column, first.value) == (1, "schid", "7")
    assert (
        first.message
        == "Rows 1 and 3 are the same school record (school 7, 2000-01): keep only one."
    )


def test_the_districts_schools_are_not_checked() -> None:
    rows = frame(("4937", "2001", "468", "40.6", "83.3"))
    result = normalize(rows, SCHOOLS, file="f.csv", known_schools={"A1"})
    assert result.report.ok and not result.report.counts


def test_a_student_file_without_ids_is_still_about_students() -> None:
    flags = pl.DataFrame({"school": ["A1", "A1"], "year": ["2021", "2021"], "lunch": ["1", "0"]})
    assert propose(flags).kinds == [Kind.STUDENTS]
    words = pl.DataFrame({"school": ["A1"], "year": ["2021"], "lunch": ["Free"]})
    assert propose(words).kinds == [Kind.STUDENTS]


def test_a_school_file_of_proportions_has_no_percents() -> None:
    shares = pl.DataFrame(
        {"schid": ["1", "2"], "year": ["2021", "2021"], "pct_frl": ["0.4", "0.25"]}
    )
    m = propose(shares)
    assert m.kinds == [Kind.SCHOOLS] and m.columns["econ_share"] == "pct_frl"
    assert m.percents == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "kinds: [schools, students]\n",
            "m.yaml, line 1: kinds: schools cannot share a mapping with student tables; "
            "import them separately",
        ),
        (
            "kinds: [schools]\ncolumns: {enrollment: enrol}\npercents: [enrollment]\n",
            "m.yaml, line 3: percents.0: 'enrollment' is not a share field; expected econ_share, "
            "el_share, swd_share, proficiency_rate",
        ),
        (
            "kinds: [schools]\nconstants: {econ_share: '0.5'}\npercents: [econ_share]\n",
            "m.yaml, line 3: percents.0: 'econ_share' is not read from a column, so it has no "
            "percents",
        ),
        (
            "kinds: [schools]\ncolumns: {student_id: ID}\n",
            "m.yaml, line 2: columns.student_id: 'student_id' is not a field of schools; "
            "it belongs to students, results, attendance, discipline, classes, which is not in "
            "kinds",
        ),
    ],
)
def test_bad_schools_mappings_say_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(MappingError) as caught:
        from_yaml(text, source="m.yaml")
    assert str(caught.value) == message


def test_school_levels_are_the_organization_levels() -> None:
    assert list(LEVELS) == list(Organization.Level.values)
