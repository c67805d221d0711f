"""The import pipeline end to end, without the web pages: stored only when everything is right."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import polars as pl
import pytest

from headway.data import pipeline, storage
from headway.data.core.mapping import propose, to_yaml
from headway.data.core.readers import read_table
from headway.data.core.schema import Kind
from headway.data.models import Coverage, Import, Snapshot
from tests.conftest import World


def _import(world: World, path: Path, yaml: str | None = None) -> Import:
    stored, sha, size = storage.save_stream([path.read_bytes()], ".csv", max_bytes=10**9)
    mapping = yaml or to_yaml(propose(read_table(stored, name=path.name).frame, name="test"))
    imp = Import.objects.create(
        district=world.district,
        file_name=path.name,
        upload_path=str(stored),
        size=size,
        sha256=sha,
        mapping_yaml=mapping,
        status=Import.Status.QUEUED,
    )
    pipeline.run(imp)
    imp.refresh_from_db()
    return imp


def test_a_good_file_becomes_current_data(coded_world: World, good_csv: Path) -> None:
    imp = _import(coded_world, good_csv)
    assert imp.status == Import.Status.DONE, imp.report
    results = pipeline.current(coded_world.district.pk, Kind.RESULTS).collect()
    assert results.height == 5
    proficient = dict(
        zip(results["scale_score"].to_list(), results["proficient"].to_list(), strict=True)
    )
    assert proficient[412.0] is True and proficient[398.0] is False
    students = pipeline.current(coded_world.district.pk, Kind.STUDENTS).collect()
    assert sorted(students["student_id"].to_list()) == ["S1", "S2", "S3"]
    assert set(Coverage.objects.values_list("school_year", flat=True)) == {2023}


def test_an_unknown_school_refuses_the_file_and_stores_nothing(
    coded_world: World, good_csv: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(good_csv.read_text().replace("E2", "ZZ9"), encoding="utf-8")
    imp = _import(coded_world, bad)
    assert imp.status == Import.Status.REFUSED
    problem = next(p for p in imp.report["detail"] if p["kind"] == "unknown_school")
    assert (problem["row"], problem["column"], problem["value"]) == (5, "SchoolCode", "ZZ9")
    assert not Snapshot.objects.exists() and not Coverage.objects.exists()


def test_a_failure_while_storing_keeps_the_previous_data(
    coded_world: World, good_csv: Path, tmp_path: Path
) -> None:
    first = _import(coded_world, good_csv)
    second_file = tmp_path / "second.csv"
    second_file.write_text(good_csv.read_text().replace("412", "999"), encoding="utf-8")
    with mock.patch("headway.data.pipeline._make_current", side_effect=OSError("disk full")):
        failed = _import(coded_world, second_file)
    assert failed.status == Import.Status.FAILED and "Nothing was changed" in failed.error
    assert set(Coverage.objects.values_list("snapshot__source", flat=True)) == {first.pk}
    scores = pipeline.current(coded_world.district.pk, Kind.RESULTS).collect()["scale_score"]
    assert 999.0 not in scores.to_list()
    snapshot_files = list((storage.data_dir() / "snapshots").rglob("*.parquet"))
    assert len(snapshot_files) == 2, "the failed import's files were removed"


def test_reimporting_replaces_the_years_it_covers_and_rollback_restores(
    coded_world: World, good_csv: Path, tmp_path: Path
) -> None:
    first = _import(coded_world, good_csv)
    newer = tmp_path / "newer.csv"
    newer.write_text(good_csv.read_text().replace("412", "433"), encoding="utf-8")
    second = _import(coded_world, newer)
    assert second.status == Import.Status.DONE
    scores = pipeline.current(coded_world.district.pk, Kind.RESULTS).collect()["scale_score"]
    assert 433.0 in scores.to_list() and 412.0 not in scores.to_list()
    pipeline.rollback(first.snapshots.get(kind="results"))
    scores = pipeline.current(coded_world.district.pk, Kind.RESULTS).collect()["scale_score"]
    assert 412.0 in scores.to_list()
    assert Snapshot.objects.count() == 4, "earlier snapshots are kept"


def test_cancelling_stops_before_anything_is_stored(coded_world: World, good_csv: Path) -> None:
    original = pipeline._progress

    def cancel_when_validating(imp: Import, **fields: object) -> None:
        if fields.get("phase") == "validating":
            Import.objects.filter(pk=imp.pk).update(cancel_requested=True)
        original(imp, **fields)

    with mock.patch("headway.data.pipeline._progress", side_effect=cancel_when_validating):
        imp = _import(coded_world, good_csv)
    assert imp.status == Import.Status.CANCELLED
    assert not Coverage.objects.exists()


def test_an_unreadable_file_is_refused_with_its_reason(coded_world: World, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    mapping = to_yaml(propose(pl.DataFrame({"StudentID": ["1"]}), name="x"))
    imp = _import(coded_world, empty, mapping)
    assert imp.status == Import.Status.REFUSED
    assert "empty" in imp.report["detail"][0]["message"]


def test_imports_whose_worker_died_are_marked_failed(coded_world: World) -> None:
    imp = Import.objects.create(
        district=coded_world.district,
        file_name="x.csv",
        sha256="0",
        status="running",
        worker_id="gone",
    )
    assert pipeline.fail_abandoned() == 1
    imp.refresh_from_db()
    assert imp.status == Import.Status.FAILED and "worker stopped" in imp.error


@pytest.mark.django_db
def test_old_uploads_are_pruned(data_dir: Path) -> None:
    path, _sha, _size = storage.save_stream([b"a,b\n1,2\n"], ".csv", max_bytes=100)
    old = 40 * 86400
    import os
    import time

    os.utime(path, (time.time() - old, time.time() - old))
    assert storage.prune_uploads(30) == 1 and not path.exists()
