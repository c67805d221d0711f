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
from polars.expr.whenthen import ChainedThen, Then

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
from headway.data.core.keyed import (
    GROUP,
    INDEX,
    MAX_NEAR,
    SAME,
    Groups,
    key_groups,
    repeated_nearby,
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
    STUDENT_KINDS,
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
STUDENT_YEAR = UNIQUE[Kind.STUDENTS]  # every student table's key starts with it
POSITION = "__position_"  # prefix: where a coded field's value is among its distinct values
COMPARED = "__compared_"  # prefix: a number per distinct value of a list field, to compare rows
SAMPLE_ROWS = 20_000  # rows sampled for a coded field's distinct values
FEW_VALUES = 4  # up to this many distinct values, a lookup compares with each in turn
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
    tables = _tables(filled, ctx, report)
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
    # List fields are held as COMPARED numbers until a table needs them: their lists by number.
    lists: dict[str, pl.Series] = field(default_factory=dict)

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
    names = [n for n in staged.columns if n in ctx.fields]
    coded = [n for n in names if ctx.fields[n].type in _CODED]
    frame, distinct = _with_positions(staged, coded)
    exprs = [pl.col(name).alias(RAW + name) for name in names]
    for name in names:
        f = ctx.fields[name]
        if f.type in _CODED:
            exprs += _by_distinct(distinct[name], f, ctx, *_conversion(name, f, ctx, plain=True))
        else:
            plain = f.type in _NUMERIC or is_plain(f, staged.get_column(name))
            exprs += _converted(name, f, ctx, plain=plain)
    # Lazily, so that a conversion both kept and checked for failure runs once; in memory,
    # as the streaming engine would cut the columns into new pieces, and eager steps on
    # columns cut differently copy them all into one piece each first.
    lazy = frame.lazy().with_columns(exprs).drop(POSITION + n for n in coded)
    converted = lazy.collect(engine="in-memory")
    # Numbers were converted as plain ones; thousands separators make them fail, and then
    # the column is converted again with the clean-up (is_plain would read every row).
    again = [n for n in names if ctx.fields[n].type in _NUMERIC and converted[BAD + n].any()]
    exprs = [e for n in again for e in _converted(RAW + n, ctx.fields[n], ctx, plain=False)]
    return converted.with_columns(exprs) if exprs else converted


_NUMERIC = (Type.NUMBER, Type.INTEGER, Type.SHARE)


def _conversion(source: str, f: Field, ctx: _Context, *, plain: bool) -> tuple[pl.Expr, pl.Expr]:
    """The converted value of field ``f`` from the text column ``source``, and its bad flag.
    A share the mapping lists under ``percents`` is read as 0–100 and stored as 0–1."""
    value = _mapped(pl.col(source), ctx.mapping.values.get(f.name, {}), f)
    converted = convert(f, value, plain=plain)
    bad = value.is_not_null() & converted.is_null()
    if f.name in ctx.mapping.percents:
        converted = converted / 100
    return converted, bad


def _converted(source: str, f: Field, ctx: _Context, *, plain: bool) -> list[pl.Expr]:
    converted, bad = _conversion(source, f, ctx, plain=plain)
    return [converted.alias(f.name), bad.alias(BAD + f.name)]


def _with_positions(
    staged: pl.DataFrame, names: list[str]
) -> tuple[pl.DataFrame, dict[str, pl.Series]]:
    """Each field's distinct values, and a POSITION column: where each row's value is among them.

    For speed: the values a sample of rows holds are looked up in one pass (compared one
    by one when there are very few), several times faster than hashing every row twice
    (unique, then replace_strict). A field whose sample missed a value is looked up again
    with all of its values.
    """
    distinct = {n: _sampled(staged.get_column(n)) for n in names}
    positions = staged.select(_position(n, distinct[n]) for n in names)
    for name in names:
        if positions.get_column(POSITION + name).null_count() > staged[name].null_count():
            distinct[name] = staged.get_column(name).drop_nulls().unique()
            positions = positions.with_columns(staged.select(_position(name, distinct[name])))
    return staged.hstack(positions), distinct


def _sampled(column: pl.Series) -> pl.Series:
    return column.gather_every(max(1, column.len() // SAMPLE_ROWS)).drop_nulls().unique()


def _position(name: str, values: pl.Series) -> pl.Expr:
    column = pl.col(name)
    if not 0 < len(values) <= FEW_VALUES:
        return column.cast(pl.Enum(values), strict=False).to_physical().alias(POSITION + name)
    position: Then | ChainedThen = pl.when(column == values[0]).then(pl.lit(0, pl.UInt8))
    for i, value in enumerate(values[1:], 1):
        position = position.when(column == value).then(pl.lit(i, pl.UInt8))
    return position.alias(POSITION + name)


def _by_distinct(
    values: pl.Series, f: Field, ctx: _Context, converted: pl.Expr, bad: pl.Expr
) -> list[pl.Expr]:
    """The field's converted column and bad flags, evaluated on distinct values then looked
    up. A list field gets a COMPARED number instead of its lists, which a table turns back
    into lists for its own rows only (for memory: a list per row is large)."""
    name = values.name
    table = values.to_frame().with_columns(converted.alias("__converted"), bad.alias("__bad"))
    position = pl.col(POSITION + name)
    # Most files have no bad value at all: then the flag is a constant, not a second lookup.
    flags = table.get_column("__bad")
    bad = pl.lit(flags).gather(position).fill_null(False) if flags.any() else pl.lit(False)
    converted_values = table.get_column("__converted").cast(DTYPES[f.type])
    if f.type != Type.CODES:
        return [pl.lit(converted_values).gather(position).alias(name), bad.alias(BAD + name)]
    # The same list gets the same number, so rows compare as numbers.
    numbers = (converted_values.list.join(",").rank("dense") - 1).cast(pl.UInt32)
    by_number = pl.DataFrame({"n": numbers, "list": converted_values}).drop_nulls("n")
    ctx.lists[name] = by_number.unique("n", keep="first").sort("n").get_column("list")
    return [pl.lit(numbers).gather(position).alias(COMPARED + name), bad.alias(BAD + name)]


def _with_lists(rows: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
    """The list fields held as COMPARED numbers, as lists again."""
    return rows.with_columns(
        pl.lit(lists).gather(pl.col(COMPARED + name)).alias(name)
        for name, lists in ctx.lists.items()
        if COMPARED + name in rows.columns
    )


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
    # A school-level file lists the state's schools, not the district's: not checked.
    about_students = any(k in STUDENT_KINDS for k in ctx.mapping.kinds)
    if known_schools is not None and about_students and "school_code" in ctx.present:
        out.append(_school_check(known_schools))
    return out


_BAD_KIND = {
    Type.CODE: "bad_code",
    Type.CODES: "bad_code",
    Type.BOOLEAN: "bad_boolean",
    Type.YEAR: "bad_year",
    Type.NUMBER: "bad_number",
    Type.INTEGER: "bad_number",
    Type.SHARE: "bad_number",
}


def _value_checks(f: Field) -> list[Check]:
    """Text that does not convert; required fields left empty."""
    out = []
    if f.type in _BAD_KIND:
        bad = pl.col(BAD + f.name)
        out.append(Check(_BAD_KIND[f.type], f.name, bad, lambda r: bad_message(f, _raw(r, f))))
    if f.required:
        value = pl.col(COMPARED + f.name if f.type == Type.CODES else f.name)
        empty = value.is_null() & pl.col(BAD + f.name).not_()
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
        elif f.type == Type.SHARE:
            out.append(_share_check(f, percent=name in ctx.mapping.percents))
    if "days_present" in ctx.present and "days_enrolled" in ctx.staged:
        out.append(_days_check())
    if {"grade", "grade_tested"} <= set(ctx.present):
        out.append(_grade_gap_check())
    return out


def _negative_check(f: Field) -> Check:
    message = f"{f.label} cannot be negative."
    return Check("impossible_value", f.name, pl.col(f.name) < 0, lambda _row: message)


def _share_check(f: Field, *, percent: bool) -> Check:
    """A share outside 0–1 (a percent outside 0–100 when the mapping reads percents)."""

    def message(row: RowDict) -> str:
        value = _raw(row, f)
        if percent:
            return f"{f.label} is a percent from 0 to 100; '{value}' is not."
        return (
            f"{f.label} is a share from 0 to 1; '{value}' is not. If the column gives "
            f"percents (0-100), list {f.name} under percents in the mapping."
        )

    mask = pl.col(f.name).is_between(0, 1).not_()
    return Check("impossible_value", f.name, mask, message)


def _days_check() -> Check:
    def message(row: RowDict) -> str:
        present, enrolled = row[RAW + "days_present"], row[RAW + "days_enrolled"]
        return f"Days present ({present}) is more than days enrolled ({enrolled})."

    mask = pl.col("days_present") > pl.col("days_enrolled")
    return Check("impossible_value", "days_present", mask, message)


def _grade_gap_check() -> Check:
    def order(name: str) -> pl.Expr:
        # For memory and speed: a lookup by position, not a hash table of every row's text.
        grades = pl.Enum(list(GRADE_ORDER))
        position = pl.col(name).cast(grades, strict=False).to_physical()
        return pl.lit(pl.Series(list(GRADE_ORDER.values()), dtype=pl.Int8)).gather(position)

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
    missing = {n: f for n, f in ctx.fields.items() if n not in {*frame.columns, *ctx.lists}}
    return frame.with_columns(pl.lit(None, DTYPES[f.type]).alias(n) for n, f in missing.items())


def _tables(frame: pl.DataFrame, ctx: _Context, report: Report) -> dict[Kind, pl.DataFrame]:
    """The file's finest table keeps every row (duplicates are errors); the others take the
    first row per key (a long results file repeats each student-year once per subject)."""
    finest = max(ctx.mapping.kinds, key=lambda k: len(UNIQUE[k]))
    grouped: dict[tuple[str, ...], Groups] = {}

    def groups(key: tuple[str, ...]) -> Groups:
        if key not in grouped:
            grouped[key] = key_groups(frame, list(key), carry=[ROW, SLOT])
        return grouped[key]

    tables = {}
    for kind in ctx.mapping.kinds:
        if kind == finest:
            _duplicates(frame, kind, ctx, report, groups(_leading(kind)))
            rows = frame
        else:
            rows = _first_per_key(frame, kind, ctx, report, groups(UNIQUE[kind]))
        rows = _derive(_with_lists(rows, ctx), kind, ctx)
        tables[kind] = rows.select(pl.col(n).cast(dtype) for n, dtype in table_schema(kind).items())
    return tables


def _leading(kind: Kind) -> tuple[str, ...]:
    """The key columns rows are grouped by: the student-year, or a school table's whole key."""
    return STUDENT_YEAR if kind in STUDENT_KINDS else UNIQUE[kind]


def _key_text(row: RowDict, kind: Kind) -> str:
    """ "student 1000372, 2022-23, math" (a school table: "school 4937, 2000-01") for messages."""
    who = UNIQUE[kind][0]
    parts = [f"{'student' if who == 'student_id' else 'school'} {row[who]}"]
    for name in UNIQUE[kind][1:]:
        value = row.get(name)
        if value is not None:
            parts.append(year_label(_int(value)) if name == "school_year" else str(value))
    return ", ".join(parts)


def _duplicates(
    frame: pl.DataFrame, kind: Kind, ctx: _Context, report: Report, groups: Groups
) -> None:
    """Rows with the same key: every one of them is reported, naming the others."""
    key = list(UNIQUE[kind])
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in key if ctx.fields[k].required)
    columns = frame.select(ROW, SLOT, *key, RAW + key[0])
    if groups.in_file_order and groups.longest <= MAX_NEAR:
        repeated = repeated_nearby(columns, key, groups, first=_leading(kind))
        dups = columns.filter(repeated & complete)
    else:
        # Equal keys hash alike: the exact comparison runs only on rows whose key hash repeats.
        maybe = columns.filter(pl.struct(key).hash().is_duplicated())
        dups = maybe.filter(pl.struct(key).is_duplicated() & complete)
    if dups.is_empty():
        return
    head = dups.head(DETAIL_PER_CHECK)
    involved = dups.join(head.select(key), on=key, how="semi", nulls_equal=True)
    rows = involved.group_by(key).agg(pl.col(ROW).unique().sort().alias("__rows"))
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
    Kind.SCHOOLS: "school record",
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
        column=ctx.column(_int(row[SLOT]), UNIQUE[kind][0]),
        value=_raw(row, ctx.fields[UNIQUE[kind][0]]),
    )


# A school's name follows its code, which is compared already: one warning, not two.
_NOT_COMPARED = frozenset({"school_name"})


def _first_per_key(
    frame: pl.DataFrame, kind: Kind, ctx: _Context, report: Report, groups: Groups
) -> pl.DataFrame:
    """One row per key, the earliest in the file; warn where a key's rows disagree.

    With the rows grouped by key, comparing each row with the one before is linear, where a
    group-by counting distinct values per field slows down badly on millions of keys.
    """
    key = list(UNIQUE[kind])
    names = [
        f.name
        for f in TABLES[kind]
        if f.name in ctx.present and f.name not in key and f.name not in _NOT_COMPARED
    ]
    keep = [ROW, SLOT, *(_compared(frame, f.name) for f in TABLES[kind])]
    keep = [c for c in keep if c in frame.columns]
    for name, total in _conflict_counts(frame, groups, names).items():
        if total:
            ordered = groups.frame.with_columns(
                groups.column(frame, _compared(frame, name)).alias(name),
                groups.column(frame, RAW + name),
            )
            add_all(report, _conflict_problems(ordered, name, key, ctx), total)
    if groups.in_file_order:
        return frame.select(keep).filter(groups.frame.get_column(SAME).not_())
    firsts = groups.frame.filter(pl.col(SAME).not_()).get_column(INDEX).sort()
    return frame.select(pl.col(keep).gather(firsts))


def _conflict_counts(frame: pl.DataFrame, groups: Groups, names: list[str]) -> dict[str, int]:
    """Per compared field, how many keys have rows that disagree on it."""

    def count(name: str) -> pl.Expr:
        differs = pl.col(SAME) & pl.col(name).ne_missing(pl.col(name).shift())
        return pl.col(GROUP).filter(differs).n_unique().alias(name)

    def column(name: str) -> pl.Series:
        return groups.column(frame, _compared(frame, name)).alias(name)

    if groups.in_file_order:  # the columns are used as they are: all fields at once
        compared = groups.frame.with_columns(column(n) for n in names)
        return compared.select(count(n) for n in names).row(0, named=True)
    # One field at a time: the whole table is never copied in key order at once (that copy
    # was the import's peak).
    return {n: groups.frame.with_columns(column(n)).select(count(n)).item() for n in names}


def _compared(frame: pl.DataFrame, name: str) -> str:
    """The column to compare rows on: a list field's COMPARED stand-in when it has one."""
    return COMPARED + name if COMPARED + name in frame.columns else name


def _conflict_problems(
    ordered: pl.DataFrame, name: str, key: list[str], ctx: _Context
) -> list[Problem]:
    """For the first conflicting keys in key order: the first row and the first row that
    differs from it."""
    adjacent = pl.col(SAME) & pl.col(name).ne_missing(pl.col(name).shift())
    conflicting = ordered.filter(adjacent).unique(GROUP).sort(key).head(DETAIL_PER_CHECK)
    rows = ordered.filter(pl.col(GROUP).is_in(conflicting.get_column(GROUP).implode()))
    first = pl.col(name).first().over(GROUP)
    firsts = [pl.col(c).first().over(GROUP).alias(f"__first{c}") for c in (ROW, RAW + name)]
    rows = rows.with_columns(firsts).filter(pl.col(name).ne_missing(first))
    rows = rows.unique(GROUP, keep="first", maintain_order=True).sort(key)
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
