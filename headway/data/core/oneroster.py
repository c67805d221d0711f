"""Read a OneRoster 1.1 or 1.2 CSV package, check it (standards §2.1), reshape its students.

``read_oneroster`` raises ReadError only when the package cannot be opened at all (not a zip, a
zip bomb, files inside a folder, no manifest, an unknown version). Everything else is a Problem in
the package's report, located by file, row, column and value, so the user can fix the export in
one go. ``oneroster_students`` then reshapes users + demographics (+ the supplementary CEDS file
of §2.1.5) into Headway's students table.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from headway.data.core.oneroster_checks import (
    check_extensions,
    check_references,
    check_rows,
    header_problem,
)
from headway.data.core.oneroster_spec import COLUMNS, MODES, VERSIONS
from headway.data.core.readers import ReadError, SourceTable, check_zip_limits, read_csv
from headway.data.core.schema import TABLES, Kind, Problem, Report

MEMBER_CHUNK = 1 << 20


@dataclass
class OneRosterPackage:
    version: str  # "1.1" or "1.2"
    tables: dict[str, pl.DataFrame]  # file stem ("users", ...) -> all-String frame
    report: Report  # problems found (errors + warnings), with file/row/column/value


@dataclass(frozen=True)
class _Limits:
    max_files: int
    max_uncompressed: int
    max_ratio: float


def read_oneroster(
    path: Path,
    *,
    max_files: int = 40,
    max_uncompressed: int = 2_000_000_000,
    max_ratio: float = 200.0,
) -> OneRosterPackage:
    """Read a package: a .zip file, or a folder holding the same files (handy for tests)."""
    limits = _Limits(max_files, max_uncompressed, max_ratio)
    report = Report()
    with tempfile.TemporaryDirectory(prefix="headway-oneroster-") as tmp:
        members = _unpack(path, path.name, Path(tmp), limits)
        manifest = _read_manifest(members, path.name)
        version = _version(manifest, path.name)
        declared = _check_manifest(manifest, version, report)
        present = _check_members(members, declared, manifest, version, report)
        tables = _read_tables(present, version, report)
    modes = {
        stem: check_rows(frame, stem, declared[stem], version, report)
        for stem, frame in tables.items()
    }
    check_references(tables, modes, set(present), version, report)
    return OneRosterPackage(version, tables, report)


# --- unpacking ----------------------------------------------------------------------------------


def _unpack(path: Path, label: str, tmp: Path, limits: _Limits) -> dict[str, Path]:
    """File name -> readable path; every limit is checked before anything is unpacked."""
    if path.is_dir():
        return _folder_members(path, label, limits)
    if not path.exists():
        raise ReadError(label, "could not be found.", kind="not_found")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(label, NOT_A_ZIP, kind="not_zip") from None
    with archive:
        infos = _package_members(archive.infolist(), label)
        check_zip_limits(
            infos,
            label,
            max_files=limits.max_files,
            max_uncompressed=limits.max_uncompressed,
            max_ratio=limits.max_ratio,
        )
        budget = [limits.max_uncompressed]
        return {
            info.filename: _unpack_member(archive, info, tmp / f"{i}.csv", label, budget)
            for i, info in enumerate(infos)
        }


NOT_A_ZIP = (
    "is not a zip file: a OneRoster package is a .zip file holding manifest.csv and the data files."
)


def _package_members(infos: list[zipfile.ZipInfo], label: str) -> list[zipfile.ZipInfo]:
    """The package's files; macOS's hidden extras are ignored, folders and duplicates refused."""
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if name.startswith("__MACOSX/") or name.rsplit("/", 1)[-1] == ".DS_Store":
            continue
        if "/" in name or "\\" in name:
            raise ReadError(label, _nested_message(name), kind="nested")
        if name in members:
            raise ReadError(label, f"holds two files named {name}.", kind="duplicate_file")
        if info.flag_bits & 0x1:
            raise ReadError(label, "is password-protected; export it without a password.")
        members[name] = info
    return list(members.values())


def _nested_message(name: str) -> str:
    folder = name.replace("\\", "/").split("/", 1)[0]
    return (
        f"keeps its files inside a folder (“{folder}”), but OneRoster needs manifest.csv and the "
        "data files at the top level of the zip. Zip the files themselves, not the folder."
    )


def _unpack_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, label: str, budget: list[int]
) -> Path:
    """Copy one member in chunks, never more than it declared or than the package may hold.

    ``budget`` is a one-item list: the bytes the whole package may still unpack to.
    """
    cap = min(info.file_size, budget[0])
    written = 0
    try:
        with archive.open(info) as src, target.open("wb") as out:
            while chunk := src.read(MEMBER_CHUNK):
                written += len(chunk)
                if written > cap:
                    raise ReadError(
                        label, BIGGER_THAN_DECLARED.format(name=info.filename), kind="zip_bomb"
                    )
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError):
        raise ReadError(
            label, f"is damaged: {info.filename} inside it cannot be unpacked.", kind="damaged"
        ) from None
    budget[0] -= written
    return target


BIGGER_THAN_DECLARED = (
    "was refused: {name} inside it unpacks to more than the zip says it holds, which is how "
    "“zip bombs” are built to overwhelm a server."
)


def _folder_members(folder: Path, label: str, limits: _Limits) -> dict[str, Path]:
    entries = sorted(p for p in folder.iterdir() if p.name != ".DS_Store")
    nested = [p for p in entries if p.is_dir()]
    if nested:
        raise ReadError(label, _nested_message(nested[0].name + "/"), kind="nested")
    if len(entries) > limits.max_files:
        raise ReadError(
            label,
            f"holds {len(entries)} files; at most {limits.max_files} are allowed.",
            kind="too_large",
        )
    return {p.name: p for p in entries}


# --- manifest -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Manifest:
    values: dict[str, str]  # propertyName -> value ("" when blank)
    rows: dict[str, int]  # propertyName -> data row, for problems


def _read_manifest(members: dict[str, Path], label: str) -> _Manifest:
    if "manifest.csv" not in members:
        raise ReadError(
            label,
            "has no manifest.csv. OneRoster 1.1 and 1.2 packages always include one, listing "
            "each file as absent, bulk or delta.",
            kind="no_manifest",
        )
    frame = read_csv(
        members["manifest.csv"], name="manifest.csv", require_utf8=True, delimiter=","
    ).frame
    if frame.columns[:2] != ["propertyName", "value"]:
        raise ReadError(
            "manifest.csv", "must start with the header “propertyName,value”.", kind="bad_header"
        )
    values: dict[str, str] = {}
    rows: dict[str, int] = {}
    for row, (name, value) in enumerate(frame.select("propertyName", "value").rows(), 1):
        if name is not None and name not in values:
            values[name], rows[name] = value or "", row
    return _Manifest(values, rows)


def _version(manifest: _Manifest, label: str) -> str:
    """1.2.1 packages say 1.2 (the binding's own rule); a few exporters write 1.2.1."""
    found = manifest.values.get("oneroster.version", "")
    version = "1.2" if found in ("1.2", "1.2.1", "1.2.0") else found
    if version not in VERSIONS:
        said = f"says OneRoster version “{found}”" if found else "does not say its version"
        raise ReadError(
            label,
            f"{said} (manifest.csv, oneroster.version). Headway reads OneRoster 1.1 and 1.2.",
            kind="version",
        )
    return version


def _check_manifest(manifest: _Manifest, version: str, report: Report) -> dict[str, str]:
    """Every file needs a line set to absent, bulk or delta; returns the files marked bulk/delta."""
    declared: dict[str, str] = {}
    for stem in COLUMNS[version]:
        key = f"file.{stem}"
        mode = _manifest_mode(manifest, key, version, report)
        if mode in ("bulk", "delta"):
            declared[stem] = mode
    for key in manifest.values:
        if key.startswith("file.") and key[5:] not in COLUMNS[version]:
            report.add(
                _manifest_problem(
                    manifest,
                    key,
                    "unknown_manifest_entry",
                    "warning",
                    f"{key} is not a OneRoster {version} file; ignored.",
                )
            )
    if manifest.values.get("manifest.version", "1.0") != "1.0":
        report.add(
            _manifest_problem(
                manifest,
                "manifest.version",
                "bad_manifest_value",
                "warning",
                "manifest.version should be 1.0.",
            )
        )
    return declared


def _manifest_mode(manifest: _Manifest, key: str, version: str, report: Report) -> str:
    """The file's mode from the manifest; "" (and a problem) when it is missing or invalid."""
    if key not in manifest.values:
        message = (
            f"manifest.csv has no {key} line: OneRoster {version} needs one for every file, "
            "set to absent, bulk or delta."
        )
        report.add(Problem("missing_manifest_entry", message, file="manifest.csv", column=key))
        return ""
    value = manifest.values[key]
    if value in MODES:
        return value
    if value.lower() in MODES:
        message = f"{key} should be written “{value.lower()}” (lower case)."
        report.add(_manifest_problem(manifest, key, "code_case", "warning", message))
        return value.lower()
    shown = f"it is “{value}”" if value else "it is blank"
    message = f"{key} must be absent, bulk or delta; {shown}."
    report.add(_manifest_problem(manifest, key, "bad_manifest_value", "error", message))
    return ""


def _manifest_problem(
    manifest: _Manifest, key: str, kind: str, severity: str, message: str
) -> Problem:
    return Problem(
        kind,
        message,
        file="manifest.csv",
        row=manifest.rows.get(key),
        column=key,
        value=manifest.values.get(key, ""),
        severity=severity,
    )


def _check_members(
    members: dict[str, Path],
    declared: dict[str, str],
    manifest: _Manifest,
    version: str,
    report: Report,
) -> dict[str, Path]:
    """The files present must be exactly those the manifest marks bulk or delta (rule 3)."""
    present: dict[str, Path] = {}
    for name, path in members.items():
        if name == "manifest.csv":
            continue
        problem = _member_problem(name, declared, manifest, version)
        if problem:
            report.add(problem)
        else:
            present[name[:-4]] = path
    for stem, mode in declared.items():
        if f"{stem}.csv" not in members:
            report.add(
                Problem(
                    "missing_file",
                    f"manifest.csv marks {stem}.csv as {mode}, but the package has no {stem}.csv.",
                    file=f"{stem}.csv",
                )
            )
    return present


def _member_problem(
    name: str, declared: dict[str, str], manifest: _Manifest, version: str
) -> Problem | None:
    stem = name[:-4] if name.endswith(".csv") else name
    files = COLUMNS[version]
    if name.endswith(".csv") and stem in files:
        if stem in declared:
            return None
        said = manifest.values.get(f"file.{stem}")
        state = f"marks it “{said}”" if said else "does not mark it bulk or delta"
        return Problem(
            "unlisted_file",
            f"{name} is in the package, but manifest.csv {state}; "
            "list it as bulk or delta, or leave the file out.",
            file=name,
        )
    match = next((s for s in files if s.lower() == stem.lower()), None)
    if match:
        message = (
            f"{name} is not a OneRoster file name: names are case-sensitive, so it "
            f"should be called {match}.csv."
        )
        return Problem("bad_file_name", message, file=name, value=name)
    return Problem(
        "unknown_file",
        f"{name} is not one of the OneRoster {version} files "
        f"({', '.join(f + '.csv' for f in files)}).",
        file=name,
        value=name,
    )


# --- reading the data files ---------------------------------------------------------------------


def _read_tables(present: dict[str, Path], version: str, report: Report) -> dict[str, pl.DataFrame]:
    tables: dict[str, pl.DataFrame] = {}
    for stem, path in sorted(present.items()):
        frame = _read_member(path, stem, version, report)
        if frame is not None:
            tables[stem] = frame
    return tables


def _read_member(path: Path, stem: str, version: str, report: Report) -> pl.DataFrame | None:
    """One data file; None when its header or content makes its columns untrustworthy."""
    file = f"{stem}.csv"
    header_ok = _check_header(path, stem, version, report)
    try:
        frame = read_csv(path, name=file, require_utf8=True, delimiter=",").frame
    except ReadError as err:
        if err.kind in ("no_data", "empty"):
            report.add(
                Problem(
                    "no_data_rows",
                    f"{file} has no data rows. OneRoster does not "
                    "allow empty files: leave it out and mark it absent in "
                    "manifest.csv.",
                    file=file,
                )
            )
        elif header_ok:
            report.add(
                Problem("unreadable_file", str(err), file=file, row=err.row, column=err.column)
            )
        return None
    if not header_ok:
        return None
    return frame.drop("resourceSourcedIds", strict=False) if stem == "users" else frame


def _header(path: Path) -> list[str] | None:
    """The first record, read leniently; None when it cannot be decoded (reported later)."""
    with path.open("rb") as f:
        head = f.read(1 << 16)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    first = next((r for r in csv.reader(io.StringIO(text, newline="")) if r), None)
    return [name.strip() for name in first] if first else None


def _check_header(path: Path, stem: str, version: str, report: Report) -> bool:
    found = _header(path)
    if found is None:
        return True
    expected = COLUMNS[version][stem]
    if version == "1.2" and stem == "users" and "resourceSourcedIds" in found:
        report.add(
            Problem(
                "old_column",
                "users.csv has the resourceSourcedIds column, which "
                "OneRoster 1.2.1 removed (use userResources.csv); it is ignored.",
                file="users.csv",
                row=0,
                column="resourceSourcedIds",
                severity="warning",
            )
        )
        found = [name for name in found if name != "resourceSourcedIds"]
    problem = header_problem(f"{stem}.csv", found, expected, version)
    if problem:
        report.add(problem)
        return False
    check_extensions(f"{stem}.csv", found[len(expected) :], report)
    return True


# --- students -----------------------------------------------------------------------------------

RACE_CODES = (
    ("americanIndianOrAlaskaNative", "AM"),
    ("asian", "AS"),
    ("blackOrAfricanAmerican", "BL"),
    ("nativeHawaiianOrOtherPacificIslander", "PI"),
    ("white", "WH"),
)
SEX_CODES = {"male": "M", "female": "F", "other": "X", "unspecified": None}
# the supplementary CEDS file's columns (standards §2.1.5) -> Headway's student fields
CEDS_FLAGS = {
    "economicDisadvantageStatus": "econ_disadvantaged",
    "englishLearnerStatus": "english_learner",
    "ideaIndicator": "disability",
    "homelessnessStatus": "homeless",
    "programParticipationFosterCare": "foster_care",
    "militaryConnectedStudentIndicator": "military_connected",
    "migrantStatus": "migrant",
}
_STUDENT_COLUMNS = ("student_id", "grade", "_org")


def oneroster_students(
    pkg: OneRosterPackage, *, supplementary: SourceTable | None = None
) -> pl.DataFrame:
    """Headway's students table from users, demographics and the optional CEDS file.

    Only reshapes: codes OneRoster and CEDS define are translated (male -> M, Yes -> true),
    anything else is passed through for the validation step to explain. Records marked
    tobedeleted (or 1.0's inactive) are left out: they are deletions, not students.
    """
    students = _student_users(pkg)
    students = _with_school_code(students, pkg.tables.get("orgs"))
    students = _with_demographics(students, pkg.tables.get("demographics"))
    students = _with_supplementary(students, supplementary)
    session_year = _session_school_year(pkg.tables.get("academicSessions"))
    students = students.with_columns(
        pl.coalesce(pl.col("school_year"), pl.lit(session_year, pl.String)).alias("school_year")
    )
    names = [f.name for f in TABLES[Kind.STUDENTS] if f.name in students.columns]
    return students.select(pl.col(n).cast(pl.String) for n in names)


def _active(frame: pl.DataFrame) -> pl.DataFrame:
    status = pl.col("status").str.to_lowercase()
    return frame.filter(status.is_null() | ~status.is_in(["tobedeleted", "inactive"]))


def _empty(columns: tuple[str, ...]) -> pl.DataFrame:
    return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))


def _student_users(pkg: OneRosterPackage) -> pl.DataFrame:
    """student_id, grade and the org (_org) of every user whose role is student."""
    users = pkg.tables.get("users")
    if users is None:
        return _empty(_STUDENT_COLUMNS)
    users = _active(users)
    grade = _blank_to_null(pl.col("grades").str.split(",").list.first().str.strip_chars())
    if pkg.version == "1.1":
        users = users.filter(pl.col("role").str.to_lowercase() == "student")
        org = _first_school(pl.col("orgSourcedIds"), pkg.tables.get("orgs"))
    else:
        users = users.join(_student_roles(pkg.tables.get("roles")), on="sourcedId", how="inner")
        org = pl.coalesce(pl.col("_role_org"), pl.col("primaryOrgSourcedId"))
    return users.select(
        pl.col("sourcedId").alias("student_id"), grade.alias("grade"), org.alias("_org")
    )


def _student_roles(roles: pl.DataFrame | None) -> pl.DataFrame:
    """1.2 keeps roles apart: one row per student, the primary role's org first."""
    if roles is None:
        return _empty(("sourcedId", "_role_org"))
    student = _active(roles).filter(pl.col("role").str.to_lowercase() == "student")
    ordered = student.sort(pl.col("roleType").str.to_lowercase() != "primary", maintain_order=True)
    first = ordered.unique("userSourcedId", keep="first", maintain_order=True)
    return first.select(
        pl.col("userSourcedId").alias("sourcedId"), pl.col("orgSourcedId").alias("_role_org")
    )


def _first_school(org_ids: pl.Expr, orgs: pl.DataFrame | None) -> pl.Expr:
    """1.1 users list their orgs; the first one that is a school, else the first listed."""
    listed = org_ids.str.split(",").list.eval(pl.element().str.strip_chars())
    if orgs is None:
        return listed.list.first()
    schools = orgs.filter(pl.col("type").str.to_lowercase() == "school")["sourcedId"].to_list()
    school = listed.list.eval(pl.element().filter(pl.element().is_in(schools))).list.first()
    return pl.coalesce(school, listed.list.first())


def _with_school_code(students: pl.DataFrame, orgs: pl.DataFrame | None) -> pl.DataFrame:
    """The school's human identifier (e.g. its state code) when the org has one."""
    if orgs is None:
        return students.with_columns(pl.col("_org").alias("school_code"))
    codes = orgs.select(pl.col("sourcedId").alias("_org"), pl.col("identifier").alias("_code"))
    joined = students.join(codes.unique("_org", keep="first"), on="_org", how="left")
    return joined.with_columns(pl.coalesce("_code", "_org").alias("school_code"))


def _with_demographics(students: pl.DataFrame, demographics: pl.DataFrame | None) -> pl.DataFrame:
    if demographics is None:
        return students.with_columns(
            pl.lit(None, pl.String).alias(c) for c in ("sex", "race", "hispanic")
        )
    lower = pl.col("hispanicOrLatinoEthnicity").str.to_lowercase()
    shaped = _active(demographics).select(
        pl.col("sourcedId").alias("student_id"),
        pl.col("sex").str.to_lowercase().replace(SEX_CODES).alias("sex"),
        _race().alias("race"),
        pl.when(lower.is_in(["true", "false"]))
        .then(lower)
        .otherwise(pl.col("hispanicOrLatinoEthnicity"))
        .alias("hispanic"),
    )
    return students.join(shaped.unique("student_id", keep="first"), on="student_id", how="left")


def _race() -> pl.Expr:
    """The OMB races flagged true, as a comma-joined list of codes in a fixed order."""
    flagged = [
        pl.when(pl.col(column).str.to_lowercase() == "true").then(pl.lit(code))
        for column, code in RACE_CODES
    ]
    return _blank_to_null(pl.concat_str(flagged, separator=",", ignore_nulls=True))


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.len_bytes() > 0).then(expr)


def _with_supplementary(students: pl.DataFrame, supplementary: SourceTable | None) -> pl.DataFrame:
    """Join the CEDS flags; a student may have one row per school year there."""
    if supplementary is None:
        return students.with_columns(pl.lit(None, pl.String).alias("school_year"))
    columns = {c.lower(): c for c in supplementary.frame.columns}
    if "sourcedid" not in columns:
        raise ReadError(
            supplementary.name,
            "has no “sourcedId” column: each row of the "
            "supplementary file must name the student's OneRoster users.sourcedId.",
            kind="bad_header",
        )
    flags = [_ceds_flag(columns, source, target) for source, target in CEDS_FLAGS.items()]
    year = pl.col(columns["schoolyear"]) if "schoolyear" in columns else pl.lit(None, pl.String)
    shaped = supplementary.frame.select(
        pl.col(columns["sourcedid"]).alias("student_id"),
        start_year(year).alias("school_year"),
        *flags,
    )
    return students.join(shaped, on="student_id", how="left")


def _ceds_flag(columns: dict[str, str], source: str, target: str) -> pl.Expr:
    if source.lower() not in columns:
        return pl.lit(None, pl.String).alias(target)
    value = pl.col(columns[source.lower()])
    lower = value.str.to_lowercase()
    if target == "military_connected":
        # CEDS: ActiveDuty, NationalGuardOrReserve, NotMilitaryConnected, Unknown; the ESSA
        # military-connected group counts students with a parent on active duty only.
        value = (
            pl.when(lower == "activeduty")
            .then(pl.lit("Yes"))
            .when(lower.is_in(["nationalguardorreserve", "notmilitaryconnected"]))
            .then(pl.lit("No"))
            .when(lower == "unknown")
            .then(pl.lit(None, pl.String))
            .otherwise(value)
        )
    return _yes_no(value).alias(target)


def _yes_no(value: pl.Expr) -> pl.Expr:
    lower = value.str.to_lowercase()
    return (
        pl.when(lower.is_in(["yes", "true"]))
        .then(pl.lit("true"))
        .when(lower.is_in(["no", "false"]))
        .then(pl.lit("false"))
        .otherwise(value)
    )


def start_year(value: pl.Expr) -> pl.Expr:
    """A school year as the calendar year it starts in: '2024-2025', '2024-25' -> '2024'.

    A single year is read as OneRoster and Ed-Fi write it, the year the school year ends:
    '2025' -> '2024'. Anything else passes through for validation to explain.
    """
    text = value.str.strip_chars()
    span = text.str.extract(r"^(\d{4})\s*[-–/_]\s*\d{2,4}$", 1)
    ending = text.str.extract(r"^(\d{4})$", 1).cast(pl.Int64, strict=False) - 1
    return pl.coalesce(span, ending.cast(pl.String), text)


def _session_school_year(sessions: pl.DataFrame | None) -> str | None:
    """The latest school year the package's academic sessions name, as its start year.

    Sessions of type schoolYear say it directly; failing those, terms and semesters carry the
    same schoolYear column.
    """
    if sessions is None:
        return None
    active = _active(sessions)
    whole = active.filter(pl.col("type").str.to_lowercase() == "schoolyear")
    years = (whole if whole.height else active)["schoolYear"].drop_nulls().to_list()
    ending = [int(y) for y in years if len(y) == 4 and y.isdigit()]
    return str(max(ending) - 1) if ending else None
