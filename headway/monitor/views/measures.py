"""Measures: the cycle's dashboard, each measure's chart, its points, phases and annotations.

Goals' measures get a point from every data import (monitor.goalpoints); the team's own
measures get theirs by hand or from a CSV file (monitor.points). Reading a chart is
monitor.reading's work, drawing it monitor.charts', saying it monitor.describe's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from headway.audit.log import record
from headway.data.core.runcharts import ChartType
from headway.explore.access import audience_for
from headway.explore.cube import Audience
from headway.lib.revisions import Stale, save_revision
from headway.monitor import charts, describe, goalpoints
from headway.monitor import points as store
from headway.monitor.access import cap_for, get_measure_for_user, get_monitor_for_user
from headway.monitor.forms.measures import (
    AnnotationForm,
    GoalMeasureForm,
    MeasureEditForm,
    MeasureForm,
    PointForm,
    ReadingForm,
    RebaseForm,
    UploadForm,
    typed,
)
from headway.monitor.markers import markers_for
from headway.monitor.models import Annotation, Measure, Point
from headway.monitor.reading import MeasureReading, current_cycle, read, read_cycle
from headway.orgs.access import signed_in
from headway.orgs.roles import Cap
from headway.plans.access import CycleAccess, get_cycle_for_user
from headway.plans.models import Cycle
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened, say_stale

GET_POST = require_http_methods(["GET", "POST"])


def cycle_url(cycle: Cycle, name: str = "monitor-cycle", anchor: str = "") -> str:
    url = reverse(name, args=[cycle.org.code, cycle.code])
    return f"{url}#{anchor}" if anchor else url


def measure_url(measure: Measure, name: str = "monitor-measure", anchor: str = "") -> str:
    cycle = measure.cycle
    url = reverse(name, args=[cycle.org.code, cycle.code, measure.code])
    return f"{url}#{anchor}" if anchor else url


def _posted(request: HttpRequest) -> Any:
    """The posted data for a form, or None on a GET (an empty POST is still bound)."""
    return request.POST if request.method == "POST" else None


def _internal(request: HttpRequest, access: CycleAccess) -> bool:
    return audience_for(request, access.org_access) is Audience.INTERNAL


def _base(access: CycleAccess, **more: Any) -> dict[str, Any]:
    """What every page of the cycle's monitor needs: the organization, the cycle (for the
    sub-navigation) and the person's access."""
    return {"org": access.cycle.org, "cycle": access.cycle, "access": access, **more}


# --- the Monitor section and the cycle's dashboard ----------------------------------------------


# /o/<code>/monitor/
@require_GET
@login_required
def home(request: HttpRequest, code: UUID) -> HttpResponse:
    """The current cycle's measures; for community viewers, where to read what is public."""
    access = get_monitor_for_user(request, code, Cap.VIEW)
    if not access.org_access.can(Cap.VIEW_INTERNAL):
        return render(request, "monitor/home_public.html", {"org": access.org})
    cycle = current_cycle(access.org)
    if cycle is not None:
        return redirect(cycle_url(cycle))
    context = {"org": access.org, "cycle": None, "access": access}
    return render(request, "monitor/home.html", context)


@dataclass(frozen=True)
class Card:
    """One measure on the dashboard."""

    reading: MeasureReading
    url: str

    @property
    def measure(self) -> Measure:
        return self.reading.measure

    @property
    def latest_text(self) -> str:
        r = self.reading
        return describe.point_text(r, len(r.points) - 1) if r.points else describe.NO_VALUE

    @property
    def latest_on(self) -> str:
        latest = self.reading.latest
        return describe.when(latest.on) if latest is not None else ""

    @property
    def expected_text(self) -> str:
        return describe.value_text(self.measure, self.reading.expected)

    @property
    def track_word(self) -> str:
        return describe.track_word(self.reading)

    @property
    def signal_word(self) -> str:
        return describe.signal_word(self.reading)


# /o/<code>/monitor/<ccode>/
@require_GET
@login_required
def dashboard(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, cap_for(request))
    cycle = access.cycle
    goalpoints.track_goals(cycle)
    internal = _internal(request, access)
    cards = [Card(r, measure_url(r.measure)) for r in read_cycle(cycle, internal)]
    context = _base(
        access,
        goal_cards=[c for c in cards if c.reading.is_goal],
        team_cards=[c for c in cards if not c.reading.is_goal],
        attention=sum(1 for c in cards if c.reading.needs_attention),
        internal=internal,
    )
    return render(request, "monitor/dashboard.html", context)


# --- adding, editing and removing a measure ------------------------------------------------------


def _next_order(cycle: Cycle) -> int:
    top = cycle.measures.aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1


# /o/<code>/monitor/<ccode>/measures/new/
@GET_POST
@login_required
def create(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    form = MeasureForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        measure = form.save(commit=False)
        measure.cycle = access.cycle
        measure.created_by = signed_in(request)
        measure.order = _next_order(access.cycle)
        measure.save()
        record(request, "monitor.measure_created", org=access.cycle.org, obj=measure)
        messages.success(
            request,
            _("The measure “%(name)s” was added: now add its first results.")
            % {"name": measure.name},
        )
        return redirect(measure_url(measure, "monitor-points"))
    context = _base(access, form=form, measure=None, conflict=[])
    return render(request, "monitor/measure_form.html", context)


def _stored_fields(measure: Measure, form: MeasureEditForm | GoalMeasureForm) -> dict[str, Any]:
    """The measure as stored, in the form's terms (percents as typed), for the conflict table."""
    stored = {name: getattr(measure, name) for name in form.SAVED}
    for name in ("target", "start_value"):
        if name in stored:
            stored[name] = typed(measure.unit, stored[name])
    return stored


def _edit_form(measure: Measure, data: Any) -> MeasureEditForm | GoalMeasureForm:
    initial = {"revision": measure.revision}
    if measure.goal_id is not None:
        return GoalMeasureForm(data, instance=measure, initial=initial)
    return MeasureEditForm(data, instance=measure, initial=initial)


# /o/<code>/monitor/<ccode>/measures/<mcode>/edit/
@GET_POST
@login_required
def edit(request: HttpRequest, code: UUID, ccode: UUID, mcode: UUID) -> HttpResponse:
    access, measure = get_measure_for_user(request, code, ccode, mcode, Cap.CONTRIBUTE)
    name = measure.name
    form = _edit_form(measure, _posted(request))
    conflict: list[ConflictRow] = []
    if request.method == "POST" and form.is_valid():
        form.save(commit=False)
        try:
            save_revision(measure, form.cleaned_data["revision"], form.SAVED)
        except Stale:
            stored = Measure.objects.select_related("goal").get(pk=measure.pk)
            stored.cycle = access.cycle
            say_stale(request, _("This measure"))
            conflict = conflict_rows(form, _stored_fields(stored, form))
            measure, name = stored, stored.name
            form = _edit_form(stored, reopened(request, stored.revision))
        else:
            record(request, "monitor.measure_updated", org=access.cycle.org, obj=measure)
            messages.success(request, _("The measure was saved."))
            return redirect(measure_url(measure))
    context = _base(access, form=form, measure=measure, name=name, conflict=conflict)
    return render(request, "monitor/measure_form.html", context)


# /o/<code>/monitor/<ccode>/measures/<mcode>/remove/
@GET_POST
@login_required
def remove(request: HttpRequest, code: UUID, ccode: UUID, mcode: UUID) -> HttpResponse:
    access, measure = get_measure_for_user(request, code, ccode, mcode, Cap.CONTRIBUTE)
    if request.method == "POST":
        if measure.goal_id is not None:
            messages.error(request, _("A goal's measure stays as long as its goal does."))
            return redirect(measure_url(measure))
        measure.delete()
        detail = {"name": measure.name}
        record(
            request,
            "monitor.measure_removed",
            org=access.cycle.org,
            obj=access.cycle,
            detail=detail,
        )
        messages.success(request, _("The measure “%(name)s” was removed.") % detail)
        return redirect(cycle_url(access.cycle))
    context = _base(access, measure=measure, points=measure.points.count())
    return render(request, "monitor/measure_remove.html", context)


# --- a measure's chart ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PointRow:
    """A result in the table under the chart, as this viewer may see it."""

    point: Point
    value: str
    phase: int
    signals: list[str]


def _point_rows(reading: MeasureReading) -> list[PointRow]:
    rules: dict[int, list[str]] = {}
    for found in reading.found:
        for i in found.signal.points:
            rules.setdefault(i, []).append(describe.rule_name(found.signal.rule))
    return [
        PointRow(p, describe.point_text(reading, i), reading.phase_of(i) + 1, rules.get(i, []))
        for i, p in enumerate(reading.points)
    ]


@dataclass(frozen=True)
class PhaseRow:
    """The run-analysis figures of one phase."""

    number: int
    first: str
    last: str
    centre: str
    centre_name: str
    useful: int
    longest_run: int
    longest_run_max: int
    crossings: int
    crossings_min: int


def _phase_rows(reading: MeasureReading) -> list[PhaseRow]:
    rows = []
    for k, phase in enumerate(reading.phases, start=1):
        if phase.chart is None:
            continue
        chart = phase.chart
        first, last = reading.points[phase.start].on, reading.points[phase.end - 1].on
        rows.append(
            PhaseRow(
                k,
                describe.when(first),
                describe.when(last),
                describe.value_text(reading.measure, chart.centre),
                describe.centre_name(phase),
                chart.n_useful,
                chart.longest_run,
                chart.longest_run_max,
                chart.crossings,
                chart.crossings_min,
            )
        )
    return rows


def _measure_page(
    request: HttpRequest,
    access: CycleAccess,
    measure: Measure,
    form: ReadingForm | None = None,
) -> HttpResponse:
    reading = read(measure, _internal(request, access))
    markers = markers_for(reading)
    if form is None and access.can_contribute:
        form = ReadingForm(instance=measure, initial={"revision": measure.revision})
    context = _base(
        access,
        measure=measure,
        reading=reading,
        chart=charts.measure_chart(reading, markers, "measure-chart") if reading.points else None,
        markers=markers,
        sentences=describe.sentences(reading),
        track=describe.track_sentence(reading),
        phases=_phase_rows(reading),
        rows=_point_rows(reading),
        form=form,
        rebase_form=RebaseForm(measure=measure) if access.can_contribute else None,
        rebases=list(measure.rebases.order_by("on")),
        internal=reading.internal,
        fallback=_read_as_run_chart(reading),
    )
    return render(request, "monitor/measure.html", context)


def _read_as_run_chart(reading: MeasureReading) -> bool:
    """Whether a control chart is read as a run chart (a p chart without counts)."""
    wanted = reading.measure.chart != Measure.Chart.RUN
    return wanted and any(p.chart is not None and p.kind == ChartType.RUN for p in reading.phases)


# /o/<code>/monitor/<ccode>/measures/<mcode>/
@GET_POST
@login_required
def detail(request: HttpRequest, code: UUID, ccode: UUID, mcode: UUID) -> HttpResponse:
    access, measure = get_measure_for_user(request, code, ccode, mcode, cap_for(request))
    if request.method != "POST":
        return _measure_page(request, access, measure)
    form = ReadingForm(request.POST, instance=measure)
    if not form.is_valid():
        return _measure_page(request, access, measure, form)
    form.save(commit=False)
    try:
        save_revision(measure, form.cleaned_data["revision"], ["chart", "rules", "baseline_points"])
    except Stale:
        messages.error(
            request,
            _(
                "Someone else changed how this chart is read while you were looking at it. "
                "Nothing of yours was saved: look at the chart again and choose once more."
            ),
        )
    else:
        record(request, "monitor.measure_reading_changed", org=access.cycle.org, obj=measure)
        messages.success(request, _("The chart is now read the way you chose."))
    return redirect(measure_url(measure, anchor="reading"))


# --- points --------------------------------------------------------------------------------------


def _refuse_goal_points(request: HttpRequest, measure: Measure) -> HttpResponse | None:
    if measure.goal_id is None:
        return None
    messages.error(request, _("A goal's results come from each data import, not by hand."))
    return redirect(measure_url(measure, "monitor-points"))


def _points_page(
    request: HttpRequest, access: CycleAccess, measure: Measure, form: PointForm | None
) -> HttpResponse:
    reading = read(measure, _internal(request, access))
    context = _base(
        access,
        measure=measure,
        reading=reading,
        rows=_point_rows(reading),
        form=form,
        internal=reading.internal,
    )
    return render(request, "monitor/measure_points.html", context)


def _say_saved(request: HttpRequest, measure: Measure, point: Point, added: bool) -> None:
    words = {"date": describe.when(point.on), "value": describe.value_text(measure, point.value)}
    said = (
        _("The result of %(date)s (%(value)s) was added.")
        if added
        else _("The result of %(date)s was replaced: it is now %(value)s.")
    )
    messages.success(request, said % words)


# /o/<code>/monitor/<ccode>/measures/<mcode>/points/
@GET_POST
@login_required
def points(request: HttpRequest, code: UUID, ccode: UUID, mcode: UUID) -> HttpResponse:
    access, measure = get_measure_for_user(request, code, ccode, mcode, cap_for(request))
    writable = access.can_contribute and measure.goal_id is None
    if request.method != "POST":
        return _points_page(
            request, access, measure, PointForm(measure=measure) if writable else None
        )
    if refused := _refuse_goal_points(request, measure):
        return refused
    form = PointForm(request.POST, measure=measure)
    if not form.is_valid():
        return _points_page(request, access, measure, form)
    value, count, size = form.point_values()
    row = store.Row(form.cleaned_data["on"], value, count, size, form.cleaned_data["note"])
    point, added = store.save_point(measure, row, Point.Source.HAND, signed_in(request))
    action = "monitor.point_added" if added else "monitor.point_replaced"
    record(request, action, org=access.cycle.org, obj=measure, detail={"on": str(point.on)})
    _say_saved(request, measure, point, added)
    return redirect(measure_url(measure, "monitor-points"))


# /o/<code>/monitor/<ccode>/measures/<mcode>/points/upload/
@GET_POST
@login_required
def upload(request: HttpRequest, code: UUID, ccode: UUID, mcode: UUID) -> HttpResponse:
    access, measure = get_measure_for_user(request, code, ccode, mcode, Cap.CONTRIBUTE)
    if refused := _refuse_goal_points(request, measure):
        return refused
    form = UploadForm(_posted(request), request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        parsed = store.parse_csv(measure, form.cleaned_data["file"].read())
        problems = parsed.problems
        if parsed.ok:
            saved = store.save_rows(measure, parsed.rows, signed_in(request))
            detail = {"added": saved.added, "replaced": saved.replaced}
            record(
                request, "monitor.points_uploaded", org=access.cycle.org, obj=measure, detail=detail
            )
            messages.success(request, _upload_words(saved, parsed.rows))
            return redirect(measure_url(measure, "monitor-points"))
    context = _base(
        access, measure=measure, form=form, problems=problems, columns=store.columns_for(measure)
    )
    return render(request, "monitor/measure_upload.html", context)


def _upload_words(saved: store.Saved, rows: list[store.Row]) -> str:
    dates = sorted(row.on for row in rows)
    span = {"first": describe.when(dates[0]), "last": describe.when(dates[-1])}
    added = ngettext("%(n)s result added", "%(n)s results added", saved.added) % {"n": saved.added}
    replaced = ngettext(
        "%(n)s replaced (its date already had a result)",
        "%(n)s replaced (their dates already had a result)",
        saved.replaced,
    ) % {"n": saved.replaced}
    return _("%(added)s, %(replaced)s, from %(first)s to %(last)s.") % {
        "added": added,
        "replaced": replaced,
        **span,
    }


# /o/<code>/monitor/<ccode>/measures/<mcode>/points/<pk>/remove/
@GET_POST
@login_required
def point_remove(
    request: HttpRequest, code: UUID, ccode: UUID, mcode: UUID, pk: int
) -> HttpResponse:
    access, measure = get_measure_for_user(request, code, ccode, mcode, Cap.CONTRIBUTE)
    point = get_object_or_404(measure.points, pk=pk)
    if request.method == "POST":
        point.delete()
        detail = {"on": str(point.on)}
        record(request, "monitor.point_removed", org=access.cycle.org, obj=measure, detail=detail)
        messages.success(
            request, _("The result of %(date)s was removed.") % {"date": describe.when(point.on)}
        )
        return redirect(measure_url(measure, "monitor-points"))
    reading = read(measure, _internal(request, access))
    position = next(i for i, p in enumerate(reading.points) if p.pk == point.pk)
    shown = describe.point_text(reading, position)
    context = _base(access, measure=measure, point=point, shown=shown)
    return render(request, "monitor/measure_point_remove.html", context)


# --- phases --------------------------------------------------------------------------------------


# /o/<code>/monitor/<ccode>/measures/<mcode>/rebase/
@GET_POST
@login_required
def rebase(request: HttpRequest, code: UUID, ccode: UUID, mcode: UUID) -> HttpResponse:
    access, measure = get_measure_for_user(request, code, ccode, mcode, Cap.CONTRIBUTE)
    form = RebaseForm(_posted(request), measure=measure)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            new = form.save(commit=False)
            new.created_by = signed_in(request)
            new.save()
        record(
            request,
            "monitor.rebase_added",
            org=access.cycle.org,
            obj=measure,
            detail={"on": str(new.on)},
        )
        messages.success(
            request,
            _("A new phase starts on %(date)s: it has its own centre line.")
            % {"date": describe.when(new.on)},
        )
        return redirect(measure_url(measure, anchor="phases"))
    context = _base(access, measure=measure, form=form)
    return render(request, "monitor/measure_rebase.html", context)


# /o/<code>/monitor/<ccode>/measures/<mcode>/rebase/<rcode>/remove/
@GET_POST
@login_required
def rebase_remove(
    request: HttpRequest, code: UUID, ccode: UUID, mcode: UUID, rcode: UUID
) -> HttpResponse:
    access, measure = get_measure_for_user(request, code, ccode, mcode, Cap.CONTRIBUTE)
    found = get_object_or_404(measure.rebases, code=rcode)
    if request.method == "POST":
        found.delete()
        detail = {"on": str(found.on)}
        record(request, "monitor.rebase_removed", org=access.cycle.org, obj=measure, detail=detail)
        messages.success(
            request,
            _("The phase that started on %(date)s was joined to the one before it.")
            % {"date": describe.when(found.on)},
        )
        return redirect(measure_url(measure, anchor="phases"))
    context = _base(access, measure=measure, rebase=found)
    return render(request, "monitor/measure_rebase_remove.html", context)


# --- annotations ---------------------------------------------------------------------------------


def _preselected(access: CycleAccess, request: HttpRequest) -> dict[str, Any]:
    try:
        mcode = UUID(request.GET.get("measure", ""))
    except ValueError:
        return {}
    found = access.cycle.measures.filter(code=mcode).first()
    return {"measure": found} if found else {}


# /o/<code>/monitor/<ccode>/annotations/
@GET_POST
@login_required
def annotation_list(request: HttpRequest, code: UUID, ccode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, cap_for(request))
    cycle = access.cycle
    form = None
    if access.can_contribute:
        form = AnnotationForm(_posted(request), cycle=cycle, initial=_preselected(access, request))
    if request.method == "POST" and form is not None and form.is_valid():
        note = form.save(commit=False)
        note.created_by = signed_in(request)
        note.save()
        record(request, "monitor.annotation_added", org=cycle.org, obj=note)
        messages.success(request, _("“%(text)s” is on the charts.") % {"text": note.text})
        return redirect(cycle_url(cycle, "monitor-annotations", f"annotation-{note.code}"))
    notes = list(cycle.annotations.select_related("measure").order_by("-on", "-created_at"))
    context = _base(access, form=form, notes=notes)
    return render(request, "monitor/annotations.html", context)


def _annotation(access: CycleAccess, acode: UUID) -> Annotation:
    found = access.cycle.annotations.select_related("measure").filter(code=acode).first()
    if found is None:
        raise Http404("No such annotation.")
    return found


# /o/<code>/monitor/<ccode>/annotations/<acode>/remove/
@GET_POST
@login_required
def annotation_remove(request: HttpRequest, code: UUID, ccode: UUID, acode: UUID) -> HttpResponse:
    access = get_cycle_for_user(request, code, ccode, Cap.CONTRIBUTE)
    note = _annotation(access, acode)
    if request.method == "POST":
        note.delete()
        record(
            request,
            "monitor.annotation_removed",
            org=access.cycle.org,
            obj=access.cycle,
            detail={"text": note.text},
        )
        messages.success(
            request, _("“%(text)s” was removed from the charts.") % {"text": note.text}
        )
        return redirect(cycle_url(access.cycle, "monitor-annotations"))
    return render(request, "monitor/annotations_remove.html", _base(access, note=note))
