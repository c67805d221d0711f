"""A data steward imports a file end to end in the browser, and a bad file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from headway.data.models import Coverage
from tests.browser.conftest import assert_accessible, field, sign_in

pytestmark = pytest.mark.browser

STEWARD = "steward@headway.example"
FILE = """Student Number,School Year,Building,Grade,Sex,Content Area,Scale Score,Achievement Level
1001,2024-25,0101,3,F,Math,431,Proficient
1001,2024-25,0101,3,F,Reading,402,Basic
1002,2024-25,0102,4,M,Math,455,Advanced
1002,2024-25,0102,4,M,Reading,421,Proficient
"""


def _open_import_page(page: Page) -> None:
    sign_in(page, STEWARD)
    page.get_by_label("Organization").select_option(label="Riverbend Unified School District")
    page.get_by_role("button", name="Open").click()
    page.get_by_role("navigation", name="Improvement cycle").get_by_role(
        "link", name="Data"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data")
    assert_accessible(page)
    page.get_by_role("link", name="Import a file").click()
    assert_accessible(page)


def _upload(page: Page, tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    field(page, "File").set_input_files(str(path))
    page.get_by_role("button", name="Upload and read").click()


def test_a_steward_imports_a_file(page: Page, demo: None, tmp_path: Path) -> None:
    _open_import_page(page)
    _upload(page, tmp_path, "spring.csv", FILE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the columns of spring.csv")
    expect(page.get_by_text("Read 4 rows and 8 columns")).to_be_visible()
    expect(page.get_by_label("Student ID", exact=True)).to_have_value("Student Number")
    assert_accessible(page)
    page.get_by_label("Save this mapping as").fill("Spring state file")
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name="Stored")).to_be_visible()
    expect(page.get_by_text("All 4 rows were checked and stored")).to_be_visible()
    assert_accessible(page)
    assert Coverage.objects.filter(kind="results", school_year=2024).exists()
    page.get_by_role("link", name="Back to data").click()
    expect(page.get_by_role("cell", name="spring.csv").first).to_be_visible()
    assert_accessible(page)


def test_a_bad_file_is_refused_with_its_problems(page: Page, demo: None, tmp_path: Path) -> None:
    _open_import_page(page)
    _upload(page, tmp_path, "typo.csv", FILE.replace("455", "4x5").replace("0102", "9999"))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("Nothing was stored")).to_be_visible()
    expect(page.get_by_role("rowheader", name="unknown_school")).to_be_visible()
    page.get_by_text("problems in detail").click()
    expect(page.get_by_role("cell", name="4x5", exact=True)).to_be_visible()
    assert_accessible(page)
    assert not Coverage.objects.exists()


def test_an_unreadable_file_is_explained_on_the_form(
    page: Page, demo: None, tmp_path: Path
) -> None:
    _open_import_page(page)
    _upload(page, tmp_path, "photo.csv", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    expect(page.get_by_role("alert")).to_contain_text("photo.csv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a file")
    assert_accessible(page)


SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="the shared data folder is absent")


# Tests run tasks at once, inside the request: this click waits for the whole import and the
# results it sets off, which a worker does in the background in production.
RUNS_THE_IMPORT = 60_000


def _upload_path(page: Page, path: Path) -> None:
    field(page, "File").set_input_files(str(path))
    page.get_by_role("button", name="Upload and read").click()


@needs_shared
def test_the_state_assessment_file_end_to_end(page: Page, demo: None) -> None:
    """sgpData_LONG: proposed mapping, unknown schools added, 368,301 rows stored."""
    _open_import_page(page)
    _upload_path(page, SHARED / "sgpdata" / "sgpData_LONG.csv.gz")
    expect(page.get_by_text("Read 368301 rows and 23 columns")).to_be_visible()
    expect(page.get_by_label("School code", exact=True)).to_have_value("SCHOOL_NUMBER")
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("Nothing was stored")).to_be_visible(timeout=60_000)
    assert_accessible(page)
    page.get_by_role("button", name="Add the missing schools and check again").click(
        timeout=RUNS_THE_IMPORT
    )
    expect(page.get_by_text("All 368,301 rows were checked and stored")).to_be_visible(
        timeout=60_000
    )
    assert Coverage.objects.filter(kind="results").count() == 5


@needs_shared
def test_the_star_wide_file_through_the_yaml_editor(page: Page, demo: None) -> None:
    """STAR: one column per grade; the person gives each grade its school year as YAML."""
    _open_import_page(page)
    _upload_path(page, SHARED / "star" / "AER_STAR_wide.csv.gz")
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("alert")).to_contain_text("school year")
    page.get_by_role("link", name="Edit the mapping as YAML").click()
    assert_accessible(page)
    text = page.get_by_label("Mapping (YAML)").input_value()
    for column, year in (("k", "1985"), ("1", "1986"), ("2", "1987"), ("3", "1988")):
        for subject in ("read", "math"):
            code = "ela" if subject == "read" else "math"
            text = text.replace(
                f"    {subject}{column}:\n      subject: {code}\n",
                f"    {subject}{column}:\n      subject: {code}\n      school_year: '{year}'\n",
            )
    text = text.replace("constants:\n  school_year: ''\n", "constants: {}\n")
    page.get_by_label("Mapping (YAML)").fill(text)
    page.get_by_role("button", name="Use this mapping").click()
    expect(page.get_by_text("The mapping was updated.")).to_be_visible()
    page.get_by_role("button", name="Check and import").click()
    page.get_by_role("button", name="Add the missing schools and check again").click(
        timeout=RUNS_THE_IMPORT
    )
    expect(page.get_by_text("All 11,598 rows were checked and stored")).to_be_visible(
        timeout=60_000
    )
    assert Coverage.objects.filter(kind="results").count() == 4


@needs_shared
def test_a_oneroster_package(page: Page, demo: None) -> None:
    _open_import_page(page)
    _upload_path(page, SHARED / "oneroster" / "catalyst" / "Test_minimal_data_set.zip")
    expect(page.get_by_text("OneRoster 1.1 package")).to_be_visible()
    page.get_by_role("button", name="Check and import").click()
    page.get_by_role("button", name="Add the missing schools and check again").click(
        timeout=RUNS_THE_IMPORT
    )
    expect(page.get_by_text("All 3 rows were checked and stored")).to_be_visible()
    assert_accessible(page)
