"""A district's results after importing sgpData_LONG, checked against a plain count of the file."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import defaultdict
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command

from headway.data.core.aggregates import KEY
from headway.explore import cube
from headway.explore.cube import Audience
from tests.conftest import World
from tests.explore.conftest import SGP, import_file, needs_shared

PROFICIENT = {"Proficient", "Advanced"}
SCHOOL = "1851"  # Silk-Royal Elementary School


def _by_hand(column: str, yes: str) -> dict[tuple[str, str], tuple[int, int, float]]:
    """(school, group value) → (tested, proficient, mean score) for math in 2024–25."""
    cells: dict[tuple[str, str], list[float]] = defaultdict(list)
    hits: dict[tuple[str, str], int] = defaultdict(int)
    with gzip.open(SGP, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["YEAR"], row["CONTENT_AREA"]) != ("2024_2025", "MATHEMATICS"):
                continue
            if row["ACHIEVEMENT_LEVEL"] == "No Score" or not row["SCALE_SCORE"]:
                continue
            if row["SCHOOL_ENROLLMENT_STATUS"] != "Enrolled School: Yes":
                continue
            for key in (
                (row["SCHOOL_NUMBER"], "all"),
                (row["SCHOOL_NUMBER"], str(row[column] == yes).lower()),
            ):
                cells[key].append(float(row["SCALE_SCORE"]))
                hits[key] += row["ACHIEVEMENT_LEVEL"] in PROFICIENT
    return {k: (len(v), hits[k], sum(v) / len(v)) for k, v in cells.items()}


def _cell(frame: pl.DataFrame, metric: str, group_type: str, value: str) -> dict[str, Any]:
    rows = frame.filter(
        (pl.col("org_code") == SCHOOL)
        & (pl.col("school_year") == 2024)
        & (pl.col("subject") == "math")
        & (pl.col("grade") == "all")
        & (pl.col("metric") == metric)
        & (pl.col("group_type") == group_type)
        & (pl.col("group_value") == value)
    )
    assert rows.height == 1, rows
    return rows.row(0, named=True)


@needs_shared
def test_results_by_group_match_a_count_of_the_file(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    import_file(world.district, SGP)
    internal = cube.load(world.district, Audience.INTERNAL).frame
    expected = _by_hand("ELL_STATUS", "ELL: Yes")
    for group_type, value in (
        ("all", "all"),
        ("english_learner", "true"),
        ("english_learner", "false"),
    ):
        tested, proficient, mean = expected[(SCHOOL, value)]
        rate = _cell(internal, "proficiency_rate", group_type, value)
        assert (rate["n"], rate["count"]) == (tested, proficient)
        assert rate["value"] == pytest.approx(proficient / tested)
        assert rate["ci_low"] < rate["value"] < rate["ci_high"]
        score = _cell(internal, "mean_scale_score", group_type, value)
        assert score["value"] == pytest.approx(mean)

    # The command line prints the same cells, for the school only.
    call_command(
        "metrics",
        district=str(world.district.code),
        school=SCHOOL,
        audience="internal",
        format="json",
    )
    printed = json.loads(capsys.readouterr().out)
    assert {row["org_code"] for row in printed} == {SCHOOL}
    cli = next(
        r
        for r in printed
        if (r["school_year"], r["subject"], r["grade"], r["group_type"], r["metric"])
        == (2024, "math", "all", "all", "proficiency_rate")
    )
    assert cli["n"] == expected[(SCHOOL, "all")][0]
    assert list(printed[0]) == [
        "org_code",
        "school_year",
        "subject",
        "grade",
        "group_type",
        "group_value",
        "metric",
        "n",
        "value",
        "ci_low",
        "ci_high",
        "suppressed",
        "reason",
    ]

    # Public: no group under 10 students shows a number, anywhere in the table.
    public = cube.load(world.district, Audience.PUBLIC).frame
    small = internal.filter(pl.col("n") < 10).select(list(KEY))
    leaked = public.join(small, on=list(KEY)).filter(
        pl.col("value").is_not_null() | pl.col("n").is_not_null()
    )
    assert small.height > 0 and leaked.height == 0
    call_command("metrics", district=str(world.district.code), format="csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == public.height
    assert all(row["value"] == "" for row in rows if row["reason"] == "MIN_N")
