"""The weekly meeting: start, run section by section, end with a recap; its history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from headway.audit.models import AuditEvent
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
from headway.orgs.roles import Role
from headway.plans.models import Cycle
from headway.teams.models import Team, TeamMember
from tests.conftest import World

SignIn = Callable[..., Client]


def today() -> date:
    return timezone.localdate()


def url(name: str, meeting: Meeting, *more: object) -> str:
    return reverse(name, args=[meeting.team.org.code, meeting.code, *more])


def start(client: Client, world: World, **data: Any) -> Meeting:
    response = client.post(reverse("monitor-meeting-start", args=[world.school.code]), data)
    assert response.status_code == 302
    return Meeting.objects.get(code=response["Location"].rstrip("/").split("/")[-1])


def member_named(team: Team, name: str) -> TeamMember:
    return team.members.get(name=name)


def item(meeting: Meeting, kind: str) -> AgendaItem:
    return meeting.agenda.get(kind=kind)


def test_starting_a_meeting_freezes_its_agenda_and_takes_attendance(
    world: World, team: Team, cycle: Cycle, lead: Client
) -> None:
    Issue.objects.create(team=team, title="No common planning time")
    meeting = start(lead, world)
    assert (meeting.team, meeting.cycle, meeting.held_on) == (team, cycle, today())
    assert list(meeting.agenda.values_list("kind", "minutes")) == [
        ("check_in", 5),
        ("measures", 5),
        ("rocks", 5),
        ("headlines", 5),
        ("todos", 5),
        ("issues", 60),
        ("wrap_up", 5),
    ]
    issue = Issue.objects.get()
    assert item(meeting, "issues").items == [
        {
            "text": "No common planning time",
            "why": "Identified.",
            "link": reverse("monitor-issue", args=[world.school.code, issue.code]),
        }
    ]
    assert Attendance.objects.filter(meeting=meeting, present=True).count() == 3
    assert AuditEvent.objects.filter(action="monitor.meeting_started").exists()
    html = lead.get(url("monitor-meeting", meeting)).content.decode()
    assert "No common planning time" in html and "90 minutes planned." in html


def test_one_running_meeting_per_team(world: World, team: Team, lead: Client) -> None:
    first = start(lead, world)
    response = lead.post(reverse("monitor-meeting-start", args=[world.school.code]), follow=True)
    assert Meeting.objects.count() == 1
    assert response.redirect_chain[-1][0] == url("monitor-meeting", first)
    assert "already in progress" in response.content.decode()


def test_with_several_teams_the_team_is_chosen(world: World, team: Team, lead: Client) -> None:
    other = Team.objects.create(org=world.school, name="Grade 3 team")
    html = lead.get(reverse("monitor-meetings", args=[world.school.code])).content.decode()
    assert 'name="team"' in html and "Grade 3 team" in html
    response = lead.post(reverse("monitor-meeting-start", args=[world.school.code]), follow=True)
    assert "Choose the team that is meeting." in response.content.decode()
    assert not Meeting.objects.exists()
    assert start(lead, world, team=other.code).team == other


def test_a_team_of_another_school_cannot_be_chosen(world: World, team: Team, lead: Client) -> None:
    Team.objects.create(org=world.school, name="Grade 3 team")
    elsewhere = Team.objects.create(org=world.other_school, name="Elm team")
    lead.post(reverse("monitor-meeting-start", args=[world.school.code]), {"team": elsewhere.code})
    assert not Meeting.objects.exists()


def test_the_timer_runs_one_section_at_a_time(world: World, team: Team, lead: Client) -> None:
    meeting = start(lead, world)
    lead.post(url("monitor-meeting-timer", meeting, "check_in"), {"action": "start"})
    assert item(meeting, "check_in").timer_started_at is not None
    earlier = timezone.now() - timedelta(minutes=7)
    AgendaItem.objects.filter(meeting=meeting, kind="check_in").update(timer_started_at=earlier)
    lead.post(url("monitor-meeting-timer", meeting, "measures"), {"action": "start"})
    check_in = item(meeting, "check_in")
    assert check_in.timer_started_at is None and 420 <= check_in.seconds_used < 430
    assert item(meeting, "measures").timer_started_at is not None
    html = lead.get(url("monitor-meeting", meeting)).content.decode()
    assert "7:0" in html and "used of 5 minutes planned." in html
    assert '<strong class="tag tag-warn" data-timer-over>Over time</strong>' in html
    assert "data-timer-running" in html and "meeting-timer.js" in html


def test_a_timer_for_no_such_section_is_not_found(world: World, team: Team, lead: Client) -> None:
    meeting = start(lead, world)
    assert (
        lead.post(url("monitor-meeting-timer", meeting, "lunch"), {"action": "start"}).status_code
        == 404
    )


def test_minutes_are_saved_and_a_conflict_shows_both_versions(
    world: World, team: Team, lead: Client
) -> None:
    meeting = start(lead, world)
    target = url("monitor-meeting-notes", meeting, "issues")
    lead.post(target, {"notes": "Talked about planning time.", "revision": 1})
    assert item(meeting, "issues").notes == "Talked about planning time."
    html = lead.post(target, {"notes": "My own words.", "revision": 1}).content.decode()
    assert "Someone else saved first" in html
    assert "Talked about planning time." in html and "My own words." in html
    assert item(meeting, "issues").notes == "Talked about planning time."
    lead.post(target, {"notes": "My own words.", "revision": 2})
    assert item(meeting, "issues").notes == "My own words."


def test_general_notes_are_kept_on_the_meeting(world: World, team: Team, lead: Client) -> None:
    meeting = start(lead, world)
    lead.post(
        url("monitor-meeting-notes", meeting, "general"), {"notes": "Short week.", "revision": 1}
    )
    meeting.refresh_from_db()
    assert meeting.notes == "Short week."


def test_a_todo_is_due_in_seven_days_unless_said_otherwise(
    world: World, team: Team, lead: Client
) -> None:
    meeting = start(lead, world)
    html = lead.get(url("monitor-meeting", meeting)).content.decode()
    assert f'value="{(today() + timedelta(days=7)).isoformat()}"' in html
    owner = member_named(team, "Hannah Kim")
    lead.post(
        url("monitor-meeting-todo", meeting), {"text": "Draft the schedule", "owner": owner.code}
    )
    todo = Todo.objects.get()
    assert (todo.meeting, todo.team, todo.owner, todo.due) == (
        meeting,
        team,
        owner,
        today() + timedelta(days=7),
    )


def test_bad_input_is_named_and_nothing_is_saved(world: World, team: Team, lead: Client) -> None:
    meeting = start(lead, world)
    html = lead.post(
        url("monitor-meeting-todo", meeting), {"text": "", "owner": ""}
    ).content.decode()
    assert "To-do: Say in a few words what is to be done." in html
    assert "Who does it: Choose the team member who does it." in html
    yesterday = (today() - timedelta(days=1)).isoformat()
    owner = member_named(team, "Team Lead")
    data = {"text": "Late already", "owner": owner.code, "due": yesterday}
    html = lead.post(url("monitor-meeting-todo", meeting), data).content.decode()
    assert "Due: The due date cannot be before today" in html
    html = lead.post(url("monitor-meeting-decision", meeting), {"text": "Go"}).content.decode()
    assert "Decided by: Say who decided" in html
    html = lead.post(url("monitor-meeting-headline", meeting), {"text": ""}).content.decode()
    assert "Headline: Write the headline in a sentence." in html
    rating = {f"rating-{owner.code}": "11"}
    html = lead.post(url("monitor-meeting-rate", meeting), rating).content.decode()
    assert "Team Lead: Give a whole number from 1 to 10." in html
    assert not (Todo.objects.exists() or Decision.objects.exists() or Rating.objects.exists())
    assert not Headline.objects.exists()


def test_a_member_of_another_team_cannot_own_a_todo(world: World, team: Team, lead: Client) -> None:
    meeting = start(lead, world)
    other = Team.objects.create(org=world.school, name="Grade 3 team")
    stranger = other.members.create(name="Dee", category="teacher")
    html = lead.post(url("monitor-meeting-todo", meeting), {"text": "X", "owner": stranger.code})
    assert "Who does it: Choose a member of the team." in html.content.decode()
    assert not Todo.objects.exists()


def run_a_meeting(world: World, team: Team, lead: Client) -> Meeting:
    """Start, time, minute, decide, solve an issue, add a to-do, rate and end a meeting."""
    issue = Issue.objects.create(team=team, title="No common planning time", raised_by="Ana")
    meeting = start(lead, world)
    lead.post(url("monitor-meeting-timer", meeting, "issues"), {"action": "start"})
    lead.post(
        url("monitor-meeting-notes", meeting, "issues"),
        {"notes": "Grade 3 has no shared planning block.", "revision": 1},
    )
    absent = member_named(team, "Hannah Kim")
    present = [str(m.code) for m in team.members.exclude(pk=absent.pk)]
    lead.post(url("monitor-meeting-attendance", meeting), {"present": present})
    lead.post(
        url("monitor-meeting-headline", meeting), {"text": "Attendance is up", "by": "Team Lead"}
    )
    solve = {
        "action": "solve",
        "meeting": meeting.code,
        "decision": "Move the reading block to make room",
        "decided_by": "The whole team",
        "revision": issue.revision,
    }
    lead.post(reverse("monitor-issue", args=[world.school.code, issue.code]), solve)
    owner = member_named(team, "Team Member")
    lead.post(
        url("monitor-meeting-todo", meeting), {"text": "Draft the schedule", "owner": owner.code}
    )
    ratings = {
        f"rating-{m.code}": score
        for m, score in zip(team.members.exclude(pk=absent.pk), (8, 9), strict=True)
    }
    lead.post(url("monitor-meeting-rate", meeting), ratings)
    lead.post(url("monitor-meeting-end", meeting))
    meeting.refresh_from_db()
    return meeting


def test_a_meeting_run_through_ends_with_a_recap(world: World, team: Team, lead: Client) -> None:
    meeting = run_a_meeting(world, team, lead)
    assert meeting.state == Meeting.State.ENDED and meeting.ended_at is not None
    assert not meeting.agenda.filter(timer_started_at__isnull=False).exists()
    issue = Issue.objects.get()
    assert (issue.state, issue.solved_in, issue.decided_by) == ("solved", meeting, "The whole team")
    assert Decision.objects.get().issue == issue
    assert meeting.recap_sent_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.by_role[Role.TEAM_LEAD].email, world.by_role[Role.TEAM_MEMBER].email]
    )
    body = mail.outbox[0].body
    due = date_format(today() + timedelta(days=7), "DATE_FORMAT")
    assert date_format(today(), "DATE_FORMAT") in mail.outbox[0].subject
    assert "Present: Team Lead, Team Member" in body and "Absent: Hannah Kim" in body
    assert "Rating: 8.5 out of 10 (2 ratings)" in body
    assert "Issues\nGrade 3 has no shared planning block." in body
    assert "- Move the reading block to make room (decided by The whole team)" in body
    assert f"- Draft the schedule — Team Member, due {due}" in body
    assert "- No common planning time: Move the reading block to make room" in body
    assert f"{settings.SITE_URL}{url('monitor-meeting', meeting)}" in body
    sent = mail.outbox[0]
    assert isinstance(sent, mail.EmailMultiAlternatives)
    content, mimetype = sent.alternatives[0]
    assert mimetype == "text/html" and "Move the reading block" in str(content)


def test_an_ended_meeting_is_a_read_only_record(world: World, team: Team, lead: Client) -> None:
    meeting = run_a_meeting(world, team, lead)
    html = lead.get(url("monitor-meeting", meeting)).content.decode()
    assert "This is the record of the meeting" in html
    assert "Grade 3 has no shared planning block." in html and "Attendance is up" in html
    assert url("monitor-meeting-headline", meeting) not in html
    assert url("monitor-meeting-end", meeting) not in html
    assert url("monitor-meeting-recap", meeting) in html
    response = lead.post(
        url("monitor-meeting-headline", meeting), {"text": "Late news"}, follow=True
    )
    assert "This meeting has ended" in response.content.decode()
    notes = {"notes": "Changed later", "revision": 2}
    lead.post(url("monitor-meeting-notes", meeting, "issues"), notes)
    assert Headline.objects.count() == 1
    assert item(meeting, "issues").notes == "Grade 3 has no shared planning block."
    lead.post(url("monitor-meeting-timer", meeting, "issues"), {"action": "start"})
    assert item(meeting, "issues").timer_started_at is None


def test_the_recap_can_be_sent_again(world: World, team: Team, lead: Client) -> None:
    meeting = run_a_meeting(world, team, lead)
    first = meeting.recap_sent_at
    response = lead.post(url("monitor-meeting-recap", meeting), follow=True)
    assert len(mail.outbox) == 4
    assert "The recap was sent to 2 people by email." in response.content.decode()
    meeting.refresh_from_db()
    assert first is not None and meeting.recap_sent_at is not None and meeting.recap_sent_at > first


def test_the_recap_waits_for_the_end(world: World, team: Team, lead: Client) -> None:
    meeting = start(lead, world)
    response = lead.post(url("monitor-meeting-recap", meeting), follow=True)
    assert "End the meeting first" in response.content.decode()
    assert not mail.outbox


def test_history_lists_meetings_with_rating_and_counts(
    world: World, team: Team, lead: Client
) -> None:
    meeting = run_a_meeting(world, team, lead)
    html = lead.get(reverse("monitor-meetings", args=[world.school.code])).content.decode()
    assert url("monitor-meeting", meeting) in html
    assert "8.5 out of 10" in html
    assert "<td>1</td>\n            <td>1</td>\n            <td>1</td>" in html


def test_history_search_finds_a_decision(world: World, team: Team, lead: Client) -> None:
    meeting = run_a_meeting(world, team, lead)
    page = reverse("monitor-meetings", args=[world.school.code])
    html = lead.get(page, {"q": "reading BLOCK"}).content.decode()
    assert "1 meeting mentions “reading BLOCK”." in html
    assert "In a decision: “Move the reading block to make room”" in html
    assert url("monitor-meeting", meeting) in html
    html = lead.get(page, {"q": "shared planning"}).content.decode()
    assert "In the minutes of “Issues”" in html
    html = lead.get(page, {"q": "cafeteria"}).content.decode()
    assert "No meeting mentions “cafeteria”." in html


def test_history_has_an_empty_state_and_a_start_button(
    world: World, team: Team, lead: Client
) -> None:
    html = lead.get(reverse("monitor-meetings", args=[world.school.code])).content.decode()
    assert "No meetings yet." in html
    assert "Start a meeting of Alder Creek School Improvement Team" in html


def add_meetings(team: Team, n: int) -> None:
    lead = member_named(team, "Team Lead")
    for i in range(n):
        m = Meeting.objects.create(
            team=team, held_on=today() - timedelta(weeks=i + 1), state=Meeting.State.ENDED
        )
        Rating.objects.create(meeting=m, member=lead, score=7)
        Decision.objects.create(meeting=m, text=f"Decision {i}", decided_by="All")
        Todo.objects.create(team=team, meeting=m, owner=lead, text=f"Todo {i}")


def test_history_reads_a_fixed_number_of_queries(
    world: World, team: Team, lead: Client, django_assert_max_num_queries: Any
) -> None:
    page = reverse("monitor-meetings", args=[world.school.code])
    add_meetings(team, 2)
    lead.get(page)
    with django_assert_max_num_queries(25) as few:
        lead.get(page, {"q": "Decision"})
    add_meetings(team, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = lead.get(page, {"q": "Decision"}).content.decode()
    assert html.count("In a decision") == 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = lead.get(page).content.decode()
    assert html.count("7.0 out of 10") == 12


@pytest.mark.parametrize(
    ("role", "status"), [(Role.VIEWER, 403), (Role.REVIEWER, 200), (Role.TEAM_MEMBER, 200)]
)
def test_reading_needs_internal_access(
    world: World, team: Team, client_for: SignIn, role: Role, status: int
) -> None:
    meeting = Meeting.objects.create(team=team)
    client = client_for(world.by_role[role])
    assert client.get(url("monitor-meeting", meeting)).status_code == status
    assert client.get(reverse("monitor-meetings", args=[world.school.code])).status_code == status


def test_a_reviewer_reads_but_cannot_change(world: World, team: Team, client_for: SignIn) -> None:
    meeting = Meeting.objects.create(team=team)
    AgendaItem.objects.create(meeting=meeting, kind="issues", order=0, minutes=60)
    reviewer = client_for(world.by_role[Role.REVIEWER])
    html = reviewer.get(url("monitor-meeting", meeting)).content.decode()
    assert url("monitor-meeting-end", meeting) not in html
    assert reviewer.post(url("monitor-meeting-end", meeting)).status_code == 403
    assert (
        reviewer.post(reverse("monitor-meeting-start", args=[world.school.code])).status_code == 403
    )


def test_outsiders_get_404(world: World, team: Team, client_for: SignIn) -> None:
    meeting = Meeting.objects.create(team=team)
    dave = client_for(world.dave)
    assert dave.get(url("monitor-meeting", meeting)).status_code == 404
    assert dave.post(url("monitor-meeting-end", meeting)).status_code == 404


def test_a_meeting_of_another_school_is_not_found(world: World, lead: Client) -> None:
    elsewhere = Team.objects.create(org=world.other_school, name="Elm team")
    meeting = Meeting.objects.create(team=elsewhere)
    wrong = reverse("monitor-meeting", args=[world.school.code, meeting.code])
    assert lead.get(wrong).status_code == 404


def test_wrong_methods_are_refused(world: World, team: Team, lead: Client) -> None:
    meeting = Meeting.objects.create(team=team)
    assert lead.get(reverse("monitor-meeting-start", args=[world.school.code])).status_code == 405
    assert lead.get(url("monitor-meeting-end", meeting)).status_code == 405
    assert lead.post(url("monitor-meeting", meeting)).status_code == 405


def test_an_issue_raised_in_the_meeting_joins_the_list(
    world: World, team: Team, lead: Client
) -> None:
    meeting = start(lead, world)
    data = {"title": "Bus times", "meeting": meeting.code, "next": url("monitor-meeting", meeting)}
    response = lead.post(reverse("monitor-issues", args=[world.school.code]), data)
    issue = Issue.objects.get()
    assert (issue.team, issue.raised_in) == (team, meeting)
    assert response["Location"] == url("monitor-meeting", meeting)
    html = lead.get(url("monitor-meeting", meeting)).content.decode()
    assert "Bus times" in html
    assert item(meeting, "issues").items == []  # the agenda stays as it was when it started


def test_the_meeting_page_reads_a_fixed_number_of_queries(
    world: World, team: Team, lead: Client, django_assert_max_num_queries: Any
) -> None:
    def grow(n: int) -> None:
        owner = member_named(team, "Team Lead")
        start_at = Issue.objects.count()
        for i in range(start_at, start_at + n):
            issue = Issue.objects.create(team=team, title=f"Issue {i}")
            Todo.objects.create(team=team, owner=owner, text=f"Due {i}", due=today())
            Todo.objects.create(team=team, meeting=meeting, owner=owner, text=f"New {i}")
            Decision.objects.create(meeting=meeting, issue=issue, text=f"Decided {i}")
            Headline.objects.create(meeting=meeting, text=f"Headline {i}")

    meeting = start(lead, world)
    grow(2)
    with django_assert_max_num_queries(60) as few:
        lead.get(url("monitor-meeting", meeting))
    grow(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = lead.get(url("monitor-meeting", meeting)).content.decode()
    assert "Issue 11" in html and "Due 11" in html and "Headline 11" in html
