"""The review of a plan: who may do what when, in one place.

States: draft → submitted → approved, or → changes (changes requested) → submitted again.

Version numbers: ``Plan.version`` is the number of the version being written (or, while
submitted or approved, the one under review or approved). Each submission freezes the
whole plan document into a new ``PlanVersion`` with that number, and a number is used
only once. So when changes are requested on version 1, the plan moves on to version 2
at once, and the team's resubmission becomes version 2; version 1 stays in the history,
with the decision that sent it back, to be compared with.

Locking: a submitted or approved version never changes. Any later change to the plan's
content (``reopen_if_locked``, called for every save through plans/signals.py) moves the
plan back to draft as the next version: for an approved plan that starts version n + 1;
for a submitted plan it withdraws the submission (the frozen copy stays in the history,
shown as withdrawn) and the next submission becomes version n + 1. Progress updates
(the status of an action step or a rock, a rock's milestones) and publishing are not
changes to the plan and never reopen it.

CSI schools need two approvals: the district's, then the state's, which an administrator
records (who approved it at the state, and when). Until then the plan stays submitted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headway.accounts.models import User
from headway.orgs.models import Membership, Organization
from headway.orgs.roles import Role
from headway.plans import document
from headway.plans.forms.plan import NARRATIVE
from headway.plans.models import (
    BudgetLine,
    Comment,
    Communication,
    Cycle,
    Decision,
    NeedsAssessment,
    Notice,
    Plan,
    PlanVersion,
    Strategy,
    Support,
)

State = Plan.State
Level = Decision.Level
Outcome = Decision.Outcome

OPEN = (State.DRAFT, State.CHANGES)  # the team may submit
LOCKED = (State.SUBMITTED, State.APPROVED)  # a change reopens the plan

# Fields whose saving is not a change to the plan: progress and publishing.
NOT_CONTENT = frozenset({"status", "milestones", "published", "summary", "revision", "updated_at"})

# What comments can be about: the sections of the plan document, and the plan as a whole.
SECTIONS = {
    "general": gettext_lazy("The plan as a whole"),
    "narrative": gettext_lazy("Vision and approach"),
    "goals": gettext_lazy("Goals"),
    "strategies": gettext_lazy("Strategies"),
    "actions": gettext_lazy("Action steps and timeline"),
    "rocks": gettext_lazy("45-day rocks"),
    "commitments": gettext_lazy("Communication and support"),
}


class Refused(Exception):
    """The step is not possible in the plan's present state; the message says why."""


# --- reading the state ----------------------------------------------------------------------------


def needs_state_approval(cycle: Cycle) -> bool:
    return cycle.org.designation == "csi"


def can_submit(plan: Plan) -> bool:
    return plan.state in OPEN


def current_version(plan: Plan) -> PlanVersion | None:
    """The version under review or approved; None while the team writes the next one."""
    if plan.state not in LOCKED:
        return None
    return plan.versions.filter(number=plan.version).first()


def expected_level(plan: Plan, version: PlanVersion | None) -> str | None:
    """Whose decision the submitted version waits for: the district's, the state's, or none."""
    if plan.state != State.SUBMITTED or version is None:
        return None
    district_ok = version.decisions.filter(level=Level.DISTRICT, outcome=Outcome.APPROVED)
    if not district_ok.exists():
        return Level.DISTRICT
    return Level.STATE if needs_state_approval(plan.cycle) else None


def next_step(plan: Plan, level: str | None) -> str:
    """What happens next, in one sentence for the team and the reviewers."""
    if plan.state == State.SUBMITTED and level == Level.STATE:
        return _(
            "The district approved this version. An administrator now records the state's "
            "approval; the plan is approved once that is done."
        )
    steps = {
        State.DRAFT: _("The team writes the plan; a team lead submits it to the district."),
        State.SUBMITTED: _("The district reviews it: it approves it or asks for changes."),
        State.CHANGES: _(
            "The team makes the changes asked for; a team lead then submits it again."
        ),
        State.APPROVED: _(
            "The plan is approved and locked. Any change starts the next version as a draft."
        ),
    }
    return steps[State(plan.state)]


# --- changing the state ---------------------------------------------------------------------------


def submit(plan: Plan, user: User, note: str = "") -> PlanVersion:
    """Freeze the plan's document as the next version and send it to the district."""
    try:
        with transaction.atomic():
            moved = Plan.objects.filter(pk=plan.pk, state__in=OPEN, version=plan.version).update(
                state=State.SUBMITTED
            )
            if not moved:
                raise Refused(_("This plan was already submitted."))
            plan.state = State.SUBMITTED  # the frozen copy says "submitted"
            content = document.build(plan).to_json()
            version = PlanVersion.objects.create(
                plan=plan, number=plan.version, content=content, note=note, submitted_by=user
            )
    except IntegrityError:
        raise Refused(_("This version was already submitted.")) from None
    notify(reviewers(plan.cycle.org), _("%(plan)s was submitted for review.") % _names(plan), plan)
    return version


def decide(
    plan: Plan, user: User, outcome: str, comment: str = "", **state: str | date
) -> Decision:
    """Record the district's (or, for CSI schools, the state's) decision on the submitted version.

    ``state`` carries ``name`` and ``decided_on`` when recording the state's approval.
    """
    version = current_version(plan)
    level = expected_level(plan, version)
    if version is None or level is None:
        raise Refused(_("This plan is not waiting for a decision."))
    with transaction.atomic():
        decision = Decision.objects.create(
            version=version,
            level=level,
            outcome=outcome,
            comment=comment,
            decided_by=user,
            name=str(state.get("name", "")),
            decided_on=state.get("decided_on") or timezone.localdate(),
        )
        _apply(plan, version, decision)
    return decision


def _apply(plan: Plan, version: PlanVersion, decision: Decision) -> None:
    names = _names(plan)
    team = team_leads(plan.cycle.org) | _only(version.submitted_by)
    if decision.outcome == Outcome.CHANGES:
        _set_state(plan, State.CHANGES, plan.version + 1)
        notify(team, _("Changes were requested on %(plan)s.") % names, plan)
    elif decision.level == Level.DISTRICT and needs_state_approval(plan.cycle):
        notify(
            team,
            _("The district approved %(plan)s; the state's approval comes next.") % names,
            plan,
        )
    else:
        PlanVersion.objects.filter(pk=version.pk).update(approved_at=timezone.now())
        _set_state(plan, State.APPROVED, plan.version)
        notify(team, _("%(plan)s was approved.") % names, plan)


def _set_state(plan: Plan, state: State, number: int) -> None:
    # update(), not save(): saving the plan itself would count as a change (signals.py).
    Plan.objects.filter(pk=plan.pk).update(state=state, version=number)
    plan.state, plan.version = state, number


def is_content_change(fields: Iterable[str] | None) -> bool:
    """Whether saving these fields changes the plan (None: the whole record was saved)."""
    return fields is None or not set(fields) <= NOT_CONTENT


def reopen_if_locked(plan_id: int) -> bool:
    """Move a submitted or approved plan back to draft as its next version, after a change.

    Returns whether it did. The frozen ``PlanVersion`` is left as it was.
    """
    row = Plan.objects.filter(pk=plan_id, state__in=LOCKED).values("state", "version").first()
    if row is None:
        return False
    moved = Plan.objects.filter(pk=plan_id, state=row["state"], version=row["version"]).update(
        state=State.DRAFT, version=row["version"] + 1
    )
    if moved and row["state"] == State.SUBMITTED:
        plan = Plan.objects.select_related("cycle__org").get(pk=plan_id)
        text = _("%(plan)s changed while under review: the submission was withdrawn.")
        notify(reviewers(plan.cycle.org), text % _names(plan), plan)
    return bool(moved)


# --- comments ------------------------------------------------------------------------------------


def add_comment(plan: Plan, user: User, section: str, text: str, parent: Comment | None) -> Comment:
    """A new thread on a section, or a reply; tells the others in the thread and the leads."""
    root = parent.parent if parent is not None and parent.parent_id else parent
    comment = Comment.objects.create(
        plan=plan, section=section, parent=root, author=user, text=text
    )
    people = team_leads(plan.cycle.org)
    if root is not None:
        people |= thread_people(root)
    people.discard(user.pk)
    label = SECTIONS.get(section, section)
    said = _("%(name)s commented on %(plan)s (%(section)s).") % {
        **_names(plan),
        "name": user.get_full_name() or user.email,
        "section": label,
    }
    notify(people, said, plan, reverse("plans-comments", args=_args(plan, section)))
    return comment


def thread_people(root: Comment) -> set[int]:
    authors = Comment.objects.filter(Q(pk=root.pk) | Q(parent=root)).values_list(
        "author", flat=True
    )
    return {pk for pk in authors if pk is not None}


def can_resolve(comment: Comment, user: User, can_edit: bool) -> bool:
    return can_edit or comment.author_id == user.pk


# --- who hears about it --------------------------------------------------------------------------


def reviewers(org: Organization) -> set[int]:
    """The administrators of the district (and of the networks grouping it or the school)."""
    district = org.district() or org
    ids = {district.pk, *district.networks.values_list("pk", flat=True)}
    ids |= set(org.networks.values_list("pk", flat=True))
    return _users(Membership.objects.active().filter(org_id__in=ids, role=Role.ADMIN))


def team_leads(org: Organization) -> set[int]:
    return _users(Membership.objects.active().filter(org=org, role=Role.TEAM_LEAD))


def _users(memberships: QuerySet[Membership]) -> set[int]:
    return set(memberships.values_list("user_id", flat=True))


def _only(user: User | None) -> set[int]:
    return {user.pk} if user is not None else set()


def notify(people: set[int], text: str, plan: Plan, link: str = "") -> None:
    link = link or reverse("plans-review", args=_args(plan))
    Notice.objects.bulk_create(Notice(user_id=pk, text=text[:300], link=link) for pk in people)


def _args(plan: Plan, *more: str) -> list[object]:
    return [plan.cycle.org.code, plan.cycle.code, *more]


def _names(plan: Plan) -> dict[str, str]:
    plan_name = _("The plan of %(org)s, %(label)s") % {
        "org": plan.cycle.org.name,
        "label": plan.cycle.label,
    }
    return {"plan": plan_name}


# --- the next cycle ------------------------------------------------------------------------------

STRATEGY_FIELDS = (
    "title", "description", "lever", "driver", "tier", "citation", "logic_model", "evaluation",
    "order", "started_on", "review_weeks", "teacher_hours", "students",
)  # fmt: skip


def next_cycle_of(cycle: Cycle) -> Cycle | None:
    """The cycle already started for the years right after ``cycle``, if any."""
    first = cycle.last_year + 1
    last = first + cycle.years - 1
    later = cycle.org.cycles.exclude(pk=cycle.pk).order_by("first_year")
    return next((c for c in later if c.first_year <= last and c.last_year >= first), None)


def start_next_cycle(plan: Plan, user: User, keep: Collection[int] | None = None) -> Plan:
    """A new cycle right after this one, its plan a draft copy of this plan's lasting parts.

    Strategies come without their goals (goals belong to the old cycle's needs assessment):
    those whose ids are in ``keep``, or, without ``keep``, every one not stopped. Their
    budget lines, the communication plan and the district's support come along.
    """
    old = plan.cycle
    if next_cycle_of(old) is not None:
        raise Refused(_("The next cycle has already been started."))
    with transaction.atomic():
        cycle = Cycle.objects.create(
            org=old.org, first_year=old.last_year + 1, years=old.years, created_by=user
        )
        NeedsAssessment.objects.create(cycle=cycle)
        new = Plan.objects.create(cycle=cycle, **{f: getattr(plan, f) for f in NARRATIVE})
        _copy_strategies(plan, new, keep)
        Communication.objects.bulk_create(
            Communication(plan=new, audience=c.audience, message=c.message, channel=c.channel,
                          when=c.when)
            for c in plan.communications.all()
        )  # fmt: skip
        Support.objects.bulk_create(
            Support(plan=new, commitment=s.commitment, by_whom=s.by_whom, when=s.when)
            for s in plan.supports.all()
        )
    return new


def _copy_strategies(plan: Plan, new: Plan, keep: Collection[int] | None) -> None:
    strategies = plan.strategies.prefetch_related("budget")
    if keep is None:
        strategies = strategies.exclude(status=Strategy.Status.STOPPED)
    else:
        strategies = strategies.filter(pk__in=keep)
    for strategy in strategies:
        copy = Strategy.objects.create(
            plan=new, **{f: getattr(strategy, f) for f in STRATEGY_FIELDS}
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(strategy=copy, item=b.item, amount=b.amount, source=b.source)
            for b in strategy.budget.all()
        )


def version_status(version: PlanVersion, plan: Plan) -> str:
    """Where a version stands, from its (prefetched) decisions."""
    decisions = list(version.decisions.all())
    if version.approved_at:
        return _("Approved")
    if any(d.outcome == Outcome.CHANGES for d in decisions):
        return _("Changes requested")
    if version.number == plan.version and plan.state == State.SUBMITTED:
        if any(d.outcome == Outcome.APPROVED for d in decisions):
            return _("Approved by the district; waiting for the state's approval")
        return _("Under review")
    return _("Withdrawn: the plan changed while it was under review")
