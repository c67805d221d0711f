"""Headway's canonical student data: the tables, their fields, types and allowed codes.

Every table but one is keyed by student (STUDENT_KINDS); ``schools`` holds public
school-level figures, one row per school and school year.

Every import is normalized to these tables, whatever the source's own vocabulary.
Plain Python, no Django: the analytical core is tested and benchmarked on its own.
docs/data.md describes the same schema for people; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """The canonical tables an import can fill."""

    STUDENTS = "students"  # one row per student and school year
    RESULTS = "results"  # one row per student, year, administration and subject
    ATTENDANCE = "attendance"  # one row per student and school year
    DISCIPLINE = "discipline"  # one row per student and school year
    CLASSES = "classes"  # one row per student, year, subject and class
    SCHOOLS = "schools"  # one row per school and school year, from public school-level files


class Type(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    SHARE = "share"  # a share of students, stored 0–1 (a mapping's ``percents`` reads 0–100)
    YEAR = "year"  # a school year, stored as the calendar year it starts in (2024 → 2024–25)
    CODE = "code"  # one of Field.codes
    CODES = "codes"  # a set of Field.codes (race)


GRADES = ("IT", "PR", "PK", "TK", "KG", *(f"{g:02d}" for g in range(1, 14)), "PS", "UG")
RACES = ("AM", "AS", "BL", "PI", "WH")  # the five OMB race categories
RACE_ETHNICITY = ("HI", "MU", *RACES, "NR")  # reporting category, derived (standards §2.3)
SEXES = ("F", "M", "X")
SUBJECTS = ("ela", "math", "science", "social_studies", "other")
# School levels: the codes of headway.orgs.models.Organization.Level (a test keeps them equal).
LEVELS = ("elementary", "middle", "high", "k8", "k12", "other")


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    label: str
    required: bool = False
    codes: tuple[str, ...] = ()
    derived: bool = False  # computed by Headway, never mapped from a source column
    help: str = ""


def _flag(name: str, label: str, help: str = "") -> Field:
    return Field(name, Type.BOOLEAN, label, help=help)


def _share(name: str, label: str, help: str) -> Field:
    return Field(name, Type.SHARE, label, help=help)


# Fields that identify the student-year; they appear in every table.
KEY = (
    Field("student_id", Type.TEXT, "Student ID", required=True),
    Field("school_year", Type.YEAR, "School year", required=True),
    Field(
        "school_code",
        Type.TEXT,
        "School code",
        required=True,
        help="The school's code as the district's files carry it.",
    ),
)

TABLES: dict[Kind, tuple[Field, ...]] = {
    Kind.STUDENTS: (
        *KEY,
        Field("grade", Type.CODE, "Grade", codes=GRADES),
        Field(
            "school_name",
            Type.TEXT,
            "School name",
            help="Only used to name schools the file has and Headway does not know yet.",
        ),
        Field(
            "race",
            Type.CODES,
            "Race",
            codes=(*RACES, "MU"),
            help="One or more of AM, AS, BL, PI, WH; MU when a file says only 'two or more'.",
        ),
        _flag("hispanic", "Hispanic or Latino"),
        Field("race_ethnicity", Type.CODE, "Race/ethnicity", codes=RACE_ETHNICITY, derived=True),
        Field("sex", Type.CODE, "Sex", codes=SEXES),
        _flag("econ_disadvantaged", "Economically disadvantaged"),
        _flag("disability", "Student with disabilities (IDEA)"),
        _flag("english_learner", "English learner"),
        _flag("homeless", "Homeless"),
        _flag("foster_care", "In foster care"),
        _flag("military_connected", "Military-connected"),
        _flag("migrant", "Migrant"),
        _flag("gifted", "Gifted and talented"),
        _flag(
            "counts_for_school",
            "Counts for the school's results",
            "Full-academic-year flag for the school.",
        ),
        _flag(
            "counts_for_district",
            "Counts for the district's results",
            "Full-academic-year flag for the district.",
        ),
    ),
    Kind.RESULTS: (
        *KEY,
        Field("window", Type.TEXT, "Administration", help="e.g. Fall, Winter, Spring."),
        Field("assessment", Type.TEXT, "Assessment", help="The test's name."),
        Field("subject", Type.CODE, "Subject", required=True, codes=SUBJECTS),
        Field("grade_tested", Type.CODE, "Grade tested", codes=GRADES),
        Field("scale_score", Type.NUMBER, "Scale score"),
        Field("performance_level", Type.TEXT, "Performance level"),
        _flag("tested", "Tested"),
        Field(
            "proficient",
            Type.BOOLEAN,
            "Proficient",
            derived=True,
            help="True when the level is one the assessment counts as proficient.",
        ),
    ),
    Kind.ATTENDANCE: (
        *KEY,
        Field("days_enrolled", Type.NUMBER, "Days enrolled", required=True),
        Field("days_present", Type.NUMBER, "Days present", required=True),
        Field(
            "chronically_absent",
            Type.BOOLEAN,
            "Chronically absent",
            derived=True,
            help="Missed at least 10% of the days enrolled.",
        ),
    ),
    Kind.DISCIPLINE: (
        *KEY,
        Field("incidents", Type.INTEGER, "Incidents"),
        Field("in_school_suspensions", Type.INTEGER, "In-school suspensions"),
        Field("out_of_school_suspensions", Type.INTEGER, "Out-of-school suspensions"),
    ),
    Kind.CLASSES: (
        *KEY,
        Field("subject", Type.CODE, "Subject", required=True, codes=SUBJECTS),
        Field("class_id", Type.TEXT, "Class", required=True),
        Field("teacher_id", Type.TEXT, "Teacher ID", required=True),
        Field("teacher_name", Type.TEXT, "Teacher name"),
    ),
    Kind.SCHOOLS: (
        Field(
            "school_code",
            Type.TEXT,
            "School code",
            required=True,
            help="The school's code in the file (a state's code for public files).",
        ),
        Field("school_year", Type.YEAR, "School year", required=True),
        Field("school_name", Type.TEXT, "School name"),
        Field("district_code", Type.TEXT, "District code"),
        Field("level", Type.CODE, "School level", codes=LEVELS),
        Field("enrollment", Type.INTEGER, "Enrollment", help="Students enrolled."),
        _share(
            "econ_share",
            "Economically disadvantaged share",
            "Share of students economically disadvantaged (e.g. free or reduced-price lunch).",
        ),
        _share("el_share", "English learner share", "Share of students learning English."),
        _share("swd_share", "Disability share", "Share of students with disabilities (IDEA)."),
        _share(
            "proficiency_rate",
            "Proficiency rate",
            "Share of tested students proficient (or satisfactory) on the file's test.",
        ),
        Field("mean_scale_score", Type.NUMBER, "Mean scale score"),
    ),
}

# The tables keyed by student; the others (schools) describe schools, not students.
STUDENT_KINDS = tuple(k for k in TABLES if any(f.name == "student_id" for f in TABLES[k]))

# The students table's yes/no student groups (Hispanic is part of race/ethnicity, and the
# counts_for_* flags say where a student counts, not who they are).
GROUP_FLAGS = tuple(
    f.name
    for f in TABLES[Kind.STUDENTS]
    if f.type == Type.BOOLEAN and f.name != "hispanic" and not f.name.startswith("counts_for")
)

# Rows are unique on these columns within a table.
UNIQUE: dict[Kind, tuple[str, ...]] = {
    Kind.STUDENTS: ("student_id", "school_year"),
    Kind.RESULTS: ("student_id", "school_year", "window", "assessment", "subject"),
    Kind.ATTENDANCE: ("student_id", "school_year", "school_code"),
    Kind.DISCIPLINE: ("student_id", "school_year", "school_code"),
    Kind.CLASSES: ("student_id", "school_year", "subject", "class_id"),
    Kind.SCHOOLS: ("school_code", "school_year"),
}

CHRONIC_ABSENCE_SHARE = 0.10


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or odd (warning) in a source file, located as precisely as known."""

    kind: str  # a short code: "missing_value", "bad_code", "duplicate", "unknown_school", …
    message: str  # what was expected, in plain words
    file: str = ""
    row: int | None = None  # 1-based data row in the source file (the header is row 0)
    column: str = ""
    value: str = ""
    severity: str = "error"  # "error" stops the import; "warning" does not


DETAIL_LIMIT = 1000


@dataclass
class Report:
    """What a check found: exact totals per (severity, kind), details for the first rows only.

    Checks run over whole columns at once; ``add`` keeps at most DETAIL_LIMIT problems
    in ``detail`` so a file with a million bad rows still gives a readable report.
    """

    detail: list[Problem] = field(default_factory=list)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, problem: Problem, count: int = 1) -> None:
        """Record ``count`` occurrences of a problem; ``problem`` is the first one's detail."""
        key = (problem.severity, problem.kind)
        self.counts[key] = self.counts.get(key, 0) + count
        if len(self.detail) < DETAIL_LIMIT:
            self.detail.append(problem)

    def extend(self, other: Report) -> None:
        for key, count in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + count
        self.detail.extend(other.detail[: max(0, DETAIL_LIMIT - len(self.detail))])

    @property
    def error_count(self) -> int:
        return sum(n for (severity, _kind), n in self.counts.items() if severity == "error")

    @property
    def warning_count(self) -> int:
        return sum(n for (severity, _kind), n in self.counts.items() if severity == "warning")

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def fields(kind: Kind) -> tuple[Field, ...]:
    return TABLES[kind]


def field_named(kind: Kind, name: str) -> Field:
    for f in TABLES[kind]:
        if f.name == name:
            return f
    raise KeyError(f"{kind} has no field {name!r}")


def race_ethnicity(races: set[str], hispanic: bool | None) -> str:
    """The reporting category: Hispanic first, then two or more races, else the single race."""
    if hispanic:
        return "HI"
    if len(races) >= 2:
        return "MU"
    if len(races) == 1:
        return next(iter(races))
    return "NR"
