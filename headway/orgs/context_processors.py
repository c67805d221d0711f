from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from headway.accounts.models import User
from headway.orgs.access import reachable_for_request
from headway.orgs.sections import SECTIONS, section_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The organization switcher and the cycle navigation for the current organization.

    The current organization is the one in the URL, else the last one opened.
    """
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    orgs = reachable_for_request(request)
    by_code = {str(org.code): org for org in orgs}
    match = request.resolver_match
    in_url = str(match.kwargs.get("code", "")) if match else ""
    if in_url in by_code:
        request.session["org"] = in_url
    current = by_code.get(in_url) or by_code.get(request.session.get("org", ""))
    return {
        "nav_orgs": orgs,
        "nav_org": current,
        "nav_sections": SECTIONS,
        "nav_section": section_of(match.url_name or "", match.kwargs) if match else None,
    }
