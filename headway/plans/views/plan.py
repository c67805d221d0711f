"""The plan of a cycle: its overview with the live checklist, its narrative, the alignment
map, and its communication plan, district support and resource inequities."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Manager, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.orgs.roles import Cap
from headway.plans import alignment as aligned
from headway.plans import completeness
from headway.plans.access import CycleAccess, cap_for, get_plan_for_user
from headway.plans.forms.plan import COMMITMENT_FORMS, NARRATIVE, PlanForm
from headway.plans.models import ActionStep, Cycle, Goal, Plan, Priority, Rock, Strategy
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale

SECTIONS = {"communication": "communication", "support": "support", "inequity": "inequities"}
ADDED = {
    "communication": gettext_lazy("The line was added to the communication plan."),
    "support": gettext_lazy("The district's commitment was added."),
    "inequity": gettext_lazy("The resource inequity was added."),
}
SHORT_LIST = 5  # lines of each commitment list shown on the overview


def plan_url(cycle: Cycle, anchor: str = "") -> str:
    url = reverse("plans-plan", args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


def commitments_url(cycle: Cycle, anchor: str = "") -> str:
    url = reverse("plans-commitments", args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


# --- the overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StrategyRow:
    strategy: Strategy
    budget: Decimal
    actions: int


@dataclass(frozen=True)
class PriorityRow:
    priority: Priority | None  # None: goals not tied to a priority
    goals: list[Goal]


@dataclass(frozen=True)
class Check:
    line: completeness.Line
    url: str


def _strategy_rows(plan: Plan, actions: list[ActionStep]) -> list[StrategyRow]:
    per_strategy = Counter(action.strategy_id for action in actions)
    strategies = (
        plan.strategies.annotate(budget_total=Sum("budget__amount"))
        .order_by("order", "created_at", "pk")  # an aggregate query ignores Meta.ordering
        .prefetch_related("goals")
    )
    return [StrategyRow(s, s.budget_total or Decimal(0), per_strategy[s.pk]) for s in strategies]


def _priority_rows(access: CycleAccess) -> list[PriorityRow]:
    priorities = list(access.assessment.priorities.all())
    goals = list(access.assessment.goals.all())
    rows = [PriorityRow(p, [g for g in goals if g.priority_id == p.pk]) for p in priorities]
    loose = [g for g in goals if g.priority_id is None]
    return rows + [PriorityRow(None, loose)] if loose else rows


def _rock_counts(plan: Plan) -> dict[str, int]:
    counts = dict.fromkeys(Rock.Status.values, 0)
    for status in plan.rocks.values_list("status", flat=True):
        counts[status] += 1
    return counts


def _checks(lines: list[completeness.Line], cycle: Cycle) -> list[Check]:
    return [Check(line, completeness.fix_url(line.fix, cycle)) for line in lines]


# /o/<code>/plan/<ccode>/plan/
@require_GET
@login_required
def overview(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode)
    cycle = access.cycle
    plan.cycle = cycle  # for speed: the cycle and its organization are read once
    actions = list(plan.actions.select_related("strategy"))
    checklist = completeness.check(completeness.gather(plan))
    context: dict[str, Any] = {
        "cycle": cycle,
        "access": access,
        "plan": plan,
        "story": [(PlanForm.base_fields[name].label, getattr(plan, name)) for name in NARRATIVE],
        "priorities": _priority_rows(access),
        "strategies": _strategy_rows(plan, actions),
        "actions": actions,
        "rocks": _rock_counts(plan),
        "communications": plan.communications.all()[:SHORT_LIST],
        "supports": plan.supports.all()[:SHORT_LIST],
        "inequities": plan.inequities.all()[:SHORT_LIST],
        "checklist": checklist,
        "parts": _checks(checklist.parts, cycle),
        "essa": _checks(checklist.essa, cycle),
        "designation": cycle.org.get_designation_display(),
    }
    return render(request, "plans/plan.html", context)


# --- the narrative ------------------------------------------------------------------------------


# /o/<code>/plan/<ccode>/plan/edit/
@login_required
def edit(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    form = PlanForm(request.POST or None, instance=plan, initial={"revision": plan.revision})
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        try:
            save_revision(plan, form.cleaned_data["revision"], NARRATIVE)
        except Stale:
            stored = Plan.objects.get(pk=plan.pk)
            say_stale(request, _("The plan"))
            conflict = conflict_rows(form, PlanForm.stored(stored))
            form = PlanForm(reopened(request, stored.revision), instance=stored)
        else:
            record(request, "plan.updated", org=access.cycle.org, obj=plan)
            messages.success(request, _("Saved."))
            return redirect(plan_url(access.cycle, "story"))
    context = {"cycle": access.cycle, "form": form, "conflict": conflict}
    return render(request, "plans/plan_form.html", context)


# --- the alignment map --------------------------------------------------------------------------


# /o/<code>/plan/<ccode>/plan/alignment/
@require_GET
@login_required
def alignment(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode)
    context = {"cycle": access.cycle, "access": access, "map": aligned.read(plan)}
    return render(request, "plans/alignment.html", context)


# --- communication, district support, resource inequities ---------------------------------------


def _commitment_forms(access: CycleAccess) -> dict[str, forms.ModelForm[Any]]:
    if not access.can_contribute:
        return {}
    return {kind: form_class(prefix=kind) for kind, form_class in COMMITMENT_FORMS.items()}


def _commitments_page(
    request: HttpRequest, access: CycleAccess, plan: Plan, posted: dict[str, Any]
) -> HttpResponse:
    context = {
        "cycle": access.cycle,
        "access": access,
        "communications": plan.communications.all(),
        "supports": plan.supports.all(),
        "inequities": plan.inequities.all(),
        "forms": _commitment_forms(access) | posted,
        "designation": access.cycle.org.designation,
    }
    return render(request, "plans/commitments.html", context)


# /o/<code>/plan/<ccode>/plan/commitments/
@login_required
def commitments(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, cap_for(request))
    if request.method != "POST":
        return _commitments_page(request, access, plan, {})
    kind = request.POST.get("kind", "")
    if kind not in COMMITMENT_FORMS:
        raise Http404("No such list.")
    form = COMMITMENT_FORMS[kind](request.POST, prefix=kind)
    if not form.is_valid():
        return _commitments_page(request, access, plan, {kind: form})
    form.instance.plan = plan
    item = form.save()
    record(request, f"plan.{kind}_added", org=access.cycle.org, obj=item)
    messages.success(request, str(ADDED[kind]))
    return redirect(commitments_url(access.cycle, SECTIONS[kind]))


def _commitment_lists(plan: Plan) -> dict[str, Manager[Any]]:
    return {
        "communication": plan.communications,
        "support": plan.supports,
        "inequity": plan.inequities,
    }


# /o/<code>/plan/<ccode>/plan/commitments/<kind>/<icode>/remove/
@login_required
def commitment_remove(
    request: HttpRequest, code: UUID, ccode: UUID, kind: str, icode: UUID
) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    lists = _commitment_lists(plan)
    if kind not in lists:
        raise Http404("No such list.")
    item = get_object_or_404(lists[kind], code=icode)
    if request.method == "POST":
        item.delete()
        detail = {"kind": kind, "text": str(item)[:200]}
        record(request, f"plan.{kind}_removed", org=access.cycle.org, obj=plan, detail=detail)
        messages.success(request, _("Removed."))
        return redirect(commitments_url(access.cycle, SECTIONS[kind]))
    context = {"cycle": access.cycle, "kind": kind, "item": item}
    return render(request, "plans/commitment_remove.html", context)
