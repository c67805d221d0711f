"""A measure's points by hand and from a CSV file.

A CSV file has a header row with ``date`` and ``value`` columns (``date``, ``count`` and
``size`` for a p chart) and an optional ``note``. Rows are counted as a spreadsheet counts
them (the header is row 1), and every problem names its row and column and what was
expected. A file with any problem saves nothing; otherwise each row is added, or replaces
the result already there for its date, in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from headway.monitor.forms.measures import future_error, percent, stored
from headway.monitor.models import Measure, Point

MAX_ROWS = 5000
MAX_PROBLEMS = 20  # listed; the rest are counted
NOTE_LENGTH = 300


@dataclass(frozen=True)
class Row:
    on: date
    value: float  # as stored: a share for a percent measure
    count: float | None
    size: float | None
    note: str


@dataclass(frozen=True)
class Parsed:
    rows: list[Row]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Saved:
    added: int
    replaced: int


class Problem(Exception):
    """One cell that is not what was expected."""


def columns_for(measure: Measure) -> list[str]:
    if measure.chart == Measure.Chart.P:
        return ["date", "count", "size"]
    return ["date", "value"]


# --- reading a file ------------------------------------------------------------------------------


def parse_csv(measure: Measure, data: bytes) -> Parsed:
    """The file's rows, or every problem found in it (then no rows)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Parsed([], [_("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.")])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        table = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as e:
        return Parsed([], [_("The file cannot be read as CSV: %(error)s.") % {"error": e}])
    if not table:
        return Parsed([], [_("The file is empty.")])
    header = [cell.strip().lower() for cell in table[0]]
    if problems := _header_problems(measure, header):
        return Parsed([], problems)
    return _rows(measure, header, table[1:])


def _header_problems(measure: Measure, header: list[str]) -> list[str]:
    needed = columns_for(measure)
    missing = [name for name in needed if name not in header]
    if not missing:
        return []
    wanted = ", ".join(needed + ["note"])
    found = ", ".join(cell for cell in header if cell) or _("nothing")
    return [
        _(
            "Row 1 (the header): the column “%(column)s” is missing. Expected the columns "
            "%(wanted)s (note is optional); found %(found)s."
        )
        % {"column": name, "wanted": wanted, "found": found}
        for name in missing
    ]


def _rows(measure: Measure, header: list[str], body: list[list[str]]) -> Parsed:
    if not body:
        return Parsed([], [_("The file has a header but no rows of results.")])
    if len(body) > MAX_ROWS:
        limit = {"n": len(body), "max": MAX_ROWS}
        return Parsed([], [_("The file has %(n)s rows; upload at most %(max)s at a time.") % limit])
    rows: list[Row] = []
    problems: list[str] = []
    seen: dict[date, int] = {}
    for number, cells in enumerate(body, start=2):
        record = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header)}
        try:
            row = _row(measure, record)
        except Problem as e:
            problems.append(_("Row %(row)s, %(problem)s") % {"row": number, "problem": e})
            continue
        if row.on in seen:
            words = {"row": number, "first": seen[row.on]}
            problems.append(
                _("Row %(row)s, column “date”: the same date as row %(first)s.") % words
            )
            continue
        seen[row.on] = number
        rows.append(row)
    return Parsed([] if problems else rows, _listed(problems))


def _listed(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [_("… and %(n)s more problems.") % {"n": more}]


def _row(measure: Measure, record: dict[str, str]) -> Row:
    on = _date(record["date"])
    note = record.get("note", "")
    if len(note) > NOTE_LENGTH:
        raise Problem(
            _("column “note”: the note is longer than %(n)s characters.") % {"n": NOTE_LENGTH}
        )
    if measure.chart == Measure.Chart.P:
        count = _number(record["count"], "count", whole=True)
        size = _number(record["size"], "size", whole=True)
        if size <= 0:
            raise Problem(_("column “size”: give how many it is out of, more than 0."))
        if count > size:
            raise Problem(
                _("column “count”: %(count)s is more than its size, %(size)s.")
                % {"count": f"{count:g}", "size": f"{size:g}"}
            )
        return Row(on, count / size, count, size, note)
    value = _number(record["value"].removesuffix("%").strip(), "value")
    if percent(measure.unit) and not 0 <= value <= 100:
        raise Problem(
            _("column “value”: %(value)s is not a percent between 0 and 100.")
            % {"value": f"{value:g}"}
        )
    kept = stored(measure.unit, value)
    assert kept is not None
    return Row(on, kept, None, None, note)


def _date(text: str) -> date:
    if not text:
        raise Problem(_("column “date” is empty: a date written as YYYY-MM-DD is needed."))
    try:
        on = date.fromisoformat(text)
    except ValueError:
        shown = text
        raise Problem(
            _("column “date”: “%(text)s” is not a date written as YYYY-MM-DD (2025-09-29).")
            % {"text": shown}
        ) from None
    if error := future_error(on):
        raise Problem(_("column “date”: %(error)s") % {"error": error})
    return on


def _number(text: str, column: str, whole: bool = False) -> float:
    words = {"column": column, "text": text}
    if not text:
        raise Problem(_("column “%(column)s” is empty: a number is needed.") % words)
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise Problem(_("column “%(column)s”: “%(text)s” is not a number.") % words) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise Problem(_("column “%(column)s”: “%(text)s” is not a number.") % words)
    if whole and (value < 0 or value != int(value)):
        raise Problem(_("column “%(column)s”: “%(text)s” is not a whole number.") % words)
    return value


# --- saving ---------------------------------------------------------------------------------------


def save_point(measure: Measure, row: Row, source: str, user: Any = None) -> tuple[Point, bool]:
    """Add the result, or replace the one already there that day; (point, added)."""
    defaults = {
        "value": row.value,
        "numerator": row.count,
        "denominator": row.size,
        "note": row.note,
        "source": source,
        "entered_by": user,
        "n": None,
        "public_value": None,
        "public_text": "",
    }
    return Point.objects.update_or_create(measure=measure, on=row.on, defaults=defaults)


def save_rows(measure: Measure, rows: list[Row], user: Any = None) -> Saved:
    """Every row of a checked file, all or nothing."""
    added = 0
    with transaction.atomic():
        for row in rows:
            _point, new = save_point(measure, row, Point.Source.CSV, user)
            added += new
    return Saved(added, len(rows) - added)
