"""A goal's figures: its baseline, its results year by year, and similar schools' gains.

The one place goals read figures. They come from the same aggregate table as the data
pages (explore.cube), for the audience the viewer is entitled to (explore.access), and are
written the way the data pages write them (explore.present): a viewer without access to
student records sees a small group's baseline as “n<10”, never its number.

The baseline is the latest school year before the plan's first year that has a figure for
the goal's indicator (hidden or not, so every viewer gets the same year), unless the goal
chose a year. A gap goal's figure is how far the group is behind its comparison group
(data.core.gains.shortfall), shown only when both groups' figures are.

Similar schools' yearly gains are always read from the public tables: nobody has a right
to another school's internal figures through a goal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from headway.data.core.aggregates import ALL
from headway.data.core.gains import Indicator, shortfall, yearly_changes
from headway.explore import cube, labels, peers
from headway.explore.cube import Audience
from headway.explore.filters import SUBJECT_ORDER, Choices, Filters
from headway.explore.present import REASONS, Cell, cells, is_rate
from headway.orgs.models import Organization
from headway.plans import smart
from headway.plans.models import Cycle, Goal


@dataclass(frozen=True)
class Figure:
    """The indicator in one school year, as one viewer may see it."""

    year: int
    value: float | None  # None when hidden from this viewer
    text: str  # as the data pages show it: "42%", "n<10", "12 points"
    n: int | None
    reason: str = ""  # why the public sees less (a suppression reason)

    @property
    def hidden(self) -> bool:
        return self.value is None

    @property
    def year_label(self) -> str:
        return smart.year_label(self.year)

    @property
    def n_text(self) -> str:
        return f"{self.n:,}" if self.n is not None else ""

    @property
    def reason_text(self) -> str:
        return str(REASONS.get(self.reason, ""))


@dataclass(frozen=True)
class Reading:
    """A goal's indicator at its organization: every year's figure and the baseline."""

    indicator: Indicator
    internal: bool
    figures: dict[int, Figure]  # by school year, oldest first
    baseline: Figure | None

    def as_baseline(self) -> smart.Baseline | None:
        b = self.baseline
        return None if b is None else smart.Baseline(b.year, b.value, b.text, b.reason)


def interim_of(goal: Goal) -> dict[int, float]:
    """The goal's interim targets by school year (JSON keeps the years as text)."""
    return {int(y): float(v) for y, v in sorted(goal.interim.items()) if v is not None}


def targets_shown(goal: Goal, baseline_hidden: bool) -> dict[int, float]:
    """The goal's targets by school year as a viewer may see them. Interim targets drawn
    evenly from a baseline the viewer may not see would give it away (two of them fix the
    line), so they stay hidden with it; the target itself shows."""
    targets = {} if baseline_hidden else interim_of(goal)
    if goal.target is not None and goal.target_year is not None:
        targets[goal.target_year] = goal.target
    return targets


def indicator_of(goal: Goal) -> Indicator:
    return Indicator(
        metric=goal.metric,
        subject=goal.subject,
        grade=goal.grade,
        group_type=goal.group_type,
        group_value=goal.group_value,
        compare_type=goal.compare_type,
        compare_value=goal.compare_value,
    )


def _owner(org: Organization) -> Organization | None:
    """Whose results table holds the organization's figures (its district's)."""
    return org.district()


def _rows(org: Organization, audience: Audience, where: pl.Expr) -> pl.DataFrame | None:
    owner = _owner(org)
    if owner is None:
        return None
    return cube.load(owner, audience, (pl.col("org_code") == cube.org_code(org)) & where).frame


def read(
    org: Organization,
    audience: Audience,
    indicator: Indicator,
    first_year: int,
    baseline_year: int | None = None,
) -> Reading:
    """The indicator's figures at ``org`` for ``audience``, and its baseline."""
    internal = audience is Audience.INTERNAL
    frame = _rows(org, audience, indicator.where()) if indicator.metric else None
    figures = {} if frame is None else _figures(frame.sort("school_year"), indicator, internal)
    return Reading(indicator, internal, figures, _baseline(figures, first_year, baseline_year))


def _baseline(figures: dict[int, Figure], first_year: int, chosen: int | None) -> Figure | None:
    if chosen is not None:
        return figures.get(chosen)
    before = [f for y, f in figures.items() if y < first_year and (f.value is not None or f.reason)]
    return before[-1] if before else None


def _figures(frame: pl.DataFrame, indicator: Indicator, internal: bool) -> dict[int, Figure]:
    by_group: dict[tuple[str, str], dict[int, Cell]] = defaultdict(dict)
    for cell in cells(frame, internal):
        by_group[(cell.group_type, cell.group_value)][cell.school_year] = cell
    groups = [by_group.get(g, {}) for g in indicator.groups()]
    years = sorted(set.intersection(*(set(g) for g in groups)))
    if not indicator.is_gap:
        return {y: _figure(groups[0][y]) for y in years}
    return {y: _gap(indicator.metric, groups[0][y], groups[1][y]) for y in years}


def _figure(cell: Cell) -> Figure:
    return Figure(cell.school_year, cell.value, cell.text, cell.n, cell.reason)


def _gap(metric: str, group: Cell, comparison: Cell) -> Figure:
    """How far the group is behind its comparison; hidden when either side is, shown as
    that side's text with its name ("English learners: n<10")."""
    for side in (group, comparison):
        if side.value is None:
            text = f"{side.label}: {side.text}"
            return Figure(side.school_year, None, text, group.n, side.reason)
    assert group.value is not None and comparison.value is not None
    gap = shortfall(metric, group.value, comparison.value)
    return Figure(group.school_year, gap, smart.points(gap, is_rate(metric)), group.n, "")


# --- what the data offer a goal ---------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """What the organization's results hold, for a goal's choices."""

    years: list[int]  # newest first
    subjects: list[str]
    grades: list[str]
    groups: list[tuple[str, str]]  # (group_type, group_value), all students first


def offer(org: Organization, audience: Audience) -> Offer:
    """The years, subjects, grades and groups in the organization's results; without any
    results yet, every subject and named group (the goal then has no baseline to show)."""
    frame = _rows(org, audience, pl.lit(True))
    if frame is None or frame.is_empty():
        return Offer([], list(SUBJECT_ORDER), [ALL], _ordered(_named_groups()))
    choices = Choices.of(frame)
    pairs = set(frame.select("group_type", "group_value").unique().iter_rows())
    subjects = [s for s in choices.subjects if s != ALL] + [ALL]  # attendance has no subject
    return Offer(choices.years, subjects, choices.grades, _ordered(pairs))


def _named_groups() -> set[tuple[str, str]]:
    flags = {(t, v) for t in labels.FLAG_VALUES for v in ("true", "false")}
    named = {(t, v) for t, values in labels.VALUES.items() for v in values}
    return {(ALL, ALL)} | flags | named


def _ordered(pairs: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """All students first, then by kind of group as the data pages list them, then by name."""
    order = list(labels.GROUP_TYPES)
    return sorted(
        pairs, key=lambda p: (order.index(p[0]) if p[0] in order else 99, labels.group(*p))
    )


# --- similar schools ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerGains:
    """Yearly changes of the indicator at the schools a goal is compared with."""

    schools: list[Organization]
    where: str  # "in the district", …
    changes: list[float]

    @property
    def words(self) -> str:
        return ngettext(
            "%(n)s similar school %(where)s", "%(n)s similar schools %(where)s", len(self.schools)
        ) % {"n": len(self.schools), "where": self.where}


def peer_gains(org: Organization, indicator: Indicator, year: int) -> PeerGains:
    """Similar schools' yearly changes on the same indicator, from public figures.

    The school's most similar schools (explore.peers) in its district's networks, or its
    district; without any, the district's other schools of the same level. A district's
    own plan has no similar schools to compare with.
    """
    if not org.is_school:
        return PeerGains([], "", [])
    schools, where = _similar(org, indicator, year)
    by_district: dict[Organization, list[str]] = defaultdict(list)
    for school in schools:
        district = school.district()
        if district is not None:
            by_district[district].append(cube.org_code(school))
    changes: list[float] = []
    for district, codes in by_district.items():
        rows = cube.load(district, Audience.PUBLIC, indicator.where()).frame
        changes += yearly_changes(rows, indicator, codes)
    return PeerGains(schools, where, changes)


def _similar(
    school: Organization, indicator: Indicator, year: int
) -> tuple[list[Organization], str]:
    district = school.district()
    assert district is not None
    pool = "network" if district.networks.exists() else "district"
    filters = Filters(year, indicator.subject, indicator.grade, indicator.metric, ALL)
    found = peers.similar(school, Audience.PUBLIC, filters, pool)
    schools = [p.org for p in found.peers if p.org is not None] if found else []
    if schools and found is not None:
        return schools, found.pool_label
    same = district.children.filter(kind=Organization.Kind.SCHOOL, level=school.level)
    where = _("of the same level in the district")
    return list(same.exclude(pk=school.pk).order_by("name")), where


# --- the checker's facts ------------------------------------------------------------------------


def population(goal: Goal, org: Organization) -> str:
    """Whom the goal is for, in words: "English learners at Alder Creek Elementary"."""
    if goal.is_gap:
        return _("%(group)s, compared with %(other)s, at %(org)s") % {
            "group": labels.group(goal.group_type, goal.group_value),
            "other": labels.group(goal.compare_type, goal.compare_value),
            "org": org.name,
        }
    if not goal.group_type:
        return ""
    return _("%(group)s at %(org)s") % {
        "group": labels.group(goal.group_type, goal.group_value),
        "org": org.name,
    }


def outcome(goal: Goal) -> str:
    """What the goal is about, in the words of the results page's title:
    "Proficient · Mathematics · Grade 4"."""
    if not goal.metric:
        return goal.measure
    parts = [labels.metric(goal.metric)]
    if goal.subject != ALL:
        parts.append(labels.subject(goal.subject))
    if goal.grade != ALL:
        parts.append(labels.grade(goal.grade))
    words = " · ".join(parts)
    return _("The gap in %(what)s") % {"what": words} if goal.is_gap else words


def facts(
    goal: Goal, cycle: Cycle, reading: Reading | None, gains: PeerGains | None
) -> smart.Facts:
    return smart.Facts(
        population=population(goal, cycle.org),
        outcome=outcome(goal),
        catalog=bool(goal.metric),
        measure_kind=goal.measure_kind,
        rate=bool(goal.metric) and is_rate(goal.metric),  # another measure: as typed
        gap=goal.is_gap,
        decrease=goal.direction == Goal.Direction.DECREASE,
        baseline=reading.as_baseline() if reading else None,
        target=goal.target,
        target_year=goal.target_year,
        first_year=cycle.first_year,
        last_year=cycle.last_year,
        peer_changes=gains.changes if gains else (),
        peers=gains.words if gains else "",
    )


def needs_peers(goal: Goal, reading: Reading | None) -> bool:
    """Whether the checker will compare the goal with similar schools (the costly part):
    only with a baseline the viewer can see, a target and a target year."""
    base = reading.baseline if reading else None
    seen = base is not None and base.value is not None
    return seen and goal.target is not None and goal.target_year is not None
