"""Run-chart rules on hand-made series, and against qicharts2's own stored results."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from headway.data.core.runcharts import (
    ChartType,
    Rule,
    Rules,
    analyse,
    baseline_mask,
    baseline_median,
    crossings_min,
    describe,
    longest_run_max,
    outside,
    outside_each,
    p_limits,
    read_chart,
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


# --- control charts: XmR and p, against qicharts2 ----------------------------------------------

P_CHARTS = ["ex_7.1_5.csv", "tbl_7.4_1.csv"]  # qic(chart = "p") references


def _is_p_chart(name: str) -> bool:
    """A p chart's points are count / size, and its upper limit p̄ + 3 √(p̄ (1 − p̄) / size)
    (a u chart's, for counts per unit, is ū + 3 √(ū / size))."""
    frame = pl.read_csv(EXPECTED / name, infer_schema_length=None)
    if "y" not in frame.columns or frame["n"].null_count() == frame.height:
        return False
    shares = frame["y.sum"] / frame["n"]
    if not ((shares - frame["y"]).abs() < 1e-9).all():
        return False
    cl, n, ucl = frame["cl"], frame["n"], frame["ucl"]
    spread = 3 * (cl * (1 - cl) / n).sqrt()
    return bool(((cl + spread - ucl).abs() < 1e-9).all())


@needs_shared
def test_the_p_chart_references_are_the_ones_read_below():
    found = sorted(p.name for p in EXPECTED.glob("*.csv") if _is_p_chart(p.name))
    assert found == sorted(P_CHARTS)


@needs_shared
@pytest.mark.parametrize("name", P_CHARTS)
def test_p_charts_match_qicharts2(name: str):
    for part in _parts(name):
        counts, sizes = part["y.sum"].to_list(), part["n"].to_list()
        include = part["include"].to_list()
        limits = p_limits(counts, sizes, include)
        for lim, row in zip(limits, part.iter_rows(named=True), strict=True):
            assert lim is not None
            assert lim.centre == pytest.approx(row["cl"])
            assert lim.lower == pytest.approx(row["lcl"])
            assert lim.upper == pytest.approx(row["ucl"])
        # qicharts2 reads every point against its limits, excluded ones too
        signal = outside_each(part["y"].to_list(), limits)
        flagged = signal.points if signal else ()
        expected = tuple(i for i, s in enumerate(part["sigma.signal"]) if s)
        assert flagged == expected, name
        # ... and leaves excluded points out of the runs, read against p̄
        values = [y if keep else None for y, keep in zip(part["y"], include, strict=True)]
        chart = read_chart(values, ChartType.P, baseline=include, counts=counts, sizes=sizes)
        first = part.row(0, named=True)
        assert chart.centre == pytest.approx(first["cl"])
        assert chart.runs.n_useful == first["n.useful"]
        assert chart.runs.longest_run == first["longest.run"]
        assert chart.runs.crossings == first["n.crossings"]
        assert (chart.runs.runs_signal or chart.runs.crossings_signal) == first["runs.signal"]


@needs_shared
def test_a_p_chart_in_two_phases_finds_the_points_qicharts2_marks():
    """Montgomery's table 7.3: 30 samples, two of them excluded from the centre line, then
    a machine adjustment; samples 15, 21 and 23 are above their upper limit."""
    [first, _second] = _parts("ex_7.1_5.csv")
    limits = p_limits(first["y.sum"].to_list(), first["n"].to_list(), first["include"].to_list())
    signal = outside_each(first["y"].to_list(), limits)
    assert signal is not None and [i + 1 for i in signal.points] == [15, 21, 23]
    assert limits[0] is not None and limits[0].centre == pytest.approx(0.215)


@needs_shared
def test_an_xmr_chart_matches_qicharts2_point_by_point():
    costs = pl.read_csv(RUNCHARTS / "qicharts2_inputs" / "input_montgomery_tbl_06.07.csv")
    expected = pl.read_csv(EXPECTED / "ex_6.5_3.csv")
    mask = expected["baseline"].to_list()  # the first 20 weeks
    chart = read_chart(costs["cost"].to_list(), ChartType.XMR, baseline=mask)
    for lim, row in zip(chart.limits, expected.iter_rows(named=True), strict=True):
        assert lim is not None
        assert lim.centre == pytest.approx(row["cl"])
        assert lim.lower == pytest.approx(row["lcl"])
        assert lim.upper == pytest.approx(row["ucl"])
    [signal] = [s for s in chart.signals if s.rule == Rule.OUTSIDE_LIMITS]
    assert signal.points == tuple(i for i, s in enumerate(expected["sigma.signal"]) if s)
    first = expected.row(0, named=True)
    assert chart.runs.longest_run == first["longest.run"]
    assert chart.runs.crossings == first["n.crossings"]


def test_a_p_chart_without_sizes_cannot_be_read():
    with pytest.raises(ValueError, match="counts and sizes"):
        read_chart([0.1, 0.2], ChartType.P)
    with pytest.raises(ValueError, match="no counts"):
        read_chart([0.1, 0.2], ChartType.P, counts=[None, None], sizes=[None, None])


def test_a_point_without_a_size_has_no_p_limits():
    limits = p_limits([5.0, 6.0, None], [50.0, 50.0, None])
    assert limits[2] is None and limits[0] is not None
    assert outside_each([0.1, 0.12, 0.99], limits) is None


def test_ihi_reads_an_astronomical_point_outside_the_usual_range():
    values = [10.0, 11.0, 10.0, 12.0, 11.0, 10.0, 11.0, 40.0, 11.0, 10.0]
    chart = read_chart(values, rules=Rules.IHI)
    [point] = chart.signals
    assert (point.rule, point.points) == (Rule.ASTRONOMICAL, (7,))
    assert not read_chart(values).signals  # Anhøj's rules look at runs only
