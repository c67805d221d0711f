"""A public school-level file imported end to end: the district need not have its schools."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from headway.data import pipeline
from headway.data.core.schema import Kind
from headway.data.models import Coverage, Import, Snapshot
from tests.conftest import World
from tests.data.test_pipeline import _import

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
MICHIGAN = SHARED / "school_level" / "michigan_school93_98.csv"

pytestmark = pytest.mark.skipif(not MICHIGAN.is_file(), reason=f"{MICHIGAN} is absent")


def test_the_michigan_file_becomes_a_current_schools_snapshot(world: World) -> None:
    schools_before = world.district.children.count()
    imp = _import(world, MICHIGAN)
    assert imp.status == Import.Status.DONE, imp.report or imp.error
    assert imp.report["errors"] == 0 and imp.rows_stored == 10_668
    years = list(range(1992, 1998))  # 1992-93 … 1997-98: the file's years 1993 … 1998
    snapshot = Snapshot.objects.get(kind=Kind.SCHOOLS.value)
    assert snapshot.years == years and snapshot.rows == 10_668
    covered = Coverage.objects.filter(district=world.district, kind=Kind.SCHOOLS.value)
    assert sorted(covered.values_list("school_year", flat=True)) == years
    current = pipeline.current(world.district.pk, Kind.SCHOOLS).collect()
    assert current.height == 10_668
    first = current.filter(pl.col("school_code") == "1", pl.col("school_year") == 1992)
    assert first.select("enrollment", "econ_share").row(0) == (256, pytest.approx(0.398))
    assert world.district.children.count() == schools_before, "no school was added"
    assert not Coverage.objects.exclude(kind=Kind.SCHOOLS.value).exists()
