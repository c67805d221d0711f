"""The team-effectiveness self-assessment: rounds, anonymous answers and their results.

Who answered (Participation) and what was answered (Response) are stored apart, and a
Response has no member and no time. Results show only once the round is closed with at
least MIN_ANSWERS answers (while it is open, each new answer would show in the change),
and never to people who see only a team's published work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headway.audit.log import record
from headway.orgs.access import signed_in
from headway.orgs.roles import Cap
from headway.teams.access import (
    TeamAccess,
    get_internal_team_for_user,
    get_seat_for_user,
)
from headway.teams.characteristics import BY_SLUG, MIN_ANSWERS, Characteristic
from headway.teams.charts import assessment_bars, decimal, signed
from headway.teams.forms.survey import AnswerForm, OpenRoundForm
from headway.teams.models import Participation, Response, Round, Team
from headway.teams.selfassessment import (
    Summary,
    change_shown,
    lowest,
    results_ready,
    sorted_comments,
    summarise,
)


@dataclass(frozen=True)
class Result:
    """One characteristic's results as the page shows them."""

    characteristic: Characteristic
    summary: Summary
    mean: str
    sd: str
    change: str | None
    comments: list[str]


def _get_round(team: Team, rcode: UUID) -> Round:
    return get_object_or_404(Round, team=team, code=rcode)


def _base_context(access: TeamAccess) -> dict[str, Any]:
    return {"org": access.org_access.org, "team": access.team, "can_edit": access.can_edit}


# /o/<code>/team/<tcode>/self-assessment/
@login_required
def rounds(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    if request.method == "POST":
        return _open_round(request, code, tcode)
    access = get_internal_team_for_user(request, code, tcode)
    return _rounds_page(request, access, OpenRoundForm())


def _rounds_page(request: HttpRequest, access: TeamAccess, form: OpenRoundForm) -> HttpResponse:
    team = access.team
    listed = team.rounds.annotate(answered=Count("participations")).order_by("-opened_at")
    answered = set(
        Participation.objects.filter(member=access.me, round__team=team).values_list(
            "round_id", flat=True
        )
    )
    context = {
        **_base_context(access),
        "rounds": listed,
        "open_round": next((r for r in listed if r.is_open), None),
        "answered": answered,
        "me": access.me,
        "member_count": team.members.count(),
        "min_answers": MIN_ANSWERS,
        "form": form,
    }
    return render(request, "teams/rounds.html", context, status=400 if form.errors else 200)


def _open_round(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    access = get_internal_team_for_user(request, code, tcode, Cap.EDIT_PLAN)
    team = access.team
    form = OpenRoundForm(request.POST)
    if not form.is_valid():
        return _rounds_page(request, access, form)
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()  # one opening at a time
        still_open = team.rounds.filter(closed_at=None).first()
        if still_open is None:
            opened = Round.objects.create(
                team=team, title=form.cleaned_data["title"], opened_by=signed_in(request)
            )
    if still_open is not None:
        form.add_error(
            None,
            _("“%(title)s” is still open. Close it first, then open a new round.")
            % {"title": still_open.title},
        )
        return _rounds_page(request, access, form)
    record(request, "team.round_opened", org=team.org, obj=opened)
    messages.success(
        request, _("“%(title)s” is open. Members can now answer.") % {"title": opened.title}
    )
    return redirect(opened)


# /o/<code>/team/<tcode>/self-assessment/<rcode>/
@login_required
def round_detail(request: HttpRequest, code: UUID, tcode: UUID, rcode: UUID) -> HttpResponse:
    access = get_internal_team_for_user(request, code, tcode)
    this_round = _get_round(access.team, rcode)
    names = sorted(
        this_round.participations.values_list("member__name", flat=True), key=str.casefold
    )
    answered_ids = this_round.participations.values("member_id")
    waiting = access.team.members.exclude(pk__in=answered_ids).order_by("name")
    context = {
        **_base_context(access),
        "round": this_round,
        "answered_names": names,
        "waiting": waiting,
        "i_answered": this_round.participations.filter(member=access.me).exists(),
        "me": access.me,
        "min_answers": MIN_ANSWERS,
        **_results(this_round),
    }
    return render(request, "teams/round.html", context)


def _previous_ratings(this_round: Round) -> list[dict[str, Any]]:
    """The answers of the same team's round before this one (empty if there is none)."""
    previous = (
        Round.objects.filter(team_id=this_round.team_id, opened_at__lt=this_round.opened_at)
        .order_by("-opened_at")
        .first()
    )
    if previous is None:
        return []
    return list(previous.responses.values_list("ratings", flat=True))


def _results(this_round: Round) -> dict[str, Any]:
    answers = list(this_round.responses.values_list("ratings", "comments"))
    count = len(answers)
    if this_round.is_open or not results_ready(count):
        # Results of an open round would change with each answer and give it away.
        return {"ready": False, "count": count}
    summaries = summarise([ratings for ratings, _c in answers], _previous_ratings(this_round))
    comments = [c for _r, c in answers]
    results = [_result(s, comments) for s in summaries]
    title = _("Average answer for each characteristic")
    return {
        "ready": True,
        "count": count,
        "results": results,
        "has_change": any(r.change is not None for r in results),
        "chart": assessment_bars("self-assessment", title, summaries),
        "reflect": [BY_SLUG[s.slug] for s in lowest(summaries)],
    }


def _result(summary: Summary, comments: list[Any]) -> Result:
    change = change_shown(summary)
    return Result(
        characteristic=BY_SLUG[summary.slug],
        summary=summary,
        mean=decimal(summary.mean),
        sd=decimal(summary.sd),
        change=None if change is None else signed(change),
        comments=sorted_comments(comments, summary.slug),
    )


# /o/<code>/team/<tcode>/self-assessment/<rcode>/answer/
@login_required
def answer(request: HttpRequest, code: UUID, tcode: UUID, rcode: UUID) -> HttpResponse:
    access = get_seat_for_user(request, code, tcode)
    this_round = _get_round(access.team, rcode)
    if not this_round.is_open:
        messages.warning(request, _("This round is closed: it no longer takes answers."))
        return redirect(this_round)
    if this_round.participations.filter(member=access.me).exists():
        return _already_answered(request, this_round)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _save_answer(request, access, this_round, form)
    context = {**_base_context(access), "round": this_round, "form": form}
    context["min_answers"] = MIN_ANSWERS
    status = 400 if form.errors else 200
    return render(request, "teams/round_answer.html", context, status=status)


def _save_answer(
    request: HttpRequest, access: TeamAccess, this_round: Round, form: AnswerForm
) -> HttpResponse:
    """Who answered and what was answered, together or not at all."""
    assert access.me is not None  # get_seat_for_user refuses anyone without a seat
    try:
        with transaction.atomic():
            if not Round.objects.filter(pk=this_round.pk, closed_at=None).exists():
                messages.warning(request, _("This round was closed before your answers arrived."))
                return redirect(this_round)
            Participation.objects.create(round=this_round, member=access.me)
            Response.objects.create(
                round=this_round, ratings=form.ratings(), comments=form.comments()
            )
    except IntegrityError:  # the same member answered in another tab meanwhile
        return _already_answered(request, this_round)
    messages.success(request, _("Thank you: your answers were saved without your name."))
    return redirect(this_round)


def _already_answered(request: HttpRequest, this_round: Round) -> HttpResponse:
    messages.info(
        request,
        _("You have already answered this round. Each member answers once, so nothing changed."),
    )
    return redirect(this_round)


# /o/<code>/team/<tcode>/self-assessment/<rcode>/close/
@require_POST
@login_required
def close(request: HttpRequest, code: UUID, tcode: UUID, rcode: UUID) -> HttpResponse:
    access = get_internal_team_for_user(request, code, tcode, Cap.EDIT_PLAN)
    this_round = _get_round(access.team, rcode)
    closed = Round.objects.filter(pk=this_round.pk, closed_at=None).update(closed_at=timezone.now())
    if closed:
        record(request, "team.round_closed", org=access.team.org, obj=this_round)
        messages.success(request, _("“%(title)s” is closed.") % {"title": this_round.title})
    else:
        messages.info(request, _("This round was already closed."))
    return redirect(this_round)
