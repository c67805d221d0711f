"""Everything one person must do, across every organization they can reach ("My work").

What counts as theirs:

- **Action steps and rocks** of a plan whose cycle is still running (its last school year is
  this one or later, and its evaluation is not finished), not done. Their owner is a name
  typed as free text, so it is matched against the person's names: their full name on
  their account and the name on each team seat linked to their account. The match ignores
  case, spaces around the name and extra spaces between its words ("priya  NATARAJAN "
  is Priya Natarajan); nothing else (no initials, no partial names).
- **To-dos** whose owner is a team seat linked to their account, not done.
- **Plan reviews**: plans submitted for review where the person may approve plans.
- **Strategy reviews** due: an active strategy of a running cycle the person may edit, whose
  review falls due today or earlier: the rule of ``monitor.flags.review_due`` (its review
  window after its last review, or after its start if it was never reviewed).
- **Self-assessments**: an open round of a team where the person holds a seat and has not
  answered yet.

Only what the person may open: plan and monitor items need the capability their page needs
(reading the team's internal work, approving plans, editing the plan) on the item's own
organization; a self-assessment needs a seat on the team in an organization the person
reaches. Each kind is read with one query, whatever the number of organizations or items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from django.db.models import Exists, F, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headway.accounts.models import User
from headway.lib.dates import due_words
from headway.monitor import flags
from headway.monitor.models import StrategyReview, Todo
from headway.orgs.access import Reach, reach_of
from headway.orgs.models import Organization, current_start_year
from headway.orgs.roles import Cap
from headway.plans.models import ActionStep, Cycle, Decision, Plan, PlanVersion, Rock, Strategy
from headway.teams.models import Round, TeamMember


class Kind(StrEnum):
    TODOS = "todos"
    ACTIONS = "actions"
    ROCKS = "rocks"
    STRATEGY_REVIEWS = "strategy_reviews"
    PLAN_REVIEWS = "plan_reviews"
    SELF_ASSESSMENTS = "self_assessments"


TITLES: dict[Kind, Promise] = {
    Kind.TODOS: gettext_lazy("To-dos"),
    Kind.ACTIONS: gettext_lazy("Action steps"),
    Kind.ROCKS: gettext_lazy("Rocks"),
    Kind.STRATEGY_REVIEWS: gettext_lazy("Strategy reviews due"),
    Kind.PLAN_REVIEWS: gettext_lazy("Plans waiting for your review"),
    Kind.SELF_ASSESSMENTS: gettext_lazy("Team self-assessments to answer"),
}


@dataclass(frozen=True)
class Item:
    """One thing to do: what, where, by when, and the page where it is done."""

    kind: Kind
    title: str
    org: Organization
    link: str
    due: date | None = None  # None: no due date (reviews waiting, open rounds)
    since: date | None = None  # when it started waiting, for items without a due date
    note: str = ""  # more about its state: "Off track", "Stuck", whose decision it waits for
    days: int | None = None  # from today to the due date; negative when late

    @property
    def late(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def when(self) -> str:
        return "" if self.days is None else due_words(self.days)


@dataclass(frozen=True)
class Group:
    kind: Kind
    items: list[Item]

    @property
    def title(self) -> str:
        return str(TITLES[self.kind])

    @property
    def late(self) -> int:
        return sum(1 for item in self.items if item.late)


@dataclass(frozen=True)
class MyWork:
    groups: list[Group]  # only the kinds with something to do, in the order of Kind
    names: list[str] = field(default_factory=list)  # the names owners are matched against

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)

    @property
    def late(self) -> int:
        return sum(g.late for g in self.groups)


# --- where the person may look ------------------------------------------------------------------


# --- whose name is on it ------------------------------------------------------------------------


def names_of(user: User, seats: Iterable[TeamMember]) -> list[str]:
    """The names an owner field may hold for this person: their full name, their seats'."""
    unique: dict[str, str] = {}  # the first spelling of each name
    for name in [user.get_full_name(), *(seat.name for seat in seats)]:
        tidy = " ".join(name.split())
        if tidy:
            unique.setdefault(tidy.casefold(), tidy)
    return sorted(unique.values(), key=str.casefold)


def owner_pattern(names: Iterable[str]) -> str | None:
    """A case-insensitive regular expression matching any of the names as a whole owner
    field, with any spaces around it and between its words; None without names."""
    words = [r"\s+".join(re.escape(w) for w in name.split()) for name in names if name.split()]
    if not words:
        return None
    return r"^\s*(?:" + "|".join(words) + r")\s*$"


# --- each kind ----------------------------------------------------------------------------------


def _running[M: Model](queryset: QuerySet[M], today: date) -> QuerySet[M]:
    """Only the items of plans whose cycle still runs: not over, its evaluation not finished."""
    year = current_start_year(today)
    # first_year + years - 1 (its last school year) >= this school year
    running = Q(plan__cycle__first_year__gt=year - F("plan__cycle__years"))
    finished = Q(plan__cycle__evaluation__finished_at__isnull=False)
    return queryset.filter(running).exclude(finished)


def _owned[M: Model](rows: QuerySet[M], reach: Reach, pattern: str, today: date) -> QuerySet[M]:
    """The person's open action steps or rocks, where they may read the team's work."""
    rows = rows.filter(
        plan__cycle__org_id__in=reach.with_cap(Cap.VIEW_INTERNAL), owner__iregex=pattern
    )
    done = "done"  # ActionStep.Status.DONE and Rock.Status.DONE alike
    return _running(rows, today).exclude(status=done).select_related("plan__cycle")


def _plan_link(reach: Reach, cycle: Cycle, edit: str, read: str, anchor: str, code: UUID) -> str:
    """The edit form for those who may change the plan, else the page that lists it."""
    args = [reach.orgs[cycle.org_id].code, cycle.code]
    if reach.can(cycle.org_id, Cap.CONTRIBUTE):
        return reverse(edit, args=[*args, code])
    return f"{reverse(read, args=args)}#{anchor}-{code}"


def _actions(reach: Reach, pattern: str, today: date) -> list[Item]:
    items = []
    for action in _owned(ActionStep.objects.all(), reach, pattern, today):
        cycle = action.plan.cycle
        link = _plan_link(reach, cycle, "plans-action-edit", "plans-plan", "action", action.code)
        started = action.status != ActionStep.Status.NOT_STARTED
        note = str(action.get_status_display()) if started else ""
        org = reach.orgs[cycle.org_id]
        items.append(_dated(Kind.ACTIONS, action.title, org, link, action.due, today, note))
    return items


def _rocks(reach: Reach, pattern: str, today: date) -> list[Item]:
    items = []
    for rock in _owned(Rock.objects.all(), reach, pattern, today):
        cycle = rock.plan.cycle
        link = _plan_link(reach, cycle, "plans-rock-edit", "plans-rocks", "rock", rock.code)
        note = str(rock.get_status_display())
        org = reach.orgs[cycle.org_id]
        items.append(_dated(Kind.ROCKS, rock.title, org, link, rock.due, today, note))
    return items


def _todos(reach: Reach, user: User, today: date) -> list[Item]:
    rows = Todo.objects.filter(
        owner__user=user, done_at=None, team__org_id__in=reach.with_cap(Cap.VIEW_INTERNAL)
    ).select_related("team")
    items = []
    for todo in rows:
        org = reach.orgs[todo.team.org_id]
        link = f"{reverse('monitor-todos', args=[org.code])}#todo-{todo.code}"
        items.append(_dated(Kind.TODOS, todo.text, org, link, todo.due, today, todo.team.name))
    return items


def _plan_reviews(reach: Reach) -> list[Item]:
    current = PlanVersion.objects.filter(plan=OuterRef("pk"), number=OuterRef("version"))
    district_ok = Decision.objects.filter(
        version__plan=OuterRef("pk"),
        version__number=OuterRef("version"),
        level=Decision.Level.DISTRICT,
        outcome=Decision.Outcome.APPROVED,
    )
    rows = (
        Plan.objects.filter(
            state=Plan.State.SUBMITTED, cycle__org_id__in=reach.with_cap(Cap.APPROVE_PLAN)
        )
        .select_related("cycle")
        .annotate(
            submitted_at=Subquery(current.values("submitted_at")[:1]),
            district_approved=Exists(district_ok),
        )
    )
    items = []
    for plan in rows:
        cycle = plan.cycle
        org = reach.orgs[cycle.org_id]
        note = (
            _("The district approved it: record the state's approval.")
            if plan.district_approved
            else _("Waiting for the district's decision.")
        )
        submitted = plan.submitted_at
        title = _("The plan for %(label)s") % {"label": cycle.label}
        link = reverse("plans-review", args=[org.code, cycle.code])
        since = timezone.localdate(submitted) if submitted else None
        items.append(Item(Kind.PLAN_REVIEWS, title, org, link, since=since, note=note))
    return items


def _strategy_reviews(reach: Reach, today: date) -> list[Item]:
    rows = _running(
        Strategy.objects.filter(
            plan__cycle__org_id__in=reach.with_cap(Cap.EDIT_PLAN),
            status=Strategy.Status.ACTIVE,
            started_on__isnull=False,
        ),
        today,
    )
    newest_first = StrategyReview.objects.order_by("-reviewed_on", "-created_at")
    rows = rows.select_related("plan__cycle").prefetch_related(Prefetch("reviews", newest_first))
    items = []
    for strategy in rows:
        evidence = flags.Evidence(strategy, [], list(strategy.reviews.all()))
        due = evidence.next_review
        if due is None or flags.review_due(evidence, today) is None:
            continue
        cycle = strategy.plan.cycle
        org = reach.orgs[cycle.org_id]
        link = reverse("monitor-strategy-review", args=[org.code, cycle.code, strategy.code])
        items.append(_dated(Kind.STRATEGY_REVIEWS, strategy.title, org, link, due, today))
    return items


def _self_assessments(reach: Reach, user: User) -> list[Item]:
    rows = (
        Round.objects.filter(closed_at=None, team__members__user=user, team__org_id__in=reach.orgs)
        .exclude(participations__member__user=user)
        .select_related("team")
        .distinct()
    )
    items = []
    for round_ in rows:
        org = reach.orgs[round_.team.org_id]
        link = reverse("teams-round-answer", args=[org.code, round_.team.code, round_.code])
        since = timezone.localdate(round_.opened_at)
        items.append(
            Item(Kind.SELF_ASSESSMENTS, round_.title, org, link, since=since, note=round_.team.name)
        )
    return items


def _dated(
    kind: Kind,
    title: str,
    org: Organization,
    link: str,
    due: date,
    today: date,
    note: str = "",
) -> Item:
    return Item(kind, title, org, link, due=due, note=note, days=(due - today).days)


# --- all of it ------------------------------------------------------------------------------------


def _order(item: Item) -> tuple[date, str, str]:
    return (item.due or item.since or date.max, item.org.name.casefold(), item.title.casefold())


def my_work(user: User, today: date | None = None) -> MyWork:
    """Everything waiting for the person, grouped by kind, soonest (or oldest) first."""
    today = today or timezone.localdate()
    reach = reach_of(user)
    seats = list(TeamMember.objects.filter(user=user, team__org_id__in=reach.orgs))
    names = names_of(user, seats)
    pattern = owner_pattern(names)
    found: list[Item] = [
        *_todos(reach, user, today),
        *(_actions(reach, pattern, today) if pattern else []),
        *(_rocks(reach, pattern, today) if pattern else []),
        *_strategy_reviews(reach, today),
        *_plan_reviews(reach),
        *(_self_assessments(reach, user) if seats else []),
    ]
    groups = []
    for kind in Kind:
        items = sorted((i for i in found if i.kind is kind), key=_order)
        if items:
            groups.append(Group(kind, items))
    return MyWork(groups, names)
