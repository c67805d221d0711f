"""The end-of-cycle evaluation: suggested verdicts, saving, finishing and the next cycle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from headway.accounts.models import User
from headway.audit.models import AuditEvent
from headway.explore.cube import Audience
from headway.monitor import evaluation
from headway.monitor.evaluation import Verdict
from headway.monitor.models import Evaluation, GoalVerdict, Measure
from headway.orgs.models import Organization
from headway.orgs.roles import Role
from headway.plans import baselines
from headway.plans.models import Cycle, Goal, NeedsAssessment, Plan, Strategy
from tests.conftest import World
from tests.explore.conftest import demo_results  # noqa: F401  (the demo district's results)
from tests.monitor.conftest import cycle_url, weekly
from tests.plans.test_goals import ALDER, _small_group_cell

SignIn = Callable[..., Client]


@pytest.mark.parametrize(
    ("increase", "baseline", "target", "value", "expected"),
    [
        (True, 0.80, 0.90, 0.92, Verdict.MET),
        (True, 0.80, 0.90, 0.90, Verdict.MET),  # reaching the target is enough
        (True, 0.80, 0.90, 0.85, Verdict.PARTLY),
        (True, 0.80, 0.90, 0.80, Verdict.NOT_MET),  # no move at all
        (True, 0.80, 0.90, 0.75, Verdict.NOT_MET),
        (True, None, 0.90, 0.85, Verdict.NOT_MET),  # no baseline to see a move
        (False, 0.20, 0.10, 0.08, Verdict.MET),  # lower is better: chronic absence
        (False, 0.20, 0.10, 0.15, Verdict.PARTLY),
        (False, 0.20, 0.10, 0.25, Verdict.NOT_MET),
        (True, 0.80, None, 0.95, None),  # no target: nothing to suggest
        (True, 0.80, 0.90, None, None),  # no figure (or hidden)
    ],
)
def test_the_suggested_verdict(
    increase: bool,
    baseline: float | None,
    target: float | None,
    value: float | None,
    expected: Verdict | None,
) -> None:
    assert evaluation.suggest(increase, baseline, target, value) == expected


def goal(cycle: Cycle, statement: str, values: list[float] | None = None, **more: Any) -> Goal:
    g = Goal.objects.create(assessment=cycle.assessment, statement=statement, **more)
    if values is not None:
        weekly(Measure.objects.create(cycle=cycle, goal=g, name=statement), values)
    return g


@pytest.fixture
def goals(cycle: Cycle) -> dict[str, Goal]:
    return {
        "met": goal(cycle, "Attendance reaches 95%", [0.90, 0.93, 0.96], baseline=0.9,
                    target=0.95),
        "partly": goal(cycle, "Reading proficiency reaches 60%", [0.45, 0.50, 0.52],
                       baseline=0.45, target=0.6),
        "not_met": goal(cycle, "Chronic absence falls to 10%", [0.20, 0.22, 0.24],
                        baseline=0.2, target=0.1, direction="decrease"),
        "untargeted": goal(cycle, "Families feel welcome", [0.7, 0.72]),
    }  # fmt: skip


@pytest.fixture
def strategies(plan: Plan) -> dict[str, Strategy]:
    make = Strategy.objects.create
    return {
        "coaching": make(plan=plan, title="Weekly coaching cycles", lever="coaching",
                         driver="competency", order=0),
        "plc": make(plan=plan, title="PLC cycles", lever="plc", driver="competency", order=1),
        "saturday": make(plan=plan, title="Saturday school", lever="other",
                         driver="organization", status="stopped", order=2),
    }  # fmt: skip


def form_data(
    goals: dict[str, Goal], strategies: dict[str, Strategy], **more: str
) -> dict[str, str]:
    data = {"learned": "Coaching worked where teachers chose their focus.", "revision": "1"}
    for key, verdict in (("met", "met"), ("partly", "partly"), ("not_met", "not_met"),
                         ("untargeted", "partly")):  # fmt: skip
        data[f"goal-{goals[key].code}-verdict"] = verdict
        data[f"goal-{goals[key].code}-note"] = f"Note on {key}"
    for key, continues in (("coaching", "yes"), ("plc", "no"), ("saturday", "no")):
        data[f"strategy-{strategies[key].code}-continues"] = continues
        data[f"strategy-{strategies[key].code}-note"] = ""
    data.update(more)
    return data


def test_each_goal_shows_its_final_figure_target_and_a_suggestion(
    cycle: Cycle, goals: dict[str, Goal], strategies: dict[str, Strategy], lead: Client
) -> None:
    html = lead.get(cycle_url("monitor-evaluation", cycle)).content.decode()
    for text in (
        "Final figure: 96% (The latest point of “Attendance reaches 95%”",
        "96% reaches the target of 95%.",
        "It moved the right way, from 45% to 52%, but not as far as the target of 60%.",
        "It did not move the right way: 20% at the start, 24% now, against a target of 10%.",
        "The goal has no target: decide with the team.",
        "Headway suggests: <strong>Partly met</strong>.",
        "Continue it in the next cycle",
    ):
        assert text in html, text
    assert _checked(html, f"goal-{goals['met'].code}-verdict", "met")
    assert _checked(html, f"goal-{goals['not_met'].code}-verdict", "not_met")
    assert _checked(html, f"strategy-{strategies['coaching'].code}-continues", "yes")
    assert _checked(html, f"strategy-{strategies['saturday'].code}-continues", "no")  # stopped


def _checked(html: str, name: str, value: str) -> bool:
    at = html.index(f'name="{name}" value="{value}"')
    return "checked" in html[at : html.index(">", at)]


def test_the_final_figure_of_a_goal_without_a_measure_comes_from_the_results(
    demo_results: Organization,  # noqa: F811  (the fixture)
) -> None:
    school = demo_results.children.get(local_id="0101")
    cycle = Cycle.objects.create(org=school, first_year=2024, years=1)
    NeedsAssessment.objects.create(cycle=cycle)
    g = goal(cycle, "Math proficiency rises", metric="proficiency_rate", subject="math",
             target=0.99)  # fmt: skip
    found = baselines.read(school, Audience.PUBLIC, baselines.indicator_of(g), 2024)
    (final,) = evaluation.finals(cycle)
    figure = found.figures[2024]
    assert final.value == figure.value and final.text == figure.text
    assert final.source == "The results for 2024–25."
    assert found.baseline is not None and final.baseline == found.baseline.value
    assert final.suggested in (Verdict.PARTLY, Verdict.NOT_MET)
    late = Cycle.objects.create(org=school, first_year=2030)
    NeedsAssessment.objects.create(cycle=late)
    goal(late, "Math later", metric="proficiency_rate", subject="math", target=0.99)
    (none,) = evaluation.finals(late)
    assert none.value is None and none.source == "No results for the cycle's years yet."


def test_a_small_groups_figures_stay_hidden_in_the_evaluation_whoever_writes_it(
    demo_results: Organization,  # noqa: F811  (the fixture)
    client_for: Callable[..., Client],
) -> None:
    """The evaluation is read by the whole team and carried into the next cycle: it holds
    the public figures even when someone with student access saves it."""
    cell = _small_group_cell(demo_results)
    school = demo_results.children.get(local_id=ALDER)
    cycle = Cycle.objects.create(org=school, first_year=2024, years=1)
    NeedsAssessment.objects.create(cycle=cycle)
    g = goal(
        cycle, "Math for a small group", metric="proficiency_rate", subject=cell["subject"],
        group_type=cell["group_type"], group_value=cell["group_value"], target=0.99,
        baseline=cell["value"], baseline_year=2024,
    )  # fmt: skip
    (final,) = evaluation.finals(cycle)
    assert final.value is None and final.baseline is None and final.suggested is None
    assert final.text == "n<10"
    admin = User.objects.get(email="admin@headway.example")  # sees student records
    html = client_for(admin).get(cycle_url("monitor-evaluation", cycle)).content.decode()
    exact = evaluation.figure_text(g, cell["value"], rate=True)
    assert g.statement in html and "n&lt;10" in html and f">{exact}<" not in html


def test_the_evaluation_is_saved_with_the_figures_as_shown(
    cycle: Cycle, goals: dict[str, Goal], strategies: dict[str, Strategy], lead: Client
) -> None:
    response = lead.post(cycle_url("monitor-evaluation", cycle), form_data(goals, strategies))
    assert response.status_code == 302
    saved = Evaluation.objects.get(cycle=cycle)
    assert saved.learned.startswith("Coaching worked") and saved.finished_at is None
    met = saved.goals.get(goal=goals["met"])
    assert met.verdict == "met" and met.value == 0.96 and met.value_text == "96%"
    assert not saved.strategies.get(strategy=strategies["plc"]).continues
    assert AuditEvent.objects.filter(action="monitor.evaluation_saved").exists()
    html = lead.get(cycle_url("monitor-evaluation", cycle)).content.decode()
    assert _checked(html, f"goal-{goals['untargeted'].code}-verdict", "partly")


def test_bad_input_is_refused_naming_the_goal(
    cycle: Cycle, goals: dict[str, Goal], strategies: dict[str, Strategy], lead: Client
) -> None:
    data = form_data(goals, strategies)
    data[f"goal-{goals['partly'].code}-verdict"] = "sort of"
    del data[f"strategy-{strategies['plc'].code}-continues"]
    html = lead.post(cycle_url("monitor-evaluation", cycle), data).content.decode()
    assert "Select a valid choice." in html
    assert "Say whether “PLC cycles” continues in the next cycle." in html
    assert not Evaluation.objects.filter(cycle=cycle, goals__isnull=False).exists()


def test_a_concurrent_save_shows_the_conflict_and_writes_nothing(
    cycle: Cycle, goals: dict[str, Goal], strategies: dict[str, Strategy], lead: Client
) -> None:
    url = cycle_url("monitor-evaluation", cycle)
    lead.post(url, form_data(goals, strategies))
    html = lead.post(url, form_data(goals, strategies, learned="Mine")).content.decode()
    assert "This evaluation was changed by someone else" in html and "Mine" in html
    assert Evaluation.objects.get(cycle=cycle).learned.startswith("Coaching worked")


def test_team_members_read_but_cannot_change_or_finish(
    cycle: Cycle, goals: dict[str, Goal], strategies: dict[str, Strategy], member: Client
) -> None:
    html = member.get(cycle_url("monitor-evaluation", cycle)).content.decode()
    assert "Reading proficiency reaches 60%" in html and 'name="learned"' not in html
    data = form_data(goals, strategies, confirm="1")
    assert member.post(cycle_url("monitor-evaluation", cycle), data).status_code == 403
    assert member.post(cycle_url("monitor-evaluation-finish", cycle), data).status_code == 403
    assert not Evaluation.objects.exists() and Cycle.objects.count() == 1


def test_finishing_asks_first_then_opens_the_next_cycle_with_the_continuing_strategies(
    cycle: Cycle, goals: dict[str, Goal], strategies: dict[str, Strategy], lead: Client
) -> None:
    finish = cycle_url("monitor-evaluation-finish", cycle)
    html = lead.post(finish, form_data(goals, strategies)).content.decode()
    assert "Finish the evaluation of 2025–26 to 2026–27?" in html
    assert "The next cycle, 2027–28 to 2028–29, starts with a draft plan" in html
    assert (
        Cycle.objects.count() == 1
        and not Evaluation.objects.filter(finished_at__isnull=False).exists()
    )

    response = lead.post(finish, form_data(goals, strategies, confirm="1"))
    saved = Evaluation.objects.get(cycle=cycle)
    new = Cycle.objects.get(first_year=2027)
    assert saved.finished_at is not None and saved.next_cycle == new
    assert response["Location"] == cycle_url("plans-assessment", new)
    assert [s.title for s in new.plan.strategies.all()] == ["Weekly coaching cycles"]
    assert saved.goals.count() == 4
    assert AuditEvent.objects.filter(action="monitor.evaluation_finished").exists()

    html = lead.get(response["Location"]).content.decode()
    assert "has started: its plan is a draft with the strategy that continues." in html
    assert "What the last cycle's evaluation found" in html
    assert "Coaching worked where teachers chose their focus." in html
    assert "Partly met" in html and "Continues:</strong> Weekly coaching cycles" in html


def test_finishing_needs_what_was_learned(
    cycle: Cycle, goals: dict[str, Goal], strategies: dict[str, Strategy], lead: Client
) -> None:
    data = form_data(goals, strategies, learned="", confirm="1")
    html = lead.post(cycle_url("monitor-evaluation-finish", cycle), data).content.decode()
    assert "Say what the team learned before finishing the evaluation." in html
    assert Cycle.objects.count() == 1


def test_an_already_started_next_cycle_is_linked_not_copied_into(
    world: World,
    cycle: Cycle,
    goals: dict[str, Goal],
    strategies: dict[str, Strategy],
    lead: Client,
) -> None:
    started = Cycle.objects.create(org=world.school, first_year=2027, years=2)
    html = lead.get(cycle_url("monitor-evaluation", cycle)).content.decode()
    assert "has already been started" in html
    data = form_data(goals, strategies, confirm="1")
    response = lead.post(cycle_url("monitor-evaluation-finish", cycle), data, follow=True)
    html = response.content.decode()
    assert "the next cycle had already been started, so no new cycle was started" in html
    saved = Evaluation.objects.get(cycle=cycle)
    assert saved.finished_at is not None and saved.next_cycle == started
    assert Cycle.objects.count() == 2 and not Plan.objects.filter(cycle=started).exists()
    assert cycle_url("plans-assessment", started) in html


def test_a_finished_evaluation_is_read_only_and_links_to_the_next_cycle(
    cycle: Cycle, goals: dict[str, Goal], strategies: dict[str, Strategy], lead: Client
) -> None:
    data = form_data(goals, strategies, confirm="1")
    lead.post(cycle_url("monitor-evaluation-finish", cycle), data)
    new = Cycle.objects.get(first_year=2027)
    url = cycle_url("monitor-evaluation", cycle)
    html = lead.get(url).content.decode()
    assert "It can no longer be changed." in html and 'name="learned"' not in html
    assert cycle_url("plans-assessment", new) in html
    assert "Continues:</strong> Weekly coaching cycles" in html

    changed = form_data(goals, strategies, learned="Something else", revision="2")
    html = lead.post(url, changed, follow=True).content.decode()
    assert "This evaluation is finished: it can no longer be changed." in html
    again = lead.post(cycle_url("monitor-evaluation-finish", cycle), changed | {"confirm": "1"})
    assert again.status_code == 302
    assert Evaluation.objects.get(cycle=cycle).learned.startswith("Coaching worked")
    assert GoalVerdict.objects.count() == 4 and Cycle.objects.count() == 2


def test_readers_and_outsiders(
    world: World, cycle: Cycle, goals: dict[str, Goal], client_for: SignIn
) -> None:
    viewer = client_for(world.by_role[Role.VIEWER])
    assert viewer.get(cycle_url("monitor-evaluation", cycle)).status_code == 403
    dave = client_for(world.dave)
    assert dave.get(cycle_url("monitor-evaluation", cycle)).status_code == 404
    lead = client_for(world.by_role[Role.TEAM_LEAD])
    assert lead.get(cycle_url("monitor-evaluation-finish", cycle)).status_code == 405
