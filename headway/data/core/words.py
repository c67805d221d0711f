"""Plain words for the analytical core's sentences: student groups, metrics, numbers, years.

Teachers and parents read these sentences, so they name groups the way people do ("English
learners", not english_learner=true) and print numbers the way the pages do (whole percents).
Gaps, trends, similar schools and findings all take their words from here, so one figure
is always said the same way. Each label exists once, as a dict; the Polars helpers build
sentences for whole frames and the plain functions the odd title.

Plain Python and Polars, no Django.
"""

from __future__ import annotations

import polars as pl

from headway.data.core.aggregates import ALL

EPSILON = 1e-9  # 0.285 * 100 is 28.499999999999996 in floating point; it should read 29

# Group names as they read inside a sentence; capital() starts a sentence with one.
GROUPS: dict[tuple[str, str], str] = {
    (ALL, ALL): "all students",
    ("race_ethnicity", "HI"): "Hispanic or Latino students",
    ("race_ethnicity", "MU"): "students of two or more races",
    ("race_ethnicity", "AM"): "American Indian or Alaska Native students",
    ("race_ethnicity", "AS"): "Asian students",
    ("race_ethnicity", "BL"): "Black or African American students",
    ("race_ethnicity", "PI"): "Native Hawaiian or Other Pacific Islander students",
    ("race_ethnicity", "WH"): "White students",
    ("sex", "F"): "female students",
    ("sex", "M"): "male students",
    ("sex", "X"): "nonbinary students",
}
# The students table's yes/no groups: (label for "true", label for "false").
FLAGS: dict[str, tuple[str, str]] = {
    "econ_disadvantaged": (
        "economically disadvantaged students",
        "students not economically disadvantaged",
    ),
    "disability": ("students with disabilities", "students without disabilities"),
    "english_learner": ("English learners", "students who are not English learners"),
    "homeless": ("students experiencing homelessness", "students not experiencing homelessness"),
    "foster_care": ("students in foster care", "students not in foster care"),
    "military_connected": ("military-connected students", "students not military-connected"),
    "migrant": ("migrant students", "students who are not migrants"),
    "gifted": ("gifted and talented students", "students not identified as gifted"),
}
# The groups of one group_type, for "the best result among groups by race/ethnicity".
GROUP_TYPES: dict[str, str] = {
    "race_ethnicity": "groups by race/ethnicity",
    "sex": "groups by sex",
    "econ_disadvantaged": "groups by economic status",
    "disability": "groups by disability status",
    "english_learner": "groups by English learner status",
    "homeless": "groups by housing status",
    "foster_care": "groups by foster care status",
    "military_connected": "groups by military connection",
    "migrant": "groups by migrant status",
    "gifted": "groups by gifted status",
    "combo": "the combined groups",
}
# What a value of the metric says about a group: "28% proficient", "average scale score 245".
METRICS: dict[str, str] = {
    "proficiency_rate": "proficient",
    "participation_rate": "tested",
    "chronic_absence_rate": "chronically absent",
    "suspension_rate": "suspended at least once",
    "mean_scale_score": "average scale score",
}
# What the metric is about, for titles: "math proficiency".
TOPICS: dict[str, str] = {
    "proficiency_rate": "proficiency",
    "participation_rate": "test participation",
    "chronic_absence_rate": "chronic absence",
    "suspension_rate": "suspensions",
    "mean_scale_score": "average scale score",
}
SUBJECTS: dict[str, str] = {
    "ela": "English language arts",
    "math": "math",
    "science": "science",
    "social_studies": "social studies",
    "other": "other subjects",
}
GRADES: dict[str, str] = {
    "IT": "infants and toddlers",
    "PR": "preschool",
    "PK": "pre-kindergarten",
    "TK": "transitional kindergarten",
    "KG": "kindergarten",
    "PS": "postsecondary",
    "UG": "ungraded classes",
}

# How a statistical test's answer reads (alpha 0.05, two-sided; gaps.py runs the tests);
# {} is what was tested: "difference" or "change".
SUPPORTED = "the {} is larger than chance would explain"
NOT_SUPPORTED = "the {} is within what chance alone could produce"
UNTESTED = "there is too little data to tell whether the {} is more than chance"


# --- plain functions -------------------------------------------------------------------------


def group_label(group_type: str, group_value: str) -> str:
    """A group's name inside a sentence; a combo is called by its district-given name."""
    if (group_type, group_value) in GROUPS:
        return GROUPS[(group_type, group_value)]
    if group_type in FLAGS and group_value in ("true", "false"):
        return FLAGS[group_type][0 if group_value == "true" else 1]
    return group_value if group_type == "combo" else f"{group_type} {group_value}"


def capital(text: str) -> str:
    """The text as a sentence starts it; the rest is kept ("English learners" stays)."""
    return text[:1].upper() + text[1:]


def topic(metric: str, subject: str, grade: str = ALL) -> str:
    """What a figure is about, for titles: "math proficiency in grade 3"."""
    what = TOPICS.get(metric, metric.replace("_", " "))
    if subject != ALL:
        what = f"{SUBJECTS.get(subject, subject)} {what}"
    return what if grade == ALL else f"{what} in {grade_label(grade)}"


def grade_label(grade: str) -> str:
    """ "grade 3" for "03", "kindergarten" for "KG"."""
    if grade.isdigit():
        return f"grade {int(grade)}"
    return GRADES.get(grade, f"grade {grade}")


def whole_number(x: float) -> int:
    """x rounded half away from zero, as every sentence prints numbers."""
    rounded = int(abs(x) + 0.5 + EPSILON)
    return rounded if x >= 0 else -rounded


def shown_number(value: float, rate: bool) -> int:
    """The whole number a page prints for a value: a percent for rates."""
    return whole_number(value * 100 if rate else value)


def amount_text(value: float, rate: bool) -> str:
    """ "28%" for a rate of 0.28, "245" for a mean."""
    return f"{shown_number(value, rate)}{'%' if rate else ''}"


def points_text(points: int) -> str:
    """ "19 points", "1 point"."""
    return f"{abs(points)} point{'' if abs(points) == 1 else 's'}"


def about(points: int) -> str:
    """points_text, or "less than 1 point" for a difference that prints as 0."""
    return points_text(points) if points else "less than 1 point"


# --- Polars expressions ----------------------------------------------------------------------


def group_label_expr(group_type: pl.Expr, group_value: pl.Expr) -> pl.Expr:
    """group_label for whole columns."""
    known = {f"{t}|{v}": label for (t, v), label in GROUPS.items()}
    for flag, (yes, no) in FLAGS.items():
        known |= {f"{flag}|true": yes, f"{flag}|false": no}
    spelled = pl.concat_str([group_type, group_value], separator=" ")
    other = pl.when(group_type == "combo").then(group_value).otherwise(spelled)
    joined = pl.concat_str([group_type, group_value], separator="|")
    return joined.replace_strict(known, default=other, return_dtype=pl.String)


def capital_expr(text: pl.Expr) -> pl.Expr:
    return text.str.slice(0, 1).str.to_uppercase() + text.str.slice(1)


def group_type_expr(group_type: pl.Expr) -> pl.Expr:
    """GROUP_TYPES for whole columns: "groups by race/ethnicity"."""
    other = pl.concat_str([pl.lit("groups by"), group_type], separator=" ")
    return group_type.replace_strict(GROUP_TYPES, default=other, return_dtype=pl.String)


def whole(x: pl.Expr) -> pl.Expr:
    """whole_number for whole columns (Int64)."""
    return ((x.abs() + 0.5 + EPSILON).floor() * x.sign()).cast(pl.Int64)


def shown(value: pl.Expr, rate: pl.Expr) -> pl.Expr:
    """The whole number a page prints for a value: percent for rates (Int64)."""
    return whole(pl.when(rate).then(value * 100).otherwise(value))


def amount(value: pl.Expr, rate: pl.Expr) -> pl.Expr:
    """ "28%" for a rate of 0.28, "245" for a mean."""
    text = shown(value, rate).cast(pl.String)
    return pl.when(rate).then(text + "%").otherwise(text)


def described(value: pl.Expr, metric: pl.Expr, rate: pl.Expr) -> pl.Expr:
    """ "28% proficient", "average scale score 245"."""
    word = metric.replace_strict(METRICS, default=metric, return_dtype=pl.String)
    return (
        pl.when(rate)
        .then(pl.concat_str([amount(value, rate), word], separator=" "))
        .otherwise(pl.concat_str([word, amount(value, rate)], separator=" "))
    )


def points(k: pl.Expr) -> pl.Expr:
    """ "19 points", "1 point" for a whole number of either sign."""
    size = k.abs()
    return size.cast(pl.String) + pl.when(size == 1).then(pl.lit(" point")).otherwise(
        pl.lit(" points")
    )


def versus(k: pl.Expr, other: pl.Expr) -> pl.Expr:
    """ "19 points below all students (47%)" for k = −19 shown points; "about the same as"
    when the printed numbers agree."""
    side = pl.when(k < 0).then(pl.lit(" below ")).otherwise(pl.lit(" above "))
    return pl.when(k == 0).then("about the same as " + other).otherwise(points(k) + side + other)


def position(k: pl.Expr) -> pl.Expr:
    """Where a group stands against another, k shown points apart: "19 points below", "level"."""
    side = pl.when(k < 0).then(pl.lit(" below")).otherwise(pl.lit(" above"))
    return pl.when(k == 0).then(pl.lit("level")).otherwise(points(k) + side)


def movement(k: pl.Expr) -> pl.Expr:
    """A change of k shown points: "up 3 points", "down 1 point", "unchanged"."""
    way = pl.when(k < 0).then(pl.lit("down ")).otherwise(pl.lit("up "))
    return pl.when(k == 0).then(pl.lit("unchanged")).otherwise(way + points(k))


def chance(supported: pl.Expr, what: str = "difference") -> pl.Expr:
    """How a test's answer reads; null (not testable) reads as too little data."""
    return (
        pl.when(supported)
        .then(pl.lit(SUPPORTED.format(what)))
        .when(supported.not_())
        .then(pl.lit(NOT_SUPPORTED.format(what)))
        .otherwise(pl.lit(UNTESTED.format(what)))
    )


def year_expr(year: pl.Expr) -> pl.Expr:
    """convert.year_label for whole columns: 2024 → "2024-25"."""
    after = ((year.cast(pl.Int64) + 1) % 100).cast(pl.String).str.zfill(2)
    return pl.concat_str([year.cast(pl.String), after], separator="-")
