"""Who may read and change a cycle's needs assessment: the one access helper for cycles.

Outsiders get 404 (through the organization's helper). The needs assessment is the team's
work in progress: reading it needs VIEW_INTERNAL, changing it CONTRIBUTE, starting a
cycle EDIT_PLAN; members without the capability get 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from headway.audit.log import record
from headway.orgs.access import OrgAccess, get_org_for_user
from headway.orgs.roles import Cap
from headway.plans.models import Cycle, NeedsAssessment, Plan


@dataclass(frozen=True)
class CycleAccess:
    org_access: OrgAccess
    cycle: Cycle
    assessment: NeedsAssessment

    @property
    def can_contribute(self) -> bool:
        return self.org_access.can(Cap.CONTRIBUTE)

    @property
    def can_edit(self) -> bool:
        return self.org_access.can(Cap.EDIT_PLAN)


def cap_for(request: HttpRequest) -> Cap:
    """Reading a page needs VIEW_INTERNAL; posting to it changes the plan (CONTRIBUTE)."""
    return Cap.CONTRIBUTE if request.method == "POST" else Cap.VIEW_INTERNAL


def get_cycle_for_user(
    request: HttpRequest, code: UUID, ccode: UUID, cap: Cap = Cap.VIEW_INTERNAL
) -> CycleAccess:
    """The cycle and its needs assessment if the person holds ``cap`` over its organization."""
    org_access = get_org_for_user(request, code)
    cycle = Cycle.objects.filter(org=org_access.org, code=ccode).first()
    if cycle is None:
        raise Http404("No such cycle.")
    if not org_access.can(cap):
        detail = {"needs": cap.value}
        record(request, "access.denied", org=org_access.org, outcome="denied", detail=detail)
        raise PermissionDenied
    assessment, _created = NeedsAssessment.objects.get_or_create(cycle=cycle)
    return CycleAccess(org_access, cycle, assessment)


def get_plan_for_user(
    request: HttpRequest, code: UUID, ccode: UUID, cap: Cap = Cap.VIEW_INTERNAL
) -> tuple[CycleAccess, Plan]:
    """The cycle's plan (made on first visit) with the same rules as its needs assessment."""
    access = get_cycle_for_user(request, code, ccode, cap)
    plan, _created = Plan.objects.get_or_create(cycle=access.cycle)
    return access, plan


def get_published_plan_for_user(
    request: HttpRequest, code: UUID, ccode: UUID
) -> tuple[OrgAccess, Plan]:
    """The plan whose public summary the person may read: anyone who may view the
    organization once the team publishes it; before that only the team (a preview).

    An unpublished summary is a 404 for the others, as if it did not exist yet.
    """
    org_access = get_org_for_user(request, code)
    cycle = Cycle.objects.filter(org=org_access.org, code=ccode).first()
    if cycle is None:
        raise Http404("No such cycle.")
    if org_access.can(Cap.VIEW_INTERNAL):
        plan, _created = Plan.objects.get_or_create(cycle=cycle)
    else:
        found = Plan.objects.filter(cycle=cycle, published=True).first()
        if found is None:
            detail = {"needs": "published"}
            record(request, "access.denied", org=org_access.org, outcome="denied", detail=detail)
            raise Http404("No published summary.")
        plan = found
    plan.cycle = cycle  # for speed: the cycle and its organization are read once
    return org_access, plan
