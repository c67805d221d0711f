"""Read the tables school staff upload: CSV (any usual encoding or delimiter, gzipped too), Excel.

Every reader returns text only: each column is a Polars String column, names and values trimmed,
empty cells null. Nothing is converted, evaluated or guessed beyond the file's own layout, so a
later step can explain every value it rejects. A file that cannot be read as a table at all raises
ReadError, whose text is written for the person who uploaded it.

Big files are streamed: a CSV is checked and, when it is not plain UTF-8, transcoded to a UTF-8
temporary file in 1 MB chunks, so only Polars ever holds the whole table in memory.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

CHUNK = 1 << 20  # bytes per read when streaming
BINARY_WINDOW = 1 << 16  # a NUL byte in this many leading bytes means "not a text file"
SAMPLE = 1 << 18  # bytes of text used to detect the delimiter
SAMPLE_RECORDS = 50
DELIMITERS = (",", ";", "\t", "|")
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls
CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")  # unassigned in Windows-1252
WORKBOOK_MAX_RATIO = 1000.0  # spreadsheet XML compresses well, but not a thousandfold
RATIO_FLOOR = 1 << 20  # members smaller than this are too small to be a compression bomb

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
DELIMITER_NAMES = {
    ",": "comma-separated",
    ";": "semicolon-separated",
    "\t": "tab-separated",
    "|": "pipe-separated",
}


class ReadError(Exception):
    """A file that cannot be read as a table at all.

    ``str(err)`` is the whole plain-language message: the file, the row or column when known,
    and what was expected. ``kind`` is a short code for programs (the OneRoster reader uses it).
    """

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str = "",
        kind: str = "unreadable",
    ) -> None:
        self.file = file
        self.message = message
        self.row = row
        self.column = column
        self.kind = kind
        super().__init__(_error_text(file, message, row, column))


def _error_text(file: str, message: str, row: int | None, column: str) -> str:
    """'sgp.csv, row 12: …' when located, else 'empty.csv is empty: …' (a predicate)."""
    where = [file]
    if row is not None:
        where.append(f"row {row}")
    if column:
        where.append(f"column {column}")
    if len(where) == 1:
        return f"{file} {message}"
    return ", ".join(where) + ": " + message


@dataclass(frozen=True)
class Detected:
    """What the reader found out about the file, to tell the user."""

    format: str  # "csv" | "xlsx" | "oneroster"
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    compressed: bool = False  # the CSV was gzip-compressed
    note: str = ""  # anything the user should know, e.g. why UTF-8 was not used

    def describe(self) -> str:
        """e.g. 'CSV, UTF-8 with BOM, semicolon-separated'."""
        if self.format == "xlsx":
            parts = [f"Excel workbook, sheet “{self.sheet}”"]
            if len(self.sheets) > 1:
                parts.append(f"one of {len(self.sheets)} sheets")
        elif self.format == "oneroster":
            parts = ["OneRoster package"]
        else:
            parts = [
                "CSV (gzip-compressed)" if self.compressed else "CSV",
                ENCODING_NAMES.get(self.encoding, self.encoding),
                DELIMITER_NAMES.get(self.delimiter, self.delimiter),
            ]
        text = ", ".join(p for p in parts if p)
        return f"{text}. {self.note}" if self.note else text


@dataclass
class SourceTable:
    name: str  # file name (no directories), for messages
    frame: pl.DataFrame  # every column pl.String, names stripped, empty cells null
    detected: Detected


# --- entry points -------------------------------------------------------------------------------


def read_table(
    path: Path, *, name: str | None = None, sheet: str | None = None, max_bytes: int = 1_000_000_000
) -> SourceTable:
    """Read a CSV (plain or .gz) or a workbook (.xlsx, .xls, .ods), recognised by content."""
    label = name or path.name
    magic = _magic(path, label)
    _check_size(path, label, max_bytes)
    if magic.startswith(ZIP_MAGIC) or magic.startswith(OLE_MAGIC):
        return _read_workbook(path, label, sheet, max_bytes)
    if sheet is not None:
        raise ReadError(label, f"is a text (CSV) file, so it has no sheet named “{sheet}”.")
    return read_csv(path, name=label, max_bytes=max_bytes)


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook, in order; a CSV file has none."""
    magic = _magic(path, path.name)
    if not (magic.startswith(ZIP_MAGIC) or magic.startswith(OLE_MAGIC)):
        return []
    return _workbook_sheets(path, path.name)


def read_csv(
    path: Path,
    *,
    name: str | None = None,
    require_utf8: bool = False,
    delimiter: str | None = None,
    max_bytes: int = 1_000_000_000,
) -> SourceTable:
    """Read a delimited text file (plain or .gz), detecting its encoding and delimiter.

    ``require_utf8`` refuses anything but UTF-8 (a BOM is tolerated), as OneRoster does;
    ``delimiter`` skips detection.
    """
    label = name or path.name
    with tempfile.TemporaryDirectory(prefix="headway-read-") as tmp:
        scan = _scan(path, label, max_bytes, Path(tmp))
        chosen, note = _choose_encoding(scan, label, require_utf8)
        utf8 = _as_utf8(scan, chosen, Path(tmp), label)
        head = _head_text(utf8, label)
        sep = delimiter or detect_delimiter(head, truncated=utf8.stat().st_size > SAMPLE)
        frame = _parse(utf8, label, sep, head)
    detected = Detected("csv", chosen, sep, compressed=scan.compressed, note=note)
    return SourceTable(label, frame, detected)


# --- opening files ------------------------------------------------------------------------------


def _magic(path: Path, label: str) -> bytes:
    """The first bytes, which tell gzip, zip (xlsx) and old Excel files from text."""
    if path.is_dir():
        raise ReadError(label, "is a folder, not a file.", kind="not_found")
    try:
        with path.open("rb") as f:
            return f.read(8)
    except FileNotFoundError:
        raise ReadError(label, "could not be found.", kind="not_found") from None
    except OSError:
        raise ReadError(label, "could not be opened.", kind="not_found") from None


def _check_size(path: Path, label: str, max_bytes: int) -> None:
    size = path.stat().st_size
    if size == 0:
        raise ReadError(label, EMPTY_MESSAGE, kind="empty")
    if size > max_bytes:
        raise ReadError(label, _too_large(size, max_bytes), kind="too_large")


EMPTY_MESSAGE = "is empty: expected a header row and at least one row of data."


def _too_large(size: int, limit: int) -> str:
    return f"is too large ({human_size(size)}; the limit is {human_size(limit)})."


def human_size(size: int) -> str:
    """Sizes as people say them: '1.2 GB', '50 MB', '812 bytes'."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _chunks(raw: _Readable, label: str, max_bytes: int) -> Iterator[bytes]:
    """Stream ``raw`` in chunks, refusing more than ``max_bytes`` and damaged compression."""
    total = 0
    try:
        while chunk := raw.read(CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise ReadError(label, _too_large(total, max_bytes), kind="too_large")
            yield chunk
    except (EOFError, OSError, zlib.error):
        raise ReadError(label, DAMAGED_GZIP, kind="damaged") from None


DAMAGED_GZIP = (
    "is a damaged or incomplete compressed (.gz) file: download or compress it again and retry."
)


# --- encoding -----------------------------------------------------------------------------------


@dataclass
class _Scan:
    """One streaming pass over the (decompressed) bytes: BOM, UTF-8 validity, cp1252 fit."""

    source: Path  # the bytes to read: the file itself, or a .gz file's decompressed copy
    compressed: bool = False
    bom: str = ""  # "utf-8-sig" or "utf-16" when the file starts with one
    size: int = 0
    bad_utf8_at: int | None = None  # offset of the first byte that is not valid UTF-8
    cp1252_ok: bool = True
    cr_only: bool = False  # old Mac line endings: CR without LF
    decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")()
    )

    def feed(self, chunk: bytes, label: str) -> None:
        if self.size == 0:
            self._first(chunk, label)
        elif self.size < BINARY_WINDOW:
            _refuse_binary(chunk[: BINARY_WINDOW - self.size], self.bom, label)
        # For speed: ASCII is valid UTF-8 and cp1252 alike, and isascii() is far faster than
        # decoding. Only a chunk after one that ended inside a character must be decoded.
        if not chunk.isascii() or self.decoder.getstate()[0]:
            self._check_utf8(chunk, final=False)
            if self.cp1252_ok and any(b in chunk for b in CP1252_UNDEFINED):  # memchr: fast
                self.cp1252_ok = False
        self.size += len(chunk)

    def _first(self, chunk: bytes, label: str) -> None:
        if chunk.startswith(codecs.BOM_UTF8):
            self.bom = "utf-8-sig"
        elif chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.bom = "utf-16"
        _refuse_binary(chunk[:BINARY_WINDOW], self.bom, label)
        self.cr_only = b"\r" in chunk and b"\n" not in chunk

    def _check_utf8(self, chunk: bytes, *, final: bool) -> None:
        if self.bad_utf8_at is not None:
            return
        try:
            self.decoder.decode(chunk, final)
        except UnicodeDecodeError as err:
            self.bad_utf8_at = self.size + max(err.start, 0)

    def finish(self) -> None:
        self._check_utf8(b"", final=True)

    def bad_utf8_line(self) -> int | None:
        """The first line that is not valid UTF-8, counted only when there is one (counting
        every file's lines as it streams by would cost more than the rest of the scan)."""
        if self.bad_utf8_at is None:
            return None
        lines, left = 1, self.bad_utf8_at
        with self.source.open("rb") as raw:
            while left > 0 and (chunk := raw.read(min(CHUNK, left))):
                lines += chunk.count(b"\n")
                left -= len(chunk)
        return lines


def _refuse_binary(window: bytes, bom: str, label: str) -> None:
    """NUL bytes never occur in text files except UTF-16 ones, which announce themselves."""
    if bom != "utf-16" and b"\x00" in window:
        raise ReadError(label, BINARY_MESSAGE, kind="binary")


BINARY_MESSAGE = (
    "does not look like a table: it holds binary data (perhaps a picture, a PDF or a program). "
    "Save the data as CSV or as an Excel workbook and upload that."
)


def _scan(path: Path, label: str, max_bytes: int, tmp: Path) -> _Scan:
    """Check the bytes in one pass; a .gz file is decompressed to ``tmp`` on the way."""
    compressed = _magic(path, label).startswith(GZIP_MAGIC)
    scan = _Scan(source=tmp / "decompressed.csv" if compressed else path, compressed=compressed)
    with gzip.open(path, "rb") if compressed else path.open("rb") as raw:
        copy = scan.source.open("wb") if compressed else None
        try:
            for chunk in _chunks(raw, label, max_bytes):
                scan.feed(chunk, label)
                if copy:
                    copy.write(chunk)
        finally:
            if copy:
                copy.close()
    scan.finish()
    return scan


def _choose_encoding(scan: _Scan, label: str, require_utf8: bool) -> tuple[str, str]:
    """The encoding to read with, and a note for the user when it is not what they might expect."""
    if scan.size == 0:
        raise ReadError(label, EMPTY_MESSAGE, kind="empty")
    if scan.bom == "utf-16":
        found = "utf-16"
    elif scan.bad_utf8_at is None:
        return (scan.bom or "utf-8"), ""
    else:
        found = "cp1252" if scan.cp1252_ok else "latin-1"
    line = scan.bad_utf8_line()
    if require_utf8:
        where = f" (line {line})" if line else ""
        raise ReadError(label, f"is not UTF-8 text{where}: save it as UTF-8.", kind="encoding")
    if found == "utf-16":
        return found, ""
    note = (
        f"Line {line} is not valid UTF-8, so the file was read as "
        f"{ENCODING_NAMES[found]}; if accented letters look wrong, save it as UTF-8 and re-upload."
    )
    return found, note


def _as_utf8(scan: _Scan, encoding: str, tmp: Path, label: str) -> Path:
    """A UTF-8 file without BOM and with LF or CRLF line ends, for Polars to read."""
    if encoding == "utf-8" and not scan.cr_only:
        return scan.source
    target = tmp / "utf8.csv"
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with scan.source.open("rb") as raw, target.open("wb") as out:
            for text in _decoded(raw, decoder, skip=_bom_skip(scan, encoding)):
                out.write((text.replace("\r", "\n") if scan.cr_only else text).encode("utf-8"))
    except UnicodeDecodeError:
        message = f"is not valid {ENCODING_NAMES[encoding]} text."
        raise ReadError(label, message, kind="encoding") from None
    return target


def _bom_skip(scan: _Scan, encoding: str) -> int:
    """A UTF-8 BOM on a file that turned out not to be UTF-8 is dropped, not decoded."""
    return len(codecs.BOM_UTF8) if scan.bom == "utf-8-sig" and encoding != "utf-8-sig" else 0


def _decoded(raw: _Readable, decoder: codecs.IncrementalDecoder, skip: int) -> Iterator[str]:
    raw.read(skip)
    while chunk := raw.read(CHUNK):
        yield decoder.decode(chunk)
    yield decoder.decode(b"", True)


def _head_text(utf8: Path, label: str) -> str:
    """The first SAMPLE bytes as text, for delimiter and header detection."""
    with utf8.open("rb") as f:
        text = f.read(SAMPLE).decode("utf-8", errors="ignore")
    if "\x00" in text:
        raise ReadError(label, BINARY_MESSAGE, kind="binary")
    if not text.strip():
        raise ReadError(label, EMPTY_MESSAGE, kind="empty")
    return text


# --- delimiter ----------------------------------------------------------------------------------


def detect_delimiter(text: str, *, truncated: bool = False) -> str:
    """The candidate that splits the header into most columns and the next lines consistently.

    csv.Sniffer guesses from character frequencies and is easily fooled by commas inside
    values. Here a candidate must first split the header (outside quotes); among those, the one
    whose next records have as many fields as the header wins. With a single-column header,
    the candidate that keeps the rows whole wins, so commas in values do not split them.
    """

    def score(candidate: str) -> tuple[bool, float, int, int]:
        counts = _field_counts(text, candidate, truncated)
        header = counts[0] if counts else 0
        rows = [n for n in counts[1:] if n]
        consistent = sum(n == header for n in rows) / len(rows) if rows else 1.0
        return header > 1, consistent, header, -DELIMITERS.index(candidate)

    return max(DELIMITERS, key=score)


def _field_counts(text: str, delimiter: str, truncated: bool) -> list[int]:
    """Fields per record in the sample (blank lines give 0); a cut-off last record is dropped."""
    records = _sample_records(text, delimiter)
    if truncated and len(records) > 1:
        records = records[:-1]
    return [len(r) for r in _skip_leading_blanks(records)]


def _sample_records(text: str, delimiter: str) -> list[list[str]]:
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            records.append(record)
            if len(records) > SAMPLE_RECORDS:
                break
    except csv.Error:
        pass  # a stray quote late in the sample: judge on the records before it
    return records


def _skip_leading_blanks(records: list[list[str]]) -> list[list[str]]:
    """Polars skips blank lines before the header; so does the header logic here."""
    start = next((i for i, r in enumerate(records) if r), len(records))
    return records[start:]


# --- parsing ------------------------------------------------------------------------------------


def _parse(utf8: Path, label: str, delimiter: str, head: str) -> pl.DataFrame:
    records = _skip_leading_blanks(_sample_records(head, delimiter))
    if not records:
        raise ReadError(label, EMPTY_MESSAGE, kind="empty")
    header = [name.strip() for name in records[0]]
    check_header(header, label)
    lazy = pl.scan_csv(
        utf8, separator=delimiter, infer_schema=False, quote_char='"', encoding="utf8"
    )
    try:
        names = lazy.collect_schema().names()
        if len(names) != len(header):
            raise ReadError(label, GENERIC_MESSAGE, kind="unreadable")
        frame = _trim_where_needed(lazy.collect())
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException):
        raise _locate_problem(utf8, label, delimiter, len(header)) from None
    return _finish(frame, header, label)


GENERIC_MESSAGE = (
    "could not be read as a table. Check that values containing the delimiter, quote marks or "
    'line breaks are wrapped in double quotes ("), and that quote marks inside them are doubled.'
)


def check_header(header: list[str], label: str) -> None:
    """Duplicate names would make columns ambiguous; refuse them, naming the positions."""
    seen: dict[str, int] = {}
    for position, name in enumerate(header, 1):
        if name and name in seen:
            raise ReadError(
                label,
                f"the header names two columns “{name}” (columns {seen[name]} and {position}); "
                "each column needs its own name.",
                column=str(position),
                kind="bad_header",
            )
        seen.setdefault(name, position)


def clean_frame(frame: pl.DataFrame, header: list[str], label: str) -> pl.DataFrame:
    """Trim names and values, turn empty cells into nulls, drop unnamed empty columns."""
    return _finish(frame.select(_trimmed(c) for c in frame.columns), header, label)


def _trimmed(column: str) -> pl.Expr:
    return _blank_to_null(pl.col(column).str.strip_chars())


def _trim_where_needed(frame: pl.DataFrame) -> pl.DataFrame:
    """Trim and blank-to-null only the columns that need it, one at a time.

    Polars already reads empty fields as null, so most columns need nothing: finding that
    out is cheaper than rewriting them, and a rewritten column replaces its original at
    once, so at most one column is ever held twice.
    """
    if frame.width == 0:
        return frame
    columns = [frame.get_column(c) for c in frame.columns]
    dirty = frame.select(_any_untrimmed(c) for c in columns).row(0)
    for column, trim in zip(columns, dirty, strict=True):
        if trim is None:  # a few sampled values did not cover the column: look at them all
            trim = frame.select(_any_untrimmed(column, sampled=False)).item()
        if trim:
            frame = frame.with_columns(_trimmed(column.name))
    return frame


UNTRIMMED = r"^\s|\s$|^$"  # surrounding White_Space (what strip_chars removes), or empty text
DISTINCT_SAMPLE = 10_000  # rows sampled to see how many distinct values a column holds
FEW_VALUES = 4  # a column holding at most this many is compared with each of them


def _any_untrimmed(column: pl.Series, *, sampled: bool = True) -> pl.Expr:
    """True when some value of the column would change when trimmed; null when a sample
    of a few values turned out not to cover the column (then call again, ``sampled=False``).

    For speed: most columns hold a few distinct values (codes, flags, years), and looking at
    each distinct value once is several times faster than matching every row. Up to
    FEW_VALUES values, comparing every row with each beats even finding the distinct values.
    A column of identifiers, where most sampled values differ, is matched row by row.
    """
    values = pl.col(column.name)
    rows = column.gather_every(max(1, column.len() // DISTINCT_SAMPLE))
    found = rows.drop_nulls().unique()
    if sampled and 0 < len(found) <= FEW_VALUES:
        if found.str.contains(UNTRIMMED).any():
            return pl.lit(True).alias(column.name)
        covered = pl.any_horizontal(values.is_null(), *(values == v for v in found))
        return pl.when(covered.all()).then(pl.lit(False)).alias(column.name)
    if len(found) * 10 <= len(rows):
        values = values.unique()
    return values.str.contains(UNTRIMMED).any()


def _finish(frame: pl.DataFrame, header: list[str], label: str) -> pl.DataFrame:
    """Name the trimmed columns from ``header``; refuse a table without data rows."""
    frame = _drop_unnamed(frame, header, label)
    frame = _drop_trailing_blank_rows(frame)
    if frame.height == 0:
        raise ReadError(
            label,
            "has a header row but no data rows: expected at least one row of data under it.",
            kind="no_data",
        )
    return frame


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.len_bytes() > 0).then(expr)


def _drop_unnamed(frame: pl.DataFrame, header: list[str], label: str) -> pl.DataFrame:
    """Spreadsheets often save empty, unnamed columns on the right; those are dropped.

    An unnamed column that holds values is refused: its values could not be mapped.
    """
    keep: dict[str, str] = {}
    for position, (column, name) in enumerate(zip(frame.columns, header, strict=True), 1):
        if name:
            keep[column] = name
        elif frame[column].null_count() < frame.height:
            raise ReadError(
                label,
                "this column holds values but has no name in the header row.",
                column=str(position),
                kind="bad_header",
            )
    return frame.select(pl.col(c).alias(n) for c, n in keep.items())


def _drop_trailing_blank_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows with no value at all at the end (Excel leaves them) are dropped; inner ones stay,
    so row numbers in messages match the file."""
    if frame.width == 0:
        return frame.head(0)
    filled = frame.select(pl.any_horizontal(pl.all().is_not_null()).arg_true().max()).item()
    return frame.head(0 if filled is None else int(filled) + 1)


def _locate_problem(utf8: Path, label: str, delimiter: str, width: int) -> ReadError:
    """Polars says only that something is wrong; find the first bad row with the csv module."""
    row = 0
    try:
        with utf8.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter=delimiter, strict=True)
            next((r for r in reader if r), None)  # the header, after any blank lines
            for row, record in enumerate(reader, 1):
                if len(record) > width:
                    return _ragged(label, row, len(record), width)
    except csv.Error as err:
        return ReadError(label, _quote_message(str(err)), row=row + 1, kind="quotes")
    except (UnicodeDecodeError, OSError):
        pass
    return ReadError(label, GENERIC_MESSAGE, kind="unreadable")


def _ragged(label: str, row: int, values: int, width: int) -> ReadError:
    return ReadError(
        label,
        f"{values} values where the header has {width} columns. A value that contains the "
        "delimiter must be wrapped in double quotes.",
        row=row,
        kind="ragged",
    )


def _quote_message(detail: str) -> str:
    if "end of data" in detail:
        return 'a value starts with a quote mark (") that is never closed.'
    if "field larger" in detail:
        return "a value is longer than 131,072 characters; check the quote marks around it."
    return (
        'a quote mark (") is in the wrong place: a quoted value must end with a quote mark '
        "followed by the delimiter or the end of the line."
    )


# --- workbooks ----------------------------------------------------------------------------------


def _read_workbook(path: Path, label: str, sheet: str | None, max_bytes: int) -> SourceTable:
    _guard_zip(path, label, max_bytes)
    sheets = _workbook_sheets(path, label)
    if not sheets:
        raise ReadError(label, "has no sheets.", kind="empty")
    chosen = sheets[0] if sheet is None else sheet
    if chosen not in sheets:
        listed = ", ".join(f"“{s}”" for s in sheets)
        raise ReadError(label, f"has no sheet named “{chosen}”; its sheets are {listed}.")
    frame = _sheet_frame(path, label, chosen)
    return SourceTable(label, frame, Detected("xlsx", sheet=chosen, sheets=tuple(sheets)))


def _guard_zip(path: Path, label: str, max_bytes: int) -> None:
    """An .xlsx file is a zip: refuse compression bombs before the Excel library unpacks it."""
    if not zipfile.is_zipfile(path):
        return
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        if "manifest.csv" in names:
            raise ReadError(
                label,
                "is a OneRoster package (a zip of CSV files), not a workbook: "
                "upload it as a OneRoster package.",
            )
        check_zip_limits(
            zf.infolist(),
            label,
            max_files=10_000,
            max_uncompressed=max_bytes,
            max_ratio=WORKBOOK_MAX_RATIO,
        )


def _workbook_sheets(path: Path, label: str) -> list[str]:
    import fastexcel

    try:
        return list(fastexcel.read_excel(path).sheet_names)
    except BaseException as err:
        _reraise_interrupts(err)
        raise ReadError(label, WORKBOOK_MESSAGE, kind="damaged") from None


WORKBOOK_MESSAGE = (
    "could not be opened as an Excel workbook: it may be damaged, password-protected or "
    "another kind of file. Open it in Excel and save it again, or save it as CSV."
)


def _reraise_interrupts(err: BaseException) -> None:
    """Library panics derive from BaseException; Ctrl-C and exit must still get through."""
    if isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise err


def _sheet_frame(path: Path, label: str, sheet: str) -> pl.DataFrame:
    try:
        raw = pl.read_excel(
            path, sheet_name=sheet, engine="calamine", has_header=False, infer_schema_length=0
        )
    except pl.exceptions.NoDataError:
        raise ReadError(label, f"has an empty sheet “{sheet}”.", kind="empty") from None
    except BaseException as err:
        _reraise_interrupts(err)
        raise ReadError(label, WORKBOOK_MESSAGE, kind="damaged") from None
    if raw.height == 0:
        raise ReadError(label, f"has an empty sheet “{sheet}”.", kind="empty")
    raw = raw.select(_iso_dates(pl.col(c).cast(pl.String)) for c in raw.columns)
    header = [(v or "").strip() for v in raw.row(0)]
    check_header(header, label)
    return clean_frame(raw.slice(1), header, label)


def _iso_dates(expr: pl.Expr) -> pl.Expr:
    """The Excel reader writes dates as '2024-09-01 00:00:00'; ISO 8601 is '2024-09-01'."""
    date = r"^(\d{4}-\d{2}-\d{2})"
    return expr.str.replace(date + r" 00:00:00$", "${1}").str.replace(
        date + r" (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$", "${1}T${2}"
    )


# --- zip safety (shared with the OneRoster reader) ----------------------------------------------


def check_zip_limits(
    members: Iterable[zipfile.ZipInfo],
    label: str,
    *,
    max_files: int,
    max_uncompressed: int,
    max_ratio: float,
) -> None:
    """Refuse a zip from its directory alone, before unpacking anything (ASVS 5.2.3).

    The sizes are what the zip claims; readers must still cap what they actually unpack.
    """
    files = [m for m in members if not m.is_dir()]
    if len(files) > max_files:
        raise ReadError(
            label, f"holds {len(files)} files; at most {max_files} are allowed.", kind="too_large"
        )
    total = sum(m.file_size for m in files)
    if total > max_uncompressed:
        raise ReadError(
            label,
            f"would unpack to {human_size(total)}, more than the "
            f"{human_size(max_uncompressed)} allowed.",
            kind="too_large",
        )
    for m in files:
        if m.file_size > RATIO_FLOOR and m.file_size > max_ratio * max(m.compress_size, 1):
            raise ReadError(label, BOMB_MESSAGE.format(name=m.filename), kind="zip_bomb")


BOMB_MESSAGE = (
    "was refused: “{name}” inside it is compressed far more than real data ever is, which is how "
    "“zip bombs” are built to overwhelm a server."
)
