"""The issues list: identify → discuss → solved, with who decided what; reopening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from headway.audit.models import AuditEvent
from headway.monitor.models import Decision, Issue, Meeting
from headway.orgs.roles import Role
from headway.teams.models import Team
from tests.conftest import World

SignIn = Callable[..., Client]


def issues_url(world: World) -> str:
    return reverse("monitor-issues", args=[world.school.code])


def issue_url(issue: Issue) -> str:
    return reverse("monitor-issue", args=[issue.team.org.code, issue.code])


def solve(client: Client, issue: Issue, **more: object) -> str:
    data: dict[str, object] = {
        "action": "solve",
        "decision": "Shared planning on Tuesdays",
        "decided_by": "Ana and Ben",
        "revision": issue.revision,
    }
    data.update(more)
    return client.post(issue_url(issue), data, follow=True).content.decode()


def test_an_issue_is_added_to_the_list(world: World, team: Team, member: Client) -> None:
    data = {"title": "No common planning time", "details": "Grade 3", "raised_by": "Ana"}
    response = member.post(issues_url(world), data, follow=True)
    issue = Issue.objects.get()
    assert (issue.team, issue.state, issue.raised_by, issue.raised_in) == (
        team,
        "identify",
        "Ana",
        None,
    )
    assert "The issue “No common planning time” is on the list." in response.content.decode()
    html = member.get(issues_url(world)).content.decode()
    identified = html[html.index('id="issues-identify-h"') : html.index('id="issues-discuss-h"')]
    assert "No common planning time" in identified
    assert AuditEvent.objects.filter(action="monitor.issue_raised").exists()


def test_an_issue_needs_a_title(world: World, team: Team, member: Client) -> None:
    html = member.post(issues_url(world), {"title": ""}).content.decode()
    assert "Issue: Say in a sentence what gets in the way." in html
    assert not Issue.objects.exists()


def test_with_several_teams_the_team_is_chosen(world: World, team: Team, member: Client) -> None:
    other = Team.objects.create(org=world.school, name="Grade 3 team")
    html = member.get(issues_url(world)).content.decode()
    assert '<select name="team"' in html
    member.post(issues_url(world), {"title": "Bus times", "team": other.code})
    assert Issue.objects.get().team == other
    elsewhere = Team.objects.create(org=world.other_school, name="Elm team")
    html = member.post(issues_url(world), {"title": "X", "team": elsewhere.code}).content.decode()
    assert "Team: Choose one of this organization&#x27;s teams." in html
    assert Issue.objects.count() == 1


def test_an_issue_moves_to_discussion_then_is_solved(team: Team, member: Client) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    member.post(issue_url(issue), {"action": "discuss", "revision": 1})
    issue.refresh_from_db()
    assert issue.state == "discuss"
    html = solve(member, issue)
    issue.refresh_from_db()
    assert (issue.state, issue.decision, issue.decided_by, issue.solved_in) == (
        "solved",
        "Shared planning on Tuesdays",
        "Ana and Ben",
        None,
    )
    assert issue.solved_at is not None
    assert "“No common planning time” is solved." in html and "outside a meeting" in html
    steps = AuditEvent.objects.filter(object_id=str(issue.code)).order_by("at", "pk")
    assert list(steps.values_list("action", flat=True)) == [
        "monitor.issue_discussed",
        "monitor.issue_solved",
    ]
    assert steps.last().detail == {  # type: ignore[union-attr]
        "decision": "Shared planning on Tuesdays",
        "decided_by": "Ana and Ben",
    }


def test_solving_needs_the_decision_and_who_decided(team: Team, member: Client) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    html = solve(member, issue, decision="", decided_by="")
    assert "What was decided: Write the decision that solves the issue." in html
    assert "Decided by: Say who decided" in html
    issue.refresh_from_db()
    assert issue.state == "identify"


def test_solved_from_a_running_meeting_it_is_recorded_there(team: Team, member: Client) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    meeting = Meeting.objects.create(team=team)
    html = member.get(issue_url(issue), {"meeting": str(meeting.code)}).content.decode()
    assert "solving the issue now records it in that meeting" in html
    solve(member, issue, meeting=meeting.code)
    issue.refresh_from_db()
    assert issue.solved_in == meeting
    decision = Decision.objects.get()
    assert (decision.meeting, decision.issue, decision.decided_by) == (
        meeting,
        issue,
        "Ana and Ben",
    )


def test_an_ended_meeting_does_not_take_the_solution(team: Team, member: Client) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    ended = Meeting.objects.create(team=team, state=Meeting.State.ENDED)
    solve(member, issue, meeting=ended.code)
    issue.refresh_from_db()
    assert issue.state == "solved" and issue.solved_in is None
    assert not Decision.objects.exists()


def test_a_solved_issue_can_be_reopened(team: Team, member: Client) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    solve(member, issue)
    issue.refresh_from_db()
    html = member.post(
        issue_url(issue), {"action": "reopen", "revision": issue.revision}, follow=True
    ).content.decode()
    issue.refresh_from_db()
    assert (issue.state, issue.solved_at) == ("discuss", None)
    assert "“No common planning time” is open again." in html
    assert "Earlier decision, before it was reopened" in html
    reopened = AuditEvent.objects.get(action="monitor.issue_reopened")
    assert reopened.detail["decision"] == "Shared planning on Tuesdays"


def test_a_change_made_meanwhile_is_not_overwritten(team: Team, member: Client) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    Issue.objects.filter(pk=issue.pk).update(revision=2, state="discuss")
    moved = member.post(issue_url(issue), {"action": "discuss", "revision": 1}, follow=True)
    assert "already past that step" in moved.content.decode()
    html = solve(member, issue, revision=1)
    assert "changed by someone else while you were writing" in html
    assert 'name="revision" value="2"' in html and "Shared planning on Tuesdays" in html
    issue.refresh_from_db()
    assert issue.state == "discuss"
    solve(member, issue, revision=2)
    issue.refresh_from_db()
    assert issue.state == "solved"


def test_the_list_groups_by_state_solved_last_and_newest_first(
    world: World, team: Team, member: Client
) -> None:
    now = timezone.now()
    Issue.objects.create(team=team, title="Identified one")
    Issue.objects.create(team=team, title="Discussed one", state="discuss")
    for title, days in (("Solved long ago", 30), ("Solved lately", 1)):
        Issue.objects.create(
            team=team,
            title=title,
            state="solved",
            decision="Done",
            decided_by="All",
            solved_at=now - timedelta(days=days),
        )
    html = member.get(issues_url(world)).content.decode()
    order = [
        html.index(text)
        for text in ("Identified one", "Discussed one", "Solved lately", "Solved long ago")
    ]
    assert order == sorted(order)
    assert "<details>" in html[html.index('id="issues-solved-h"') :]


def test_the_list_has_helpful_empty_states(world: World, team: Team, member: Client) -> None:
    html = member.get(issues_url(world)).content.decode()
    assert "No new issues waiting." in html and "No issue solved yet." in html


@pytest.mark.parametrize(("role", "status"), [(Role.VIEWER, 403), (Role.REVIEWER, 200)])
def test_reading_needs_internal_access(
    world: World, team: Team, client_for: SignIn, role: Role, status: int
) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    client = client_for(world.by_role[role])
    assert client.get(issues_url(world)).status_code == status
    assert client.get(issue_url(issue)).status_code == status


def test_a_reviewer_cannot_solve(world: World, team: Team, client_for: SignIn) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    reviewer = client_for(world.by_role[Role.REVIEWER])
    assert "Solve it" not in reviewer.get(issue_url(issue)).content.decode()
    assert reviewer.post(issue_url(issue), {"action": "solve"}).status_code == 403


def test_outsiders_get_404(world: World, team: Team, client_for: SignIn) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    dave = client_for(world.dave)
    assert dave.get(issue_url(issue)).status_code == 404
    wrong = reverse("monitor-issue", args=[world.other_school.code, issue.code])
    assert client_for(world.alice).get(wrong).status_code == 404


def test_other_methods_are_refused(team: Team, member: Client) -> None:
    issue = Issue.objects.create(team=team, title="No common planning time")
    assert member.delete(issue_url(issue)).status_code == 405
