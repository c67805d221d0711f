"""Monitoring the plan week by week, in the browser, with axe on every page.

Alder Creek's team lead runs the weekly meeting: the agenda brings up the off-track math
check-in, the off-track and late rocks, the late to-do and the open issues; she times the
issues section, writes its minutes, gives a teacher a to-do (due a week from today), solves
an issue with its decision and who took it, collects the ratings and ends the meeting, which
emails the recap; the decision is then found again by searching the history. She reviews the
family outreach Headway flags, stops it on its evidence, and sees it stopped in the reviews
and in the initiative inventory. The district administrator evaluates the cycle (Headway
suggests each goal's verdict), finishes it, and lands on the next cycle's needs assessment,
which starts from what the evaluation found. "My work" lists the lead's to-do and rock with
how soon each is due, and nothing of the team's for a parent, on a phone too. Last, the lead
reads the measures: the dashboard says which are on track; the attendance run chart says its
change for the better in a sentence, lists its notes and gives its numbers in a table; read
with the IHI rules it names shifts and trends instead. She adds this week's result by hand and
uploads a CSV file, whose bad row is named with its column before the corrected file goes in.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import FilePayload, Locator, Page, ViewportSize, expect

from headway.monitor.demo import load_demo_monitor
from headway.monitor.models import Evaluation, Issue, Measure, Meeting, Point, Todo
from headway.monitor.reading import current_cycle
from headway.orgs.demo import DISTRICT_NAME
from headway.orgs.models import Organization
from headway.plans.models import Cycle, Goal, Strategy
from headway.teams.demo import load_demo_teams
from headway.teams.models import TeamMember
from tests.browser.conftest import (
    DESKTOP,
    assert_accessible,
    assert_no_horizontal_scroll,
    sign_in,
)

pytestmark = pytest.mark.browser

SCHOOL = "Alder Creek Elementary"
TEAM = "Alder Creek School Improvement Team"
PHONE: ViewportSize = {"width": 390, "height": 844}

DECISION = "Ask the family resource center to collect phone numbers at enrolment."
DECIDED_BY = "Marisol Vega and the whole team"
NEW_TODO = "Ask the district about substitute pay for PLC release days"
OUTREACH = "Family attendance outreach"


@pytest.fixture
def school(demo: None) -> Organization:
    """The demo district with Alder Creek's team and its year of monitoring (without the
    student data: the goals' measures have no results until a test gives them some)."""
    district = Organization.objects.get(kind="district", name=DISTRICT_NAME)
    load_demo_teams(district)
    load_demo_monitor(district)
    return Organization.objects.get(name=SCHOOL)


def _in(scope: Page | Locator, label: str) -> Locator:
    """The control with exactly this label inside ``scope`` (Django adds a colon)."""
    return scope.get_by_label(re.compile(f"^{re.escape(label)}:?$"))


def _open_monitor(page: Page, org: str = SCHOOL) -> None:
    """From the home page: choose the organization, then Monitor in the cycle navigation."""
    page.get_by_label("Organization").select_option(label=org)
    page.get_by_role("button", name="Open").click()
    page.get_by_role("navigation", name="Improvement cycle").get_by_role(
        "link", name="Monitor"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Measures at {org}")


def _monitor_tab(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Monitor", exact=True).get_by_role(
        "link", name=name, exact=True
    ).click()


# --- the weekly meeting -------------------------------------------------------------------------


def _start_meeting(page: Page) -> None:
    _monitor_tab(page, "Meetings")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Leadership-team meetings at {SCHOOL}"
    )
    assert_accessible(page)
    page.get_by_role("button", name=f"Start a meeting of {TEAM}").click()
    expect(page.get_by_text("The meeting has started. The agenda is below.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Meeting of {TEAM}")
    expect(page.get_by_text("In progress", exact=True)).to_be_visible()


def _item(section: Locator, text: str) -> Locator:
    return section.get_by_role("listitem").filter(has_text=text)


def _agenda_shows_what_needs_attention(page: Page) -> None:
    measures = page.locator("#section-measures")
    expect(_item(measures, "Math check-in average")).to_contain_text("Off track")
    expect(_item(measures, "Weekly attendance rate")).to_contain_text("Good news")
    rocks = page.locator("#section-rocks")
    calls = _item(rocks, "Call every family of a chronically absent student")
    expect(calls).to_contain_text("Off track — Priya Natarajan")
    expect(_item(rocks, "Put up the grade 3–5 math data wall")).to_contain_text(
        re.compile(r"Late — Lena Fischer, \d+ days? late")
    )
    due = page.get_by_role("list", name="Due by today and not done")
    late = _item(due, "Find phone numbers through the family resource center")
    expect(late).to_contain_text("Hannah Kim")
    expect(late).to_contain_text("late")
    issues = page.get_by_role("list", name="Open issues, in order")
    expect(_item(issues, "Families without a phone number on file")).to_contain_text(
        "Being discussed"
    )
    expect(_item(issues, "Substitutes are hard to find for PLC release time")).to_contain_text(
        "Identified"
    )
    # no section is "over time" before its timer has run
    expect(page.get_by_text("Over time", exact=True).first).to_be_hidden()


def _time_the_issues(page: Page) -> None:
    section = page.locator("#section-issues")
    section.get_by_role("button", name="Start the timer for “Issues”").click()
    expect(section.get_by_text("Timer running", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Agenda")).to_contain_text(
        "Issues — 60 minutes · 2 items · timer running"
    )
    page.wait_for_timeout(1_200)  # a second on the clock
    section.get_by_role("button", name="Stop the timer for “Issues”").click()
    expect(section.get_by_role("button", name="Restart the timer for “Issues”")).to_be_visible()
    expect(section.get_by_text("Timer running", exact=True)).to_have_count(0)
    expect(section.get_by_role("timer")).to_have_text(re.compile(r"^0:0[1-9]$"))
    expect(section.get_by_text("Over time", exact=True)).to_be_hidden()


def _minutes(page: Page) -> None:
    section = page.locator("#section-issues")
    _in(section, "Minutes").fill("Worked through the phone numbers first; substitutes next week.")
    section.get_by_role("button", name="Save the minutes of “Issues”").click()
    expect(page.get_by_text("The minutes of “Issues” were saved.")).to_be_visible()
    expect(_in(page.locator("#section-issues"), "Minutes")).to_have_value(
        "Worked through the phone numbers first; substitutes next week."
    )


def _todo(page: Page) -> None:
    section = page.locator("#section-issues")
    in_a_week = timezone.localdate() + timedelta(days=7)
    expect(_in(section, "Due")).to_have_value(in_a_week.isoformat())
    _in(section, "To-do").fill(NEW_TODO)
    _in(section, "Who does it").select_option(label="Marcus Bell")
    section.get_by_role("button", name="Add the to-do").click()
    expect(page.get_by_text(f"The to-do “{NEW_TODO}” was added.")).to_be_visible()
    day = date_format(in_a_week, "DATE_FORMAT")
    expect(page.get_by_role("list", name="To-dos from this meeting")).to_contain_text(
        f"{NEW_TODO} — Marcus Bell, due {day}"
    )


def _solve_issue(page: Page) -> None:
    issues = page.get_by_role("list", name="Open issues, in order")
    issue = _item(issues, "Families without a phone number on file")
    issue.get_by_text("Solve it").click()
    _in(issue, "What was decided").fill(DECISION)
    _in(issue, "Decided by").fill(DECIDED_BY)
    assert_accessible(page)
    issue.get_by_role("button", name="Mark it solved").click()
    expect(page.get_by_text("“Families without a phone number on file” is solved.")).to_be_visible()
    expect(page.get_by_role("list", name="Issues solved in this meeting")).to_contain_text(
        f"Families without a phone number on file — decided: {DECISION} (by {DECIDED_BY})"
    )
    expect(page.get_by_role("list", name="Decisions")).to_contain_text(
        f"{DECISION} — decided by {DECIDED_BY}"
    )
    expect(_item(page.get_by_role("list", name="Open issues, in order"), "phone")).to_have_count(0)


def _rate(page: Page) -> None:
    wrap_up = page.locator("#section-wrap_up")
    for name, score in (("Priya Natarajan", "9"), ("Marcus Bell", "8"), ("Marisol Vega", "8")):
        wrap_up.get_by_role("spinbutton", name=name).fill(score)
    wrap_up.get_by_role("button", name="Save the ratings").click()
    expect(page.get_by_text("3 ratings saved.")).to_be_visible()
    expect(page.get_by_text("Average 8.3 out of 10, from 3 ratings.")).to_be_visible()


def _end(page: Page) -> None:
    page.get_by_role("button", name="End the meeting and send the recap").click()
    expect(page.get_by_text("The meeting has ended. Its record is below.")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"The recap was sent to \d+ people by email\."))
    ).to_be_visible()
    expect(page.get_by_text("Ended", exact=True)).to_be_visible()
    expect(page.get_by_text("Rated 8.3 out of 10 (3 ratings).")).to_be_visible()
    expect(page.get_by_text(re.compile("The recap was last sent by email on"))).to_be_visible()
    expect(page.get_by_role("button", name="End the meeting and send the recap")).to_have_count(0)
    assert_accessible(page)


def _search_history(page: Page) -> None:
    page.get_by_role("link", name="All meetings").click()
    page.get_by_label("Search the minutes, decisions, headlines, to-dos and issues").fill(
        "enrolment phone"
    )
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("1 meeting mentions “enrolment phone”.")).to_be_visible()
    (row,) = page.get_by_role("table").get_by_role("row").all()[1:]
    expect(row).to_contain_text(date_format(timezone.localdate(), "DATE_FORMAT"))
    expect(row).to_contain_text("8.3 out of 10")
    expect(row).to_contain_text(f"In a decision: “{DECISION}”")
    assert_accessible(page)


def test_the_team_lead_runs_the_weekly_meeting(page: Page, school: Organization) -> None:
    sign_in(page, "lead@headway.example")
    _open_monitor(page)
    _start_meeting(page)
    _agenda_shows_what_needs_attention(page)
    assert_accessible(page)
    _time_the_issues(page)
    _minutes(page)
    _todo(page)
    _solve_issue(page)
    _rate(page)
    _end(page)
    _search_history(page)

    meeting = Meeting.objects.get(held_on=timezone.localdate())
    assert meeting.state == Meeting.State.ENDED and meeting.recap_sent_at is not None
    solved = Issue.objects.get(title="Families without a phone number on file")
    assert (solved.state, solved.solved_in, solved.decided_by) == ("solved", meeting, DECIDED_BY)
    todo = Todo.objects.get(text=NEW_TODO)
    assert todo.due == timezone.localdate() + timedelta(days=7) and todo.meeting == meeting
    recaps = [m for m in mail.outbox if DECISION in m.body]
    assert recaps and "lead@headway.example" in {a for m in recaps for a in m.to}


# --- a strategy review stops a strategy ---------------------------------------------------------


def _flags(page: Page) -> None:
    _monitor_tab(page, "Strategy reviews")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strategy reviews")
    expect(page.get_by_text("1 strategy is a candidate for stopping.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=OUTREACH)
    expect(row).to_contain_text("Its work is off track")
    expect(row).to_contain_text("Costly for its effect")
    expect(page.get_by_role("row").filter(has_text="Weekly reading PLC cycles")).to_contain_text(
        "Review due"
    )
    assert_accessible(page)


def _stop(page: Page) -> None:
    page.get_by_role("link", name=re.compile(f"^Review it ?: {OUTREACH}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review “{OUTREACH}”")
    expect(page.get_by_role("region", name="What Headway flags")).to_contain_text(
        "Costly for its effect"
    )
    assert_accessible(page)
    page.get_by_role("radio", name=re.compile("^Stop:")).check()
    _in(page, "The evidence, in your words").fill(
        "Weekly attendance rose, but the outreach costs the most per student and its rock "
        "is off track; the liaison's calls go on within the office's own time."
    )
    _in(page, "Decided by").fill("The leadership team, by consensus")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Stop the strategy “{OUTREACH}”?")
    expect(page.get_by_text("It frees about 12 teacher hours a month.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Stop the strategy").click()
    expect(page.get_by_text(f"“{OUTREACH}” is stopped.")).to_be_visible()


def _stopped_everywhere(page: Page) -> None:
    row = page.get_by_role("row").filter(has_text=OUTREACH)
    expect(row.get_by_role("cell").nth(0)).to_have_text("Stopped")
    expect(row).to_contain_text("None: a review can restart it.")
    expect(row).to_contain_text("Stop, ")
    expect(page.get_by_text("No strategy is a candidate for stopping right now.")).to_be_visible()
    assert_accessible(page)
    _monitor_tab(page, "Initiative inventory")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Initiative inventory at {SCHOOL}")
    expect(page.get_by_role("row").filter(has_text=OUTREACH)).to_contain_text(
        "Plan strategy, stopped"
    )
    expect(
        page.get_by_text("Strategies stopped in reviews already gave back 42 teacher hours a month")
    ).to_be_visible()
    assert_accessible(page)


def test_a_strategy_review_stops_a_flagged_strategy(page: Page, school: Organization) -> None:
    sign_in(page, "lead@headway.example")
    _open_monitor(page)
    _flags(page)
    _stop(page)
    _stopped_everywhere(page)

    outreach = Strategy.objects.get(title=OUTREACH)
    assert outreach.status == Strategy.Status.STOPPED
    review = outreach.reviews.order_by("-pk").first()
    assert review is not None and review.verdict == "stop" and review.flags


# --- the end-of-cycle evaluation ----------------------------------------------------------------

# each goal's figure at the start of the cycle and now, as imports would have brought them
RESULTS = {
    ("proficiency_rate", "ela"): (0.33, 0.41, "Met"),
    ("proficiency_rate", "math"): (0.31, 0.33, "Partly met"),
    ("chronic_absence_rate", "all"): (0.14, 0.15, "Not met"),
}


def _results(cycle: Cycle) -> None:
    today = timezone.localdate()
    for goal in Goal.objects.filter(assessment__cycle=cycle):
        start, now, _verdict = RESULTS[(goal.metric, goal.subject)]
        measure = goal.tracked_by
        Point.objects.bulk_create(
            Point(measure=measure, on=on, value=value, public_value=value,
                  source=Point.Source.IMPORT)
            for on, value in ((today - timedelta(days=70), start), (today, now))
        )  # fmt: skip


def _verdicts(page: Page, cycle: Cycle) -> None:
    _monitor_tab(page, "Evaluation")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Evaluation of the cycle {cycle.label}"
    )
    for goal in Goal.objects.filter(assessment__cycle=cycle).order_by("created_at"):
        verdict = RESULTS[(goal.metric, goal.subject)][2]
        box = page.get_by_role("group", name=goal.statement, exact=True)
        expect(box).to_contain_text(f"Headway suggests: {verdict}.")
        expect(box.get_by_role("radio", name=verdict, exact=True)).to_be_checked()
    reading = page.get_by_role("group", name=re.compile("^Raise the share .* reading"))
    _in(reading, "What the data show").fill("Reading rose eight points, past the target.")
    stopped = page.get_by_role("group", name=re.compile("^Computer-based math"))
    expect(stopped.get_by_role("radio", name="End it with this cycle")).to_be_checked()
    page.get_by_role("textbox", name="What we learned").fill(
        "Lesson study moved reading; calling families on the first day moved attendance."
    )
    assert_accessible(page)


def _finish(page: Page, cycle: Cycle) -> str:
    page.get_by_role("button", name="Finish the evaluation…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Finish the evaluation of {cycle.label}?"
    )
    nxt = Cycle(org=cycle.org, first_year=cycle.last_year + 1, years=cycle.years).label
    expect(page.get_by_text(f"The next cycle, {nxt}, starts with a draft plan")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has_text="These end with this cycle")
    ).to_contain_text("Computer-based math intervention block")
    assert_accessible(page)
    page.get_by_role("button", name="Finish and start the next cycle").click()
    return nxt


def _next_cycle_starts_from_it(page: Page, label: str) -> None:
    expect(
        page.get_by_text(
            f"The evaluation is finished and the cycle {label} has started: its plan is a "
            "draft with the 2 strategies that continue."
        )
    ).to_be_visible()
    found = page.get_by_role("region", name="What the last cycle's evaluation found")
    expect(found).to_contain_text("Reading rose eight points, past the target.")
    expect(found).to_contain_text("Lesson study moved reading")
    expect(found.get_by_role("row").filter(has_text="reading")).to_contain_text("Met")
    expect(found.get_by_role("row").filter(has_text="chronic absence")).to_contain_text("Not met")
    expect(found).to_contain_text("Ends: Computer-based math intervention block")
    assert_accessible(page)


def test_the_cycle_is_evaluated_and_the_next_one_starts(page: Page, school: Organization) -> None:
    cycle = current_cycle(school)
    assert cycle is not None
    _results(cycle)
    sign_in(page, "admin@headway.example")
    _open_monitor(page)
    _verdicts(page, cycle)
    label = _finish(page, cycle)
    _next_cycle_starts_from_it(page, label)

    evaluation = Evaluation.objects.get(cycle=cycle)
    assert evaluation.finished_at is not None and evaluation.next_cycle is not None
    assert evaluation.next_cycle.label == label
    kept = set(evaluation.next_cycle.plan.strategies.values_list("title", flat=True))
    assert kept == {"Weekly reading PLC cycles with coaching", OUTREACH}


# --- My work ------------------------------------------------------------------------------------


def _my_work(page: Page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


def test_my_work_lists_the_leads_work_and_nothing_internal_for_a_parent(
    page: Page, second: Page, school: Organization
) -> None:
    rosa = TeamMember.objects.get(team__org=school, name="Rosa Delgado")
    Todo.objects.create(team=rosa.team, owner=rosa, text="Bring the survey results",
                        due=timezone.localdate() + timedelta(days=2))  # fmt: skip

    sign_in(page, "lead@headway.example")
    _my_work(page)
    todos = page.get_by_role("region", name=re.compile("^To-dos"))
    expect(todos.get_by_role("row").filter(has_text="Share the attendance chart")).to_contain_text(
        re.compile(r"due (today|in \d days?)")
    )
    rocks = page.get_by_role("region", name=re.compile("^Rocks"))
    calls = rocks.get_by_role("row").filter(has_text="Call every family")
    expect(calls).to_contain_text("due in 10 days")
    expect(calls).to_contain_text("Off track")
    expect(page.get_by_text("Bring the survey results")).to_have_count(0)
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page)
    page.set_viewport_size(DESKTOP)

    sign_in(second, "parent@headway.example")
    _my_work(second)
    expect(second.get_by_text("Nothing waiting for you.")).to_be_visible()
    expect(second.get_by_text("Bring the survey results")).to_have_count(0)
    expect(second.get_by_role("region", name=re.compile("^To-dos"))).to_have_count(0)
    assert_accessible(second)
    second.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(second)


# --- measures and run charts --------------------------------------------------------------------

ATTENDANCE = "Weekly attendance rate"


def _dashboard(page: Page) -> None:
    expect(page.get_by_text(re.compile(r"^1 measure needs attention"))).to_be_visible()
    team = page.get_by_role("table", name="The team's own measures")
    attendance = team.get_by_role("row").filter(has_text=ATTENDANCE)
    expect(attendance).to_contain_text("On track")
    expect(attendance).to_contain_text("Improving")
    expect(team.get_by_role("row").filter(has_text="Math check-in average")).to_contain_text(
        "Off track"
    )
    expect(
        team.get_by_role("row").filter(has_text="Classrooms showing the look-for")
    ).to_be_visible()
    assert_accessible(page)


def _chart(page: Page) -> None:
    page.get_by_role("link", name=ATTENDANCE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ATTENDANCE)
    figure = page.locator("figure.chart")
    expect(figure.get_by_role("img", name=re.compile(ATTENDANCE)).locator("svg")).to_be_visible()
    said = page.get_by_role("region", name="What the chart says")
    expect(said).to_contain_text("More than 9 in a row rarely happens by chance")
    expect(said).to_contain_text("this is a change for the better")
    events = page.get_by_role("table", name="Events on the chart")
    expect(
        events.get_by_role("row").filter(has_text="The family liaison calls home")
    ).to_contain_text("A change we made")
    expect(
        events.get_by_role("row").filter(has_text="PDSA 1: greeting every student")
    ).to_contain_text("PDSA cycle")
    figure.get_by_text("Show the numbers").click()
    numbers = figure.get_by_role("table", name=ATTENDANCE, exact=True)
    expect(numbers).to_be_visible()
    expect(numbers.get_by_role("columnheader")).to_have_text(
        ["Date", "Result", "Centre line", "Expected"]
    )
    expect(numbers.locator("tbody tr")).to_have_count(52)
    assert_accessible(page)


def _ihi(page: Page) -> None:
    page.get_by_label("Rules for signals").select_option(
        label="IHI rules (shift, trend, a result far out)"
    )
    page.get_by_role("button", name="Read the chart this way").click()
    expect(page.get_by_text("The chart is now read the way you chose.")).to_be_visible()
    said = page.get_by_role("region", name="What the chart says")
    expect(said).to_contain_text("a shift, which 6 or more in a row signal")
    expect(said).to_contain_text("a trend, which 5 or more in a row signal")
    expect(said).not_to_contain_text("More than 9 in a row rarely happens by chance")
    assert_accessible(page)


def _add_by_hand(page: Page) -> None:
    page.get_by_role("link", name="Add or remove results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Results of “{ATTENDANCE}”")
    assert_accessible(page)
    today = timezone.localdate()
    _in(page, "Date").fill(today.isoformat())
    _in(page, "Value (percent, 0–100)").fill("95.3")
    _in(page, "Note").fill("After the family breakfast")
    page.get_by_role("button", name="Add the result").click()
    expect(
        page.get_by_text(re.compile(r"^The result of .* \(95\.3%\) was added\.$"))
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text="After the family breakfast")
    expect(row).to_contain_text(date_format(today, "DATE_FORMAT"))
    expect(row).to_contain_text("95.3%")
    expect(row).to_contain_text("Entered by hand")


def _csv(text: str) -> FilePayload:
    return {"name": "weeks.csv", "mimeType": "text/csv", "buffer": text.encode()}


def _upload(page: Page) -> None:
    # two days between the weekly results three weeks ago: past, and without a result yet
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() or 7)
    wednesday, thursday = monday - timedelta(days=19), monday - timedelta(days=18)
    page.get_by_role("link", name="Or upload many from a CSV file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Upload results of “{ATTENDANCE}”")
    bad = f"date,value,note\n{wednesday},94.8,\n{thursday},ninety-five,open house\n"
    _in(page, "CSV file").set_input_files(_csv(bad))
    page.get_by_role("button", name="Upload").click()
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("Nothing was saved: please correct the file.")
    expect(problems).to_contain_text("Row 3, column “value”: “ninety-five” is not a number.")
    assert_accessible(page)
    good = bad.replace("ninety-five", "95.4")
    _in(page, "CSV file").set_input_files(_csv(good))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text(re.compile(r"^2 results added, 0 replaced"))).to_be_visible()
    row = page.get_by_role("row").filter(has_text="open house")
    expect(row).to_contain_text(date_format(thursday, "DATE_FORMAT"))
    expect(row).to_contain_text("95.4%")
    expect(row).to_contain_text("From a CSV file")
    assert_accessible(page)


def test_the_team_reads_its_run_charts_and_adds_results(page: Page, school: Organization) -> None:
    sign_in(page, "lead@headway.example")
    _open_monitor(page)
    _dashboard(page)
    _chart(page)
    _ihi(page)
    _add_by_hand(page)
    _upload(page)

    attendance = Measure.objects.get(name=ATTENDANCE)
    assert attendance.rules == Measure.Rules.IHI
    sources = list(attendance.points.values_list("source", flat=True))
    assert len(sources) == 55 and sources.count("csv") == 2 and sources.count("hand") == 53
