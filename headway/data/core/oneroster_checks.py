"""The row-level rules of the OneRoster CSV binding (standards §2.1.1, §2.1.2), over Polars frames.

Each check adds Problems to a Report: errors for what the binding forbids, warnings for slips a
reader can work around (capitalisation, bulk files that carry delta columns, …). Checks run on
whole columns; the report details the first rows of each kind and counts them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import polars as pl

from headway.data.core.oneroster_spec import (
    DATETIME_PATTERN,
    ID_PATTERN,
    REFERENCES,
    REQUIRED,
    STATUS,
    VOCABULARIES,
    Reference,
    Vocabulary,
)
from headway.data.core.schema import Problem, Report

DETAIL_ROWS = 10  # rows detailed per check and file; the report counts them all


def header_problem(
    file: str, found: list[str], expected: tuple[str, ...], version: str
) -> Problem | None:
    """The first column where the header departs from the binding, explained."""
    for position, wanted in enumerate(expected):
        got = found[position] if position < len(found) else None
        if got == wanted:
            continue
        listing = ", ".join(expected)
        if got is None:
            start = (
                f"{file} has only {len(found)} columns; column {position + 1} should be “{wanted}”."
            )
        else:
            start = (
                f"{file}, column {position + 1}: expected “{wanted}” but found “{got}”."
                + _header_hint(wanted, got, found)
            )
        message = (
            f"{start} OneRoster {version} needs exactly these columns, in this order "
            f"(names are case-sensitive): {listing}."
        )
        return Problem("bad_header", message, file=file, row=0, column=wanted, value=got or "")
    return None


def _header_hint(wanted: str, got: str, found: list[str]) -> str:
    if got.lower() == wanted.lower():
        return " Only the capitals differ."
    if wanted in found:
        return f" “{wanted}” is there, but in column {found.index(wanted) + 1}."
    return ""


def check_extensions(file: str, extra: list[str], report: Report) -> None:
    """Extension columns may follow the standard ones; the binding names them metadata.*."""
    for name in extra:
        if name and not name.startswith("metadata."):
            report.add(
                Problem(
                    "extension_column",
                    f"{file} has the extra column “{name}”; "
                    "OneRoster extension columns are named metadata.<name>.",
                    file=file,
                    row=0,
                    column=name,
                    severity="warning",
                )
            )


# --- row checks ---------------------------------------------------------------------------------


def _flag(
    report: Report, frame: pl.DataFrame, mask: pl.Expr, column: str, make: Callable[[str], Problem]
) -> None:
    """Report the rows of ``frame`` matching ``mask``."""
    _add_rows(report, frame.with_row_index("_row", 1).filter(mask), column, make)


def _add_rows(
    report: Report, hits: pl.DataFrame, column: str, make: Callable[[str], Problem]
) -> None:
    """The first DETAIL_ROWS hits in detail (``_row`` is the data row), all of them in the count."""
    shown = hits.head(DETAIL_ROWS).select("_row", pl.col(column).alias("_value")).rows()
    for i, (row, value) in enumerate(shown):
        count = 1 if i < len(shown) - 1 else hits.height - len(shown) + 1
        report.add(replace(make(value or ""), row=row), count)


def check_rows(frame: pl.DataFrame, stem: str, declared: str, version: str, report: Report) -> str:
    """All checks within one file; returns its effective mode (bulk or delta)."""
    file = f"{stem}.csv"
    _check_ids(frame, file, report)
    _check_required(frame, file, REQUIRED[version][stem], report)
    for (vocab_file, column), vocabulary in VOCABULARIES[version].items():
        if vocab_file == stem:
            _check_vocabulary(frame, file, column, vocabulary, report)
    return _check_status(frame, file, declared, report)


def _check_ids(frame: pl.DataFrame, file: str, report: Report) -> None:
    sid = pl.col("sourcedId")
    _flag(
        report,
        frame,
        sid.is_not_null() & ~sid.str.contains(ID_PATTERN),
        "sourcedId",
        lambda v: Problem(
            "bad_id",
            f"sourcedId “{v}” is not allowed: OneRoster ids have "
            "fewer than 256 characters, only letters, digits and . - _ / @.",
            file=file,
            column="sourcedId",
            value=v,
        ),
    )
    duplicated = sid.is_not_null() & sid.is_duplicated()
    _flag(
        report,
        frame,
        duplicated,
        "sourcedId",
        lambda v: Problem(
            "duplicate",
            f"sourcedId “{v}” appears on more than one row of {file}.",
            file=file,
            column="sourcedId",
            value=v,
        ),
    )


def _check_required(
    frame: pl.DataFrame, file: str, required: tuple[str, ...], report: Report
) -> None:
    for column in required:
        problem = Problem(
            "missing_value", f"{column} must not be blank in {file}.", file=file, column=column
        )
        _flag(report, frame, pl.col(column).is_null(), column, _always(problem))


def _check_vocabulary(
    frame: pl.DataFrame, file: str, column: str, vocabulary: Vocabulary, report: Report
) -> None:
    """Unknown values are errors; capitalisation slips and other versions' values are warnings."""
    value = pl.col(column)
    outside = value.is_not_null() & ~value.is_in(vocabulary.values)
    if vocabulary.extensible:
        outside &= ~value.str.starts_with("ext:")
    case_only = value.str.to_lowercase().is_in([v.lower() for v in vocabulary.values])
    tolerated = value.is_in(vocabulary.tolerated) & ~case_only
    for mask, kind in (
        (outside & case_only, "code_case"),
        (outside & tolerated, "other_version_code"),
        (outside & ~case_only & ~tolerated, "bad_code"),
    ):
        _flag(report, frame, mask, column, _code_problem(kind, file, column, vocabulary))


def _code_problem(
    kind: str, file: str, column: str, vocabulary: Vocabulary
) -> Callable[[str], Problem]:
    expected = ", ".join(vocabulary.values)
    extension = " (or a local extension starting with “ext:”)" if vocabulary.extensible else ""
    messages = {
        "code_case": "“{v}” should be spelled exactly as the binding does, capitals included: "
        + expected,
        "other_version_code": "“{v}” is not a " + vocabulary.label + " in this OneRoster version "
        f"({expected}); read as given",
        "bad_code": "“{v}” is not a OneRoster "
        + vocabulary.label
        + "; expected one of "
        + expected
        + extension,
    }
    severity = "error" if kind == "bad_code" else "warning"

    def make(value: str) -> Problem:
        message = messages[kind].replace("{v}", value) + "."
        return Problem(kind, message, file=file, column=column, value=value, severity=severity)

    return make


def _check_status(frame: pl.DataFrame, file: str, declared: str, report: Report) -> str:
    """Bulk rows leave status/dateLastModified blank; delta rows fill them (rules 13, 14, 16)."""
    mode = declared
    if declared == "bulk":
        mode = _bulk_mode(frame, file, report)
    else:
        missing = Problem(
            "missing_status",
            f"{file} is a delta file, so every row needs a status: active or tobedeleted.",
            file=file,
            column="status",
        )
        _flag(report, frame, pl.col("status").is_null(), "status", _always(missing))
    _check_vocabulary(frame, file, "status", STATUS, report)
    _check_timestamps(frame, file, report)
    return mode


def _bulk_mode(frame: pl.DataFrame, file: str, report: Report) -> str:
    """A bulk file whose rows carry status is read as delta: the data rows win (rule 16)."""
    filled = pl.col("status").is_not_null() | pl.col("dateLastModified").is_not_null()
    count = int(frame.select(filled.sum()).item())
    if not count:
        return "bulk"
    rows = "1 row fills" if count == 1 else f"{count} rows fill"
    message = (
        f"manifest.csv marks {file} as bulk, so status and dateLastModified should be blank, "
        f"but {rows} them in. The rows win: they are read as changes (delta)."
    )
    report.add(
        Problem("bulk_with_status", message, file=file, column="status", severity="warning"),
        count,
    )
    return "delta"


def _check_timestamps(frame: pl.DataFrame, file: str, report: Report) -> None:
    stamp = pl.col("dateLastModified")
    _flag(
        report,
        frame,
        stamp.is_not_null() & ~stamp.str.contains(DATETIME_PATTERN),
        "dateLastModified",
        lambda v: Problem(
            "bad_datetime",
            f"dateLastModified “{v}” should look like 2024-09-01T08:30:00.000Z (UTC).",
            file=file,
            column="dateLastModified",
            value=v,
            severity="warning",
        ),
    )


# --- references ---------------------------------------------------------------------------------


def check_references(
    tables: dict[str, pl.DataFrame],
    modes: dict[str, str],
    present: set[str],
    version: str,
    report: Report,
) -> None:
    """sourcedIds must point at records in the package (rule 13); a delta file may point at
    records sent in an earlier package, so there a dangling reference is only a warning."""
    for ref in REFERENCES:
        if version not in ref.versions or ref.file not in tables:
            continue
        frame = tables[ref.file]
        if frame.select(pl.col(ref.column).is_not_null().any()).item() is not True:
            continue
        if ref.target not in tables:
            report.add(_unchecked(ref, ref.target in present))
            continue
        _check_reference(frame, tables[ref.target], ref, modes[ref.file], report)


def _unchecked(ref: Reference, rejected: bool) -> Problem:
    why = "could not be read" if rejected else "is not in the package"
    return Problem(
        "unchecked_reference",
        f"{ref.target}.csv {why}, so the {ref.column} values "
        f"in {ref.file}.csv could not be checked.",
        file=f"{ref.file}.csv",
        column=ref.column,
        severity="warning",
    )


def _check_reference(
    frame: pl.DataFrame, target: pl.DataFrame, ref: Reference, mode: str, report: Report
) -> None:
    values = frame.with_row_index("_row", 1).select("_row", pl.col(ref.column).alias("_ref"))
    if ref.many:
        values = values.with_columns(pl.col("_ref").str.split(",")).explode("_ref")
        values = values.with_columns(pl.col("_ref").str.strip_chars())
    known = target["sourcedId"].drop_nulls().unique()
    dangling = values.filter((pl.col("_ref").str.len_bytes() > 0) & ~pl.col("_ref").is_in(known))
    severity = "error" if mode == "bulk" else "warning"
    later = "" if mode == "bulk" else " (a delta file may refer to a record sent earlier)"
    _add_rows(
        report,
        dangling,
        "_ref",
        lambda v: Problem(
            "unknown_reference",
            f"“{v}” is not a sourcedId in {ref.target}.csv{later}.",
            file=f"{ref.file}.csv",
            column=ref.column,
            value=v,
            severity=severity,
        ),
    )


def _always(problem: Problem) -> Callable[[str], Problem]:
    return lambda _value: problem
