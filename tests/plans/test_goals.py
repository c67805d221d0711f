"""SMART goals: baselines from the imported data, suppression, the equity rule and edits.

The data-backed tests use the demo district (tests/explore/conftest.py ``demo_results``):
three school years from 2023–24, so a plan starting in 2025–26 has 2024–25 as its
baseline year. Lena (staff) may see student records and so internal figures; Priya (team
lead) and Marcus (team member) see what the public sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from django.test import Client
from django.urls import reverse

from headway.accounts.models import User
from headway.audit.models import AuditEvent
from headway.explore import cube
from headway.explore.cube import Audience
from headway.orgs.demo import DEMO_PASSWORD
from headway.orgs.models import Organization
from headway.orgs.roles import Role
from headway.plans.models import Cycle, Goal, NeedsAssessment
from tests.conftest import World
from tests.explore.conftest import SGP, import_file, needs_shared

ALDER = "0101"
SignIn = Callable[[User | None], Client]


def _url(name: str, cycle: Cycle, *extra: Any) -> str:
    return reverse(name, args=[cycle.org.code, cycle.code, *extra])


def _form(**changes: Any) -> dict[str, Any]:
    """A complete goal form for the fixture school (which has no data)."""
    data = {
        "statement": "More of our students are proficient in math.",
        "kind": "catalog",
        "metric": "proficiency_rate",
        "subject": "all",
        "grade": "all",
        "group": "all:all",
        "compare": "",
        "baseline_year": "",
        "target": "55",
        "target_year": "2026",
        "direction": "",
        "action": "save",
    }
    return data | changes


# --- without data: the form, its checks, the equity rule, conflicts ------------------------------


def test_it_lists_no_goals_with_a_helpful_empty_state(cycle: Cycle, client_for: SignIn) -> None:
    world_member = User.objects.get(email="team_member@example.org")
    page = client_for(world_member).get(_url("plans-goals", cycle)).content.decode()
    assert "No goals yet." in page and "Add a goal" in page
    assert "No goal closes a gap between student groups yet." in page


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.VIEWER, 403), (Role.REVIEWER, 200), (Role.TEAM_MEMBER, 200)],
)
def test_reading_the_goals_needs_internal_access(
    world: World, cycle: Cycle, client_for: SignIn, role: Role, status: int
) -> None:
    response = client_for(world.by_role[role]).get(_url("plans-goals", cycle))
    assert response.status_code == status


def test_outsiders_do_not_learn_the_goals_exist(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    assert client_for(world.dave).get(_url("plans-goals", cycle)).status_code == 404


@pytest.mark.parametrize("name", ["plans-goal-create"])
def test_adding_a_goal_needs_contribute(
    world: World, cycle: Cycle, client_for: SignIn, name: str
) -> None:
    reviewer = client_for(world.by_role[Role.REVIEWER])
    assert reviewer.get(_url(name, cycle)).status_code == 403
    assert reviewer.post(_url(name, cycle), _form()).status_code == 403
    assert not Goal.objects.exists()


def test_it_saves_a_goal_stores_rates_as_shares_and_shows_its_checks(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    response = client.post(_url("plans-goal-create", cycle), _form())
    goal = Goal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{goal.code}")
    assert goal.target == pytest.approx(0.55) and goal.target_year == 2026
    assert goal.direction == Goal.Direction.INCREASE and goal.baseline is None
    assert AuditEvent.objects.filter(action="plan.goal_created").exists()
    page = client.get(_url("plans-goals", cycle)).content.decode()
    assert "More of our students are proficient in math." in page
    assert "55% by 2026–27" in page
    assert "No results for these students before the plan starts." in page
    assert "There are no results for Proficient ·" not in page  # subject "all"
    assert "Time-bound" in page and "The target is due by the end of 2026–27" in page


def test_the_direction_defaults_to_lower_for_chronic_absence(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    client.post(_url("plans-goal-create", cycle), _form(metric="chronic_absence_rate", target="8"))
    goal = Goal.objects.get()
    assert goal.direction == Goal.Direction.DECREASE and goal.subject == "all"


def test_a_target_outside_0_to_100_percent_names_the_field(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    page = client.post(_url("plans-goal-create", cycle), _form(target="150")).content.decode()
    assert "Target: Enter a percent from 0 to 100, for example 55 for 55%." in page
    assert not Goal.objects.exists()


def test_a_target_year_outside_the_plan_names_the_field(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    page = client.post(_url("plans-goal-create", cycle), _form(target_year="2030")).content
    assert (
        "Target school year: Choose a school year within the plan, 2025–26 to 2026–27."
        in page.decode()
    )
    assert not Goal.objects.exists()


def test_another_measure_must_be_named_and_an_activity_is_not_a_result(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    url = _url("plans-goal-create", cycle)
    unnamed = client.post(url, _form(kind="other", metric="")).content.decode()
    assert "Other measure: Name the measure" in unnamed
    client.post(
        url, _form(kind="other", metric="", measure="Hold weekly PLCs", measure_kind="activity")
    )
    goal = Goal.objects.get()
    assert goal.metric == "" and goal.target == pytest.approx(55)  # no scale to convert
    page = client.get(_url("plans-goals", cycle)).content.decode()
    assert "an activity for adults, not a result for students" in page
    assert "Headway has no data for “Hold weekly PLCs”" in page


def test_a_preview_checks_the_goal_without_saving_it(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    page = client.post(_url("plans-goal-create", cycle), _form(action="preview")).content
    assert "SMART check" in page.decode() and not Goal.objects.exists()


def _goal(cycle: Cycle, **fields: Any) -> Goal:
    values: dict[str, Any] = {
        "statement": "Math proficiency rises.",
        "metric": "proficiency_rate",
        "target": 0.55,
        "target_year": cycle.last_year,
    }
    return Goal.objects.create(assessment=cycle.assessment, **(values | fields))


def test_two_people_editing_one_goal_do_not_overwrite_each_other(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    goal = _goal(cycle)
    url = _url("plans-goal-edit", cycle, goal.code)
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    first = client.post(url, _form(revision="1", statement="Theirs.", target="60"))
    assert first.status_code == 302
    mine = _form(revision="1", statement="Mine.", target="70", group="english_learner:true")
    page = client.post(url, mine).content.decode()
    assert "Someone else saved first" in page and "This goal was changed by someone else" in page
    assert "<td>Theirs.</td><td>Mine.</td>" in page
    assert "<td>All students</td><td>English learners</td>" in page  # words, not codes
    goal.refresh_from_db()
    assert goal.statement == "Theirs." and goal.target == pytest.approx(0.60)
    assert 'name="revision" value="2"' in page
    again = client.post(url, mine | {"revision": "2"})
    goal.refresh_from_db()
    assert again.status_code == 302 and goal.statement == "Mine." and goal.revision == 3


def test_interim_targets_are_asked_for_each_year_before_the_target_year(
    world: World, client_for: SignIn
) -> None:
    long = Cycle.objects.create(org=world.school, first_year=2025, years=3)
    NeedsAssessment.objects.create(cycle=long)
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    page = client.get(_url("plans-goal-create", long)).content.decode()
    assert 'name="interim_2025"' in page and 'name="interim_2026"' in page
    assert 'name="interim_2027"' not in page  # the last year holds the target
    client.post(_url("plans-goal-create", long), _form(target_year="2027", interim_2025="45"))
    # Typed as a percent, kept as a share; without a baseline nothing is filled in evenly.
    assert Goal.objects.get().interim == {"2025": pytest.approx(0.45)}


def test_a_one_year_plan_asks_for_no_interim_targets(world: World, client_for: SignIn) -> None:
    short = Cycle.objects.create(org=world.school, first_year=2025, years=1)
    NeedsAssessment.objects.create(cycle=short)
    page = client_for(world.by_role[Role.TEAM_MEMBER]).get(_url("plans-goal-create", short))
    assert "Interim targets" not in page.content.decode()


def test_removing_a_goal_asks_first(world: World, cycle: Cycle, client_for: SignIn) -> None:
    goal = _goal(cycle, group_type="english_learner", group_value="true")
    goal.compare_type, goal.compare_value = "english_learner", "false"
    goal.save()
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    url = _url("plans-goal-remove", cycle, goal.code)
    page = client.get(url).content.decode()
    assert "Remove this goal?" in page and "only goal on a gap" in page
    assert Goal.objects.exists()
    assert client.post(url).status_code == 302 and not Goal.objects.exists()


# --- the equity rule ----------------------------------------------------------------------------


def test_a_gap_goal_satisfies_the_equity_rule(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    form = _form(group="english_learner:true", compare="english_learner:false", target="10")
    page = client.post(_url("plans-goal-create", cycle), form, follow=True).content.decode()
    goal = Goal.objects.get()
    assert goal.is_gap and goal.direction == Goal.Direction.DECREASE
    assert goal.target == pytest.approx(0.10)
    assert "At least one goal closes a gap between student groups." in page
    assert "Equity goal: closing a gap" in page
    assert 'name="equity_reason"' not in page


def test_a_reason_satisfies_the_equity_rule_and_is_saved_with_its_revision(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    url = _url("plans-goals", cycle)
    reason = "Our groups are within two points of each other in every subject."
    response = client.post(url, {"equity_reason": reason, "revision": "1"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "No goal closes a gap, and the team has said why." in page and reason in page
    stale = client.post(url, {"equity_reason": "Another reason.", "revision": "1"})
    assert "Someone else saved first" in stale.content.decode()
    assert NeedsAssessment.objects.get(cycle=cycle).equity_reason == reason


def test_a_reader_cannot_save_the_equity_reason(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    reviewer = client_for(world.by_role[Role.REVIEWER])
    response = reviewer.post(_url("plans-goals", cycle), {"equity_reason": "x", "revision": "1"})
    assert response.status_code == 403


# --- with the demo district's data ---------------------------------------------------------------


def _demo_client(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    return client


def _demo_cycle(district: Organization) -> Cycle:
    school = district.children.get(local_id=ALDER)
    cycle = Cycle.objects.create(org=school, first_year=2025, years=2)
    NeedsAssessment.objects.create(cycle=cycle)
    return cycle


def _results_row(page: str, label: str) -> tuple[str, str]:
    """(students, figure) of a group's row in the results page's table by group (the
    chart's fallback table, on one line, lists the same groups first)."""
    found = re.search(
        rf'<tr>\n\s+<th scope="row">{re.escape(label)}</th>\s*<td class="num">([^<]*)</td>\s*'
        r'<td class="num">([^<]*)</td>',
        page,
    )
    assert found, label
    return found.group(1), found.group(2)


def _el_math_2024(district: Organization, english_learner: str) -> dict[str, Any]:
    """Alder Creek's internal 2024–25 math proficiency cell of (not) English learners."""
    frame = cube.load(district, Audience.INTERNAL).frame.filter(
        (pl.col("org_code") == ALDER)
        & (pl.col("school_year") == 2024)
        & (pl.col("subject") == "math")
        & (pl.col("grade") == "all")
        & (pl.col("metric") == "proficiency_rate")
        & (pl.col("group_type") == "english_learner")
        & (pl.col("group_value") == english_learner)
    )
    return frame.row(0, named=True)


def test_a_goals_baseline_comes_from_the_data_and_matches_the_results_page(
    demo_results: Organization,
) -> None:
    cycle = _demo_cycle(demo_results)
    teacher = _demo_client("teacher@headway.example")
    form = _form(group="english_learner:true", subject="math", target="60")
    response = teacher.post(_url("plans-goal-create", cycle), form)
    assert response.status_code == 302
    goal = Goal.objects.get()
    cell = _el_math_2024(demo_results, "true")
    assert goal.baseline_year == 2024 and goal.baseline == pytest.approx(cell["value"])
    assert goal.baseline_n == cell["n"]
    # Halfway along the straight line from the baseline (2024) to 60 % (2026).
    assert goal.interim == {"2025": pytest.approx((cell["value"] + 0.60) / 2)}

    results = reverse("explore-results", args=[cycle.org.code])
    query = "?year=2024&subject=math&grade=all&metric=proficiency_rate&compare=english_learner"
    n, figure = _results_row(teacher.get(results + query).content.decode(), "English learners")
    page = teacher.get(_url("plans-goals", cycle)).content.decode()
    assert f"<strong>{figure}</strong> in 2024–25 ({n} students)" in page
    assert f"{results}?subject=math" in page  # a link to the same figures
    assert "Attainable" in page

    # A gap goal's baseline: how many points English learners are behind the others.
    gap = _el_math_2024(demo_results, "false")["value"] - cell["value"]
    form = _form(group="english_learner:true", compare="english_learner:false", subject="math")
    teacher.post(_url("plans-goal-create", cycle), form | {"target": "5"})
    gap_goal = Goal.objects.get(compare_value="false")
    assert gap_goal.baseline == pytest.approx(gap) and gap_goal.direction == "decrease"
    page = teacher.get(_url("plans-goals", cycle)).content.decode()
    shown = f"<strong>{gap * 100:.1f} points</strong> in 2024–25".replace(".0 ", " ")
    assert shown in page
    lead = _demo_client("lead@headway.example").get(_url("plans-goals", cycle)).content.decode()
    assert shown not in lead and "<strong>English learners: " in lead  # its hidden side


def _small_group_cell(district: Organization) -> dict[str, Any]:
    """Alder Creek's first 2024–25 proficiency cell hidden from the public as too small."""
    frame = cube.load(district, Audience.INTERNAL).frame.filter(
        (pl.col("org_code") == ALDER)
        & (pl.col("school_year") == 2024)
        & (pl.col("metric") == "proficiency_rate")
        & (pl.col("grade") == "all")
        & (pl.col("subject") != "all")
        & (pl.col("reason") == "MIN_N")
    )
    return frame.sort("subject", "group_type", "group_value").row(0, named=True)


def test_a_small_groups_baseline_shows_as_suppressed_without_student_access(
    demo_results: Organization,
) -> None:
    cell = _small_group_cell(demo_results)
    cycle = _demo_cycle(demo_results)
    goal = _goal(
        cycle,
        subject=cell["subject"],
        group_type=cell["group_type"],
        group_value=cell["group_value"],
        target=0.9,
    )
    exact = f"<strong>{cell['value'] * 100:.0f}%</strong>"

    lead = _demo_client("lead@headway.example").get(_url("plans-goals", cycle)).content.decode()
    assert "<strong>n&lt;10</strong> in 2024–25" in lead and exact not in lead
    assert "The group is too small to report" in lead
    assert "as the public sees them" in lead

    teacher = _demo_client("teacher@headway.example")
    internal = teacher.get(_url("plans-goals", cycle)).content.decode()
    assert exact in internal and "The group is too small to report" not in internal

    # Saved by someone who sees only public figures, the goal keeps no hidden number.
    edit = _demo_client("lead@headway.example").post(
        _url("plans-goal-edit", cycle, goal.code),
        _form(
            revision="1",
            subject=cell["subject"],
            group=f"{cell['group_type']}:{cell['group_value']}",
            target="90",
        ),
    )
    assert edit.status_code == 302
    goal.refresh_from_db()
    assert goal.baseline is None and goal.baseline_year == 2024 and goal.baseline_n is None


def test_interim_targets_do_not_give_away_a_hidden_baseline(demo_results: Organization) -> None:
    cell = _small_group_cell(demo_results)
    cycle = _demo_cycle(demo_results)
    _goal(
        cycle,
        subject=cell["subject"],
        group_type=cell["group_type"],
        group_value=cell["group_value"],
        target=0.9,
        interim={str(cycle.first_year): 0.8137},  # drawn from the hidden baseline
    )
    lead = _demo_client("lead@headway.example").get(_url("plans-goals", cycle)).content.decode()
    teacher = _demo_client("teacher@headway.example").get(_url("plans-goals", cycle))
    assert "81%" not in lead and "90%" in lead
    assert "81%" in teacher.content.decode()


def test_attainability_compares_with_similar_schools_in_the_demo(
    demo_results: Organization,
) -> None:
    cycle = _demo_cycle(demo_results)
    _goal(cycle, subject="math", target=0.99)
    page = _demo_client("teacher@headway.example").get(_url("plans-goals", cycle))
    text = page.content.decode()
    # Two other elementary schools, two yearly changes each: too few to judge.
    assert "Cannot tell yet" in text and "only 4 yearly changes of similar schools" in text


@needs_shared
def test_attainability_of_a_goal_on_imported_sgp_data(world: World, client_for: SignIn) -> None:
    import_file(world.district, SGP)
    school = world.district.children.get(local_id="1851")
    cycle = Cycle.objects.create(org=school, first_year=2025, years=2)
    NeedsAssessment.objects.create(cycle=cycle)
    alice = client_for(world.alice)
    alice.post(_url("plans-goal-create", cycle), _form(subject="math", target="99"))
    goal = Goal.objects.get()
    assert goal.baseline_year == 2024 and goal.baseline is not None
    page = alice.get(_url("plans-goals", cycle)).content.decode()
    assert "Unrealistic:" in page and "similar schools in the network" in page
