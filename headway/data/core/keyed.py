"""Rows that share a key, found without sorting when a file already keeps them together.

Validation groups a table's rows by their key (a student-year, a result's administration
and subject, …) to find duplicates, keep the first row of each key and compare the rest
with it. Files usually list a student's rows one after another, so the grouping first
checks whether the file's own order already groups them; only when it does not are the
rows sorted. Plain Polars, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

GROUP = "__group"  # consecutive number of a key's rows once grouped by key
INDEX = "__index"  # 0-based position of a row in the frame, to put columns in key order
SAME = "__same"  # the row has the same key as the row before it, in group order
MAX_NEAR = 16  # a key's rows are compared pairwise when there are at most this many


@dataclass
class Groups:
    """A frame's rows grouped by key, each key's rows in file order.

    ``frame`` holds INDEX (the row's position in the frame), the key, the carried columns,
    SAME and
    GROUP (consecutive numbers), group by group. ``in_file_order``: the frame's own order
    already groups the rows, so INDEX counts up and no column needs to be put in order.
    ``longest``: the most rows a key has (only counted in file order).
    """

    frame: pl.DataFrame
    in_file_order: bool
    longest: int = 0

    def column(self, frame: pl.DataFrame, name: str) -> pl.Series:
        """A column of ``frame`` in group order."""
        series = frame.get_column(name)
        return series if self.in_file_order else series.gather(self.frame.get_column(INDEX))


def key_groups(frame: pl.DataFrame, key: list[str], *, carry: list[str]) -> Groups:
    """The rows grouped by key.

    For speed: files usually give each key's rows together (a student's subjects one after
    another), and then nothing needs sorting. That holds when no two runs of equal keys
    share a key hash: equal keys hash alike, and a chance collision only costs the sort.
    """
    rows = frame.select(*key, *carry).with_row_index(INDEX)
    runs = rows.with_columns(_same_as_before(key))
    heads = runs.filter(pl.col(SAME).not_())
    if heads.select(pl.struct(key).hash().n_unique()).item() == heads.height:
        starts = heads.get_column(INDEX)
        lengths = starts.append(pl.Series([frame.height], dtype=starts.dtype)).diff().drop_nulls()
        longest = lengths.max() if len(lengths) else 0
        assert isinstance(longest, int)
        return Groups(_numbered(runs), True, longest)
    ordered = rows.sort([*key, INDEX]).with_columns(_same_as_before(key))
    return Groups(_numbered(ordered), False)


def _same_as_before(key: list[str]) -> pl.Expr:
    same = pl.all_horizontal(pl.col(k).eq_missing(pl.col(k).shift()) for k in key)
    return (same & (pl.int_range(pl.len(), dtype=pl.UInt32) > 0)).alias(SAME)


def _numbered(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.with_columns(pl.col(SAME).not_().cum_sum().alias(GROUP))


def repeated_nearby(
    columns: pl.DataFrame, key: list[str], groups: Groups, *, first: tuple[str, ...]
) -> pl.Series:
    """True on rows whose key another row of the same student-year run repeats.

    Such rows are at most ``groups.longest - 1`` rows apart, so comparing each row with the
    few rows before it finds every repeat without hashing the key of every row. Each pair
    still in question is compared on one more key column at a time, so few values are
    ever copied.
    """
    group, height = groups.frame.get_column(GROUP), columns.height
    rest = [columns.get_column(k) for k in key if k not in first]
    repeated = pl.repeat(False, height, dtype=pl.Boolean, eager=True)
    for distance in range(1, groups.longest):
        same_group = group.slice(distance) == group.slice(0, height - distance)
        later = same_group.arg_true() + distance
        for values in reversed(rest):  # the last key columns tell most rows apart
            later = later.filter(values.gather(later).eq_missing(values.gather(later - distance)))
        repeated = repeated.scatter(pl.concat([later, later - distance]), True)
    return repeated
