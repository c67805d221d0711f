"""The weekly meeting's agenda: what needs the team's attention, section by section.

``build`` assembles it from the cycle's measures (off track, or a signal the wrong way; a new
signal the right way is good news), the plan's rocks (off track or late), the team's
to-dos due by the meeting and its open issues. ``open_meeting`` starts a meeting with that
agenda frozen as it was, so the minutes keep what the team looked at. The section timers
live here too: one runs at a time, and stopping it adds the time to the section.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headway.accounts.models import User
from headway.lib.dates import due_words
from headway.monitor import describe, reading
from headway.monitor.models import AgendaItem, Attendance, Issue, Meeting, Todo
from headway.monitor.reading import Found, MeasureReading, Track
from headway.plans.models import Cycle, Plan, Rock
from headway.teams.models import Team

Kind = AgendaItem.Kind

# The sections in order with their minutes: about 90 minutes, most of it for solving issues.
DEFAULT_MINUTES: dict[str, int] = {
    Kind.CHECK_IN: 5,
    Kind.MEASURES: 5,
    Kind.ROCKS: 5,
    Kind.HEADLINES: 5,
    Kind.TODOS: 5,
    Kind.ISSUES: 60,
    Kind.WRAP_UP: 5,
}

# What each section is for, shown under its heading.
PROMPTS = {
    Kind.CHECK_IN: gettext_lazy("Each person shares one good thing, personal or at work."),
    Kind.MEASURES: gettext_lazy(
        "The measures that are off track or show a change: on track or not, no discussion. "
        "Anything that needs talking through goes to the issues list."
    ),
    Kind.ROCKS: gettext_lazy(
        "Each rock owner says on track or off track. A rock that is off track becomes an issue."
    ),
    Kind.HEADLINES: gettext_lazy(
        "Good news and heads-ups about students, staff and families, one sentence each."
    ),
    Kind.TODOS: gettext_lazy("Each to-do due by today: done or not done."),
    Kind.ISSUES: gettext_lazy(
        "Take the issues in order. For each: name the real problem, discuss it, decide, and "
        "turn the decision into to-dos."
    ),
    Kind.WRAP_UP: gettext_lazy(
        "Read back the to-dos, agree what to tell others, and rate the meeting from 1 to 10."
    ),
}


@dataclass(frozen=True)
class Entry:
    """One thing that needs attention: what it is, why it is here, where to look."""

    text: str
    why: str
    link: str

    def as_json(self) -> dict[str, str]:
        return {"text": self.text, "why": self.why, "link": self.link}


@dataclass(frozen=True)
class Section:
    kind: str
    minutes: int
    items: list[Entry]

    @property
    def title(self) -> str:
        return str(Kind(self.kind).label)


def build(team: Team, cycle: Cycle | None, today: date) -> list[Section]:
    """The agenda of ``team``'s meeting on ``today``, built from ``cycle`` (if any)."""
    found: dict[str, list[Entry]] = {
        Kind.MEASURES: measure_entries(cycle) if cycle else [],
        Kind.ROCKS: rock_entries(cycle, today) if cycle else [],
        Kind.TODOS: todo_entries(team, today),
        Kind.ISSUES: issue_entries(team),
    }
    return [
        Section(kind, minutes, found.get(kind, [])) for kind, minutes in DEFAULT_MINUTES.items()
    ]


# --- measures ---------------------------------------------------------------------------------


def measure_entries(cycle: Cycle) -> list[Entry]:
    """Measures needing attention first, then those with good news.

    The agenda is kept as it was and read by everyone at the meeting, so it is built from
    the public figures: a small group's goal figure never reaches it."""
    readings = reading.read_cycle(cycle, internal=False)
    worrying = reading.attention(readings)
    good = [r for r in readings if not r.needs_attention and new_good_news(r) is not None]
    return [_measure_entry(r, _worry(r)) for r in worrying] + [
        _measure_entry(r, _good(r)) for r in good
    ]


def new_good_news(r: MeasureReading) -> Found | None:
    """A signal the right way in the current phase that reaches the latest point."""
    last_phase, last_point = len(r.phases) - 1, len(r.points) - 1
    news = (
        f
        for f in r.found
        if f.phase == last_phase and f.favourable and last_point in f.signal.points
    )
    return next(news, None)


def _measure_entry(r: MeasureReading, why: str) -> Entry:
    m = r.measure
    link = reverse("monitor-measure", args=[m.cycle.org.code, m.cycle.code, m.code])
    return Entry(m.name, why, link)


def _worry(r: MeasureReading) -> str:
    """Why a measure needs attention: off track, and the latest signal the wrong way."""
    reasons = [describe.track_sentence(r)] if r.track is Track.OFF else []
    last = len(r.phases) - 1
    wrong = [f for f in r.found if f.phase == last and f.favourable is False]
    if wrong:
        reasons.append(describe.signal_sentence(r, wrong[-1]))
    return " ".join(reasons)


def _good(r: MeasureReading) -> str:
    news = new_good_news(r)
    assert news is not None
    return _("Good news: %(signal)s") % {"signal": describe.signal_sentence(r, news)}


# --- rocks, to-dos, issues --------------------------------------------------------------------


def rock_entries(cycle: Cycle, today: date) -> list[Entry]:
    plan = Plan.objects.filter(cycle=cycle).first()
    if plan is None:
        return []
    rocks = plan.rocks.exclude(status=Rock.Status.DONE).order_by("due", "created_at")
    board = reverse("plans-rocks", args=[cycle.org.code, cycle.code])
    return [
        Entry(rock.title, _rock_why(rock, today), f"{board}#rock-{rock.code}")
        for rock in rocks
        if rock.status == Rock.Status.OFF_TRACK or rock.due < today
    ]


def _rock_why(rock: Rock, today: date) -> str:
    words = {"owner": rock.owner, "when": due_words((rock.due - today).days)}
    if rock.status == Rock.Status.OFF_TRACK:
        return _("Off track — %(owner)s, %(when)s.") % words
    return _("Late — %(owner)s, %(when)s.") % words


def open_todos(team: Team, today: date) -> list[Todo]:
    """The team's to-dos not done and due by ``today``, soonest first."""
    todos = team.todos.filter(done_at__isnull=True, due__lte=today).select_related("owner")
    return list(todos.order_by("due", "created_at"))


def todo_entries(team: Team, today: date) -> list[Entry]:
    page = reverse("monitor-todos", args=[team.org.code])
    return [
        Entry(
            todo.text,
            f"{todo.owner.name}, {due_words((todo.due - today).days)}.",
            f"{page}#todo-{todo.code}",
        )
        for todo in open_todos(team, today)
    ]


def open_issues(team: Team) -> list[Issue]:
    """The team's issues still to solve, in the list's order."""
    issues = team.issues.exclude(state=Issue.State.SOLVED)
    return list(issues.order_by("order", "created_at"))


def issue_entries(team: Team) -> list[Entry]:
    return [
        Entry(
            issue.title,
            _issue_why(issue),
            reverse("monitor-issue", args=[team.org.code, issue.code]),
        )
        for issue in open_issues(team)
    ]


def _issue_why(issue: Issue) -> str:
    state = str(issue.get_state_display())
    if issue.raised_by:
        return _("%(state)s, raised by %(who)s.") % {"state": state, "who": issue.raised_by}
    return f"{state}."


# --- starting a meeting -----------------------------------------------------------------------


def open_meeting(team: Team, cycle: Cycle | None, by: User, today: date) -> tuple[Meeting, bool]:
    """The team's running meeting, or a new one with its agenda and attendance (True)."""
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()  # one start at a time
        running = team.meetings.filter(state=Meeting.State.RUNNING).first()
        if running is not None:
            return running, False
        meeting = Meeting.objects.create(team=team, cycle=cycle, held_on=today, started_by=by)
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                kind=section.kind,
                order=i,
                minutes=section.minutes,
                items=[entry.as_json() for entry in section.items],
            )
            for i, section in enumerate(build(team, cycle, today))
        )
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, member=member) for member in team.members.all()
        )
    return meeting, True


# --- section timers ---------------------------------------------------------------------------


def seconds(item: AgendaItem, now: datetime) -> int:
    """The time spent on a section so far, counting a running timer."""
    running = item.timer_started_at
    extra = int((now - running).total_seconds()) if running is not None else 0
    return item.seconds_used + max(extra, 0)


def stop_timer(item: AgendaItem, now: datetime) -> None:
    if item.timer_started_at is None:
        return
    item.seconds_used = seconds(item, now)
    item.timer_started_at = None
    item.save(update_fields=["seconds_used", "timer_started_at"])


def start_timer(item: AgendaItem, now: datetime) -> None:
    """Start ``item``'s timer; the meeting's other running timer stops first."""
    for other in item.meeting.agenda.exclude(pk=item.pk).filter(timer_started_at__isnull=False):
        stop_timer(other, now)
    if item.timer_started_at is None:
        item.timer_started_at = now
        item.save(update_fields=["timer_started_at"])


def stop_all(meeting: Meeting, now: datetime) -> None:
    for item in meeting.agenda.filter(timer_started_at__isnull=False):
        stop_timer(item, now)
