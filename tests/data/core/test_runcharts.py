"""Run-chart rules on hand-made series, and against qicharts2's own stored results."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from headway.data.core.runcharts import (
    Rule,
    Rules,
    analyse,
    baseline_mask,
    baseline_median,
    crossings_min,
    describe,
    longest_run_max,
    outside,
    xmr_limits,
)

RUNCHARTS = Path(__file__).resolve().parents[4] / "shared" / "data" / "runcharts"
EXPECTED = RUNCHARTS / "qicharts2_montgomery_expected"
needs_shared = pytest.mark.skipif(not RUNCHARTS.exists(), reason="the shared data is absent")


def test_it_takes_the_median_of_all_points_or_the_first_ones():
    values = [1.0, 5.0, 3.0, None, 10.0, 20.0]
    assert baseline_median(values) == 5.0
    assert baseline_median(values, baseline_mask(len(values), freeze=3)) == 3.0


def test_it_skips_points_on_the_median_and_missing_points():
    chart = analyse([1.0, 2.0, 3.0, 3.0, None, 4.0, 5.0, 1.0], centre=3.0)
    # sides: − − + + −  → runs of 2, 2, 1; 2 crossings
    assert (chart.n_obs, chart.n_useful) == (8, 5)
    assert (chart.longest_run, chart.crossings) == (2, 2)


def test_it_signals_a_long_run():
    values = [float(v) for v in [1, 9, 2, 8, 3, 7, 10, 11, 12, 13, 14, 15, 16, 17]]
    chart = analyse(values, centre=5.5)
    assert chart.longest_run == 9 and chart.longest_run_max == 7  # round(log2 14) + 3
    assert chart.runs_signal
    [run] = [s for s in chart.signals if s.rule == Rule.LONG_RUN]
    assert run.points == tuple(range(5, 14))
    assert describe(run).startswith("Points 6 to 14 are 9 in a row")


def test_it_signals_too_few_crossings():
    values = [1.0] * 5 + [9.0] * 5 + [1.0] * 5 + [9.0] * 5
    chart = analyse(values)
    assert (chart.crossings, chart.crossings_min) == (3, 6)
    assert chart.crossings_signal and not chart.runs_signal
    assert [s.rule for s in chart.signals] == [Rule.FEW_CROSSINGS]


def test_a_random_looking_series_has_no_signal():
    chart = analyse([float(v) for v in [3, 7, 2, 8, 4, 6, 1, 9, 5, 5, 2, 8]])
    assert not chart.signal


def test_ihi_finds_a_shift_of_six():
    values = [5.0, 1.0, 9.0, 2.0, 2.0, 1.0, 1.0, 2.0, 1.0, 8.0, 9.0, 7.0]
    chart = analyse(values, Rules.IHI, centre=5.0)
    assert [(s.rule, s.points) for s in chart.signals] == [(Rule.SHIFT, (3, 4, 5, 6, 7, 8))]


def test_ihi_ignores_repeated_values_in_a_trend():
    values = [5.0, 1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 4.0, 4.5]
    [trend] = analyse(values, Rules.IHI, centre=3.0).signals
    assert (trend.rule, trend.value, trend.points) == (Rule.TREND, 5, (1, 2, 3, 4, 5, 6))


def test_ihi_trends_go_both_ways_and_need_five():
    up_down = [1.0, 2.0, 3.0, 4.0, 5.0, 4.0, 3.0, 2.0, 1.0]
    trends = [s for s in analyse(up_down, Rules.IHI).signals if s.rule == Rule.TREND]
    assert [t.points for t in trends] == [(0, 1, 2, 3, 4), (4, 5, 6, 7, 8)]
    assert not analyse([1.0, 2.0, 3.0, 4.0, 1.0, 2.0], Rules.IHI).signals


def test_xmr_limits_use_the_average_moving_range():
    limits = xmr_limits([10.0, 12.0, 10.0, 12.0, 30.0], baseline_mask(5, freeze=4))
    assert limits.centre == 11.0
    assert limits.upper == pytest.approx(11 + 3 / 1.128 * 2)
    signal = outside([10.0, 12.0, 10.0, 12.0, 30.0], limits)
    assert signal is not None and signal.points == (4,)


def test_it_refuses_an_empty_baseline():
    with pytest.raises(ValueError, match="no values"):
        analyse([None, None])


@needs_shared
def test_limits_match_anhoej_critical_values():
    with (RUNCHARTS / "anhoej_critical_values.csv").open() as f:
        for row in csv.DictReader(f):
            n = int(row["n_useful"])
            assert longest_run_max(n) == int(row["longest_run_max"]), n
            assert crossings_min(n) == int(row["n_crossings_min"]), n


def _parts(name: str) -> list[pl.DataFrame]:
    frame = pl.read_csv(EXPECTED / name, infer_schema_length=None)
    return frame.partition_by("part", maintain_order=True)


@needs_shared
@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in EXPECTED.glob("*.csv") if "y" in p.open().readline().split(","))
    if EXPECTED.exists()
    else [],
)
def test_runs_analysis_matches_qicharts2(name: str):
    for part in _parts(name):
        # qicharts2 leaves excluded points (include = False) out of the runs analysis
        values = [y if keep else None for y, keep in zip(part["y"], part["include"], strict=True)]
        chart = analyse(values, centre=part["cl"][0])
        expected = part.row(0, named=True)
        assert chart.n_useful == expected["n.useful"]
        assert chart.longest_run == expected["longest.run"]
        assert chart.longest_run_max == expected["longest.run.max"]
        assert chart.crossings == expected["n.crossings"]
        assert chart.crossings_min == expected["n.crossings.min"]
        assert (chart.runs_signal or chart.crossings_signal) == expected["runs.signal"]


@needs_shared
def test_xmr_limits_match_qicharts2_i_chart_with_freeze():
    costs = pl.read_csv(RUNCHARTS / "qicharts2_inputs" / "input_montgomery_tbl_06.07.csv")
    expected = pl.read_csv(EXPECTED / "ex_6.5_3.csv").row(0, named=True)
    limits = xmr_limits(costs["cost"].to_list(), baseline_mask(costs.height, freeze=20))
    assert limits.centre == pytest.approx(expected["cl"])
    assert limits.lower == pytest.approx(expected["lcl"])
    assert limits.upper == pytest.approx(expected["ucl"])


@needs_shared
def test_it_reads_every_generated_series():
    series = pl.read_csv(RUNCHARTS / "runs_vectors_input.csv", null_values="NA")
    for part in series.partition_by("series"):
        values = part["y"].to_list()
        chart = analyse(values)
        assert chart.n_useful <= sum(v is not None for v in values)
        assert chart.crossings <= max(chart.n_useful - 1, 0)
