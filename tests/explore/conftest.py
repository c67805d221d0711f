from __future__ import annotations

from pathlib import Path

import pytest

from headway.data import pipeline
from headway.data.core.demo_files import DemoSpec
from headway.data.core.mapping import propose, to_yaml
from headway.data.core.readers import read_table
from headway.data.demo import import_demo_files
from headway.data.models import Import
from headway.data.schools import add_missing_schools
from headway.explore import cube
from headway.orgs.demo import DISTRICT_NAME, load_demo
from headway.orgs.models import Organization
from tests.conftest import World

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
SGP = SHARED / "sgpdata" / "sgpData_LONG.csv.gz"
needs_shared = pytest.mark.skipif(not SGP.exists(), reason="the shared data folder is absent")


def import_file(district: Organization, path: Path, *, refresh: bool = True) -> Import:
    """Import a file with the proposed mapping, adding the schools it names; then compute
    the results unless ``refresh`` is False (on-commit hooks do it where a test runs them)."""
    mapping = to_yaml(propose(read_table(path).frame, name=path.name))
    imp = pipeline.register_file(district, path, mapping_yaml=mapping)
    pipeline.run(imp)
    imp.refresh_from_db()
    if imp.status == Import.Status.REFUSED and imp.unknown_school_rows:
        add_missing_schools(imp)
        imp.reset(Import.Status.QUEUED)
        pipeline.run(imp)
        imp.refresh_from_db()
    assert imp.status == Import.Status.DONE, imp.report
    if refresh:
        cube.refresh(district)
    return imp


@pytest.fixture
def sgp_world(world: World) -> World:
    import_file(world.district, SGP)
    return world


@pytest.fixture
def demo_results(db: None) -> Organization:
    """The demo district with three years of its data at a third of its size, computed."""
    load_demo()
    district = Organization.objects.get(kind="district", name=DISTRICT_NAME)
    for imp in import_demo_files(district, DemoSpec(years=3, first_year=2023, scale=0.3)):
        assert imp.status == Import.Status.DONE, imp.report
    cube.refresh(district)
    return district
