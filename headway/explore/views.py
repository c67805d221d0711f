from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

import polars as pl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from headway.audit.log import record
from headway.data.core.aggregates import PUBLISHED
from headway.data.models import Coverage
from headway.explore import cube, labels, page, peers, students
from headway.explore.access import PUBLIC_PREVIEW, audience_for
from headway.explore.cube import Results
from headway.explore.filters import Choices, FilterForm, Filters
from headway.explore.forms import FindingForm, ReportingForm
from headway.explore.models import Finding
from headway.explore.tasks import refresh_results
from headway.lib.sheets import Cell, csv_bytes, xlsx_bytes
from headway.orgs.access import OrgAccess, get_org_for_user
from headway.orgs.models import Organization
from headway.orgs.roles import Cap
from headway.plans.models import Cycle

INTERNAL_NOTE = _("Internal: includes small groups. Not for public release.")
EXPORT_COLUMNS = (*PUBLISHED, "display")


def _owner(org: Organization) -> Organization | None:
    """Whose results table holds the organization's figures: its district's, or its own."""
    return org if org.is_network else org.district()


def _load(request: HttpRequest, access: OrgAccess) -> tuple[Results, Filters, FilterForm] | None:
    """The organization's rows and the filters the request asks for; None without data."""
    owner = _owner(access.org)
    if owner is None:
        return None
    where = pl.col("org_code") == cube.org_code(access.org)
    if access.org.is_district:
        where = where | pl.col("org_level").eq("school")  # the district page lists its schools
    results = cube.load(owner, audience_for(request, access), where)
    own = results.frame.filter(pl.col("org_code") == cube.org_code(access.org))
    if own.is_empty():
        return None
    form = FilterForm(request.GET or None, choices=Choices.of(own))
    return results, form.filters(), form


# /o/<code>/data/results/
@never_cache
@login_required
def results(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_org_for_user(request, code)
    org = access.org
    loaded = _load(request, access)
    context: dict[str, object] = {"org": org, "caps": access.cap_names}
    if loaded is None:
        context["pending"] = _pending(org)
        return render(request, "explore/results_empty.html", context)
    results_, filters, form = loaded
    mine = Results(
        results_.frame.filter(pl.col("org_code") == cube.org_code(org)),
        results_.table,
        results_.audience,
    )
    owner = _owner(org)
    assert owner is not None
    built = page.build(org, mine, filters, cube.settings_for(owner).policy())
    if org.is_district:
        built.schools = page.school_rows(org, results_, filters)
    if org.is_network:
        built.schools = page.district_rows(org, filters)
    pool = request.GET.get("pool", "district")
    similar = (
        peers.similar(org, results_.audience, filters, pool if pool in peers.POOLS else "district")
        if org.is_school
        else None
    )
    context |= {
        "page": built,
        "form": form,
        "qs": urlencode(filters.query() | _view(request)),
        "public_qs": urlencode(filters.query() | {"view": PUBLIC_PREVIEW}),
        "internal_qs": urlencode(filters.query()),
        "table": results_.table,
        "internal": results_.internal,
        "can_preview": access.can(Cap.VIEW_STUDENTS),
        "can_list": results_.internal and access.can(Cap.VIEW_STUDENTS),
        "similar": similar,
        "features": peers.features(),
        "in_network": org.is_school and owner.networks.exists(),
        "has_file": org.is_school
        and Coverage.objects.filter(district=owner, kind="schools").exists(),
        "findings": _findings(org, access),
        "can_decide": access.can(Cap.CONTRIBUTE),
        "pin_url": _pin_url(org, access, filters),
    }
    return render(request, "explore/results.html", context)


def _pin_url(org: Organization, access: OrgAccess, filters: Filters) -> str:
    """Where the figures on screen can be pinned, for people who contribute to the plan: the
    newest needs assessment's question on student groups."""
    cycle = Cycle.objects.filter(org=org).order_by("-first_year").first()
    if cycle is None or not access.can(Cap.CONTRIBUTE):
        return ""
    pin = reverse("plans-pin", args=[org.code, cycle.code, "groups"])
    return f"{pin}?{urlencode(filters.query())}"


def _findings(org: Organization, access: OrgAccess) -> dict[str, list[Finding]]:
    """The organization's findings by state; people who cannot decide see the pinned ones."""
    rows = list(Finding.objects.filter(org=org).order_by("-state", "rank"))
    by_state: dict[str, list[Finding]] = {state: [] for state in Finding.State.values}
    for finding in rows:
        if finding.current or finding.state == Finding.State.PINNED:
            by_state[finding.state].append(finding)
    if not access.can(Cap.CONTRIBUTE):
        return {Finding.State.PINNED: by_state[Finding.State.PINNED]}
    return by_state


def _view(request: HttpRequest) -> dict[str, str]:
    """The audience choice, carried along in links and exports."""
    return {"view": PUBLIC_PREVIEW} if request.GET.get("view") == PUBLIC_PREVIEW else {}


def _pending(org: Organization) -> bool:
    """Whether the district has data whose results are still being computed."""
    district = org.district()
    return district is not None and district.snapshots.exists() and cube.latest(district) is None


# /o/<code>/data/results/export.<fmt>
@never_cache
@login_required
def export(request: HttpRequest, code: UUID, fmt: str) -> HttpResponse:
    """What the page shows for the chosen year, subject and grade, every group and measure."""
    access = get_org_for_user(request, code)
    loaded = _load(request, access)
    if loaded is None:
        return render(request, "explore/results_empty.html", {"org": access.org}, status=404)
    results_, filters, _form = loaded
    frame = results_.frame.filter(
        (pl.col("org_code") == cube.org_code(access.org)) & filters.where()
    )
    rows: list[list[Cell]] = [list(r) for r in frame.select(EXPORT_COLUMNS).iter_rows()]
    note = str(INTERNAL_NOTE) if results_.internal else ""
    record(
        request,
        "data.results_exported",
        org=access.org,
        detail={"audience": results_.audience.value, "format": fmt, "rows": len(rows)}
        | filters.query(),
    )
    stem = slugify(f"{access.org.name}-{filters.school_year}-{filters.subject}-{filters.grade}")
    if results_.internal:
        stem += "-internal"
    if fmt == "xlsx":
        body = xlsx_bytes(str(_("Results")), EXPORT_COLUMNS, rows, note)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, kind = csv_bytes(EXPORT_COLUMNS, rows, note), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# /o/<code>/data/students/
@never_cache
@login_required
def student_list(request: HttpRequest, code: UUID) -> HttpResponse:
    """The students behind one group's figure, for people with student access; audited."""
    access = get_org_for_user(request, code, Cap.VIEW_STUDENTS)
    loaded = None if access.org.is_network else _load(request, access)
    if loaded is None:
        return render(request, "explore/results_empty.html", {"org": access.org}, status=404)
    _results, filters, _form = loaded
    group_type = request.GET.get("group_type", "all")
    group_value = request.GET.get("group_value", "all")
    below = request.GET.get("below") == "1"
    found = students.student_list(access.org, filters, group_type, group_value, below_only=below)
    download = request.GET.get("format") == "csv"
    record(
        request,
        "data.students_exported" if download else "data.students_viewed",
        org=access.org,
        detail={"students": found.count, "group_type": group_type, "group_value": group_value}
        | filters.query()
        | {"below": below},
    )
    if download:
        rows = [list(r) for r in found.rows.iter_rows()]
        body = csv_bytes(students.COLUMNS, rows, str(INTERNAL_NOTE))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="students-internal.csv"'
        return response
    context = {
        "org": access.org,
        "filters": filters,
        "found": found,
        "group": labels.group(group_type, group_value),
        "rows": found.rows.head(students.LIMIT).iter_rows(named=True),
        "limit": students.LIMIT,
        "query": _without(request, "below", "format"),
        "title": page.ResultsPage(access.org, filters, True).title,
    }
    return render(request, "explore/students.html", context)


# /o/<code>/data/findings/<fcode>/
@require_POST
@login_required
def finding_decide(request: HttpRequest, code: UUID, fcode: UUID) -> HttpResponse:
    """Pin, dismiss, restore or reword a drafted finding."""
    access = get_org_for_user(request, code, Cap.CONTRIBUTE)
    finding = get_object_or_404(Finding, org=access.org, code=fcode)
    form = FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That change could not be made: %(e)s") % {"e": form.errors})
        return redirect(_findings_url(access.org))
    action = form.cleaned_data["action"]
    if action == "edit":
        finding.edited_text = form.cleaned_data["text"].strip()
    else:
        finding.state = FindingForm.STATES[action]
    finding.decided_by = request.user  # type: ignore[assignment]
    finding.decided_at = timezone.now()
    finding.save()
    record(request, f"finding.{action}", org=access.org, obj=finding)
    messages.success(request, FindingForm.DONE[action])
    return redirect(_findings_url(access.org))


def _findings_url(org: Organization) -> str:
    return reverse("explore-results", args=[org.code]) + "#findings-h"


# /o/<code>/data/reporting/
@login_required
def reporting(request: HttpRequest, code: UUID) -> HttpResponse:
    """A district's reporting settings; saving recomputes its results."""
    access = get_org_for_user(request, code, Cap.MANAGE_ORG)
    if not access.org.is_district:
        raise Http404("Reporting settings belong to a district.")
    chosen = cube.settings_for(access.org)
    form = ReportingForm(request.POST or None, instance=chosen)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(
            request,
            "data.reporting_changed",
            org=access.org,
            detail={"min_n": chosen.min_n, "combos": chosen.combos},
        )
        refresh_results.enqueue(str(access.org.code))
        messages.success(request, _("Saved. The results are being worked out again."))
        return redirect("explore-reporting", code=access.org.code)
    context = {"org": access.org, "form": form, "state_min_n": chosen.state_min_n}
    return render(request, "explore/reporting.html", context, status=400 if form.errors else 200)
