"""Indicators of effective practice: the set Headway ships, the sets districts load, and which
set a school rates itself against.

The default set is written from three conditions for carrying out any improvement well (able
staff, an organization that supports the work, leadership) and three structures that put
them to work: an instructional leadership team, coaching, and professional learning
communities. A district may load its own set (a state framework, say) from CSV or YAML;
its schools then use the district's newest set.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import yaml
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headway.data.core.readers import detect_delimiter
from headway.orgs.models import Organization
from headway.plans.models import Indicator, IndicatorSet, NeedsAssessment

DEFAULT_NAME = "Headway's practice indicators"
MAX_BYTES = 1 << 20
# Each indicator is seven fields on the ratings form; Django refuses forms of over 1,000.
MAX_INDICATORS = 120
COLUMNS = ("ref", "area", "indicator")
LIMITS = {"ref": 20, "area": 100, "indicator": 2000}
EXTENSIONS = (".csv", ".yaml", ".yml")


@dataclass(frozen=True)
class Row:
    ref: str
    area: str
    text: str


_LEADERSHIP = gettext_lazy("Leadership team")
_COACHING = gettext_lazy("Coaching")
_PLC = gettext_lazy("Professional learning communities")
_STAFF = gettext_lazy("Staff and skills")
_SYSTEMS = gettext_lazy("Systems and data")

DEFAULT: tuple[tuple[str, Promise, Promise], ...] = (
    (
        "L1",
        _LEADERSHIP,
        gettext_lazy("The leadership team meets every week and follows an agenda."),
    ),
    (
        "L2",
        _LEADERSHIP,
        gettext_lazy(
            "The team has a clear vision, a few goals and concrete next steps that staff can name."
        ),
    ),
    (
        "L3",
        _LEADERSHIP,
        gettext_lazy(
            "The team includes people who hold the big picture and people who turn ideas into "
            "daily action, and it reviews who should be on it."
        ),
    ),
    (
        "L4",
        _LEADERSHIP,
        gettext_lazy(
            "The team regularly looks at what is working and what is not, and stops work that "
            "does not move its goals."
        ),
    ),
    (
        "C1",
        _COACHING,
        gettext_lazy(
            "Coaching is individualized, intensive, sustained and tied to each teacher's context."
        ),
    ),
    (
        "C2",
        _COACHING,
        gettext_lazy(
            "Coaching is connected to the school's priorities, curriculum and expectations for "
            "instruction."
        ),
    ),
    (
        "C3",
        _COACHING,
        gettext_lazy(
            "Coaches and administrators share one picture of effective teaching and check it "
            "together."
        ),
    ),
    (
        "C4",
        _COACHING,
        gettext_lazy(
            "The school checks whether coaching changes teaching and student results, and "
            "adjusts it during the year."
        ),
    ),
    ("P1", _PLC, gettext_lazy("PLCs study student work to plan instruction.")),
    (
        "P2",
        _PLC,
        gettext_lazy(
            "PLCs follow a shared process: try a change in teaching, look at what it did for "
            "students, share what worked."
        ),
    ),
    (
        "P3",
        _PLC,
        gettext_lazy(
            "PLCs meet in the workday with protected time and share responsibility for every "
            "student's learning."
        ),
    ),
    (
        "S1",
        _STAFF,
        gettext_lazy(
            "Hiring and assignments put people with the right skills where the plan needs them."
        ),
    ),
    (
        "S2",
        _STAFF,
        gettext_lazy(
            "Professional learning happens on the job and is linked to the goals set for students."
        ),
    ),
    (
        "O1",
        _SYSTEMS,
        gettext_lazy("Data are collected, analyzed and used to make decisions."),
    ),
    (
        "O2",
        _SYSTEMS,
        gettext_lazy(
            "Barriers outside the school's control are identified and raised with the district."
        ),
    ),
)


# Which set ----------------------------------------------------------------------------------


def default_set() -> IndicatorSet:
    """Headway's own set, created with its indicators the first time anyone needs it."""
    with transaction.atomic():
        indicator_set, created = IndicatorSet.objects.get_or_create(
            district=None, name=DEFAULT_NAME, defaults={"source": "Headway"}
        )
        if created:
            rows = [Row(ref, str(area), str(text)) for ref, area, text in DEFAULT]
            _add_indicators(indicator_set, rows)
    return indicator_set


def set_for(org: Organization) -> IndicatorSet:
    """The set a school or district rates itself against: its district's newest, else Headway's."""
    district = org.district()
    newest = (
        IndicatorSet.objects.filter(district=district).order_by("-created_at", "-pk").first()
        if district is not None
        else None
    )
    return newest or default_set()


def set_for_assessment(assessment: NeedsAssessment) -> IndicatorSet:
    """The set already being rated in this needs assessment, so a newly loaded district set
    never hides ratings in progress; otherwise the organization's set."""
    rated = assessment.practice_ratings.select_related("indicator__indicator_set").first()
    if rated is not None:
        return rated.indicator.indicator_set
    return set_for(assessment.cycle.org)


def create_set(district: Organization, name: str, source: str, rows: list[Row]) -> IndicatorSet:
    """A district's set with all its indicators, or nothing at all."""
    with transaction.atomic():
        indicator_set = IndicatorSet.objects.create(district=district, name=name, source=source)
        _add_indicators(indicator_set, rows)
    return indicator_set


def _add_indicators(indicator_set: IndicatorSet, rows: list[Row]) -> None:
    Indicator.objects.bulk_create(
        Indicator(indicator_set=indicator_set, ref=r.ref, area=r.area, text=r.text, order=i)
        for i, r in enumerate(rows)
    )


# Loading a file -----------------------------------------------------------------------------


class IndicatorFileError(ValueError):
    """A file that is not a usable set of indicators; the text says where and why."""


def load_indicator_file(name: str, data: bytes) -> list[Row]:
    """The (ref, area, text) rows of a CSV or YAML file, in the file's order.

    CSV: a header naming the columns ref, area and indicator (any case, in any order; other
    columns are ignored). YAML: a list of items with the keys ref, area and indicator.
    """
    lower = name.lower()
    if not lower.endswith(EXTENSIONS):
        raise IndicatorFileError(_("Choose a .csv, .yaml or .yml file."))
    text = _decode(data)
    if not text.strip():
        raise IndicatorFileError(_("The file is empty."))
    rows = _from_csv(text) if lower.endswith(".csv") else _from_yaml(text)
    if len(rows) > MAX_INDICATORS:
        raise IndicatorFileError(
            _("The file has %(n)s indicators; a set can have at most %(max)s.")
            % {"n": len(rows), "max": MAX_INDICATORS}
        )
    return rows


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # what Excel on Windows saves as "CSV"
    except UnicodeDecodeError as err:
        raise IndicatorFileError(
            _("The file is not text Headway can read. Save it as UTF-8 and try again.")
        ) from err


def _from_csv(text: str) -> list[Row]:
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error as err:
        raise IndicatorFileError(
            _(
                "Row %(row)s: a quotation mark is not closed, or has text right after it. "
                "Save the file again from your spreadsheet program."
            )
            % {"row": reader.line_num}
        ) from err
    # Spreadsheet row numbers: blank rows are skipped but still counted.
    numbered = [(n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise IndicatorFileError(
            _("The file has no column names: the first row should read ref, area, indicator.")
        )
    first, header = numbered[0]
    where = _columns([cell.strip().lower() for cell in header], first)
    collector = _Collector()
    for number, record in numbered[1:]:
        cells = {key: record[i] if i < len(record) else "" for key, i in where.items()}
        collector.add(_("Row %(row)s") % {"row": number}, cells)
    if not collector.rows:
        raise IndicatorFileError(_("The file has column names but no indicators below them."))
    return collector.rows


def _columns(header: list[str], row: int) -> dict[str, int]:
    """Where each needed column is; every needed column exactly once."""
    for column in COLUMNS:
        count = header.count(column)
        if count == 0:
            raise IndicatorFileError(
                _(
                    "Row %(row)s: there is no “%(column)s” column. The first row must name the "
                    "columns ref, area and indicator."
                )
                % {"row": row, "column": column}
            )
        if count > 1:
            raise IndicatorFileError(
                _("Row %(row)s: the column “%(column)s” appears %(n)s times; keep one.")
                % {"row": row, "column": column, "n": count}
            )
    return {column: header.index(column) for column in COLUMNS}


def _from_yaml(text: str) -> list[Row]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        items = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise IndicatorFileError(_yaml_problem(err)) from err
    if not isinstance(items, list) or not isinstance(node, yaml.SequenceNode):
        raise IndicatorFileError(
            _("The file must be a list of indicators, each with a ref, an area and an indicator.")
        )
    collector = _Collector()
    for item, item_node in zip(items, node.value, strict=True):
        where = _("Line %(line)s") % {"line": item_node.start_mark.line + 1}
        if not isinstance(item, dict):
            raise IndicatorFileError(
                _("%(where)s: each item needs the keys ref, area and indicator.") % {"where": where}
            )
        collector.add(where, _yaml_cells(item, where))
    if not collector.rows:
        raise IndicatorFileError(_("The file's list of indicators is empty."))
    return collector.rows


def _yaml_problem(err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    if mark is None:
        return _("The file is not valid YAML: %(problem)s.") % {"problem": problem}
    return _("Line %(line)s: the file is not valid YAML here (%(problem)s).") % {
        "line": mark.line + 1,
        "problem": problem,
    }


def _yaml_cells(item: dict[Any, Any], where: str) -> dict[str, str]:
    keys = {str(key).strip().lower(): value for key, value in item.items()}
    cells = {}
    for column in COLUMNS:
        value = keys.get(column)
        if isinstance(value, dict | list):
            raise IndicatorFileError(
                _("%(where)s: the %(column)s must be plain text.")
                % {"where": where, "column": column}
            )
        cells[column] = "" if value is None else str(value)
    return cells


class _Collector:
    """Checks each row as it comes: nothing empty or too long, every ref used once."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.seen: dict[str, str] = {}

    def add(self, where: str, cells: dict[str, str]) -> None:
        values = {column: " ".join(cells.get(column, "").split()) for column in COLUMNS}
        for column in COLUMNS:
            if not values[column]:
                raise IndicatorFileError(
                    _("%(where)s: the %(column)s is empty.") % {"where": where, "column": column}
                )
            if len(values[column]) > LIMITS[column]:
                raise IndicatorFileError(
                    _("%(where)s: the %(column)s is longer than %(max)s characters.")
                    % {"where": where, "column": column, "max": LIMITS[column]}
                )
        ref = values["ref"]
        if ref.lower() in self.seen:
            raise IndicatorFileError(
                _(
                    "%(where)s: the ref “%(ref)s” is already used (%(first)s); each ref must be "
                    "different."
                )
                % {"where": where, "ref": ref, "first": self.seen[ref.lower()].lower()}
            )
        self.seen[ref.lower()] = where
        self.rows.append(Row(ref, values["area"], values["indicator"]))
