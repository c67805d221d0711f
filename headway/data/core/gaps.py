"""Gaps and trends: how each student group compares with all students and with the best
group of its kind, and how that moves over the years.

Both read the aggregate table (aggregates.SCHEMA), the internal one or the public one that
suppression.suppress returns, and compute nothing from a cell a viewer of that table could
not see: a row takes part only when ``usable`` (a value, not suppressed). A hidden or
top/bottom-coded cell is never a group, a reference or a year of a change; the best group
is the best of the shown ones.

Compared metrics: rates (``*_rate``) and ``mean_scale_score``; level shares are left out
(one level's share is not a result to close a gap on). Values keep the table's units (a
rate is 0–1); gaps and changes are in points: percentage points for rates, scale-score
points for means.

"Statistically supported" means a two-sided test at alpha 0.05 (|z| > metrics.Z95):

- rates with counts and n on both sides: the pooled two-proportion z-test;
- rates whose count is not published (R-SUP-2 nulls small counts): the two 95 % intervals
  do not overlap (a stricter bar than the z-test, so it errs towards "chance");
- means: z = difference / √(se₁² + se₂²) from the table's standard errors.

A group is part of "all students", so its comparison with all students is not one of two
independent samples; the tests treat it as one, as report cards conventionally do. That
overstates the standard error of the gap, so the answer errs towards "chance".

Plain Python and Polars, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from headway.data.core import words
from headway.data.core.aggregates import ALL, KEY
from headway.data.core.metrics import Z95
from headway.data.core.suppression import CHANGE_MIN_N, Policy

# The one direction rule: for these metrics a lower value is better (the best group is the
# lowest, a rise is a decline). Everything else is better higher.
HIGHER_IS_WORSE = frozenset({"chronic_absence_rate", "suspension_rate"})
MEANS = frozenset({"mean_scale_score"})
RATE_SUFFIX = "_rate"  # a metric named so is a rate (0–1), told in percentage points

CELL = ("org_code", "org_level", "school_year", "subject", "grade", "metric")  # one comparison
SERIES = tuple(k for k in KEY if k != "school_year")  # one group's cell across the years
FAMILY = ("org_code", "org_level", "subject", "grade", "metric")  # shares one window of years
NUMBERS = ("n", "count", "value", "ci_low", "ci_high", "se")

TWO_PROPORTION_Z, INTERVAL_OVERLAP, MEAN_Z = "two_proportion_z", "interval_overlap", "mean_z"
NO_PRIOR_YEAR, HIDDEN = "NO_PRIOR_YEAR", "HIDDEN"  # with suppression.CHANGE_MIN_N: why no change
WIDENING, NARROWING, STEADY = "widening", "narrowing", "steady"

GAP_SCHEMA: dict[str, pl.DataType] = {
    **{k: pl.String() for k in KEY},
    "school_year": pl.Int16(),
    "n": pl.Int64(),
    "value": pl.Float64(),
    "all_n": pl.Int64(),
    "all_value": pl.Float64(),
    "gap_to_all": pl.Float64(),  # value − all_value, in points
    "all_test": pl.String(),  # TWO_PROPORTION_Z, INTERVAL_OVERLAP, MEAN_Z, or null: untestable
    "all_z": pl.Float64(),  # null for INTERVAL_OVERLAP
    "all_supported": pl.Boolean(),  # null when untestable
    "best_group": pl.String(),  # group_value of the best shown group of the same group_type
    "best_n": pl.Int64(),
    "best_value": pl.Float64(),
    "gap_to_best": pl.Float64(),
    "best_test": pl.String(),
    "best_z": pl.Float64(),
    "best_supported": pl.Boolean(),
    "sentence": pl.String(),  # against all students
    "best_sentence": pl.String(),  # against the best group; null without one
}

TREND_SCHEMA: dict[str, pl.DataType] = {
    **{k: pl.String() for k in KEY},
    "school_year": pl.Int16(),
    "n": pl.Int64(),
    "value": pl.Float64(),
    "all_value": pl.Float64(),
    "gap_to_all": pl.Float64(),  # points; null for the all-students row
    # year over year (R-SUP-7)
    "prior_year": pl.Int16(),
    "prior_value": pl.Float64(),  # null unless the change is shown
    "change": pl.Float64(),  # value − prior_value in points; null with change_reason
    "change_reason": pl.String(),  # "" when shown, else NO_PRIOR_YEAR, HIDDEN or CHANGE_MIN_N
    "change_z": pl.Float64(),
    "change_supported": pl.Boolean(),
    # the series: the same on every row of one group's cell
    "first_year": pl.Int16(),  # first and last year with n >= change_n
    "last_year": pl.Int16(),
    "trend_years": pl.Int64(),  # years with n >= change_n in the window
    "first_value": pl.Float64(),
    "last_value": pl.Float64(),
    "trend_change": pl.Float64(),  # last_value − first_value in points
    "trend_supported": pl.Boolean(),
    "gap_first_year": pl.Int16(),  # first and last such year with an all-students figure
    "gap_last_year": pl.Int16(),
    "gap_first": pl.Float64(),
    "gap_last": pl.Float64(),
    "gap_trend": pl.String(),  # WIDENING, NARROWING, STEADY (by the printed gaps), or null
    "gap_trend_supported": pl.Boolean(),
    "sentence": pl.String(),  # this year
    "trend_sentence": pl.String(),  # first to last year
    "gap_sentence": pl.String(),  # the gap, first to last year; null without a gap trend
}


def gaps(aggregates: pl.DataFrame, *, policy: Policy) -> pl.DataFrame:
    """Every shown group's gap to all students and to the best group of its group_type.

    One row per shown group cell (group_type "all" excluded) of a compared metric; columns
    GAP_SCHEMA, sorted on KEY. The best group must have at least policy.min_n students,
    so a handful of students cannot be the bar every other group is measured against.
    """
    cells = _cells(aggregates)
    everyone = _prefixed(cells.filter(_everyone()), "all_", CELL)
    groups = cells.filter(pl.col("group_type") != ALL)
    best = _best(groups, policy)
    frame = groups.join(everyone, on=CELL, how="left").join(
        best, on=[*CELL, "group_type"], how="left"
    )
    frame = frame.with_columns(
        _gap("", "all_").alias("gap_to_all"),
        _gap("", "best_").alias("gap_to_best"),
        *_tested("", "all_", "all_"),
        *_tested("", "best_", "best_"),
    )
    frame = _labelled(frame).with_columns(
        _gap_sentence().alias("sentence"), _best_sentence().alias("best_sentence")
    )
    return _finish(frame, GAP_SCHEMA)


def trends(aggregates: pl.DataFrame, *, policy: Policy, years: int = 5) -> pl.DataFrame:
    """Each shown group cell over the ``years`` most recent years of its family (an org,
    subject, grade and metric): value, gap to all students, the change since the year
    before, and the series' first-to-last change of value and of gap.

    A change (year over year, or first to last year) needs both years shown and both with
    at least policy.change_n students (R-SUP-7). Columns TREND_SCHEMA, sorted on KEY.
    """
    if years < 1:
        raise ValueError(f"a trend needs at least one year, not {years}")
    cells = _cells(aggregates, recent=years)
    everyone = _prefixed(cells.filter(_everyone()), "all_", CELL)
    frame = cells.join(everyone, on=CELL, how="left").join(
        _prior(aggregates), on=list(KEY), how="left"
    )
    gap = pl.when(_everyone().not_()).then(_gap("", "all_"))
    frame = frame.with_columns(gap.alias("gap_to_all"), _change_reason(policy))
    frame = _year_over_year(frame)
    frame = _series(frame, policy)
    frame = _labelled(frame).with_columns(
        _trend_row_sentence(policy).alias("sentence"),
        _trend_sentence(policy).alias("trend_sentence"),
        _gap_trend_sentence().alias("gap_sentence"),
    )
    return _finish(frame, TREND_SCHEMA)


# --- rules shared with similar.py and findings.py ----------------------------------------------


def higher_is_better(metric: str) -> bool:
    """The direction rule for one metric (HIGHER_IS_WORSE)."""
    return metric not in HIGHER_IS_WORSE


def better_sign(metric: pl.Expr) -> pl.Expr:
    """+1 where higher is better, −1 where higher is worse: sign × value ranks best first."""
    return pl.when(metric.is_in(HIGHER_IS_WORSE)).then(pl.lit(-1)).otherwise(pl.lit(1))


def is_rate(metric: pl.Expr) -> pl.Expr:
    """Rates are compared by proportion tests and told in percentage points."""
    return metric.str.ends_with(RATE_SUFFIX)


def rate_metric(metric: str) -> bool:
    """is_rate for one metric name."""
    return metric.endswith(RATE_SUFFIX)


def compared(metric: pl.Expr) -> pl.Expr:
    """The metrics gaps and trends look at: rates and means, not level shares."""
    return is_rate(metric) | metric.is_in(MEANS)


def usable(frame: pl.DataFrame | pl.LazyFrame) -> pl.Expr:
    """Rows a result may rest on: with a value and, in a suppressed table, not suppressed.

    A coded cell (TOP_CODE/BOTTOM_CODE) keeps its n but has no value, so it is out too.
    """
    names = frame.collect_schema().names()
    shown = pl.col("value").is_not_null()
    if "suppressed" in names:
        shown = shown & pl.col("suppressed").not_().fill_null(False)
    return shown


# --- cells -----------------------------------------------------------------------------------


def _cells(aggregates: pl.DataFrame, recent: int | None = None) -> pl.LazyFrame:
    """Usable rows of compared metrics with the key and numbers only; optionally just the
    ``recent`` latest years of each family (a year counts when any of its rows exists)."""
    frame = aggregates.lazy().filter(compared(pl.col("metric")))
    if recent is not None:
        rank = pl.col("school_year").rank("dense", descending=True).over(FAMILY)
        frame = frame.filter(rank <= recent)
    rate = is_rate(pl.col("metric")).alias(_RATE)
    return frame.filter(usable(aggregates)).select(*KEY, *NUMBERS, rate)


_RATE, _LABEL = "__rate", "__label"  # set once per row: the sentences use them many times
_SERIES = "__series"  # a series' number


def _everyone() -> pl.Expr:
    return (pl.col("group_type") == ALL) & (pl.col("group_value") == ALL)


def _prefixed(frame: pl.LazyFrame, prefix: str, on: tuple[str, ...]) -> pl.LazyFrame:
    """The numbers of frame renamed with prefix, keyed on ``on``: a reference to join."""
    return frame.select(*on, *(pl.col(c).alias(prefix + c) for c in NUMBERS))


def _best(groups: pl.LazyFrame, policy: Policy) -> pl.LazyFrame:
    """Per cell and group_type, the group with the best value and at least min_n students
    (ties: the first group_value by name), as best_* columns."""
    rank = pl.col("value") * better_sign(pl.col("metric"))
    eligible = groups.filter(pl.col("n") >= policy.min_n).with_columns(rank.alias("__rank"))
    first = eligible.sort(["__rank", "group_value"], descending=[True, False]).unique(
        subset=[*CELL, "group_type"], keep="first", maintain_order=True
    )
    on = (*CELL, "group_type")
    return _prefixed(first, "best_", on).join(
        first.select(*on, pl.col("group_value").alias("best_group")), on=on
    )


def _gap(a: str, b: str) -> pl.Expr:
    """value of a − value of b, in points."""
    factor = pl.when(pl.col(_RATE)).then(pl.lit(100.0)).otherwise(pl.lit(1.0))
    return (pl.col(a + "value") - pl.col(b + "value")) * factor


def _finish(frame: pl.LazyFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return frame.select(pl.col(c).cast(t) for c, t in schema.items()).sort(KEY).collect()


# --- the tests -------------------------------------------------------------------------------


def _tested(a: str, b: str, prefix: str) -> list[pl.Expr]:
    """<prefix>test, <prefix>z and <prefix>supported for cell a against cell b."""
    test, z, supported = _test(a, b)
    return [
        test.alias(prefix + "test"),
        z.alias(prefix + "z"),
        supported.alias(prefix + "supported"),
    ]


def _test(a: str, b: str) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(test name, z, supported) for the difference between cells a and b, named by the
    prefixes of their columns (see the module docstring for the choice of test).

    A z-test whose standard error is 0 (both rates 0 % or both 100 %, or means of identical
    scores) calls any difference supported and none not.
    """
    rate = pl.col(_RATE)
    by_counts = rate & _known(a, b, ("n", "count"))
    by_se = rate.not_() & _known(a, b, ("se",))
    by_intervals = rate & by_counts.not_() & _known(a, b, ("ci_low", "ci_high"))
    se = pl.when(by_counts).then(_pooled_se(a, b)).when(by_se).then(_mean_se(a, b))
    diff = pl.col(a + "value") - pl.col(b + "value")
    z = pl.when(se > 0).then(diff / se)
    by_z = pl.when(se > 0).then(z.abs() > Z95).otherwise(diff != 0)
    below = pl.col(a + "ci_high") < pl.col(b + "ci_low")
    above = pl.col(a + "ci_low") > pl.col(b + "ci_high")
    test = (
        pl.when(by_counts)
        .then(pl.lit(TWO_PROPORTION_Z))
        .when(by_se)
        .then(pl.lit(MEAN_Z))
        .when(by_intervals)
        .then(pl.lit(INTERVAL_OVERLAP))
    )
    supported = pl.when(by_counts | by_se).then(by_z).when(by_intervals).then(below | above)
    return test, z, supported


def _known(a: str, b: str, columns: tuple[str, ...]) -> pl.Expr:
    """Whether both cells have all these columns."""
    return pl.all_horizontal(pl.col(p + c).is_not_null() for p in (a, b) for c in columns)


def _pooled_se(a: str, b: str) -> pl.Expr:
    """√(p(1 − p)(1/n₁ + 1/n₂)) with p the two cells' pooled rate."""
    x1, n1 = pl.col(a + "count").cast(pl.Float64), pl.col(a + "n").cast(pl.Float64)
    x2, n2 = pl.col(b + "count").cast(pl.Float64), pl.col(b + "n").cast(pl.Float64)
    pooled = (x1 + x2) / (n1 + n2)
    return (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).sqrt()


def _mean_se(a: str, b: str) -> pl.Expr:
    """√(se₁² + se₂²): the standard error of a difference of two independent means."""
    return (pl.col(a + "se") ** 2 + pl.col(b + "se") ** 2).sqrt()


# --- trends ----------------------------------------------------------------------------------


def _prior(aggregates: pl.DataFrame) -> pl.LazyFrame:
    """Each row as the prior year of the next: prior_* numbers only when usable, and whether
    the row exists at all (so a hidden year says HIDDEN, a missing one NO_PRIOR_YEAR)."""
    ok = usable(aggregates)
    return (
        aggregates.lazy()
        .filter(compared(pl.col("metric")))
        .select(
            *SERIES,
            (pl.col("school_year") + 1).cast(pl.Int16).alias("school_year"),
            pl.lit(True).alias("__prior_row"),
            ok.alias("__prior_ok"),
            *(pl.when(ok).then(pl.col(c)).alias("prior_" + c) for c in NUMBERS),
        )
    )


def _change_reason(policy: Policy) -> pl.Expr:
    """Why there is no year-over-year change: "" when there is one (R-SUP-7)."""
    small = (pl.col("n") < policy.change_n) | (pl.col("prior_n") < policy.change_n)
    return (
        pl.when(pl.col("__prior_row").is_null())
        .then(pl.lit(NO_PRIOR_YEAR))
        .when(pl.col("__prior_ok").not_())
        .then(pl.lit(HIDDEN))
        .when(small.fill_null(True))
        .then(pl.lit(CHANGE_MIN_N))
        .otherwise(pl.lit(""))
        .alias("change_reason")
    )


def _year_over_year(frame: pl.LazyFrame) -> pl.LazyFrame:
    """change, its test and the prior year's value, where change_reason allows."""
    shown = pl.col("change_reason") == ""
    _, z, supported = _test("", "prior_")
    return frame.with_columns(
        (pl.col("school_year") - 1).cast(pl.Int16).alias("prior_year"),
        pl.when(shown).then(_gap("", "prior_")).alias("change"),
        pl.when(shown).then(z).alias("change_z"),
        pl.when(shown).then(supported).alias("change_supported"),
        pl.when(shown).then(pl.col("prior_value")).alias("prior_value"),
    )


def _series(frame: pl.LazyFrame, policy: Policy) -> pl.LazyFrame:
    """First-to-last columns of each series. Only years with at least change_n students
    count as ends, as for any change; the gap's ends also need an all-students figure."""
    # For speed: one integer per series; grouping and joining on seven text columns
    # is several times slower.
    frame = frame.with_columns(pl.struct(SERIES).rank("dense").alias(_SERIES))
    counted = frame.filter(pl.col("n") >= policy.change_n)
    with_gap = counted.filter(pl.col("gap_to_all").is_not_null())
    references = [*NUMBERS, *(f"all_{c}" for c in NUMBERS)]
    years = counted.group_by(_SERIES).agg(pl.len().cast(pl.Int64).alias("trend_years"))
    ends = [
        _end(counted, "first", "__first_", "first_year", NUMBERS),
        _end(counted, "last", "__last_", "last_year", NUMBERS),
        _end(with_gap, "first", "__gfirst_", "gap_first_year", references),
        _end(with_gap, "last", "__glast_", "gap_last_year", references),
    ]
    for part in [years, *ends]:
        frame = frame.join(part, on=_SERIES, how="left")
    return _series_changes(frame.with_columns(pl.col("trend_years").fill_null(0)))


def _end(
    rows: pl.LazyFrame, which: str, prefix: str, year: str, columns: Iterable[str]
) -> pl.LazyFrame:
    """Each series' first (or last) row of ``rows`` by year: its year and prefixed numbers."""
    ordered = rows.sort("school_year").group_by(_SERIES)
    pick = [pl.col("school_year").alias(year), *(pl.col(c).alias(prefix + c) for c in columns)]
    return ordered.agg(e.first() if which == "first" else e.last() for e in pick)


def _series_changes(frame: pl.LazyFrame) -> pl.LazyFrame:
    """trend_change and gap_trend with their tests, from the ends _series picked."""
    two = pl.col("trend_years") >= 2
    _, _, supported = _test("__last_", "__first_")
    rate = pl.col(_RATE)
    first = words.shown(pl.col("__gfirst_value"), rate) - words.shown(
        pl.col("__gfirst_all_value"), rate
    )
    last = words.shown(pl.col("__glast_value"), rate) - words.shown(
        pl.col("__glast_all_value"), rate
    )
    two_gaps = pl.col("gap_first_year") < pl.col("gap_last_year")
    trend = (
        pl.when(last.abs() > first.abs())
        .then(pl.lit(WIDENING))
        .when(last.abs() < first.abs())
        .then(pl.lit(NARROWING))
        .otherwise(pl.lit(STEADY))
    )
    return frame.with_columns(
        pl.when(two).then(pl.col("__first_value")).alias("first_value"),
        pl.when(two).then(pl.col("__last_value")).alias("last_value"),
        pl.when(two).then(_gap("__last_", "__first_")).alias("trend_change"),
        pl.when(two).then(supported).alias("trend_supported"),
        pl.when(two_gaps).then(_gap("__gfirst_", "__gfirst_all_")).alias("gap_first"),
        pl.when(two_gaps).then(_gap("__glast_", "__glast_all_")).alias("gap_last"),
        pl.when(two_gaps).then(trend).alias("gap_trend"),
        pl.when(two_gaps).then(_gap_change_supported()).alias("gap_trend_supported"),
        first.alias("__gap_first_shown"),
        last.alias("__gap_last_shown"),
    )


def _gap_change_supported() -> pl.Expr:
    """Whether a gap's change is more than chance: four figures are involved, so the change
    of the gap is divided by the root of their four squared standard errors."""
    ends = ("__gfirst_", "__gfirst_all_", "__glast_", "__glast_all_")
    se = pl.sum_horizontal(pl.col(p + "se") ** 2 for p in ends).sqrt()
    known = pl.all_horizontal(pl.col(p + "se").is_not_null() for p in ends)
    change = (pl.col("__glast_value") - pl.col("__glast_all_value")) - (
        pl.col("__gfirst_value") - pl.col("__gfirst_all_value")
    )
    by_z = pl.when(se > 0).then((change / se).abs() > Z95).otherwise(change != 0)
    return pl.when(known).then(by_z)


# --- sentences -------------------------------------------------------------------------------


def _labelled(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The group's name, once per row (in a sentence and at its start)."""
    label = words.group_label_expr(pl.col("group_type"), pl.col("group_value"))
    return frame.with_columns(label.alias(_LABEL)).with_columns(
        words.capital_expr(pl.col(_LABEL)).alias("__Label")
    )


def _label() -> pl.Expr:
    return pl.col(_LABEL)


def _capital_label() -> pl.Expr:
    return pl.col("__Label")


def _described(value: str) -> pl.Expr:
    return words.described(pl.col(value), pl.col("metric"), pl.col(_RATE))


def _amount(value: str) -> pl.Expr:
    return words.amount(pl.col(value), pl.col(_RATE))


def _shown_apart(a: str, b: str) -> pl.Expr:
    """How many points apart the two values are as printed: the sentence then adds up."""
    rate = pl.col(_RATE)
    return words.shown(pl.col(a), rate) - words.shown(pl.col(b), rate)


def _head() -> pl.Expr:
    """ "English learners: 28% proficient"."""
    return pl.format("{}: {}", _capital_label(), _described("value"))


def _gap_sentence() -> pl.Expr:
    """ "English learners: 28% proficient, 19 points below all students (47%); the
    difference is larger than chance would explain." """
    reference = pl.format("all students ({})", _amount("all_value"))
    against = words.versus(_shown_apart("value", "all_value"), reference)
    verdict = words.chance(pl.col("all_supported"))
    nothing = pl.format("{}; there is no figure for all students to compare with.", _head())
    return (
        pl.when(pl.col("all_value").is_null())
        .then(nothing)
        .otherwise(pl.format("{}, {}; {}.", _head(), against, verdict))
    )


def _best_sentence() -> pl.Expr:
    """ "English learners: 28% proficient, 32 points below students who are not English
    learners (60%), the best result among groups by English learner status; …" """
    among = words.group_type_expr(pl.col("group_type"))
    best = words.group_label_expr(pl.col("group_type"), pl.col("best_group"))
    reference = pl.format("{} ({})", best, _amount("best_value"))
    against = words.versus(_shown_apart("value", "best_value"), reference)
    verdict = words.chance(pl.col("best_supported"))
    return (
        pl.when(pl.col("best_value").is_null())
        .then(pl.lit(None, pl.String))
        .when(pl.col("group_value") == pl.col("best_group"))
        .then(pl.format("{}, the best result among {}.", _head(), among))
        .otherwise(
            pl.format("{}, {}, the best result among {}; {}.", _head(), against, among, verdict)
        )
    )


def _trend_row_sentence(policy: Policy) -> pl.Expr:
    """ "English learners, 2024-25: 28% proficient, up 3 points from 25% in 2023-24 (the
    change is within what chance alone could produce); 19 points below all students (47%)." """
    year = words.year_expr(pl.col("school_year"))
    head = pl.format("{}, {}: {}", _capital_label(), year, _described("value"))
    reference = pl.format("all students ({})", _amount("all_value"))
    against = pl.format("; {}", words.versus(_shown_apart("value", "all_value"), reference))
    gap = pl.when(pl.col("gap_to_all").is_not_null()).then(against).otherwise(pl.lit(""))
    return pl.format("{}{}{}.", head, _change_clause(policy), gap)


def _change_clause(policy: Policy) -> pl.Expr:
    """The year-over-year part of a trend row's sentence, or why there is none."""
    before, reason = words.year_expr(pl.col("prior_year")), pl.col("change_reason")
    moved = words.movement(_shown_apart("value", "prior_value"))
    verdict = words.chance(pl.col("change_supported"), "change")
    small = (
        f"; too few students (fewer than {policy.change_n}) in {{}} or this year to report a change"
    )
    return (
        pl.when(reason == "")
        .then(pl.format(", {} from {} in {} ({})", moved, _amount("prior_value"), before, verdict))
        .when(reason == HIDDEN)
        .then(pl.format("; the {} figure is not shown, so there is no change to report", before))
        .when(reason == CHANGE_MIN_N)
        .then(pl.format(small, before))
        .otherwise(pl.lit(""))
    )


def _trend_sentence(policy: Policy) -> pl.Expr:
    """ "English learners went from 25% proficient in 2020-21 to 28% in 2024-25 (up 3
    points); the change is within what chance alone could produce." """
    went = pl.format(
        "{} went from {} in {} to {} in {} ({}); {}.",
        _capital_label(),
        _described("first_value"),
        words.year_expr(pl.col("first_year")),
        _amount("last_value"),
        words.year_expr(pl.col("last_year")),
        words.movement(_shown_apart("last_value", "first_value")),
        words.chance(pl.col("trend_supported"), "change"),
    )
    too_few = (
        f"Fewer than two of these years have at least {policy.change_n} students in this "
        "group, too few to show a trend."
    )
    return pl.when(pl.col("trend_years") >= 2).then(went).otherwise(pl.lit(too_few))


def _gap_trend_sentence() -> pl.Expr:
    """ "Compared with all students, English learners went from 25 points below in 2020-21
    to 19 points below in 2024-25, a narrowing gap; the change is …" """
    told = pl.format(
        "Compared with all students, {} went from {} in {} to {} in {}, a {} gap; {}.",
        _label(),
        words.position(pl.col("__gap_first_shown")),
        words.year_expr(pl.col("gap_first_year")),
        words.position(pl.col("__gap_last_shown")),
        words.year_expr(pl.col("gap_last_year")),
        pl.col("gap_trend"),
        words.chance(pl.col("gap_trend_supported"), "change"),
    )
    return pl.when(pl.col("gap_trend").is_not_null()).then(told)
