"""Root causes: five-whys chains and a fishbone of possible causes, each tied to findings."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.orgs.roles import Cap
from headway.plans.access import CycleAccess, cap_for, get_cycle_for_user
from headway.plans.forms.causes import CauseForm, WhyChainEditForm, WhyChainForm
from headway.plans.models import Cause, Cycle, NeedsAssessment, WhyChain
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale


def causes_url(cycle: Cycle, anchor: str = "") -> str:
    url = reverse("plans-causes", args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


@dataclass(frozen=True)
class Bone:
    """One category of the fishbone with its possible causes."""

    category: str
    label: str
    causes: list[Cause]


def fishbone(assessment: NeedsAssessment) -> list[Bone]:
    causes = list(assessment.causes.prefetch_related("findings"))
    return [
        Bone(value, str(label), [cause for cause in causes if cause.category == value])
        for value, label in Cause.Category.choices
    ]


def _page(request: HttpRequest, access: CycleAccess, form: CauseForm | None) -> HttpResponse:
    chains = access.assessment.why_chains.prefetch_related("findings")
    context = {
        "cycle": access.cycle,
        "access": access,
        "chains": chains,
        "bones": fishbone(access.assessment),
        "form": form,
    }
    return render(request, "plans/causes.html", context)


# /o/<code>/plan/<ccode>/causes/
@login_required
def overview(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, cap_for(request))
    if not access.can_contribute:
        return _page(request, access, None)
    form = CauseForm(request.POST or None, org=access.cycle.org)
    if request.method == "POST" and form.is_valid():
        form.instance.assessment = access.assessment
        cause = form.save()
        detail = {"category": cause.category}
        record(request, "plan.cause_added", org=access.cycle.org, obj=cause, detail=detail)
        messages.success(request, _("The possible cause was added."))
        return redirect(causes_url(access.cycle, f"bone-{cause.category}"))
    return _page(request, access, form)


def _chain_saved(
    request: HttpRequest, cycle: Cycle, chain: WhyChain, action: str
) -> HttpResponseRedirect:
    record(request, action, org=cycle.org, obj=chain)
    messages.success(request, _("The five-whys chain was saved."))
    return redirect(causes_url(cycle, f"why-{chain.code}"))


# /o/<code>/plan/<ccode>/causes/whys/new/
@login_required
def why_create(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    form = WhyChainForm(request.POST or None, org=access.cycle.org)
    if request.method == "POST" and form.is_valid():
        chain = WhyChain(assessment=access.assessment)
        form.apply(chain)
        with transaction.atomic():
            chain.save()
            chain.findings.set(form.cleaned_data["findings"])
        return _chain_saved(request, access.cycle, chain, "plan.why_created")
    context = {"cycle": access.cycle, "form": form, "chain": None, "conflict": []}
    return render(request, "plans/why_form.html", context)


def _save_chain(chain: WhyChain, form: WhyChainEditForm) -> None:
    with transaction.atomic():
        form.apply(chain)
        save_revision(chain, form.cleaned_data["revision"], ["problem", "whys"])
        chain.findings.set(form.cleaned_data["findings"])


# /o/<code>/plan/<ccode>/causes/whys/<wcode>/
@login_required
def why_edit(request: HttpRequest, code: UUID, ccode: UUID, wcode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    org = access.cycle.org
    chain = get_object_or_404(access.assessment.why_chains, code=wcode)
    form = WhyChainEditForm(request.POST or None, org=org, chain=chain)
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        try:
            _save_chain(chain, form)
        except Stale:
            chain = WhyChain.objects.get(pk=chain.pk)
            say_stale(request, _("This five-whys chain"))
            conflict = conflict_rows(form, WhyChainForm.initial_for(chain))
            form = WhyChainEditForm(reopened(request, chain.revision), org=org, chain=chain)
        else:
            return _chain_saved(request, access.cycle, chain, "plan.why_updated")
    context = {"cycle": access.cycle, "form": form, "chain": chain, "conflict": conflict}
    return render(request, "plans/why_form.html", context)


# /o/<code>/plan/<ccode>/causes/whys/<wcode>/remove/
@login_required
def why_remove(request: HttpRequest, code: UUID, ccode: UUID, wcode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    chain = get_object_or_404(access.assessment.why_chains, code=wcode)
    if request.method == "POST":
        chain.delete()
        detail = {"problem": chain.problem[:200]}
        record(request, "plan.why_removed", org=access.cycle.org, detail=detail)
        messages.success(request, _("The five-whys chain was removed."))
        return redirect(causes_url(access.cycle, "whys-h"))
    context = {"cycle": access.cycle, "chain": chain, "priorities": chain.priorities.all()}
    return render(request, "plans/why_remove.html", context)


# /o/<code>/plan/<ccode>/causes/<kcode>/remove/
@login_required
def cause_remove(request: HttpRequest, code: UUID, ccode: UUID, kcode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    cause = get_object_or_404(access.assessment.causes, code=kcode)
    if request.method == "POST":
        cause.delete()
        detail = {"cause": cause.text[:200]}
        record(request, "plan.cause_removed", org=access.cycle.org, detail=detail)
        messages.success(request, _("The possible cause was removed."))
        return redirect(causes_url(access.cycle, f"bone-{cause.category}"))
    context = {"cycle": access.cycle, "cause": cause, "priorities": cause.priorities.all()}
    return render(request, "plans/cause_remove.html", context)
