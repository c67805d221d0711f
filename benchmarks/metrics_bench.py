"""How fast, and in how much memory, metrics.compute builds a large district's aggregate cube.

Run: .venv/bin/python benchmarks/metrics_bench.py [--rows 5000000] [--years 5] [--seed 2026]
     [--repeat 3] [--out DIR]

1. Generates the demo district's files (headway.data.core.demo_files.generate) sized to about
   --rows assessment rows (the import benchmark's file), with the attendance and discipline
   files of the same students, and normalizes each with its demo mapping
   (headway/data/demo/*.yaml, validate.normalize) as an import would. The canonical tables
   are written to Parquet (zstd), as the pipeline stores them. None of this is timed below;
   it runs in its own process so that the measuring processes below do not inherit its peak
   memory (ru_maxrss survives fork and exec on Linux). --out keeps the tables for reruns.
2. In a fresh process (so its peak memory is its own): the tables scanned from Parquet, as
   pipeline.current() gives them, then metrics.compute() over all of them: every school and
   the district, year, subject, grade (and "all"), student group (race, sex, eight flags,
   one combo) and metric. Best of --repeat runs.
3. In two more fresh processes, plain-Polars baselines on the same Parquet files:
   a. "one group_by": each table joined to students and grouped once over the finest cell
      (school, year, subject, grade, student groups, FAY flags) with the same sums: the work
      any way of building the cube has to do. The target ratio compute/this is ≤ 3.
   b. "cube, group_by per cell family": the same cube the direct way, one group_by over the
      joined rows per organization level × grade-or-all × student-group family, all in one
      concatenated query, with means and standard deviations from Polars itself.
4. benchmarks/results_page.py on the same tables: the results stored through the real
   refresh, then the largest school's results page, 50 requests (median, p95, queries), and
   the query count again with 10× the schools and in another year.
Prints a table, the ratios and each process's peak RSS. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
from bench_machine import current_rss, load_text, peak_rss

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from headway.data.core.demo_files import LEVELS, DemoSpec, assessment_rows, generate  # noqa: E402
from headway.data.core.mapping import from_yaml  # noqa: E402
from headway.data.core.metrics import FLAGS, GROUPS, Combo, Options, compute  # noqa: E402
from headway.data.core.schema import Kind  # noqa: E402
from headway.data.core.suppression import Policy, suppress  # noqa: E402
from headway.data.core.validate import normalize  # noqa: E402

GIB = 1024**3
TARGET_RATIO = 3.0
DISTRICT = "BENCH"
OPTIONS = Options(
    combos=(Combo("EL with disabilities", {"english_learner": True, "disability": True}),)
)
MAPPINGS = ROOT / "headway" / "data" / "demo"
FILES = {  # demo file: its mapping and the canonical tables it fills
    "assessments": (Kind.STUDENTS, Kind.RESULTS),
    "attendance": (Kind.ATTENDANCE,),
    "discipline": (Kind.DISCIPLINE,),
}


# --- 1. the canonical tables --------------------------------------------------------------------


def prepare(rows: int, years: int, seed: int, work: Path) -> dict[str, Any]:
    """Demo files of about ``rows`` assessment rows, normalized, stored as Parquet."""
    started = time.perf_counter()
    per_scale = sum(b.height for b in assessment_rows(DemoSpec(seed=seed, years=years)))
    spec = DemoSpec(seed=seed, years=years, scale=rows / per_scale)
    paths = generate(spec, work / "files")
    generated = time.perf_counter() - started
    started = time.perf_counter()
    sizes = {}
    for name, kinds in FILES.items():
        mapping = from_yaml((MAPPINGS / f"{name}.yaml").read_text(encoding="utf-8"))
        frame = pl.read_csv(paths[name], infer_schema=False)
        tables = normalize(frame, mapping, file=paths[name].name).tables
        del frame
        for kind in kinds:
            tables[kind].write_parquet(work / f"{kind.value}.parquet", compression="zstd")
            sizes[kind.value] = tables[kind].height
        del tables
    shutil.rmtree(work / "files")
    return {"generate": generated, "normalize": time.perf_counter() - started, "rows": sizes}


def scans(work: Path) -> dict[Kind, pl.LazyFrame]:
    kinds = (Kind.STUDENTS, Kind.RESULTS, Kind.ATTENDANCE, Kind.DISCIPLINE)
    return {kind: pl.scan_parquet(work / f"{kind.value}.parquet") for kind in kinds}


# --- 2. metrics.compute -------------------------------------------------------------------------


def the_cube(work: Path) -> pl.DataFrame:
    t = scans(work)
    return compute(
        t[Kind.STUDENTS],
        t[Kind.RESULTS],
        t[Kind.ATTENDANCE],
        t[Kind.DISCIPLINE],
        district_code=DISTRICT,
        options=OPTIONS,
    )


def run_compute(work: Path) -> int:
    return the_cube(work).height


# --- 3. the baselines ---------------------------------------------------------------------------


def joined(t: dict[Kind, pl.LazyFrame], kind: Kind) -> pl.LazyFrame:
    people = t[Kind.STUDENTS].select(
        "student_id",
        "school_year",
        pl.col("grade").alias("student_grade"),
        *GROUPS,
        "counts_for_school",
        "counts_for_district",
    )
    return t[kind].join(people, on=["student_id", "school_year"], how="left")


def result_sums() -> list[pl.Expr]:
    score, level = pl.col("scale_score"), pl.col("performance_level")
    return [
        pl.len().alias("rows"),
        pl.col("tested").sum(),
        pl.col("proficient").count().alias("graded"),
        pl.col("proficient").sum(),
        score.count().alias("scored"),
        score.sum().alias("score_sum"),
        (score * score).sum().alias("score_squares"),
        level.count().alias("leveled"),
        *((level == name).sum().alias(name) for name in LEVELS),
    ]


def rate(column: str) -> list[pl.Expr]:
    return [pl.col(column).count().alias("n"), pl.col(column).sum().alias("count")]


def suspended() -> pl.Expr:
    total = pl.col("in_school_suspensions").fill_null(0) + pl.col("out_of_school_suspensions")
    return (total.fill_null(0) >= 1).alias("suspended")


def run_floor(work: Path) -> int:
    """Baseline a: each table joined and grouped once over the finest cell."""
    t = scans(work)
    fay = ("counts_for_school", "counts_for_district")
    fine = ("school_code", "school_year", *GROUPS, *fay)
    queries = [
        joined(t, Kind.RESULTS).group_by(*fine, "subject", "grade_tested").agg(result_sums()),
        joined(t, Kind.ATTENDANCE).group_by(*fine, "student_grade").agg(rate("chronically_absent")),
        joined(t, Kind.DISCIPLINE)
        .with_columns(suspended())
        .group_by(*fine, "student_grade")
        .agg(rate("suspended")),
    ]
    return sum(frame.height for frame in pl.collect_all(queries))


def families() -> list[tuple[str, pl.Expr]]:
    flags = [(flag, pl.col(flag).cast(pl.String)) for flag in FLAGS]
    combo = pl.col("english_learner") & pl.col("disability")
    member = pl.when(combo).then(pl.lit(OPTIONS.combos[0].name))
    race = pl.when(pl.col("race_ethnicity") != "NR").then(pl.col("race_ethnicity"))
    return [
        ("all", pl.lit("all")),
        ("race_ethnicity", race),
        ("sex", pl.col("sex")),
        *flags,
        ("combo", member),
    ]


def cube(rows: pl.LazyFrame, grade: str, subject: pl.Expr, aggs: list[pl.Expr]) -> pl.LazyFrame:
    """Baseline b for one table: every cell family its own group_by over the rows."""
    parts = []
    orgs = (("counts_for_school", pl.col("school_code")), ("counts_for_district", pl.lit(DISTRICT)))
    for flag, org in orgs:
        kept = rows.filter(pl.col(flag).fill_null(True))
        for grade_value in (pl.col(grade), pl.lit("all")):
            keys = [org.alias("org_code"), "school_year", subject.alias("subject")]
            keys.append(grade_value.alias("grade"))
            for family, value in families():
                part = kept.group_by(*keys, value.alias("group_value")).agg(aggs)
                parts.append(part.with_columns(group_type=pl.lit(family)))
    return pl.concat(parts, how="diagonal")


def run_naive(work: Path) -> int:
    t = scans(work)
    score = pl.col("scale_score")
    result_aggs = [*result_sums(), score.mean().alias("mean"), score.std().alias("sd")]
    queries = [
        cube(joined(t, Kind.RESULTS), "grade_tested", pl.col("subject"), result_aggs),
        cube(
            joined(t, Kind.ATTENDANCE), "student_grade", pl.lit("all"), rate("chronically_absent")
        ),
        cube(
            joined(t, Kind.DISCIPLINE).with_columns(suspended()),
            "student_grade",
            pl.lit("all"),
            rate("suspended"),
        ),
    ]
    return sum(frame.height for frame in pl.collect_all(queries))


def run_published(work: Path) -> int:
    """The full aggregation plus suppression: what a refresh computes (cube.compute)."""
    internal = the_cube(work)
    codes = internal.filter(pl.col("org_level") == "school").get_column("org_code").unique()
    public = suppress(internal, Policy(), dict.fromkeys(codes.to_list(), DISTRICT))
    return public.height


PHASES: dict[str, Callable[[Path], int]] = {
    "compute": run_compute,
    "published": run_published,
    "floor": run_floor,
    "naive": run_naive,
}


def child(args: argparse.Namespace) -> None:
    """One phase in this fresh process: prepare the tables, or measure ``repeat`` runs (best
    wall time, rows out, this process's peak RSS)."""
    work: Path = args.work
    if args.phase == "prepare":
        made = prepare(args.rows, args.years, args.seed, work)
        (work / "prepare.json").write_text(json.dumps(made))
        return
    rss_before = current_rss()
    timings, rows = [], 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        rows = PHASES[args.phase](work)
        timings.append(time.perf_counter() - started)
    result = {"seconds": min(timings), "all": timings, "rows": rows, "peak": peak_rss()}
    result["rss_before"] = rss_before
    (work / f"{args.phase}.json").write_text(json.dumps(result))


def in_subprocess(phase: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Run one phase by re-invoking this script. Linux keeps ru_maxrss across fork and exec,
    so this parent never holds the tables: each child's peak is then its own."""
    command = [sys.executable, __file__, "--phase", phase, "--work", str(work)]
    options = ["--rows", str(args.rows), "--years", str(args.years), "--seed", str(args.seed)]
    subprocess.run([*command, *options, "--repeat", str(args.repeat)], check=True)
    data: dict[str, Any] = json.loads((work / f"{phase}.json").read_text())
    return data


# --- output -------------------------------------------------------------------------------------


def report(measured: dict[str, dict[str, Any]]) -> None:
    labels = {
        "compute": "metrics.compute (whole cube)",
        "published": "compute + suppression (a refresh)",
        "floor": "baseline a: one group_by per table",
        "naive": "baseline b: group_by per cell family",
    }
    print(f"\n{'measurement':<38} {'best s':>8} {'runs s':>22} {'rows out':>10} {'peak GiB':>9}")
    for phase, label in labels.items():
        m = measured[phase]
        runs = " ".join(f"{s:.2f}" for s in m["all"])
        print(
            f"{label:<38} {m['seconds']:>8.2f} {runs:>22} {m['rows']:>10,} {m['peak'] / GIB:>9.2f}"
        )
    c, p, a, b = (measured[k]["seconds"] for k in ("compute", "published", "floor", "naive"))
    print(f"\nratio compute + suppression / baseline a: {p / a:.2f} (target ≤ {TARGET_RATIO:g})")
    print(f"ratio compute / baseline a: {c / a:.2f}; compute / baseline b: {c / b:.2f}")
    before = measured["compute"]["rss_before"] / GIB
    print(f"compute process RSS before the first run (Python, Polars): {before:.2f} GiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5_000_000, help="assessment rows wanted")
    parser.add_argument("--years", type=int, default=5, help="school years in the files")
    parser.add_argument("--seed", type=int, default=2026, help="the generator's seed")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument("--out", type=Path, help="keep the Parquet tables and results here")
    parser.add_argument(
        "--no-page", action="store_true", help="skip the school results page measurement"
    )
    parser.add_argument("--phase", choices=("prepare", *PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        child(args)
        return

    work = args.out or Path(tempfile.mkdtemp(prefix="headway-metrics-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"{load_text()}; Polars {pl.__version__}; work dir {work}")
        if not (work / "results.parquet").exists():
            made = in_subprocess("prepare", args, work)
            print(
                f"generated the demo files in {made['generate']:.1f} s and normalized them in "
                f"{made['normalize']:.1f} s (not measured below); canonical rows: {made['rows']}"
            )
        else:
            print(f"reusing the Parquet tables in {work}")
        measured = {phase: in_subprocess(phase, args, work) for phase in PHASES}
        report(measured)
        if not args.no_page:
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "results_page.py"), str(work)],
                check=True,
            )
        print(load_text())
    finally:
        if args.out is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
