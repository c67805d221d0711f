"""The whole plan as one document: sections of paragraphs and tables, in reading order.

One builder serves every place the plan is read outside its editing pages: the version kept
when a plan is submitted (and the differences between versions), the PDF and Word exports,
and the public summary. Figures are always the public ones (suppressed), so a document can
be shared with anyone the plan is shared with.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from headway.explore.cube import Audience
from headway.plans import baselines, smart
from headway.plans.models import ActionStep, Goal, Plan, Strategy


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    slug: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Everything the section says, as plain text: what version differences compare."""
        lines = list(self.paragraphs)
        for table in self.tables:
            lines += [" | ".join(row) for row in table.rows]
        return "\n".join(lines)


@dataclass
class Document:
    title: str
    subtitle: str
    sections: list[Section]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        sections = [
            Section(
                s["slug"],
                s["title"],
                list(s["paragraphs"]),
                [
                    Table(t["caption"], list(t["columns"]), [list(r) for r in t["rows"]])
                    for t in s["tables"]
                ],
            )
            for s in data.get("sections", [])
        ]
        return cls(data.get("title", ""), data.get("subtitle", ""), sections)

    def texts(self) -> dict[str, str]:
        return {s.title: s.text for s in self.sections}


def build(plan: Plan, *, public: bool = False) -> Document:
    """The plan's document; ``public`` leaves out what only the team reads (budgets, owners)."""
    cycle = plan.cycle
    org = cycle.org
    goals = list(Goal.objects.filter(assessment__cycle=cycle).select_related("priority"))
    strategies = list(plan.strategies.prefetch_related("goals", "budget", Prefetch("actions")))
    sections = [
        _narrative(plan),
        _goals(goals, cycle),
        _strategies(strategies, public),
    ]
    if not public:
        sections += [_strategy_details(strategies), _actions(plan), _rocks(plan)]
    sections += [_commitments(plan, public)]
    title = _("Improvement plan of %(org)s") % {"org": org.name}
    subtitle = _("%(period)s · version %(version)s · %(state)s") % {
        "period": cycle.label,
        "version": plan.version,
        "state": plan.get_state_display(),
    }
    return Document(title, subtitle, [s for s in sections if s.paragraphs or s.tables])


def _narrative(plan: Plan) -> Section:
    parts = [
        (_("Vision"), plan.vision),
        (_("Theory of action"), plan.theory_of_action),
        (_("What already works"), plan.assets),
        (_("How students and families took part"), plan.involvement),
    ]
    return Section("narrative", _("Vision and approach"), [f"{t}: {v}" for t, v in parts if v])


def _goals(goals: list[Goal], cycle: Any) -> Section:
    rows = []
    for goal in goals:
        reading = baselines.read(
            cycle.org,
            Audience.PUBLIC,
            baselines.indicator_of(goal),
            cycle.first_year,
            goal.baseline_year,
        )
        facts = baselines.facts(goal, cycle, reading, None)
        base = reading.baseline
        rows.append(
            [
                goal.statement or facts.outcome,
                facts.population or "—",
                facts.outcome or "—",
                f"{base.text} ({base.year_label})" if base else "—",
                smart.value_text(goal.target, facts) if goal.target is not None else "—",
                smart.year_label(goal.target_year) if goal.target_year else "—",
            ]
        )
    columns = [_("Goal"), _("Students"), _("Result"), _("Baseline"), _("Target"), _("By")]
    table = Table(_("SMART goals"), columns, rows) if rows else None
    return Section("goals", _("Goals"), [], [table] if table else [])


def _strategies(strategies: list[Strategy], public: bool) -> Section:
    rows = []
    for s in strategies:
        tier = s.get_tier_display() if s.tier else _("Evidence not yet known")
        served = "; ".join(g.statement for g in s.goals.all()) or "—"
        row = [s.title, s.get_lever_display(), s.get_driver_display(), str(tier), served]
        if not public:
            total = sum((line.amount for line in s.budget.all()), start=0)
            row.append(f"{total:,.2f}")
        rows.append(row)
    columns = [_("Strategy"), _("Lever"), _("Driver"), _("Evidence"), _("Goals it serves")]
    if not public:
        columns.append(_("Budget"))
    tables = [Table(_("Strategies"), columns, rows)] if rows else []
    return Section("strategies", _("Strategies"), [], tables)


def _strategy_details(strategies: list[Strategy]) -> Section:
    """What each strategy is, why the team trusts it, and what it costs, line by line."""
    paragraphs = []
    for s in strategies:
        parts = [
            (_("Description"), s.description),
            (_("Evidence"), s.citation),
            (_("Logic model"), s.logic_model),
            (_("Evaluation plan"), s.evaluation),
        ]
        paragraphs += [f"{s.title} — {label}: {text}" for label, text in parts if text]
    rows = [
        [s.title, line.item, f"{line.amount:,.2f}", line.get_source_display()]
        for s in strategies
        for line in s.budget.all()
    ]
    columns = [_("Strategy"), _("What it pays for"), _("Amount"), _("Funding source")]
    tables = [Table(_("Budget"), columns, rows)] if rows else []
    return Section("details", _("Strategies in detail"), paragraphs, tables)


def _actions(plan: Plan) -> Section:
    rows = [
        [
            a.title,
            a.strategy.title if a.strategy else "—",
            a.owner,
            date_format(a.start) if a.start else "—",
            date_format(a.due),
            _("Yes") if a.professional_learning else _("No"),
            a.get_status_display(),
            a.resources or "—",
        ]
        for a in ActionStep.objects.filter(plan=plan).select_related("strategy")
    ]
    columns = [
        _("Action step"),
        _("Strategy"),
        _("Who leads it"),
        _("Starts"),
        _("Due"),
        _("Professional learning"),
        _("Status"),
        _("Resources"),
    ]
    tables = [Table(_("Action steps"), columns, rows)] if rows else []
    return Section("actions", _("Action steps and timeline"), [], tables)


def _rocks(plan: Plan) -> Section:
    rows = [
        [
            r.title,
            r.owner,
            date_format(r.due),
            r.get_status_display(),
            "; ".join(m["text"] for m in r.milestones) or "—",
        ]
        for r in plan.rocks.all()
    ]
    columns = [_("Rock"), _("Owner"), _("Due"), _("Status"), _("Milestones")]
    tables = [Table(_("45-day rocks"), columns, rows)] if rows else []
    return Section("rocks", _("45-day rocks"), [], tables)


def _commitments(plan: Plan, public: bool) -> Section:
    tables = []
    comms = [[c.audience, c.message, c.channel, c.when] for c in plan.communications.all()]
    if comms:
        columns = [_("Audience"), _("Message"), _("Channel"), _("When")]
        tables.append(Table(_("Communication plan"), columns, comms))
    if public:  # who at the district is a person's name: it stays inside the team
        support = [[s.commitment, s.when] for s in plan.supports.all()]
        columns = [_("What the district will do"), _("When")]
    else:
        support = [[s.commitment, s.by_whom, s.when] for s in plan.supports.all()]
        columns = [_("What the district will do"), _("Who"), _("When")]
    if support:
        tables.append(Table(_("District support"), columns, support))
    gaps = [[i.get_kind_display(), i.evidence, i.action] for i in plan.inequities.all()]
    if gaps:
        columns = [_("Inequity"), _("What shows it"), _("What the plan does")]
        tables.append(Table(_("Resource inequities"), columns, gaps))
    return Section("commitments", _("Communication and support"), [], tables)
