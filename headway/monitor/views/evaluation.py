"""The end-of-cycle evaluation: each goal met or not, what was learned, which strategies
continue; finishing it starts the next cycle (plans.review.start_next_cycle)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from headway.accounts.models import User
from headway.audit.log import record
from headway.lib.revisions import Stale
from headway.monitor.access import cap_for, get_cycle_for_user
from headway.monitor.evaluation import AlreadyFinished, finals
from headway.monitor.evaluation import finish as finish_evaluation
from headway.monitor.forms.evaluation import EvaluationEditor
from headway.monitor.models import Evaluation
from headway.orgs.roles import Cap
from headway.plans import review
from headway.plans.access import CycleAccess
from headway.plans.models import Cycle, Strategy
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale

CONFIRM = "confirm"
ALREADY_STARTED = gettext_lazy(
    "The evaluation is finished, but the next cycle had already been started, so no new "
    "cycle was started and no strategies were copied. The evaluation now links to that "
    "cycle: add the strategies that continue to its plan by hand."
)


def evaluation_url(cycle: Cycle) -> str:
    return reverse("monitor-evaluation", args=[cycle.org.code, cycle.code])


def _evaluation(cycle: Cycle, create: bool) -> Evaluation:
    """The cycle's evaluation; an unsaved one until something is written."""
    if create:
        found, _created = Evaluation.objects.get_or_create(cycle=cycle)
        return found
    return Evaluation.objects.filter(cycle=cycle).first() or Evaluation(cycle=cycle)


def _strategies(cycle: Cycle) -> list[Strategy]:
    return list(Strategy.objects.filter(plan__cycle=cycle).order_by("order", "created_at"))


def _editor(
    request: HttpRequest,
    access: CycleAccess,
    evaluation: Evaluation,
    data: Any,
    finishing: bool = False,
) -> EvaluationEditor:
    cycle = access.cycle
    return EvaluationEditor(
        data,
        evaluation=evaluation,
        finals=finals(cycle),
        strategies=_strategies(cycle),
        finishing=finishing,
    )


def _page(
    request: HttpRequest,
    access: CycleAccess,
    evaluation: Evaluation,
    editor: EvaluationEditor | None,
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    cycle = access.cycle
    context: dict[str, Any] = {
        "org": cycle.org,
        "cycle": cycle,
        "access": access,
        "evaluation": evaluation,
        "editor": editor,
        "conflict": conflict or [],
        "next_cycle": evaluation.next_cycle or review.next_cycle_of(cycle),
    }
    if evaluation.finished_at is not None:
        context["goal_verdicts"] = evaluation.goals.select_related("goal").order_by(
            "goal__created_at"
        )
        context["strategy_verdicts"] = evaluation.strategies.select_related("strategy").order_by(
            "strategy__order", "strategy__created_at"
        )
    return render(request, "monitor/evaluation.html", context)


def _refuse_finished(request: HttpRequest, cycle: Cycle) -> HttpResponse:
    messages.error(request, _("This evaluation is finished: it can no longer be changed."))
    return redirect(evaluation_url(cycle))


# /o/<code>/monitor/<ccode>/evaluation/
@require_http_methods(["GET", "POST"])
@login_required
def page(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    posting = request.method == "POST"
    access = get_cycle_for_user(
        request, code, ccode, Cap.EDIT_PLAN if posting else cap_for(request)
    )
    evaluation = _evaluation(access.cycle, create=posting)
    if evaluation.finished_at is not None and posting:
        return _refuse_finished(request, access.cycle)
    if evaluation.finished_at is not None:
        return _page(request, access, evaluation, None)  # read-only
    editor = _editor(request, access, evaluation, request.POST if posting else None)
    if not posting or not editor.is_valid():
        return _page(request, access, evaluation, editor)
    try:
        editor.save(evaluation)
    except Stale:
        return _stale(request, access, editor)
    record(request, "monitor.evaluation_saved", org=access.cycle.org, obj=evaluation)
    messages.success(request, _("The evaluation was saved."))
    return redirect(evaluation_url(access.cycle))


def _stale(request: HttpRequest, access: CycleAccess, editor: EvaluationEditor) -> HttpResponse:
    stored = Evaluation.objects.get(cycle=access.cycle)
    say_stale(request, _("This evaluation"))
    conflict = conflict_rows(editor.form, {"learned": stored.learned})
    again = _editor(request, access, stored, reopened(request, stored.revision))
    return _page(request, access, stored, again, conflict)


# --- finishing ----------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _finish(
    request: HttpRequest, access: CycleAccess, evaluation: Evaluation, editor: EvaluationEditor
) -> Cycle | None:
    """Save the verdicts and finish (see monitor.evaluation.finish), all or nothing."""
    with transaction.atomic():
        editor.save(evaluation)
        return finish_evaluation(evaluation, _user(request), editor.continuing())


def _started_message(new: Cycle, kept: int) -> str:
    return ngettext(
        "The evaluation is finished and the cycle %(label)s has started: its plan is a draft "
        "with the strategy that continues. Begin with its needs assessment.",
        "The evaluation is finished and the cycle %(label)s has started: its plan is a draft "
        "with the %(n)s strategies that continue. Begin with its needs assessment.",
        kept,
    ) % {"label": new.label, "n": kept}


# /o/<code>/monitor/<ccode>/evaluation/finish/
@require_POST
@login_required
def finish(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.EDIT_PLAN)
    evaluation = _evaluation(access.cycle, create=True)
    if evaluation.finished_at is not None:
        return _refuse_finished(request, access.cycle)
    editor = _editor(request, access, evaluation, request.POST, finishing=True)
    if not editor.is_valid():
        return _page(request, access, evaluation, editor)
    if CONFIRM not in request.POST:
        return _confirm_page(request, access, editor)
    try:
        new = _finish(request, access, evaluation, editor)
    except AlreadyFinished:
        return _refuse_finished(request, access.cycle)
    except Stale:
        return _stale(request, access, editor)
    record(request, "monitor.evaluation_finished", org=access.cycle.org, obj=evaluation)
    if new is None:
        messages.warning(request, ALREADY_STARTED)
        return redirect(evaluation_url(access.cycle))
    messages.success(request, _started_message(new, len(editor.continuing())))
    return redirect("plans-assessment", new.org.code, new.code)


def _confirm_page(
    request: HttpRequest, access: CycleAccess, editor: EvaluationEditor
) -> HttpResponse:
    cycle = access.cycle
    kept = set(editor.continuing())
    context = {
        "org": cycle.org,
        "cycle": cycle,
        "editor": editor,
        "continuing": [r.strategy for r in editor.strategies if r.strategy.pk in kept],
        "ending": [r.strategy for r in editor.strategies if r.strategy.pk not in kept],
        "next_cycle": review.next_cycle_of(cycle),
        "next_label": _next_label(cycle),
        "posted": [
            (k, v)
            for k in request.POST
            for v in request.POST.getlist(k)
            if k not in ("csrfmiddlewaretoken", CONFIRM)
        ],  # fmt: skip
    }
    return render(request, "monitor/evaluation_finish.html", context)


def _next_label(cycle: Cycle) -> str:
    return Cycle(org=cycle.org, first_year=cycle.last_year + 1, years=cycle.years).label
