"""The demo team's last four weekly meetings, its issues and its to-dos."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse

from headway.monitor.agenda import DEFAULT_MINUTES
from headway.monitor.demo.common import LEAD, Built, Calendar
from headway.monitor.demo.measures import Weekly
from headway.monitor.models import (
    AgendaItem,
    Attendance,
    Decision,
    Headline,
    Issue,
    Measure,
    Meeting,
    Rating,
    Todo,
)
from headway.teams.models import Team, TeamMember

RATINGS_SEED = 8  # the same ratings at every load

# who was present at each meeting (oldest first); everyone else was absent
PRESENT = [
    ["Marisol Vega", "Jordan Reyes", "Priya Natarajan", "Marcus Bell", "Lena Fischer",
     "Hannah Kim", "Rosa Delgado"],
    ["Marisol Vega", "Priya Natarajan", "Marcus Bell", "Lena Fischer", "Hannah Kim",
     "Sam Ortiz"],
    ["Marisol Vega", "Jordan Reyes", "Priya Natarajan", "Marcus Bell", "Lena Fischer",
     "Rosa Delgado", "Tom Hale"],
    ["Marisol Vega", "Jordan Reyes", "Priya Natarajan", "Marcus Bell", "Hannah Kim",
     "Lena Fischer"],
]  # fmt: skip
HEADLINES = [
    [("Kindergarten registration for next year opened early.", "Marisol Vega")],
    [("Two families thanked the liaison at pick-up.", "Hannah Kim"),
     ("The book fair raised $1,400 for classroom libraries.", "Rosa Delgado")],
    [("Third grade finished its first lesson-study cycle.", "Marcus Bell")],
    [("Attendance was above 94% for the fifth week in a row.", "Priya Natarajan"),
     ("A new grade 4 teacher starts on Monday.", "Marisol Vega")],
]  # fmt: skip


def hold_meetings(
    team: Team, current: Built, cal: Calendar, people: dict[str, TeamMember], weekly: Weekly
) -> None:
    lead = people[LEAD].user
    days = [cal.weeks_ago(3 - k) for k in range(4)]  # the last four Mondays, oldest first
    meetings = []
    for held_on in days:
        meeting = Meeting.objects.create(
            team=team, cycle=current.cycle, held_on=held_on, state=Meeting.State.ENDED,
            started_by=lead, ended_at=cal.at(held_on, 17), recap_sent_at=cal.at(held_on, 17, 5),
            notes="Room 12, after school.",
        )  # fmt: skip
        Meeting.objects.filter(pk=meeting.pk).update(started_at=cal.at(held_on, 15, 30))
        meetings.append(meeting)
    issues = _issues(team, meetings, cal)
    _agendas(meetings, current, weekly, issues)
    _people_at(meetings, people)
    _todos(team, meetings, people, issues, cal)


def _people_at(meetings: list[Meeting], people: dict[str, TeamMember]) -> None:
    rng = random.Random(RATINGS_SEED)
    attendance, ratings, headlines = [], [], []
    for meeting, present, said in zip(meetings, PRESENT, HEADLINES, strict=True):
        for name, member in people.items():
            here = name in present
            attendance.append(Attendance(meeting=meeting, member=member, present=here))
            if here:
                ratings.append(Rating(meeting=meeting, member=member, score=rng.randint(6, 9)))
        headlines += [Headline(meeting=meeting, text=text, by=by) for text, by in said]
    Attendance.objects.bulk_create(attendance)
    Rating.objects.bulk_create(ratings)
    Headline.objects.bulk_create(headlines)


@dataclass(frozen=True)
class Issues:
    solved: Issue
    open: list[Issue]


def _issues(team: Team, meetings: list[Meeting], cal: Calendar) -> Issues:
    first, second, third, last = meetings
    solved = Issue.objects.create(
        team=team, title="Intervention students miss the reading block on Tuesdays",
        details="The math intervention pulls out 14 students during the reading block.",
        state=Issue.State.SOLVED, raised_by="Lena Fischer", raised_in=first,
        decision="Move the intervention to the afternoon block from next week; Lena builds "
        "the new schedule.", decided_by="Marisol Vega, with the team's consensus",
        solved_in=second, solved_at=cal.at(second.held_on, 16, 40), order=0,
    )  # fmt: skip
    Decision.objects.create(
        meeting=second, issue=solved, text=solved.decision, decided_by=solved.decided_by
    )
    Decision.objects.create(
        meeting=third, text="Stop the computer-based math licences at the end of the month.",
        decided_by="The leadership team, by consensus",
    )  # fmt: skip
    discuss = Issue.objects.create(
        team=team, title="Families without a phone number on file",
        details="The liaison cannot reach 11 families of chronically absent students.",
        state=Issue.State.DISCUSS, raised_by="Hannah Kim", raised_in=third, order=1,
    )  # fmt: skip
    identify = Issue.objects.create(
        team=team, title="Substitutes are hard to find for PLC release time",
        state=Issue.State.IDENTIFY, raised_by="Marcus Bell", raised_in=last, order=2,
    )  # fmt: skip
    return Issues(solved, [discuss, identify])


def _agendas(meetings: list[Meeting], current: Built, weekly: Weekly, issues: Issues) -> None:
    org, cycle = current.cycle.org, current.cycle

    def measure(m: Measure) -> str:
        return reverse("monitor-measure", args=[org.code, cycle.code, m.code])

    def issue(i: Issue) -> str:
        return reverse("monitor-issue", args=[org.code, i.code])

    rocks = reverse("plans-rocks", args=[org.code, cycle.code])
    todos = reverse("monitor-todos", args=[org.code])
    found: dict[str, list[dict[str, str]]] = {
        AgendaItem.Kind.MEASURES: [
            {"text": weekly.math.name, "why": "Off track: below the line to its target.",
             "link": measure(weekly.math)},
            {"text": weekly.attendance.name, "why": "Good news, a change the right way: more "
             "weeks in a row above the middle line than chance.",
             "link": measure(weekly.attendance)},
        ],
        AgendaItem.Kind.ROCKS: [
            {"text": "Call every family of a chronically absent student",
             "why": "Off track (Priya Natarajan).", "link": rocks},
        ],
        AgendaItem.Kind.TODOS: [{"text": "To-dos due by today", "why": "", "link": todos}],
    }  # fmt: skip
    rows = []
    for k, meeting in enumerate(meetings):
        # the issues open when the meeting began: raised by then, not solved before it
        listed = [i for i in [issues.solved, *issues.open] if _on_list(i, meetings, k)]
        found[AgendaItem.Kind.ISSUES] = [
            {"text": i.title, "why": f"Raised by {i.raised_by}.", "link": issue(i)} for i in listed
        ]
        rows += [
            AgendaItem(meeting=meeting, kind=kind, order=order, minutes=minutes,
                       items=found.get(kind, []), seconds_used=_seconds(minutes, k, order),
                       notes=MINUTES.get(kind, ""))
            for order, (kind, minutes) in enumerate(DEFAULT_MINUTES.items())
        ]  # fmt: skip
    AgendaItem.objects.bulk_create(rows)


def _on_list(issue: Issue, meetings: list[Meeting], k: int) -> bool:
    raised = meetings.index(issue.raised_in) if issue.raised_in in meetings else 0
    solved = meetings.index(issue.solved_in) if issue.solved_in in meetings else len(meetings)
    return raised <= k <= solved


def _seconds(minutes: int, meeting: int, order: int) -> int:
    """Time used: close to what was planned, a little over on some sections."""
    return minutes * 60 + ((meeting * 7 + order * 13) % 5 - 2) * 45


MINUTES: dict[str, str] = {
    AgendaItem.Kind.CHECK_IN: "Everyone shared one good thing.",
    AgendaItem.Kind.MEASURES: "Attendance on track and rising; the math check-in off track.",
    AgendaItem.Kind.ROCKS: "Family calls off track: the liaison was out a week.",
    AgendaItem.Kind.ISSUES: "Worked through the issues in order; decisions recorded.",
    AgendaItem.Kind.WRAP_UP: "To-dos read back; the recap goes to the whole staff.",
}

# text, owner, meeting (0–3), due (days from today; None: a week after the meeting), done
TODOS: list[tuple[str, str, int, int | None, bool]] = [
    ("Send the PLC calendar to every grade level", "Marcus Bell", 0, None, True),
    ("Ask the district for the absence report by grade", "Sam Ortiz", 0, None, True),
    ("Draft the afternoon intervention schedule", "Lena Fischer", 1, None, True),
    ("Tell the vendor the licences end this month", "Marisol Vega", 2, None, True),
    ("Find phone numbers through the family resource center", "Hannah Kim", 2, -3, False),
    ("Share the attendance chart with the staff", LEAD, 3, 0, False),
    ("Ask two substitutes to join the PLC rotation", "Marcus Bell", 3, 6, False),
]


def _todos(
    team: Team,
    meetings: list[Meeting],
    people: dict[str, TeamMember],
    issues: Issues,
    cal: Calendar,
) -> None:
    this_week = min(3, 6 - cal.today.weekday())  # never past Sunday
    rows = []
    for text, owner, k, due_in, done in TODOS:
        meeting = meetings[k]
        due = meeting.held_on + timedelta(days=7) if due_in is None else cal.days(due_in)
        if owner == LEAD:
            due = cal.days(this_week)
        rows.append(Todo(team=team, meeting=meeting, text=text, owner=people[owner], due=due,
                         done_at=cal.at(due - timedelta(days=1), 12) if done else None,
                         issue=issues.solved if k == 1 else None,
                         created_by=people[LEAD].user))  # fmt: skip
    Todo.objects.bulk_create(rows)
    for meeting in meetings:
        created = cal.at(meeting.held_on, 16, 50)
        Todo.objects.filter(meeting=meeting).update(created_at=created)
        Issue.objects.filter(raised_in=meeting).update(created_at=cal.at(meeting.held_on, 16))
