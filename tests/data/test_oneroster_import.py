"""OneRoster packages through the import pages and the command line."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from headway.data import pipeline
from headway.data.core.mapping import propose, to_yaml
from headway.data.core.schema import Kind
from headway.data.models import Import
from headway.data.sources import open_source
from headway.orgs.models import Organization
from tests.conftest import World

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "oneroster"
pytestmark = pytest.mark.skipif(
    not SHARED.exists(), reason="the shared OneRoster samples are absent"
)
MINIMAL = SHARED / "catalyst" / "Test_minimal_data_set.zip"
BROKEN = SHARED / "catalyst" / "v1p2_full_dataset.zip"


@pytest.fixture
def roster_world(world: World) -> World:
    Organization.objects.create(
        kind="school", parent=world.district, name="Roster School", local_id="org-sch-222-456"
    )
    return world


def _upload(client: Client, world: World, path: Path) -> Client:
    url = reverse("data-import-new", args=[world.district.code])
    client.post(url, {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    return client


def test_a_package_is_read_as_students(
    roster_world: World, client_for: Callable[..., Client]
) -> None:
    client = _upload(client_for(roster_world.alice), roster_world, MINIMAL)
    imp = Import.objects.get()
    assert imp.detected == "OneRoster 1.1 package"
    url = reverse("data-import", args=[roster_world.district.code, imp.code])
    form = client.get(url).context["form"]
    data = {n: form[n].value() for n in form.fields if form[n].value() not in (None, "", [])}
    client.post(url, data | {"start": "1"})
    imp.refresh_from_db()
    assert imp.status == Import.Status.DONE, imp.report
    students = pipeline.current(roster_world.district.pk, Kind.STUDENTS).collect()
    assert students.height == 3 and set(students["school_year"]) == {2022}


def test_a_package_that_breaks_the_standard_is_refused_clearly(
    roster_world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(roster_world.alice)
    url = reverse("data-import-new", args=[roster_world.district.code])
    response = client.post(url, {"file": SimpleUploadedFile(BROKEN.name, BROKEN.read_bytes())})
    error = response.context["form"].errors["file"][0]
    assert "is not a usable OneRoster package" in error
    assert "userprofiles.csv" in error and "userProfiles.csv" in error
    assert not Import.objects.exists()


def test_non_standard_headers_are_refused_by_the_command(
    roster_world: World, tmp_path: Path
) -> None:
    package = Path(shutil.make_archive(str(tmp_path / "oat"), "zip", SHARED / "oat-sa-v1p1"))
    mapping = tmp_path / "m.yaml"
    mapping.write_text(to_yaml(propose(open_source(MINIMAL, name="m.zip").frame, name="m")))
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_file",
            "--district",
            "Riverbend",
            "--mapping",
            str(mapping),
            str(package),
            stdout=StringIO(),
        )
    assert "demographics.csv, column 1: expected “sourcedId” but found “userSourcedId”" in str(
        raised.value
    )


def test_the_command_imports_a_package(roster_world: World, tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(to_yaml(propose(open_source(MINIMAL, name="m.zip").frame, name="m")))
    out = StringIO()
    call_command(
        "import_file",
        "--district",
        "Riverbend",
        "--mapping",
        str(mapping),
        str(MINIMAL),
        stdout=out,
    )
    assert "stored 3 rows (students)" in out.getvalue()
