"""How one source file becomes canonical tables: the mapping, its YAML form, its checks.

A mapping names the canonical tables a file fills (``kinds``), the source column behind each
canonical field (``columns``), translations of source values (``values``), fixed values
(``constants``), which performance levels count as proficient, and, for files with one
column per year or grade, how to turn them into one row per period (``wide``).

Conventions, also written at the top of every YAML file:

* Value-map targets, constants and wide period labels are canonical values: codes from
  the schema, ``true``/``false`` for flags, and school years as the year they START in
  ("2020" or "2020-21" both mean 2020–21). A bare year in a source school-year COLUMN
  means the year the school year ends in ("2021" → 2020–21); ``propose`` writes that
  translation into the value map so people can see it.
* Value-map keys match source values ignoring case and surrounding spaces; an empty
  target means "no value" (e.g. "Other" → no race).
* ``columns["student_id"] = "__row__"`` generates IDs "row-<n>" from the source row
  number, for files without student IDs (study data such as Project STAR).
* ``filters`` keeps only rows whose source column holds one of the listed values
  (e.g. SGP files' ``VALID_CASE: [VALID_CASE]``).
* Shares (``econ_share``, ``proficiency_rate``, …) are stored from 0 to 1. ``percents``
  lists the share fields whose COLUMN gives percents from 0 to 100 (``lunch: 39.8``), which
  are divided by 100; ``propose`` lists a share column there when it holds a value above 1.
* A ``schools`` mapping (public school-level files, no student ID) cannot be combined with
  the student tables in one mapping: its rows are schools, theirs are students.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl
import yaml

from headway.data.core.convert import canonical_text, convert_one
from headway.data.core.schema import (
    GRADES,
    KEY,
    SUBJECTS,
    TABLES,
    Field,
    Kind,
    Problem,
    Report,
    Type,
)

ROW_ID = "__row__"


class MappingError(ValueError):
    """A mapping that cannot be used, with a message saying where and what was expected."""


@dataclass
class Wide:
    """For files with one column per period (STAR: readk, read1, …; SGP WIDE: SS_2021, …).

    Each source row becomes one long row per period label and per set of group constants
    (e.g. readk and mathk both have label KG; their constants subject=ela / subject=math
    make two rows). A column without constants feeds every row of its period.
    """

    id_columns: list[str]
    groups: dict[str, dict[str, str]]
    period_field: str = "grade_tested"
    constants_by_group: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Mapping:
    name: str
    kinds: list[Kind]
    columns: dict[str, str]
    values: dict[str, dict[str, str]]
    constants: dict[str, str]
    proficient_levels: list[str]
    not_tested_levels: list[str]
    wide: Wide | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    percents: list[str] = field(default_factory=list)  # share fields whose column is 0–100


def fields_of(kinds: Iterable[Kind]) -> dict[str, Field]:
    """Every field of these tables by name; a field shared by tables is required if any needs it."""
    out: dict[str, Field] = {}
    for kind in kinds:
        for f in TABLES[kind]:
            if f.name not in out or (f.required and not out[f.name].required):
                out[f.name] = f
    return out


ALL_FIELDS = fields_of(Kind)


# ---------------------------------------------------------------------------------------
# Structure: what a mapping must satisfy whatever the file
# ---------------------------------------------------------------------------------------

Path = tuple[str, ...]


def mapping_problems(m: Mapping) -> list[tuple[Path, str]]:
    """Everything wrong with a mapping on its own, each with the YAML key path it concerns."""
    if not m.kinds:
        return [(("kinds",), "list at least one table: " + ", ".join(Kind))]
    if Kind.SCHOOLS in m.kinds and len(m.kinds) > 1:
        message = "schools cannot share a mapping with student tables; import them separately"
        return [(("kinds",), message)]
    known = fields_of(m.kinds)
    out = _field_name_problems(m, known)
    if out:
        return out
    out += _percent_problems(m, known)
    out += _value_problems(m, known)
    out += _overlap_problems(m)
    if m.wide is not None:
        out += _slot_problems(m.wide)
    return out


def _mapped_names(m: Mapping) -> list[tuple[Path, str]]:
    names: list[tuple[Path, str]] = [(("columns", f), f) for f in m.columns]
    names += [(("values", f), f) for f in m.values]
    names += [(("constants", f), f) for f in m.constants]
    if m.wide is not None:
        names += [(("wide", "groups", f), f) for f in m.wide.groups]
        names.append((("wide", "period_field"), m.wide.period_field))
        for col, consts in m.wide.constants_by_group.items():
            names += [(("wide", "constants_by_group", col, f), f) for f in consts]
    return names


def _field_name_problems(m: Mapping, known: dict[str, Field]) -> list[tuple[Path, str]]:
    out = []
    for path, name in _mapped_names(m):
        if name in known and known[name].derived:
            out.append((path, f"'{name}' is computed by Headway; remove it from the mapping"))
        elif name not in known:
            tables = [k.value for k in Kind if any(f.name == name for f in TABLES[k])]
            hint = (
                f"it belongs to {', '.join(tables)}, which is not in kinds"
                if tables
                else "expected one of " + ", ".join(n for n, f in known.items() if not f.derived)
            )
            out.append((path, f"'{name}' is not a field of {', '.join(m.kinds)}; {hint}"))
    return out


def _percent_problems(m: Mapping, known: dict[str, Field]) -> list[tuple[Path, str]]:
    """``percents`` names share fields read from a column (a constant is already 0–1)."""
    from_columns = set(m.columns) | (set(m.wide.groups) if m.wide is not None else set())
    shares = [n for n, f in known.items() if f.type == Type.SHARE]
    out: list[tuple[Path, str]] = []
    for i, name in enumerate(m.percents):
        path = ("percents", str(i))
        if name not in shares:
            expected_shares = ", ".join(shares) or f"none in {', '.join(m.kinds)}"
            out.append((path, f"'{name}' is not a share field; expected {expected_shares}"))
        elif name not in from_columns:
            out.append((path, f"'{name}' is not read from a column, so it has no percents"))
    return out


def _value_problems(m: Mapping, known: dict[str, Field]) -> list[tuple[Path, str]]:
    checks: list[tuple[Path, str, str]] = [
        (("values", f, k), f, v) for f, vmap in m.values.items() for k, v in vmap.items()
    ]
    checks += [(("constants", f), f, v) for f, v in m.constants.items()]
    if m.wide is not None:
        period = m.wide.period_field
        checks += [
            (("wide", "groups", f, col), period, label)
            for f, cols in m.wide.groups.items()
            for col, label in cols.items()
        ]
        checks += [
            (("wide", "constants_by_group", col, f), f, v)
            for col, consts in m.wide.constants_by_group.items()
            for f, v in consts.items()
        ]
    return [(p, msg) for p, f, v in checks if (msg := value_problem(known[f], v))]


def value_problem(f: Field, text: str) -> str:
    """Why ``text`` is not a canonical value for ``f`` ('' when it is, or when it is empty)."""
    if not text.strip() or convert_one(f, canonical_text(f, text)) is not None:
        return ""
    return f"'{text}' is not a valid {f.label.lower()}; expected {expected(f)}"


def expected(f: Field) -> str:
    """What a field accepts, in words."""
    match f.type:
        case Type.CODE | Type.CODES:
            return "one of " + ", ".join(f.codes)
        case Type.BOOLEAN:
            return "true or false (Yes/No, Y/N, 1/0 also work)"
        case Type.YEAR:
            return "a school year such as 2024-25"
        case Type.SHARE:
            return "a share from 0 to 1 (e.g. 0.25)"
        case Type.NUMBER | Type.INTEGER:
            return "a number"
        case _:
            return "some text"


def _overlap_problems(m: Mapping) -> list[tuple[Path, str]]:
    sources: dict[str, list[str]] = {f: ["columns"] for f in m.columns}
    for f, v in m.constants.items():
        if v.strip() or f not in sources:
            sources.setdefault(f, []).append("constants")
    if m.wide is not None:
        for f in m.wide.groups:
            sources.setdefault(f, []).append("wide.groups")
        sources.setdefault(m.wide.period_field, []).append("wide.period_field")
    return [
        ((where[0].split(".")[0], f), f"'{f}' is given twice (in {' and '.join(where)}); keep one")
        for f, where in sources.items()
        if len(where) > 1
    ]


def _slot_problems(wide: Wide) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    for slot in slots(wide):
        for f, cols in slot.ambiguous.items():
            out.append(
                (
                    ("wide", "groups", f),
                    f"columns {' and '.join(cols)} both give {f} for period {slot.label}; "
                    "give them different constants_by_group (e.g. subject) to tell them apart",
                )
            )
    return out


@dataclass
class Slot:
    """One long row per source row: a period label and the constants that tell rows apart."""

    label: str
    constants: dict[str, str]
    columns: dict[str, str]  # canonical field -> source column
    constant_sources: dict[str, str]  # constant field -> the source column it is attached to
    ambiguous: dict[str, list[str]]


def slots(wide: Wide) -> list[Slot]:
    """The long rows each source row becomes, in label order of first appearance.

    Columns carrying constants define rows (readk+subject=ela); a column's constants must
    be a subset of the row's, so plain columns (schoolidk) join every row of their period.
    """
    entries = [
        (label, col, f, wide.constants_by_group.get(col, {}))
        for f, cols in wide.groups.items()
        for col, label in cols.items()
    ]
    labels = list(dict.fromkeys(label for label, *_ in entries))
    return [s for label in labels for s in _slots_of(label, entries)]


def _slots_of(label: str, entries: list[tuple[str, str, str, dict[str, str]]]) -> list[Slot]:
    mine = [(col, f, c) for lab, col, f, c in entries if lab == label]
    sets = list(dict.fromkeys(frozenset(c.items()) for _, _, c in mine))
    tops = [s for s in sets if not any(s < other for other in sets)]
    out = []
    for top in tops:
        slot = Slot(label, dict(top), {}, {}, {})
        for col, f, consts in mine:
            if frozenset(consts.items()) <= top:
                _place(slot, f, col, consts)
        out.append(slot)
    return out


def _place(slot: Slot, f: str, col: str, consts: dict[str, str]) -> None:
    if f in slot.columns:
        slot.ambiguous.setdefault(f, [slot.columns[f]]).append(col)
        return
    slot.columns[f] = col
    for name in consts:
        slot.constant_sources.setdefault(name, col)


# ---------------------------------------------------------------------------------------
# The mapping against one file
# ---------------------------------------------------------------------------------------


def check(m: Mapping, frame: pl.DataFrame, *, file: str | None = None) -> Report:
    """Can this mapping read this file? Mapping mistakes, missing columns, uncovered fields.

    Problems name ``file`` (default: the mapping's name).
    """
    where = m.name if file is None else file
    report = Report()
    for path, message in mapping_problems(m):
        report.add(Problem("bad_mapping", f"{'.'.join(path)}: {message}", where))
    for col in source_columns(m):
        if col not in frame.columns:
            report.add(Problem("missing_column", _missing_column(col, frame), where, column=col))
    for problem in _coverage(m, where):
        report.add(problem)
    if "performance_level" in m.columns and not m.proficient_levels:
        message = (
            "No performance level is listed as proficient, so no result will count as "
            "proficient: list them under proficient_levels."
        )
        report.add(Problem("no_proficient_levels", message, where, severity="warning"))
    return report


def source_columns(m: Mapping) -> list[str]:
    """Every source column the mapping reads."""
    cols = [c for c in m.columns.values() if c != ROW_ID] + list(m.filters)
    if m.wide is not None:
        cols += m.wide.id_columns + [c for g in m.wide.groups.values() for c in g]
    return list(dict.fromkeys(cols))


def _missing_column(col: str, frame: pl.DataFrame) -> str:
    shown = ", ".join(frame.columns[:60])
    more = f" and {len(frame.columns) - 60} more" if len(frame.columns) > 60 else ""
    return (
        f"The mapping reads a column named '{col}', but this file has no such column. "
        f"The file's columns are: {shown}{more}."
    )


def covered(m: Mapping) -> set[str]:
    """Fields that get a value: from a column, a non-empty constant or a wide group."""
    out = set(m.columns) | {f for f, v in m.constants.items() if v.strip()}
    if m.wide is not None:
        out |= set(m.wide.groups) | {m.wide.period_field}
        out |= {f for consts in m.wide.constants_by_group.values() for f in consts}
    return out


def _coverage(m: Mapping, file: str) -> list[Problem]:
    have = covered(m)
    out = []
    for kind in m.kinds:
        for f in TABLES[kind]:
            if f.required and f.name not in have:
                have.add(f.name)  # say it once, for the first table that needs it
                out.append(Problem("unmapped_field", _uncovered(kind, f, m), file))
    return out


def _uncovered(kind: Kind, f: Field, m: Mapping) -> str:
    example = "2024-25" if f.type == Type.YEAR else (f.codes[0] if f.codes else "…")
    if f.name in m.constants:
        return (
            f"{kind.value.capitalize()} need a {f.label.lower()}, and the mapping's constant "
            f"'{f.name}' is empty: fill it in (e.g. {f.name}: {example})."
        )
    return (
        f"{kind.value.capitalize()} need a {f.label.lower()}: map a column to '{f.name}' "
        f"or set a constant (e.g. {f.name}: {example})."
    )


# ---------------------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------------------

_HEADER = """\
# Headway import mapping. Values on the right of "values", constants and wide period
# labels are Headway's own codes; flags are true/false; school years are written as the
# year they start in ("2020" or "2020-21" mean 2020-21). In the file itself a bare year in
# a school-year column means the year it ends in, hence entries like '2021': '2020'.
# An empty target means "no value". student_id: __row__ numbers rows as row-1, row-2, ...
# Shares are stored from 0 to 1; "percents" lists share fields whose column gives 0-100.
"""

_TOP_KEYS = (
    "name",
    "kinds",
    "filters",
    "percents",
    "columns",
    "values",
    "constants",
    "proficient_levels",
    "not_tested_levels",
    "wide",
)
_WIDE_KEYS = ("id_columns", "groups", "period_field", "constants_by_group")


def to_yaml(m: Mapping) -> str:
    """The mapping as commented YAML people can read and edit."""
    data: dict[str, object] = {
        "name": m.name,
        "kinds": [k.value for k in m.kinds],
        "filters": m.filters,
        "percents": m.percents,
        "columns": m.columns,
        "values": m.values,
        "constants": m.constants,
        "proficient_levels": m.proficient_levels,
        "not_tested_levels": m.not_tested_levels,
    }
    for optional in ("filters", "percents"):
        if not data[optional]:
            del data[optional]
    if m.wide is not None:
        data["wide"] = {k: getattr(m.wide, k) for k in _WIDE_KEYS}
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return _HEADER + body


class _Dumper(yaml.SafeDumper):
    """Writes shared dicts out in full: '&id001' anchors mean nothing to people."""

    def ignore_aliases(self, data: object) -> bool:
        return True


class _StringLoader(yaml.SafeLoader):
    """Reads every scalar as text: "Yes", "1" and "2021" are source values, not booleans
    or numbers. Only an empty value (or ~) is null."""


_StringLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag.endswith((":null", ":merge"))]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if key in ("", "~", "<")
}


def from_yaml(text: str, *, source: str = "mapping.yaml") -> Mapping:
    """Read a mapping; raise MappingError naming the line and key of the first mistake."""
    try:
        node = yaml.compose(text, Loader=_StringLoader)
        data = yaml.load(text, Loader=_StringLoader)
    except yaml.YAMLError as exc:
        raise MappingError(f"{source}: this is not valid YAML ({_yaml_where(exc)})") from exc
    reader = _Reader(source, node)
    m = reader.mapping(data)
    problems = mapping_problems(m)
    if problems:
        path, message = problems[0]
        raise MappingError(reader.where(path) + message)
    return m


def _yaml_where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"line {mark.line + 1}: {problem}" if mark is not None else problem


@dataclass
class _Reader:
    """Turns loaded YAML into a Mapping, checking shapes and remembering lines for messages."""

    source: str
    node: yaml.Node | None

    def where(self, path: Path) -> str:
        line = _line_of(self.node, path)
        at = f", line {line}" if line else ""
        key = f" {'.'.join(path)}:" if path else ""
        return f"{self.source}{at}:{key} "

    def fail(self, path: Path, message: str) -> MappingError:
        return MappingError(self.where(path) + message)

    def mapping(self, data: object) -> Mapping:
        top = self.table(data, ())
        self.known_keys(top, _TOP_KEYS, ())
        wide = top.get("wide")
        return Mapping(
            name=self.text(top.get("name"), ("name",)),
            kinds=self.kinds(top.get("kinds")),
            columns=self.texts(top.get("columns"), ("columns",)),
            values=self.nested(top.get("values"), ("values",)),
            constants=self.texts(top.get("constants"), ("constants",)),
            proficient_levels=self.strings(top.get("proficient_levels"), ("proficient_levels",)),
            not_tested_levels=self.strings(top.get("not_tested_levels"), ("not_tested_levels",)),
            wide=None if wide is None else self.wide(wide),
            filters=self.lists(top.get("filters"), ("filters",)),
            percents=self.strings(top.get("percents"), ("percents",)),
        )

    def wide(self, data: object) -> Wide:
        top = self.table(data, ("wide",))
        self.known_keys(top, _WIDE_KEYS, ("wide",))
        period = self.text(top.get("period_field"), ("wide", "period_field"))
        return Wide(
            id_columns=self.strings(top.get("id_columns"), ("wide", "id_columns")),
            groups=self.nested(top.get("groups"), ("wide", "groups")),
            period_field=period or "grade_tested",
            constants_by_group=self.nested(
                top.get("constants_by_group"), ("wide", "constants_by_group")
            ),
        )

    def known_keys(self, table: dict[str, object], keys: tuple[str, ...], path: Path) -> None:
        for key in table:
            if key not in keys:
                raise self.fail((*path, key), f"unknown key; expected one of {', '.join(keys)}")

    def kinds(self, data: object) -> list[Kind]:
        names = self.strings(data, ("kinds",))
        for name in names:
            if name not in {k.value for k in Kind}:
                expected_kinds = ", ".join(k.value for k in Kind)
                raise self.fail(("kinds",), f"'{name}' is not a table; expected {expected_kinds}")
        return [Kind(name) for name in names]

    def table(self, data: object, path: Path) -> dict[str, object]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise self.fail(path, "expected a set of 'key: value' lines")
        return {str(k): v for k, v in data.items()}

    def text(self, data: object, path: Path) -> str:
        if data is None:
            return ""
        if not isinstance(data, str):
            raise self.fail(path, "expected a single value")
        return data

    def strings(self, data: object, path: Path) -> list[str]:
        if data is None:
            return []
        if not isinstance(data, list):
            raise self.fail(path, "expected a list (lines starting with '- ')")
        return [self.text(v, (*path, str(i))) for i, v in enumerate(data)]

    def texts(self, data: object, path: Path) -> dict[str, str]:
        return {k: self.text(v, (*path, k)) for k, v in self.table(data, path).items()}

    def nested(self, data: object, path: Path) -> dict[str, dict[str, str]]:
        return {k: self.texts(v, (*path, k)) for k, v in self.table(data, path).items()}

    def lists(self, data: object, path: Path) -> dict[str, list[str]]:
        return {k: self.strings(v, (*path, k)) for k, v in self.table(data, path).items()}


def _line_of(node: yaml.Node | None, path: Path) -> int:
    """The 1-based line of the deepest key of ``path`` found in the YAML (0 if none)."""
    line = 0
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            break
        match = next((pair for pair in node.value if pair[0].value == key), None)
        if match is None:
            break
        line = match[0].start_mark.line + 1
        node = match[1]
    return line


# ---------------------------------------------------------------------------------------
# Proposals
# ---------------------------------------------------------------------------------------

# Normalized headers (lower case, letters and digits only) that mean each field, best first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "student_id": (
        "studentid",
        "id",
        "stuid",
        "sasid",
        "statestudentid",
        "ssid",
        "localid",
        "localstudentid",
        "studentnumber",
        "studentno",
        "sourcedid",
        "pupilid",
        "learnerid",
        "studentidentifier",
    ),
    "school_year": (
        "schoolyear",
        "year",
        "sy",
        "academicyear",
        "acadyear",
        "testyear",
        "administrationyear",
        "yearid",
    ),
    "school_code": (
        "schoolnumber",
        "schoolid",
        "schoolcode",
        "schnum",
        "schnumber",
        "schid",
        "schcode",
        "buildingid",
        "buildingcode",
        "building",
        "schoolidentifier",
        "school",
        "sch",
        "bcode",
    ),
    "school_name": ("schoolname", "buildingname", "schname", "schoolnm"),
    "grade": ("grade", "gradelevel", "enrolledgrade", "currentgrade", "gradeenrolled", "grd", "gr"),
    "grade_tested": ("gradetested", "testgrade", "testedgrade", "assessmentgrade", "grade"),
    "subject": ("subject", "contentarea", "content", "testsubject", "subjectarea"),
    "window": ("window", "testwindow", "season", "administration", "testperiod", "term"),
    "assessment": ("assessment", "assessmentname", "testname", "test", "exam"),
    "scale_score": ("scalescore", "ss", "scaledscore", "score", "ritscore", "rit"),
    "performance_level": (
        "achievementlevel",
        "performancelevel",
        "proficiencylevel",
        "perflevel",
        "level",
    ),
    "tested": ("tested", "testedstatus", "participated", "participation"),
    "sex": ("sex", "gender", "studentgender", "studentsex", "sx"),
    "race": (
        "race",
        "ethnicity",
        "raceethnicity",
        "ethnicityrace",
        "federalrace",
        "racecode",
        "eth",
    ),
    "hispanic": ("hispanic", "hispaniclatino", "hispanicorlatino", "hispanicethnicity"),
    "econ_disadvantaged": (
        "freereducedlunchstatus",
        "freereducedlunch",
        "frl",
        "frlstatus",
        "freelunch",
        "lunch",
        "lunchstatus",
        "economicallydisadvantaged",
        "econdisadvantaged",
        "econdis",
        "ecodis",
    ),
    "english_learner": (
        "ellstatus",
        "ell",
        "el",
        "elstatus",
        "englishlearner",
        "englishlanguagelearner",
        "lep",
        "lepstatus",
    ),
    "disability": (
        "iepstatus",
        "iep",
        "swd",
        "disability",
        "studentswithdisabilities",
        "sped",
        "specialeducation",
    ),
    "gifted": ("giftedandtalentedprogramstatus", "gifted", "giftedtalented", "gt", "gate", "tag"),
    "homeless": ("homeless", "homelessstatus", "mckinneyvento"),
    "foster_care": ("fostercare", "foster", "fostercarestatus"),
    "military_connected": ("militaryconnected", "military", "militaryfamily"),
    "migrant": ("migrant", "migrantstatus"),
    "counts_for_school": ("schoolenrollmentstatus", "fayschool", "fullacademicyearschool"),
    "counts_for_district": ("districtenrollmentstatus", "faydistrict", "fullacademicyeardistrict"),
    "days_enrolled": ("daysenrolled", "daysmembership", "membershipdays", "enrolleddays"),
    "days_present": ("dayspresent", "daysattended", "attendeddays"),
    "incidents": ("incidents", "incidentcount", "referrals", "odr"),
    "in_school_suspensions": ("inschoolsuspensions", "iss", "inschoolsuspension"),
    "out_of_school_suspensions": ("outofschoolsuspensions", "oss", "outofschoolsuspension"),
    "class_id": ("classid", "sectionid", "classsectionid", "section", "class"),
    "teacher_id": ("teacherid", "instructornumber", "instructorid", "staffid", "teachernumber"),
    "teacher_name": ("teachername", "instructorname", "staffname"),
    # School-level files (schools): a district's code, counts and shares of students.
    "district_code": (
        "districtcode",
        "districtid",
        "districtnumber",
        "distid",
        "distcode",
        "dcode",
        "leaid",
        "leacode",
        "district",
    ),
    "level": ("schoollevel", "level", "schooltype"),
    "enrollment": (
        "enrollment",
        "enrolment",
        "enrol",
        "enroll",
        "totalenrollment",
        "enrolled",
        "membership",
        "students",
        "studentcount",
    ),
    "econ_share": (
        "econshare",
        "pctecondis",
        "percentecondis",
        "pctfrl",
        "percentfrl",
        "pctfreelunch",
        "percentfreelunch",
        "pctlunch",
        "frl",
        "freelunch",
        "lunch",
        "econ",
        "econdis",
        "ecodis",
        "economicallydisadvantaged",
    ),
    "el_share": (
        "elshare",
        "pctell",
        "percentell",
        "pctel",
        "percentel",
        "pctlep",
        "ell",
        "el",
        "lep",
        "englishlearners",
        "english",
    ),
    "swd_share": (
        "swdshare",
        "pctswd",
        "percentswd",
        "pctiep",
        "percentiep",
        "pctsped",
        "swd",
        "iep",
        "sped",
        "specialeducation",
        "disability",
    ),
    "proficiency_rate": (
        "proficiencyrate",
        "percentproficient",
        "pctproficient",
        "proficient",
        "proficiency",
        "percentsatisfactory",
        "pctsatisfactory",
        "satisfactory",
        "passrate",
        "math4",
        "read4",
        "math7",
        "read7",
    ),
    "mean_scale_score": (
        "meanscalescore",
        "averagescalescore",
        "avgscalescore",
        "meanscore",
        "averagescore",
        "avgscore",
    ),
}

# Stems of wide columns that are a subject's scale score (STAR: readk, math1, …).
SUBJECT_STEMS = {
    "read": "ela",
    "reading": "ela",
    "rdg": "ela",
    "ela": "ela",
    "math": "math",
    "mth": "math",
    "mathematics": "math",
    "sci": "science",
    "science": "science",
}

_KIND_MARKERS: dict[Kind, frozenset[str]] = {
    Kind.RESULTS: frozenset({"scale_score", "performance_level"}),
    Kind.ATTENDANCE: frozenset({"days_enrolled", "days_present"}),
    Kind.DISCIPLINE: frozenset({"incidents", "in_school_suspensions", "out_of_school_suspensions"}),
    Kind.CLASSES: frozenset({"class_id", "teacher_id"}),
}
_KEY_NAMES = frozenset(f.name for f in KEY)
_STUDENT_MARKERS = frozenset(f.name for f in TABLES[Kind.STUDENTS]) - _KEY_NAMES
# Fields whose numbers (an enrollment, a percent) say a file describes schools, not students.
_SCHOOL_MARKERS = ("enrollment", "econ_share", "el_share", "swd_share", "proficiency_rate")
MAX_DISTINCT = 200  # more distinct values than this: not a column of codes


def normalized_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def propose(frame: pl.DataFrame, *, name: str = "") -> Mapping:
    """A first mapping for a file, from its headers and distinct values, for people to review."""
    school_level = _school_level(_match_columns(frame.columns), frame)
    wide = None if school_level else _propose_wide(frame)
    used = {c for g in wide.groups.values() for c in g} if wide else set()
    columns = _match_columns([c for c in frame.columns if c not in used])
    m = Mapping(name, [], columns, {}, {}, [], [], wide=wide)
    _add_race(m, frame)
    m.kinds = [Kind.SCHOOLS] if school_level else _kinds(m)
    _drop_foreign_fields(m)
    m.percents = [f for f in _SCHOOL_MARKERS[1:] if f in m.columns and _above_one(frame, m, f)]
    m.values = _value_maps(m, frame)
    _add_levels(m, frame)
    _add_subject_constant(m, name)
    _fill_required(m)
    if wide is not None:
        wide.id_columns = [c for c in frame.columns if c in m.columns.values()]
    order = list(ALL_FIELDS)
    m.columns = dict(sorted(m.columns.items(), key=lambda item: order.index(item[0])))
    m.values = dict(sorted(m.values.items(), key=lambda item: order.index(item[0])))
    if "validcase" in {normalized_header(c) for c in frame.columns}:
        col = next(c for c in frame.columns if normalized_header(c) == "validcase")
        m.filters = {col: ["VALID_CASE"]}
    return m


def _match_columns(headers: list[str]) -> dict[str, str]:
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(normalized_header(header), header)
    out = {}
    for f, names in SYNONYMS.items():
        found = next((by_key[n] for n in names if n in by_key), None)
        if found is not None:
            out[f] = found
    return out


def _school_level(columns: dict[str, str], frame: pl.DataFrame) -> bool:
    """A file of schools, not students: no student ID, and a column such as an enrollment or
    a share holding numbers other than 0 and 1, where a student file has yes/no flags."""
    if "student_id" in columns:
        return False
    return any(_counts(frame.get_column(columns[f])) for f in _SCHOOL_MARKERS if f in columns)


def _numbers(column: pl.Series) -> pl.Series:
    """A text column as numbers (thousands separators dropped); null where not a number."""
    text = column.cast(pl.String).str.strip_chars().str.replace_all(",", "", literal=True)
    return text.cast(pl.Float64, strict=False)


def _counts(column: pl.Series) -> bool:
    """Every value is a number and some are neither 0 nor 1."""
    numbers = _numbers(column)
    given = column.cast(pl.String).str.strip_chars().replace("", None).drop_nulls().len()
    known = numbers.drop_nulls()
    return given > 0 and known.len() == given and known.is_in([0.0, 1.0]).not_().any()


def _above_one(frame: pl.DataFrame, m: Mapping, name: str) -> bool:
    """A share column with a value above 1 gives percents (0–100), not proportions."""
    return bool((_numbers(frame.get_column(m.columns[name])) > 1).any())


def _kinds(m: Mapping) -> list[Kind]:
    have = set(m.columns) | (set(m.wide.groups) if m.wide else set())
    kinds = {k for k, markers in _KIND_MARKERS.items() if have & markers}
    if have & _STUDENT_MARKERS or not kinds:
        kinds.add(Kind.STUDENTS)
    return [k for k in Kind if k in kinds]


def _drop_foreign_fields(m: Mapping) -> None:
    """Forget matches for tables the file does not fill (e.g. "subject" in a students file)."""
    known = fields_of(m.kinds)
    m.columns = {f: c for f, c in m.columns.items() if f in known and not known[f].derived}
    if m.wide is not None:
        m.wide.groups = {f: g for f, g in m.wide.groups.items() if f in known}


def _fill_required(m: Mapping) -> None:
    """Leave a visible blank for each required field the file lacks (IDs are row numbers)."""
    have = covered(m)
    for f in fields_of(m.kinds).values():
        if f.required and f.name not in have:
            if f.name == "student_id":
                m.columns["student_id"] = ROW_ID
            else:
                m.constants[f.name] = ""


def _add_subject_constant(m: Mapping, name: str) -> None:
    if Kind.RESULTS not in m.kinds or "subject" in covered(m):
        return
    lowered = name.lower()
    guess = next((s for stem, s in SUBJECT_STEMS.items() if stem in lowered), "")
    m.constants["subject"] = guess


def _distinct(frame: pl.DataFrame, columns: list[str]) -> list[str]:
    """Distinct non-empty values over these columns, most frequent first (capped)."""
    values = pl.concat([frame.get_column(c).alias("v") for c in columns])
    counts = values.str.strip_chars().drop_nulls().value_counts(sort=True)
    return [v for v in counts.get_column("v").head(MAX_DISTINCT + 1).to_list() if v]


def _sources(m: Mapping, f: str) -> list[str]:
    if f in m.columns and m.columns[f] != ROW_ID:
        return [m.columns[f]]
    if m.wide is not None and f in m.wide.groups:
        return list(m.wide.groups[f])
    return []


_AS_WRITTEN = (Type.TEXT, Type.NUMBER, Type.INTEGER, Type.SHARE)  # no translations proposed


def _value_maps(m: Mapping, frame: pl.DataFrame) -> dict[str, dict[str, str]]:
    out = dict(m.values)
    for name, f in fields_of(m.kinds).items():
        cols = _sources(m, name)
        if not cols or name in out or f.type in _AS_WRITTEN:
            continue
        values = _distinct(frame, cols)
        if len(values) <= MAX_DISTINCT:
            vmap = {v: t for v in values if (t := _interpret(f, v)) is not None and t != v}
            if vmap:
                out[name] = vmap
    return out


_SEX_WORDS = {"female": "F", "f": "F", "girl": "F", "male": "M", "m": "M", "boy": "M"}
_SEX_WORDS |= {"nonbinary": "X", "x": "X"}
_SUBJECT_WORDS = {
    "math": "math",
    "maths": "math",
    "mathematics": "math",
    "algebra": "math",
    "reading": "ela",
    "read": "ela",
    "ela": "ela",
    "english": "ela",
    "englishlanguagearts": "ela",
    "languagearts": "ela",
    "literacy": "ela",
    "science": "science",
    "socialstudies": "social_studies",
    "history": "social_studies",
}
_LUNCH_WORDS = {
    "free": "true",
    "reduced": "true",
    "freereduced": "true",
    "freeandreduced": "true",
    "reducedprice": "true",
    "nonfree": "false",
    "notfree": "false",
    "paid": "false",
    "fullprice": "false",
}


def _interpret(f: Field, value: str) -> str | None:
    """The canonical text ``propose`` suggests for a source value (None: no suggestion)."""
    word = normalized_header(re.sub(r"^[^:]*:\s*", "", value))
    if f.type == Type.BOOLEAN:
        if f.name == "econ_disadvantaged" and word in _LUNCH_WORDS:
            return _LUNCH_WORDS[word]
        parsed = convert_one(f, value)
        return None if parsed is None else str(parsed).lower()
    if f.type == Type.YEAR:
        bare = re.fullmatch(r"(\d{4})(?:\.0+)?", value.strip())
        return str(int(bare.group(1)) - 1) if bare else None
    if f.name == "sex":
        return _SEX_WORDS.get(word)
    if f.name == "subject":
        return _SUBJECT_WORDS.get(word, word if word in SUBJECTS else None)
    if f.codes == GRADES:
        return None  # the column rules read every usual way of writing a grade
    parsed = convert_one(f, value)
    if isinstance(parsed, list):
        return ",".join(parsed)
    return None if parsed is None else str(parsed)


_RACE_WORDS = (
    ("WH", ("white", "caucasian", "cauc")),
    ("BL", ("black", "african", "afam")),
    ("AS", ("asian",)),
    ("AM", ("american indian", "amerindian", "amindian", "amindalk", "alaska", "native american")),
    ("PI", ("pacific", "hawaiian")),
)
# One-letter codes many student systems use (M is left alone: multiracial or male?).
_RACE_LETTERS = {"W": "WH", "B": "BL", "A": "AS", "I": "AM", "P": "PI"}
_MULTI_WORDS = ("two or more", "multi", "mixed", "biracial")
_UNKNOWN_WORDS = ("other", "unknown", "declined", "refused", "not reported", "not specified")


def race_of(value: str) -> tuple[str | None, str | None]:
    """(race codes, hispanic) that a combined race/ethnicity value means, as mapping targets.

    "Hispanic" → ("", "true"); "African American" → ("BL", "false"); "Other" → ("", "");
    "White, Asian" → ("AS,WH", "false"). A bare "Two or more races" names no race, and the
    schema keeps races, not the category: it stays unmapped (None) for people to decide.
    """
    letter = value.strip().upper()
    if letter in _RACE_LETTERS:
        return _RACE_LETTERS[letter], "false"
    if letter == "H":
        return "", "true"
    text = " " + re.sub(r"[^a-z]+", " ", value.lower()) + " "
    races = sorted({code for code, words in _RACE_WORDS if any(w in text for w in words)})
    if re.search(r"\b(non|not) ?hispanic|\bnon ?latin", text):
        hispanic: str | None = "false"
    elif re.search(r"hispanic|latin[oax]", text):
        hispanic = "true"
    else:
        hispanic = "false" if races else None
    if races or hispanic == "true":
        return ",".join(races), hispanic
    if any(w in text for w in _MULTI_WORDS):
        return None, "false"
    if any(f" {w} " in text for w in _UNKNOWN_WORDS):
        return "", ""
    return None, hispanic


def _add_race(m: Mapping, frame: pl.DataFrame) -> None:
    """Race and Hispanic ethnicity from one combined column, as most state files have it."""
    col = m.columns.get("race")
    values = _distinct(frame, [col]) if col is not None else []
    if col is None or len(values) > MAX_DISTINCT:
        return
    meant = {v: race_of(v) for v in values}
    hispanic = {v: h for v, (_, h) in meant.items() if h is not None}
    if not any(r for r, _ in meant.values()):  # "Hispanic"/"Not Hispanic": ethnicity only
        del m.columns["race"]
    else:
        m.values["race"] = {v: r for v, (r, _) in meant.items() if r is not None}
    if "hispanic" not in m.columns and "true" in hispanic.values():
        m.columns["hispanic"] = col
        m.values["hispanic"] = hispanic


_NOT_TESTED = re.compile(
    r"no ?score|not ?(tested|scored)|absent|invalid|did not|exempt|no ?test|^d?nt$", re.I
)
_PROFICIENT = re.compile(r"proficient|advanced|exceed|master|distinguish|meets|above", re.I)
_BELOW = re.compile(
    r"\b(partial\w*|not|below|approach\w*|nearly|un\w*|minimal|basic|limited)\b", re.I
)


def _add_levels(m: Mapping, frame: pl.DataFrame) -> None:
    """Which performance levels count as proficient, and which mean "not tested"."""
    col = m.columns.get("performance_level")
    if col is None:
        return
    values = _distinct(frame, [col])
    if len(values) > MAX_DISTINCT:
        return
    m.not_tested_levels = [v for v in values if _NOT_TESTED.search(v)]
    m.proficient_levels = [
        v
        for v in values
        if v not in m.not_tested_levels and _PROFICIENT.search(v) and not _BELOW.search(v)
    ]


_FAMILY = re.compile(r"^([a-z][a-z0-9]*?)_?(k|kg|pk|\d{1,2}|(?:19|20)\d{2})$")


def period_label(suffix: str) -> tuple[str, str] | None:
    """("grade" | "year", canonical label) for a wide column's suffix: k → KG, 3 → 03, 2021 → 2020.

    A year suffix is the year a school year ends in (SS_2021 holds 2020-21 scores).
    """
    if suffix in ("k", "kg"):
        return "grade", "KG"
    if suffix == "pk":
        return "grade", "PK"
    if len(suffix) == 4:
        return "year", str(int(suffix) - 1)
    return ("grade", f"{int(suffix):02d}") if 1 <= int(suffix) <= 13 else None


def _families(headers: list[str]) -> dict[str, dict[str, tuple[str, str]]]:
    """Columns that share a stem and differ by a period suffix (readk, read1, read2, …)."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for header in headers:
        match = _FAMILY.match(header.lower())
        label = period_label(match.group(2)) if match else None
        if match and label:
            out.setdefault(normalized_header(match.group(1)), {})[header] = label
    return {stem: cols for stem, cols in out.items() if len(cols) >= 2}


def _propose_wide(frame: pl.DataFrame) -> Wide | None:
    found = _families(frame.columns)
    period_kinds = [kind for cols in found.values() for kind, _ in cols.values()]
    if not period_kinds:
        return None
    period = max(set(period_kinds), key=period_kinds.count)
    families = {
        s: {c: lab for c, (k, lab) in cols.items()}
        for s, cols in found.items()
        if all(k == period for k, _ in cols.values())
    }
    wide = Wide([], {}, "grade_tested" if period == "grade" else "school_year")
    _group_subject_scores(wide, families)
    for f, stems in SYNONYMS.items():
        stem = next((s for s in stems if s in families), None)
        if stem is not None and f not in wide.groups and f != wide.period_field:
            wide.groups[f] = dict(families[stem])
    return wide if wide.groups else None


def _group_subject_scores(wide: Wide, families: dict[str, dict[str, str]]) -> None:
    """readk/mathk…: one scale-score group, each column's subject as a group constant."""
    for stem, subject in SUBJECT_STEMS.items():
        for col, label in families.get(stem, {}).items():
            wide.groups.setdefault("scale_score", {})[col] = label
            wide.constants_by_group[col] = {"subject": subject}
