"""My work: everything the signed-in person must do, in every organization they reach.

The page belongs to no one organization, so no organization's access helper applies:
``monitor.mywork`` works out the person's roles over each organization they reach and shows
only what the pages it links to would show them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from headway.monitor.mywork import my_work
from headway.orgs.access import signed_in


# /my-work/
@require_safe
@login_required
def page(request: HttpRequest) -> HttpResponse:
    return render(request, "monitor/my_work.html", {"work": my_work(signed_in(request))})
