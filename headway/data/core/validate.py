"""Apply a mapping to a source file: canonical tables with proper types, and every problem.

All checks are column expressions over the whole file. Each check counts its offending
rows exactly but builds readable details for only a few of them (``DETAIL_PER_CHECK``),
so a file with millions of bad values is still checked in seconds and reported briefly.
Problems point at the SOURCE file: its 1-based data row and its own column name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from headway.data.core.convert import (
    DTYPES,
    GRADE_ORDER,
    canonical_text,
    clean,
    convert,
    is_plain,
    unclean,
    year_label,
)
from headway.data.core.mapping import (
    ROW_ID,
    Mapping,
    Slot,
    check,
    fields_of,
    slots,
)
from headway.data.core.schema import (
    CHRONIC_ABSENCE_SHARE,
    DETAIL_LIMIT,
    TABLES,
    UNIQUE,
    Field,
    Kind,
    Problem,
    Report,
    Type,
)

ROW = "__row"  # 1-based data row of the source file
SLOT = "__slot"  # which wide period/constant set a long row came from (0 for long files)
RAW = "__raw_"  # prefix: the source text of a field, for messages
BAD = "__bad_"  # prefix: the source text could not be converted
GROUP = "__group"  # consecutive number of a key's rows once sorted by key
INDEX = "__index"  # 0-based position of a row in the frame, to put columns in key order
DETAIL_PER_CHECK = DETAIL_LIMIT // 10  # details per check, so one flood cannot hide the rest
MAX_GRADE_GAP = 2

Progress = Callable[[str, int], None]


@dataclass
class Normalized:
    tables: dict[Kind, pl.DataFrame]
    report: Report
    rows_read: int
    rows_skipped: int = 0  # source rows left out by the mapping's filters


def normalize(
    frame: pl.DataFrame,
    mapping: Mapping,
    *,
    file: str,
    known_schools: set[str] | None = None,
    on_progress: Progress | None = None,
    trimmed: bool = False,
) -> Normalized:
    """Canonical tables from one all-text source frame, with a report of what is wrong.

    It runs ``check`` first: when the mapping cannot read the file, the tables are empty
    and the report holds check's errors. Otherwise check's warnings are left to check's
    own report, so a caller that shows both does not count them twice.
    ``on_progress`` hears ("staged", n), ("converted", n), ("checked", n) and ("validated",
    n), n being the source rows read. ``trimmed``: the frame comes from the readers, whose
    cells are already stripped with empty ones null, so that pass is not repeated.
    """
    progress: Progress = on_progress or (lambda _stage, _rows: None)
    checked = check(mapping, frame, file=file)
    if not checked.ok:
        return Normalized(empty_tables(mapping.kinds), checked, frame.height)
    report = Report()
    staged, sources, skipped = stage(frame, mapping, trimmed=trimmed)
    ctx = _Context(mapping, file, sources, fields_of(mapping.kinds), staged.columns)
    progress("staged", frame.height)
    converted = _convert(staged, ctx)
    progress("converted", frame.height)
    _run(converted, _checks(ctx, known_schools), ctx, report)
    progress("checked", frame.height)
    filled = _fill_missing(converted, ctx)
    tables = {kind: _table(filled, kind, ctx, report) for kind in mapping.kinds}
    progress("validated", frame.height)
    return Normalized(tables, report, frame.height, skipped)


def empty_tables(kinds: Iterable[Kind]) -> dict[Kind, pl.DataFrame]:
    return {kind: pl.DataFrame(schema=table_schema(kind)) for kind in kinds}


def table_schema(kind: Kind) -> dict[str, pl.DataType]:
    """The canonical columns and dtypes of one table."""
    return {f.name: DTYPES[f.type] for f in TABLES[kind]}


@dataclass
class _Context:
    mapping: Mapping
    file: str
    sources: list[dict[str, str]]  # per slot: canonical field -> source column
    fields: dict[str, Field]
    staged: list[str]
    present: list[str] = field(init=False)  # fields with a value from the file (not constants)

    def __post_init__(self) -> None:
        constant_only = set(self.mapping.constants) - set(self.mapping.columns)
        if self.mapping.wide is not None:
            constant_only -= set(self.mapping.wide.groups)
            constant_only.discard(self.mapping.wide.period_field)
        names = [n for n in self.staged if n in self.fields]
        self.present = [n for n in names if n not in constant_only]

    def column(self, slot: int, name: str) -> str:
        """The source column a field came from in a given wide slot ('' when generated)."""
        source = self.sources[slot].get(name, "")
        return "" if source == ROW_ID else source


# ---------------------------------------------------------------------------------------
# Staging: the mapping applied, one String column per canonical field
# ---------------------------------------------------------------------------------------


def stage(
    frame: pl.DataFrame, m: Mapping, *, trimmed: bool = False
) -> tuple[pl.DataFrame, list[dict[str, str]], int]:
    """Long, all-text frame: ROW, SLOT and one column per mapped field; sources per slot."""
    indexed = frame.with_row_index(ROW, offset=1)
    kept = indexed.filter(*_filters(m)) if m.filters else indexed
    if m.wide is None:
        ready = set(m.columns.values()) if trimmed else _already_clean(kept, m.columns.values())
        ids = _column_exprs(m.columns, ready)
        long = kept.select(ROW, pl.lit(0, pl.UInt16).alias(SLOT), *ids)
        sources = [dict(m.columns)]
    else:
        long, sources = _unpivot(kept, m)
    constants = {f: v for f, v in m.constants.items() if f not in long.columns}
    long = long.with_columns(_literal(f, v, m) for f, v in constants.items())
    return long, sources, indexed.height - kept.height


def _filters(m: Mapping) -> list[pl.Expr]:
    return [clean(pl.col(c)).is_in(allowed).fill_null(False) for c, allowed in m.filters.items()]


def _already_clean(frame: pl.DataFrame, columns: Iterable[str]) -> set[str]:
    """Text columns that ``clean`` would leave as they are: no surrounding spaces, no empty
    text. The readers hand over such columns; staging them as they are, not cleaned into a
    new column, saves a copy of the whole file in memory (and a pass over it)."""
    schema = frame.schema
    names = [c for c in dict.fromkeys(columns) if schema.get(c) == pl.String]
    if not names:
        return set()
    dirty = frame.select(unclean(pl.col(c)).any() for c in names).row(0)
    return {c for c, flag in zip(names, dirty, strict=True) if not flag}


def _column_exprs(columns: dict[str, str], ready: set[str] | None = None) -> list[pl.Expr]:
    """Source columns as canonical field names; "__row__" makes IDs from row numbers.
    Columns in ``ready`` are already clean and are used as they are."""
    ready = ready or set()
    return [
        pl.format("row-{}", pl.col(ROW)).alias(f)
        if src == ROW_ID
        else (pl.col(src) if src in ready else clean(pl.col(src))).alias(f)
        for f, src in columns.items()
    ]


def _literal(name: str, value: str, m: Mapping) -> pl.Expr:
    """A canonical value (constant, period label) written so the column rules read it right."""
    f = fields_of(m.kinds)[name]
    text = canonical_text(f, value)
    return pl.lit(text or None, dtype=pl.String).alias(name)


def _own(slot: Slot) -> list[str]:
    """The fields whose columns define this slot (those carrying its constants, e.g. read1 for
    subject=ela). A period yields a row only when one of them has a value: a lunch status or a
    school with no result that year is not a result. Without constants, any column counts."""
    defining = set(slot.constant_sources.values())
    own = [f for f, col in slot.columns.items() if col in defining]
    return own or list(slot.columns)


def _unpivot(kept: pl.DataFrame, m: Mapping) -> tuple[pl.DataFrame, list[dict[str, str]]]:
    """One long row per source row and wide slot (period × constants) that has any value.

    A slot-by-slot select then one concat: the same as an unpivot per group, but it keeps
    several groups (score, school, lunch) of one period on the same long row.
    """
    assert m.wide is not None
    parts, sources = [], []
    for i, slot in enumerate(slots(m.wide)):
        grouped = [clean(pl.col(col)).alias(f) for f, col in slot.columns.items()]
        part = kept.select(
            ROW,
            pl.lit(i, pl.UInt16).alias(SLOT),
            *_column_exprs(m.columns),
            *grouped,
            _literal(m.wide.period_field, slot.label, m),
            *(_literal(f, v, m) for f, v in slot.constants.items()),
        )
        parts.append(part.filter(pl.any_horizontal(pl.col(f).is_not_null() for f in _own(slot))))
        sources.append({**m.columns, **slot.columns, **slot.constant_sources})
    return pl.concat(parts, how="diagonal").sort(ROW, SLOT), sources


# ---------------------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------------------


_CODED = (Type.CODE, Type.CODES, Type.BOOLEAN, Type.YEAR)


def _convert(staged: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """Per field: keep the source text, convert it, and flag text that did not convert.

    Coded fields (grades, flags, years, races) hold few distinct values: they are
    converted once per distinct value and looked up, which is many times faster than
    running the text rules on every row.
    """
    exprs = []
    for name in (n for n in staged.columns if n in ctx.fields):
        f = ctx.fields[name]
        value = _mapped(pl.col(name), ctx.mapping.values.get(name, {}), f)
        plain = f.type not in _CODED and is_plain(f, staged.get_column(name))
        converted = convert(f, value, plain=plain)
        bad = value.is_not_null() & converted.is_null()
        if f.type in _CODED:
            converted, bad = _by_distinct(staged, name, f, converted, bad)
        exprs += [pl.col(name).alias(RAW + name), converted.alias(name), bad.alias(BAD + name)]
    return staged.with_columns(exprs)


def _by_distinct(
    staged: pl.DataFrame, name: str, f: Field, converted: pl.Expr, bad: pl.Expr
) -> tuple[pl.Expr, pl.Expr]:
    """The conversion and bad-flag expressions, evaluated on distinct values then looked up."""
    if f.type == Type.CODES:  # looked up as "AS,WH", split back into a list afterwards
        converted = converted.list.join(",")
    table = staged.select(pl.col(name).unique().drop_nulls()).with_columns(
        converted.alias("__converted"), bad.alias("__bad")
    )
    old = table.get_column(name)
    dtype = pl.String() if f.type == Type.CODES else DTYPES[f.type]
    looked_up = pl.col(name).replace_strict(
        old, table.get_column("__converted"), default=None, return_dtype=dtype
    )
    # Most files have no bad value at all: then the flag is a constant, not a second lookup.
    bad_values = table.filter(pl.col("__bad")).get_column(name)
    flags = (
        pl.col(name).is_in(bad_values.implode()).fill_null(False)
        if len(bad_values)
        else pl.lit(False)
    )
    if f.type == Type.CODES:
        looked_up = looked_up.str.split(",")
    return looked_up, flags


def _mapped(raw: pl.Expr, values: dict[str, str], f: Field) -> pl.Expr:
    """The value map applied (ignoring case); an empty target means no value."""
    if not values:
        return raw
    lookup = {k.strip().lower(): canonical_text(f, v) or None for k, v in values.items()}
    lowered = raw.str.to_lowercase()
    target = lowered.replace_strict(
        list(lookup), list(lookup.values()), default=None, return_dtype=pl.String
    )
    return pl.when(lowered.is_in(list(lookup)).fill_null(False)).then(target).otherwise(raw)


# ---------------------------------------------------------------------------------------
# Row checks
# ---------------------------------------------------------------------------------------

RowDict = dict[str, object]


@dataclass
class Check:
    kind: str
    field: str  # the canonical field whose source column and text the problem shows
    mask: pl.Expr  # true on offending rows
    message: Callable[[RowDict], str]
    severity: str = "error"


def _checks(ctx: _Context, known_schools: set[str] | None) -> list[Check]:
    out: list[Check] = []
    for name in ctx.present:
        out += _value_checks(ctx.fields[name])
    out += _impossible_checks(ctx)
    if known_schools is not None and "school_code" in ctx.present:
        out.append(_school_check(known_schools))
    return out


_BAD_KIND = {
    Type.CODE: "bad_code",
    Type.CODES: "bad_code",
    Type.BOOLEAN: "bad_boolean",
    Type.YEAR: "bad_year",
    Type.NUMBER: "bad_number",
    Type.INTEGER: "bad_number",
}


def _value_checks(f: Field) -> list[Check]:
    """Text that does not convert; required fields left empty."""
    out = []
    if f.type in _BAD_KIND:
        bad = pl.col(BAD + f.name)
        out.append(Check(_BAD_KIND[f.type], f.name, bad, lambda r: bad_message(f, _raw(r, f))))
    if f.required:
        empty = pl.col(f.name).is_null() & pl.col(BAD + f.name).not_()
        message = f"{f.label} is required, but this row has none."
        out.append(Check("missing_value", f.name, empty, lambda _r: message))
    return out


def bad_message(f: Field, value: str) -> str:
    """Why a source value is not accepted, and how to fix it."""
    add = f"or add '{value}' to the mapping's values for {f.name}"
    match f.type:
        case Type.CODE | Type.CODES:
            codes = ", ".join(f.codes)
            return f"'{value}' is not a {f.label.lower()} Headway knows. Use one of {codes}, {add}."
        case Type.BOOLEAN:
            return f"'{value}' is not a yes/no value for {f.label}. Use Yes/No, Y/N or 1/0, {add}."
        case Type.YEAR:
            return f"'{value}' is not a school year. Write it like 2024-25 or 2024_2025, {add}."
        case _:
            return f"{f.label} must be a number; '{value}' is not one."


def _raw(row: RowDict, f: Field) -> str:
    value = row.get(RAW + f.name)
    return "" if value is None else str(value)


def _impossible_checks(ctx: _Context) -> list[Check]:
    out = []
    for name in ctx.present:
        f = ctx.fields[name]
        if f.type in (Type.NUMBER, Type.INTEGER):
            out.append(_negative_check(f))
    if "days_present" in ctx.present and "days_enrolled" in ctx.staged:
        out.append(_days_check())
    if {"grade", "grade_tested"} <= set(ctx.present):
        out.append(_grade_gap_check())
    return out


def _negative_check(f: Field) -> Check:
    message = f"{f.label} cannot be negative."
    return Check("impossible_value", f.name, pl.col(f.name) < 0, lambda _row: message)


def _days_check() -> Check:
    def message(row: RowDict) -> str:
        present, enrolled = row[RAW + "days_present"], row[RAW + "days_enrolled"]
        return f"Days present ({present}) is more than days enrolled ({enrolled})."

    mask = pl.col("days_present") > pl.col("days_enrolled")
    return Check("impossible_value", "days_present", mask, message)


def _grade_gap_check() -> Check:
    def order(name: str) -> pl.Expr:
        return pl.col(name).replace_strict(GRADE_ORDER, default=None, return_dtype=pl.Int8)

    def message(row: RowDict) -> str:
        return (
            f"Grade tested ({row['grade_tested']}) is more than {MAX_GRADE_GAP} grades from "
            f"the enrolled grade ({row['grade']}); check that both are right."
        )

    gap = (order("grade_tested").cast(pl.Int16) - order("grade").cast(pl.Int16)).abs()
    return Check("impossible_value", "grade_tested", gap > MAX_GRADE_GAP, message, "warning")


def _school_check(known: set[str]) -> Check:
    listed = sorted(known)

    def message(row: RowDict) -> str:
        code = row["school_code"]
        if not listed:
            return f"School {code} is not set up in Headway yet; add the school first."
        if len(listed) <= 20:
            return f"School {code} is not one of the district's schools ({', '.join(listed)})."
        return (
            f"School {code} is not one of the district's {len(listed)} schools; "
            "add the school in Headway or correct the code."
        )

    mask = pl.col("school_code").is_in(listed).not_()
    return Check("unknown_school", "school_code", mask, message)


def _run(frame: pl.DataFrame, checks: list[Check], ctx: _Context, report: Report) -> None:
    """Count every check in one pass; build details only for checks that found something."""
    if not checks:
        return
    counts = frame.select(c.mask.fill_null(False).sum().alias(str(i)) for i, c in enumerate(checks))
    for check_, total in zip(checks, counts.row(0), strict=True):
        if total:
            offending = frame.lazy().filter(check_.mask.fill_null(False))
            rows = offending.head(DETAIL_PER_CHECK).collect()  # stops early on big files
            problems = [_problem(check_, row, ctx) for row in rows.to_dicts()]
            add_all(report, problems, total)


def _problem(check_: Check, row: RowDict, ctx: _Context) -> Problem:
    return Problem(
        check_.kind,
        check_.message(row),
        file=ctx.file,
        row=_int(row[ROW]),
        column=ctx.column(_int(row[SLOT]), check_.field),
        value=_raw(row, ctx.fields[check_.field]),
        severity=check_.severity,
    )


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value


def add_all(report: Report, problems: list[Problem], total: int) -> None:
    """Add a few detailed problems that stand for ``total`` occurrences, counted exactly."""
    for problem in problems[:-1]:
        report.add(problem)
    report.add(problems[-1], count=total - len(problems) + 1)


# ---------------------------------------------------------------------------------------
# Derived fields and tables
# ---------------------------------------------------------------------------------------


def _derive(frame: pl.DataFrame, kind: Kind, ctx: _Context) -> pl.DataFrame:
    """Fields Headway computes, on the finished table's rows."""
    if kind == Kind.RESULTS:
        return _derive_results(frame, ctx)
    if kind == Kind.STUDENTS and {"race", "hispanic"} & set(ctx.staged):
        return frame.with_columns(_race_ethnicity(frame))
    if kind == Kind.ATTENDANCE:
        enrolled, present = pl.col("days_enrolled"), pl.col("days_present")
        share = (enrolled - present) / enrolled
        absent = pl.when(enrolled > 0).then(share >= CHRONIC_ABSENCE_SHARE)
        return frame.with_columns(absent.alias("chronically_absent"))
    return frame


def _derive_results(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """tested, proficient; "not tested" levels (No Score) become tested=false, no level."""
    m = ctx.mapping
    level = pl.col("performance_level")
    raw = RAW + "performance_level"
    source = raw if raw in frame.columns else "performance_level"
    not_tested = pl.col(source).is_in(_spellings(frame, source, m.not_tested_levels))
    not_tested = not_tested.fill_null(False)
    has_result = level.is_not_null() | pl.col("scale_score").is_not_null()
    tested = pl.when(not_tested).then(False).otherwise(pl.coalesce(pl.col("tested"), has_result))
    kept_level = pl.when(not_tested.not_()).then(level)
    proficient_levels = _spellings(frame, "performance_level", m.proficient_levels)
    proficient = pl.when(tested & kept_level.is_not_null()).then(
        kept_level.is_in(proficient_levels)
    )
    return frame.with_columns(
        tested.alias("tested"),
        kept_level.alias("performance_level"),
        proficient.alias("proficient"),
    )


def _spellings(frame: pl.DataFrame, column: str, levels: list[str]) -> list[str]:
    """The column's values that are one of ``levels``, ignoring case: found among the few
    distinct values, so millions of rows are not lowercased one by one."""
    wanted = [v.lower() for v in levels]
    values = frame.select(pl.col(column).cast(pl.String).unique().drop_nulls().alias("v"))
    return values.filter(pl.col("v").str.to_lowercase().is_in(wanted)).get_column("v").to_list()


def _race_ethnicity(frame: pl.DataFrame) -> pl.Expr:
    """The reporting category (schema.race_ethnicity) as one expression over the columns."""
    race, count = pl.col("race"), pl.col("race").list.len().fill_null(0)
    return (
        pl.when(pl.col("hispanic").fill_null(False))
        .then(pl.lit("HI"))
        .when(count >= 2)
        .then(pl.lit("MU"))
        .when(count == 1)
        .then(race.list.first())
        .otherwise(pl.lit("NR"))
        .alias("race_ethnicity")
    )


def _fill_missing(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """Typed null columns for canonical fields this file does not give."""
    missing = {n: f for n, f in ctx.fields.items() if n not in frame.columns}
    return frame.with_columns(pl.lit(None, DTYPES[f.type]).alias(n) for n, f in missing.items())


def _table(frame: pl.DataFrame, kind: Kind, ctx: _Context, report: Report) -> pl.DataFrame:
    """The file's finest table keeps every row (duplicates are errors); the others take the
    first row per key (a long results file repeats each student-year once per subject)."""
    finest = max(ctx.mapping.kinds, key=lambda k: len(UNIQUE[k]))
    if kind == finest:
        _duplicates(frame, kind, ctx, report)
        rows = frame
    else:
        rows = _first_per_key(frame, kind, ctx, report)
    rows = _derive(rows, kind, ctx)
    return rows.select(pl.col(n).cast(dtype) for n, dtype in table_schema(kind).items())


def _key_text(row: RowDict, kind: Kind) -> str:
    """ "student 1000372, 2022-23, math" for messages."""
    parts = [f"student {row['student_id']}"]
    for name in UNIQUE[kind][1:]:
        value = row.get(name)
        if value is not None:
            parts.append(year_label(_int(value)) if name == "school_year" else str(value))
    return ", ".join(parts)


def _duplicates(frame: pl.DataFrame, kind: Kind, ctx: _Context, report: Report) -> None:
    """Rows with the same key: every one of them is reported, naming the others."""
    key = list(UNIQUE[kind])
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in key if ctx.fields[k].required)
    mask = pl.struct(key).is_duplicated() & complete
    # Equal keys hash alike: the exact comparison runs only on rows whose key hash repeats.
    maybe = frame.select(ROW, SLOT, *key, RAW + "student_id").filter(
        pl.struct(key).hash().is_duplicated()
    )
    dups = maybe.filter(mask)
    if dups.is_empty():
        return
    head = dups.head(DETAIL_PER_CHECK)
    groups = dups.join(head.select(key), on=key, how="semi", nulls_equal=True)
    rows = groups.group_by(key).agg(pl.col(ROW).unique().sort().alias("__rows"))
    head = head.join(rows, on=key, how="left", nulls_equal=True, maintain_order="left")
    problems = [_duplicate(row, kind, ctx) for row in head.to_dicts()]
    add_all(report, problems, dups.height)


def _listed(rows: list[object], most: int = 10) -> str:
    """ "4, 9 and 12"; long lists end "… and 40 more"."""
    if len(rows) > most:
        return ", ".join(str(r) for r in rows[:most]) + f" and {len(rows) - most} more"
    return ", ".join(str(r) for r in rows[:-1]) + f" and {rows[-1]}"


_NOUN = {
    Kind.STUDENTS: "student record",
    Kind.RESULTS: "test result",
    Kind.ATTENDANCE: "attendance record",
    Kind.DISCIPLINE: "discipline record",
    Kind.CLASSES: "class enrollment",
}


def _duplicate(row: RowDict, kind: Kind, ctx: _Context) -> Problem:
    rows = row["__rows"]
    assert isinstance(rows, list)
    what = f"the same {_NOUN[kind]} ({_key_text(row, kind)})"
    if len(rows) == 1:
        message = (
            f"Row {rows[0]} gives {what} twice, from different period columns: each period "
            "needs its own school year (set school_year per column in wide.constants_by_group)."
        )
    else:
        message = f"Rows {_listed(rows)} are {what}: keep only one."
    return Problem(
        "duplicate",
        message,
        file=ctx.file,
        row=_int(row[ROW]),
        column=ctx.column(_int(row[SLOT]), "student_id"),
        value=_raw(row, ctx.fields["student_id"]),
    )


# A school's name follows its code, which is compared already: one warning, not two.
_NOT_COMPARED = frozenset({"school_name"})


def _first_per_key(frame: pl.DataFrame, kind: Kind, ctx: _Context, report: Report) -> pl.DataFrame:
    """One row per key, the earliest in the file; warn where a key's rows disagree.

    Sorting by key then comparing each row with the one before is linear after the sort,
    where a group-by counting distinct values per field slows down badly on millions of keys.
    """
    key = list(UNIQUE[kind])
    names = [
        f.name
        for f in TABLES[kind]
        if f.name in ctx.present and f.name not in key and f.name not in _NOT_COMPARED
    ]
    keep = [ROW, SLOT, *(f.name for f in TABLES[kind] if f.name in frame.columns)]
    # Only the key is sorted; each compared field is put in key order on its own, so the
    # whole table is never copied in key order at once (that copy was the import's peak).
    order = frame.select(*key, ROW, SLOT).with_row_index(INDEX).sort([*key, ROW, SLOT])
    same = pl.all_horizontal(pl.col(k).eq_missing(pl.col(k).shift()) for k in key)
    order = order.with_columns(same.not_().cum_sum().alias(GROUP))
    index = order.get_column(INDEX)
    for name in names:
        ordered = order.with_columns(frame.get_column(name).gather(index))
        differs = same & pl.col(name).ne_missing(pl.col(name).shift())
        total = ordered.select(pl.col(GROUP).filter(differs).n_unique()).item()
        if total:
            ordered = ordered.with_columns(frame.get_column(RAW + name).gather(index))
            add_all(report, _conflict_problems(ordered, name, ctx), total)
    firsts = order.filter(same.not_()).get_column(INDEX)
    return frame.select(pl.col(keep).gather(firsts))


def _conflict_problems(ordered: pl.DataFrame, name: str, ctx: _Context) -> list[Problem]:
    """For the first conflicting keys: the first row and the first row that differs from it."""
    first = pl.col(name).first().over(GROUP)
    differs = pl.col(name).ne_missing(first)
    groups = ordered.filter(differs).get_column(GROUP).unique(maintain_order=True)
    rows = ordered.filter(pl.col(GROUP).is_in(groups.head(DETAIL_PER_CHECK).implode()))
    firsts = [pl.col(c).first().over(GROUP).alias(f"__first{c}") for c in (ROW, RAW + name)]
    rows = (
        rows.with_columns(firsts).filter(differs).unique(GROUP, keep="first", maintain_order=True)
    )
    return [_conflict(row, name, ctx) for row in rows.to_dicts()]


def _conflict(row: RowDict, name: str, ctx: _Context) -> Problem:
    f = ctx.fields[name]
    first, later = row[f"__first{RAW}{name}"], row[RAW + name]
    year = year_label(_int(row["school_year"]))
    message = (
        f"Student {row['student_id']} has different {f.label.lower()} values in {year}: "
        f"'{first or ''}' in row {row[f'__first{ROW}']} and '{later or ''}' in row {row[ROW]}. "
        "Headway keeps the first."
    )
    return Problem(
        "conflicting_student",
        message,
        file=ctx.file,
        row=_int(row[ROW]),
        column=ctx.column(_int(row[SLOT]), name),
        value="" if later is None else str(later),
        severity="warning",
    )
