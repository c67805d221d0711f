"""What people see on the results pages of the demo district, by role."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from headway.audit.models import AuditEvent
from headway.explore import cube, findings
from headway.explore.cube import Audience
from headway.explore.models import Finding, ReportingSettings
from headway.orgs.demo import DEMO_PASSWORD
from headway.orgs.models import Organization
from tests.explore.conftest import SHARED, import_file

MICHIGAN = SHARED / "school_level" / "michigan_school93_98.csv"
ALDER = "0101"  # Alder Creek Elementary: the team lead, member, teacher and parent work here


def _client(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    return client


def _school(district: Organization) -> Organization:
    return district.children.get(local_id=ALDER)


def _url(name: str, org: Organization, **query: str) -> str:
    return reverse(name, args=[org.code]) + ("?" + "&".join(f"{k}={v}" for k, v in query.items()))


def _small_cell(district: Organization) -> dict[str, object]:
    """A proficiency cell of Alder Creek hidden from the public for its size."""
    frame = cube.load(district, Audience.INTERNAL).frame.filter(
        (pl.col("org_code") == ALDER)
        & (pl.col("metric") == "proficiency_rate")
        & (pl.col("grade") == "all")
        & (pl.col("reason") == "MIN_N")
        & (pl.col("group_type") == "race_ethnicity")
    )
    return frame.sort("school_year", "subject", descending=True).row(0, named=True)


def test_people_with_student_access_see_internal_figures_others_the_public_ones(
    demo_results: Organization,
) -> None:
    cell = _small_cell(demo_results)
    query = {"year": str(cell["school_year"]), "subject": str(cell["subject"])}
    url = _url("explore-results", _school(demo_results), compare="race_ethnicity", **query)
    teacher = _client("teacher@headway.example").get(url).content.decode()
    parent = _client("parent@headway.example").get(url).content.decode()
    exact = f"{float(str(cell['value'])) * 100:.0f}%"
    assert "Internal figures." in teacher and "Hidden from the public" in teacher
    assert "Internal figures." not in parent and "n&lt;10" in parent
    assert f'<td class="num">{cell["n"]}</td>' in teacher
    assert f'<td class="num">{cell["n"]}</td>' not in parent or exact not in parent
    preview = _client("teacher@headway.example").get(url + "&view=public").content.decode()
    assert "You are looking at the public view" in preview and "n&lt;10" in preview


def test_the_public_export_never_holds_a_small_groups_number(demo_results: Organization) -> None:
    school = _school(demo_results)
    response = _client("parent@headway.example").get(_url("explore-export-csv", school))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and {r["org_code"] for r in rows} == {ALDER}
    small = [r for r in rows if r["reason"] == "MIN_N"]
    assert small and all(r["n"] == r["value"] == "" for r in small)
    assert all(r["display"] for r in rows if r["suppressed"] == "true")
    event = AuditEvent.objects.filter(action="data.results_exported").latest("pk")
    assert event.detail["audience"] == "public"


def test_the_internal_spreadsheet_says_it_is_internal(demo_results: Organization) -> None:
    response = _client("steward@headway.example").get(
        _url("explore-export-xlsx", _school(demo_results))
    )
    assert response["Content-Disposition"].endswith('-internal.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    first, header = [list(r) for r in sheet.iter_rows(min_row=1, max_row=2, values_only=True)]
    assert "Not for public release" in str(first[0])
    assert header[:3] == ["org_code", "school_year", "subject"]


def test_a_student_list_matches_its_figure_and_is_audited(demo_results: Organization) -> None:
    school = _school(demo_results)
    frame = cube.load(demo_results, Audience.INTERNAL).frame.filter(
        (pl.col("org_code") == ALDER)
        & (pl.col("metric") == "proficiency_rate")
        & (pl.col("grade") == "all")
        & (pl.col("subject") == "math")
        & (pl.col("group_type") == "english_learner")
        & (pl.col("group_value") == "true")
    )
    cell = frame.sort("school_year").row(-1, named=True)
    query = {
        "year": str(cell["school_year"]),
        "subject": "math",
        "group_type": "english_learner",
        "group_value": "true",
    }
    client = _client("teacher@headway.example")
    everyone = client.get(_url("explore-students", school, **query)).content.decode()
    assert f"{cell['n']} students." in everyone
    below = client.get(_url("explore-students", school, below="1", **query)).content.decode()
    assert f"{cell['n'] - cell['count']} students." in below
    viewed = AuditEvent.objects.filter(action="data.students_viewed").latest("pk")
    assert viewed.detail["students"] == cell["n"] - cell["count"]
    download = client.get(_url("explore-students", school, format="csv", **query))
    assert download["Content-Type"].startswith("text/csv")
    assert AuditEvent.objects.filter(action="data.students_exported").exists()
    member = _client("member@headway.example")
    assert member.get(_url("explore-students", school, **query)).status_code == 403


def test_a_team_pins_and_rewords_a_finding_that_survives_recomputing(
    demo_results: Organization,
) -> None:
    findings.redraft(demo_results)
    school = _school(demo_results)
    finding = Finding.objects.filter(org=school).order_by("rank").first()
    assert finding is not None and finding.current
    url = reverse("explore-finding", args=[school.code, finding.code])
    member = _client("member@headway.example")
    member.post(url, {"action": "pin"})
    member.post(url, {"action": "edit", "text": "Our English learners need more support."})
    cube.refresh(demo_results)
    findings.redraft(demo_results)
    finding.refresh_from_db()
    assert finding.state == Finding.State.PINNED and finding.current
    page = _client("parent@headway.example").get(_url("explore-results", school)).content.decode()
    assert "Our English learners need more support." in page
    assert _client("parent@headway.example").post(url, {"action": "dismiss"}).status_code == 403


def test_a_district_cannot_set_a_minimum_below_its_state(demo_results: Organization) -> None:
    admin = _client("admin@headway.example")
    url = reverse("explore-reporting", args=[demo_results.code])
    refused = admin.post(url, {"min_n": "5", "use_accountability_flags": "on"})
    assert refused.status_code == 400 and "choose 10 or more" in refused.content.decode()
    combo = {
        "min_n": "12",
        "use_accountability_flags": "on",
        "combo_0_name": "EL with disabilities",
        "combo_0_flags": ["english_learner", "disability"],
    }
    assert admin.post(url, combo).status_code == 302
    assert ReportingSettings.objects.get(district=demo_results).min_n == 12
    groups = cube.load(demo_results, Audience.INTERNAL).frame.filter(
        pl.col("group_type") == "combo"
    )
    assert set(groups["group_value"]) == {"EL with disabilities"}


def test_the_district_page_costs_the_same_queries_with_more_schools(
    demo_results: Organization,
) -> None:
    admin = _client("admin@headway.example")
    url = reverse("explore-results", args=[demo_results.code])
    with CaptureQueriesContext(connection) as before:
        assert admin.get(url).status_code == 200
    for i in range(15):
        Organization.objects.create(
            kind="school", parent=demo_results, name=f"New school {i}", local_id=f"9{i:03d}"
        )
    with CaptureQueriesContext(connection) as after:
        assert admin.get(url).status_code == 200
    assert len(after) == len(before)


@pytest.mark.parametrize("email", ["admin@headway.example", "parent@headway.example"])
def test_a_school_page_costs_the_same_queries_in_every_year(
    demo_results: Organization, email: str
) -> None:
    client = _client(email)
    school = _school(demo_results)
    counts = []
    for year in ("2023", "2025"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url("explore-results", school, year=year)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.skipif(not MICHIGAN.exists(), reason="the shared data folder is absent")
def test_a_school_is_compared_with_the_schools_of_a_public_file(
    demo_results: Organization,
) -> None:
    import_file(demo_results, MICHIGAN, refresh=False)
    url = _url("explore-results", _school(demo_results), pool="file")
    page = _client("lead@headway.example").get(url).content.decode()
    assert "in the public school-level file your district imported" in page
    assert (
        "Compared on: number of students (compared on a log scale), share of economically" in page
    )
    assert page.count('<tr><th scope="row">') >= 1 + 5  # the school itself, then 5 schools
