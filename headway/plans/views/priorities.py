"""Priorities: the three or four things the plan focuses on, each tied to what it rests on."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.orgs.roles import Cap
from headway.plans.access import CycleAccess, cap_for, get_cycle_for_user
from headway.plans.forms.causes import finding_choices
from headway.plans.forms.priorities import (
    FOCUS,
    LIMIT,
    LINKS,
    PriorityEditForm,
    PriorityForm,
    stored_priority,
)
from headway.plans.models import Cycle, NeedsAssessment, Priority
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale


def priorities_url(cycle: Cycle, anchor: str = "") -> str:
    url = reverse("plans-priorities", args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


def _has_grounds(assessment: NeedsAssessment) -> bool:
    """Whether there is anything to tie a priority to yet."""
    return (
        finding_choices(assessment.cycle.org).exists()
        or assessment.why_chains.exists()
        or assessment.causes.exists()
    )


def _page(request: HttpRequest, access: CycleAccess, form: PriorityForm | None) -> HttpResponse:
    priorities = list(access.assessment.priorities.prefetch_related(*LINKS))
    context: dict[str, Any] = {
        "cycle": access.cycle,
        "access": access,
        "priorities": priorities,
        "over": len(priorities) > LIMIT,
        "limit": LIMIT,
        "focus": FOCUS,
        "has_grounds": _has_grounds(access.assessment),
        "form": form,
    }
    return render(request, "plans/priorities.html", context)


def _add(request: HttpRequest, access: CycleAccess, form: PriorityForm) -> Priority:
    highest = access.assessment.priorities.aggregate(Max("order"))["order__max"]
    form.instance.order = 0 if highest is None else highest + 1
    with transaction.atomic():
        priority = form.save()
    record(request, "plan.priority_added", org=access.cycle.org, obj=priority)
    return priority


def _move(request: HttpRequest, access: CycleAccess) -> HttpResponse:
    """Swap a priority with its neighbour above or below, then number them all again."""
    priorities = list(access.assessment.priorities.all())
    codes = [str(priority.code) for priority in priorities]
    wanted = request.POST.get("pcode", "")
    if wanted not in codes:
        raise Http404("No such priority.")
    index = codes.index(wanted)
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(priorities):
        priorities[index], priorities[other] = priorities[other], priorities[index]
    with transaction.atomic():
        for number, priority in enumerate(priorities):
            if priority.order != number:
                Priority.objects.filter(pk=priority.pk).update(order=number)
    return redirect(priorities_url(access.cycle, f"priority-{wanted}"))


# /o/<code>/plan/<ccode>/priorities/
@login_required
def overview(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, cap_for(request))
    if not access.can_contribute:
        return _page(request, access, None)
    if request.method == "POST" and request.POST.get("action") == "move":
        return _move(request, access)
    position = access.assessment.priorities.count() + 1
    form = PriorityForm(request.POST or None, assessment=access.assessment, position=position)
    if request.method == "POST" and form.is_valid():
        priority = _add(request, access, form)
        messages.success(request, _("The priority “%(title)s” was added.") % {"title": priority})
        if position > LIMIT:
            messages.warning(
                request,
                _("The plan now has %(n)s priorities. %(focus)s") % {"n": position, "focus": FOCUS},
            )
        return redirect(priorities_url(access.cycle, f"priority-{priority.code}"))
    return _page(request, access, form)


def _position(priority: Priority) -> int:
    codes = list(priority.assessment.priorities.values_list("code", flat=True))
    return codes.index(priority.code) + 1


def _save(form: PriorityEditForm) -> None:
    priority = form.instance
    with transaction.atomic():
        save_revision(priority, form.cleaned_data["revision"], form.saved_fields())
        for name in LINKS:
            getattr(priority, name).set(form.cleaned_data[name])


# /o/<code>/plan/<ccode>/priorities/<pcode>/
@login_required
def edit(request: HttpRequest, code: UUID, ccode: UUID, pcode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    assessment = access.assessment
    priority = get_object_or_404(assessment.priorities, code=pcode)
    position = _position(priority)
    kwargs: dict[str, Any] = {"assessment": assessment, "position": position}
    form = PriorityEditForm(
        request.POST or None, instance=priority, initial={"revision": priority.revision}, **kwargs
    )
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        try:
            _save(form)
        except Stale:
            priority = Priority.objects.get(pk=priority.pk)
            say_stale(request, _("This priority"))
            conflict = conflict_rows(form, stored_priority(priority))
            form = PriorityEditForm(
                reopened(request, priority.revision), instance=priority, **kwargs
            )
        else:
            record(request, "plan.priority_updated", org=access.cycle.org, obj=priority)
            messages.success(request, _("Saved."))
            return redirect(priorities_url(access.cycle, f"priority-{priority.code}"))
    context = {
        "cycle": access.cycle,
        "priority": priority,
        "form": form,
        "conflict": conflict,
        "position": position,
        "focus": FOCUS,
    }
    return render(request, "plans/priority_form.html", context)


# /o/<code>/plan/<ccode>/priorities/<pcode>/remove/
@login_required
def remove(request: HttpRequest, code: UUID, ccode: UUID, pcode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    priority = get_object_or_404(access.assessment.priorities, code=pcode)
    if request.method == "POST":
        priority.delete()
        detail = {"title": priority.title}
        record(request, "plan.priority_removed", org=access.cycle.org, detail=detail)
        messages.success(request, _("The priority “%(title)s” was removed.") % detail)
        return redirect(priorities_url(access.cycle))
    context = {"cycle": access.cycle, "priority": priority, "goals": priority.goals.all()}
    return render(request, "plans/priority_remove.html", context)
