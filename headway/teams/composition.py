"""Who an improvement team should include: the composition checklist, one rule per line.

The built-in rules come from the partnership's guidance on who belongs on a school or
district improvement team and on an instructional leadership team; a district may switch
any of them off and add its own (``CustomRule``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from headway.teams.models import Category, CustomRule, Team, TeamRole

K = Team.Kind
SCHOOL_TEAMS = frozenset({K.IMPROVEMENT})
ALL_IMPROVEMENT = frozenset({K.IMPROVEMENT, K.DISTRICT})

# Which side of the table a member sits on, for the co-chair rule.
LABOR = frozenset({Category.TEACHER, Category.PARAPROFESSIONAL, Category.UNION_REP, Category.COACH})
MANAGEMENT = frozenset({Category.PRINCIPAL, Category.ASSISTANT_PRINCIPAL, Category.DISTRICT_STAFF})


@dataclass(frozen=True)
class Seat:
    """What the checklist needs to know of one member."""

    category: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Line:
    """One line of the checklist as the team sees it."""

    key: str
    title: str
    reason: str
    met: bool
    detail: str
    custom: bool = False


Check = Callable[[Sequence[Seat]], tuple[bool, str]]


@dataclass(frozen=True)
class Rule:
    slug: str
    title: Promise
    reason: Promise
    kinds: frozenset[str]
    check: Check


def _count(seats: Sequence[Seat], category: str = "", role: str = "") -> int:
    return sum(
        1
        for seat in seats
        if (not category or seat.category == category) and (not role or role in seat.roles)
    )


def _at_least(category: str, label: Promise, minimum: int = 1) -> Check:
    def check(seats: Sequence[Seat]) -> tuple[bool, str]:
        n = _count(seats, category=category)
        return n >= minimum, _g("%(n)s on the team now: %(label)s.") % {"n": n, "label": label}

    return check


def _holding(role: str, label: Promise) -> Check:
    def check(seats: Sequence[Seat]) -> tuple[bool, str]:
        n = _count(seats, role=role)
        return n >= 1, _g("%(n)s on the team now: %(label)s.") % {"n": n, "label": label}

    return check


def _community(seats: Sequence[Seat]) -> tuple[bool, str]:
    partners = _count(seats, category=Category.COMMUNITY)
    if partners:
        return True, _g("%(n)s community partner(s) on the team.") % {"n": partners}
    if _count(seats, category=Category.ELECTED):
        return False, _g(
            "An elected official is on the team, but does not take the community partner's "
            "place: add someone from a community organization as well."
        )
    return False, _g("No community partner yet.")


def _co_chairs(seats: Sequence[Seat]) -> tuple[bool, str]:
    chairs = [seat for seat in seats if TeamRole.CO_CHAIR in seat.roles]
    labor = any(seat.category in LABOR for seat in chairs)
    management = any(seat.category in MANAGEMENT for seat in chairs)
    if labor and management:
        return True, _g("Co-chairs from labor and from management.")
    sides = ((_("labor"), labor), (_("management"), management))
    missing = [str(side) for side, present in sides if not present]
    return False, _g("No co-chair from %(sides)s yet.") % {"sides": _g(" or ").join(missing)}


RULES: tuple[Rule, ...] = (
    Rule(
        "principal",
        _("The principal"),
        _("The principal leads the school's daily work; a plan without them rarely gets done."),
        frozenset({K.IMPROVEMENT, K.INSTRUCTIONAL}),
        _at_least(Category.PRINCIPAL, Category.PRINCIPAL.label),
    ),
    Rule(
        "union_rep",
        _("A union representative"),
        _(
            "Labor is an equal partner: the union's representative brings teachers' voice "
            "and helps carry decisions back to the staff."
        ),
        ALL_IMPROVEMENT,
        _at_least(Category.UNION_REP, Category.UNION_REP.label),
    ),
    Rule(
        "teachers",
        _("Teachers"),
        _("The people who carry the plan out in classrooms should help write it."),
        frozenset({K.IMPROVEMENT, K.INSTRUCTIONAL}),
        _at_least(Category.TEACHER, Category.TEACHER.label),
    ),
    Rule(
        "paraprofessional",
        _("A paraprofessional"),
        _("Paraprofessionals see students in settings teachers often do not."),
        SCHOOL_TEAMS,
        _at_least(Category.PARAPROFESSIONAL, Category.PARAPROFESSIONAL.label),
    ),
    Rule(
        "parent",
        _("A parent or family leader"),
        _("Families know their children and the community; their support makes changes last."),
        ALL_IMPROVEMENT,
        _at_least(Category.PARENT, Category.PARENT.label),
    ),
    Rule(
        "student",
        _("A student leader"),
        _("Students can say what works for them; giving them a voice is part of the work."),
        SCHOOL_TEAMS,
        _at_least(Category.STUDENT, Category.STUDENT.label),
    ),
    Rule(
        "district_staff",
        _("District staff"),
        _(
            "Someone from the district who helps schools change, so barriers outside the "
            "school's control get removed."
        ),
        ALL_IMPROVEMENT,
        _at_least(Category.DISTRICT_STAFF, Category.DISTRICT_STAFF.label),
    ),
    Rule(
        "community",
        _("A community partner"),
        _(
            "A community organization focused on school culture and climate. An elected "
            "official is welcome too, but does not replace the community partner."
        ),
        ALL_IMPROVEMENT,
        _community,
    ),
    Rule(
        "co_chairs",
        _("Co-chairs from labor and from management"),
        _("Two co-chairs, one from each side, show the work belongs to both."),
        ALL_IMPROVEMENT,
        _co_chairs,
    ),
    Rule(
        "visionary",
        _("A visionary"),
        _(
            "Someone who sees what the school will look like once it thrives, and keeps that "
            "picture in front of the team."
        ),
        frozenset({K.INSTRUCTIONAL}),
        _holding(TeamRole.VISIONARY, TeamRole.VISIONARY.label),
    ),
    Rule(
        "integrator",
        _("An integrator"),
        _("Someone who turns big ideas into daily action and keeps everyone accountable."),
        frozenset({K.INSTRUCTIONAL}),
        _holding(TeamRole.INTEGRATOR, TeamRole.INTEGRATOR.label),
    ),
)
RULE_BY_SLUG = {rule.slug: rule for rule in RULES}


def _custom_line(rule: CustomRule, seats: Sequence[Seat]) -> Line:
    n = _count(seats, category=rule.category, role=rule.role)
    return Line(
        key=str(rule.code),
        title=rule.title,
        reason=rule.reason,
        met=n >= rule.minimum,
        detail=_g("%(n)s of at least %(minimum)s on the team now.")
        % {"n": n, "minimum": rule.minimum},
        custom=True,
    )


def checklist(
    kind: str,
    seats: Sequence[Seat],
    disabled: Iterable[str] = (),
    custom: Iterable[CustomRule] = (),
) -> list[Line]:
    """The checklist for a team of ``kind`` with these members, the district's choices applied."""
    off = set(disabled)
    lines = []
    for rule in RULES:
        if kind in rule.kinds and rule.slug not in off:
            met, detail = rule.check(seats)
            lines.append(Line(rule.slug, str(rule.title), str(rule.reason), met, detail))
    for own in custom:
        if not own.team_kinds or kind in own.team_kinds:
            lines.append(_custom_line(own, seats))
    return lines


def seats_of(members: Iterable[tuple[str, Iterable[str]]]) -> list[Seat]:
    return [Seat(category, frozenset(roles)) for category, roles in members]


def tally(seats: Sequence[Seat]) -> Counter[str]:
    """How many members speak for each group, for the roster's summary."""
    return Counter(seat.category for seat in seats)
