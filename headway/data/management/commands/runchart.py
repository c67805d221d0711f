from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.data.core.runcharts import Rules, RunChart, analyse, baseline_mask, describe

TRUE, FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}


class Command(BaseCommand):
    help = (
        "Read a series of measurements (a CSV with a `value` column, optionally `date` and "
        "`baseline`) as a run chart: its median, longest run, crossings and their signals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, type=Path, help="the CSV file")
        parser.add_argument("--rules", choices=[r.value for r in Rules], default=Rules.ANHOEJ)
        parser.add_argument("--freeze", type=int, help="take the median of the first N points")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = _read(options["input"])
        values = [_value(row, i) for i, row in enumerate(rows, start=1)]
        for i, row in enumerate(rows, start=1):
            _check_date(row, i)
        baseline = _baseline(rows, options["freeze"])
        try:
            chart = analyse(values, Rules(options["rules"]), baseline)
        except ValueError as e:
            raise CommandError(f"{options['input']}: {e}.") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(asdict(chart)))
        else:
            self.stdout.write(_text(chart))


def _read(path: Path) -> list[dict[str, str | None]]:
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as e:
        raise CommandError(f"Cannot read {path} as CSV: {e}") from None
    if "value" not in frame.columns:
        raise CommandError(f"{path} has no `value` column (it has {', '.join(frame.columns)}).")
    if frame.is_empty():
        raise CommandError(f"{path} has no rows.")
    return frame.to_dicts()


def _value(row: dict[str, str | None], i: int) -> float | None:
    text = (row["value"] or "").strip()
    if text in ("", "NA"):
        return None
    try:
        return float(text)
    except ValueError:
        raise CommandError(f"Row {i}, column `value`: {text!r} is not a number.") from None


def _check_date(row: dict[str, str | None], i: int) -> None:
    text = (row.get("date") or "").strip()
    if "date" in row:
        try:
            date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                f"Row {i}, column `date`: {text!r} is not a YYYY-MM-DD date."
            ) from None


def _baseline(rows: list[dict[str, str | None]], freeze: int | None) -> list[bool] | None:
    if freeze is not None:
        if "baseline" in rows[0]:
            raise CommandError("Give either --freeze or a `baseline` column, not both.")
        if not 1 <= freeze <= len(rows):
            raise CommandError(f"--freeze must be between 1 and {len(rows)}, the number of rows.")
        return baseline_mask(len(rows), freeze)
    if "baseline" not in rows[0]:
        return None
    flags = []
    for i, row in enumerate(rows, start=1):
        text = (row["baseline"] or "").strip().lower()
        if text not in TRUE | FALSE:
            raise CommandError(f"Row {i}, column `baseline`: {text!r} is not true or false.")
        flags.append(text in TRUE)
    return flags


def _text(chart: RunChart) -> str:
    lines = [
        f"Points: {chart.n_obs} ({chart.n_useful} useful: not missing, not on the median)",
        f"Median: {chart.centre:g}",
        f"Longest run: {chart.longest_run} (signals above {chart.longest_run_max})",
        f"Crossings: {chart.crossings} (signals below {chart.crossings_min})",
    ]
    lines += [f"Signal: {describe(s)}" for s in chart.signals] or ["No signal: random variation."]
    return "\n".join(lines)
