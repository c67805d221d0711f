"""SMART goals: each with its baseline from the data, its targets and the checker's verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from headway.audit.log import record
from headway.explore.access import audience_for
from headway.explore.cube import Audience
from headway.lib.revisions import Stale, save_revision
from headway.orgs.access import signed_in
from headway.orgs.roles import Cap
from headway.plans import baselines, smart
from headway.plans.access import CycleAccess, cap_for, get_cycle_for_user
from headway.plans.baselines import Reading
from headway.plans.forms.goals import EquityForm, GoalEditForm, GoalForm
from headway.plans.models import Cycle, Goal
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale

SAVED = (
    "priority",
    "statement",
    "metric",
    "subject",
    "grade",
    "group_type",
    "group_value",
    "compare_type",
    "compare_value",
    "measure",
    "measure_kind",
    "baseline",
    "baseline_year",
    "baseline_n",
    "target",
    "target_year",
    "interim",
    "direction",
)


def goals_url(cycle: Cycle, anchor: str = "") -> str:
    url = reverse("plans-goals", args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


# --- what a page shows of a goal ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One school year of the plan: the target for it and the result so far."""

    year: int
    target: str
    result: baselines.Figure | None

    @property
    def year_label(self) -> str:
        return smart.year_label(self.year)


@dataclass(frozen=True)
class GoalCard:
    goal: Goal
    facts: smart.Facts
    reading: Reading | None
    verdicts: list[smart.Verdict]
    steps: list[Step]
    data_link: str

    @property
    def baseline(self) -> baselines.Figure | None:
        return self.reading.baseline if self.reading else None

    @property
    def target_year_label(self) -> str:
        year = self.goal.target_year
        return "" if year is None else smart.year_label(year)

    @property
    def target_text(self) -> str:
        target = self.goal.target
        return "" if target is None else smart.value_text(target, self.facts)


def _reading(request: HttpRequest, access: CycleAccess, goal: Goal) -> Reading | None:
    if not goal.metric:
        return None
    audience = audience_for(request, access.org_access)
    indicator = baselines.indicator_of(goal)
    cycle = access.cycle
    return baselines.read(cycle.org, audience, indicator, cycle.first_year, goal.baseline_year)


def _card(request: HttpRequest, access: CycleAccess, goal: Goal) -> GoalCard:
    cycle = access.cycle
    reading = _reading(request, access, goal)
    gains = None
    if baselines.needs_peers(goal, reading):
        assert reading is not None and reading.baseline is not None
        indicator = baselines.indicator_of(goal)
        gains = baselines.peer_gains(cycle.org, indicator, reading.baseline.year)
    facts = baselines.facts(goal, cycle, reading, gains)
    return GoalCard(
        goal,
        facts,
        reading,
        smart.check(facts),
        _steps(goal, cycle, facts, reading),
        _link(goal, cycle),
    )


def _steps(goal: Goal, cycle: Cycle, facts: smart.Facts, reading: Reading | None) -> list[Step]:
    hidden = reading is not None and reading.baseline is not None and reading.baseline.hidden
    targets = baselines.targets_shown(goal, hidden)
    results = reading.figures if reading else {}
    return [
        Step(
            year,
            smart.value_text(targets[year], facts) if year in targets else "",
            results.get(year),
        )
        for year in range(cycle.first_year, cycle.last_year + 1)
    ]


def _link(goal: Goal, cycle: Cycle) -> str:
    """The results page showing the goal's indicator (its baseline year, its groups)."""
    if not goal.metric:
        return ""
    query = {"subject": goal.subject, "grade": goal.grade, "metric": goal.metric}
    if goal.baseline_year:
        query["year"] = str(goal.baseline_year)
    if goal.group_type != "all":
        query["compare"] = goal.group_type
    url = reverse("explore-results", args=[cycle.org.code])
    return f"{url}?{urlencode(query)}"


def _fill(goal: Goal, reading: Reading | None, form: GoalForm) -> None:
    """The baseline from the data, and the interim targets typed or filled in evenly."""
    base = reading.baseline if reading else None
    goal.baseline = base.value if base else None
    goal.baseline_n = base.n if base and base.value is not None else None
    if base is not None:
        goal.baseline_year = base.year
    typed = {} if form.cleaned_data.get("spread") else form.typed_interim()
    even = smart.even_interim(
        goal.baseline, goal.baseline_year, goal.target, goal.target_year, form.interim_years
    )
    kept = {y: v for y, v in (even | typed).items() if goal.target_year and y < goal.target_year}
    goal.interim = {str(y): v for y, v in sorted(kept.items())}


# --- pages --------------------------------------------------------------------------------------


def _overview_page(
    request: HttpRequest,
    access: CycleAccess,
    equity_form: EquityForm | None = None,
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    goals = list(access.assessment.goals.select_related("priority"))
    gap_goals = sum(1 for goal in goals if goal.is_gap)
    assessment = access.assessment
    wanted = access.can_contribute and (not gap_goals or bool(assessment.equity_reason))
    if equity_form is None and wanted:
        equity_form = EquityForm(initial=EquityForm.initial_for(assessment))
    context: dict[str, Any] = {
        "cycle": access.cycle,
        "access": access,
        "cards": [_card(request, access, goal) for goal in goals],
        "equity": smart.equity(gap_goals, assessment.equity_reason),
        "assessment": assessment,
        "equity_form": equity_form,
        "conflict": conflict or [],
        "internal": audience_for(request, access.org_access) is Audience.INTERNAL,
    }
    return render(request, "plans/goals.html", context)


def _equity_posted(request: HttpRequest, access: CycleAccess) -> HttpResponse:
    assessment = access.assessment
    form = EquityForm(request.POST)
    if not form.is_valid():
        return _overview_page(request, access, form)
    assessment.equity_reason = form.cleaned_data["equity_reason"].strip()
    try:
        save_revision(assessment, form.cleaned_data["revision"], ["equity_reason"])
    except Stale:
        assessment.refresh_from_db()
        conflict = conflict_rows(form, EquityForm.initial_for(assessment))
        say_stale(request, _("The reason why no goal closes a gap"))
        again = EquityForm(reopened(request, assessment.revision))
        return _overview_page(request, access, again, conflict)
    record(request, "plan.equity_reason_saved", org=access.cycle.org, obj=access.cycle)
    messages.success(request, _("The reason was saved."))
    return redirect(goals_url(access.cycle, "equity"))


# /o/<code>/plan/<ccode>/goals/
@login_required
def overview(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, cap_for(request))
    if request.method == "POST":
        return _equity_posted(request, access)
    return _overview_page(request, access)


def _form_page(
    request: HttpRequest,
    access: CycleAccess,
    form: GoalForm,
    goal: Goal | None,
    preview: GoalCard | None = None,
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    context = {
        "cycle": access.cycle,
        "form": form,
        "goal": goal,
        "card": preview or (_card(request, access, goal) if goal else None),
        "conflict": conflict or [],
    }
    return render(request, "plans/goal_form.html", context)


def _conflict(form: GoalForm, stored: Goal) -> list[ConflictRow]:
    """What differs between the stored goal and the form, in words rather than codes."""
    words = form.words_for()
    rows = []
    for row in conflict_rows(form, GoalForm.values_of(stored)):
        known = words.get(row.label, {})
        rows.append(
            ConflictRow(
                row.label, known.get(row.stored, row.stored), known.get(row.yours, row.yours)
            )
        )
    return rows


def _form_for(request: HttpRequest, access: CycleAccess, goal: Goal | None, data: Any) -> GoalForm:
    offer = baselines.offer(access.cycle.org, audience_for(request, access.org_access))
    kwargs: dict[str, Any] = {
        "cycle": access.cycle,
        "assessment": access.assessment,
        "offer": offer,
    }
    if goal is None:
        return GoalForm(data, **kwargs)
    return GoalEditForm(data, initial=GoalForm.values_of(goal), **kwargs)


def _previewed(request: HttpRequest, access: CycleAccess, form: GoalForm, goal: Goal) -> GoalCard:
    """Apply the form to ``goal`` (unsaved) with its baseline from the data."""
    form.apply(goal)
    _fill(goal, _reading(request, access, goal), form)
    return _card(request, access, goal)


# /o/<code>/plan/<ccode>/goals/new/
@login_required
def create(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    form = _form_for(request, access, None, request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, access, form, None)
    goal = Goal(assessment=access.assessment, created_by=signed_in(request))
    card = _previewed(request, access, form, goal)
    if request.POST.get("action") == "preview":
        return _form_page(request, access, form, None, card)
    goal.save()
    record(request, "plan.goal_created", org=access.cycle.org, obj=goal)
    messages.success(request, _("The goal was saved. Its SMART check is below."))
    return redirect(goals_url(access.cycle, f"goal-{goal.code}"))


# /o/<code>/plan/<ccode>/goals/<gcode>/
@login_required
def edit(request: HttpRequest, code: UUID, ccode: UUID, gcode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    goal = get_object_or_404(access.assessment.goals, code=gcode)
    form = _form_for(request, access, goal, request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, access, form, goal)
    card = _previewed(request, access, form, goal)
    if request.POST.get("action") == "preview":
        return _form_page(request, access, form, goal, card)
    try:
        save_revision(goal, form.cleaned_data["revision"], SAVED)
    except Stale:
        stored = Goal.objects.get(pk=goal.pk)
        conflict = _conflict(form, stored)
        say_stale(request, _("This goal"))
        again = _form_for(request, access, stored, reopened(request, stored.revision))
        return _form_page(request, access, again, stored, None, conflict)
    record(request, "plan.goal_updated", org=access.cycle.org, obj=goal)
    messages.success(request, _("The goal was saved. Its SMART check is below."))
    return redirect(goals_url(access.cycle, f"goal-{goal.code}"))


# /o/<code>/plan/<ccode>/goals/<gcode>/remove/
@login_required
def remove(request: HttpRequest, code: UUID, ccode: UUID, gcode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    goal = get_object_or_404(access.assessment.goals, code=gcode)
    if request.method == "POST":
        goal.delete()
        detail = {"statement": goal.statement[:200]}
        record(request, "plan.goal_removed", org=access.cycle.org, obj=access.cycle, detail=detail)
        messages.success(request, _("The goal was removed."))
        return redirect(goals_url(access.cycle))
    others = access.assessment.goals.filter(~Q(pk=goal.pk), compare_value__gt="").exists()
    context = {"cycle": access.cycle, "goal": goal, "last_gap": goal.is_gap and not others}
    return render(request, "plans/goal_remove.html", context)
