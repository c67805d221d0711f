"""Small-group suppression: the one place the aggregate table is made safe to show.

Every audience without a right to student records (parents, partners, the public, state
reviewers: standards §1.2 R-SUP-6) sees the aggregate table only through ``suppress``.
It returns the table with aggregates.SUPPRESSION_SCHEMA added and everything that must not
be public nulled, so a page, export or API that shows the returned frame cannot leak:

- R-SUP-1 a cell whose group has fewer than ``min_n`` students is hidden (reason MIN_N,
  display "n<10"); its n, count, value, interval and standard error are nulled.
- R-SUP-4 complementary suppression. Published totals are sums of published parts: the
  student groups of one group_type add up to "all students", grades add up to "all grades",
  a district's schools add up to the district. Each of those is one equation
  ``total = member_1 + … + member_k`` over n (and over counts, and over n·mean). An equation
  with exactly one hidden cell gives that cell away by subtraction, so, round after round
  until nothing changes, every equation with exactly one hidden cell gets a second one:
  the smallest shown member (ties by name), or the total when no member is left (reason
  COMPLEMENTARY, display "*"). This covers the binary-factor rule (R-SUP-4b: true/false is
  a two-member family) and a hidden total whose members are all shown (their sum would
  give the total back).
- R-SUP-4, linked sums. A cell lies in up to three equations (its groups, its grades, its
  schools), and a combination of several can still single out a hidden cell although each
  has two unknowns or more (a "bridge" between two cycles of hidden cells; in random
  tables of 1–4 schools × 3–5 grades × 4–7 groups the rule above left an exact n to find
  in about one table in ten). So the whole system is then audited, exactly: a hidden cell
  is given away iff its unit vector lies in the row space of the equations restricted to
  the hidden cells (the shown ones are constants). The hidden cells are split into
  components linked by shared equations, which never leave a (year, subject, metric)
  slice, and each is solved by integer elimination; slices with the same cells, n and
  hidden cells (the metrics of the same students) are solved once. Around each cell
  given away the cheapest "box" is hidden too (COMPLEMENTARY): two orgs × two grades ×
  two groups (a member and its total, or two members, on each axis) make a change that
  leaves every published sum as it is, so with its corners hidden no reader can pin the
  cell. Where the table lacks a box's cells, a circuit through the cell (the smallest
  columns of the equations that give its own back) serves instead. The rule above runs
  again, and the slices that gained a cell are audited again, until none gives a cell
  away. n, counts and n·mean share the equations and hidden cells, so one audit covers
  the three (a coded cell's unknown count is one more unknown, which can only leave
  fewer cells determined).
- R-SUP-3 rates of shown cells near 0 % or 100 % are top/bottom coded with bands that
  depend on n ("≤5%", "≥95%"); the exact rate, count and interval are nulled.
- R-SUP-2/5 a shown rate cell keeps its n but not a count that is small (1…min_n−1) or
  whose complement is small; displayed percentages are whole numbers.
- R-SUP-7 ``year_over_year`` shows a change only where both years are shown and both
  groups have at least ``change_min_n`` students.

What this does NOT guarantee (tests/data/core/test_suppression.py shows each):

- Bounds. "n<10" versus "*" tells a reader which hidden cells are small, and every row
  has n ≥ 1, so a hidden pair with a small sum can be bounded or, at the extreme, pinned
  (1 + 10 = 11). Hidden counts summing to 0 (or to the hidden n) say "none (or all) of
  these students" without recovering any single cell.
- Totals that do not add up. A district that counts students none of its schools counts
  (full academic year at one but not at the other, as metrics' FAY flags allow) publishes
  school → district equations that do not hold. They are audited as equations; where
  they pin a cell even with every number unknown (to 0, which no group of students is),
  the equations that do hold are audited instead. Those can still pin a count of 0 by
  themselves, whatever is hidden ("none of these students"); n·mean is not checked so.
- Shown cells. R-SUP-2 nulls a small count, but a shown cell keeps its exact value,
  interval and n, from which the count follows; the displayed whole percent also gives it
  back for n < 100. A coded cell's count can still follow from its family's shown counts
  and total. Different metrics are suppressed independently (a participation rate's
  count is the tested n of proficiency).

Plain Python and Polars, no Django.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any

import polars as pl

from headway.data.core.aggregates import ALL, KEY, SCHEMA, SUPPRESSION_SCHEMA

REASONS = ("MIN_N", "COMPLEMENTARY", "TOP_CODE", "BOTTOM_CODE", "CHANGE_MIN_N")
MIN_N, COMPLEMENTARY, TOP_CODE, BOTTOM_CODE, CHANGE_MIN_N = REASONS
HIDDEN_TEXT = "*"  # display of a cell hidden to protect another one (legend: COMPLEMENTARY)

# R-SUP-3 (Utah): (smallest n, bottom band in %); the top band is 100 − bottom.
BANDS = ((300, 1), (100, 2), (40, 5), (20, 10), (0, 20))
EPSILON = 1e-9  # percent points: 0.05 * 100 is 5.000000000000001 in floating point

CELL = [k for k in KEY if k != "school_year"]  # a cell across years
SCHOOL = "school"
# group_types whose values do not add up to "all students": combos are overlapping subsets
# (English learners with disabilities …), so there is no equation to protect.
NOT_PARTITIONS = frozenset({"combo"})
NUMBERS = ("n", "count", "value", "ci_low", "ci_high", "se")

_ROW, _HIDDEN, _PRIMARY = "__row", "__hidden", "__primary"
_PRIOR_REASON, _PRIOR_DISPLAY = "__prior_reason", "__prior_display"
_TOTAL, _ORDER, _FAM = "__total", "__order", "__fam"
_SLICE, _PLACE, _TWIN = "__slice", "__place", "__twin"
_WHERE = {  # a slice of the table, which holds whole equations, and a place in it
    _SLICE: ["school_year", "subject", "metric"],
    _PLACE: ["org_code", "org_level", "grade", "group_type", "group_value"],
}


@dataclass(frozen=True)
class Policy:
    """A district's suppression settings; the state's minimum is a floor it cannot go under."""

    min_n: int = 10  # R-SUP-1
    state_min_n: int = 10
    change_min_n: int | None = None  # R-SUP-7: n needed in BOTH years for a change; min_n if None

    def __post_init__(self) -> None:
        if self.state_min_n < 1 or self.min_n < 1:
            raise ValueError(
                f"minimum group sizes must be at least 1 (min_n={self.min_n}, "
                f"state_min_n={self.state_min_n})"
            )
        if self.min_n < self.state_min_n:
            raise ValueError(
                f"min_n {self.min_n} is below the state's minimum group size of "
                f"{self.state_min_n}: a district may only be stricter than its state"
            )
        if self.change_min_n is not None and self.change_min_n < self.min_n:
            raise ValueError(
                f"change_min_n {self.change_min_n} is below min_n {self.min_n}: a change "
                "needs at least as many students as a single year"
            )

    @property
    def change_n(self) -> int:
        return self.min_n if self.change_min_n is None else self.change_min_n


# --- top/bottom coding (R-SUP-3) -------------------------------------------------------------


def bottom_band(n: int) -> int:
    """The bottom-coding threshold b in % for a group of n (the top one is 100 − b).

    The Utah band, widened for small n so that "≤b%" always includes one student
    (b ≥ 100/n) and "≥(100−b)%" always includes everyone but one: otherwise "≤5%" for
    16 students could only mean 0.
    """
    if n < 1:
        raise ValueError(f"a group of {n} students has no rate to code")
    band = next(b for smallest, b in BANDS if n >= smallest)
    return max(band, -(-100 // n))


def display_percent(rate: float, n: int, policy: Policy) -> tuple[str, str]:
    """What a viewer sees for a rate of a group of n, and why: ("42%", ""), ("≤5%",
    "BOTTOM_CODE"), ("≥95%", "TOP_CODE"), or ("n<10", "MIN_N") for a group too small."""
    if n < policy.min_n:
        return f"n<{policy.min_n}", MIN_N
    b, percent = bottom_band(n), rate * 100
    if percent <= b + EPSILON:
        return f"≤{b}%", BOTTOM_CODE
    if percent >= 100 - b - EPSILON:
        return f"≥{100 - b}%", TOP_CODE
    return f"{math.floor(percent + 0.5 + EPSILON)}%", ""


def _bottom_band(n: pl.Expr) -> pl.Expr:
    """bottom_band as an expression (null n gives null)."""
    band: pl.Expr = pl.lit(BANDS[-1][1])
    for smallest, b in reversed(BANDS[:-1]):
        band = pl.when(n >= smallest).then(pl.lit(b)).otherwise(band)
    one_student = (100 + n - 1) // n  # ceil(100 / n) in integers
    return pl.when(n >= 1).then(pl.max_horizontal(band, one_student)).cast(pl.Int64)


def _is_rate(metric: pl.Expr) -> pl.Expr:
    """Rates are shown as percentages and coded; other metrics (means) as rounded numbers."""
    return metric.str.ends_with("_rate") | metric.str.starts_with("level_share:")


def _whole(x: pl.Expr) -> pl.Expr:
    """x rounded half up to a whole number, as text (display_percent rounds the same way)."""
    return (x + 0.5 + EPSILON).floor().cast(pl.Int64).cast(pl.String)


# --- suppress --------------------------------------------------------------------------------


def suppress(
    aggregates: pl.DataFrame, policy: Policy, parents: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """The aggregate table as viewers without student access may see it.

    ``parents`` maps a school's org_code to its district's, so that a district's schools
    are protected against the district's total (R-SUP-4d); without it they are not.
    Rows keep their order; columns are exactly SCHEMA then SUPPRESSION_SCHEMA (other input
    columns are dropped: suppression cannot know whether they are safe). A frame that
    suppress already returned comes back unchanged.
    """
    frame = _prepare(aggregates, policy)
    families = _families(frame, parents)
    hidden = _complete(frame.get_column(_HIDDEN), families)
    hidden = _audit(hidden, families, _Grid(frame, families, parents))
    return _publish(frame.with_columns(hidden.alias(_HIDDEN)), policy)


def _prepare(aggregates: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Typed columns, a row number and primary suppression (R-SUP-1).

    A frame suppress already returned keeps its decisions: its hidden cells have no n any
    more, and its coded ones no value, so they could not be decided again.
    """
    missing = [c for c in SCHEMA if c not in aggregates.columns]
    if missing:
        raise ValueError(f"the aggregate table lacks columns: {', '.join(missing)}")
    duplicated = aggregates.select(pl.struct(KEY).is_duplicated().any()).item()
    if duplicated:
        raise ValueError(f"the aggregate table has several rows for one cell ({', '.join(KEY)})")
    prior = all(c in aggregates.columns for c in SUPPRESSION_SCHEMA)
    n = pl.col("n")
    return aggregates.select(
        *(pl.col(c).cast(t) for c, t in SCHEMA.items()),
        _prior(prior, "reason", "").alias(_PRIOR_REASON),
        _prior(prior, "display", "").alias(_PRIOR_DISPLAY),
        (_prior(prior, "suppressed", False) | n.is_null() | (n < policy.min_n)).alias(_HIDDEN),
        (~_prior(prior, "suppressed", False) & (n.is_null() | (n < policy.min_n))).alias(_PRIMARY),
    ).with_row_index(_ROW)


def _prior(present: bool, column: str, default: str | bool) -> pl.Expr:
    """A column of an already suppressed frame, or its default for a fresh one."""
    return pl.col(column).fill_null(default) if present else pl.lit(default)


# --- families (R-SUP-4) ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Families:
    """Every equation ``total = Σ members`` the table publishes, one row per cell in it.

    ``cells`` has __fam (the equation), __row, __order and __total (is the cell the total).
    __order ranks all cells by (n, group_value, grade, org_code): the members of one family
    differ only in the one of those that names them, so the smallest-then-first-named
    member of a family is simply its lowest __order, and ``rows[order]`` is its row.
    ``where`` has, in row order, the cell's __slice (its year, subject and metric), its
    __place in the slice (org, grade and group), each a number, and its n and count.
    """

    cells: pl.DataFrame
    rows: pl.Series
    where: pl.DataFrame


def _families(frame: pl.DataFrame, parents: Mapping[str, str] | None) -> _Families:
    """The equations of R-SUP-4a–d, built on integer codes of the key columns: joins on a
    million rows of text are several times slower."""
    ordered, links = _codes(frame, parents)
    cells = ordered.lazy()
    parts = [_group_families(cells), _grade_families(cells)]
    if links is not None:
        parts.append(_school_families(cells, links))
    number = [pl.struct(*keys).rank("dense").alias(c) for c, keys in _WHERE.items()]
    *collected, where = pl.collect_all([*parts, cells.sort(_ROW).select(*number, "n", "count")])
    offset, numbered = 0, []
    for part in collected:  # a part's family numbers are below its height
        numbered.append(part.with_columns(pl.col(_FAM).cast(pl.Int64) + offset))
        offset += part.height
    by_family = pl.concat(numbered).sort(_FAM)  # a sorted group_by key is several times faster
    return _Families(by_family, ordered.get_column(_ROW), where)


def _codes(
    frame: pl.DataFrame, parents: Mapping[str, str] | None
) -> tuple[pl.DataFrame, pl.LazyFrame | None]:
    """The cells in __order, each text key as its rank among the column's values (so a
    code orders like its name), flags saying which family role a cell can play, and the
    school → district links in the same codes as org_code."""
    districts = set((parents or {}).values())
    enums = {
        c: pl.Enum(sorted(_values(frame, c) | (districts if c == "org_code" else set())))
        for c in KEY
        if frame.schema[c] == pl.String()
    }
    text = {c: pl.col(c) for c in ("org_level", "grade", "group_type", "group_value")}
    coded = frame.lazy().select(
        _ROW,
        *(pl.col(c).cast(enums[c]).to_physical() if c in enums else pl.col(c) for c in KEY),
        "n",
        "count",
        (~text["group_type"].is_in([ALL, *NOT_PARTITIONS])).alias("__group_member"),
        ((text["group_type"] == ALL) & (text["group_value"] == ALL)).alias("__everyone"),
        (text["grade"] == ALL).alias("__all_grades"),
        (text["org_level"] == SCHOOL).alias("__school"),
    )
    order = ["n", "group_value", "grade", "org_code", _ROW]  # null n: hidden, never picked
    cells = coded.sort(order).with_row_index(_ORDER).collect()
    if not parents:
        return cells, None
    links = pl.LazyFrame({"org_code": list(parents), "__parent": list(parents.values())})
    as_org = pl.all().cast(pl.String).cast(enums["org_code"], strict=False).to_physical()
    return cells, links.select(as_org).drop_nulls()


def _values(frame: pl.DataFrame, column: str) -> set[str]:
    return set(frame.get_column(column).drop_nulls().unique().to_list())


def _group_families(cells: pl.LazyFrame) -> pl.LazyFrame:
    """R-SUP-4a/b: the values of one group_type add up to "all students" (same org, year,
    subject, grade and metric); a flag's true/false is the two-member case."""
    base = ["org_code", "org_level", "school_year", "subject", "grade", "metric"]
    members = cells.filter("__group_member")
    return _link(members, cells.filter("__everyone"), base, ["group_type"])


def _grade_families(cells: pl.LazyFrame) -> pl.LazyFrame:
    """R-SUP-4c: the grades of one org, year, subject, group and metric add up to "all"."""
    base = [k for k in KEY if k != "grade"]
    members = cells.filter(~pl.col("__all_grades"))
    return _link(members, cells.filter("__all_grades"), base, [])


def _school_families(cells: pl.LazyFrame, links: pl.LazyFrame) -> pl.LazyFrame:
    """R-SUP-4d: a district's schools add up to the district, cell by cell."""
    members = cells.filter("__school").join(links, on="org_code")
    totals = cells.filter(~pl.col("__school")).rename({"org_code": "__parent"})
    base = ["__parent", "school_year", "subject", "grade", "group_type", "group_value", "metric"]
    return _link(members, totals, base, [])


def _link(
    members: pl.LazyFrame, totals: pl.LazyFrame, base: list[str], extra: list[str]
) -> pl.LazyFrame:
    """Families (numbered from 0) of members sharing base + extra, each with its total
    (the row sharing base). Members without a published total form no equation."""
    keys = [*base, *extra]
    total = totals.select(*base, pl.col(_ROW).alias("__t_row"), pl.col(_ORDER).alias("__t_ord"))
    fams = members.select(keys).unique().join(total, on=base).with_row_index(_FAM)
    in_family = members.join(fams.select(_FAM, *keys), on=keys)
    member_rows = in_family.select(_FAM, _ROW, _ORDER, pl.lit(False).alias(_TOTAL))
    total_rows = fams.select(
        _FAM, pl.col("__t_row").alias(_ROW), pl.col("__t_ord").alias(_ORDER), pl.lit(True)
    )
    return pl.concat([member_rows, total_rows.rename({"literal": _TOTAL})])


def _complete(hidden: pl.Series, families: _Families, since: pl.Series | None = None) -> pl.Series:
    """Complementary suppression to a fixed point: no equation left with one hidden cell.

    Each round hides at least one more cell or stops, so the loop ends within one round per
    row; in practice it takes a handful. Later rounds look only at the families of the
    cells the round before hid. The first looks at every family or, given ``since`` (rows
    hidden after the fixed point last held), only at theirs.
    """
    hidden, every = hidden.clone(), families.cells
    active = every if since is None else _touched(every, since)
    for _ in range(hidden.len() + 1):
        new = _round(hidden, active, families.rows)
        if new.is_empty():
            break
        hidden.scatter(new, True)
        active = _touched(every, new)
    return hidden


def _touched(cells: pl.DataFrame, rows: pl.Series) -> pl.DataFrame:
    """The cells of every family that one of ``rows`` belongs to."""
    families = cells.filter(pl.col(_ROW).is_in(rows.implode())).get_column(_FAM)
    return cells.filter(pl.col(_FAM).is_in(families.unique().implode()))


def _round(hidden: pl.Series, cells: pl.DataFrame, rows: pl.Series) -> pl.Series:
    """Rows to hide now: in each family with exactly one hidden cell, the smallest shown
    member, or the total when every member is hidden."""
    shown_member = ~pl.col(_HIDDEN) & ~pl.col(_TOTAL)
    picks = (
        cells.with_columns(hidden.gather(cells.get_column(_ROW)).alias(_HIDDEN))
        .group_by(_FAM)
        .agg(
            pl.col(_HIDDEN).sum().alias("__unknown"),
            pl.col(_ORDER).filter(shown_member).min().alias("__member"),
            pl.col(_ROW).filter(pl.col(_TOTAL)).first().alias("__sum"),
        )
        .filter(pl.col("__unknown") == 1)
    )
    member = rows.gather(picks.get_column("__member").drop_nulls())
    total = picks.filter(pl.col("__member").is_null()).get_column("__sum")
    return pl.concat([member, total]).unique()


# --- the whole system of equations (R-SUP-4, linked sums) --------------------------------------


def _audit(hidden: pl.Series, families: _Families, grid: _Grid) -> pl.Series:
    """Hide more cells until no hidden cell follows from all published equations together
    (but those the equations pin by themselves, see _circuits).

    The fixed point leaves no equation with a single unknown, but a cell lies in up to three
    equations and a combination of several can still isolate it. Each round solves the
    slices that gained a hidden cell (_exposed), hides a box or a circuit around every
    determined cell (_blockers), and completes the per-equation rule from there. A round
    hides at least one cell or stops. A box or a circuit frees its cell for good; the
    rounds after it check the cells the per-equation rule added (tables here need 1–3).
    """
    fresh = hidden.arg_true()  # hidden since the slices were last found safe
    pinned: set[int] = set()  # determined with every number unknown, see _circuits
    for _ in range(hidden.len() + 1):
        twins = _twins(families.where, hidden)
        exposed = _exposed(families.cells, _unknowns(twins, fresh)) - pinned
        if not exposed:
            break
        blockers = _spread(_blockers(exposed, hidden, families, grid, pinned), twins)
        if blockers.is_empty():
            break
        grown = _complete(hidden.clone().scatter(blockers, True), families, blockers)
        fresh = (grown & ~hidden).arg_true()
        hidden = grown
    return hidden


def _twins(where: pl.DataFrame, hidden: pl.Series) -> pl.DataFrame:
    """``where`` with the row number, hidden, and the __twin of the row's slice: the first
    slice with exactly the same places, n and hidden cells. Twins have the same equations
    on the same places (the metrics of the same students: proficiency, level shares,
    means), so only the first needs solving, and what it hides the others hide too."""
    table = where.with_columns(hidden.alias(_HIDDEN)).with_row_index(_ROW)
    signature = table.sort(_PLACE).group_by(_SLICE).agg(_PLACE, "n", _HIDDEN)
    first = pl.col(_SLICE).min().over(_PLACE, "n", _HIDDEN).alias(_TWIN)
    return table.join(signature.select(_SLICE, first), on=_SLICE, maintain_order="left")


def _unknowns(twins: pl.DataFrame, fresh: pl.Series) -> pl.Series:
    """The hidden rows of the first twins of the slices with a ``fresh`` row. Any other
    slice has the equations and unknowns it had when it, or its first twin, was solved."""
    changed = twins.filter(pl.col(_ROW).is_in(fresh.implode())).get_column(_TWIN).unique()
    solve = pl.col(_HIDDEN) & pl.col(_SLICE).is_in(changed.implode())
    return twins.filter(solve).get_column(_ROW)


def _spread(rows: pl.Series, twins: pl.DataFrame) -> pl.Series:
    """``rows`` (of first twins) and the rows at the same places in the twins' slices."""
    picked = twins.filter(pl.col(_ROW).is_in(rows.implode()))
    at = picked.select(pl.col(_SLICE).alias(_TWIN), _PLACE)
    return twins.join(at, on=[_TWIN, _PLACE]).get_column(_ROW)


def _exposed(cells: pl.DataFrame, rows: pl.Series) -> set[int]:
    """The determined cells among ``rows`` (hidden), by the equations restricted to the
    hidden cells, the shown ones being constants."""
    equations: dict[int, dict[int, int]] = defaultdict(dict)  # family → {row: ±1}
    unknown = cells.filter(pl.col(_ROW).is_in(rows.implode()))
    columns = (unknown.get_column(c).to_list() for c in (_FAM, _ROW, _TOTAL))
    for family, row, total in zip(*columns, strict=True):  # for speed: not iter_rows
        equations[family][row] = -1 if total else 1  # a member counts +1, the total −1
    exposed: set[int] = set()
    for component in _components(equations):
        exposed |= _determined([equations[f] for f in component])
    return exposed


def _components(equations: Mapping[int, Mapping[int, int]]) -> Iterator[list[int]]:
    """The families, one list per connected component: linked through shared unknowns.
    Families never mix years, subjects or metrics, so neither do components."""
    families_of: dict[int, list[int]] = defaultdict(list)  # row → families
    for family, equation in equations.items():
        for row in equation:
            families_of[row].append(family)
    seen: set[int] = set()
    for start in equations:
        if start in seen:
            continue
        seen.add(start)
        stack, component = [start], []
        while stack:
            family = stack.pop()
            component.append(family)
            linked = {f for row in equations[family] for f in families_of[row]} - seen
            seen |= linked
            stack.extend(linked)
        yield component


_PRIME = (1 << 61) - 1  # _determined computes modulo this prime


def _determined(equations: list[dict[int, int]]) -> set[int]:
    """The unknowns whose value the equations fix, whatever their constants.

    x_i is fixed iff every solution of the homogeneous system has x_i = 0 (e_i lies in the
    row space). Exact integer elimination gives an echelon form; back-substituting random
    values for the free unknowns gives one exact solution, computed modulo a prime that
    divides none of the pivots (small integers). An unknown it makes non-zero is certainly
    free to vary. The others are counted fixed, which is wrong only with probability 2⁻⁶¹
    per unknown, and then hides one cell too many, never one too few.
    """
    pivots, value = _solution(equations)
    return {column for column in pivots if value[column] == 0}


def _solution(equations: list[dict[int, int]]) -> tuple[list[int], dict[int, int]]:
    """The pivots of the echelon form, and a solution of the homogeneous equations modulo
    _PRIME with random values in the free unknowns (seeded: the same table, the same
    cells hidden)."""
    pivots = _echelon(equations)
    draw, value = random.Random(0), {}
    for column, row in reversed(pivots):  # a pivot row's other unknowns come later or are free
        total = 0
        for c, a in row.items():
            if c != column:
                if c not in value:
                    value[c] = draw.randrange(1, _PRIME)
                total += a * value[c]
        value[column] = -total * pow(row[column], -1, _PRIME) % _PRIME
    return [column for column, _ in pivots], value


def _echelon(equations: list[dict[int, int]]) -> list[tuple[int, dict[int, int]]]:
    """(pivot, row) in elimination order; a row has only later pivots and free unknowns.

    Exact: rows of integers, combined without division and divided by their gcd. Sparse:
    the shortest row goes first, on its unknown in fewest rows (Markowitz), which keeps the
    rows of these tables as short as they started.
    """
    rows = [dict(eq) for eq in equations]
    holders: dict[int, set[int]] = defaultdict(set)  # unknown → rows it is in
    for i, row in enumerate(rows):
        for c in row:
            holders[c].add(i)
    queue = [(len(row), i) for i, row in enumerate(rows)]
    heapq.heapify(queue)
    done: set[int] = set()
    pivots = []
    while queue:
        size, i = heapq.heappop(queue)
        if i in done or size != len(rows[i]):  # an outdated entry
            continue
        done.add(i)
        row = rows[i]
        for c in row:
            holders[c].discard(i)
        if not row:
            continue
        column = min(row, key=lambda c: (len(holders[c]), c))
        pivots.append((column, row))
        for j in holders.pop(column):
            old, rows[j] = rows[j], _cancel(rows[j], row, column)
            for c in old.keys() - rows[j].keys() - {column}:
                holders[c].discard(j)
            for c in rows[j].keys() - old.keys():
                holders[c].add(j)
            heapq.heappush(queue, (len(rows[j]), j))
    return pivots


def _cancel(row: Mapping[int, int], pivot: Mapping[int, int], column: int) -> dict[int, int]:
    """row·p − pivot·r with p, r the entries of pivot and row in ``column`` (gone then)."""
    p, r = pivot[column], row[column]
    out = dict(row) if p == 1 else {c: v * p for c, v in row.items()}
    for c, v in pivot.items():
        w = out.get(c, 0) - v * r
        if w:
            out[c] = w
        else:
            del out[c]
    divisor = math.gcd(*out.values())  # for speed: rows of ±1 need no division
    return {c: v // divisor for c, v in out.items()} if divisor > 1 else out


# Where a cell sits in its table: (year, subject, metric), (org_code, is a school), grade,
# (group_type, group_value). An axis of a box: positions on it, each with its sign.
_Slice = tuple[int, str, str]
_Org = tuple[str, bool]
_Group = tuple[str, str]
_Key = tuple[_Slice, _Org, str, _Group]
_Axis = list[tuple[Any, int]]


class _Grid:
    """The table as a grid of orgs × grades × groups for each (year, subject, metric), for
    the boxes of _blockers. Indexed on demand, slice by slice: most tables never need it."""

    def __init__(
        self, frame: pl.DataFrame, families: _Families, parents: Mapping[str, str] | None
    ) -> None:
        columns = ["org_code", "org_level", "grade", "group_type", "group_value", "n"]
        self.frame = frame.select(_ROW, *_WHERE[_SLICE], *columns)
        self.cells = families.cells.select(_ROW, _FAM, _TOTAL)
        self.parent = {(s, True): (d, False) for s, d in (parents or {}).items()}
        self.children: dict[_Org, list[_Org]] = defaultdict(list)
        for school, district in sorted(self.parent.items()):
            self.children[district].append(school)
        self.row: dict[_Key, int] = {}
        self.key: dict[int, _Key] = {}
        self.n: dict[int, int] = {}
        self.families_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.grades: dict[tuple[_Slice, _Org, _Group], list[str]] = defaultdict(list)
        self.groups: dict[tuple[_Slice, _Org, str], dict[str, list[str]]] = {}
        self.slices: set[_Slice] = set()

    def load(self, rows: list[int]) -> None:
        """Index the slices of ``rows`` that are not yet."""
        slices = self.frame[rows].select(_WHERE[_SLICE])
        new = set(slices.unique().iter_rows()) - self.slices
        if not new:
            return
        self.slices |= new
        wanted = pl.DataFrame(list(new), schema=slices.schema, orient="row")
        part = self.frame.join(wanted, on=_WHERE[_SLICE], maintain_order="left")
        for row, *place, code, level, grade, kind, value, n in part.iter_rows():
            where: _Slice = (place[0], place[1], place[2])
            org: _Org = (code, level == SCHOOL)
            self.row[where, org, grade, (kind, value)] = row
            self.key[row] = (where, org, grade, (kind, value))
            self.n[row] = n or 0  # a cell hidden by an earlier run has no n: it costs nothing
            self.grades[where, org, (kind, value)].append(grade)
            self.groups.setdefault((where, org, grade), defaultdict(list))[kind].append(value)
        loaded = self.cells.filter(pl.col(_ROW).is_in(part.get_column(_ROW).implode()))
        for row, family, total in loaded.iter_rows():
            self.families_of[row].append((family, -1 if total else 1))

    def box(self, x: int, hidden: list[bool]) -> list[int]:
        """The rows of the cheapest box around x that hides a cell more, or none.

        A box is the product of one small signed vector per axis (orgs, grades, groups),
        each balanced in the equations along its axis: two members (+1 and −1), a member
        and its total (+1 each), or "all students" and one member of each group_type (+1
        each). Every published equation then sums to 0 over the box (checked: a table
        with cells missing can break it), so once its corners are hidden, x can move with
        it: neither x nor any corner is determined any more. Cheapest: the fewest students
        newly hidden in x's own org first, then in the partner org.
        """
        place, org, grade, group = self.key[x]
        lines = []
        grades, groups = self._grades(place, org, grade, group), self._groups(x, hidden)
        for i, (g, c) in enumerate(product(grades, groups)):
            cost = self._cost(place, [(org, 1)], g, c, hidden)
            if cost is not None:
                lines.append((cost, i, g, c))
        for own, _, g, c in sorted(lines):
            partners = []
            for j, others in enumerate(self._orgs(org)):
                cost = self._cost(place, others, g, c, hidden)
                if cost is not None and own + cost > 0:
                    partners.append((cost, j, others))
            for _, _, others in sorted(partners):
                corners = [
                    (self.row[place, o, a, b], so * sa * sb)
                    for o, so in [(org, 1), *others]
                    for a, sa in g
                    for b, sb in c
                ]
                if self._balanced(corners):
                    return [row for row, _ in corners]
        return []

    def _balanced(self, corners: list[tuple[int, int]]) -> bool:
        """Does every equation sum to 0 over these signed corners?"""
        sums: dict[int, int] = defaultdict(int)
        for row, sign in corners:
            for family, a in self.families_of[row]:
                sums[family] += a * sign
        return not any(sums.values())

    def _cost(
        self, place: _Slice, orgs: _Axis, grades: _Axis, groups: _Axis, hidden: list[bool]
    ) -> int | None:
        """Students newly hidden with these corners; None if one is not in the table."""
        total = 0
        for (o, _), (a, _), (b, _) in product(orgs, grades, groups):
            row = self.row.get((place, o, a, b))
            if row is None:
                return None
            total += 0 if hidden[row] else self.n[row]
        return total

    def _orgs(self, org: _Org) -> list[_Axis]:
        """The partners org can take along the org axis: its district (its total, +1) or
        another school of the district (−1) for a school, one of its schools (+1) for a
        district, none for an org in no equation of schools and districts."""
        if org in self.parent:
            district = self.parent[org]
            return [[(district, 1)], *([(s, -1)] for s in self.children[district] if s != org)]
        if org in self.children:
            return [[(s, 1)] for s in self.children[org]]
        return [[]]

    def _grades(self, place: _Slice, org: _Org, grade: str, group: _Group) -> list[_Axis]:
        """grade with a partner on its line: "all" or, for "all", any grade (+1), another
        grade (−1); alone if it has none."""
        line = self.grades[place, org, group]
        return [
            [(grade, 1), (other, 1 if ALL in (grade, other) else -1)]
            for other in line
            if other != grade
        ] or [[(grade, 1)]]

    def _groups(self, x: int, hidden: list[bool]) -> list[_Axis]:
        """x's group with another of its group_type (−1), or with "all students" and the
        cheapest group of every other type (+1 each); "all students" needs one of each."""
        place, org, grade, (kind, value) = self.key[x]
        if kind in NOT_PARTITIONS:
            return [[((kind, value), 1)]]
        present = self.groups[place, org, grade]
        everyone: _Axis = [((ALL, ALL), 1)]
        for other in sorted(present.keys() - {ALL, kind, *NOT_PARTITIONS}):
            cost = {
                v: self._cost(place, [(org, 1)], [(grade, 1)], [((other, v), 1)], hidden)
                for v in present[other]
            }
            everyone.append(((other, min(present[other], key=lambda v: (cost[v], v))), 1))
        if kind == ALL:
            return [everyone]
        siblings = [[((kind, value), 1), ((kind, v), -1)] for v in present[kind] if v != value]
        return [*siblings, [((kind, value), 1), *everyone]]


def _blockers(
    exposed: set[int], hidden: pl.Series, families: _Families, grid: _Grid, pinned: set[int]
) -> pl.Series:
    """Rows to hide so that no determined cell stays determined: the cheapest box around
    each (_Grid.box), or a circuit through it (_circuits) where no box fits."""
    flags = hidden.to_list()
    grid.load(sorted(exposed))
    new: set[int] = set()
    stuck = []
    for x in sorted(exposed):
        box = [r for r in grid.box(x, flags) if not flags[r]]
        new.update(box)
        if not box:
            stuck.append(x)
    new |= _circuits(stuck, flags, families, pinned)
    return pl.Series(sorted(new), dtype=pl.UInt32)


def _circuits(
    stuck: list[int], hidden: list[bool], families: _Families, pinned: set[int]
) -> set[int]:
    """Where no box fits, for each stuck cell the shown cells of a circuit through it.

    A table with cells missing has no box around some cells. A circuit is found in the
    cell's slice: the columns of the equations, hidden cells first, then shown ones from
    the smallest, are taken while independent until they span the stuck cell's; the one
    combination of them that gives it back is a change through it that keeps every
    published sum. If even all columns do not span it, the equations pin the cell with
    every number unknown, to 0, which no group of students is: some of them do not hold
    (a district that counts students none of its schools counts, full academic year at
    one but not at the other). Those give nothing true away, so circuits are then sought
    in the equations that hold for n and in those that hold for counts, and the cell
    joins ``pinned``: hiding more can only leave it freer, no later round need see it.
    """
    where = families.where.with_row_index(_ROW)
    out: set[int] = set()
    for x in stuck:
        rows = where.filter(pl.col(_SLICE) == where.item(x, _SLICE))
        part = families.cells.filter(pl.col(_ROW).is_in(rows.get_column(_ROW).implode()))
        columns: dict[int, dict[int, int]] = defaultdict(dict)  # row → {family: ±1}
        for family, row, total in part.select(_FAM, _ROW, _TOTAL).iter_rows():
            columns[row][family] = -1 if total else 1
        ids = rows.get_column(_ROW).to_list()
        n, count = (
            dict(zip(ids, rows.get_column(c).to_list(), strict=True)) for c in ("n", "count")
        )
        order = sorted(columns.keys() - {x}, key=lambda r: (not hidden[r], n[r] or 0, r))
        found = _circuit(x, columns, order)
        if not found:
            pinned.add(x)
            for numbers in (n, count):
                holds = _holding(columns, numbers)
                kept = {r: {f: a for f, a in c.items() if f in holds} for r, c in columns.items()}
                found |= _circuit(x, kept, order)
        out |= {r for r in found if not hidden[r]}
    return out


def _holding(
    columns: Mapping[int, Mapping[int, int]], numbers: Mapping[int, int | None]
) -> set[int]:
    """The families whose members' numbers add up to their total's. One with a number not
    known (hidden by an earlier run, which checked the family then) is left out."""
    sums: dict[int, int] = defaultdict(int)
    unknown: set[int] = set()
    for row, column in columns.items():
        number = numbers[row]
        for family, a in column.items():
            if number is None:
                unknown.add(family)
            else:
                sums[family] += a * number
    return {f for f, total in sums.items() if total == 0} - unknown


def _circuit(x: int, columns: Mapping[int, Mapping[int, int]], order: list[int]) -> set[int]:
    """The rows of a circuit through x (a smallest set of columns that gives x's back),
    taken greedily in ``order``; none if all of them do not reach x's column. Modulo
    _PRIME: a circuit that is wrong with probability 2⁻⁶¹ costs a round of the audit."""
    basis: dict[int, dict[int, int]] = {}  # pivot → column, 1 there and 0 at the others
    target = _reduced(columns[x], basis)
    chosen = []
    for row in order:
        if not target:
            break
        column = _reduced(columns[row], basis)
        if not column:
            continue
        pivot = min(column)
        column = _added({}, pow(column[pivot], -1, _PRIME), column)
        for other, vector in basis.items():
            if pivot in vector:
                basis[other] = _added(vector, -vector[pivot], column)
        basis[pivot] = column
        target = _added(target, -target.get(pivot, 0), column)
        chosen.append(row)
    if target:
        return set()
    equations: dict[int, dict[int, int]] = defaultdict(dict)
    for row in [x, *chosen]:
        for family, a in columns[row].items():
            equations[family][row] = a
    _, value = _solution(list(equations.values()))
    return {row for row in chosen if value.get(row)}


def _reduced(column: Mapping[int, int], basis: Mapping[int, Mapping[int, int]]) -> dict[int, int]:
    """``column`` minus its part in the basis, modulo _PRIME."""
    out = {c: v % _PRIME for c, v in column.items()}
    for pivot in [c for c in column if c in basis]:
        out = _added(out, -out.get(pivot, 0), basis[pivot])
    return out


def _added(vector: Mapping[int, int], factor: int, other: Mapping[int, int]) -> dict[int, int]:
    """vector + factor·other, modulo _PRIME, without zeros."""
    out = dict(vector)
    for c, v in other.items():
        w = (out.get(c, 0) + factor * v) % _PRIME
        if w:
            out[c] = w
        else:
            out.pop(c, None)
    return out


# --- what is published -----------------------------------------------------------------------


def _publish(frame: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """Reasons, displayed text, and nulls wherever a number must not be public."""
    prior, hidden = pl.col(_PRIOR_REASON), pl.col(_HIDDEN)
    reason = (
        pl.when(hidden & prior.is_in([MIN_N, COMPLEMENTARY]))
        .then(prior)
        .when(pl.col(_PRIMARY))
        .then(pl.lit(MIN_N))
        .when(hidden)
        .then(pl.lit(COMPLEMENTARY))
        .when(prior != "")
        .then(prior)
        .otherwise(_coding(policy))
    )
    out = frame.with_columns(reason.alias("reason")).with_columns(
        pl.col(_HIDDEN).alias("suppressed"), _display(policy).alias("display")
    )
    return out.select(*_masked(policy), *SUPPRESSION_SCHEMA)


def _coding(policy: Policy) -> pl.Expr:
    """TOP_CODE / BOTTOM_CODE for shown rate cells in the coded bands, else ""."""
    b, percent = _bottom_band(pl.col("n")), pl.col("value") * 100
    rate = _is_rate(pl.col("metric")) & pl.col("value").is_not_null()
    return (
        pl.when(rate & (percent <= b + EPSILON))
        .then(pl.lit(BOTTOM_CODE))
        .when(rate & (percent >= 100 - b - EPSILON))
        .then(pl.lit(TOP_CODE))
        .otherwise(pl.lit(""))
    )


def _display(policy: Policy) -> pl.Expr:
    """The text a viewer sees; ``reason`` is already set."""
    reason, value, b = pl.col("reason"), pl.col("value"), _bottom_band(pl.col("n"))
    return (
        pl.when((reason == pl.col(_PRIOR_REASON)) & (reason != ""))
        .then(pl.col(_PRIOR_DISPLAY))
        .when(reason == MIN_N)
        .then(pl.lit(f"n<{policy.min_n}"))
        .when(reason == COMPLEMENTARY)
        .then(pl.lit(HIDDEN_TEXT))
        .when(reason == BOTTOM_CODE)
        .then(pl.format("≤{}%", b))
        .when(reason == TOP_CODE)
        .then(pl.format("≥{}%", 100 - b))
        .when(value.is_null())
        .then(pl.lit(""))
        .when(_is_rate(pl.col("metric")))
        .then(_whole(value * 100) + "%")
        .otherwise(_whole(value))
    )


def _masked(policy: Policy) -> list[pl.Expr]:
    """SCHEMA's columns with hidden numbers nulled: everything of a suppressed cell, the
    exact rate of a coded one, and a small count or complement (R-SUP-2)."""
    hidden = pl.col("suppressed")
    coded = pl.col("reason").is_in([TOP_CODE, BOTTOM_CODE])
    n, count = pl.col("n"), pl.col("count")
    small = (count < policy.min_n) | (n - count < policy.min_n)
    out = []
    for column, dtype in SCHEMA.items():
        keep = ~hidden
        if column != "n":  # a coded cell keeps its n: its display depends on it
            keep = keep & ~coded
        if column == "count":
            keep = keep & ~small
        expr = pl.col(column) if column not in NUMBERS else pl.when(keep).then(pl.col(column))
        out.append(expr.cast(dtype).alias(column))
    return out


# --- year over year (R-SUP-7) ----------------------------------------------------------------

CHANGE_SCHEMA: dict[str, pl.DataType] = {
    **{k: SCHEMA[k] for k in KEY},
    "prior_year": pl.Int16(),
    "change": pl.Float64(),  # value − prior value: rate points as a fraction (0.03), or a mean
    **SUPPRESSION_SCHEMA,  # display: "+3 pts" for rates, "+12" for means
}


def year_over_year(
    aggregates: pl.DataFrame, policy: Policy, parents: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """The change since the year before, for each cell present in both years.

    Computed from the suppressed table (suppress runs first unless the frame is already
    its output), so a change can never rebuild a hidden value from a shown one. Shown only
    where both years are shown and both groups have at least change_min_n students;
    otherwise CHANGE_MIN_N (a group too small), or the reason the other year is hidden.
    """
    done = all(c in aggregates.columns for c in SUPPRESSION_SCHEMA)
    table = aggregates if done else suppress(aggregates, policy, parents)
    before = table.select(
        *CELL,
        (pl.col("school_year") + 1).cast(pl.Int16).alias("school_year"),
        pl.col("school_year").alias("prior_year"),
        *(pl.col(c).alias(f"prior_{c}") for c in ("n", "value", "reason")),
    )
    both = table.join(before, on=list(KEY))
    reason = _change_reason(policy)
    return (
        both.with_columns(
            (pl.col("value") - pl.col("prior_value")).alias("change"), reason.alias("reason")
        )
        .select(
            *(pl.col(c).cast(t) for c, t in CHANGE_SCHEMA.items() if c not in SUPPRESSION_SCHEMA),
            (pl.col("reason") != "").alias("suppressed"),
            pl.col("reason"),
            _change_display(policy).alias("display"),
        )
        .with_columns(pl.when(~pl.col("suppressed")).then(pl.col("change")).alias("change"))
    )


def _change_reason(policy: Policy) -> pl.Expr:
    """Why a change is hidden: a year too small (either n), else the other year's reason."""
    reasons = [pl.col("reason"), pl.col("prior_reason")]
    small = pl.any_horizontal(
        (r == MIN_N) | (n < policy.change_n).fill_null(False)
        for r, n in zip(reasons, [pl.col("n"), pl.col("prior_n")], strict=True)
    )
    other = pl.when(reasons[0] != "").then(reasons[0]).otherwise(reasons[1])
    return pl.when(small).then(pl.lit(CHANGE_MIN_N)).otherwise(other)


def _change_display(policy: Policy) -> pl.Expr:
    """ "+3 pts" / "-2 pts" / "0 pts" for rates, "+12" for means; the token when hidden."""
    change, rate = pl.col("change"), _is_rate(pl.col("metric"))
    amount = pl.when(rate).then(change * 100).otherwise(change)
    whole = (amount.abs() + 0.5 + EPSILON).floor().cast(pl.Int64) * amount.sign().cast(pl.Int64)
    text = pl.when(whole > 0).then(pl.format("+{}", whole)).otherwise(whole.cast(pl.String))
    return (
        pl.when(pl.col("reason") == CHANGE_MIN_N)
        .then(pl.lit(f"n<{policy.change_n}"))
        .when(pl.col("reason") != "")
        .then(pl.lit(HIDDEN_TEXT))
        .when(change.is_null())
        .then(pl.lit(""))
        .when(rate)
        .then(text + " pts")
        .otherwise(text)
    )
