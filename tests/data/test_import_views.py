from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from headway.audit.models import AuditEvent
from headway.data.core.mapping import propose
from headway.data.core.readers import read_table
from headway.data.forms import MappingForm
from headway.data.models import Coverage, Import, SavedMapping
from tests.conftest import World
from tests.data.conftest import GOOD_CSV

SignIn = Callable[..., Client]


def _upload(client: Client, world: World, content: bytes, name: str = "results.csv", **extra: Any):
    url = reverse("data-import-new", args=[world.district.code])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **extra})


def _form_data(page_client: Client, url: str) -> dict[str, Any]:
    """The mapping form as proposed, the way a browser would submit it unchanged."""
    form = page_client.get(url).context["form"]
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, "", []):
            data[name] = value
    return data


def test_upload_map_and_import(coded_world: World, client_for: SignIn) -> None:
    client = client_for(coded_world.alice)
    response = _upload(client, coded_world, GOOD_CSV.encode())
    imp = Import.objects.get()
    assert response["Location"] == reverse(
        "data-import", args=[coded_world.district.code, imp.code]
    )
    page = client.get(response["Location"]).content.decode()
    assert "Match the columns of results.csv" in page and "Read 5 rows and 8 columns" in page
    data = _form_data(client, response["Location"])
    assert data["col_student_id"] == "StudentID" and data["col_school_code"] == "SchoolCode"
    data |= {"start": "1", "save_as": "SIS export"}
    done = client.post(response["Location"], data)
    imp.refresh_from_db()
    assert done.status_code == 302 and imp.status == Import.Status.DONE, imp.report
    assert "All 5 rows were checked and stored" in client.get(done["Location"]).content.decode()
    assert Coverage.objects.filter(kind="results", school_year=2023).exists()
    assert SavedMapping.objects.get().name == "SIS export"
    assert {"data.uploaded", "data.import_started"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_a_saved_mapping_is_offered_and_reused(coded_world: World, client_for: SignIn) -> None:
    client = client_for(coded_world.alice)
    _upload(client, coded_world, GOOD_CSV.encode())
    first = Import.objects.get()
    url = reverse("data-import", args=[coded_world.district.code, first.code])
    client.post(url, _form_data(client, url) | {"start": "1", "save_as": "Spring file"})
    saved = SavedMapping.objects.get()
    _upload(client, coded_world, GOOD_CSV.encode(), name="again.csv", saved=str(saved.pk))
    second = Import.objects.get(file_name="again.csv")
    assert second.mapping_yaml == saved.yaml


def test_a_binary_file_is_refused_with_the_file_named(
    coded_world: World, client_for: SignIn, settings: Settings
) -> None:
    response = _upload(
        client_for(coded_world.alice), coded_world, b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.csv"
    )
    assert response.status_code == 200
    assert "photo.csv" in response.context["form"].errors["file"][0]
    assert not Import.objects.exists()
    assert list(Path(settings.DATA_DIR, "uploads").glob("*")) == [], "the upload was removed"


def test_a_file_over_the_limit_is_refused(
    coded_world: World, client_for: SignIn, settings: Settings
) -> None:
    settings.UPLOAD_MAX_MB = 1
    response = _upload(client_for(coded_world.alice), coded_world, b"a,b\n" + b"1,2\n" * 300_000)
    assert "larger than 1 MB" in response.context["form"].errors["file"][0]
    assert not Import.objects.exists()


def test_a_mapping_missing_a_required_field_explains_itself(
    coded_world: World, client_for: SignIn
) -> None:
    client = client_for(coded_world.alice)
    _upload(client, coded_world, GOOD_CSV.encode())
    url = reverse("data-import", args=[coded_world.district.code, Import.objects.get().code])
    data = _form_data(client, url)
    del data["col_school_year"]
    response = client.post(url, data | {"start": "1"})
    assert response.status_code == 400
    assert "school year" in response.content.decode().lower()
    assert Import.objects.get().status == Import.Status.UPLOADED


def test_a_refused_import_shows_and_downloads_its_problems(
    coded_world: World, client_for: SignIn
) -> None:
    client = client_for(coded_world.alice)
    _upload(client, coded_world, GOOD_CSV.replace("E2", "=HYPERLINK(1)").encode())
    imp = Import.objects.get()
    url = reverse("data-import", args=[coded_world.district.code, imp.code])
    client.post(url, _form_data(client, url) | {"start": "1"})
    imp.refresh_from_db()
    assert imp.status == Import.Status.REFUSED
    page = client.get(url).content.decode()
    assert "Nothing was stored" in page and "unknown_school" in page
    csv_text = client.get(
        reverse("data-import-report", args=[coded_world.district.code, imp.code])
    ).content.decode()
    assert "'=HYPERLINK(1)" in csv_text, "formulas are neutralised in the CSV"
    assert AuditEvent.objects.filter(action="data.report_downloaded").exists()
    client.post(reverse("data-import-retry", args=[coded_world.district.code, imp.code]))
    imp.refresh_from_db()
    assert imp.status == Import.Status.UPLOADED


def test_bad_yaml_is_refused_with_the_line(coded_world: World, client_for: SignIn) -> None:
    client = client_for(coded_world.alice)
    _upload(client, coded_world, GOOD_CSV.encode())
    imp = Import.objects.get()
    url = reverse("data-import-yaml", args=[coded_world.district.code, imp.code])
    response = client.post(url, {"yaml": "kinds: [results\ncolumns: {"})
    assert response.status_code == 400 and "line" in response.content.decode()
    imp.refresh_from_db()
    assert "kinds: [results\n" not in imp.mapping_yaml


def test_the_mapping_downloads_as_yaml(coded_world: World, client_for: SignIn) -> None:
    client = client_for(coded_world.alice)
    _upload(client, coded_world, GOOD_CSV.encode())
    imp = Import.objects.get()
    response = client.get(
        reverse("data-import-mapping-download", args=[coded_world.district.code, imp.code])
    )
    assert response["Content-Disposition"] == 'attachment; filename="results-mapping.yaml"'
    assert "StudentID" in response.content.decode()


def test_cancelling_a_queued_import(coded_world: World, client_for: SignIn) -> None:
    imp = Import.objects.create(
        district=coded_world.district, file_name="f.csv", sha256="0", status="queued"
    )
    client_for(coded_world.alice).post(
        reverse("data-import-cancel", args=[coded_world.district.code, imp.code])
    )
    imp.refresh_from_db()
    assert imp.status == Import.Status.CANCELLED


def test_missing_schools_can_be_added_from_a_refused_file(
    coded_world: World, client_for: SignIn
) -> None:
    client = client_for(coded_world.alice)
    _upload(client, coded_world, GOOD_CSV.replace("E2", "N7").encode())
    imp = Import.objects.get()
    url = reverse("data-import", args=[coded_world.district.code, imp.code])
    client.post(url, _form_data(client, url) | {"start": "1"})
    page = client.get(url).content.decode()
    assert "1 row names a school that Riverbend does not have yet." in page
    client.post(reverse("data-import-add-schools", args=[coded_world.district.code, imp.code]))
    imp.refresh_from_db()
    assert imp.status == Import.Status.DONE, imp.report
    added = coded_world.district.children.get(local_id="N7")
    assert added.name == "School N7"
    assert AuditEvent.objects.filter(action="org.schools_added_from_import").exists()


def test_the_data_page_costs_the_same_queries_with_more_imports(
    coded_world: World, client_for: SignIn
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from headway.data.models import Snapshot

    client = client_for(coded_world.alice)
    url = reverse("data-home", args=[coded_world.district.code])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def add(start: int, n: int) -> None:
        for i in range(start, start + n):
            imp = Import.objects.create(
                district=coded_world.district,
                file_name=f"{i}.csv",
                sha256="0",
                created_by=coded_world.alice,
                status="done",
            )
            snap = Snapshot.objects.create(
                district=coded_world.district,
                source=imp,
                kind="results",
                years=[2000 + i],
                path="x",
                rows=1,
                sha256="0",
            )
            Coverage.objects.create(
                district=coded_world.district, kind="results", school_year=2000 + i, snapshot=snap
            )

    add(0, 1)
    before = count()
    add(1, 15)
    assert count() == before


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.mark.skipif(not SHARED.exists(), reason="the shared data folder is absent")
@pytest.mark.parametrize("name", ["sgpdata/sgpData_LONG.csv.gz", "star/AER_STAR_wide.csv.gz"])
def test_the_form_keeps_the_proposed_mapping_unchanged(name: str) -> None:
    """Submitting the mapping page without changes must import with exactly the proposal."""
    frame = read_table(SHARED / name).frame
    proposal = propose(frame, name="proposal")
    shown = MappingForm(mapping=proposal, frame=frame)
    data = {n: shown[n].value() for n in shown.fields if shown[n].value() not in (None, "", [])}
    submitted = MappingForm(data, mapping=proposal, frame=frame)
    assert submitted.is_valid(), submitted.errors
    assert submitted.to_mapping() == proposal


def test_a_stale_mapping_never_breaks_the_pages(coded_world: World, client_for: SignIn) -> None:
    client = client_for(coded_world.alice)
    saved = SavedMapping.objects.create(
        district=coded_world.district, name="Old layout", yaml="kinds: [gradebook]\n"
    )
    response = _upload(client, coded_world, GOOD_CSV.encode(), saved=str(saved.pk))
    imp = Import.objects.get()
    assert "A new mapping was proposed." in client.get(response["Location"]).content.decode()
    Import.objects.filter(pk=imp.pk).update(mapping_yaml="columns: [oops")
    url = reverse("data-import", args=[coded_world.district.code, imp.code])
    broken = client.get(url)
    assert broken["Location"] == reverse(
        "data-import-yaml", args=[coded_world.district.code, imp.code]
    )
    assert "not valid YAML" in client.get(broken["Location"]).content.decode()
