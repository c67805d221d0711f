"""The needs assessment: guided questions, their answers, pinned evidence and snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import polars as pl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from headway.audit.log import record
from headway.explore import cube
from headway.explore.access import audience_for
from headway.explore.cube import Audience, Results
from headway.explore.filters import Choices, FilterForm, Filters
from headway.explore.models import Finding
from headway.explore.page import ResultsPage
from headway.lib.revisions import Stale, save_revision
from headway.orgs.access import OrgAccess, signed_in
from headway.orgs.models import Organization, current_start_year, school_year_label
from headway.orgs.roles import Cap
from headway.plans import evidence as pinned
from headway.plans import snapshots as snaps
from headway.plans.access import CycleAccess, get_cycle_for_user
from headway.plans.forms.assessment import (
    AnswerForm,
    FigurePinForm,
    FindingPinForm,
    SnapshotForm,
)
from headway.plans.models import Answer, Evidence, NeedsAssessment, Snapshot
from headway.plans.questions import GROUPS, QUESTIONS, Question
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale

FIGURE_PARAMS = ("year", "subject", "grade", "metric", "compare")


def _question(slug: str) -> Question:
    question = QUESTIONS.get(slug)
    if question is None:
        raise Http404("No such question.")
    return question


def _internal(request: HttpRequest, access: CycleAccess) -> bool:
    """Whether the person may see internal figures (small groups) in frozen copies."""
    return audience_for(request, access.org_access) is Audience.INTERNAL


def _question_url(access: CycleAccess, question: str) -> str:
    cycle = access.cycle
    return reverse("plans-assessment", args=[cycle.org.code, cycle.code]) + f"#q-{question}"


# Overview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceItem:
    evidence: Evidence
    rows: list[snaps.Figure]  # a figure's rows as this viewer may see them
    numbers: list[tuple[str, str]]  # a finding's numbers in words
    changed: bool  # the live finding now reads differently
    internal: bool  # the rows include figures the public does not see


def _item(evidence: Evidence, internal: bool) -> EvidenceItem:
    frozen = evidence.frozen
    return EvidenceItem(
        evidence,
        pinned.shown_rows(frozen, internal),
        pinned.numbers_shown(frozen),
        pinned.changed_since(evidence),
        internal and frozen.get("audience") == Audience.INTERNAL.value,
    )


def _evidence_by_question(
    assessment: NeedsAssessment, internal: bool
) -> dict[str, list[EvidenceItem]]:
    found: dict[str, list[EvidenceItem]] = {}
    rows = assessment.evidence.select_related("finding", "pinned_by")
    for item in rows:
        found.setdefault(item.question, []).append(_item(item, internal))
    return found


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    answer: Answer | None
    evidence: list[EvidenceItem]


def _unused_findings(org: Organization, assessment: NeedsAssessment) -> QuerySet[Finding]:
    """The organization's pinned findings that no question cites yet."""
    used = assessment.evidence.filter(finding__isnull=False).values("finding_id")
    return Finding.objects.filter(org=org, state=Finding.State.PINNED, current=True).exclude(
        pk__in=used
    )


# /o/<code>/plan/<ccode>/needs/
@login_required
def overview(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode)
    assessment = access.assessment
    answers = {a.question: a for a in assessment.answers.select_related("updated_by")}
    evidence = _evidence_by_question(assessment, _internal(request, access))
    groups = [
        (
            group,
            [
                QuestionRow(q, answers.get(q.slug), evidence.get(q.slug, []))
                for q in group.questions
            ],
        )
        for group in GROUPS
    ]
    answered = sum(1 for a in answers.values() if a.text.strip() and a.question in QUESTIONS)
    context = {
        "org": access.cycle.org,
        "cycle": access.cycle,
        "access": access,
        "groups": groups,
        "answered": answered,
        "question_count": len(QUESTIONS),
        "unused": list(_unused_findings(access.cycle.org, assessment)),
    }
    return render(request, "plans/assessment.html", context)


# Answers ----------------------------------------------------------------------------------


def _stored_answer(access: CycleAccess, slug: str) -> Answer:
    answer, _created = Answer.objects.get_or_create(assessment=access.assessment, question=slug)
    return answer


# /o/<code>/plan/<ccode>/needs/<question>/
@login_required
def answer(request: HttpRequest, code: UUID, ccode: UUID, question: str) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    asked = _question(question)
    stored = _stored_answer(access, question)
    initial = {"revision": stored.revision}
    form = AnswerForm(request.POST or None, instance=stored, question=asked, initial=initial)
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        stored.updated_by = signed_in(request)
        try:
            save_revision(stored, form.cleaned_data["revision"], ["text", "updated_by"])
        except Stale:
            stored = Answer.objects.get(pk=stored.pk)
            say_stale(request, _("The answer"))
            conflict = conflict_rows(form, {"text": stored.text})
            form = AnswerForm(reopened(request, stored.revision), instance=stored, question=asked)
        else:
            record(
                request, "plan.answer_saved", org=access.cycle.org, detail={"question": question}
            )
            messages.success(request, _("Your answer was saved."))
            return redirect(_question_url(access, question))
    context = {
        "org": access.cycle.org,
        "cycle": access.cycle,
        "question": asked,
        "form": form,
        "conflict": conflict,
        "evidence": [
            _item(e, _internal(request, access))
            for e in access.assessment.evidence.filter(question=question)
        ],
    }
    return render(request, "plans/answer.html", context)


# Pinning evidence -------------------------------------------------------------------------


def _pinnable(org: Organization) -> QuerySet[Finding]:
    """The organization's current findings that were not dismissed, pinned ones first."""
    return (
        Finding.objects.filter(org=org, current=True)
        .exclude(state=Finding.State.DISMISSED)
        .order_by("-state", "rank")
    )


def _pin_findings(
    request: HttpRequest, access: CycleAccess, question: Question, form: FindingPinForm
) -> int:
    org, note, user = access.cycle.org, form.cleaned_data["note"], signed_in(request)
    chosen: list[Finding] = form.cleaned_data["findings"]
    for finding in chosen:
        Evidence.objects.create(
            assessment=access.assessment,
            question=question.slug,
            finding=finding,
            title=finding.title,
            link=pinned.results_link(org, finding.chart_query),
            frozen=pinned.freeze_finding(finding),
            note=note,
            pinned_by=user,
        )
    detail = {"question": question.slug, "findings": [str(f.code) for f in chosen]}
    record(request, "plan.evidence_pinned", org=org, detail=detail)
    return len(chosen)


@dataclass(frozen=True)
class LoadedFigure:
    filters: Filters
    frame: pl.DataFrame  # the organization's own rows
    audience: Audience

    @property
    def query(self) -> str:
        return urlencode(self.filters.query())


def _owner_results(request: HttpRequest, org_access: OrgAccess) -> Results | None:
    """The organization's own rows of its district's table, for this person's audience."""
    org = org_access.org
    owner = org.district()
    if owner is None:
        return None
    mine = pl.col("org_code") == cube.org_code(org)
    return cube.load(owner, audience_for(request, org_access), mine)


def _figure_params(request: HttpRequest) -> QueryDict:
    """The results page's filters: in the link that opened the page, or in the posted form."""
    wanted = QueryDict(mutable=True)
    for name in FIGURE_PARAMS:
        wanted[name] = request.GET.get(name) or request.POST.get(f"figure-{name}", "")
    return wanted


def _figure(request: HttpRequest, access: CycleAccess) -> LoadedFigure | None:
    """The figure the request names, with its filters fitted to the data; None without."""
    wanted = _figure_params(request)
    if not any(wanted.values()):
        return None
    results = _owner_results(request, access.org_access)
    if results is None or results.frame.is_empty():
        return None
    filters = FilterForm(wanted, choices=Choices.of(results.frame)).filters()
    return LoadedFigure(filters, results.frame, results.audience)


def _figure_title(request: HttpRequest, access: CycleAccess, figure: LoadedFigure) -> str:
    """The title the results page gave the figure, else the one it would show."""
    internal = figure.audience is Audience.INTERNAL
    return request.GET.get("title") or ResultsPage(access.cycle.org, figure.filters, internal).title


def _pin_figure(
    request: HttpRequest,
    access: CycleAccess,
    question: Question,
    form: FigurePinForm,
    figure: LoadedFigure,
) -> bool:
    """Pin the figure; False (with the form's error) when it is pinned here already."""
    org = access.cycle.org
    link = pinned.results_link(org, figure.query)
    same = access.assessment.evidence.filter(question=question.slug, finding=None, link=link)
    if same.exists():
        form.add_error(None, _("This figure is already evidence for this question."))
        return False
    title = form.cleaned_data["title"]
    Evidence.objects.create(
        assessment=access.assessment,
        question=question.slug,
        title=title,
        link=link,
        frozen=pinned.freeze_figure(title, figure.filters, figure.frame, figure.audience),
        note=form.cleaned_data["note"],
        pinned_by=signed_in(request),
    )
    detail = {"question": question.slug, "figure": figure.query, "audience": figure.audience.value}
    record(request, "plan.evidence_pinned", org=org, detail=detail)
    return True


def _figure_pinned(
    request: HttpRequest,
    access: CycleAccess,
    question: Question,
    form: FigurePinForm | None,
    figure: LoadedFigure | None,
) -> bool:
    assert form is not None and figure is not None
    return form.is_valid() and _pin_figure(request, access, question, form, figure)


def _pin_forms(
    request: HttpRequest, access: CycleAccess, question: Question, figure: LoadedFigure | None
) -> tuple[FindingPinForm, FigurePinForm | None]:
    action = request.POST.get("action") if request.method == "POST" else None
    findings_form = FindingPinForm(
        request.POST if action == "findings" else None,
        findings=_pinnable(access.cycle.org),
        assessment=access.assessment,
        question=question,
    )
    figure_form = None
    if figure is not None:
        initial = {"title": _figure_title(request, access, figure), **figure.filters.query()}
        data = request.POST if action == "figure" else None
        figure_form = FigurePinForm(data, prefix="figure", initial=initial)
    return findings_form, figure_form


def _pinned_now(request: HttpRequest, count: int) -> None:
    messages.success(
        request,
        ngettext(
            "%(n)s piece of evidence was pinned.", "%(n)s pieces of evidence were pinned.", count
        )
        % {"n": count},
    )


# /o/<code>/plan/<ccode>/needs/<question>/pin/
@login_required
def pin(request: HttpRequest, code: UUID, ccode: UUID, question: str) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    asked = _question(question)
    figure = _figure(request, access)
    findings_form, figure_form = _pin_forms(request, access, asked, figure)
    if findings_form.is_bound and findings_form.is_valid():
        _pinned_now(request, _pin_findings(request, access, asked, findings_form))
        return redirect(_question_url(access, question))
    posted_figure = figure is not None and figure_form is not None and figure_form.is_bound
    if posted_figure and _figure_pinned(request, access, asked, figure_form, figure):
        _pinned_now(request, 1)
        return redirect(_question_url(access, question))
    already = set(
        access.assessment.evidence.filter(question=question).values_list("finding_id", flat=True)
    )
    context = {
        "org": access.cycle.org,
        "cycle": access.cycle,
        "question": asked,
        "form": findings_form,
        "figure_form": figure_form,
        "figure_rows": (
            pinned.figure_rows(figure.frame, figure.filters, figure.audience) if figure else []
        ),
        "figure_internal": figure is not None and figure.audience is Audience.INTERNAL,
        "already": already,
        "has_findings": _pinnable(access.cycle.org).exists(),
        "results_url": reverse("explore-results", args=[access.cycle.org.code]),
    }
    return render(request, "plans/pin.html", context)


# /o/<code>/plan/<ccode>/evidence/<ecode>/remove/
@login_required
def evidence_remove(request: HttpRequest, code: UUID, ccode: UUID, ecode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    item = get_object_or_404(access.assessment.evidence, code=ecode)
    asked = QUESTIONS.get(item.question)
    if request.method == "POST":
        item.delete()
        detail = {"question": item.question, "title": item.title}
        record(request, "plan.evidence_removed", org=access.cycle.org, detail=detail)
        messages.success(request, _("“%(title)s” is no longer pinned.") % {"title": item.title})
        return redirect(_question_url(access, item.question))
    context = {
        "org": access.cycle.org,
        "cycle": access.cycle,
        "evidence": item,
        "question": asked,
        "back": _question_url(access, item.question),
    }
    return render(request, "plans/evidence_remove.html", context)


# Snapshots --------------------------------------------------------------------------------


def _shown_year(request: HttpRequest, access: CycleAccess) -> int:
    """The school year whose snapshots the page shows: asked for, or the current one."""
    cycle = access.cycle
    years = range(cycle.first_year, cycle.last_year + 1)
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    now = current_start_year()
    return now if now in years else cycle.first_year


def _change_n(org: Organization) -> int:
    district = org.district()
    return cube.settings_for(district).policy().change_n if district else 10


def _take(request: HttpRequest, access: CycleAccess, form: SnapshotForm) -> bool:
    """Take the snapshot the form names; False (with a message) when refused."""
    year, moment = form.cleaned_data["school_year"], form.cleaned_data["moment"]
    label = f"{Snapshot.Moment(moment).label} {school_year_label(year)}"
    existing = access.assessment.snapshots.filter(school_year=year, moment=moment).first()
    if existing is not None:
        taken = formats.date_format(existing.taken_at, "DATE_FORMAT")
        messages.error(
            request,
            _(
                "The snapshot “%(label)s” was already taken on %(date)s. Snapshots are kept "
                "as they were taken, so it cannot be taken again."
            )
            % {"label": label, "date": taken},
        )
        return False
    results = _owner_results(request, access.org_access)
    org = access.cycle.org
    figures = (
        snaps.extract(results.frame, cube.org_code(org), year, results.audience) if results else []
    )
    if not figures:
        messages.error(
            request,
            _("There are no figures for %(org)s up to %(year)s yet, so there is nothing to keep.")
            % {"org": org.name, "year": school_year_label(year)},
        )
        return False
    try:
        with transaction.atomic():
            snapshot = access.assessment.snapshots.create(
                school_year=year, moment=moment, figures=figures, taken_by=signed_in(request)
            )
    except IntegrityError:
        messages.error(request, _("That snapshot was just taken by someone else."))
        return False
    audience = snaps.audience_of(figures).value
    detail = {"school_year": year, "moment": moment, "audience": audience}
    record(request, "plan.snapshot_taken", org=org, obj=snapshot, detail=detail)
    messages.success(request, _("The snapshot “%(label)s” was taken.") % {"label": label})
    return True


def _snapshots_context(request: HttpRequest, access: CycleAccess, year: int) -> dict[str, Any]:
    cycle = access.cycle
    by_moment = {s.moment: s for s in access.assessment.snapshots.filter(school_year=year)}
    beginning, end = by_moment.get(Snapshot.Moment.BEGINNING), by_moment.get(Snapshot.Moment.END)
    internal = _internal(request, access)
    measures = snaps.compare(
        beginning.figures if beginning else [],
        end.figures if end else [],
        school_year=year,
        internal=internal,
        change_n=_change_n(cycle.org),
    )
    years = [(y, school_year_label(y)) for y in range(cycle.first_year, cycle.last_year + 1)]
    return {
        "org": cycle.org,
        "cycle": cycle,
        "access": access,
        "year": year,
        "year_label": school_year_label(year),
        "years": years,
        "beginning": beginning,
        "end": end,
        "measures": measures,
        "internal": internal,
        "shows_internal": internal
        and any(s and snaps.audience_of(s.figures) is Audience.INTERNAL for s in (beginning, end)),
        "moments": Snapshot.Moment,
    }


# /o/<code>/plan/<ccode>/snapshots/
@login_required
def snapshots(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    posted = request.method == "POST"
    access = get_cycle_for_user(
        request, code, ccode, Cap.CONTRIBUTE if posted else Cap.VIEW_INTERNAL
    )
    if posted:
        form = SnapshotForm(request.POST, cycle=access.cycle)
        if form.is_valid():
            _take(request, access, form)
            year = form.cleaned_data["school_year"]
        else:
            messages.error(request, _("Choose a school year of this plan and when to take it."))
            year = access.cycle.first_year
        url = reverse("plans-snapshots", args=[access.cycle.org.code, access.cycle.code])
        return redirect(f"{url}?year={year}")
    year = _shown_year(request, access)
    return render(request, "plans/snapshots.html", _snapshots_context(request, access, year))
