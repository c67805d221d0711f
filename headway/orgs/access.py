"""Who may reach which organization, and the one access helper for organizations.

Deny by default: a person reaches an organization only through an active
membership on it, on its district, or on a network that groups either. Outsiders
get 404 (the organization's existence is not revealed); members whose roles lack
the needed capability get 403.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from headway.accounts.models import User
from headway.audit.log import record
from headway.orgs.models import Membership, Organization
from headway.orgs.roles import Cap, Role, capabilities

KIND_ORDER: list[str] = [
    Organization.Kind.NETWORK,
    Organization.Kind.DISTRICT,
    Organization.Kind.SCHOOL,
]


@dataclass(frozen=True)
class OrgAccess:
    """An organization together with the roles the signed-in person holds over it."""

    org: Organization
    roles: frozenset[Role]

    @property
    def caps(self) -> frozenset[Cap]:
        return capabilities(self.roles)

    @property
    def cap_names(self) -> frozenset[str]:
        """Capability names, for templates: {% if "manage_org" in caps %}."""
        return frozenset(cap.value for cap in self.caps)

    def can(self, cap: Cap) -> bool:
        return cap in self.caps


def _covering_ids(org: Organization) -> set[int]:
    """The organizations whose memberships reach ``org``: itself, its district, their networks."""
    ids = {org.pk}
    if org.parent_id:
        ids.add(org.parent_id)
    ids |= set(
        Organization.members.through.objects.filter(to_organization_id__in=ids).values_list(
            "from_organization_id", flat=True
        )
    )
    return ids


def roles_for(user: User, org: Organization) -> frozenset[Role]:
    if not user.is_authenticated:
        return frozenset()
    rows = Membership.objects.active().filter(user=user, org_id__in=_covering_ids(org))
    return frozenset(Role(role) for role in rows.values_list("role", flat=True))


@dataclass(frozen=True)
class Reach:
    """Every organization the person reaches, by primary key, and their roles over each."""

    orgs: dict[int, Organization]
    roles: dict[int, frozenset[Role]]

    def with_cap(self, cap: Cap) -> list[int]:
        return [pk for pk in self.roles if self.can(pk, cap)]

    def can(self, org_id: int, cap: Cap) -> bool:
        return cap in capabilities(self.roles.get(org_id, ()))


def reach_of(user: User) -> Reach:
    """What the person reaches and their roles over each organization, in three queries.

    A membership reaches its organization, the schools of a district, the districts and
    schools a network groups and their schools; the roles over an organization are those
    held on it, on its district, or on a network grouping either.
    """
    held: dict[int, set[Role]] = defaultdict(set)
    for org_id, role in Membership.objects.active().filter(user=user).values_list("org", "role"):
        held[org_id].add(Role(role))
    grouped: dict[int, set[int]] = defaultdict(set)  # organization → networks grouping it
    links = Organization.members.through.objects.filter(from_organization_id__in=held)
    for network_id, member_id in links.values_list("from_organization_id", "to_organization_id"):
        grouped[member_id].add(network_id)
    top = set(held) | set(grouped)
    orgs = {o.pk: o for o in Organization.objects.filter(Q(pk__in=top) | Q(parent_id__in=top))}
    roles = {}
    for pk, org in orgs.items():
        covering = {pk, org.parent_id} if org.parent_id else {pk}
        covering |= {n for member in list(covering) for n in grouped.get(member, ())}
        roles[pk] = frozenset(r for c in covering for r in held.get(c, ()))
    return Reach(orgs, roles)


def reachable_orgs(user: User) -> list[Organization]:
    """Every organization the person can open, networks first, then districts, then schools."""
    if not user.is_authenticated:
        return []
    orgs = reach_of(user).orgs.values()
    return sorted(orgs, key=lambda org: (KIND_ORDER.index(org.kind), org.name))


def reachable_for_request(request: HttpRequest) -> list[Organization]:
    """reachable_orgs for the signed-in person, computed once per request for view and menu."""
    cached: list[Organization] | None = getattr(request, "_headway_reachable", None)
    if cached is None:
        user = request.user
        cached = reachable_orgs(user) if isinstance(user, User) else []
        setattr(request, "_headway_reachable", cached)  # noqa: B010
    return cached


def signed_in(request: HttpRequest) -> User:
    """The person making the request; views reach it only behind login_required."""
    user = request.user
    assert isinstance(user, User)
    return user


def get_org_for_user(request: HttpRequest, code: UUID, cap: Cap = Cap.VIEW) -> OrgAccess:
    """Return the organization if the person holds ``cap`` on it; 404 outsiders, 403 members."""
    user = signed_in(request)
    org = Organization.objects.filter(code=code).first()
    roles = roles_for(user, org) if org is not None else frozenset()
    if org is None or not roles:
        record(request, "access.denied", outcome="denied", detail={"object": str(code)})
        raise Http404("No such organization.")
    access = OrgAccess(org, roles)
    if not access.can(cap):
        record(request, "access.denied", org=org, outcome="denied", detail={"needs": cap.value})
        raise PermissionDenied
    return access
