"""The weekly leadership-team meeting: start it, run it section by section, end it.

A meeting starts with an agenda built from what needs attention (``monitor.agenda``) and
runs section by section with a timer and minutes each; the team records attendance,
headlines, decisions, to-dos and, at the end, a rating. Ending it stops the timers and
emails the recap (``monitor.recap``). An ended meeting is the record: read-only, except
that its recap can be sent again. The history lists every meeting and searches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from headway.audit.log import record
from headway.lib.revisions import Stale, save_revision
from headway.monitor import agenda
from headway.monitor import history as past
from headway.monitor.access import (
    MonitorAccess,
    cap_for,
    get_meeting_for_user,
    get_monitor_for_user,
)
from headway.monitor.forms.issues import IssueForm, SolveForm
from headway.monitor.forms.meetings import (
    AttendanceForm,
    DecisionForm,
    HeadlineForm,
    NotesForm,
    RatingForm,
    SearchForm,
    StartForm,
    TodoForm,
)
from headway.monitor.models import (
    AgendaItem,
    Attendance,
    Decision,
    Headline,
    Issue,
    Meeting,
    Rating,
    Todo,
)
from headway.monitor.reading import current_cycle
from headway.monitor.recap import Sent, average_rating, send_recap
from headway.monitor.views.issues import only_team
from headway.orgs.access import signed_in
from headway.teams.conflicts import ConflictRow, conflict_rows, reopened
from headway.teams.models import Team, TeamMember

PER_PAGE = 50
GENERAL = "general"  # the notes slug of the meeting's general notes


def meeting_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("monitor-meeting", args=[meeting.team.org.code, meeting.code])
    return f"{url}#{anchor}" if anchor else url


# --- the history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    meeting: Any  # a Meeting with its rating and counts
    hits: list[past.Hit]


# /o/<code>/monitor/meetings/
@require_GET
@login_required
def history(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_monitor_for_user(request, code, cap_for(request))
    search = SearchForm(request.GET)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    found = past.search(access.org, q) if q else {}
    meetings = past.meetings(access.org)
    if q:
        meetings = meetings.filter(pk__in=list(found))
    page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    teams = Team.objects.filter(org=access.org).order_by("name")
    context = {
        "org": access.org,
        "cycle": current_cycle(access.org),
        "access": access,
        "search": search,
        "q": q,
        "page": page,
        "rows": [Row(m, found.get(m.pk, [])) for m in page.object_list],
        "any_meeting": bool(q) or page.paginator.count > 0,
        "teams": list(teams),
        "start_form": StartForm(teams=teams, auto_id="start-%s") if access.can_contribute else None,
    }
    return render(request, "monitor/meetings.html", context)


# /o/<code>/monitor/meetings/start/
@require_POST
@login_required
def start(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_monitor_for_user(request, code, cap_for(request))
    teams = Team.objects.filter(org=access.org).order_by("name")
    form = StartForm(only_team(request, teams), teams=teams)
    if not form.is_valid():
        if not teams:
            messages.error(request, _("Add a team first: a meeting belongs to a team."))
        else:
            messages.error(request, _("Choose the team that is meeting."))
        return redirect("monitor-meetings", access.org.code)
    today = timezone.localdate()
    cycle = current_cycle(access.org)
    meeting, new = agenda.open_meeting(form.cleaned_data["team"], cycle, signed_in(request), today)
    if new:
        record(request, "monitor.meeting_started", org=access.org, obj=meeting)
        messages.success(request, _("The meeting has started. The agenda is below."))
    else:
        messages.info(
            request,
            _(
                "This team's meeting is already in progress: here it is. A team holds one "
                "meeting at a time."
            ),
        )
    return redirect(meeting_url(meeting))


# --- the meeting page -------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionView:
    item: AgendaItem
    seconds: int
    notes_form: NotesForm | None

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def prompt(self) -> str:
        return str(agenda.PROMPTS.get(AgendaItem.Kind(self.item.kind), ""))

    @property
    def running(self) -> bool:
        return self.item.timer_started_at is not None

    @property
    def used(self) -> str:
        return f"{self.seconds // 60}:{self.seconds % 60:02d}"

    @property
    def over(self) -> bool:
        return self.seconds > self.item.minutes * 60

    @property
    def minutes_over(self) -> int:
        return max(-(-(self.seconds - self.item.minutes * 60) // 60), 0)

    @property
    def entries(self) -> list[dict[str, str]]:
        items = self.item.items if isinstance(self.item.items, list) else []
        return [i for i in items if isinstance(i, dict) and i.get("text")]


def _notes_form(target: Meeting | AgendaItem, kind: str) -> NotesForm:
    initial = {"notes": target.notes, "revision": target.revision}
    return NotesForm(initial=initial, auto_id=f"notes-{kind}-%s")


def _sections(meeting: Meeting, editable: bool) -> list[SectionView]:
    now = timezone.now()
    return [
        SectionView(
            item, agenda.seconds(item, now), _notes_form(item, item.kind) if editable else None
        )
        for item in meeting.agenda.order_by("order")
    ]


def _members(meeting: Meeting) -> list[TeamMember]:
    return list(meeting.team.members.order_by("name"))


def _present(meeting: Meeting) -> list[TeamMember]:
    rows = meeting.attendance.filter(present=True).select_related("member")
    return [row.member for row in rows.order_by("member__name")]


def _forms(meeting: Meeting, rows: list[Attendance], today: Any) -> dict[str, forms.Form]:
    team = meeting.team
    members = team.members.order_by("name")
    return {
        "attendance": AttendanceForm(rows=rows, auto_id="attendance-%s"),
        "headline": HeadlineForm(members=list(members), auto_id="headline-%s"),
        "decision": DecisionForm(issues=_decidable(meeting), auto_id="decision-%s"),
        "todo": TodoForm(members=members, today=today, auto_id="todo-%s"),
        "rating": RatingForm(members=_present(meeting), auto_id="%s", initial=_scores(meeting)),
        "issue": IssueForm(teams=Team.objects.filter(pk=team.pk), auto_id="issue-%s"),
        "general": _notes_form(meeting, GENERAL),
    }


def _decidable(meeting: Meeting) -> Any:
    return Issue.objects.filter(team=meeting.team).order_by("state", "order", "created_at")


def _scores(meeting: Meeting) -> dict[str, int]:
    return {f"rating-{r.member.code}": r.score for r in meeting.ratings.select_related("member")}


@dataclass(frozen=True)
class OpenIssue:
    issue: Issue
    solve: SolveForm


def _record(meeting: Meeting) -> dict[str, Any]:
    """What the meeting has recorded so far (all of it, once it has ended)."""
    return {
        "headlines": list(meeting.headlines.order_by("created_at")),
        "decisions": list(meeting.decisions.select_related("issue").order_by("created_at")),
        "todos": list(meeting.todos.select_related("owner").order_by("due", "created_at")),
        "solved": list(meeting.issues_solved.order_by("solved_at")),
        "ratings": list(meeting.ratings.select_related("member").order_by("member__name")),
        "rating": average_rating(meeting),
    }


def _live(meeting: Meeting) -> dict[str, Any]:
    """What a running meeting works through: the team's open issues and due to-dos now."""
    issues = agenda.open_issues(meeting.team)
    return {
        "due_todos": agenda.open_todos(meeting.team, meeting.held_on),
        "open_issues": [
            OpenIssue(i, SolveForm(initial={"revision": i.revision}, auto_id=f"solve-{i.code}-%s"))
            for i in issues
        ],
    }


def _page(
    request: HttpRequest, access: MonitorAccess, meeting: Meeting, **bound: forms.Form
) -> HttpResponse:
    """The meeting page; ``bound`` are forms sent back with what was wrong in them."""
    running = meeting.state == Meeting.State.RUNNING
    editable = running and access.can_contribute
    rows = list(meeting.attendance.select_related("member").order_by("member__name"))
    page_forms = _forms(meeting, rows, timezone.localdate()) if editable else {}
    page_forms.update(bound)
    sections = _sections(meeting, editable)
    context = {
        "org": access.org,
        "cycle": meeting.cycle or current_cycle(access.org),
        "access": access,
        "meeting": meeting,
        "running": running,
        "editable": editable,
        "sections": sections,
        "planned": sum(s.item.minutes for s in sections),
        "attendance": rows,
        "present": sum(1 for row in rows if row.present),
        "forms": page_forms,
        "next": meeting_url(meeting),
        **_record(meeting),
        **(_live(meeting) if running else {"due_todos": [], "open_issues": []}),
    }
    return render(request, "monitor/meeting.html", context)


# /o/<code>/monitor/meetings/<gcode>/
@require_GET
@login_required
def detail(request: HttpRequest, code: UUID, gcode: UUID) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    return _page(request, access, meeting)


# --- changing a running meeting ---------------------------------------------------------------


def _ended(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """A redirect saying the meeting has ended (its record is read-only), else None."""
    if meeting.state == Meeting.State.RUNNING:
        return None
    messages.error(request, _("This meeting has ended: its record can no longer be changed."))
    return redirect(meeting_url(meeting))


def _item(meeting: Meeting, kind: str) -> AgendaItem:
    """The meeting's section of that kind (one made without its agenda gets it now)."""
    if kind not in agenda.DEFAULT_MINUTES:
        raise Http404("No such section.")
    order = list(agenda.DEFAULT_MINUTES).index(kind)
    defaults = {"order": order, "minutes": agenda.DEFAULT_MINUTES[kind]}
    item, _created = meeting.agenda.get_or_create(kind=kind, defaults=defaults)
    item.meeting = meeting
    return item


# /o/<code>/monitor/meetings/<gcode>/timer/<kind>/
@require_POST
@login_required
def timer(request: HttpRequest, code: UUID, gcode: UUID, kind: str) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    if refused := _ended(request, meeting):
        return refused
    item = _item(meeting, kind)
    now = timezone.now()
    if request.POST.get("action") == "start":
        agenda.start_timer(item, now)
    elif request.POST.get("action") == "stop":
        agenda.stop_timer(item, now)
    else:
        messages.error(request, _("Choose whether to start or stop the timer."))
    return redirect(meeting_url(meeting, f"section-{item.kind}"))


def _notes_target(meeting: Meeting, kind: str) -> tuple[Meeting | AgendaItem, str]:
    """What the minutes belong to (a section, or the meeting's general notes) and its name."""
    if kind == GENERAL:
        return meeting, _("General notes")
    item = _item(meeting, kind)
    return item, str(item.get_kind_display())


# /o/<code>/monitor/meetings/<gcode>/notes/<kind>/
@require_POST
@login_required
def notes(request: HttpRequest, code: UUID, gcode: UUID, kind: str) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    if refused := _ended(request, meeting):
        return refused
    target, name = _notes_target(meeting, kind)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return _notes_page(request, access, meeting, form, kind, name)
    target.notes = form.cleaned_data["notes"]
    try:
        save_revision(target, form.cleaned_data["revision"], ["notes"])
    except Stale:
        stored = type(target).objects.get(pk=target.pk)
        conflict = conflict_rows(form, {"notes": stored.notes})
        messages.error(
            request,
            _(
                "The minutes of “%(name)s” were changed by someone else while you were "
                "writing. Nothing of yours was saved yet: compare the two versions below, then "
                "save again to keep yours, or go back to keep theirs."
            )
            % {"name": name},
        )
        again = NotesForm(reopened(request, stored.revision))
        return _notes_page(request, access, meeting, again, kind, name, conflict)
    record(request, "monitor.minutes_saved", org=access.org, obj=meeting, detail={"kind": kind})
    messages.success(request, _("The minutes of “%(name)s” were saved.") % {"name": name})
    return redirect(meeting_url(meeting, f"section-{kind}"))


def _notes_page(
    request: HttpRequest,
    access: MonitorAccess,
    meeting: Meeting,
    form: NotesForm,
    kind: str,
    name: str,
    conflict: list[ConflictRow] | None = None,
) -> HttpResponse:
    context = {
        "org": access.org,
        "cycle": meeting.cycle,
        "meeting": meeting,
        "form": form,
        "name": name,
        "kind": kind,
        "conflict": conflict or [],
    }
    return render(request, "monitor/meeting_notes.html", context)


# /o/<code>/monitor/meetings/<gcode>/attendance/
@require_POST
@login_required
def attendance(request: HttpRequest, code: UUID, gcode: UUID) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    if refused := _ended(request, meeting):
        return refused
    rows = list(meeting.attendance.select_related("member").order_by("member__name"))
    form = AttendanceForm(request.POST, rows=rows, auto_id="attendance-%s")
    if not form.is_valid():
        return _page(request, access, meeting, attendance=form)
    present = set(form.cleaned_data["present"])
    with transaction.atomic():
        for row in rows:
            row.present = str(row.member.code) in present
        Attendance.objects.bulk_update(rows, ["present"])
    record(request, "monitor.attendance_saved", org=access.org, obj=meeting)
    words = {"n": len(present), "total": len(rows)}
    messages.success(request, _("Attendance saved: %(n)s of %(total)s present.") % words)
    return redirect(meeting_url(meeting, "attendance"))


# /o/<code>/monitor/meetings/<gcode>/headlines/
@require_POST
@login_required
def headline(request: HttpRequest, code: UUID, gcode: UUID) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    if refused := _ended(request, meeting):
        return refused
    form = HeadlineForm(request.POST, members=_members(meeting), auto_id="headline-%s")
    if not form.is_valid():
        return _page(request, access, meeting, headline=form)
    Headline.objects.create(meeting=meeting, **form.cleaned_data)
    record(request, "monitor.headline_added", org=access.org, obj=meeting)
    messages.success(request, _("The headline was added."))
    return redirect(meeting_url(meeting, "section-headlines"))


# /o/<code>/monitor/meetings/<gcode>/decisions/
@require_POST
@login_required
def decision(request: HttpRequest, code: UUID, gcode: UUID) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    if refused := _ended(request, meeting):
        return refused
    form = DecisionForm(request.POST, issues=_decidable(meeting), auto_id="decision-%s")
    if not form.is_valid():
        return _page(request, access, meeting, decision=form)
    made = Decision.objects.create(meeting=meeting, **form.cleaned_data)
    record(request, "monitor.decision_added", org=access.org, obj=meeting, detail={"pk": made.pk})
    messages.success(request, _("The decision was recorded."))
    return redirect(meeting_url(meeting, "decisions"))


# /o/<code>/monitor/meetings/<gcode>/todos/
@require_POST
@login_required
def todo(request: HttpRequest, code: UUID, gcode: UUID) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    if refused := _ended(request, meeting):
        return refused
    members = meeting.team.members.order_by("name")
    form = TodoForm(request.POST, members=members, today=timezone.localdate(), auto_id="todo-%s")
    if not form.is_valid():
        return _page(request, access, meeting, todo=form)
    made = Todo.objects.create(
        team=meeting.team, meeting=meeting, created_by=signed_in(request), **form.cleaned_data
    )
    record(request, "monitor.todo_created", org=access.org, obj=made)
    messages.success(request, _("The to-do “%(text)s” was added.") % {"text": made.text})
    return redirect(meeting_url(meeting, "new-todos"))


# /o/<code>/monitor/meetings/<gcode>/rate/
@require_POST
@login_required
def rate(request: HttpRequest, code: UUID, gcode: UUID) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    if refused := _ended(request, meeting):
        return refused
    form = RatingForm(request.POST, members=_present(meeting), auto_id="%s")
    if not form.is_valid():
        return _page(request, access, meeting, rating=form)
    scores = form.scores()
    with transaction.atomic():
        for member, score in scores:
            Rating.objects.update_or_create(
                meeting=meeting, member=member, defaults={"score": score}
            )
    record(request, "monitor.meeting_rated", org=access.org, obj=meeting)
    said = ngettext("%(n)s rating saved.", "%(n)s ratings saved.", len(scores))
    messages.success(request, said % {"n": len(scores)})
    return redirect(meeting_url(meeting, "ratings"))


# --- ending and the recap ---------------------------------------------------------------------


def _say_sent(request: HttpRequest, sent: Sent) -> None:
    if sent.failed:
        messages.error(
            request,
            _(
                "The recap could not be sent just now: the mail server did not answer. "
                "Use “Send the recap again” in a few minutes."
            ),
        )
    elif not sent.recipients:
        messages.warning(request, _("No team member has an email address, so no recap was sent."))
    else:
        said = ngettext(
            "The recap was sent to %(n)s person by email.",
            "The recap was sent to %(n)s people by email.",
            sent.recipients,
        )
        messages.success(request, said % {"n": sent.recipients})


# /o/<code>/monitor/meetings/<gcode>/end/
@require_POST
@login_required
def end(request: HttpRequest, code: UUID, gcode: UUID) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.state != Meeting.State.RUNNING:
            messages.info(request, _("This meeting had already ended."))
            return redirect(meeting_url(meeting))
        now = timezone.now()
        agenda.stop_all(meeting, now)
        meeting.state, meeting.ended_at = Meeting.State.ENDED, now
        meeting.save(update_fields=["state", "ended_at"])
    record(request, "monitor.meeting_ended", org=access.org, obj=meeting)
    messages.success(request, _("The meeting has ended. Its record is below."))
    _say_sent(request, send_recap(meeting))
    return redirect(meeting_url(meeting))


# /o/<code>/monitor/meetings/<gcode>/recap/
@require_POST
@login_required
def recap(request: HttpRequest, code: UUID, gcode: UUID) -> HttpResponse:
    access, meeting = get_meeting_for_user(request, code, gcode, cap_for(request))
    if meeting.state == Meeting.State.RUNNING:
        messages.error(request, _("End the meeting first: the recap goes out when it ends."))
        return redirect(meeting_url(meeting))
    sent = send_recap(meeting)
    record(request, "monitor.recap_sent", org=access.org, obj=meeting)
    _say_sent(request, sent)
    return redirect(meeting_url(meeting, "recap"))
