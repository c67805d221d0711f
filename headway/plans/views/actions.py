"""Strategies (with their evidence and budget lines) and the action steps that carry them out."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.orgs.roles import Cap
from headway.plans.access import CycleAccess, get_plan_for_user
from headway.plans.forms.actions import (
    ACTION_FIELDS,
    ActionEditForm,
    ActionForm,
    StrategyEditor,
    owner_names,
    stored_action,
)
from headway.plans.models import ActionStep, Cycle, Plan, Strategy
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale

MORE = "add_line"  # the button that offers one more empty budget line, without saving


def plan_url(cycle: Cycle, anchor: str = "") -> str:
    url = reverse("plans-plan", args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


def _next_order(queryset: QuerySet[Any]) -> int:
    highest = queryset.aggregate(Max("order"))["order__max"]
    return 0 if highest is None else highest + 1


# --- strategies ---------------------------------------------------------------------------------


def _strategy_page(
    request: HttpRequest,
    access: CycleAccess,
    editor: StrategyEditor,
    strategy: Strategy | None = None,
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    context = {
        "cycle": access.cycle,
        "strategy": strategy,
        "form": editor.form,
        "budget": editor.budget,
        "more": MORE,
        "conflict": conflict or [],
    }
    return render(request, "plans/strategy_form.html", context)


def _editor(access: CycleAccess, strategy: Strategy, data: Any) -> StrategyEditor:
    return StrategyEditor(data, assessment=access.assessment, strategy=strategy)


# /o/<code>/plan/<ccode>/plan/strategies/new/
@login_required
def strategy_create(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    editor = _editor(access, Strategy(plan=plan), request.POST or None)
    if MORE in request.POST:
        return _strategy_page(request, access, editor.refilled())
    if request.method != "POST" or not editor.is_valid():
        return _strategy_page(request, access, editor)
    strategy = editor.create(order=_next_order(plan.strategies.all()))
    record(request, "plan.strategy_added", org=access.cycle.org, obj=strategy)
    messages.success(request, _("The strategy “%(title)s” was added.") % {"title": strategy})
    return redirect(plan_url(access.cycle, f"strategy-{strategy.code}"))


# /o/<code>/plan/<ccode>/plan/strategies/<scode>/
@login_required
def strategy_edit(request: HttpRequest, code: UUID, ccode: UUID, scode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    strategy = get_object_or_404(plan.strategies, code=scode)
    editor = _editor(access, strategy, request.POST or None)
    if MORE in request.POST:
        return _strategy_page(request, access, editor.refilled(), strategy)
    if request.method != "POST" or not editor.is_valid():
        return _strategy_page(request, access, editor, strategy)
    try:
        editor.update()
    except Stale:
        stored = Strategy.objects.get(pk=strategy.pk)
        say_stale(request, _("This strategy"))
        conflict = editor.conflict(stored)
        again = _editor(access, stored, reopened(request, stored.revision))
        return _strategy_page(request, access, again, stored, conflict)
    record(request, "plan.strategy_updated", org=access.cycle.org, obj=strategy)
    messages.success(request, _("Saved."))
    return redirect(plan_url(access.cycle, f"strategy-{strategy.code}"))


# /o/<code>/plan/<ccode>/plan/strategies/<scode>/remove/
@login_required
def strategy_remove(request: HttpRequest, code: UUID, ccode: UUID, scode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    strategy = get_object_or_404(plan.strategies, code=scode)
    if request.method == "POST":
        strategy.delete()
        detail = {"title": strategy.title}
        record(request, "plan.strategy_removed", org=access.cycle.org, obj=strategy, detail=detail)
        messages.success(request, _("The strategy “%(title)s” was removed.") % detail)
        return redirect(plan_url(access.cycle))
    context = {
        "cycle": access.cycle,
        "strategy": strategy,
        "budget": strategy.budget.all(),
        "actions": strategy.actions.all(),
        "rocks": strategy.rocks.all(),
    }
    return render(request, "plans/strategy_remove.html", context)


# --- action steps -------------------------------------------------------------------------------


def _action_form(
    access: CycleAccess, plan: Plan, data: Any, action: ActionStep | None, **kwargs: Any
) -> ActionForm:
    kwargs |= {"strategies": plan.strategies.all(), "names": owner_names(access.cycle.org)}
    if action is None:
        return ActionForm(data, instance=ActionStep(plan=plan), **kwargs)
    kwargs.setdefault("initial", {"revision": action.revision})
    return ActionEditForm(data, instance=action, **kwargs)


def _action_page(
    request: HttpRequest,
    access: CycleAccess,
    form: ActionForm,
    action: ActionStep | None = None,
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    context = {"cycle": access.cycle, "form": form, "action": action, "conflict": conflict or []}
    return render(request, "plans/action_form.html", context)


def _chosen_strategy(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    """The strategy named by ?strategy=<code>, to start a step for it from the plan page."""
    wanted = request.GET.get("strategy", "")
    try:
        strategy = plan.strategies.filter(code=UUID(wanted)).first()
    except ValueError:
        strategy = None
    return {"strategy": strategy} if strategy else {}


# /o/<code>/plan/<ccode>/plan/actions/new/
@login_required
def action_create(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    initial = _chosen_strategy(request, plan)
    form = _action_form(access, plan, request.POST or None, None, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return _action_page(request, access, form)
    form.instance.order = _next_order(plan.actions.all())
    action = form.save()
    record(request, "plan.action_added", org=access.cycle.org, obj=action)
    messages.success(request, _("The action step “%(title)s” was added.") % {"title": action})
    return redirect(plan_url(access.cycle, f"action-{action.code}"))


# /o/<code>/plan/<ccode>/plan/actions/<acode>/
@login_required
def action_edit(request: HttpRequest, code: UUID, ccode: UUID, acode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    action = get_object_or_404(plan.actions, code=acode)
    form = _action_form(access, plan, request.POST or None, action)
    if request.method != "POST" or not form.is_valid():
        return _action_page(request, access, form, action)
    try:
        # Only what changed is written, so a status update alone stays progress, not a new
        # version of an approved plan (plans/review.py).
        changed = [name for name in ACTION_FIELDS if name in form.changed_data]
        save_revision(action, form.cleaned_data["revision"], changed)
    except Stale:
        stored = ActionStep.objects.get(pk=action.pk)
        say_stale(request, _("This action step"))
        conflict = conflict_rows(form, stored_action(stored))
        again = _action_form(access, plan, reopened(request, stored.revision), stored)
        return _action_page(request, access, again, stored, conflict)
    record(request, "plan.action_updated", org=access.cycle.org, obj=action)
    messages.success(request, _("Saved."))
    return redirect(plan_url(access.cycle, f"action-{action.code}"))


# /o/<code>/plan/<ccode>/plan/actions/<acode>/remove/
@login_required
def action_remove(request: HttpRequest, code: UUID, ccode: UUID, acode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    action = get_object_or_404(plan.actions.select_related("strategy"), code=acode)
    if request.method == "POST":
        action.delete()
        detail = {"title": action.title}
        record(request, "plan.action_removed", org=access.cycle.org, obj=action, detail=detail)
        messages.success(request, _("The action step “%(title)s” was removed.") % detail)
        return redirect(plan_url(access.cycle))
    context = {"cycle": access.cycle, "action": action}
    return render(request, "plans/action_remove.html", context)
