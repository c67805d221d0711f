"""Who may read and change monitoring, meetings, issues, to-dos and evaluations.

The one access helper per object of the monitor app. Everything here is the team's internal
work: reading needs VIEW_INTERNAL over the organization, changing it CONTRIBUTE (deciding
on a strategy or closing a cycle's evaluation needs EDIT_PLAN). Outsiders get 404 (through
the organization's helper); members without the capability get 403, recorded in the audit
log. Measures, strategies and evaluations hang off a cycle (plans.access); meetings, issues
and to-dos off a team of the organization.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from headway.monitor.models import Initiative, Issue, Measure, Meeting, Todo
from headway.orgs.access import OrgAccess, get_org_for_user
from headway.orgs.models import Organization
from headway.orgs.roles import Cap
from headway.plans.access import CycleAccess, cap_for, get_cycle_for_user
from headway.plans.models import Strategy
from headway.teams.models import Team

__all__ = [
    "MonitorAccess",
    "cap_for",
    "get_cycle_for_user",
    "get_initiative_for_user",
    "get_issue_for_user",
    "get_measure_for_user",
    "get_meeting_for_user",
    "get_monitor_for_user",
    "get_strategy_for_user",
    "get_todo_for_user",
]


@dataclass(frozen=True)
class MonitorAccess:
    org_access: OrgAccess

    @property
    def org(self) -> Organization:
        return self.org_access.org

    @property
    def can_contribute(self) -> bool:
        return self.org_access.can(Cap.CONTRIBUTE)

    @property
    def can_edit(self) -> bool:
        return self.org_access.can(Cap.EDIT_PLAN)

    def teams(self) -> list[Team]:
        return list(Team.objects.filter(org=self.org_access.org).order_by("name"))


def get_monitor_for_user(
    request: HttpRequest, code: UUID, cap: Cap = Cap.VIEW_INTERNAL
) -> MonitorAccess:
    """The organization's monitoring if the person holds ``cap`` (at least VIEW_INTERNAL)."""
    return MonitorAccess(get_org_for_user(request, code, cap))


def _found[M: Model](rows: QuerySet[M], what: str) -> M:
    """The one row the filter left, or 404: another organization's code is not found."""
    found = rows.first()
    if found is None:
        raise Http404(f"No such {what}.")
    return found


def get_measure_for_user(
    request: HttpRequest, code: UUID, ccode: UUID, mcode: UUID, cap: Cap = Cap.VIEW_INTERNAL
) -> tuple[CycleAccess, Measure]:
    access = get_cycle_for_user(request, code, ccode, cap)
    measure = _found(Measure.objects.filter(cycle=access.cycle, code=mcode), "measure")
    measure.cycle = access.cycle
    return access, measure


def get_strategy_for_user(
    request: HttpRequest, code: UUID, ccode: UUID, scode: UUID, cap: Cap = Cap.VIEW_INTERNAL
) -> tuple[CycleAccess, Strategy]:
    access = get_cycle_for_user(request, code, ccode, cap)
    rows = Strategy.objects.filter(plan__cycle=access.cycle, code=scode)
    return access, _found(rows, "strategy")


def get_meeting_for_user(
    request: HttpRequest, code: UUID, gcode: UUID, cap: Cap = Cap.VIEW_INTERNAL
) -> tuple[MonitorAccess, Meeting]:
    access = get_monitor_for_user(request, code, cap)
    rows = Meeting.objects.select_related("team", "cycle").filter(team__org=access.org, code=gcode)
    return access, _found(rows, "meeting")


def get_issue_for_user(
    request: HttpRequest, code: UUID, icode: UUID, cap: Cap = Cap.VIEW_INTERNAL
) -> tuple[MonitorAccess, Issue]:
    access = get_monitor_for_user(request, code, cap)
    rows = Issue.objects.select_related("team").filter(team__org=access.org, code=icode)
    return access, _found(rows, "issue")


def get_todo_for_user(
    request: HttpRequest, code: UUID, tcode: UUID, cap: Cap = Cap.VIEW_INTERNAL
) -> tuple[MonitorAccess, Todo]:
    access = get_monitor_for_user(request, code, cap)
    rows = Todo.objects.select_related("team", "owner").filter(team__org=access.org, code=tcode)
    return access, _found(rows, "to-do")


def get_initiative_for_user(
    request: HttpRequest, code: UUID, icode: UUID, cap: Cap = Cap.VIEW_INTERNAL
) -> tuple[MonitorAccess, Initiative]:
    access = get_monitor_for_user(request, code, cap)
    return access, _found(Initiative.objects.filter(org=access.org, code=icode), "initiative")
