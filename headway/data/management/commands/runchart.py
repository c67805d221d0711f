"""``headway runchart``: read a series from a CSV file as a run chart or a control chart.

The same code as the monitor's pages (data.core.runcharts.read_chart). A run chart or an
XmR chart reads a ``value`` column; a p chart reads ``count`` and ``size`` columns (its
points are count / size). ``date`` and ``baseline`` columns are optional.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.data.core.runcharts import (
    ChartType,
    ControlChart,
    Limits,
    Rules,
    baseline_mask,
    describe,
    read_chart,
)

TRUE, FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}
Row = dict[str, str | None]
CENTRE = {ChartType.RUN: "Median", ChartType.XMR: "Mean", ChartType.P: "Overall share (p-bar)"}

FIRST_ROW = 2  # rows are counted as a spreadsheet counts them: the header is row 1


class Command(BaseCommand):
    help = (
        "Read a series of measurements (a CSV with a `value` column, or `count` and `size` "
        "for a p chart; optionally `date` and `baseline`) as a run chart or a control chart: "
        "its centre line, longest run, crossings, their limits and the signals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="the CSV file")
        parser.add_argument("--rules", choices=[r.value for r in Rules], default=Rules.ANHOEJ)
        parser.add_argument("--chart", choices=[c.value for c in ChartType], default=ChartType.RUN)
        parser.add_argument("--freeze", type=int, help="take the centre from the first N points")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = ChartType(options["chart"])
        rows = _read(options["input"], ["count", "size"] if kind == ChartType.P else ["value"])
        for i, row in enumerate(rows, start=FIRST_ROW):
            _check_date(row, i)
        counts = sizes = None
        if kind == ChartType.P:
            counts = [_number(row, "count", i) for i, row in enumerate(rows, start=FIRST_ROW)]
            sizes = [_size(row, i) for i, row in enumerate(rows, start=FIRST_ROW)]
            values = [
                _share(c, s, i)
                for i, (c, s) in enumerate(zip(counts, sizes, strict=True), start=FIRST_ROW)
            ]
        else:
            values = [_number(row, "value", i) for i, row in enumerate(rows, start=FIRST_ROW)]
        baseline = _baseline(rows, options["freeze"])
        try:
            chart = read_chart(values, kind, Rules(options["rules"]), baseline, counts, sizes)
        except ValueError as e:
            raise CommandError(f"{options['input']}: {e}.") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(_json(chart)))
        else:
            self.stdout.write(_text(chart))


def _read(path: Path, needed: list[str]) -> list[Row]:
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as e:
        raise CommandError(f"Cannot read {path} as CSV: {e}") from None
    for column in needed:
        if column not in frame.columns:
            raise CommandError(
                f"{path} has no `{column}` column (it has {', '.join(frame.columns)})."
            )
    if frame.is_empty():
        raise CommandError(f"{path} has no rows.")
    return frame.to_dicts()


def _number(row: Row, column: str, i: int) -> float | None:
    text = (row[column] or "").strip()
    if text in ("", "NA"):
        return None
    try:
        return float(text)
    except ValueError:
        raise CommandError(f"Row {i}, column `{column}`: {text!r} is not a number.") from None


def _size(row: Row, i: int) -> float | None:
    size = _number(row, "size", i)
    if size is not None and size <= 0:
        raise CommandError(f"Row {i}, column `size`: {size:g} is not more than 0.")
    return size


def _share(count: float | None, size: float | None, i: int) -> float | None:
    if count is None or size is None:
        return None
    if not 0 <= count <= size:
        raise CommandError(f"Row {i}, column `count`: {count:g} is not between 0 and {size:g}.")
    return count / size


def _check_date(row: Row, i: int) -> None:
    text = (row.get("date") or "").strip()
    if "date" in row:
        try:
            date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                f"Row {i}, column `date`: {text!r} is not a YYYY-MM-DD date."
            ) from None


def _baseline(rows: list[Row], freeze: int | None) -> list[bool] | None:
    if freeze is not None:
        if "baseline" in rows[0]:
            raise CommandError("Give either --freeze or a `baseline` column, not both.")
        if not 1 <= freeze <= len(rows):
            raise CommandError(f"--freeze must be between 1 and {len(rows)}, the number of rows.")
        return baseline_mask(len(rows), freeze)
    if "baseline" not in rows[0]:
        return None
    flags = []
    for i, row in enumerate(rows, start=FIRST_ROW):
        text = (row["baseline"] or "").strip().lower()
        if text not in TRUE | FALSE:
            raise CommandError(f"Row {i}, column `baseline`: {text!r} is not true or false.")
        flags.append(text in TRUE)
    return flags


def _json(chart: ControlChart) -> dict[str, Any]:
    """The runs analysis's fields at the top, as before control charts; then the chart's kind,
    every signal (the limits' too) and, for a control chart, each point's limits."""
    found: dict[str, Any] = {**asdict(chart.runs), "chart": chart.kind.value}
    found["signals"] = [asdict(s) for s in chart.signals]
    if chart.kind != ChartType.RUN:
        found["limits"] = [None if lim is None else asdict(lim) for lim in chart.limits]
    return found


def _limits_line(limits: tuple[Limits | None, ...]) -> str:
    shown = [lim for lim in limits if lim is not None]
    if not shown:
        return "Limits: none"
    if all(lim == shown[0] for lim in shown):
        return f"Limits: {shown[0].lower:g} to {shown[0].upper:g}"
    return "Limits: each point's own, from its size"


def _text(chart: ControlChart) -> str:
    runs = chart.runs
    lines = [
        f"Points: {runs.n_obs} ({runs.n_useful} useful: not missing, not on the centre line)",
        f"{CENTRE[chart.kind]}: {runs.centre:g}",
    ]
    if chart.kind != ChartType.RUN:
        lines.append(_limits_line(chart.limits))
    lines += [
        f"Longest run: {runs.longest_run} (signals above {runs.longest_run_max})",
        f"Crossings: {runs.crossings} (signals below {runs.crossings_min})",
    ]
    lines += [f"Signal: {describe(s)}" for s in chart.signals] or ["No signal: random variation."]
    return "\n".join(lines)
