"""OneRoster packages: the binding's package and row rules, and the students they hold."""

from __future__ import annotations

import csv
import io
import json
import shutil
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import pytest

from headway.data.core.oneroster import OneRosterPackage, oneroster_students, read_oneroster
from headway.data.core.oneroster_spec import COLUMNS
from headway.data.core.readers import Detected, ReadError, SourceTable
from headway.data.core.schema import TABLES, Kind, Problem

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
CATALYST = SHARED / "oneroster" / "catalyst"
OAT_SA = SHARED / "oneroster" / "oat-sa-v1p1"
TABLES_JSON = SHARED.parent / "docs" / "oneroster-1.2.1-tables.json"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared real-data folder {SHARED} is not present"
)

Rows = list[dict[str, str]]


# --- building packages --------------------------------------------------------------------------


def table_csv(version: str, stem: str, rows: Rows, header: list[str] | None = None) -> str:
    columns = header or list(COLUMNS[version][stem])
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return buffer.getvalue()


def manifest_csv(version: str, modes: dict[str, str]) -> str:
    lines = ["propertyName,value", "manifest.version,1.0", f"oneroster.version,{version}"]
    lines += [f"file.{stem},{modes.get(stem, 'absent')}" for stem in COLUMNS[version]]
    return "\r\n".join(lines) + "\r\n"


def make_zip(path: Path, files: Mapping[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return path


def package(
    tmp_path: Path,
    tables: dict[str, Rows],
    *,
    version: str = "1.2",
    mode: str = "bulk",
    extra: dict[str, str | bytes] | None = None,
) -> Path:
    """A zip with the given tables, all marked ``mode`` in a generated manifest."""
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest_csv(version, dict.fromkeys(tables, mode))
    }
    files |= {f"{stem}.csv": table_csv(version, stem, rows) for stem, rows in tables.items()}
    return make_zip(tmp_path / "roster.zip", files | (extra or {}))


def school_rows() -> dict[str, Rows]:
    """A small, valid 1.2 district: two schools, three students, one teacher."""
    return {
        "orgs": [
            {"sourcedId": "dist-1", "name": "Riverbend", "type": "district"},
            {"sourcedId": "sch-1", "name": "Alder Creek", "type": "school",
             "identifier": "0101", "parentSourcedId": "dist-1"},
            {"sourcedId": "sch-2", "name": "Birch Hill", "type": "school",
             "parentSourcedId": "dist-1"},
        ],
        "users": [
            user("stu-1", grades="03"),
            user("stu-2", grades="09,10", primaryOrgSourcedId="sch-2"),
            user("stu-3", grades="KG"),
            user("tea-1"),
        ],
        "roles": [
            {"sourcedId": "r1", "userSourcedId": "stu-1", "roleType": "primary",
             "role": "student", "orgSourcedId": "sch-1"},
            {"sourcedId": "r2a", "userSourcedId": "stu-2", "roleType": "secondary",
             "role": "student", "orgSourcedId": "sch-1"},
            {"sourcedId": "r2b", "userSourcedId": "stu-2", "roleType": "primary",
             "role": "student", "orgSourcedId": "sch-2"},
            {"sourcedId": "r3", "userSourcedId": "stu-3", "roleType": "primary",
             "role": "student", "orgSourcedId": "sch-2"},
            {"sourcedId": "r4", "userSourcedId": "tea-1", "roleType": "primary",
             "role": "teacher", "orgSourcedId": "sch-1"},
        ],
        "demographics": [
            {"sourcedId": "stu-1", "sex": "female", "white": "true", "asian": "true",
             "hispanicOrLatinoEthnicity": "false"},
            {"sourcedId": "stu-2", "sex": "male", "blackOrAfricanAmerican": "true",
             "hispanicOrLatinoEthnicity": "true"},
            {"sourcedId": "stu-3", "sex": "other"},
        ],
        "academicSessions": [
            {"sourcedId": "sy-2025", "title": "2024-25", "type": "schoolYear",
             "startDate": "2024-08-15", "endDate": "2025-06-15", "schoolYear": "2025"},
            {"sourcedId": "t-1", "title": "Fall", "type": "term", "startDate": "2024-08-15",
             "endDate": "2024-12-20", "parentSourcedId": "sy-2025", "schoolYear": "2025"},
        ],
    }  # fmt: skip


def user(sourced_id: str, **values: str) -> dict[str, str]:
    return {
        "sourcedId": sourced_id,
        "enabledUser": "true",
        "username": sourced_id,
        "givenName": "Given",
        "familyName": "Family",
        **values,
    }


def kinds(pkg: OneRosterPackage) -> dict[tuple[str, str], int]:
    return dict(pkg.report.counts)


def problems(pkg: OneRosterPackage, kind: str) -> list[Problem]:
    return [p for p in pkg.report.detail if p.kind == kind]


# --- a valid package ----------------------------------------------------------------------------


def test_a_valid_package_reads_without_problems(tmp_path):
    pkg = read_oneroster(package(tmp_path, school_rows()))
    assert pkg.version == "1.2"
    assert kinds(pkg) == {}
    assert sorted(pkg.tables) == ["academicSessions", "demographics", "orgs", "roles", "users"]
    assert pkg.tables["users"].shape == (4, 22)
    assert all(dtype == pl.String for dtype in pkg.tables["users"].dtypes)


def test_a_folder_reads_like_a_zip(tmp_path):
    zipped = package(tmp_path, school_rows())
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(zipped) as zf:
        zf.extractall(folder)
    assert kinds(read_oneroster(folder)) == {}


def test_version_1_2_1_counts_as_1_2(tmp_path):
    path = package(tmp_path, {"orgs": school_rows()["orgs"]})
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["manifest.csv"] = files["manifest.csv"].replace(b"version,1.2\r", b"version,1.2.1\r")
    assert read_oneroster(make_zip(tmp_path / "b.zip", files)).version == "1.2"


def test_a_bom_is_tolerated(tmp_path):
    orgs = table_csv("1.2", "orgs", school_rows()["orgs"]).encode("utf-8-sig")
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest_csv("1.2", {"orgs": "bulk"}),
        "orgs.csv": orgs,
    }
    pkg = read_oneroster(make_zip(tmp_path / "bom.zip", files))
    assert kinds(pkg) == {}
    assert pkg.tables["orgs"].columns[0] == "sourcedId"


def test_macos_extras_are_ignored(tmp_path):
    extra: dict[str, str | bytes] = {"__MACOSX/._orgs.csv": b"\0\1", ".DS_Store": b"\0"}
    pkg = read_oneroster(package(tmp_path, {"orgs": school_rows()["orgs"]}, extra=extra))
    assert kinds(pkg) == {}


# --- packages that cannot be opened -------------------------------------------------------------


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "roster.zip"
    path.write_bytes(b"sourcedId,name\n1,a\n")
    with pytest.raises(ReadError) as caught:
        read_oneroster(path)
    assert str(caught.value) == (
        "roster.zip is not a zip file: a OneRoster package is a .zip file holding manifest.csv "
        "and the data files."
    )


def test_a_missing_package_is_refused(tmp_path):
    with pytest.raises(ReadError, match=r"^nope\.zip could not be found\.$"):
        read_oneroster(tmp_path / "nope.zip")


def test_files_inside_a_folder_are_refused(tmp_path):
    files: dict[str, str | bytes] = {
        "Export/manifest.csv": manifest_csv("1.2", {"orgs": "bulk"}),
        "Export/orgs.csv": table_csv("1.2", "orgs", school_rows()["orgs"]),
    }
    with pytest.raises(ReadError) as caught:
        read_oneroster(make_zip(tmp_path / "roster.zip", files))
    assert str(caught.value).startswith(
        "roster.zip keeps its files inside a folder (“Export”), but OneRoster needs manifest.csv"
    )
    assert caught.value.kind == "nested"


def test_a_folder_with_a_subfolder_is_refused(tmp_path):
    (tmp_path / "pkg" / "inner").mkdir(parents=True)
    with pytest.raises(ReadError, match="keeps its files inside a folder"):
        read_oneroster(tmp_path / "pkg")


def test_a_package_without_manifest_is_refused(tmp_path):
    path = make_zip(tmp_path / "r.zip", {"orgs.csv": table_csv("1.2", "orgs", [])})
    with pytest.raises(ReadError, match=r"^r\.zip has no manifest\.csv\."):
        read_oneroster(path)


@pytest.mark.parametrize(
    ("said", "text"), [("1.0", "says OneRoster version “1.0”"), ("", "does not say its version")]
)
def test_an_unknown_version_is_refused(tmp_path, said, text):
    manifest = "propertyName,value\nmanifest.version,1.0\noneroster.version," + said + "\n"
    with pytest.raises(ReadError) as caught:
        read_oneroster(make_zip(tmp_path / "r.zip", {"manifest.csv": manifest}))
    assert str(caught.value).startswith(f"r.zip {text} (manifest.csv, oneroster.version).")


def test_too_many_files_are_refused(tmp_path):
    files: dict[str, str | bytes] = {f"f{i}.csv": "a\n1\n" for i in range(5)}
    with pytest.raises(ReadError, match="holds 5 files; at most 4 are allowed"):
        read_oneroster(make_zip(tmp_path / "r.zip", files), max_files=4)


def test_a_zip_that_unpacks_over_the_limit_is_refused_before_unpacking(tmp_path):
    files: dict[str, str | bytes] = {"manifest.csv": "x", "users.csv": b"\0" * 50_000_000}
    with pytest.raises(ReadError) as caught:
        read_oneroster(make_zip(tmp_path / "bomb.zip", files), max_uncompressed=10_000_000)
    assert str(caught.value) == ("bomb.zip would unpack to 50 MB, more than the 10 MB allowed.")
    assert caught.value.kind == "too_large"


def test_a_zip_compressed_like_a_bomb_is_refused(tmp_path):
    files: dict[str, str | bytes] = {"manifest.csv": "x", "users.csv": b"\0" * 50_000_000}
    with pytest.raises(ReadError) as caught:
        read_oneroster(make_zip(tmp_path / "bomb.zip", files))
    assert caught.value.kind == "zip_bomb"
    assert "“users.csv” inside it is compressed far more than real data ever is" in str(
        caught.value
    )


def test_a_zip_that_understates_a_members_size_is_refused(tmp_path):
    path = make_zip(tmp_path / "liar.zip", {"manifest.csv": "propertyName,value\n" + "x," * 500})
    data = bytearray(path.read_bytes())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, 10)  # uncompressed size in the local header
    struct.pack_into("<I", data, central + 24, 10)  # … and in the central directory
    path.write_bytes(bytes(data))
    with pytest.raises(ReadError) as caught:
        read_oneroster(path)
    assert caught.value.kind in ("zip_bomb", "damaged")


# --- manifest and file set ----------------------------------------------------------------------


def test_files_must_match_the_manifest(tmp_path):
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest_csv("1.2", {"orgs": "bulk", "courses": "bulk"}),
        "orgs.csv": table_csv("1.2", "orgs", school_rows()["orgs"]),
        "users.csv": table_csv("1.2", "users", school_rows()["users"]),
        "Roles.csv": "x",
        "notes.txt": "hello",
    }
    pkg = read_oneroster(make_zip(tmp_path / "r.zip", files))
    messages = {p.file: p.message for p in pkg.report.detail}
    assert kinds(pkg) == {
        ("error", "missing_file"): 1,
        ("error", "unlisted_file"): 1,
        ("error", "bad_file_name"): 1,
        ("error", "unknown_file"): 1,
    }
    assert messages["courses.csv"] == (
        "manifest.csv marks courses.csv as bulk, but the package has no courses.csv."
    )
    assert messages["users.csv"] == (
        "users.csv is in the package, but manifest.csv marks it “absent”; list it as bulk or "
        "delta, or leave the file out."
    )
    assert messages["Roles.csv"] == (
        "Roles.csv is not a OneRoster file name: names are case-sensitive, so it should be "
        "called roles.csv."
    )
    assert messages["notes.txt"].startswith("notes.txt is not one of the OneRoster 1.2 files")
    assert list(pkg.tables) == ["orgs"]


def test_manifest_lines_must_be_absent_bulk_or_delta(tmp_path):
    manifest = manifest_csv("1.1", {"orgs": "bulk"}).replace("file.users,absent\r\n", "")
    manifest = manifest.replace("file.results,absent", "file.results,").replace(
        "file.orgs,bulk", "file.orgs,Bulk"
    )
    manifest += "file.roles,absent\r\n"
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest,
        "orgs.csv": table_csv("1.1", "orgs", school_rows()["orgs"]),
    }
    pkg = read_oneroster(make_zip(tmp_path / "r.zip", files))
    assert kinds(pkg) == {
        ("error", "missing_manifest_entry"): 1,
        ("error", "bad_manifest_value"): 1,
        ("warning", "code_case"): 1,
        ("warning", "unknown_manifest_entry"): 1,
    }
    bad = problems(pkg, "bad_manifest_value")[0]
    assert (bad.file, bad.row, bad.column) == ("manifest.csv", 14, "file.results")
    assert bad.message == "file.results must be absent, bulk or delta; it is blank."
    assert "orgs" in pkg.tables


def test_an_empty_data_file_is_an_error(tmp_path):
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest_csv("1.2", {"orgs": "bulk"}),
        "orgs.csv": table_csv("1.2", "orgs", []),
    }
    pkg = read_oneroster(make_zip(tmp_path / "r.zip", files))
    assert kinds(pkg) == {("error", "no_data_rows"): 1}
    assert pkg.report.detail[0].message.startswith("orgs.csv has no data rows. OneRoster does not")


def test_a_data_file_must_be_utf8(tmp_path):
    orgs = table_csv("1.2", "orgs", [{"sourcedId": "o", "name": "Peña", "type": "school"}])
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest_csv("1.2", {"orgs": "bulk"}),
        "orgs.csv": orgs.encode("cp1252"),
    }
    pkg = read_oneroster(make_zip(tmp_path / "r.zip", files))
    assert kinds(pkg) == {("error", "unreadable_file"): 1}
    assert pkg.report.detail[0].message == "orgs.csv is not UTF-8 text (line 2): save it as UTF-8."


# --- headers ------------------------------------------------------------------------------------


def test_a_renamed_column_is_named_in_the_problem(tmp_path):
    header = ["userSourcedId", *COLUMNS["1.1"]["demographics"][1:]]
    rows = [{"userSourcedId": "u1", "sex": "male"}]
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest_csv("1.1", {"demographics": "bulk"}),
        "demographics.csv": table_csv("1.1", "demographics", rows, header),
    }
    pkg = read_oneroster(make_zip(tmp_path / "r.zip", files))
    [problem] = pkg.report.detail
    assert (problem.kind, problem.file, problem.row, problem.column, problem.value) == (
        "bad_header", "demographics.csv", 0, "sourcedId", "userSourcedId",
    )  # fmt: skip
    assert problem.message.startswith(
        "demographics.csv, column 1: expected “sourcedId” but found “userSourcedId”. OneRoster "
        "1.1 needs exactly these columns, in this order (names are case-sensitive): sourcedId, "
        "status, dateLastModified, birthDate,"
    )
    assert "demographics" not in pkg.tables


@pytest.mark.parametrize(
    ("header", "start"),
    [
        (["sourcedId", "dateLastModified", "status", "name", "type", "identifier",
          "parentSourcedId"],
         "orgs.csv, column 2: expected “status” but found “dateLastModified”. “status” is there, "
         "but in column 3."),
        (["sourcedId", "Status", "dateLastModified", "name", "type", "identifier",
          "parentSourcedId"],
         "orgs.csv, column 2: expected “status” but found “Status”. Only the capitals differ."),
        (["sourcedId", "status", "dateLastModified", "name", "type"],
         "orgs.csv has only 5 columns; column 6 should be “identifier”."),
    ],
)  # fmt: skip
def test_header_problems_say_what_was_expected_and_found(tmp_path, header, start):
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest_csv("1.2", {"orgs": "bulk"}),
        "orgs.csv": table_csv("1.2", "orgs", [{"sourcedId": "o", "name": "n"}], header),
    }
    [problem] = read_oneroster(make_zip(tmp_path / "r.zip", files)).report.detail
    assert problem.kind == "bad_header"
    assert problem.message.startswith(start)


def test_extension_columns_may_follow_the_standard_ones(tmp_path):
    header = [*COLUMNS["1.2"]["orgs"], "metadata.ceds.ncesId", "schoolColour"]
    row = {"sourcedId": "o", "name": "n", "type": "school", "metadata.ceds.ncesId": "1"}
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest_csv("1.2", {"orgs": "bulk"}),
        "orgs.csv": table_csv("1.2", "orgs", [row], header),
    }
    pkg = read_oneroster(make_zip(tmp_path / "r.zip", files))
    assert kinds(pkg) == {("warning", "extension_column"): 1}
    assert pkg.report.detail[0].column == "schoolColour"
    assert pkg.tables["orgs"]["metadata.ceds.ncesId"].to_list() == ["1"]


def test_the_old_users_resource_column_is_a_warning_in_1_2(tmp_path):
    header = [*COLUMNS["1.2"]["users"]]
    header.insert(16, "resourceSourcedIds")
    files: dict[str, str | bytes] = {
        "manifest.csv": manifest_csv("1.2", {"users": "bulk"}),
        "users.csv": table_csv("1.2", "users", [user("u1")], header),
    }
    pkg = read_oneroster(make_zip(tmp_path / "r.zip", files))
    assert kinds(pkg) == {("warning", "old_column"): 1}
    assert "resourceSourcedIds" not in pkg.tables["users"].columns


# --- rows ---------------------------------------------------------------------------------------


def test_row_rules_are_checked_with_file_row_column_and_value(tmp_path):
    orgs = [
        {"sourcedId": "sch 1", "name": "Alder", "type": "school"},
        {"sourcedId": "d" * 256, "name": "Long", "type": "district"},
        {"sourcedId": "sch-2", "name": "", "type": "School District"},
        {"sourcedId": "sch-2", "name": "Birch", "type": "School"},
        {"sourcedId": "sch-3", "name": "Cedar", "type": "ext:charter"},
    ]
    pkg = read_oneroster(package(tmp_path, {"orgs": orgs}))
    assert kinds(pkg) == {
        ("error", "bad_id"): 2,
        ("error", "duplicate"): 2,
        ("error", "missing_value"): 1,
        ("error", "bad_code"): 1,
        ("warning", "code_case"): 1,
    }
    bad_code = problems(pkg, "bad_code")[0]
    assert (bad_code.file, bad_code.row, bad_code.column, bad_code.value) == (
        "orgs.csv", 3, "type", "School District",
    )  # fmt: skip
    assert bad_code.message == (
        "“School District” is not a OneRoster org type; expected one of department, school, "
        "district, local, state, national (or a local extension starting with “ext:”)."
    )
    assert problems(pkg, "bad_id")[0].message.startswith("sourcedId “sch 1” is not allowed")
    assert [p.row for p in problems(pkg, "duplicate")] == [3, 4]
    assert problems(pkg, "missing_value")[0].message == "name must not be blank in orgs.csv."


def test_enumerations_are_checked_per_version(tmp_path):
    rows = school_rows()
    rows["roles"][0]["role"] = "pupil"
    rows["roles"][1]["roleType"] = "main"
    rows["demographics"][0]["asian"] = "yes"
    rows["demographics"][1]["sex"] = "m"
    rows["academicSessions"][1]["type"] = "quarter"
    pkg = read_oneroster(package(tmp_path, rows))
    found = {(p.file, p.column, p.value) for p in problems(pkg, "bad_code")}
    assert found == {
        ("roles.csv", "role", "pupil"),
        ("roles.csv", "roleType", "main"),
        ("demographics.csv", "asian", "yes"),
        ("demographics.csv", "sex", "m"),
        ("academicSessions.csv", "type", "quarter"),
    }
    assert kinds(pkg) == {("error", "bad_code"): 5}


def test_version_1_1_checks_users_role_and_its_own_sex_values(tmp_path):
    users = [
        user("u1", orgSourcedIds="o1", role="student"),
        user("u2", orgSourcedIds="o1", role="principal"),
    ]
    demographics = [{"sourcedId": "u1", "sex": "other"}]
    orgs = [{"sourcedId": "o1", "name": "A", "type": "school"}]
    pkg = read_oneroster(
        package(tmp_path, {"users": users, "demographics": demographics, "orgs": orgs},
                version="1.1")
    )  # fmt: skip
    assert kinds(pkg) == {("error", "bad_code"): 1, ("warning", "other_version_code"): 1}
    assert problems(pkg, "bad_code")[0].value == "principal"
    assert problems(pkg, "other_version_code")[0].column == "sex"


def test_bulk_rows_with_status_are_read_as_delta_with_a_warning(tmp_path):
    orgs = [
        {"sourcedId": "o1", "status": "active", "dateLastModified": "2024-09-01T08:30:00.000Z",
         "name": "A", "type": "school", "parentSourcedId": "gone"},
        {"sourcedId": "o2", "name": "B", "type": "school"},
    ]  # fmt: skip
    pkg = read_oneroster(package(tmp_path, {"orgs": orgs}))
    assert kinds(pkg) == {("warning", "bulk_with_status"): 1, ("warning", "unknown_reference"): 1}
    assert problems(pkg, "bulk_with_status")[0].message == (
        "manifest.csv marks orgs.csv as bulk, so status and dateLastModified should be blank, "
        "but 1 row fills them in. The rows win: they are read as changes (delta)."
    )


def test_delta_rows_need_a_known_status(tmp_path):
    stamp = "2024-09-01T08:30:00.000Z"
    orgs = [
        {"sourcedId": "o1", "status": "active", "dateLastModified": stamp, "name": "A",
         "type": "school"},
        {"sourcedId": "o2", "status": "tobedeleted", "dateLastModified": stamp, "name": "B",
         "type": "school"},
        {"sourcedId": "o3", "status": "inactive", "dateLastModified": stamp, "name": "C",
         "type": "school"},
        {"sourcedId": "o4", "status": "deleted", "dateLastModified": "1/05/2023", "name": "D",
         "type": "school"},
        {"sourcedId": "o5", "name": "E", "type": "school"},
    ]  # fmt: skip
    pkg = read_oneroster(package(tmp_path, {"orgs": orgs}, mode="delta"))
    assert kinds(pkg) == {
        ("error", "missing_status"): 1,
        ("error", "bad_code"): 1,
        ("warning", "other_version_code"): 1,
        ("warning", "bad_datetime"): 1,
    }
    assert [(p.kind, p.row) for p in pkg.report.detail] == [
        ("missing_status", 5), ("other_version_code", 3), ("bad_code", 4), ("bad_datetime", 4),
    ]  # fmt: skip


# --- references ---------------------------------------------------------------------------------


def test_broken_references_in_bulk_files_are_errors(tmp_path):
    rows = school_rows()
    rows["roles"][0]["orgSourcedId"] = "sch-9"
    rows["demographics"].append({"sourcedId": "stu-9", "sex": "female"})
    rows["users"][3]["primaryOrgSourcedId"] = "nowhere"
    rows["classes"] = [
        {"sourcedId": "c1", "title": "Math 3", "courseSourcedId": "crs-1", "classType":
         "scheduled", "schoolSourcedId": "sch-1", "termSourcedIds": "t-1,t-9"},
    ]  # fmt: skip
    rows["enrollments"] = [
        {"sourcedId": "e1", "classSourcedId": "c1", "schoolSourcedId": "sch-1",
         "userSourcedId": "stu-1", "role": "student"},
        {"sourcedId": "e2", "classSourcedId": "c2", "schoolSourcedId": "sch-1",
         "userSourcedId": "stu-8", "role": "student"},
    ]  # fmt: skip
    pkg = read_oneroster(package(tmp_path, rows))
    found = {(p.file, p.row, p.column, p.value) for p in problems(pkg, "unknown_reference")}
    assert found == {
        ("roles.csv", 1, "orgSourcedId", "sch-9"),
        ("demographics.csv", 4, "sourcedId", "stu-9"),
        ("users.csv", 4, "primaryOrgSourcedId", "nowhere"),
        ("classes.csv", 1, "termSourcedIds", "t-9"),
        ("enrollments.csv", 2, "classSourcedId", "c2"),
        ("enrollments.csv", 2, "userSourcedId", "stu-8"),
    }
    assert all(p.severity == "error" for p in problems(pkg, "unknown_reference"))
    [unchecked] = problems(pkg, "unchecked_reference")
    assert unchecked.message == (
        "courses.csv is not in the package, so the courseSourcedId values in classes.csv could "
        "not be checked."
    )
    messages = {p.value: p.message for p in problems(pkg, "unknown_reference")}
    assert messages["sch-9"] == "“sch-9” is not a sourcedId in orgs.csv."


def test_users_orgs_are_checked_in_1_1(tmp_path):
    users = [user("u1", orgSourcedIds="o1,o2", role="student")]
    orgs = [{"sourcedId": "o1", "name": "A", "type": "school"}]
    pkg = read_oneroster(package(tmp_path, {"users": users, "orgs": orgs}, version="1.1"))
    [problem] = pkg.report.detail
    assert (problem.kind, problem.column, problem.value) == (
        "unknown_reference", "orgSourcedIds", "o2",
    )  # fmt: skip


def test_broken_references_in_delta_files_are_warnings(tmp_path):
    stamp = "2024-09-01T08:30:00.000Z"
    roles = [{"sourcedId": "r1", "status": "active", "dateLastModified": stamp,
              "userSourcedId": "u-old", "roleType": "primary", "role": "student",
              "orgSourcedId": "o1"}]  # fmt: skip
    orgs = [{"sourcedId": "o1", "status": "active", "dateLastModified": stamp, "name": "A",
             "type": "school"}]  # fmt: skip
    users = [user("u1", status="active", dateLastModified=stamp)]
    pkg = read_oneroster(
        package(tmp_path, {"roles": roles, "orgs": orgs, "users": users}, mode="delta")
    )
    [problem] = pkg.report.detail
    assert (problem.kind, problem.severity) == ("unknown_reference", "warning")
    assert problem.message == (
        "“u-old” is not a sourcedId in users.csv (a delta file may refer to a record sent earlier)."
    )


def test_the_report_details_ten_rows_per_check_and_counts_them_all(tmp_path):
    orgs = [{"sourcedId": f"o {i}", "name": "A", "type": "school"} for i in range(25)]
    pkg = read_oneroster(package(tmp_path, {"orgs": orgs}))
    assert kinds(pkg) == {("error", "bad_id"): 25}
    assert len(pkg.report.detail) == 10


# --- real packages ------------------------------------------------------------------------------


@needs_shared
def test_the_catalyst_1_1_full_set_reads_with_warnings_only():
    pkg = read_oneroster(CATALYST / "Test_full_data_set.zip")
    assert pkg.version == "1.1"
    assert {k: v.shape for k, v in pkg.tables.items()} == {
        "academicSessions": (5, 9), "classes": (2, 14), "enrollments": (6, 10), "orgs": (1, 7),
        "users": (6, 18),
    }  # fmt: skip
    assert kinds(pkg) == {
        ("warning", "bulk_with_status"): 19,  # 5 files say bulk but fill status in 19 rows
        ("warning", "other_version_code"): 1,  # academicSessions: status "inactive"
        ("warning", "bad_datetime"): 7,  # dateLastModified "2023-05-01"
        ("warning", "unknown_reference"): 3,  # parents not in the (delta) package
        ("warning", "unchecked_reference"): 1,  # classes -> courses.csv, which is absent
    }
    dangling = {(p.file, p.column, p.value) for p in problems(pkg, "unknown_reference")}
    assert dangling == {
        ("orgs.csv", "parentSourcedId", "org-sch-222-3456"),
        ("academicSessions.csv", "parentSourcedId", "as-syr-222-2023"),
    }


@needs_shared
def test_the_catalyst_1_1_minimal_set_reads_with_one_warning():
    pkg = read_oneroster(CATALYST / "Test_minimal_data_set.zip")
    assert pkg.version == "1.1"
    assert kinds(pkg) == {("warning", "unchecked_reference"): 1}
    students = oneroster_students(pkg)
    assert students.rows() == [
        ("usr-222-66778899", "2022", "org-sch-222-456", None, None, None, None),
        ("usr-222-1234561232", "2022", "org-sch-222-456", None, None, None, None),
        ("usr-222-567891", "2022", "org-sch-222-456", None, None, None, None),
    ]


@needs_shared
def test_the_catalyst_1_2_test_data_reads_cleanly():
    pkg = read_oneroster(CATALYST / "oneroster_test_data.zip")
    assert pkg.version == "1.2"
    assert kinds(pkg) == {}
    assert sorted(pkg.tables) == [
        "academicSessions", "classes", "courses", "demographics", "enrollments", "orgs", "roles",
        "userProfiles", "users",
    ]  # fmt: skip
    students = oneroster_students(pkg)
    # the only session is a semester of school year 2023 (ending), i.e. 2022-23
    assert students.to_dicts() == [
        {"student_id": "USER_0", "school_year": "2022", "school_code": "ORG_1", "grade": None,
         "race": None, "hispanic": None, "sex": None},
    ]  # fmt: skip


@needs_shared
def test_the_catalyst_1_2_full_set_is_refused_for_its_nonstandard_files():
    pkg = read_oneroster(CATALYST / "v1p2_full_dataset.zip")
    assert pkg.version == "1.2"
    errors = {k: n for (severity, k), n in kinds(pkg).items() if severity == "error"}
    assert errors == {"bad_manifest_value": 3, "bad_file_name": 1, "bad_header": 2}
    blank = [(p.row, p.column) for p in problems(pkg, "bad_manifest_value")]
    assert blank == [
        (20, "file.scoreScales"),
        (21, "file.userProfiles"),
        (22, "file.userResources"),
    ]
    [name] = problems(pkg, "bad_file_name")
    assert name.message == (
        "userprofiles.csv is not a OneRoster file name: names are case-sensitive, so it should "
        "be called userProfiles.csv."
    )
    headers = {p.file: p.message.split(" OneRoster")[0] for p in problems(pkg, "bad_header")}
    assert headers == {
        "roles.csv": "roles.csv, column 3: expected “dateLastModified” but found "
        "“dataLastModified”.",
        "users.csv": "users.csv, column 18: expected “preferredGivenName” but found "
        "“prefferedGivenName”.",
    }
    assert "users" not in pkg.tables and "roles" not in pkg.tables
    assert oneroster_students(pkg).height == 0


@needs_shared
@pytest.mark.parametrize("zipped", [False, True])
def test_the_oat_sa_sample_is_refused_with_clear_header_messages(tmp_path, zipped):
    path = OAT_SA
    if zipped:
        path = Path(shutil.make_archive(str(tmp_path / "oat"), "zip", OAT_SA))
    pkg = read_oneroster(path)
    assert pkg.version == "1.1"
    assert kinds(pkg) == {("error", "bad_header"): 7, ("error", "no_data_rows"): 3}
    assert pkg.tables == {}
    by_file = {p.file: p for p in problems(pkg, "bad_header")}
    demographics = by_file["demographics.csv"]
    assert demographics.message.startswith(
        "demographics.csv, column 1: expected “sourcedId” but found “userSourcedId”."
    )
    assert (demographics.column, demographics.value) == ("sourcedId", "userSourcedId")
    assert by_file["users.csv"].message.startswith(
        "users.csv, column 2: expected “status” but found “enabledUser”. “status” is there, but "
        "in column 3."
    )
    assert sorted(p.file for p in problems(pkg, "no_data_rows")) == [
        "academicSessions.csv", "courses.csv", "demographics.csv",
    ]  # fmt: skip


@needs_shared
def test_the_1_2_column_lists_match_the_binding():
    if not TABLES_JSON.is_file():
        pytest.skip(f"{TABLES_JSON} is not present")
    tables = json.loads(TABLES_JSON.read_text())
    for table in tables:
        caption = table["caption"]
        if "file format and contents" not in caption:
            continue
        stem = caption.split(".csv")[0].split("'")[-1].split(" ")[-1]
        assert COLUMNS["1.2"][stem] == tuple(row[0] for row in table["rows"][1:]), stem


# --- students -----------------------------------------------------------------------------------


def supplementary(
    tmp_path: Path, rows: list[list[str | None]], header: list[str] | None = None
) -> SourceTable:
    columns = header or [
        "sourcedId", "schoolYear", "economicDisadvantageStatus", "englishLearnerStatus",
        "ideaIndicator", "homelessnessStatus", "programParticipationFosterCare",
        "militaryConnectedStudentIndicator", "migrantStatus",
    ]  # fmt: skip
    frame = pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")
    return SourceTable("ceds.csv", frame, Detected("csv", "utf-8", ","))


def test_students_are_reshaped_from_users_roles_and_demographics(tmp_path):
    pkg = read_oneroster(package(tmp_path, school_rows()))
    students = oneroster_students(pkg)
    names = [f.name for f in TABLES[Kind.STUDENTS]]
    assert students.columns == [n for n in names if n in students.columns]
    assert students.to_dicts() == [
        {"student_id": "stu-1", "school_year": "2024", "school_code": "0101", "grade": "03",
         "race": "AS,WH", "hispanic": "false", "sex": "F"},
        {"student_id": "stu-2", "school_year": "2024", "school_code": "sch-2", "grade": "09",
         "race": "BL", "hispanic": "true", "sex": "M"},
        {"student_id": "stu-3", "school_year": "2024", "school_code": "sch-2", "grade": "KG",
         "race": None, "hispanic": None, "sex": "X"},
    ]  # fmt: skip


def test_students_leave_out_deleted_records_and_pass_odd_values_through(tmp_path):
    rows = school_rows()
    rows["roles"][4]["role"] = "student"
    rows["users"][3]["status"] = "tobedeleted"
    rows["demographics"][2]["sex"] = "unspecified"
    rows["demographics"][0]["hispanicOrLatinoEthnicity"] = "TRUE"
    rows["demographics"][1]["sex"] = "Boy"
    pkg = read_oneroster(package(tmp_path, rows))
    students = oneroster_students(pkg)
    assert students["student_id"].to_list() == ["stu-1", "stu-2", "stu-3"]
    assert students["sex"].to_list() == ["F", "boy", None]
    assert students["hispanic"].to_list() == ["true", "true", None]


def test_1_1_students_come_from_users_with_their_first_school(tmp_path):
    users = [
        user("u1", orgSourcedIds="dist,sch", role="student", grades="05"),
        user("u2", orgSourcedIds="sch2", role="Student"),
        user("t1", orgSourcedIds="sch", role="teacher"),
    ]
    orgs = [
        {"sourcedId": "dist", "name": "D", "type": "district"},
        {"sourcedId": "sch", "name": "S", "type": "school", "identifier": "S-01"},
    ]
    sessions = [{"sourcedId": "y", "title": "Y", "type": "schoolYear", "startDate": "2023-08-01",
                 "endDate": "2024-06-30", "schoolYear": "2024"}]  # fmt: skip
    pkg = read_oneroster(
        package(tmp_path, {"users": users, "orgs": orgs, "academicSessions": sessions},
                version="1.1")
    )  # fmt: skip
    students = oneroster_students(pkg)
    assert students.select("student_id", "school_code", "grade", "school_year").rows() == [
        ("u1", "S-01", "05", "2023"),
        ("u2", "sch2", None, "2023"),
    ]
    assert students["sex"].to_list() == [None, None]


def test_the_supplementary_file_adds_the_ceds_flags_and_school_years(tmp_path):
    pkg = read_oneroster(package(tmp_path, school_rows()))
    extra = supplementary(tmp_path, [
        ["stu-1", "2024-2025", "Yes", "No", "Yes", "No", "No", "ActiveDuty", "No"],
        ["stu-1", "2025-26", "yes", "no", None, "No", "No", "NationalGuardOrReserve", "Maybe"],
        ["stu-2", "2025", "No", "Yes", "No", "Yes", "Yes", "Unknown", "Yes"],
        ["stu-9", "2025", "Yes", "Yes", "Yes", "Yes", "Yes", "ActiveDuty", "Yes"],
    ])  # fmt: skip
    students = oneroster_students(pkg, supplementary=extra)
    assert students.columns == [
        "student_id", "school_year", "school_code", "grade", "race", "hispanic", "sex",
        "econ_disadvantaged", "disability", "english_learner", "homeless", "foster_care",
        "military_connected", "migrant",
    ]  # fmt: skip
    flags = students.select(
        "student_id", "school_year", "econ_disadvantaged", "english_learner", "disability",
        "homeless", "foster_care", "military_connected", "migrant",
    ).rows()  # fmt: skip
    assert flags == [
        ("stu-1", "2024", "true", "false", "true", "false", "false", "true", "false"),
        ("stu-1", "2025", "true", "false", None, "false", "false", "false", "Maybe"),
        ("stu-2", "2024", "false", "true", "false", "true", "true", None, "true"),
        ("stu-3", "2024", None, None, None, None, None, None, None),
    ]


def test_the_supplementary_file_needs_sourced_ids(tmp_path):
    pkg = read_oneroster(package(tmp_path, school_rows()))
    extra = supplementary(tmp_path, [["stu-1", "Yes"]], header=["studentId", "migrantStatus"])
    with pytest.raises(ReadError, match=r"^ceds\.csv has no “sourcedId” column"):
        oneroster_students(pkg, supplementary=extra)


def test_missing_supplementary_columns_give_null_flags(tmp_path):
    pkg = read_oneroster(package(tmp_path, school_rows()))
    extra = supplementary(tmp_path, [["stu-1", "Yes"]], header=["SourcedId", "migrantStatus"])
    students = oneroster_students(pkg, supplementary=extra)
    assert students["migrant"].to_list() == ["true", None, None]
    assert students["homeless"].to_list() == [None, None, None]
    assert students["school_year"].to_list() == ["2024"] * 3
