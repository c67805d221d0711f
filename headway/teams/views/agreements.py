"""A team's working agreements: reading them, writing a new version, and accepting them.

Each saved change is a new version (AgreementSet); members accept a version, so a change
asks everyone again. Community viewers of a published team see the agreements only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from headway.accounts.models import User
from headway.audit.log import record
from headway.orgs.access import signed_in
from headway.orgs.roles import Cap
from headway.teams.access import TeamAccess, get_seat_for_user, get_team_for_user
from headway.teams.agreements import default_items
from headway.teams.forms.agreements import AcceptForm, AgreementsForm, RecordAcceptanceForm
from headway.teams.models import Acceptance, AgreementSet, Team, TeamMember


@dataclass(frozen=True)
class Standing:
    """Where one member stands with the current agreements."""

    member: TeamMember
    accepted_at: datetime | None = None
    recorded_by: User | None = None
    earlier: int | None = None  # the newest earlier version they accepted


def _standings(team: Team, current: AgreementSet) -> list[Standing]:
    """Every member, with their acceptance of ``current`` or of an earlier version."""
    accepted = {a.member_id: a for a in current.acceptances.select_related("recorded_by")}
    earlier = dict(
        Acceptance.objects.filter(member__team=team, agreement_set__number__lt=current.number)
        .values("member_id")
        .annotate(number=Max("agreement_set__number"))
        .values_list("member_id", "number")
    )
    rows = []
    for member in team.members.order_by("name"):
        acceptance = accepted.get(member.pk)
        if acceptance is None:
            rows.append(Standing(member, earlier=earlier.get(member.pk)))
        else:
            recorded_by = acceptance.recorded_by if acceptance.recorded_by != member.user else None
            rows.append(Standing(member, acceptance.accepted_at, recorded_by))
    return rows


def _acceptance_context(access: TeamAccess, current: AgreementSet) -> dict[str, Any]:
    standings = _standings(access.team, current)
    waiting = [s for s in standings if s.accepted_at is None]
    me = access.me
    return {
        "accepted": [s for s in standings if s.accepted_at is not None],
        "waiting": waiting,
        "waiting_names": ", ".join(s.member.name for s in waiting),
        "i_accepted": me is not None and all(s.member != me for s in waiting),
    }


# /o/<code>/team/<tcode>/agreements/
@login_required
def detail(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    access = get_team_for_user(request, code, tcode)
    current = access.team.current_agreements()
    context: dict[str, Any] = {
        "org": access.org_access.org,
        "team": access.team,
        "current": current,
        "can_edit": access.can_edit,
        "sees_internal": access.sees_internal,
        "me": access.me,
    }
    if current is not None and access.sees_internal:
        context.update(_acceptance_context(access, current))
    return render(request, "teams/agreements.html", context)


# /o/<code>/team/<tcode>/agreements/edit/
@login_required
def edit(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    access = get_team_for_user(request, code, tcode, Cap.EDIT_PLAN)
    team = access.team
    current = team.current_agreements()
    items = current.items if current is not None else default_items()
    initial = {"items": "\n".join(items), "number": current.number if current else 0}
    form = AgreementsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        new_items: list[str] = form.cleaned_data["items"]
        opened_from: int = form.cleaned_data["number"]
        if current is not None and opened_from == current.number and new_items == current.items:
            messages.info(request, _("Nothing changed, so members are not asked again."))
            return redirect("teams-agreements", code=code, tcode=tcode)
        saved = _save_version(request, team, opened_from, new_items)
        if saved is None:
            return _conflict(request, access, form)
        messages.success(request, _saved_message(saved))
        return redirect("teams-agreements", code=code, tcode=tcode)
    return _edit_page(request, access, form, current)


def _save_version(
    request: HttpRequest, team: Team, opened_from: int, items: list[str]
) -> AgreementSet | None:
    """Version ``opened_from`` + 1, or None when someone else saved a newer version first."""
    try:
        with transaction.atomic():
            newest = team.agreement_sets.aggregate(number=Max("number"))["number"] or 0
            if newest != opened_from:
                return None
            saved = AgreementSet.objects.create(
                team=team, number=opened_from + 1, items=items, created_by=signed_in(request)
            )
    except IntegrityError:  # another save of the same version got in between
        return None
    record(
        request, "team.agreements_saved", org=team.org, obj=team, detail={"version": saved.number}
    )
    return saved


def _saved_message(saved: AgreementSet) -> str:
    if saved.number == 1:
        return _("The working agreements were saved. Members can now accept them.")
    return _(
        "Version %(number)s of the working agreements was saved. "
        "Every member is asked to accept them again."
    ) % {"number": saved.number}


def _edit_page(
    request: HttpRequest,
    access: TeamAccess,
    form: AgreementsForm,
    current: AgreementSet | None,
    conflict: AgreementSet | None = None,
) -> HttpResponse:
    context = {
        "org": access.org_access.org,
        "team": access.team,
        "form": form,
        "current": current,
        "conflict": conflict,
        "from_defaults": current is None,
    }
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "teams/agreements_edit.html", context, status=status)


def _conflict(request: HttpRequest, access: TeamAccess, form: AgreementsForm) -> HttpResponse:
    """Show the newer stored version next to the person's unsaved text; nothing is saved."""
    newest = access.team.current_agreements()
    assert newest is not None  # a conflict means someone saved a version
    theirs = {"items": form.data.get("items", ""), "number": newest.number}
    return _edit_page(request, access, AgreementsForm(initial=theirs), newest, conflict=newest)


# /o/<code>/team/<tcode>/agreements/accept/
@require_POST
@login_required
def accept(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    if "member" in request.POST:
        return _record_for_contact(request, code, tcode)
    access = get_seat_for_user(request, code, tcode)
    current = _current_or_404(access.team)
    form = AcceptForm(request.POST)
    if not (form.is_valid() and form.cleaned_data["number"] == current.number):
        return _changed_meanwhile(request, code, tcode)
    assert access.me is not None  # get_seat_for_user refuses anyone without a seat
    _acceptance, created = Acceptance.objects.get_or_create(
        agreement_set=current, member=access.me, defaults={"recorded_by": signed_in(request)}
    )
    if created:
        record(request, "team.agreements_accepted", org=access.team.org, obj=access.me)
        messages.success(request, _("Thank you: you accepted the working agreements."))
    else:
        messages.info(request, _("You had already accepted these agreements. Nothing changed."))
    return redirect("teams-agreements", code=code, tcode=tcode)


def _record_for_contact(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    """A team lead notes that a member without an account accepted, in a meeting or on paper."""
    access = get_team_for_user(request, code, tcode, Cap.EDIT_PLAN)
    current = _current_or_404(access.team)
    contacts = access.team.members.filter(user=None)
    form = RecordAcceptanceForm(request.POST, contacts=contacts)
    if not form.is_valid():
        if "member" in form.errors:
            messages.error(request, _("Choose a member of this team who has no Headway account."))
            return redirect("teams-agreements", code=code, tcode=tcode)
        return _changed_meanwhile(request, code, tcode)
    if form.cleaned_data["number"] != current.number:
        return _changed_meanwhile(request, code, tcode)
    member: TeamMember = form.cleaned_data["member"]
    _acceptance, created = Acceptance.objects.get_or_create(
        agreement_set=current, member=member, defaults={"recorded_by": signed_in(request)}
    )
    if created:
        record(request, "team.agreements_recorded", org=access.team.org, obj=member)
        message = _("Recorded that %(name)s accepted the working agreements.")
        messages.success(request, message % {"name": member.name})
    else:
        message = _("%(name)s had already accepted these agreements. Nothing changed.")
        messages.info(request, message % {"name": member.name})
    return redirect("teams-agreements", code=code, tcode=tcode)


def _current_or_404(team: Team) -> AgreementSet:
    current = team.current_agreements()
    if current is None:
        raise Http404("This team has no working agreements yet.")
    return current


def _changed_meanwhile(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    messages.warning(
        request,
        _(
            "The working agreements changed after you opened the page, so nothing was "
            "recorded. Read the new version below, then accept it."
        ),
    )
    return redirect("teams-agreements", code=code, tcode=tcode)
