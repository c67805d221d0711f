"""Who sees which figures: the one place that picks the audience of a results page."""

from __future__ import annotations

from django.http import HttpRequest

from headway.explore.cube import Audience
from headway.orgs.access import OrgAccess
from headway.orgs.roles import Cap

PUBLIC_PREVIEW = "public"  # ?view=public: people with student access see what others see


def audience_for(request: HttpRequest, access: OrgAccess) -> Audience:
    """Internal figures for people with student access (unless they ask for the public view)."""
    if access.can(Cap.VIEW_STUDENTS) and request.GET.get("view") != PUBLIC_PREVIEW:
        return Audience.INTERNAL
    return Audience.PUBLIC
