"""Who may see and change a partnership or a team: the one access helper for each.

Outsiders get 404 (through the organization's helper). A team that is not published is
hidden (404) from people who see only published work; members of the team always see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from headway.audit.log import record
from headway.orgs.access import OrgAccess, get_org_for_user, signed_in
from headway.orgs.roles import Cap
from headway.teams.models import Partnership, Team, TeamMember


@dataclass(frozen=True)
class TeamAccess:
    """A team, the person's roles over its organization, and their own seat on it (if any)."""

    org_access: OrgAccess
    team: Team
    me: TeamMember | None

    @property
    def can_edit(self) -> bool:
        return self.org_access.can(Cap.EDIT_PLAN)

    @property
    def sees_internal(self) -> bool:
        """Work in progress: the self-assessment, who has accepted, the checklist."""
        return self.me is not None or self.org_access.can(Cap.VIEW_INTERNAL)


def get_team_for_user(
    request: HttpRequest, code: UUID, tcode: UUID, cap: Cap = Cap.VIEW
) -> TeamAccess:
    """The team if the person holds ``cap`` over its organization (members always may read)."""
    org_access = get_org_for_user(request, code)
    team = Team.objects.filter(org=org_access.org, code=tcode).first()
    if team is None:
        raise Http404("No such team.")
    me = team.members.filter(user=signed_in(request)).first()
    access = TeamAccess(org_access, team, me)
    if not (team.published or access.sees_internal):
        raise Http404("No such team.")
    if cap is not Cap.VIEW and not org_access.can(cap):
        _refuse(request, access, cap.value)
    return access


def get_internal_team_for_user(
    request: HttpRequest, code: UUID, tcode: UUID, cap: Cap = Cap.VIEW
) -> TeamAccess:
    """Team work that is never published (the self-assessment): 404 for anyone who sees
    only published work, even on a published team; 403 without ``cap``."""
    access = get_team_for_user(request, code, tcode)
    if not access.sees_internal:
        raise Http404("No such page.")
    if cap is not Cap.VIEW and not access.org_access.can(cap):
        _refuse(request, access, cap.value)
    return access


def _refuse(request: HttpRequest, access: TeamAccess, needs: str) -> NoReturn:
    detail = {"needs": needs}
    record(request, "access.denied", org=access.team.org, outcome="denied", detail=detail)
    raise PermissionDenied


def get_seat_for_user(request: HttpRequest, code: UUID, tcode: UUID) -> TeamAccess:
    """The team and the person's own seat on it; 403 for anyone not on the team."""
    access = get_team_for_user(request, code, tcode)
    if access.me is None:
        _refuse(request, access, "a place on the team")
    return access


def get_partnership_for_user(
    request: HttpRequest, code: UUID, cap: Cap = Cap.VIEW
) -> tuple[OrgAccess, Partnership]:
    """The district's partnership (made on first visit); 404 for anything but a district."""
    org_access = get_org_for_user(request, code, cap)
    if not org_access.org.is_district:
        raise Http404("Partnerships belong to districts.")
    partnership, _created = Partnership.objects.get_or_create(district=org_access.org)
    return org_access, partnership
