"""The team's issues list and to-dos, on their own pages and from a running meeting.

An issue moves identify → discuss → solved; solving it records the decision and who made
it, and the meeting it was solved in when it was solved from a running meeting (then the
decision joins that meeting's decisions too). A solved issue can be reopened. Each step is
in the audit log with what was decided. To-dos are listed open first, soonest due first,
then the done ones; anyone who contributes can add one or mark it done or not done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from headway.audit.log import record
from headway.lib.dates import due_words
from headway.lib.revisions import Stale, save_revision
from headway.monitor.access import (
    MonitorAccess,
    cap_for,
    get_issue_for_user,
    get_monitor_for_user,
    get_todo_for_user,
)
from headway.monitor.forms.issues import IssueForm, SolveForm, StepForm
from headway.monitor.forms.meetings import TodoForm
from headway.monitor.models import Decision, Issue, Meeting, Todo
from headway.monitor.reading import current_cycle
from headway.orgs.access import signed_in
from headway.teams.conflicts import reopened
from headway.teams.models import Team, TeamMember


def issue_url(issue: Issue) -> str:
    return reverse("monitor-issue", args=[issue.team.org.code, issue.code])


def _next(request: HttpRequest, fallback: str) -> str:
    """Where to go back to: the page that posted (a meeting, say) when it is one of ours."""
    goto = request.POST.get("next", "")
    if goto and url_has_allowed_host_and_scheme(goto, {request.get_host()}, request.is_secure()):
        return goto
    return fallback


def _teams(access: MonitorAccess) -> QuerySet[Team]:
    return Team.objects.filter(org=access.org).order_by("name")


def only_team(request: HttpRequest, teams: QuerySet[Team]) -> QueryDict:
    """The posted form, with the team filled in when the organization has only one."""
    data = request.POST.copy()
    if not data.get("team") and len(teams) == 1:
        data["team"] = str(teams[0].code)
    return data


def _posted_meeting_code(request: HttpRequest) -> str:
    """The meeting a form was posted from, as posted (checked when used), or ""."""
    try:
        return str(UUID(request.POST.get("meeting", "")))
    except ValueError:
        return ""


def _running_meeting(request: HttpRequest, team: Team) -> Meeting | None:
    """The running meeting of ``team`` the form was posted from, if any."""
    try:
        gcode = UUID(request.POST.get("meeting", "") or request.GET.get("meeting", ""))
    except ValueError:
        return None
    return team.meetings.filter(code=gcode, state=Meeting.State.RUNNING).first()


SOLVED_FIELDS = ["state", "solved_at", "solved_in", "decision", "decided_by"]


# --- the issues list --------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    state: str
    title: str
    issues: list[Issue]


def _groups(access: MonitorAccess) -> list[Group]:
    issues = list(
        Issue.objects.filter(team__org=access.org)
        .select_related("team", "solved_in")
        .order_by("order", "created_at")
    )
    groups = []
    for state, title in Issue.State.choices:
        mine = [i for i in issues if i.state == state]
        if state == Issue.State.SOLVED:
            mine.sort(key=lambda i: i.solved_at or i.created_at, reverse=True)
        groups.append(Group(state, str(title), mine))
    return groups


def _list_page(request: HttpRequest, access: MonitorAccess, form: IssueForm | None) -> HttpResponse:
    teams = list(_teams(access))
    context = {
        "org": access.org,
        "cycle": current_cycle(access.org),
        "access": access,
        "groups": _groups(access),
        "teams": teams,
        "form": form,
        "from_meeting": _posted_meeting_code(request),
        "next": _next(request, ""),
    }
    return render(request, "monitor/issues.html", context)


# /o/<code>/monitor/issues/
@require_http_methods(["GET", "POST"])
@login_required
def overview(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_monitor_for_user(request, code, cap_for(request))
    teams = _teams(access)
    if request.method != "POST":
        form = IssueForm(teams=teams, auto_id="issue-%s") if access.can_contribute else None
        return _list_page(request, access, form)
    form = IssueForm(only_team(request, teams), teams=teams, auto_id="issue-%s")
    if not form.is_valid():
        return _list_page(request, access, form)
    data = form.cleaned_data
    issue = Issue.objects.create(
        team=data["team"],
        title=data["title"],
        details=data["details"],
        raised_by=data["raised_by"],
        raised_in=_running_meeting(request, data["team"]),
        created_by=signed_in(request),
    )
    record(request, "monitor.issue_raised", org=access.org, obj=issue)
    messages.success(request, _("The issue “%(title)s” is on the list.") % {"title": issue.title})
    return redirect(_next(request, issue_url(issue)))


# --- one issue --------------------------------------------------------------------------------


def _issue_page(
    request: HttpRequest,
    access: MonitorAccess,
    issue: Issue,
    solve: SolveForm | None = None,
) -> HttpResponse:
    meeting = _running_meeting(request, issue.team)
    if solve is None and access.can_contribute and issue.state != Issue.State.SOLVED:
        solve = SolveForm(initial={"revision": issue.revision}, auto_id="solve-%s")
    context = {
        "org": access.org,
        "cycle": current_cycle(access.org),
        "access": access,
        "issue": issue,
        "solve": solve,
        "meeting": meeting,
        "decisions": list(issue.decisions.select_related("meeting").order_by("created_at")),
        "todos": list(issue.todos.select_related("owner").order_by("due")),
    }
    return render(request, "monitor/issue.html", context)


def _moved(request: HttpRequest, access: MonitorAccess, issue: Issue, fields: list[str]) -> bool:
    """Save the issue's new state if nobody changed it since the page showed it."""
    step = StepForm(request.POST)
    if step.is_valid():
        try:
            save_revision(issue, step.cleaned_data["revision"], fields)
        except Stale:
            pass
        else:
            return True
    messages.error(
        request,
        _(
            "This issue was changed by someone else while you were looking at it. Nothing "
            "was saved: look at it again below."
        ),
    )
    return False


def _discuss(request: HttpRequest, access: MonitorAccess, issue: Issue) -> None:
    if issue.state != Issue.State.IDENTIFY:
        messages.info(request, _("This issue is already past that step."))
        return
    issue.state = Issue.State.DISCUSS
    if _moved(request, access, issue, ["state"]):
        record(request, "monitor.issue_discussed", org=access.org, obj=issue)
        messages.success(request, _("“%(title)s” is being discussed.") % {"title": issue.title})


def _reopen(request: HttpRequest, access: MonitorAccess, issue: Issue) -> None:
    if issue.state != Issue.State.SOLVED:
        messages.info(request, _("This issue is not solved, so there is nothing to reopen."))
        return
    was = {"decision": issue.decision, "decided_by": issue.decided_by}
    issue.state, issue.solved_at, issue.solved_in = Issue.State.DISCUSS, None, None
    if _moved(request, access, issue, ["state", "solved_at", "solved_in"]):
        record(request, "monitor.issue_reopened", org=access.org, obj=issue, detail=was)
        messages.success(request, _("“%(title)s” is open again.") % {"title": issue.title})


def _solve(request: HttpRequest, access: MonitorAccess, issue: Issue) -> HttpResponse | None:
    """Solve the issue; a page to show again when the form is wrong or stale, else None."""
    if issue.state == Issue.State.SOLVED:
        messages.info(request, _("This issue is already solved."))
        return None
    form = SolveForm(request.POST, auto_id="solve-%s")
    if not form.is_valid():
        return _issue_page(request, access, issue, form)
    meeting = _running_meeting(request, issue.team)
    data = form.cleaned_data
    issue.state, issue.solved_at, issue.solved_in = Issue.State.SOLVED, timezone.now(), meeting
    issue.decision, issue.decided_by = data["decision"], data["decided_by"]
    with transaction.atomic():
        try:
            save_revision(issue, data["revision"], SOLVED_FIELDS)
        except Stale:
            return _solve_stale(request, access, issue)
        if meeting is not None:
            Decision.objects.create(
                meeting=meeting, issue=issue, text=issue.decision, decided_by=issue.decided_by
            )
    detail = {"decision": issue.decision, "decided_by": issue.decided_by}
    record(request, "monitor.issue_solved", org=access.org, obj=issue, detail=detail)
    messages.success(request, _("“%(title)s” is solved.") % {"title": issue.title})
    return None


def _solve_stale(request: HttpRequest, access: MonitorAccess, issue: Issue) -> HttpResponse:
    """Someone else changed the issue first: show it as stored, with the typed decision."""
    stored = Issue.objects.select_related("team", "raised_in", "solved_in").get(pk=issue.pk)
    messages.error(
        request,
        _(
            "This issue was changed by someone else while you were writing. Nothing was saved "
            "yet: check it below, then mark it solved again."
        ),
    )
    if stored.state == Issue.State.SOLVED:
        return _issue_page(request, access, stored)
    again = SolveForm(reopened(request, stored.revision), auto_id="solve-%s")
    return _issue_page(request, access, stored, again)


# /o/<code>/monitor/issues/<icode>/
@require_http_methods(["GET", "POST"])
@login_required
def detail(request: HttpRequest, code: UUID, icode: UUID) -> HttpResponse:
    access, issue = get_issue_for_user(request, code, icode, cap_for(request))
    if request.method != "POST":
        return _issue_page(request, access, issue)
    action = request.POST.get("action")
    if action == "discuss":
        _discuss(request, access, issue)
    elif action == "reopen":
        _reopen(request, access, issue)
    elif action == "solve":
        if (page := _solve(request, access, issue)) is not None:
            return page
    else:
        messages.error(request, _("Choose what to do with the issue."))
    return redirect(_next(request, issue_url(issue)))


# --- to-dos -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodoRow:
    todo: Todo
    when: str
    late: bool


def _todo_rows(access: MonitorAccess, today: date) -> tuple[list[TodoRow], list[Todo]]:
    todos = Todo.objects.filter(team__org=access.org).select_related("owner", "team", "meeting")
    open_rows = [
        TodoRow(t, due_words((t.due - today).days), t.due < today)
        for t in todos.filter(done_at__isnull=True).order_by("due", "created_at")
    ]
    done = list(todos.filter(done_at__isnull=False).order_by("-done_at"))
    return open_rows, done


def _members(access: MonitorAccess) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(team__org=access.org).order_by("team__name", "name")


def _todos_page(request: HttpRequest, access: MonitorAccess, form: TodoForm | None) -> HttpResponse:
    today = timezone.localdate()
    open_rows, done = _todo_rows(access, today)
    context: dict[str, Any] = {
        "org": access.org,
        "cycle": current_cycle(access.org),
        "access": access,
        "open_rows": open_rows,
        "done": done,
        "several": _teams(access).count() > 1,
        "form": form,
        "has_members": _members(access).exists(),
    }
    return render(request, "monitor/todos.html", context)


# /o/<code>/monitor/todos/
@require_http_methods(["GET", "POST"])
@login_required
def todos(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_monitor_for_user(request, code, cap_for(request))
    today = timezone.localdate()
    if request.method != "POST":
        form = None
        if access.can_contribute:
            form = TodoForm(members=_members(access), today=today, auto_id="todo-%s")
        return _todos_page(request, access, form)
    form = TodoForm(request.POST, members=_members(access), today=today, auto_id="todo-%s")
    if not form.is_valid():
        return _todos_page(request, access, form)
    owner = form.cleaned_data["owner"]
    made = Todo.objects.create(team=owner.team, created_by=signed_in(request), **form.cleaned_data)
    record(request, "monitor.todo_created", org=access.org, obj=made)
    messages.success(request, _("The to-do “%(text)s” was added.") % {"text": made.text})
    return redirect(reverse("monitor-todos", args=[access.org.code]) + f"#todo-{made.code}")


# /o/<code>/monitor/todos/<tcode>/done/
@require_POST
@login_required
def todo_done(request: HttpRequest, code: UUID, tcode: UUID) -> HttpResponse:
    access, todo = get_todo_for_user(request, code, tcode, cap_for(request))
    done = request.POST.get("done") == "yes"
    todo.done_at = timezone.now() if done else None
    todo.save(update_fields=["done_at"])
    record(
        request, "monitor.todo_done" if done else "monitor.todo_undone", org=access.org, obj=todo
    )
    said = _("“%(text)s” is done.") if done else _("“%(text)s” is no longer marked done.")
    messages.success(request, said % {"text": todo.text})
    fallback = reverse("monitor-todos", args=[access.org.code]) + f"#todo-{todo.code}"
    return redirect(_next(request, fallback))
