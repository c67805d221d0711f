"""Notes on the charts (PDSA cycles, changes, events) and new phases at a change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.test import Client

from headway.audit.models import AuditEvent
from headway.monitor import reading
from headway.monitor.models import Annotation, Measure, Rebase
from headway.orgs.roles import Role
from headway.plans.models import Cycle
from tests.conftest import World
from tests.monitor.conftest import cycle_url, weekly

SignIn = Callable[..., Client]


# --- notes ---------------------------------------------------------------------------------------


def test_a_note_goes_on_every_chart_or_on_one(
    attendance: Measure, cycle: Cycle, member: Client
) -> None:
    url = cycle_url("monitor-annotations", cycle)
    page = member.get(f"{url}?measure={attendance.code}").content.decode()
    assert f'<option value="{attendance.pk}" selected>' in page
    member.post(url, {"on": "2025-09-10", "kind": "pdsa", "text": "PDSA 1: calls home"})
    member.post(
        url,
        {"on": "2025-09-17", "kind": "event", "text": "Flu week", "measure": str(attendance.pk)},
    )
    every, mine = Annotation.objects.order_by("on")
    assert every.measure is None and mine.measure == attendance
    page = member.get(url).content.decode()
    assert "PDSA 1: calls home" in page and "Every chart" in page and "Flu week" in page
    assert AuditEvent.objects.filter(action="monitor.annotation_added").count() == 2


def test_a_note_is_refused_without_its_date_or_words(cycle: Cycle, member: Client) -> None:
    response = member.post(
        cycle_url("monitor-annotations", cycle), {"on": "", "kind": "pdsa", "text": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Annotation.objects.exists()
    assert "Date: Give the date it happened." in page
    assert "What happened: Say in a few words what happened." in page


def test_a_note_cannot_go_on_another_cycles_chart(
    world: World, cycle: Cycle, member: Client
) -> None:
    other_cycle = Cycle.objects.create(org=world.school, first_year=2030)
    elsewhere = Measure.objects.create(cycle=other_cycle, name="Elsewhere")
    data = {"on": "2025-09-10", "kind": "pdsa", "text": "x", "measure": str(elsewhere.pk)}
    response = member.post(cycle_url("monitor-annotations", cycle), data)
    assert "On which chart" in response.content.decode() and not Annotation.objects.exists()


def test_removing_a_note_asks_first(cycle: Cycle, member: Client) -> None:
    note = Annotation.objects.create(cycle=cycle, on=date(2025, 9, 3), text="Snow day")
    url = cycle_url("monitor-annotation-remove", cycle, note.code)
    page = member.get(url).content.decode()
    assert "Remove the note “Snow day”?" in page and "every chart of the cycle" in page
    assert Annotation.objects.exists()
    assert member.post(url)["Location"] == cycle_url("monitor-annotations", cycle)
    assert not Annotation.objects.exists()


def test_the_notes_page_has_an_empty_state_and_readers_cannot_add(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    reviewer = client_for(world.by_role[Role.REVIEWER])
    page = reviewer.get(cycle_url("monitor-annotations", cycle)).content.decode()
    assert "No notes yet." in page and 'name="text"' not in page
    data = {"on": "2025-09-10", "kind": "pdsa", "text": "x"}
    assert reviewer.post(cycle_url("monitor-annotations", cycle), data).status_code == 403


# --- new phases ----------------------------------------------------------------------------------


def test_a_new_phase_at_a_change_gets_its_own_centre_line(
    attendance: Measure, member: Client
) -> None:
    weekly(attendance, [0.80, 0.81, 0.79, 0.80, 0.90, 0.91, 0.89, 0.90])
    url = cycle_url("monitor-rebase", attendance.cycle, attendance.code)
    response = member.post(url, {"on": "2025-09-29", "reason": "New attendance policy"})
    assert response.status_code == 302
    r = reading.read(attendance, internal=True)
    assert [p.centre for p in r.phases] == [0.80, 0.90]
    page = member.get(cycle_url("monitor-measure", attendance.cycle, attendance.code))
    text = page.content.decode()
    assert "From Sept. 29, 2025: New attendance policy" in text
    assert "2: Sept. 29, 2025 to Oct. 20, 2025" in text


def test_a_new_phase_is_refused_on_a_bad_date(attendance: Measure, member: Client) -> None:
    weekly(attendance, [0.80, 0.81, 0.79])
    Rebase.objects.create(measure=attendance, on=date(2025, 9, 15), reason="First")
    url = cycle_url("monitor-rebase", attendance.cycle, attendance.code)
    cases = [
        ({"on": "2025-09-01", "reason": "x"}, "A new phase starts after the first result"),
        ({"on": "2025-09-15", "reason": "x"}, "A new phase already starts on that day."),
        ({"on": "", "reason": "x"}, "Give the day the new phase starts."),
        ({"on": "2025-09-10", "reason": ""}, "Say in a few words what changed."),
    ]
    for data, message in cases:
        response = member.post(url, data)
        assert response.status_code == 200 and message in response.content.decode()
    assert Rebase.objects.count() == 1


def test_removing_a_phase_joins_it_to_the_one_before(attendance: Measure, member: Client) -> None:
    weekly(attendance, [0.80, 0.81, 0.79, 0.90, 0.91])
    rebase = Rebase.objects.create(measure=attendance, on=date(2025, 9, 22), reason="Change")
    url = cycle_url("monitor-rebase-remove", attendance.cycle, attendance.code, rebase.code)
    assert "Remove the phase that starts on Sept. 22, 2025?" in member.get(url).content.decode()
    assert member.post(url).status_code == 302
    assert len(reading.read(attendance, internal=True).phases) == 1
    assert member.post(url).status_code == 404
