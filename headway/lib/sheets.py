"""Writing tables people open in spreadsheet programs: CSV and XLSX, safe from formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | bool | None


def safe_cell(text: str) -> str:
    """Keep spreadsheet programs from running a cell as a formula (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _safe(value: Cell) -> Cell:
    return safe_cell(value) if isinstance(value, str) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], note: str = "") -> bytes:
    """UTF-8 CSV with a byte-order mark (so spreadsheet programs read accents right).

    ``note`` becomes the first line, e.g. a warning that the file is internal.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    if note:
        writer.writerow([note])
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(
    title: str, header: Sequence[str], rows: Iterable[Sequence[Cell]], note: str = ""
) -> bytes:
    """One worksheet named ``title``; ``note`` in the first row when given."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    if note:
        sheet.append([note])
    sheet.append(list(header))
    for row in rows:
        sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
