"""The Plan section's landing page, and starting an improvement cycle."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from headway.audit.log import record
from headway.orgs.access import get_org_for_user, signed_in
from headway.orgs.models import Organization
from headway.orgs.roles import Cap
from headway.plans.forms.cycles import CycleCreateForm
from headway.plans.models import Cycle, NeedsAssessment
from headway.plans.questions import QUESTIONS


def _with_progress(cycles: QuerySet[Cycle]) -> QuerySet[Cycle]:
    """Each cycle with how far its needs assessment has come, counted in one query."""
    written = Q(assessment__answers__question__in=list(QUESTIONS), assessment__answers__text__gt="")
    return cycles.annotate(
        answered=Count("assessment__answers", filter=written, distinct=True),
        evidence_count=Count("assessment__evidence", distinct=True),
        priority_count=Count("assessment__priorities", distinct=True),
        goal_count=Count("assessment__goals", distinct=True),
    ).order_by("-first_year")  # an aggregate query ignores Meta.ordering


def _school_plans(district: Organization) -> list[tuple[Organization, int]]:
    schools = district.children.annotate(cycle_count=Count("cycles")).order_by("name")
    return [(school, school.cycle_count) for school in schools]


# /o/<code>/plan/
@login_required
def home(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_org_for_user(request, code)
    org = access.org
    internal = access.can(Cap.VIEW_INTERNAL)
    context: dict[str, Any] = {
        "org": org,
        "caps": access.cap_names,
        "internal": internal,
        "question_count": len(QUESTIONS),
    }
    if internal and not org.is_network:
        context["cycles"] = _with_progress(Cycle.objects.filter(org=org))
    if internal and org.is_district:
        context["schools"] = _school_plans(org)
    if not internal:
        published = Cycle.objects.filter(org=org, plan__published=True).order_by("-first_year")
        context["published"] = list(published)
    return render(request, "plans/home.html", context)


def _start(request: HttpRequest, form: CycleCreateForm) -> Cycle | None:
    """Save the cycle with its needs assessment; None if the same start was saved meanwhile."""
    form.instance.created_by = signed_in(request)
    try:
        with transaction.atomic():
            cycle = form.save()
            NeedsAssessment.objects.create(cycle=cycle)
    except IntegrityError:
        form.add_error("first_year", _("A plan starting in that school year already exists."))
        return None
    detail = {"first_year": cycle.first_year, "years": cycle.years}
    record(request, "plan.cycle_started", org=cycle.org, obj=cycle, detail=detail)
    return cycle


# /o/<code>/plan/new/
@login_required
def create(request: HttpRequest, code: UUID) -> HttpResponse:
    org = get_org_for_user(request, code, Cap.EDIT_PLAN).org
    if org.is_network:
        raise Http404("Plans belong to a school or a district.")
    form = CycleCreateForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        cycle = _start(request, form)
        if cycle is not None:
            messages.success(
                request,
                _("The plan for %(label)s was started. Begin with the needs assessment.")
                % {"label": cycle.label},
            )
            return redirect(cycle)
    return render(request, "plans/cycle_create.html", {"org": org, "form": form})
