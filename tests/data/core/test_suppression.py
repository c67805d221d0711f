"""suppress(): what a viewer without student access sees, and that nothing hidden comes back.

Unit tests assert the exact text and reason a viewer would see for each rule of standards
§1.2; property tests build consistent random tables (schools × grades × student groups,
every total the sum of its parts, as metrics.py makes them) and attack the result by
subtraction, family by family and with exact linear algebra over all published equations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headway.data.core.aggregates import SCHEMA, SUPPRESSION_SCHEMA
from headway.data.core.schema import RACE_ETHNICITY
from headway.data.core.suppression import (
    BANDS,
    BOTTOM_CODE,
    CHANGE_MIN_N,
    CHANGE_SCHEMA,
    COMPLEMENTARY,
    MIN_N,
    REASONS,
    TOP_CODE,
    Policy,
    bottom_band,
    display_percent,
    suppress,
    year_over_year,
)

POLICY = Policy()
RATE = "proficiency_rate"
MEAN = "mean_scale_score"
NUMBERS = ("n", "count", "value", "ci_low", "ci_high", "se")


def cell(
    n: int | None,
    count: int | None = None,
    *,
    group: tuple[str, str] = ("all", "all"),
    grade: str = "05",
    org: tuple[str, str] = ("S1", "school"),
    metric: str = RATE,
    year: int = 2024,
    value: float | None = None,
) -> dict[str, Any]:
    """One aggregate row; a rate's value is count/n unless given, its interval made up."""
    if value is None and count is not None and n:
        value = count / n
    return {
        "org_code": org[0],
        "org_level": org[1],
        "school_year": year,
        "subject": "math",
        "grade": grade,
        "group_type": group[0],
        "group_value": group[1],
        "metric": metric,
        "n": n,
        "count": count,
        "value": value,
        "ci_low": None if value is None else value * 0.9,
        "ci_high": None if value is None else value * 1.1,
        "se": None if value is None else 0.01,
    }


def table(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SCHEMA, orient="row")


def race(code: str) -> tuple[str, str]:
    return ("race_ethnicity", code)


def econ(flag: bool) -> tuple[str, str]:
    return ("econ_disadvantaged", str(flag).lower())


def seen(out: pl.DataFrame, **where: str) -> dict[str, Any]:
    """The one output row matching ``where`` (group="HI" matches group_value)."""
    if "group" in where:
        where["group_value"] = where.pop("group")
    rows = out.filter(**where).to_dicts()
    assert len(rows) == 1, (where, rows)
    return rows[0]


def shows(row: dict[str, Any]) -> tuple[str, str]:
    return row["display"], row["reason"]


# --- R-SUP-1 minimum n -------------------------------------------------------------------------


def test_a_group_below_min_n_shows_only_n_under_min_n() -> None:
    out = suppress(table(cell(9, 4), cell(10, 4, grade="06")), POLICY)
    small = out.row(0, named=True)
    assert shows(small) == ("n<10", MIN_N)
    assert small["suppressed"] is True
    assert all(small[c] is None for c in NUMBERS)
    assert shows(out.row(1, named=True)) == ("40%", "")


def test_the_token_follows_the_districts_min_n() -> None:
    out = suppress(table(cell(14, 7)), Policy(min_n=15))
    assert shows(out.row(0, named=True)) == ("n<15", MIN_N)


def test_means_are_hidden_too_and_otherwise_shown_rounded() -> None:
    out = suppress(
        table(cell(8, metric=MEAN, value=512.3), cell(25, metric=MEAN, value=437.5, grade="06")),
        POLICY,
    )
    assert shows(out.row(0, named=True)) == ("n<10", MIN_N)
    assert out.row(0, named=True)["value"] is None
    assert shows(out.row(1, named=True)) == ("438", "")
    assert out.row(1, named=True)["value"] == 437.5


def test_a_missing_n_counts_as_too_small() -> None:
    out = suppress(table(cell(None, metric=MEAN, value=500.0)), POLICY)
    assert shows(out.row(0, named=True)) == ("n<10", MIN_N)


# --- R-SUP-2/5 numerators ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "count", "display", "count_shown"),
    [
        (50, 20, "40%", 20),  # neither the count nor its complement is small
        (50, 9, "18%", None),  # 9 students: a small count
        (50, 41, "82%", None),  # 9 students are not counted: a small complement
        (50, 10, "20%", 10),
        (50, 40, "80%", 40),
    ],
)
def test_small_counts_and_complements_are_not_published(
    n: int, count: int, display: str, count_shown: int | None
) -> None:
    row = suppress(table(cell(n, count)), POLICY).row(0, named=True)
    assert shows(row) == (display, "")
    assert (row["n"], row["count"], row["value"]) == (n, count_shown, count / n)
    assert row["suppressed"] is False


def test_percentages_are_whole_numbers_rounded_half_up() -> None:
    rows = [cell(40, 17, group=race(r), grade=g) for r, g in (("WH", "03"), ("BL", "04"))]
    rows.append(cell(200, 85, grade="06"))  # 42.5 %
    out = suppress(table(*rows), POLICY)
    assert out.get_column("display").to_list() == ["43%", "43%", "43%"]


# --- R-SUP-3 top and bottom coding --------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "count", "display", "reason"),
    [
        (400, 2, "≤1%", BOTTOM_CODE),
        (400, 4, "≤1%", BOTTOM_CODE),  # exactly 1 %: the band includes its bound
        (400, 5, "1%", ""),
        (400, 397, "≥99%", TOP_CODE),
        (150, 3, "≤2%", BOTTOM_CODE),
        (150, 147, "≥98%", TOP_CODE),
        (50, 2, "≤5%", BOTTOM_CODE),
        (50, 0, "≤5%", BOTTOM_CODE),
        (50, 48, "≥95%", TOP_CODE),
        (50, 50, "≥95%", TOP_CODE),
        (50, 47, "94%", ""),
        (25, 2, "≤10%", BOTTOM_CODE),
        (25, 23, "≥90%", TOP_CODE),
        (25, 3, "12%", ""),
        (12, 2, "≤20%", BOTTOM_CODE),
        (12, 10, "≥80%", TOP_CODE),
        (12, 3, "25%", ""),
    ],
)
def test_rates_near_0_or_100_percent_are_coded_by_size(
    n: int, count: int, display: str, reason: str
) -> None:
    row = suppress(table(cell(n, count)), POLICY).row(0, named=True)
    assert shows(row) == (display, reason)
    assert display_percent(count / n, n, POLICY) == (display, reason)
    assert row["suppressed"] is False
    assert row["n"] == n
    if reason:  # the exact rate and everything it could be rebuilt from is gone
        assert all(row[c] is None for c in ("count", "value", "ci_low", "ci_high", "se"))


def test_level_shares_are_rates() -> None:
    row = suppress(table(cell(60, 59, metric="level_share:4")), POLICY).row(0, named=True)
    assert shows(row) == ("≥95%", TOP_CODE)


def test_means_are_never_coded() -> None:
    row = suppress(table(cell(60, metric=MEAN, value=0.5)), POLICY).row(0, named=True)
    assert shows(row) == ("1", "")


@pytest.mark.parametrize("min_n", [1, 5, 10, 15])
def test_bands_always_contain_one_student(min_n: int) -> None:
    """R-SUP-3's invariant for every n from min_n to 400: "≤b%" includes 1 student and
    "≥t%" includes all but one, so a coded value never pins 0 or everyone."""
    policy = Policy(min_n=min_n, state_min_n=min_n)
    for n in range(min_n, 401):
        b = bottom_band(n)
        t = 100 - b
        assert b >= 100 / n and t <= 100 - 100 / n, n
        assert b < 50 or n < 3, n  # only absurdly small groups get wide bands
        if n < 3:  # 1 or 2 students: the bands meet, every rate is coded
            assert {display_percent(k / n, n, policy)[1] for k in range(n + 1)} <= {
                BOTTOM_CODE,
                TOP_CODE,
            }
            continue
        assert display_percent(1 / n, n, policy) == (f"≤{b}%", BOTTOM_CODE)
        assert display_percent(0.0, n, policy) == (f"≤{b}%", BOTTOM_CODE)
        assert display_percent((n - 1) / n, n, policy) == (f"≥{t}%", TOP_CODE)
        assert display_percent(1.0, n, policy) == (f"≥{t}%", TOP_CODE)


def test_bands_are_utahs_where_they_already_contain_one_student() -> None:
    utah = {300: 1, 100: 2, 40: 5, 20: 10, 10: 20}
    assert dict(BANDS[:-1]) | {10: BANDS[-1][1]} == utah
    expected = {400: 1, 300: 1, 299: 2, 100: 2, 99: 5, 40: 5, 39: 10, 20: 10, 19: 20, 10: 20}
    assert {n: bottom_band(n) for n in expected} == expected
    assert [bottom_band(n) for n in (5, 4, 3, 2, 1)] == [20, 25, 34, 50, 100]
    with pytest.raises(ValueError, match="no rate"):
        bottom_band(0)


def test_the_table_and_display_percent_agree_for_every_count() -> None:
    rows = [
        cell(n, k, grade=f"{n:03d}", group=race(f"{k:03d}"))
        for n in range(10, 121)
        for k in range(n + 1)
    ]
    out = suppress(table(*rows), POLICY)
    expected = [display_percent(k / n, n, POLICY) for n in range(10, 121) for k in range(n + 1)]
    assert list(zip(out["display"], out["reason"], strict=True)) == expected


# --- Policy ------------------------------------------------------------------------------------


def test_a_district_cannot_go_below_its_states_minimum() -> None:
    with pytest.raises(ValueError, match="min_n 8 is below the state's minimum group size of 10"):
        Policy(min_n=8)
    with pytest.raises(ValueError, match="at least 1"):
        Policy(min_n=0, state_min_n=0)
    with pytest.raises(ValueError, match="change_min_n 12 is below min_n 15"):
        Policy(min_n=15, change_min_n=12)
    assert Policy(min_n=15).change_n == 15
    assert Policy(min_n=5, state_min_n=5, change_min_n=20).change_n == 20


# --- R-SUP-4 complementary suppression ------------------------------------------------------------


def test_one_hidden_race_hides_the_next_smallest() -> None:
    out = suppress(
        table(
            cell(100, 40),
            cell(5, 2, group=race("HI")),
            cell(35, 8, group=race("BL")),
            cell(60, 30, group=race("WH")),
        ),
        POLICY,
    )
    assert shows(seen(out, group="HI")) == ("n<10", MIN_N)
    blocker = seen(out, group="BL")
    assert shows(blocker) == ("*", COMPLEMENTARY)
    assert blocker["suppressed"] is True
    assert all(blocker[c] is None for c in NUMBERS)
    assert shows(seen(out, group="WH")) == ("50%", "")
    assert shows(seen(out, group="all")) == ("40%", "")


def test_two_hidden_members_need_nothing_more() -> None:
    out = suppress(
        table(
            cell(100, 40),
            cell(5, 2, group=race("HI")),
            cell(7, 3, group=race("AS")),
            cell(88, 35, group=race("WH")),
        ),
        POLICY,
    )
    assert out.get_column("reason").to_list() == ["", MIN_N, MIN_N, ""]


def test_ties_go_to_the_first_name() -> None:
    out = suppress(
        table(
            cell(70, 30),
            cell(5, 2, group=race("HI")),
            cell(30, 8, group=race("WH")),
            cell(30, 12, group=race("BL")),
            cell(5, 2, group=econ(True)),  # flag family: true 5 → false 65 hidden
            cell(65, 28, group=econ(False)),
        ),
        POLICY,
    )
    assert out.get_column("reason").to_list() == [
        "",
        MIN_N,
        "",
        COMPLEMENTARY,
        MIN_N,
        COMPLEMENTARY,
    ]


def test_binary_factors_hide_both_sides() -> None:
    """R-SUP-4b (Wisconsin): with all students shown, one small side gives the other away."""
    out = suppress(
        table(cell(100, 40), cell(97, 40, group=econ(True)), cell(3, 0, group=econ(False))),
        POLICY,
    )
    assert shows(seen(out, group="true")) == ("*", COMPLEMENTARY)
    assert shows(seen(out, group="false")) == ("n<10", MIN_N)
    assert shows(seen(out, group="all")) == ("40%", "")


def test_a_lone_hidden_member_hides_its_total() -> None:
    """A flag known for few students: true is the only member, so the total is hidden."""
    out = suppress(table(cell(100, 40), cell(5, 1, group=econ(True))), POLICY)
    assert out.get_column("reason").to_list() == [COMPLEMENTARY, MIN_N]


def test_grades_add_up_to_all_grades() -> None:
    out = suppress(
        table(
            cell(75, 30, grade="all"),
            cell(5, 2, grade="03"),
            cell(30, 12, grade="04"),
            cell(40, 16, grade="05"),
        ),
        POLICY,
    )
    assert [shows(r) for r in out.iter_rows(named=True)] == [
        ("40%", ""),
        ("n<10", MIN_N),
        ("*", COMPLEMENTARY),
        ("40%", ""),
    ]


def test_schools_add_up_to_their_district_when_parents_are_known() -> None:
    rows = table(
        cell(74, 30, org=("D1", "district")),
        cell(4, 2, org=("A", "school")),
        cell(20, 8, org=("B", "school")),
        cell(50, 20, org=("C", "school")),
        cell(12, 6, org=("E", "school")),  # another district's school
    )
    parents = {"A": "D1", "B": "D1", "C": "D1", "E": "D2"}
    out = suppress(rows, POLICY, parents)
    assert out.get_column("reason").to_list() == ["", MIN_N, COMPLEMENTARY, "", ""]
    assert suppress(rows, POLICY).get_column("reason").to_list() == ["", MIN_N, "", "", ""]


def test_a_hidden_total_hides_a_member_of_each_of_its_families() -> None:
    """Grade 04's all-students row is hidden to protect grade 03; its races would add up
    to it, so the smallest race of grade 04 goes too (two unknowns in that sum)."""
    out = suppress(
        table(
            cell(75, 30, grade="all"),
            cell(5, 2, grade="03"),
            cell(30, 12, grade="04"),
            cell(40, 16, grade="05"),
            cell(12, 5, grade="04", group=race("BL")),
            cell(18, 7, grade="04", group=race("WH")),
        ),
        POLICY,
    )
    assert out.get_column("reason").to_list() == [
        "",
        MIN_N,
        COMPLEMENTARY,
        "",
        COMPLEMENTARY,
        "",
    ]


def test_combination_groups_are_not_a_partition() -> None:
    out = suppress(
        table(
            cell(100, 40),
            cell(5, 2, group=("combo", "EL with disabilities")),
            cell(30, 12, group=("combo", "homeless EL")),
        ),
        POLICY,
    )
    assert out.get_column("reason").to_list() == ["", MIN_N, ""]


def test_means_follow_the_same_families() -> None:
    """n_total·mean_total − Σ n_i·mean_i would give a lone hidden mean back."""
    out = suppress(
        table(
            cell(100, metric=MEAN, value=450.0),
            cell(5, metric=MEAN, value=400.0, group=race("HI")),
            cell(35, metric=MEAN, value=440.0, group=race("BL")),
            cell(60, metric=MEAN, value=460.0, group=race("WH")),
        ),
        POLICY,
    )
    assert [shows(r) for r in out.iter_rows(named=True)] == [
        ("450", ""),
        ("n<10", MIN_N),
        ("*", COMPLEMENTARY),
        ("460", ""),
    ]


def test_metrics_with_the_same_students_hide_the_same_groups() -> None:
    """Proficiency and level shares share n: different blockers would reveal each other."""
    rows = [
        cell(n, k, group=g, metric=m)
        for m in (RATE, "level_share:1", "level_share:3")
        for n, k, g in (
            (90, 40, ("all", "all")),
            (5, 2, race("HI")),
            (40, 20, race("BL")),
            (40, 18, race("WH")),
        )
    ]
    out = suppress(table(*rows), POLICY)
    by_metric = out.group_by("metric", maintain_order=True).agg("reason")
    assert by_metric.get_column("reason").to_list() == [["", MIN_N, COMPLEMENTARY, ""]] * 3


# --- the returned frame ---------------------------------------------------------------------


def test_columns_order_and_untouched_cells() -> None:
    given = table(cell(100, 40), cell(5, 2, group=race("HI")), cell(95, 38, group=race("WH")))
    out = suppress(given.with_columns(secret=pl.lit("x")), POLICY)
    assert out.schema == pl.Schema({**SCHEMA, **SUPPRESSION_SCHEMA})
    assert out.get_column("group_value").to_list() == ["all", "HI", "WH"]
    assert out.row(0) == given.row(0) + (False, "", "40%")


def test_suppressing_twice_changes_nothing() -> None:
    once = suppress(
        table(
            cell(100, 40),
            cell(5, 2, group=race("HI")),
            cell(35, 34, group=race("BL")),  # coded ≥95% … then hidden
            cell(60, 59, group=race("WH")),  # coded ≥95%
            cell(60, 9, group=race("AS"), grade="04"),  # small count
        ),
        POLICY,
    )
    assert suppress(once, POLICY).equals(once)


def test_a_cell_twice_in_the_table_is_an_error() -> None:
    with pytest.raises(ValueError, match="several rows for one cell"):
        suppress(table(cell(20, 5), cell(30, 5)), POLICY)
    with pytest.raises(ValueError, match="lacks columns: se"):
        suppress(table(cell(20, 5)).drop("se"), POLICY)


def test_an_empty_table_stays_empty() -> None:
    out = suppress(table(), POLICY, {"A": "D"})
    assert out.is_empty() and out.schema == pl.Schema({**SCHEMA, **SUPPRESSION_SCHEMA})


def test_reasons_are_the_documented_ones() -> None:
    assert REASONS == ("MIN_N", "COMPLEMENTARY", "TOP_CODE", "BOTTOM_CODE", "CHANGE_MIN_N")


# --- R-SUP-7 year over year ------------------------------------------------------------------


def two_years(*pairs: tuple[tuple[int, int], tuple[int, int], str]) -> pl.DataFrame:
    """Per group: (n, count) last year, (n, count) this year, the group's race code."""
    rows = []
    for before, now, code in pairs:
        group = ("all", "all") if code == "all" else race(code)
        rows += [cell(*before, group=group, year=2023), cell(*now, group=group, year=2024)]
    return table(*rows)


def test_change_needs_enough_students_in_both_years() -> None:
    frame = two_years(
        ((200, 80), (200, 86), "all"),
        ((40, 20), (40, 18), "WH"),
        ((15, 6), (60, 30), "BL"),  # 15: shown that year, too few for a change
        ((60, 30), (60, 29), "AS"),
        ((45, 24), (40, 9), "HI"),
    )
    out = year_over_year(frame, Policy(change_min_n=20))
    assert out.schema == pl.Schema(CHANGE_SCHEMA)
    got = {
        r["group_value"]: (r["display"], r["reason"], r["change"])
        for r in out.iter_rows(named=True)
    }
    assert got["all"] == ("+3 pts", "", pytest.approx(0.03))
    assert got["WH"] == ("-5 pts", "", pytest.approx(-0.05))
    assert got["BL"] == ("n<20", CHANGE_MIN_N, None)
    assert got["AS"][:2] == ("-2 pts", "")
    assert got["HI"][:2] == ("-31 pts", "")
    assert set(out.get_column("prior_year")) == {2023}
    assert year_over_year(suppress(frame, Policy(change_min_n=20)), Policy(change_min_n=20)).equals(
        out
    )


def test_no_change_from_or_to_a_hidden_value() -> None:
    frame = two_years(
        ((100, 40), (100, 45), "all"),
        ((8, 4), (12, 6), "HI"),  # small last year
        ((30, 10), (30, 11), "BL"),  # complementary last year
        ((62, 26), (58, 57), "WH"),  # coded this year: ≥95%
    )
    got = {
        r["group_value"]: (r["display"], r["reason"], r["change"], r["suppressed"])
        for r in year_over_year(frame, POLICY).iter_rows(named=True)
    }
    assert got["HI"] == ("n<10", CHANGE_MIN_N, None, True)
    assert got["BL"] == ("*", COMPLEMENTARY, None, True)
    assert got["WH"] == ("*", TOP_CODE, None, True)
    assert got["all"] == ("+5 pts", "", pytest.approx(0.05), False)


def test_mean_changes_are_points_of_score() -> None:
    frame = table(cell(30, metric=MEAN, value=430.2, year=2023), cell(31, metric=MEAN, value=441.9))
    row = year_over_year(frame, POLICY).row(0, named=True)
    assert (row["display"], row["school_year"], row["prior_year"]) == ("+12", 2024, 2023)


# --- properties: nothing hidden can be recovered ----------------------------------------------

Key = tuple[str, str, str, str, str]  # org_code, org_level, grade, group_type, group_value


@st.composite
def districts(draw: st.DrawFn) -> tuple[pl.DataFrame, dict[str, str], Policy]:
    """A consistent table: fine cells (school × grade × race × flag) with random n and
    count, summed into schools and the district, each grade and all grades, all students,
    each race and each side of the flag; cells with no students are left out, as metrics
    does. Sizes lean small so that suppression has work to do."""
    schools = [f"S{i}" for i in range(draw(st.integers(1, 3)))]
    grades = [f"{g:02d}" for g in range(3, 3 + draw(st.integers(1, 3)))]
    races = list(RACE_ETHNICITY[: draw(st.integers(1, 4))])
    fine = []
    for school in schools:
        for grade in grades:
            for code in races:
                for flag in ("true", "false"):
                    n = draw(st.one_of(st.integers(0, 4), st.integers(0, 30)))
                    fine.append((school, grade, code, flag, n, draw(st.integers(0, n))))
    min_n = draw(st.integers(5, 15))
    frame = roll_up(
        pl.DataFrame(fine, schema=["org_code", "grade", "race", "flag", "n", "count"], orient="row")
    )
    return frame, dict.fromkeys(schools, "D"), Policy(min_n=min_n, state_min_n=5)


def roll_up(fine: pl.DataFrame) -> pl.DataFrame:
    """Every org × grade × group cell of the fine cells, as metrics.py would."""
    parts = []
    for org in ("school", "district"):
        for grade in ("each", "all"):
            for group_type, column in (
                ("all", None),
                ("race_ethnicity", "race"),
                ("econ_disadvantaged", "flag"),
            ):
                keys = {
                    "org_code": pl.col("org_code") if org == "school" else pl.lit("D"),
                    "grade": pl.col("grade") if grade == "each" else pl.lit("all"),
                    "group_value": pl.col(column) if column else pl.lit("all"),
                }
                parts.append(
                    fine.group_by(*(v.alias(k) for k, v in keys.items()))
                    .agg(pl.col("n", "count").sum())
                    .with_columns(org_level=pl.lit(org), group_type=pl.lit(group_type))
                )
    cells = pl.concat(parts, how="diagonal").filter(pl.col("n") > 0)
    p = pl.col("count") / pl.col("n")
    return cells.with_columns(
        school_year=pl.lit(2024),
        subject=pl.lit("math"),
        metric=pl.lit(RATE),
        value=p,
        ci_low=p * 0.9,
        ci_high=p * 0.9 + 0.1,
        se=(p * (1 - p) / pl.col("n")).sqrt(),
    ).select([pl.col(c).cast(t) for c, t in SCHEMA.items()])


def key(row: dict[str, Any]) -> Key:
    return (row["org_code"], row["org_level"], row["grade"], row["group_type"], row["group_value"])


def families(
    rows: dict[Key, dict[str, Any]], parents: dict[str, str]
) -> Iterator[tuple[Key, list[Key]]]:
    """(total, members) for every published sum, found independently of suppression.py:
    groups of one type → all students, grades → all grades, schools → their district."""
    found: dict[tuple[str, Key, str], list[Key]] = defaultdict(list)
    for member in rows:
        org, level, grade, group_type, value = member
        if group_type != "all":
            found["group", (org, level, grade, "all", "all"), group_type].append(member)
        if grade != "all":
            found["grade", (org, level, "all", group_type, value), ""].append(member)
        if level == "school" and org in parents:
            total = (parents[org], "district", grade, group_type, value)
            found["school", total, ""].append(member)
    for (_, total, _), members in found.items():
        if total in rows:
            yield total, members


def everything(row: dict[str, Any]) -> bool:
    return True


def hidden_n(row: dict[str, Any]) -> bool:
    return bool(row["suppressed"])


def hidden_count(row: dict[str, Any]) -> bool:
    """A count a viewer cannot know: suppressed, or coded (value gone). A count nulled by
    R-SUP-2 is not hidden: the value and n are shown."""
    return bool(row["suppressed"]) or row["value"] is None


def determined(
    rows: dict[Key, dict[str, Any]],
    parents: dict[str, str],
    hidden: Any,
    truth: dict[Key, dict[str, Any]] | None = None,
    column: str = "n",
) -> set[Key]:
    """Hidden cells whose number follows exactly from the published equations.

    Each family is one linear equation over the hidden cells (the shown ones are
    constants). A hidden cell is determined iff its unit vector lies in the row space:
    in reduced row echelon form, a pivot whose row has no other entry. Given ``truth``
    (the rows before suppression), only the equations whose ``column`` adds up there.
    """
    unknowns = sorted(k for k, r in rows.items() if hidden(r))
    index = {k: i for i, k in enumerate(unknowns)}
    equations = []
    for total, members in families(rows, parents):
        if truth and truth[total][column] != sum(truth[m][column] for m in members):
            continue
        eq = {index[m]: Fraction(1) for m in members if m in index}
        if total in index:
            eq[index[total]] = Fraction(-1)
        if eq:
            equations.append(eq)
    pivots = rref(equations)
    return {unknowns[col] for col, row in pivots.items() if set(row) == {col}}


def rref(equations: list[dict[int, Fraction]]) -> dict[int, dict[int, Fraction]]:
    """Reduced row echelon form of sparse rows: pivot column → its normalized row."""
    pivots: dict[int, dict[int, Fraction]] = {}
    for eq in equations:
        row = dict(eq)
        for col, prow in pivots.items():
            if col in row:
                factor = row[col]
                for c, v in prow.items():
                    row[c] = row.get(c, Fraction(0)) - factor * v
                row = {c: v for c, v in row.items() if v != 0}
        if not row:
            continue
        col = min(row)
        scale = row[col]
        row = {c: v / scale for c, v in row.items()}
        for other in pivots.values():
            if col in other:
                factor = other[col]
                for c, v in row.items():
                    other[c] = other.get(c, Fraction(0)) - factor * v
                for c in [c for c, v in other.items() if v == 0]:
                    del other[c]
        pivots[col] = row
    return pivots


@settings(max_examples=200, deadline=None)
@given(districts())
def test_no_published_sum_leaves_one_unknown(
    case: tuple[pl.DataFrame, dict[str, str], Policy],
) -> None:
    """Subtraction attack on every family (groups → all students, grades → all grades,
    schools → district): total − Σ shown members = Σ hidden members must never be a
    single hidden number."""
    frame, parents, policy = case
    out = suppress(frame, policy, parents)
    rows = {key(r): r for r in out.iter_rows(named=True)}
    for total, members in families(rows, parents):
        hidden_members = [m for m in members if hidden_n(rows[m])]
        for member in hidden_members:
            assert hidden_n(rows[total]) or len(hidden_members) >= 2, (total, member)
        assert len(hidden_members) + hidden_n(rows[total]) != 1, total


@settings(max_examples=150, deadline=None)
@given(districts())
def test_what_is_shown_is_safe_and_untouched(
    case: tuple[pl.DataFrame, dict[str, str], Policy],
) -> None:
    frame, parents, policy = case
    out = suppress(frame, policy, parents)
    assert suppress(out, policy, parents).equals(out)  # stable
    for before, after in zip(frame.iter_rows(named=True), out.iter_rows(named=True), strict=True):
        assert key(before) == key(after)
        if after["suppressed"]:
            assert after["reason"] in (MIN_N, COMPLEMENTARY)
            assert all(after[c] is None for c in NUMBERS)
            assert (after["reason"] == MIN_N) == (before["n"] < policy.min_n)
            continue
        assert after["n"] == before["n"] >= policy.min_n
        if after["count"] is not None:
            assert after["count"] >= policy.min_n and after["n"] - after["count"] >= policy.min_n
        if after["reason"]:
            assert after["reason"] in (TOP_CODE, BOTTOM_CODE)
            assert all(after[c] is None for c in ("count", "value", "ci_low", "ci_high", "se"))
        else:
            same = ("value", "ci_low", "ci_high", "se")
            assert all(after[c] == before[c] for c in same)
            assert after["count"] in (before["count"], None)
        assert (after["display"], after["reason"]) == display_percent(
            before["value"], before["n"], policy
        )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 40), st.integers(0, 40)), min_size=1, max_size=8),
    st.integers(5, 15),
)
def test_a_single_partition_never_leaves_one_unknown(
    members: list[tuple[int, int]], min_n: int
) -> None:
    """The brief's case: an "all" cell plus k members with random n and count."""
    codes = [f"G{i}" for i in range(len(members))]
    rows = [cell(n, min(k, n), group=race(c)) for (n, k), c in zip(members, codes, strict=True)]
    rows.append(cell(sum(n for n, _ in members), sum(min(k, n) for n, k in members)))
    out = suppress(table(*rows), Policy(min_n=min_n, state_min_n=5))
    assert sum(out.get_column("suppressed")) != 1
    shown_counts = out.filter(~pl.col("suppressed")).get_column("count").drop_nulls()
    assert not any(1 <= c < min_n for c in shown_counts)
    cells = {key(r): r for r in out.iter_rows(named=True)}
    assert determined(cells, {}, hidden_n) == set()
    assert not {k for k in determined(cells, {}, hidden_count) if cells[k]["suppressed"]}


def test_a_hidden_cell_is_not_recovered_across_linked_families() -> None:
    """Each row and column below has 0 or ≥ 2 hidden cells after the per-equation rule,
    yet grade 04's HI would be 6: the hidden cells form two cycles (03/06 × AM/HI,
    04/05 × AS/MU) joined by one bridge, 04-HI. Adding rows 03, 04, 05 and 06, columns AM
    and MU, and subtracting the HI column: HI04 = (AS04+HI04+MU04) − (AS04+AS05) −
    (MU04+MU05) + (AS05+MU05) = 16 − 26 − 9 + 25 = 6. The audit of the whole system finds
    it and hides the cheapest box around HI04: MU03 (16 students) completes 03/04 × HI/MU,
    and +1 on HI04 and MU03, −1 on MU04 and HI03 moves no published sum."""
    sizes = {
        "03": {"AM": 1, "HI": 9, "MU": 16},
        "04": {"AM": 42, "AS": 4, "HI": 6, "MU": 6},
        "05": {"AM": 25, "AS": 22, "HI": 28, "MU": 3},
        "06": {"AM": 23, "AS": 38, "HI": 12, "MU": 22},
    }
    columns: dict[str, int] = defaultdict(int)
    rows = []
    for grade, races in sizes.items():
        rows.append(cell(sum(races.values()), grade=grade, metric=MEAN, value=500.0))
        for code, n in races.items():
            rows.append(cell(n, grade=grade, group=race(code), metric=MEAN, value=500.0))
            columns[code] += n
    for code, n in columns.items():
        rows.append(cell(n, grade="all", group=race(code), metric=MEAN, value=500.0))
    rows.append(cell(sum(columns.values()), grade="all", metric=MEAN, value=500.0))
    out = suppress(table(*rows), POLICY)
    cells = {key(r): r for r in out.iter_rows(named=True)}
    assert cells["S1", "school", "04", "race_ethnicity", "HI"]["reason"] == MIN_N
    assert shows(cells["S1", "school", "03", "race_ethnicity", "MU"]) == ("*", COMPLEMENTARY)
    blockers = {k[2:] for k, r in cells.items() if r["reason"] == COMPLEMENTARY}
    assert blockers == {("03", "race_ethnicity", "MU"), ("05", "race_ethnicity", "AS")} | {
        ("06", "race_ethnicity", v) for v in ("AM", "HI")
    }
    assert determined(cells, {}, hidden_n) == set()
    assert suppress(out, POLICY).equals(out)


def test_a_table_with_cells_missing_is_audited_too() -> None:
    """A table cut down by its caller: grades, races and flag values are missing, so no
    box around a determined cell has all its corners in the table. The smallest shown
    cell of its equations goes instead, until no hidden n follows from what is shown."""
    rows = table(
        cell(57, 19, grade="03"),
        cell(70, 34, grade="04"),
        cell(16, 8, grade="04", group=race("BL")),
        cell(4, 2, grade="04", group=race("MU")),
        cell(29, 7, grade="04", group=econ(True)),
        cell(254, 125, grade="all"),
        cell(39, 17, grade="all", group=race("BL")),
        cell(143, 67, grade="all", group=econ(False)),
        cell(111, 58, grade="all", group=econ(True)),
    )
    out = suppress(rows, Policy(min_n=9, state_min_n=5))
    cells = {key(r): r for r in out.iter_rows(named=True)}
    assert cells["S1", "school", "04", "race_ethnicity", "MU"]["reason"] == MIN_N
    assert determined(cells, {}, hidden_n) == set()


@st.composite
def linked_districts(draw: st.DrawFn) -> tuple[pl.DataFrame, dict[str, str], Policy]:
    """A district of 1–4 schools × 3–5 grades × 4–7 races (each split by the flag), rolled
    up as in districts(): cells lie in up to three families (groups, grades, schools), the
    shape in which linked sums used to leak about one table in ten. Half the districts
    also count students that none of their schools counts (not a full year at any one,
    as metrics' FAY flags do), so their totals are not the sums of their schools'."""
    schools = [f"S{i}" for i in range(draw(st.integers(1, 4)))]
    elsewhere = ["S-"] if draw(st.booleans()) else []  # counted by the district only
    grades = [f"{g:02d}" for g in range(3, 3 + draw(st.integers(3, 5)))]
    races = list(RACE_ETHNICITY[: draw(st.integers(4, 7))])
    size = st.one_of(st.integers(0, 3), st.integers(0, 25))
    fine = []
    for school in [*schools, *elsewhere]:
        for grade in grades:
            for code in races:
                for flag in ("true", "false"):
                    n = draw(size) if school in schools else draw(st.integers(0, 2))
                    fine.append((school, grade, code, flag, n, draw(st.integers(0, n))))
    frame = roll_up(
        pl.DataFrame(fine, schema=["org_code", "grade", "race", "flag", "n", "count"], orient="row")
    ).filter(pl.col("org_code") != "S-")
    min_n = draw(st.integers(5, 15))
    return frame, dict.fromkeys(schools, "D"), Policy(min_n=min_n, state_min_n=5)


@settings(max_examples=100, deadline=None)
@given(linked_districts())
def test_no_combination_of_published_sums_gives_a_hidden_number_back(
    case: tuple[pl.DataFrame, dict[str, str], Policy],
) -> None:
    """The linear-algebra attack on the whole table: every published equation at once
    (rref over fractions in this file, independent of suppression.py) determines no
    suppressed n, and no suppressed count even with the coded cells' counts unknown.

    Where a district's totals are not its schools' sums, some equations do not hold.
    They can pin a cell even with every number unknown, to 0, which no group of students
    is, so nothing true. Nor may the equations that do hold determine a hidden number,
    unless they pin it with every number unknown too: a count of 0 can be pinned so, by
    the table itself, whatever is hidden."""
    frame, parents, policy = case
    out = suppress(frame, policy, parents)
    cells = {key(r): r for r in out.iter_rows(named=True)}
    truth = {key(r): r for r in frame.iter_rows(named=True)}
    for unknown, column in ((hidden_n, "n"), (hidden_count, "count")):
        for held in (None, truth):
            found = determined(cells, parents, unknown, held, column)
            found = {k for k in found if cells[k]["suppressed"]}
            assert not found or found <= determined(cells, parents, everything, held, column)
    assert suppress(out, policy, parents).equals(out)
