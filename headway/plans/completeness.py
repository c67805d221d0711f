"""The plan's completeness checklist, computed live from what the team has written so far.

Two parts. The key components every improvement plan needs (seed 004's checklist: needs
assessment, team, data, SMART goals, strategies, roles and responsibilities, timeline,
resources, professional learning, communication, monitoring). Then, for schools with an
ESSA designation (CSI, TSI or ATSI), what ESEA §1111(d) asks of their plan
(standards.md §2.5).

The rules are plain Python over ``Facts``, a few numbers and flags; ``gather`` reads those
from the database in a fixed handful of queries, however big the plan is.

Simplifications, on purpose: a SMART goal counts when it names a result with a baseline
year and a target within the plan's years (the full SMART check needs the data and lives
on the goals page); monitoring counts when every goal has interim targets or the plan has
45-day rocks. The §1003 rule (school improvement funds pay only for evidence tiers 1–3,
ESEA §8101(21)(B)) is checked for every designated school, since those funds go to CSI
and TSI schools alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, Max, Min, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from headway.explore.labels import ASSESSMENT_METRICS, LEVEL_PREFIX
from headway.orgs.models import Organization
from headway.plans.evidence_rules import SCHOOL_IMPROVEMENT, fundable_by_1003
from headway.plans.models import (
    ActionStep,
    Answer,
    BudgetLine,
    Communication,
    Cycle,
    Evidence,
    Goal,
    Inequity,
    Plan,
    Priority,
    Rock,
    Snapshot,
    Strategy,
)
from headway.plans.questions import QUESTIONS
from headway.teams.models import Category, TeamMember

NEAR_DAYS = 92  # action steps may fall this close before or after the plan's school years
CONDUCT_METRICS = frozenset({"chronic_absence_rate", "suspension_rate"})
STAKEHOLDERS = frozenset({Category.PRINCIPAL.value, Category.TEACHER.value, Category.PARENT.value})
CSI = Organization.Designation.CSI.value
TSI = Organization.Designation.TSI.value
ATSI = Organization.Designation.ATSI.value


# --- facts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalFacts:
    metric: str = ""
    measure: str = ""
    baseline_year: int | None = None
    target: float | None = None
    target_year: int | None = None
    interim: bool = False  # at least one interim target


@dataclass(frozen=True)
class StrategyFacts:
    title: str
    tier: int | None = None
    goals: int = 0  # how many goals it serves
    sources: frozenset[str] = frozenset()  # funding sources of its budget lines


@dataclass(frozen=True)
class Facts:
    """What the checklist needs to know about a plan and its needs assessment."""

    designation: str = Organization.Designation.NONE.value
    first_year: int = 2025
    last_year: int = 2025
    questions: int = len(QUESTIONS)
    answered: int = 0
    evidence_metrics: tuple[str, ...] = ()  # one per pinned piece of evidence ("" if none)
    snapshots: int = 0
    priorities: int = 0
    teams: tuple[frozenset[str], ...] = ()  # for each team with members: whom they speak for
    goals: tuple[GoalFacts, ...] = ()
    strategies: tuple[StrategyFacts, ...] = ()
    budget_lines: int = 0
    actions: int = 0
    actions_with_resources: int = 0
    learning_actions: int = 0
    first_due: date | None = None
    last_due: date | None = None
    rocks: int = 0
    communications: int = 0
    inequities: int = 0
    involvement: bool = False  # the plan says how students and families took part
    approved: bool = False  # the plan's current version is approved (for CSI: the state too)

    @property
    def evidence(self) -> int:
        return len(self.evidence_metrics)

    @property
    def starts(self) -> date:
        return date(self.first_year, 7, 1)

    @property
    def ends(self) -> date:
        return date(self.last_year + 1, 6, 30)


# --- the checklist ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the checklist: met or not, why, and the page where to work on it."""

    key: str
    title: str
    met: bool
    reason: str
    fix: str = ""  # a page key for fix_url; "" when there is nothing to do here yet


@dataclass(frozen=True)
class Checklist:
    parts: list[Line]
    essa: list[Line] = field(default_factory=list)  # empty unless the school is designated
    designation: str = ""

    @property
    def lines(self) -> list[Line]:
        return self.parts + self.essa

    @property
    def met(self) -> int:
        return sum(line.met for line in self.lines)

    @property
    def total(self) -> int:
        return len(self.lines)


Rule = Callable[[Facts], Line]


def needs_assessment(f: Facts) -> Line:
    title = _("Needs assessment")
    half = (f.questions + 1) // 2
    if f.answered < half:
        reason = _("%(n)s of %(total)s guided questions answered; at least %(half)s needed.") % {
            "n": f.answered,
            "total": f.questions,
            "half": half,
        }
        return Line("needs", title, False, reason, "assessment")
    if not f.evidence:
        reason = _("The answers need evidence: pin at least one finding or figure to them.")
        return Line("needs", title, False, reason, "assessment")
    reason = _("%(n)s of %(total)s questions answered; evidence pinned: %(pins)s.") % {
        "n": f.answered,
        "total": f.questions,
        "pins": f.evidence,
    }
    return Line("needs", title, True, reason, "assessment")


def team(f: Facts) -> Line:
    title = _("Improvement team")
    if not f.teams:
        reason = _("No improvement team with members yet.")
        return Line("team", title, False, reason, "team")
    people = max(len(categories) for categories in f.teams)
    reason = ngettext(
        "The team has members speaking for %(n)s group.",
        "The team has members speaking for %(n)s groups.",
        people,
    ) % {"n": people}
    return Line("team", title, True, reason, "team")


def data(f: Facts) -> Line:
    title = _("Achievement and other data")
    if f.evidence or f.snapshots:
        reason = _("Evidence pinned: %(pins)s; snapshots taken: %(snaps)s.") % {
            "pins": f.evidence,
            "snaps": f.snapshots,
        }
        return Line("data", title, True, reason, "assessment")
    reason = _("No evidence pinned and no snapshot of the school's figures taken yet.")
    return Line("data", title, False, reason, "snapshots")


def _is_smart(goal: GoalFacts, f: Facts) -> bool:
    measured = bool(goal.metric and goal.baseline_year) or bool(goal.measure)
    timely = goal.target_year is not None and f.first_year <= goal.target_year <= f.last_year
    return measured and goal.target is not None and timely


def smart_goals(f: Facts) -> Line:
    title = _("SMART goals")
    smart = sum(_is_smart(goal, f) for goal in f.goals)
    if not f.goals:
        return Line("goals", title, False, _("No goals yet."), "goals")
    if not smart:
        reason = _(
            "No goal yet names a result with its baseline year and a target within the "
            "plan's school years."
        )
        return Line("goals", title, False, reason, "goals")
    reason = _(
        "%(n)s of %(total)s goals name a result, a baseline year and a target within the plan."
    ) % {"n": smart, "total": len(f.goals)}
    return Line("goals", title, True, reason, "goals")


def strategies(f: Facts) -> Line:
    title = _("Strategies")
    if not f.strategies:
        return Line("strategies", title, False, _("No strategies yet."), "strategy-create")
    loose = [s.title for s in f.strategies if not s.goals]
    if loose:
        reason = _("Not tied to a goal: %(titles)s.") % {"titles": ", ".join(loose)}
        return Line("strategies", title, False, reason, "alignment")
    reason = ngettext(
        "%(n)s strategy, serving the plan's goals.",
        "%(n)s strategies, each serving at least one goal.",
        len(f.strategies),
    ) % {"n": len(f.strategies)}
    return Line("strategies", title, True, reason, "strategies")


def roles(f: Facts) -> Line:
    title = _("Roles and responsibilities")
    if not f.actions:
        reason = _("No action steps yet: each one names who leads it.")
        return Line("roles", title, False, reason, "action-create")
    reason = ngettext(
        "%(n)s action step, with who leads it.",
        "%(n)s action steps, each with who leads it.",
        f.actions,
    ) % {"n": f.actions}
    return Line("roles", title, True, reason, "actions")


def timeline(f: Facts) -> Line:
    title = _("Timeline")
    if not f.actions or f.first_due is None or f.last_due is None:
        reason = _("No action steps with due dates yet.")
        return Line("timeline", title, False, reason, "action-create")
    slack = timedelta(days=NEAR_DAYS)
    if f.first_due < f.starts - slack or f.last_due > f.ends + slack:
        reason = _("Some action steps are due far outside the plan's school years.")
        return Line("timeline", title, False, reason, "actions")
    if not f.rocks:
        reason = _("The action steps have due dates; set 45-day rocks for the next few weeks.")
        return Line("timeline", title, False, reason, "rocks")
    reason = _("Action steps are due within the plan's years; 45-day rocks set: %(n)s.") % {
        "n": f.rocks
    }
    return Line("timeline", title, True, reason, "actions")


def resources(f: Facts) -> Line:
    title = _("Resources")
    if not (f.budget_lines or f.actions_with_resources):
        reason = _("No budget lines on strategies and no resources on action steps yet.")
        return Line("resources", title, False, reason, "strategies")
    reason = _("Budget lines: %(lines)s; action steps naming their resources: %(actions)s.") % {
        "lines": f.budget_lines,
        "actions": f.actions_with_resources,
    }
    return Line("resources", title, True, reason, "strategies")


def learning(f: Facts) -> Line:
    title = _("Professional learning")
    if not f.learning_actions:
        reason = _("No action step is marked as professional learning yet.")
        return Line("learning", title, False, reason, "actions")
    reason = ngettext(
        "%(n)s action step is professional learning.",
        "%(n)s action steps are professional learning.",
        f.learning_actions,
    ) % {"n": f.learning_actions}
    return Line("learning", title, True, reason, "actions")


def communication(f: Facts) -> Line:
    title = _("Communication")
    if not f.communications:
        reason = _("No communication plan yet: who hears about the plan, how and when.")
        return Line("communication", title, False, reason, "communication")
    reason = ngettext(
        "%(n)s line in the communication plan.",
        "%(n)s lines in the communication plan.",
        f.communications,
    ) % {"n": f.communications}
    return Line("communication", title, True, reason, "communication")


def monitoring(f: Facts) -> Line:
    title = _("Monitoring progress")
    if f.rocks:
        reason = _("45-day rocks set: %(n)s, checked as the weeks go by.") % {"n": f.rocks}
        return Line("monitoring", title, True, reason, "rocks")
    if f.goals and all(goal.interim for goal in f.goals):
        reason = _("Every goal has interim targets to check progress against.")
        return Line("monitoring", title, True, reason, "goals")
    reason = _("Give every goal interim targets, or set 45-day rocks.")
    return Line("monitoring", title, False, reason, "rocks")


KEY_COMPONENTS: tuple[Rule, ...] = (
    needs_assessment,
    team,
    data,
    smart_goals,
    strategies,
    roles,
    timeline,
    resources,
    learning,
    communication,
    monitoring,
)


# --- ESSA (standards.md §2.5) -------------------------------------------------------------------


def _is_assessment(metric: str) -> bool:
    return metric in ASSESSMENT_METRICS or metric.startswith(LEVEL_PREFIX)


def all_indicators(f: Facts) -> Line:
    title = _("Informed by all indicators")
    metrics = {goal.metric for goal in f.goals} | set(f.evidence_metrics)
    tested = any(_is_assessment(m) for m in metrics)
    conduct = bool(metrics & CONDUCT_METRICS)
    if tested and conduct:
        reason = _("Goals and evidence cover test results and attendance or discipline.")
        return Line("indicators", title, True, reason, "goals")
    if not (tested or conduct):
        reason = _("No goal or pinned evidence covers test results, attendance or discipline yet.")
    elif not tested:
        reason = _("No goal or pinned evidence covers test results yet.")
    else:
        reason = _("No goal or pinned evidence covers attendance or discipline yet.")
    return Line("indicators", title, False, reason, "goals")


def evidence_based(f: Facts) -> Line:
    title = _("Evidence-based interventions")
    if not f.strategies:
        return Line("evidence", title, False, _("No strategies yet."), "strategy-create")
    untiered = [s.title for s in f.strategies if s.tier is None]
    if untiered:
        reason = _("No ESSA evidence tier yet: %(titles)s.") % {"titles": ", ".join(untiered)}
        return Line("evidence", title, False, reason, "strategies")
    funded = [
        s.title
        for s in f.strategies
        if SCHOOL_IMPROVEMENT in s.sources and not fundable_by_1003(s.tier)
    ]
    if funded:
        reason = _(
            "School improvement funds (§1003) pay only for tiers 1 to 3, not: %(titles)s."
        ) % {"titles": ", ".join(funded)}
        return Line("evidence", title, False, reason, "strategies")
    reason = _("Every strategy has its ESSA evidence tier.")
    return Line("evidence", title, True, reason, "strategies")


def needs_based(f: Facts) -> Line:
    title = _("Based on a school-level needs assessment")
    if not needs_assessment(f).met:
        reason = _("Complete the needs assessment first: answers and evidence.")
        return Line("based", title, False, reason, "assessment")
    if not f.priorities:
        reason = _("Name the priorities that come out of the needs assessment.")
        return Line("based", title, False, reason, "priorities")
    reason = _("The priorities rest on the needs assessment.")
    return Line("based", title, True, reason, "priorities")


def inequities(f: Facts) -> Line:
    title = _("Resource inequities identified")
    if not f.inequities:
        reason = _("ESSA asks the plan to name at least one resource inequity it addresses.")
        return Line("inequities", title, False, reason, "inequities")
    reason = ngettext(
        "%(n)s resource inequity named, with what the plan does about it.",
        "%(n)s resource inequities named, with what the plan does about them.",
        f.inequities,
    ) % {"n": f.inequities}
    return Line("inequities", title, True, reason, "inequities")


def stakeholders(f: Facts) -> Line:
    title = _("Developed with stakeholders")
    if not any(categories >= STAKEHOLDERS for categories in f.teams):
        reason = _("The team needs a principal, a teacher and a parent among its members.")
        return Line("stakeholders", title, False, reason, "team")
    if not f.involvement:
        reason = _("Say how students and families took part in the plan.")
        return Line("stakeholders", title, False, reason, "plan-edit")
    reason = _("The team includes a principal, a teacher and a parent; families took part.")
    return Line("stakeholders", title, True, reason, "plan-edit")


def approval(f: Facts) -> Line:
    title = _("Approved by the school, district and state")
    if f.approved:
        reason = _("The school submitted it; the district and the state approved it.")
        return Line("approval", title, True, reason, "review")
    reason = _("The school submits the plan; the district and then the state approve it.")
    return Line("approval", title, False, reason, "review")


ESSA_RULES: tuple[tuple[Rule, frozenset[str]], ...] = (
    (all_indicators, frozenset({CSI, TSI, ATSI})),
    (evidence_based, frozenset({CSI, TSI, ATSI})),
    (needs_based, frozenset({CSI})),
    (inequities, frozenset({CSI, ATSI})),
    (stakeholders, frozenset({CSI, TSI, ATSI})),
    (approval, frozenset({CSI})),
)


def check(f: Facts) -> Checklist:
    parts = [rule(f) for rule in KEY_COMPONENTS]
    essa = [rule(f) for rule, designations in ESSA_RULES if f.designation in designations]
    return Checklist(parts, essa, f.designation if essa else "")


# --- where to fix a line ------------------------------------------------------------------------

PAGES = {
    "assessment": ("plans-assessment", ""),
    "snapshots": ("plans-snapshots", ""),
    "priorities": ("plans-priorities", ""),
    "goals": ("plans-goals", ""),
    "strategy-create": ("plans-strategy-create", ""),
    "strategies": ("plans-plan", "strategies"),
    "action-create": ("plans-action-create", ""),
    "actions": ("plans-plan", "actions"),
    "alignment": ("plans-alignment", "unaligned"),
    "rocks": ("plans-rocks", ""),
    "communication": ("plans-commitments", "communication"),
    "inequities": ("plans-commitments", "inequities"),
    "plan-edit": ("plans-plan-edit", ""),
    "review": ("plans-review", ""),
}


def fix_url(fix: str, cycle: Cycle) -> str:
    if not fix:
        return ""
    if fix == "team":
        return reverse("teams-home", args=[cycle.org.code])
    name, anchor = PAGES[fix]
    url = reverse(name, args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


# --- reading the facts --------------------------------------------------------------------------


class _Count(Subquery):
    """How many rows a queryset has, as a subquery: all the counts then take one query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = models.IntegerField()


def _counts(plan: Plan) -> dict[str, Any]:
    cycle_id = plan.cycle_id
    written = Q(question__in=list(QUESTIONS), text__gt="")
    counted: dict[str, QuerySet[Any]] = {
        "answered": Answer.objects.filter(written, assessment__cycle_id=cycle_id),
        "snapshots": Snapshot.objects.filter(assessment__cycle_id=cycle_id),
        "priorities": Priority.objects.filter(assessment__cycle_id=cycle_id),
        "budget_lines": BudgetLine.objects.filter(strategy__plan=plan),
        "rocks": Rock.objects.filter(plan=plan),
        "communications": Communication.objects.filter(plan=plan),
        "inequities": Inequity.objects.filter(plan=plan),
    }
    # Prefixed: some names are also relations of Plan.
    expressions = {f"n_{name}": _Count(qs.order_by().values("pk")) for name, qs in counted.items()}
    row = Plan.objects.filter(pk=plan.pk).values(**expressions).get()
    return {name.removeprefix("n_"): value for name, value in row.items()}


def _actions(plan: Plan) -> dict[str, Any]:
    return ActionStep.objects.filter(plan=plan).aggregate(
        actions=Count("pk"),
        actions_with_resources=Count("pk", filter=Q(resources__gt="")),
        learning_actions=Count("pk", filter=Q(professional_learning=True)),
        first_due=Min("due"),
        last_due=Max("due"),
    )


def _teams(org: Organization) -> tuple[frozenset[str], ...]:
    rows = (
        TeamMember.objects.filter(team__org=org)
        .order_by()
        .values_list("team_id", "category")
        .distinct()
    )
    teams: dict[int, set[str]] = {}
    for team_id, category in rows:
        teams.setdefault(team_id, set()).add(category)
    return tuple(frozenset(categories) for categories in teams.values())


def _goals(cycle: Cycle) -> tuple[GoalFacts, ...]:
    rows = Goal.objects.filter(assessment__cycle=cycle).values_list(
        "metric", "measure", "baseline_year", "target", "target_year", "interim"
    )
    return tuple(
        GoalFacts(*row[:5], interim=any(v is not None for v in row[5].values())) for row in rows
    )


def _strategies(plan: Plan) -> tuple[StrategyFacts, ...]:
    sources: dict[int, set[str]] = {}
    lines = BudgetLine.objects.filter(strategy__plan=plan).values_list("strategy_id", "source")
    for strategy_id, source in lines:
        sources.setdefault(strategy_id, set()).add(source)
    rows = (
        Strategy.objects.filter(plan=plan)
        .annotate(served=Count("goals"))
        .order_by("order", "created_at", "pk")  # an aggregate query ignores Meta.ordering
        .values_list("pk", "title", "tier", "served")
    )
    return tuple(
        StrategyFacts(title, tier, served, frozenset(sources.get(pk, ())))
        for pk, title, tier, served in rows
    )


def gather(plan: Plan) -> Facts:
    """The facts of a plan in seven queries, however big it is (and one each for
    ``plan.cycle`` and its organization when they are not loaded yet)."""
    cycle = plan.cycle
    metrics = Evidence.objects.filter(assessment__cycle=cycle).values_list(
        "frozen__metric", flat=True
    )
    return Facts(
        designation=cycle.org.designation,
        first_year=cycle.first_year,
        last_year=cycle.last_year,
        evidence_metrics=tuple(str(m or "") for m in metrics),
        teams=_teams(cycle.org),
        goals=_goals(cycle),
        strategies=_strategies(plan),
        involvement=bool(plan.involvement.strip()),
        approved=plan.state == Plan.State.APPROVED,
        **_counts(plan),
        **_actions(plan),
    )
