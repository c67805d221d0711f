from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from headway.data.core.mapping import propose, to_yaml
from headway.data.core.readers import read_table
from headway.data.models import Coverage, Snapshot
from tests.conftest import World


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def mapping_file(good_csv: Path, tmp_path: Path) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(to_yaml(propose(read_table(good_csv).frame, name="nightly")), encoding="utf-8")
    return path


def test_a_nightly_load_prints_one_line(
    coded_world: World, good_csv: Path, mapping_file: Path
) -> None:
    out = _run(
        "import_file", "--district", "Riverbend", "--mapping", str(mapping_file), str(good_csv)
    )
    assert out.count("\n") == 1
    assert "results.csv: stored 8 rows (results, students) for school years starting 2023" in out


def test_problems_exit_non_zero_and_store_nothing(
    coded_world: World, good_csv: Path, mapping_file: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(good_csv.read_text().replace("412", "lots"), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        _run("import_file", "--district", "Riverbend", "--mapping", str(mapping_file), str(bad))
    message = str(raised.value)
    assert "Nothing was stored" in message and "row 1" in message and "'lots'" in message
    assert not Coverage.objects.exists()


def test_bad_arguments_are_explained(coded_world: World, good_csv: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("kinds: [nonsense]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nonsense"):
        _run("import_file", "--district", "Riverbend", "--mapping", str(broken), str(good_csv))
    with pytest.raises(CommandError, match="No single district is named or coded 'Nowhere'"):
        _run("import_file", "--district", "Nowhere", "--mapping", str(broken), str(good_csv))
    with pytest.raises(CommandError, match="does not exist"):
        good = tmp_path / "m.yaml"
        good.write_text(to_yaml(propose(read_table(good_csv).frame, name="m")), encoding="utf-8")
        _run("import_file", "--district", "Riverbend", "--mapping", str(good), "missing.csv")


def test_snapshots_are_listed_and_rolled_back(
    coded_world: World, good_csv: Path, mapping_file: Path, tmp_path: Path
) -> None:
    _run("import_file", "--district", "Riverbend", "--mapping", str(mapping_file), str(good_csv))
    first = Snapshot.objects.get(kind="results")
    _run("import_file", "--district", "Riverbend", "--mapping", str(mapping_file), str(good_csv))
    listing = _run("imports", "--district", "Riverbend")
    lines = listing.splitlines()
    assert len(lines) == 4, "two imports, two tables each"
    assert sum(line.startswith("*") for line in lines) == 2, "one current per table"
    out = _run("rollback", str(first.code))
    assert "now come from" in out
    assert Coverage.objects.get(kind="results").snapshot == first
    with pytest.raises(CommandError, match="No snapshot has the code 'nope'"):
        _run("rollback", "nope")


def test_the_headway_command_accepts_import(coded_world: World) -> None:
    from headway.cli import main

    with pytest.raises(SystemExit):
        main(["headway", "import", "--help"])
