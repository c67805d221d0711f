"""Strategy reviews (continue, adjust or stop, with the evidence) and the initiative inventory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from headway.accounts.models import User
from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.monitor import describe, flags
from headway.monitor import inventory as stock
from headway.monitor.access import (
    cap_for,
    get_cycle_for_user,
    get_initiative_for_user,
    get_strategy_for_user,
)
from headway.monitor.flags import Evidence, Flag
from headway.monitor.forms.strategies import (
    INITIATIVE_FIELDS,
    InitiativeEditForm,
    InitiativeForm,
    ReviewForm,
)
from headway.monitor.models import Initiative, StrategyReview
from headway.monitor.reading import MeasureReading
from headway.monitor.reviews import record_review
from headway.orgs.roles import Cap
from headway.plans.access import CycleAccess
from headway.plans.models import ActionStep, Cycle, Plan, Strategy
from headway.teams.conflicts import ConflictRow, on_stale, reopened

CONFIRM, BACK = "confirm", "back"  # the buttons of the confirmation before stopping


def strategies_url(cycle: Cycle, anchor: str = "") -> str:
    url = reverse("monitor-strategies", args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


def inventory_url(cycle: Cycle, anchor: str = "") -> str:
    url = reverse("monitor-inventory", args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


def _plan(access: CycleAccess) -> Plan | None:
    plan = Plan.objects.filter(cycle=access.cycle).first()
    if plan is not None:
        access.cycle.org = access.org_access.org  # for speed: each is read once
        plan.cycle = access.cycle
    return plan


def _evidence(access: CycleAccess) -> list[Evidence]:
    """The evidence and flags of each strategy, from the public figures: a review keeps the
    flags it was decided on, and the whole team reads it."""
    plan = _plan(access)
    return [] if plan is None else flags.gather(plan, internal=False)


# --- the strategies and their flags -------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A strategy on the overview: its evidence, its flags, when it is next reviewed."""

    evidence: Evidence
    flags: list[Flag]
    today: date

    @property
    def strategy(self) -> Strategy:
        return self.evidence.strategy

    @property
    def stop_flags(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.stop_candidate]

    @property
    def due(self) -> bool:
        next_review = self.evidence.next_review
        return next_review is not None and next_review <= self.today

    @property
    def when(self) -> str:
        next_review = self.evidence.next_review
        return "" if next_review is None else flags.due_words(next_review, self.today)


def _lines(evidence: list[Evidence]) -> list[Line]:
    today = timezone.localdate()
    found = flags.flags_for(evidence, today)
    return [Line(ev, found[ev.strategy.pk], today) for ev in evidence]


# /o/<code>/monitor/<ccode>/strategies/
@require_GET
@login_required
def overview(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, cap_for(request))
    lines = _lines(_evidence(access))
    context = {
        "org": access.cycle.org,
        "cycle": access.cycle,
        "access": access,
        "lines": lines,
        "candidates": sum(1 for line in lines if line.stop_flags),
    }
    return render(request, "monitor/strategies.html", context)


# --- one strategy's review ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureLine:
    """A goal measure on the review page, in words (monitor.describe)."""

    reading: MeasureReading

    @property
    def latest(self) -> str:
        points = self.reading.points
        return describe.point_text(self.reading, len(points) - 1) if points else describe.NO_VALUE

    @property
    def signal(self) -> str:
        return describe.signal_word(self.reading)

    @property
    def track(self) -> str:
        return describe.track_sentence(self.reading)

    @property
    def signals(self) -> list[str]:
        """The signals of the chart's present phase, one sentence each."""
        last = len(self.reading.phases) - 1
        found = [f for f in self.reading.found if f.phase == last]
        return [describe.signal_sentence(self.reading, f) for f in found]


def _review_context(
    request: HttpRequest, access: CycleAccess, strategy: Strategy, form: ReviewForm
) -> dict[str, Any]:
    lines = _lines(_evidence(access))
    line = next(line for line in lines if line.strategy.pk == strategy.pk)
    ev = line.evidence
    today = timezone.localdate()
    return {
        "org": access.cycle.org,
        "cycle": access.cycle,
        "line": line,
        "ev": ev,
        "strategy": ev.strategy,
        "measures": [MeasureLine(r) for r in ev.readings],
        "actions": sorted(ev.strategy.actions.all(), key=lambda a: (a.due, a.order)),
        "rocks": [(r, flags.rock_off_track(r, today)) for r in ev.strategy.rocks.all()],
        "done": ActionStep.Status.DONE,
        "budget": list(ev.strategy.budget.all()),
        "form": form,
    }


def _review_page(
    request: HttpRequest, access: CycleAccess, strategy: Strategy, form: ReviewForm
) -> HttpResponse:
    context = _review_context(request, access, strategy, form)
    return render(request, "monitor/strategy_review.html", context)


def _save_review(
    request: HttpRequest, access: CycleAccess, strategy: Strategy, form: ReviewForm
) -> StrategyReview:
    """Record the decision with the flags the page showed."""
    lines = _lines(_evidence(access))
    shown = next(line.flags for line in lines if line.strategy.pk == strategy.pk)
    review = form.save(commit=False)
    review.strategy = strategy
    user = request.user if isinstance(request.user, User) else None
    return record_review(review, shown, user)


def _saved_message(review: StrategyReview, strategy: Strategy) -> str:
    words = {"title": strategy.title}
    if review.verdict == StrategyReview.Verdict.STOP:
        return _("“%(title)s” is stopped. The review and its evidence are kept.") % words
    if review.verdict == StrategyReview.Verdict.ADJUST:
        return _("The review of “%(title)s” is saved: the team adjusts it.") % words
    return _("The review of “%(title)s” is saved: it continues.") % words


# /o/<code>/monitor/<ccode>/strategies/<scode>/review/
@require_http_methods(["GET", "POST"])
@login_required
def review(request: HttpRequest, code: UUID, ccode: UUID, scode: UUID) -> HttpResponse:
    access, strategy = get_strategy_for_user(request, code, ccode, scode, Cap.EDIT_PLAN)
    if request.method != "POST":
        return _review_page(request, access, strategy, ReviewForm())
    form = ReviewForm(request.POST)
    if not form.is_valid() or BACK in request.POST:
        return _review_page(request, access, strategy, form)
    if form.stops and CONFIRM not in request.POST:
        context = _review_context(request, access, strategy, form)
        return render(request, "monitor/strategy_stop.html", context)
    saved = _save_review(request, access, strategy, form)
    detail = {"verdict": saved.verdict, "title": strategy.title}
    record(request, "monitor.strategy_reviewed", org=access.cycle.org, obj=strategy, detail=detail)
    messages.success(request, _saved_message(saved, strategy))
    return redirect(strategies_url(access.cycle, f"strategy-{strategy.code}"))


# --- the initiative inventory -------------------------------------------------------------------


def _inventory_context(access: CycleAccess, form: InitiativeForm | None) -> dict[str, Any]:
    plan = _plan(access)
    org = access.cycle.org
    strategies = (
        [] if plan is None else plan.strategies.prefetch_related("budget").order_by("order")
    )
    table = stock.rows(strategies, Initiative.objects.filter(org=org), org.enrollment)
    return {
        "org": org,
        "cycle": access.cycle,
        "access": access,
        "rows": table,
        "totals": stock.totals(table),
        "chart": stock.hours_chart(table),
        "form": form,
    }


# /o/<code>/monitor/<ccode>/inventory/
@require_http_methods(["GET", "POST"])
@login_required
def inventory(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, cap_for(request))
    org = access.cycle.org
    form = InitiativeForm(request.POST or None, instance=Initiative(org=org))
    if request.method == "POST" and form.is_valid():
        initiative = form.save()
        record(request, "monitor.initiative_added", org=org, obj=initiative)
        messages.success(request, _("“%(name)s” was added.") % {"name": initiative.name})
        return redirect(inventory_url(access.cycle, f"initiative-{initiative.code}"))
    shown = form if access.can_contribute else None
    return render(request, "monitor/inventory.html", _inventory_context(access, shown))


def _initiative_access(
    request: HttpRequest, code: UUID, ccode: UUID, icode: UUID
) -> tuple[CycleAccess, Initiative]:
    """Changing an initiative needs CONTRIBUTE; the cycle is where the page returns to."""
    _monitor, initiative = get_initiative_for_user(request, code, icode, Cap.CONTRIBUTE)
    return get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE), initiative


def _initiative_page(
    request: HttpRequest,
    access: CycleAccess,
    form: InitiativeForm,
    initiative: Initiative,
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    context = {
        "org": access.cycle.org,
        "cycle": access.cycle,
        "form": form,
        "initiative": initiative,
        "conflict": conflict or [],
    }
    return render(request, "monitor/initiative_form.html", context)


# /o/<code>/monitor/<ccode>/inventory/<icode>/
@require_http_methods(["GET", "POST"])
@login_required
def initiative(request: HttpRequest, code: UUID, ccode: UUID, icode: UUID) -> HttpResponse:
    access, item = _initiative_access(request, code, ccode, icode)
    initial = {"revision": item.revision}
    form = InitiativeEditForm(request.POST or None, instance=item, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return _initiative_page(request, access, form, item)
    try:
        save_revision(item, form.cleaned_data["revision"], INITIATIVE_FIELDS)
    except Stale:
        stored = Initiative.objects.get(pk=item.pk)
        conflict = on_stale(request, form, stored)
        again = InitiativeEditForm(reopened(request, stored.revision), instance=stored)
        return _initiative_page(request, access, again, stored, conflict)
    record(request, "monitor.initiative_updated", org=access.cycle.org, obj=item)
    messages.success(request, _("“%(name)s” was saved.") % {"name": item.name})
    return redirect(inventory_url(access.cycle, f"initiative-{item.code}"))


# /o/<code>/monitor/<ccode>/inventory/<icode>/remove/
@require_http_methods(["GET", "POST"])
@login_required
def initiative_remove(request: HttpRequest, code: UUID, ccode: UUID, icode: UUID) -> HttpResponse:
    access, item = _initiative_access(request, code, ccode, icode)
    if request.method == "POST":
        item.delete()
        detail = {"name": item.name}
        record(request, "monitor.initiative_removed", org=access.cycle.org, detail=detail)
        messages.success(request, _("“%(name)s” was removed from the inventory.") % detail)
        return redirect(inventory_url(access.cycle))
    context = {"org": access.cycle.org, "cycle": access.cycle, "initiative": item}
    return render(request, "monitor/initiative_remove.html", context)
