"""Who may reach which organization, and the one access helper for organizations.

Deny by default: a person reaches an organization only through an active
membership on it, on its district, or on a network that groups either. Outsiders
get 404 (the organization's existence is not revealed); members whose roles lack
the needed capability get 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied
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


def reachable_orgs(user: User) -> list[Organization]:
    """Every organization the person can open, networks first, then districts, then schools."""
    if not user.is_authenticated:
        return []
    direct = set(Membership.objects.active().filter(user=user).values_list("org_id", flat=True))
    via_network = set(
        Organization.members.through.objects.filter(from_organization_id__in=direct).values_list(
            "to_organization_id", flat=True
        )
    )
    top = direct | via_network
    schools = set(Organization.objects.filter(parent_id__in=top).values_list("pk", flat=True))
    orgs = Organization.objects.filter(pk__in=top | schools)
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
