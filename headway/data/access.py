"""The one access helper for imports (and what they produced)."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest

from headway.data.models import Import, Snapshot
from headway.orgs.access import OrgAccess, get_org_for_user
from headway.orgs.roles import Cap


def get_district_for_data(request: HttpRequest, code: UUID) -> OrgAccess:
    """A district whose data the person may manage: 404 outsiders, 403 without import rights."""
    access = get_org_for_user(request, code, Cap.MANAGE_DATA)
    if not access.org.is_district:
        raise Http404("Data is imported for a whole district.")
    return access


def get_import_for_user(request: HttpRequest, code: UUID, icode: UUID) -> Import:
    district = get_district_for_data(request, code).org
    found = Import.objects.filter(district=district, code=icode).select_related("district").first()
    if found is None:
        raise Http404("No such import.")
    return found


def get_snapshot_for_user(request: HttpRequest, code: UUID, scode: UUID) -> Snapshot:
    district = get_district_for_data(request, code).org
    found = Snapshot.objects.filter(district=district, code=scode).first()
    if found is None:
        raise Http404("No such snapshot.")
    return found
