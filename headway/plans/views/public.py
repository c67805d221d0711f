"""The plan outside its editing pages: the PDF and Word exports, and the public summary the
team publishes for families and the community."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.orgs.roles import Cap
from headway.plans import document, exports
from headway.plans.access import get_plan_for_user, get_published_plan_for_user
from headway.plans.forms.public import PUBLISHING, PublishForm
from headway.plans.models import Cycle, Plan
from headway.plans.views.plan import plan_url
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_name(cycle: Cycle, extension: str) -> str:
    """For example plan-alder-creek-elementary-2025-27.pdf: the school and the cycle's years."""
    end = (cycle.last_year + 1) % 100
    return f"{slugify(f'plan {cycle.org.name} {cycle.first_year}-{end:02d}')}.{extension}"


def _download(
    request: HttpRequest, code: UUID, ccode: UUID, extension: str, content_type: str
) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode)
    plan.cycle = access.cycle  # for speed: the cycle and its organization are read once
    doc = document.build(plan)
    content = exports.pdf_bytes(doc) if extension == "pdf" else exports.docx_bytes(doc)
    record(request, "plan.exported", org=access.cycle.org, obj=plan, detail={"format": extension})
    response = HttpResponse(content, content_type=content_type)
    name = file_name(access.cycle, extension)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# /o/<code>/plan/<ccode>/plan/export.pdf
@require_GET
@login_required
def pdf(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    return _download(request, code, ccode, "pdf", "application/pdf")


# /o/<code>/plan/<ccode>/plan/export.docx
@require_GET
@login_required
def docx(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    return _download(request, code, ccode, "docx", DOCX)


def _published_action(before: bool, plan: Plan) -> str:
    if plan.published == before:
        return "plan.summary_updated"
    return "plan.published" if plan.published else "plan.unpublished"


def _saved_message(plan: Plan) -> str:
    if plan.published:
        return _("Saved. The summary is published: families and the community can read it.")
    return _("Saved. The summary is not published: only the team can see it.")


# /o/<code>/plan/<ccode>/plan/publish/
@login_required
def publish(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access, plan = get_plan_for_user(request, code, ccode, Cap.EDIT_PLAN)
    before = plan.published
    form = PublishForm(request.POST or None, instance=plan, initial={"revision": plan.revision})
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        try:
            save_revision(plan, form.cleaned_data["revision"], PUBLISHING)
        except Stale:
            stored = Plan.objects.get(pk=plan.pk)
            say_stale(request, _("The public summary"))
            conflict = conflict_rows(form, PublishForm.stored(stored))
            form = PublishForm(reopened(request, stored.revision), instance=stored)
        else:
            record(request, _published_action(before, plan), org=access.cycle.org, obj=plan)
            messages.success(request, _saved_message(plan))
            return redirect(plan_url(access.cycle, "exports"))
    summary_url = reverse("plans-summary", args=[access.cycle.org.code, access.cycle.code])
    context = {"cycle": access.cycle, "form": form, "conflict": conflict, "published": before}
    return render(request, "plans/publish.html", context | {"summary_url": summary_url})


# /o/<code>/plan/<ccode>/plan/summary/
@require_GET
@login_required
def summary(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    org_access, plan = get_published_plan_for_user(request, code, ccode)
    context = {
        "cycle": plan.cycle,
        "plan": plan,
        "document": document.build(plan, public=True),
        "team": org_access.can(Cap.VIEW_INTERNAL),
        "can_edit": org_access.can(Cap.EDIT_PLAN),
    }
    return render(request, "plans/summary.html", context)
