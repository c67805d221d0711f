"""Results are recomputed whenever a district's data changes, with its reporting settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from django.core.exceptions import ValidationError

from headway.data import pipeline
from headway.data.models import Snapshot
from headway.explore import cube
from headway.explore.cube import Audience
from headway.explore.models import ReportingSettings, ResultsTable
from tests.conftest import World
from tests.explore.conftest import import_file

HEADER = "StudentID,SchoolYear,SchoolCode,Grade,Subject,ScaleScore,PerformanceLevel\n"


def _file(tmp_path: Path, name: str, levels: list[str]) -> Path:
    lines = [f"S{i},2023-24,A1,3,Math,{400 + i},{level}" for i, level in enumerate(levels)]
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _all_students_rate(world: World, audience: Audience = Audience.INTERNAL) -> object:
    frame = cube.load(world.district, audience).frame.filter(
        (pl.col("org_code") == "A1")
        & (pl.col("metric") == "proficiency_rate")
        & (pl.col("grade") == "all")
        & (pl.col("group_type") == "all")
    )
    return frame.row(0, named=True)["value"]


@pytest.fixture
def a1(world: World) -> World:
    world.school.local_id = "A1"
    world.school.save()
    return world


def test_an_import_and_a_rollback_each_recompute_the_results(
    a1: World,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        first = import_file(
            a1.district, _file(tmp_path, "first.csv", ["Proficient"] * 12), refresh=False
        )
    assert _all_students_rate(a1) == 1.0
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        import_file(a1.district, _file(tmp_path, "second.csv", ["Basic"] * 12), refresh=False)
    assert _all_students_rate(a1) == 0.0
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        pipeline.rollback(Snapshot.objects.get(source=first, kind="results"))
    assert _all_students_rate(a1) == 1.0
    kept = ResultsTable.objects.filter(district=a1.district, status="ready")
    assert kept.count() == cube.KEEP
    assert all(Path(t.internal_path).exists() for t in kept)


def test_a_group_below_the_district_minimum_is_hidden_from_the_public(
    a1: World, tmp_path: Path
) -> None:
    import_file(a1.district, _file(tmp_path, "twelve.csv", ["Proficient"] * 12))
    assert _all_students_rate(a1, Audience.PUBLIC) is None  # 100 % of 12 is top-coded
    ReportingSettings.objects.filter(district=a1.district).update(min_n=13)
    cube.refresh(a1.district)
    row = cube.load(a1.district, Audience.PUBLIC).frame.filter(
        (pl.col("org_code") == "A1") & (pl.col("metric") == "proficiency_rate")
    )
    assert set(row["reason"]) == {"MIN_N"} and row["n"].null_count() == row.height
    internal = cube.load(a1.district, Audience.INTERNAL).frame
    assert internal["n"].null_count() == 0 and "MIN_N" in set(internal["reason"])


def test_a_district_cannot_go_below_its_states_minimum(world: World) -> None:
    world.district.state = "DE"
    world.district.save()
    chosen = cube.settings_for(world.district)
    chosen.min_n = 10
    with pytest.raises(ValidationError, match="15"):
        chosen.full_clean()
    assert chosen.policy().min_n == 15


def test_a_failed_computation_keeps_the_previous_results(a1: World, tmp_path: Path) -> None:
    import_file(a1.district, _file(tmp_path, "ok.csv", ["Proficient"] * 12))
    before = cube.latest(a1.district)
    ReportingSettings.objects.filter(district=a1.district).update(
        combos=[{"name": "x", "flags": {"not_a_flag": True}}]
    )
    failed = cube.refresh(a1.district)
    assert failed.status == ResultsTable.Status.FAILED and "could not be computed" in failed.error
    assert cube.latest(a1.district) == before
