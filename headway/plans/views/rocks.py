"""45-day rocks: the few things each owner commits to finish in the next six weeks or so."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headway.audit.log import record
from headway.lib.dates import due_words
from headway.lib.revisions import Stale, save_revision
from headway.orgs.roles import Cap
from headway.plans.access import CycleAccess, cap_for, get_plan_for_user
from headway.plans.forms.rocks import (
    Milestone,
    MilestoneForm,
    RockEditForm,
    RockForm,
    StatusForm,
    milestones_of,
    stored_rock,
)
from headway.plans.models import Cycle, Plan, Rock
from headway.plans.models.plan import ROCK_DAYS
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale

SERVES_NOTHING = gettext_lazy(
    "This rock serves no goal or strategy yet. Choose one when you can: the alignment map "
    "lists the rocks that serve neither."
)


def rocks_url(cycle: Cycle, owner: str = "", anchor: str = "") -> str:
    url = reverse("plans-rocks", args=[cycle.org.code, cycle.code])
    if owner:
        url = f"{url}?{urlencode({'owner': owner})}"
    return f"{url}#{anchor}" if anchor else url


# --- what the board shows of a rock -------------------------------------------------------------


@dataclass(frozen=True)
class RockCard:
    rock: Rock
    milestones: list[Milestone]
    days_left: int  # from today to the due date; negative when late
    status_form: StatusForm | None

    @property
    def done_count(self) -> int:
        return sum(1 for milestone in self.milestones if milestone.done)

    @property
    def late(self) -> bool:
        return self.days_left < 0 and self.rock.status != Rock.Status.DONE

    @property
    def when(self) -> str:
        """How far off the due date is, in words: "due in 3 days", "2 days late"."""
        return "" if self.rock.status == Rock.Status.DONE else due_words(self.days_left)


@dataclass(frozen=True)
class Group:
    status: str
    title: str
    cards: list[RockCard]


def _card(rock: Rock, can_change: bool) -> RockCard:
    form = None
    if can_change:
        initial = {"status": rock.status, "revision": rock.revision}
        form = StatusForm(initial=initial, auto_id=f"rock-{rock.code}-%s")
    days = (rock.due - timezone.localdate()).days
    return RockCard(rock, milestones_of(rock), days, form)


def _board_page(request: HttpRequest, access: CycleAccess, plan: Plan) -> HttpResponse:
    rocks = list(plan.rocks.select_related("goal", "strategy"))
    owners = sorted({rock.owner for rock in rocks}, key=str.casefold)
    owner = request.GET.get("owner", "")
    cards = [_card(r, access.can_contribute) for r in rocks if not owner or r.owner == owner]
    groups = [
        Group(status, str(title), [c for c in cards if c.rock.status == status])
        for status, title in Rock.Status.choices
    ]
    context: dict[str, Any] = {
        "cycle": access.cycle,
        "access": access,
        "groups": groups,
        "has_rocks": bool(rocks),
        "shown": len(cards),
        "owners": owners,
        "owner": owner,
        "days": ROCK_DAYS,
    }
    return render(request, "plans/rocks.html", context)


def _posted_rock(request: HttpRequest, plan: Plan) -> Rock:
    try:
        rcode = UUID(request.POST.get("rcode", ""))
    except ValueError:
        raise Http404("No such rock.") from None
    return get_object_or_404(plan.rocks, code=rcode)


def _change_status(request: HttpRequest, access: CycleAccess, rock: Rock) -> None:
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status for “%(title)s”.") % {"title": rock.title})
        return
    rock.status = form.cleaned_data["status"]
    try:
        save_revision(rock, form.cleaned_data["revision"], ["status"])
    except Stale:
        rock.refresh_from_db()
        words = {"title": rock.title, "status": rock.get_status_display()}
        messages.error(
            request,
            _(
                "“%(title)s” was changed by someone else while you were looking at the board: "
                "its status is now “%(status)s”. Nothing of yours was saved; change it again "
                "if it still needs changing."
            )
            % words,
        )
        return
    record(request, "plan.rock_status_changed", org=access.cycle.org, obj=rock)
    words = {"title": rock.title, "status": rock.get_status_display()}
    messages.success(request, _("“%(title)s” is now “%(status)s”.") % words)


def _check_milestone(request: HttpRequest, access: CycleAccess, rock: Rock) -> None:
    form = MilestoneForm(request.POST)
    milestones = milestones_of(rock)
    if not form.is_valid() or form.cleaned_data["index"] >= len(milestones):
        messages.error(request, _("That milestone no longer exists: look at the board again."))
        return
    index, done = form.cleaned_data["index"], form.cleaned_data["done"]
    milestones[index] = Milestone(milestones[index].text, done)
    rock.milestones = [milestone.to_dict() for milestone in milestones]
    try:
        save_revision(rock, form.cleaned_data["revision"], ["milestones"])
    except Stale:
        messages.error(
            request,
            _(
                "“%(title)s” was changed by someone else while you were looking at the board. "
                "Nothing of yours was saved: check its milestones below and tick again if "
                "needed."
            )
            % {"title": rock.title},
        )
        return
    record(request, "plan.rock_milestone_checked", org=access.cycle.org, obj=rock)
    words = {"text": milestones[index].text}
    said = _("“%(text)s” is done.") if done else _("“%(text)s” is no longer marked done.")
    messages.success(request, said % words)


# /o/<code>/plan/<ccode>/plan/rocks/
@login_required
def board(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, cap_for(request))
    if request.method != "POST":
        return _board_page(request, access, plan)
    rock = _posted_rock(request, plan)
    action = request.POST.get("action")
    if action == "status":
        _change_status(request, access, rock)
    elif action == "milestone":
        _check_milestone(request, access, rock)
    else:
        raise Http404("No such change.")
    owner = request.POST.get("owner", "")
    return redirect(rocks_url(access.cycle, owner, f"rock-{rock.code}"))


# --- adding, editing and removing a rock --------------------------------------------------------


def _form_page(
    request: HttpRequest,
    access: CycleAccess,
    form: RockForm,
    rock: Rock | None,
    title: str = "",
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    """The rock's form; ``title`` is the stored title, kept in the heading while typing."""
    context = {
        "cycle": access.cycle,
        "form": form,
        "rock": rock,
        "title": title,
        "conflict": conflict or [],
        "days": ROCK_DAYS,
    }
    return render(request, "plans/rock_form.html", context)


def _saved(request: HttpRequest, access: CycleAccess, form: RockForm, said: str) -> HttpResponse:
    messages.success(request, said)
    if form.serves_nothing:
        messages.warning(request, SERVES_NOTHING)
    return redirect(rocks_url(access.cycle, anchor=f"rock-{form.instance.code}"))


def _choices(access: CycleAccess, plan: Plan) -> dict[str, Any]:
    return {"plan": plan, "assessment": access.assessment}


# /o/<code>/plan/<ccode>/plan/rocks/new/
@login_required
def create(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    form = RockForm(request.POST or None, **_choices(access, plan))
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, access, form, None)
    rock = form.save()
    record(request, "plan.rock_created", org=access.cycle.org, obj=rock)
    said = _("The rock “%(title)s” was added.") % {"title": rock.title}
    return _saved(request, access, form, said)


# /o/<code>/plan/<ccode>/plan/rocks/<rcode>/
@login_required
def edit(request: HttpRequest, code: UUID, ccode: UUID, rcode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    rock = get_object_or_404(plan.rocks, code=rcode)
    title = rock.title
    initial = {"revision": rock.revision}
    kwargs = _choices(access, plan)
    form = RockEditForm(request.POST or None, instance=rock, initial=initial, **kwargs)
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        try:
            save_revision(rock, form.cleaned_data["revision"], RockEditForm.SAVED)
        except Stale:
            stored = Rock.objects.get(pk=rock.pk)
            rock, title = stored, stored.title
            say_stale(request, _("This rock"))
            conflict = conflict_rows(form, stored_rock(stored))
            form = RockEditForm(reopened(request, stored.revision), instance=stored, **kwargs)
        else:
            record(request, "plan.rock_updated", org=access.cycle.org, obj=rock)
            return _saved(request, access, form, _("The rock was saved."))
    return _form_page(request, access, form, rock, title, conflict)


# /o/<code>/plan/<ccode>/plan/rocks/<rcode>/remove/
@login_required
def remove(request: HttpRequest, code: UUID, ccode: UUID, rcode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.CONTRIBUTE)
    rock = get_object_or_404(plan.rocks, code=rcode)
    if request.method == "POST":
        rock.delete()
        detail = {"title": rock.title}
        record(request, "plan.rock_removed", org=access.cycle.org, obj=access.cycle, detail=detail)
        messages.success(request, _("The rock “%(title)s” was removed.") % detail)
        return redirect(rocks_url(access.cycle))
    context = {"cycle": access.cycle, "rock": rock, "milestones": milestones_of(rock)}
    return render(request, "plans/rock_remove.html", context)
