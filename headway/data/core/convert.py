"""Turning source text into canonical values, one Polars expression per field type.

Every converter takes a String expression (already stripped, empty → null) and returns
the canonical dtype, null where the text cannot be understood. Callers find bad values as
"had text, got null". The same expressions check single values (constants, value-map
targets) through ``convert_one``, so the rules live in one place.
"""

from __future__ import annotations

import polars as pl

from headway.data.core.schema import GRADES, Field, Type

# Identifier fields: spreadsheets and R export numbers as "27.0"; that is the same ID as "27".
ID_FIELDS = frozenset({"student_id", "school_code", "class_id", "teacher_id"})


def is_plain(f: Field, column: pl.Series) -> bool:
    """True when the column needs none of the text clean-up ``convert`` would do for ``f``:
    no "27.0" endings in an ID column, no thousands separators in a number column."""
    if f.type == Type.TEXT and f.name in ID_FIELDS:
        return not column.str.ends_with(".0").any()
    if f.type in (Type.NUMBER, Type.INTEGER, Type.SHARE):
        return not column.str.contains(",", literal=True).any()
    return True


TRUE_WORDS = ("yes", "y", "true", "t", "1", "1.0")
FALSE_WORDS = ("no", "n", "false", "f", "0", "0.0")
_BOOLEANS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}

_GRADE_WORDS = {
    "K": "KG",
    "KINDER": "KG",
    "KINDERGARTEN": "KG",
    "PREK": "PK",
    "PRE-K": "PK",
    "PRE K": "PK",
    "PREKINDERGARTEN": "PK",
    "PRE-KINDERGARTEN": "PK",
    "TRANSITIONAL KINDERGARTEN": "TK",
    "UNGRADED": "UG",
    "POSTSECONDARY": "PS",
}
# Ordinal position of each grade code, for "how far apart are two grades".
GRADE_ORDER = {"IT": -3, "PR": -2, "PK": -1, "TK": 0, "KG": 0} | {
    f"{g:02d}": g for g in range(1, 14)
}

DTYPES: dict[Type, pl.DataType] = {
    Type.TEXT: pl.String(),
    Type.INTEGER: pl.Int32(),
    Type.NUMBER: pl.Float64(),
    Type.SHARE: pl.Float64(),
    Type.BOOLEAN: pl.Boolean(),
    Type.YEAR: pl.Int16(),
    Type.CODE: pl.String(),
    Type.CODES: pl.List(pl.String()),
}

_YEAR_RANGE = r"^\D{0,4}(\d{4})\s*[-_/–]\s*(\d{2}|\d{4})$"
_BARE_YEAR = r"^(\d{4})(?:\.0+)?$"


def clean(expr: pl.Expr) -> pl.Expr:
    """Strip spaces; an empty cell is a missing value."""
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text != "").then(text)


def unclean(expr: pl.Expr) -> pl.Expr:
    """True on the text values ``clean`` would change: surrounding whitespace (the Unicode
    White_Space that strip_chars removes) or empty text. A regex match builds no new text."""
    return expr.str.contains(r"^\s|\s$") | (expr == "")


def convert(f: Field, value: pl.Expr, *, plain: bool = False) -> pl.Expr:
    """The canonical value of ``value`` for field ``f`` (null when not understood).

    ``plain``: the caller knows the column has no "," and no ".0" endings, so the
    clean-up of thousands separators and "27.0" IDs is skipped (costly on millions of rows).
    """
    match f.type:
        case Type.TEXT:
            return value if plain else _text(f, value)
        case Type.NUMBER | Type.SHARE:
            return _number(value, plain)
        case Type.INTEGER:
            return _integer(value, plain)
        case Type.BOOLEAN:
            return boolean(value)
        case Type.YEAR:
            return school_year(value)
        case Type.CODE:
            return grade(value) if f.codes == GRADES else _code(value, f.codes)
        case Type.CODES:
            return _codes(value, f.codes)


def convert_one(f: Field, text: str) -> object:
    """Convert a single value with the column rules (None when not understood)."""
    frame = pl.DataFrame({"v": [text]}, schema={"v": pl.String})
    return frame.select(convert(f, clean(pl.col("v")))).item()


def _text(f: Field, value: pl.Expr) -> pl.Expr:
    if f.name in ID_FIELDS:
        return value.str.replace(r"^(\d+)\.0+$", "${1}")
    return value


def _number(value: pl.Expr, plain: bool = False) -> pl.Expr:
    text = value if plain else value.str.replace_all(",", "", literal=True)
    number = text.cast(pl.Float64, strict=False)
    return pl.when(number.is_finite()).then(number)


def _integer(value: pl.Expr, plain: bool = False) -> pl.Expr:
    number = _number(value, plain)
    whole = (number == number.floor()) & (number.abs() < 2**31)
    return pl.when(whole).then(number).cast(pl.Int32)


def boolean(value: pl.Expr) -> pl.Expr:
    """Yes/No, Y/N, True/False, 1/0, also prefixed by a label ("ELL: Yes")."""
    word = value.str.to_lowercase().str.replace(r"^[^:]*:\s*", "")
    return word.replace_strict(_BOOLEANS, default=None, return_dtype=pl.Boolean)


def school_year(value: pl.Expr) -> pl.Expr:
    """The year a school year starts in, from "2020_2021", "2020-21", "2020/2021" or "2021".

    A bare year is read as the year the school year ENDS in ("2021" → 2020, i.e. 2020–21):
    state files label a year by its spring, when the tests are given. Mappings write
    canonical years unambiguously as "2020-21" (see ``canonical_text``).
    """
    start = value.str.extract(_YEAR_RANGE, 1).cast(pl.Int32)
    end = value.str.extract(_YEAR_RANGE, 2)
    follows = pl.when(end.str.len_chars() == 2).then((start + 1) % 100).otherwise(start + 1)
    ranged = pl.when(follows == end.cast(pl.Int32)).then(start)
    year = pl.coalesce(ranged, value.str.extract(_BARE_YEAR, 1).cast(pl.Int32) - 1)
    return pl.when(year.is_between(1900, 2200)).then(year).cast(pl.Int16)


def grade(value: pl.Expr) -> pl.Expr:
    """CEDS grade codes from "3", "03", "3.0", "Grade 3", "3rd", "K", "Kindergarten", "PK"."""
    text = (
        value.str.to_uppercase()
        .str.replace(r"\.0+$", "")
        .str.replace(r"^(GRADE|GR\.?)\s*[-_:]?\s*", "")
        .str.replace(r"^(\d{1,2})(ST|ND|RD|TH)$", "${1}")
        .replace(_GRADE_WORDS)
    )
    code = pl.when(text.str.contains(r"^\d{1,2}$")).then(text.str.zfill(2)).otherwise(text)
    return pl.when(code.is_in(GRADES)).then(code)


def _code(value: pl.Expr, codes: tuple[str, ...]) -> pl.Expr:
    lookup = {c.lower(): c for c in codes}
    return value.str.to_lowercase().replace_strict(lookup, default=None, return_dtype=pl.String)


def _codes(value: pl.Expr, codes: tuple[str, ...]) -> pl.Expr:
    """A set of codes written "WH", "WH,BL", "WH; BL" or "WH|BL": sorted, without repeats."""
    parts = value.str.to_uppercase().str.replace_all(r"[\s;|/+&,]+", ",").str.split(",")
    parts = parts.list.eval(pl.element().filter(pl.element() != ""))
    unknown = parts.list.eval(pl.element().is_in(codes).not_()).list.any()
    good = unknown.not_() & (parts.list.len() > 0)
    return pl.when(good).then(parts.list.unique().list.sort())


def canonical_text(f: Field, text: str) -> str:
    """Rewrite a canonical value (a constant, a value-map target) so the column rules read it.

    Canonical school years are the year they START in, but the column rules read a bare year
    as the year a school year ends in; "2020" becomes "2020-21" so both agree.
    """
    text = text.strip()
    if f.type == Type.YEAR and len(text) == 4 and text.isdigit():
        return f"{text}-{(int(text) + 1) % 100:02d}"
    return text


def year_label(year: int) -> str:
    """How people write a school year: 2022 → "2022-23"."""
    return f"{year}-{(year + 1) % 100:02d}"
