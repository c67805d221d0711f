"""The practice self-assessment: indicator sets (district) and a cycle's ratings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.orgs.access import OrgAccess, get_org_for_user
from headway.orgs.models import Organization
from headway.orgs.roles import Cap
from headway.plans import indicators as sets
from headway.plans.access import CycleAccess, cap_for, get_cycle_for_user
from headway.plans.forms.practices import (
    RATED,
    IndicatorFileForm,
    RatingsForm,
    field_name,
    stored_values,
)
from headway.plans.models import Indicator, IndicatorSet, NeedsAssessment, PracticeRating
from headway.teams.conflicts import ConflictRow

# Indicator sets -----------------------------------------------------------------------------


def _indicator_district(request: HttpRequest, code: UUID, cap: Cap) -> OrgAccess:
    """The district whose indicator sets these are; 404 for a school or a network."""
    access = get_org_for_user(request, code, cap)
    if not access.org.is_district:
        raise Http404("Indicator sets belong to a district.")
    return access


def _sets_page(request: HttpRequest, access: OrgAccess, form: IndicatorFileForm) -> HttpResponse:
    district = access.org
    own = list(
        district.indicator_sets.order_by("-created_at", "-pk").prefetch_related("indicators")
    )
    default = sets.default_set()
    context = {
        "org": district,
        "own": own,
        "default": default,
        "in_use": sets.set_for(district),
        "form": form if access.can(Cap.MANAGE_ORG) else None,
        "max_indicators": sets.MAX_INDICATORS,
    }
    return render(request, "plans/indicators.html", context)


def _load_set(request: HttpRequest, district: Organization, form: IndicatorFileForm) -> None:
    upload = form.cleaned_data["file"]
    name = form.cleaned_data["name"]
    loaded = sets.create_set(district, name, upload.name[:200], form.rows)
    detail = {"name": name, "file": upload.name, "indicators": len(form.rows)}
    record(request, "plan.indicators_loaded", org=district, obj=loaded, detail=detail)
    n = len(form.rows)
    messages.success(
        request,
        ngettext(
            "“%(name)s” was loaded with %(n)s indicator. The district's schools now use it.",
            "“%(name)s” was loaded with %(n)s indicators. The district's schools now use it.",
            n,
        )
        % {"name": name, "n": n},
    )


# /o/<code>/plan/indicators/
@login_required
def indicator_sets(request: HttpRequest, code: UUID) -> HttpResponse:
    cap = Cap.MANAGE_ORG if request.method == "POST" else Cap.VIEW
    access = _indicator_district(request, code, cap)
    form = IndicatorFileForm(request.POST or None, request.FILES or None, district=access.org)
    if request.method == "POST" and form.is_valid():
        _load_set(request, access.org, form)
        return redirect("plans-indicators", code=access.org.code)
    return _sets_page(request, access, form)


# Ratings ------------------------------------------------------------------------------------


def _stored(assessment: NeedsAssessment) -> dict[int, PracticeRating]:
    return {rating.indicator_id: rating for rating in assessment.practice_ratings.all()}


def _shown(part: str, value: str) -> str:
    if part == "status":
        return str(dict(PracticeRating.Status.choices).get(value, _("Not rated yet")))
    if part == "priority":
        return str(dict(PracticeRating.Priority.choices).get(value, _("Not set")))
    return value or "—"


def _differences(
    indicator: Indicator, stored: PracticeRating | None, yours: dict[str, str]
) -> list[ConflictRow]:
    theirs = stored_values(stored)
    labels = {"status": _("implementation"), "evidence": _("evidence"), "priority": _("priority")}
    return [
        ConflictRow(
            f"{indicator.ref} · {labels[part]}",
            _shown(part, theirs[part]),
            _shown(part, yours[part]),
        )
        for part in RATED
        if theirs[part] != yours[part]
    ]


def _save_one(
    assessment: NeedsAssessment,
    indicator: Indicator,
    rating: PracticeRating | None,
    form: RatingsForm,
) -> list[ConflictRow]:
    """Write one changed row; the differences instead if someone else changed it first."""
    yours = form.values(indicator)
    if rating is None:
        try:
            with transaction.atomic():
                PracticeRating.objects.create(assessment=assessment, indicator=indicator, **yours)
            return []
        except IntegrityError:  # someone else rated it a moment ago
            rating = PracticeRating.objects.get(assessment=assessment, indicator=indicator)
    theirs = stored_values(rating)
    if all(theirs[part] == yours[part] for part in RATED):
        return []
    try:
        for part, value in yours.items():
            setattr(rating, part, value)
        save_revision(rating, form.revision(indicator), RATED)
    except Stale:
        return _differences(indicator, PracticeRating.objects.get(pk=rating.pk), yours)
    return []


def save_ratings(assessment: NeedsAssessment, form: RatingsForm) -> list[ConflictRow]:
    """Write every row the person changed, or none at all if anyone else changed one of them
    since the form was opened; then the differences for those rows."""
    conflict: list[ConflictRow] = []
    with transaction.atomic():
        stored = _stored(assessment)
        for indicator in form.changed_indicators():
            conflict += _save_one(assessment, indicator, stored.get(indicator.pk), form)
        if conflict:
            transaction.set_rollback(True)
    return conflict


def _reopened(request: HttpRequest, form: RatingsForm, stored: dict[int, PracticeRating]) -> Any:
    """The person's changes again, over everything as stored now: saving once more keeps
    theirs, and rows they did not touch show (and keep) the newer stored values."""
    data: QueryDict = request.POST.copy()
    mine = {indicator.pk for indicator in form.changed_indicators()}
    for indicator in form.indicators:
        now = stored_values(stored.get(indicator.pk))
        data[field_name(indicator, "revision")] = str(now["revision"])
        for part in RATED:
            name = field_name(indicator, part)
            data[form.add_initial_prefix(name)] = now[part]
            if indicator.pk not in mine:
                data[name] = now[part]
    return data


@dataclass(frozen=True)
class Summary:
    counts: list[tuple[str, int]]
    start: list[tuple[Indicator, PracticeRating]]  # high priority, not fully in place
    rated: int


def summary(indicators: list[Indicator], stored: dict[int, PracticeRating]) -> Summary:
    statuses = [stored[i.pk].status if i.pk in stored else "" for i in indicators]
    counts = [(str(label), statuses.count(value)) for value, label in PracticeRating.Status.choices]
    counts.append((_("Not rated yet"), statuses.count("")))
    order: dict[str, int] = {PracticeRating.Status.NONE: 0, PracticeRating.Status.LIMITED: 1}
    start = [
        (indicator, stored[indicator.pk])
        for indicator in indicators
        if indicator.pk in stored
        and stored[indicator.pk].priority == PracticeRating.Priority.HIGH
        and stored[indicator.pk].status in order
    ]
    start.sort(key=lambda pair: order[pair[1].status])
    return Summary(counts, start, len(indicators) - statuses.count(""))


def by_area[T](
    items: Iterable[T], indicator_of: Callable[[T], Indicator]
) -> list[tuple[str, list[T]]]:
    """Items grouped by their indicator's area, areas in the order they first appear."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(indicator_of(item).area, []).append(item)
    return list(groups.items())


def _ratings_page(
    request: HttpRequest,
    access: CycleAccess,
    indicator_set: IndicatorSet,
    form: RatingsForm | None,
    conflict: list[ConflictRow],
) -> HttpResponse:
    indicators = list(indicator_set.indicators.all())
    stored = _stored(access.assessment)
    context: dict[str, Any] = {
        "cycle": access.cycle,
        "access": access,
        "indicator_set": indicator_set,
        "summary": summary(indicators, stored),
        "total": len(indicators),
        "form": form,
        "conflict": conflict,
    }
    if form is not None:
        context["areas"] = by_area(form.rows(), lambda row: row.indicator)
    else:
        rows = [(indicator, stored.get(indicator.pk)) for indicator in indicators]
        context["areas"] = by_area(rows, lambda row: row[0])
    return render(request, "plans/practices.html", context)


# /o/<code>/plan/<ccode>/practices/
@login_required
def ratings(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, cap_for(request))
    indicator_set = sets.set_for_assessment(access.assessment)
    if not access.can_contribute:
        return _ratings_page(request, access, indicator_set, None, [])
    indicators = list(indicator_set.indicators.all())
    stored = _stored(access.assessment)
    form = RatingsForm(request.POST or None, indicators=indicators, stored=stored)
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        conflict = save_ratings(access.assessment, form)
        if not conflict:
            changed = len(form.changed_indicators())
            record(request, "plan.practices_rated", org=access.cycle.org, detail={"rows": changed})
            messages.success(request, _("The ratings were saved."))
            return redirect("plans-practices", code=access.cycle.org.code, ccode=access.cycle.code)
        messages.error(
            request,
            _(
                "Someone else changed some of these ratings while you were editing. Nothing of "
                "yours was saved yet: compare the two versions below, then save again to keep "
                "yours."
            ),
        )
        stored = _stored(access.assessment)
        form = RatingsForm(_reopened(request, form, stored), indicators=indicators, stored=stored)
    return _ratings_page(request, access, indicator_set, form, conflict)
