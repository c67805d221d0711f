"""Similar schools: profiles from a students table, the nearest schools on tiny pools whose
distances are worked out by hand, and where a school stands among them."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import pytest

from headway.data.core.similar import (
    DISTANCE,
    FEATURES,
    PROFILE_SCHEMA,
    WEIGHTS,
    Outcome,
    nearest,
    school_profiles,
    with_outcome,
)
from headway.data.core.suppression import Policy, suppress

from .aggregate_cells import ALL, rate, table


def profile(
    code: str,
    *,
    enrollment: float | None = 300,
    econ: float | None = 0.5,
    el: float | None = 0.1,
    swd: float | None = 0.12,
    level: str | None = "elementary",
    outcome: float | None = None,
    year: int = 2024,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "school_code": code,
        "school_year": year,
        "level": level,
        "enrollment": enrollment,
        "econ_share": econ,
        "el_share": el,
        "swd_share": swd,
        "outcome": outcome,
        **extra,
    }


def pool(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), infer_schema_length=None)


def codes(frame: pl.DataFrame) -> list[str]:
    return frame.get_column("school_code").to_list()


# --- profiles --------------------------------------------------------------------------------


def test_profiles_count_students_and_share_flags_among_those_known() -> None:
    students = pl.LazyFrame(
        {
            "student_id": ["a", "b", "c", "d", "e", "a"],
            "school_year": [2024, 2024, 2024, 2024, 2024, 2023],
            "school_code": ["A", "A", "A", "A", "B", "A"],
            "econ_disadvantaged": [True, False, None, True, False, True],
            "english_learner": [True, False, False, False, None, False],
            "disability": [None, None, None, None, True, False],
        }
    )
    frame = school_profiles(students)
    assert frame.schema == pl.Schema(PROFILE_SCHEMA)
    assert frame.rows() == [
        ("A", 2023, 1, 1.0, 0.0, 0.0),
        ("A", 2024, 4, 2 / 3, 0.25, None),  # econ: 2 of the 3 known; nobody's disability known
        ("B", 2024, 1, 0.0, None, 1.0),
    ]


def test_profiles_without_a_flag_column_have_no_share() -> None:
    students = pl.LazyFrame(
        {"student_id": ["a"], "school_year": [2024], "school_code": ["A"], "disability": [True]}
    )
    assert school_profiles(students).row(0) == ("A", 2024, 1, None, None, 1.0)


# --- nearest ---------------------------------------------------------------------------------


def test_it_ranks_schools_by_their_standardized_distance() -> None:
    # Only the economic share differs: 0.50, 0.55, 0.70, 0.10 (mean 0.4625, population
    # sd √(0.196875/4) = 0.221853). Weight 2: distance = √2 · |Δ| / 0.221853.
    profiles = pool(
        profile("A"), profile("B", econ=0.55), profile("C", econ=0.7), profile("D", econ=0.1)
    )
    similar = nearest(profiles, "A", year=2024)
    assert codes(similar.schools) == ["B", "C", "D"]
    assert similar.schools.get_column(DISTANCE).to_list() == pytest.approx(
        [0.318728, 1.274911, 2.549821], abs=1e-6
    )
    assert (similar.compared, similar.skipped, similar.missing) == (3, 0, ())


def test_economic_disadvantage_counts_double() -> None:
    # X differs in the economic share, Y in the English-learner share, each by the same
    # standardized amount (values 0.5, 0.6, 0.5 and 0.2, 0.2, 0.3: Δz = 3/√2 = 2.1213)
    profiles = pool(
        profile("T", econ=0.5, el=0.2),
        profile("X", econ=0.6, el=0.2),
        profile("Y", econ=0.5, el=0.3),
    )
    similar = nearest(profiles, "T", year=2024)
    assert codes(similar.schools) == ["Y", "X"]
    assert similar.schools.get_column(DISTANCE).to_list() == pytest.approx([2.12132, 3.0], abs=1e-5)
    assert WEIGHTS["econ_share"] == 2 * WEIGHTS["el_share"]


def test_enrollment_compares_on_a_log_scale() -> None:
    # From 500 students, 1,000 and 250 are equally far (twice and half); ties go by code
    profiles = pool(
        profile("T", enrollment=500),
        profile("Q", enrollment=250),
        profile("P", enrollment=1000),
        profile("R", enrollment=750),
    )
    similar = nearest(profiles, "T", year=2024)
    assert codes(similar.schools) == ["R", "P", "Q"]
    far = similar.schools.get_column(DISTANCE).to_list()
    assert far[1] == pytest.approx(far[2])


def test_every_feature_has_a_label_and_a_weight_for_users() -> None:
    assert set(FEATURES) == set(WEIGHTS) == {"enrollment", "econ_share", "el_share", "swd_share"}
    assert all(label and label[0].isupper() for label in FEATURES.values())
    assert all(weight > 0 for weight in WEIGHTS.values())


def test_only_schools_of_the_same_level_are_compared() -> None:
    profiles = pool(
        profile("A"),
        profile("M", level="middle"),  # identical numbers, another level
        profile("B", econ=0.9),
        profile("U", level=None),
        profile("V", level="", econ=0.9),
    )
    assert codes(nearest(profiles, "A", year=2024).schools) == ["B"]
    unknown = nearest(profiles, "U", year=2024)
    assert codes(unknown.schools) == ["V"]  # "" is unknown too
    assert unknown.level is None


def test_schools_outside_the_pool_do_not_move_the_distances() -> None:
    base = [profile("A"), profile("B", econ=0.55), profile("C", econ=0.7)]
    alone = nearest(pool(*base), "A", year=2024).schools
    other_level = profile("H", econ=0.01, level="high")
    other_year = profile("B", econ=0.99, year=2023)
    crowded = nearest(pool(*base, other_level, other_year), "A", year=2024).schools
    assert crowded.get_column(DISTANCE).to_list() == alone.get_column(DISTANCE).to_list()


def test_it_returns_k_schools_never_the_school_itself() -> None:
    profiles = pool(*(profile(f"S{i}", econ=i / 10) for i in range(1, 10)))
    similar = nearest(profiles, "S5", year=2024, k=3)
    assert codes(similar.schools) == ["S4", "S6", "S3"]  # S4 and S6 tie: by code
    assert similar.compared == 8


def test_schools_missing_a_feature_are_skipped_and_counted() -> None:
    profiles = pool(
        profile("A"),
        profile("B", econ=0.55),
        profile("C", swd=None),
        profile("D", enrollment=0),  # no students: no log enrollment
        profile("E", level="middle", el=None),  # another level: not counted
    )
    similar = nearest(profiles, "A", year=2024)
    assert codes(similar.schools) == ["B"]
    assert (similar.compared, similar.skipped) == (1, 2)


def test_a_school_missing_a_feature_gets_no_similar_schools_and_is_told_why() -> None:
    profiles = pool(profile("A", el=None, swd=None), profile("B"), profile("C", econ=None))
    similar = nearest(profiles, "A", year=2024)
    assert similar.schools.is_empty()
    assert similar.missing == ("el_share", "swd_share")
    assert (similar.compared, similar.skipped, similar.percentile) == (1, 1, None)


def test_a_file_without_a_feature_column_skips_everyone() -> None:
    profiles = pool(profile("A"), profile("B")).drop("swd_share")
    similar = nearest(profiles, "A", year=2024)
    assert similar.missing == ("swd_share",)


def test_the_percentile_counts_lower_outcomes_and_half_the_ties() -> None:
    profiles = pool(
        profile("A", outcome=0.4),
        profile("B", econ=0.51, outcome=0.3),
        profile("C", econ=0.52, outcome=0.4),
        profile("D", econ=0.53, outcome=0.4),
        profile("E", econ=0.54, outcome=0.6),
        profile("F", econ=0.55, outcome=None),  # no figure: not in the denominator
        profile("G", econ=0.99, outcome=0.0),  # not among the 5 nearest
    )
    similar = nearest(profiles, "A", year=2024)
    # lower: B; ties: C, D → (1 + 2/2) / 4 = 50 %
    assert (similar.outcome, similar.outcomes_known, similar.percentile) == (0.4, 4, 50.0)
    assert similar.profile == {
        "enrollment": 300,
        "econ_share": 0.5,
        "el_share": 0.1,
        "swd_share": 0.12,
        "outcome": 0.4,
    }


def test_without_an_outcome_there_is_no_standing() -> None:
    profiles = pool(profile("A"), profile("B")).drop("outcome")
    similar = nearest(profiles, "A", year=2024)
    assert (similar.outcome, similar.percentile, similar.outcomes_known) == (None, None, 0)
    assert codes(similar.schools) == ["B"]


def test_it_names_its_pool_and_measure() -> None:
    measure = Outcome("proficiency_rate", "math", "all")
    similar = nearest(
        pool(profile("A"), profile("B")), "A", year=2024, pool="network", measure=measure
    )
    assert (similar.school, similar.year, similar.pool, similar.measure) == (
        "A",
        2024,
        "network",
        measure,
    )


def test_a_public_school_file_with_its_own_columns_works() -> None:
    profiles = pool(
        profile("0101", enrollment=412.0, school_name="Alder Creek Elementary"),
        profile("0102", enrollment=380.0, econ=0.52, school_name="Birch Hill Elementary"),
    )
    similar = nearest(profiles, "0101", year=2024, pool="state file")
    row = similar.schools.row(0, named=True)
    assert (row["school_name"], row["enrollment"], row["econ_share"]) == (
        "Birch Hill Elementary",
        380.0,
        0.52,
    )
    assert math.isfinite(row[DISTANCE])


def test_an_unknown_school_or_k_is_an_error() -> None:
    profiles = pool(profile("A"), profile("B"))
    with pytest.raises(LookupError, match="'Z' in 2024"):
        nearest(profiles, "Z", year=2024)
    with pytest.raises(LookupError):
        nearest(profiles, "A", year=2023)
    with pytest.raises(ValueError, match="k must be at least 1"):
        nearest(profiles, "A", year=2024, k=0)
    with pytest.raises(ValueError, match="several rows"):
        nearest(pool(profile("A"), profile("A")), "A", year=2024)


# --- outcomes from the aggregate table -------------------------------------------------------


def test_with_outcome_takes_each_schools_shown_all_students_figure() -> None:
    aggregates = table(
        [
            rate(ALL, 200, 94, org="S1"),
            rate(ALL, 200, 198, org="S2"),  # 99 %: top coded in public
            rate(ALL, 400, 200, org="D", level="district"),
            rate(ALL, 200, 50, org="S1", subject="ela"),
            rate(("english_learner", "true"), 100, 20, org="S1"),
        ]
    )
    profiles = pool(profile("S1", outcome=0.9), profile("S2"), profile("S3")).drop("level")
    measure = Outcome("proficiency_rate", "math", "all")
    inside = with_outcome(profiles, aggregates, measure)
    assert inside.get_column("outcome").to_list() == [0.47, 0.99, None]
    public = with_outcome(profiles, suppress(aggregates, Policy()), measure)
    assert public.get_column("outcome").to_list() == [0.47, None, None]
    assert public.columns == profiles.columns
