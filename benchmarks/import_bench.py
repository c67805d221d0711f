"""How fast, and in how much memory, a large district assessment file goes through the import.

Run: .venv/bin/python benchmarks/import_bench.py [--students 500000] [--years 5] [--seed 2026]
     [--rows N] [--out DIR]

1. Generates the demo district's assessment CSV (headway.data.core.demo_files, streamed batch
   by batch to one file) sized to about students × years × 2 subjects rows, or --rows rows.
   Only tested grades (3–8, 10, 11) produce rows, so the generator's scale is calibrated on
   the rows wanted, and the output says how many rows and students that gave.
2. In a fresh process (so its peak memory is its own): a throwaway data dir and SQLite DB,
   the demo organizations, then the file through the real path: an Import row with the
   demo assessments mapping and pipeline.run(). The pipeline's functions are wrapped with
   timers here, never changed: read (Import.source), validate (check + normalize), store
   (_store: Parquet snapshots + coverage). The results recompute the import enqueues is a
   separate task and is not run.
3. In another fresh process, the baseline: plain Polars reading the same CSV with every
   column as text (as the reader does) and writing it to Parquet (zstd).
Prints a table, then the ratio import/baseline (target ≤ 2) and the import's peak RSS
(target ≤ 3 GiB). Nothing is asserted. The upload copy (storage.save_stream) is timed but
not counted in the import: the baseline does not copy either.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import polars as pl
from bench_machine import current_rss, load_text, peak_rss

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from headway.data.core.demo_files import DemoSpec, assessment_rows  # noqa: E402

GIB = 1024**3
SAMPLE_SECONDS = 0.02  # RSS sampling interval, to tell which phase the peak falls in
TARGET_RATIO = 2.0
TARGET_PEAK_GIB = 3.0
READ_LIMIT = 1_000_000_000  # headway.data.core.readers.read_table's default max_bytes


# --- memory -------------------------------------------------------------------------------------


class Phases:
    """Wall time per named phase, and the highest sampled RSS while each phase ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peaks: dict[str, int] = {}
        self.marks: list[tuple[str, float]] = []
        self._active: list[str] = []
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            rss = current_rss()
            for name in list(self._active):
                self.peaks[name] = max(self.peaks.get(name, 0), rss)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        self._active.append(name)
        self.peaks[name] = max(self.peaks.get(name, 0), current_rss())
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            self.peaks[name] = max(self.peaks[name], current_rss())
            self._active.remove(name)

    def mark(self, name: str) -> None:
        self.marks.append((name, time.perf_counter()))

    def stop(self) -> None:
        self._stop.set()
        self._sampler.join()


def timed[**P, R](phases: Phases, name: str, function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with phases.phase(name):
            return function(*args, **kwargs)

    return wrapper


# --- 1. the file --------------------------------------------------------------------------------


def calibrate(years: int, seed: int) -> int:
    """Assessment rows the generator gives at scale 1 for this spec (about 1.5 s)."""
    return sum(batch.height for batch in assessment_rows(DemoSpec(seed=seed, years=years)))


def generate_csv(spec: DemoSpec, path: Path) -> dict[str, Any]:
    """Stream the assessment batches into one CSV; never holds more than one batch."""
    rows, batches, ids = 0, 0, []
    started = time.perf_counter()
    with path.open("wb") as out:
        for batch in assessment_rows(spec):
            batch.write_csv(out, include_header=batches == 0)
            rows += batch.height
            batches += 1
            ids.append(batch.get_column("StudentID").unique())
    seconds = time.perf_counter() - started
    students = pl.concat(ids).n_unique() if ids else 0
    return {
        "rows": rows,
        "batches": batches,
        "students": students,
        "seconds": seconds,
        "bytes": path.stat().st_size,
    }


# --- 2. the import, in its own process ----------------------------------------------------------


def import_phase(csv: Path, data_dir: Path) -> dict[str, Any]:
    """Bootstrap Django on a throwaway data dir, then import csv through pipeline.run()."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
    os.environ["HEADWAY_DATA_DIR"] = str(data_dir)
    # The import enqueues the recompute of the district's results (headway.explore) as a task
    # of its own, as in production; with the "immediate" backend it would run inside the
    # import's final transaction and be timed as part of it.
    os.environ["HEADWAY_TASKS"] = "database"
    os.environ["HEADWAY_LOG_LEVEL"] = "warning"
    import django

    django.setup()

    from django.core.management import call_command

    from headway.data import pipeline
    from headway.data.core.mapping import check
    from headway.data.core.validate import Normalized, normalize
    from headway.data.demo import MAPPINGS
    from headway.data.models import Import, Snapshot
    from headway.orgs.demo import load_demo
    from headway.orgs.models import Organization

    call_command("migrate", verbosity=0)
    load_demo()
    district = Organization.objects.get(kind=Organization.Kind.DISTRICT)

    started = time.perf_counter()
    imp = pipeline.register_file(
        district,
        csv,
        mapping_yaml=(MAPPINGS / "assessments.yaml").read_text(encoding="utf-8"),
        name=f"bench-{csv.name}",
    )
    upload_seconds = time.perf_counter() - started

    phases = Phases()

    def normalize_with_marks(*args: Any, **kwargs: Any) -> Normalized:
        """normalize() with its own progress stages (staged, converted, …) timestamped."""
        forward = kwargs.get("on_progress")

        def on_progress(stage: str, rows: int) -> None:
            phases.mark(stage)
            if forward is not None:
                forward(stage, rows)

        kwargs["on_progress"] = on_progress
        phases.mark("normalize")
        return normalize(*args, **kwargs)

    # Timers around the pipeline's own steps, for this process only; the code is unchanged.
    wrapped: dict[object, dict[str, tuple[str, Callable[..., Any]]]] = {
        Import: {"source": ("read", Import.source)},
        pipeline: {
            "check": ("check", check),
            "normalize": ("normalize", normalize_with_marks),
            "_store": ("store", pipeline._store),
            "_write_snapshot": ("parquet", pipeline._write_snapshot),
            "_make_current": ("coverage", pipeline._make_current),
        },
    }
    with ExitStack() as patches:
        for owner, functions in wrapped.items():
            for attribute, (name, function) in functions.items():
                patches.enter_context(
                    mock.patch.object(owner, attribute, timed(phases, name, function))
                )
        rss_before = current_rss()
        with phases.phase("total"):
            pipeline.run(imp)
    phases.stop()
    imp.refresh_from_db()

    marks = dict(phases.marks)
    stages, previous = {}, "normalize"
    for stage in ("staged", "converted", "checked", "validated"):
        if stage in marks and previous in marks:
            stages[stage] = marks[stage] - marks[previous]
            previous = stage
    snapshots = {s.kind: s.rows for s in Snapshot.objects.filter(source=imp)}
    return {
        "status": imp.status,
        "error": imp.error,
        "report": {"errors": imp.report.get("errors"), "warnings": imp.report.get("warnings")},
        "totals": imp.report.get("totals", [])[:10],
        "rows_read": imp.rows_read,
        "rows_validated": imp.rows_validated,
        "rows_stored": imp.rows_stored,
        "snapshots": snapshots,
        "upload_seconds": upload_seconds,
        "seconds": phases.seconds,
        "phase_peaks": phases.peaks,
        "normalize_stages": stages,
        "rss_before": rss_before,
        "peak": peak_rss(),
    }


# --- 3. the baseline, in its own process --------------------------------------------------------


def baseline_phase(csv: Path, parquet: Path) -> dict[str, Any]:
    """Plain Polars: every column as text (like the reader), written to Parquet with zstd."""
    started = time.perf_counter()
    frame = pl.read_csv(csv, infer_schema=False)
    read = time.perf_counter() - started
    started = time.perf_counter()
    frame.write_parquet(parquet, compression="zstd", statistics=True)
    write = time.perf_counter() - started
    return {
        "rows": frame.height,
        "seconds": {"read": read, "write": write, "total": read + write},
        "peak": peak_rss(),
    }


def in_subprocess(phase: str, csv: Path, work: Path) -> dict[str, Any]:
    """Run one phase by re-invoking this script, so ru_maxrss is that phase's own peak."""
    result = work / f"{phase}.json"
    command = [sys.executable, __file__, "--phase", phase, "--csv", str(csv), "--work", str(work)]
    subprocess.run(command, check=True)
    data: dict[str, Any] = json.loads(result.read_text())
    return data


def child(phase: str, csv: Path, work: Path) -> None:
    if phase == "import":
        data_dir = work / "headway-data"
        data_dir.mkdir(parents=True, exist_ok=True)
        result = import_phase(csv, data_dir)
    else:
        result = baseline_phase(csv, work / "baseline.parquet")
    (work / f"{phase}.json").write_text(json.dumps(result, indent=2))


# --- output -------------------------------------------------------------------------------------


def row(label: str, seconds: float | None, rows: int, peak: int | None = None) -> str:
    time_text = f"{seconds:>9.2f}" if seconds is not None else f"{'-':>9}"
    rate = f"{rows / seconds:>12,.0f}" if seconds else f"{'-':>12}"
    peak_text = f"{peak / GIB:>9.2f}" if peak else f"{'-':>9}"
    return f"{label:<36} {time_text} {rate} {peak_text}"


def report(file: dict[str, Any], imp: dict[str, Any], base: dict[str, Any]) -> None:
    n = file["rows"]
    s, peaks = imp["seconds"], imp["phase_peaks"]
    validate = s.get("check", 0.0) + s.get("normalize", 0.0)
    other = s["total"] - s.get("read", 0.0) - validate - s.get("store", 0.0)
    print(f"\n{'phase':<36} {'seconds':>9} {'rows/s':>12} {'peak GiB':>9}")
    print(row("generate CSV (not in the import)", file["seconds"], n))
    print(row("upload copy (not in the import)", imp["upload_seconds"], n))
    print(row("import: read (Import.source)", s.get("read"), n, peaks.get("read")))
    print(row("import: validate (check+normalize)", validate, n, peaks.get("normalize")))
    for stage, seconds in imp["normalize_stages"].items():
        print(row(f"  normalize → {stage}", seconds, n))
    print(row("import: store (Parquet+coverage)", s.get("store"), n, peaks.get("store")))
    print(row("  Parquet snapshots", s.get("parquet"), n))
    print(row("  coverage", s.get("coverage"), n))
    print(row("import: other (progress, mapping)", other, n))
    print(row("import total (pipeline.run)", s["total"], n, imp["peak"]))
    b = base["seconds"]
    print(row("baseline: pl.read_csv (all text)", b["read"], n))
    print(row("baseline: write_parquet (zstd)", b["write"], n))
    print(row("baseline total", b["total"], n, base["peak"]))
    print()
    print(
        f"import status {imp['status']}: read {imp['rows_read']:,}, "
        f"validated {imp['rows_validated']:,}, stored {imp['rows_stored']:,} rows "
        f"{imp['snapshots']}; report {imp['report']}"
    )
    if imp["error"]:
        print(f"import error: {imp['error']}")
    if imp["status"] != "done":
        print(f"import problems: {imp['totals']}")
    print(
        f"import process RSS before pipeline.run: {imp['rss_before'] / GIB:.2f} GiB "
        "(Django, SQLite); the peak includes it"
    )
    ratio = s["total"] / b["total"]
    print(
        f"ratio import/baseline: {ratio:.2f} (target ≤ {TARGET_RATIO:.2f}); "
        f"peak import memory: {imp['peak'] / GIB:.1f} GiB (target ≤ {TARGET_PEAK_GIB:g} GiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--students", type=int, default=500_000, help="tested students a year (default 500,000)"
    )
    parser.add_argument("--years", type=int, default=5, help="school years in the file")
    parser.add_argument("--seed", type=int, default=2026, help="the generator's seed")
    parser.add_argument("--rows", type=int, help="rows wanted (overrides students × years × 2)")
    parser.add_argument("--out", type=Path, help="keep the CSV, data dir and results here")
    parser.add_argument("--phase", choices=("import", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child(args.phase, args.csv, args.work)
        return

    work = args.out or Path(tempfile.mkdtemp(prefix="headway-import-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        wanted = args.rows or args.students * args.years * 2
        per_scale = calibrate(args.years, args.seed)
        scale = wanted / per_scale
        spec = DemoSpec(seed=args.seed, years=args.years, scale=scale)
        print(f"{load_text()}; Polars {pl.__version__}; work dir {work}")
        print(f"wanted {wanted:,} rows: {per_scale:,} rows per unit of scale, so scale {scale:.2f}")
        csv = work / "assessments.csv"
        file = generate_csv(spec, csv)
        print(
            f"generated {file['rows']:,} rows ({file['bytes'] / 1e6:,.0f} MB, "
            f"{file['batches']} batches) in {file['seconds']:.1f} s: "
            f"{file['students']:,} distinct students, "
            f"{file['rows'] / (2 * args.years):,.0f} tested students a year on average"
        )
        if file["bytes"] > READ_LIMIT:
            print(f"note: the reader refuses files over {READ_LIMIT:,} bytes; expect a refusal")
        imp = in_subprocess("import", csv, work)
        base = in_subprocess("baseline", csv, work)
        report(file, imp, base)
        print(load_text())
    finally:
        if args.out is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
