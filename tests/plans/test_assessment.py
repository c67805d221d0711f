"""The needs assessment: questions, answers, pinned evidence and its removal."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from headway.audit.models import AuditEvent
from headway.explore.models import Finding
from headway.orgs.demo import DEMO_PASSWORD
from headway.orgs.models import Organization
from headway.orgs.roles import Role
from headway.plans.models import Answer, Cycle, Evidence, NeedsAssessment
from tests.conftest import World

SignIn = Callable[..., Client]
NUMBERS = {"value": 0.25, "all_value": 0.4, "gap": -0.15, "n": 44, "all_n": 61, "z": -2.1}


def _url(name: str, cycle: Cycle, *args: object) -> str:
    return reverse(name, args=[cycle.org.code, cycle.code, *args])


def _finding(org: Organization, key: str = "gap|econ", **fields: object) -> Finding:
    values: dict[str, object] = {
        "org": org,
        "key": key,
        "kind": "largest_gap",
        "title": "Economically disadvantaged students: 15 points below all students in math",
        "text": "Economically disadvantaged students: 25% proficient, 15 points below all (40%).",
        "numbers": NUMBERS,
        "filters": {
            "school_year": 2024,
            "subject": "math",
            "grade": "all",
            "group_type": "econ_disadvantaged",
            "group_value": "true",
            "metric": "proficiency_rate",
        },
    }
    return Finding.objects.create(**(values | fields))


# The overview -----------------------------------------------------------------------------


def test_the_overview_shows_the_four_groups_of_questions(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    Answer.objects.create(assessment=cycle.assessment, question="achievement", text="Math lags.")
    html = client_for(world.by_role[Role.TEAM_MEMBER]).get(_url("plans-assessment", cycle))
    text = html.content.decode()
    assert "What the data say, and for whom" in text and "Where to focus" in text
    assert "Math lags." in text and "Not answered yet." in text
    assert "1 of 8 questions answered." in text
    assert 'aria-current="page">Needs assessment</a>' in text
    assert _url("plans-answer", cycle, "groups") in text and "Pin evidence" in text


def test_a_reviewer_reads_the_assessment_without_buttons_to_change_it(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    html = client_for(world.by_role[Role.REVIEWER]).get(_url("plans-assessment", cycle))
    assert html.status_code == 200 and "Write the answer" not in html.content.decode()


def test_community_viewers_may_not_read_the_assessment(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.by_role[Role.VIEWER])
    assert client.get(_url("plans-assessment", cycle)).status_code == 403


def test_the_overview_lists_pinned_findings_not_yet_used(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    used = _finding(world.school, state=Finding.State.PINNED, title="Used finding")
    _finding(world.school, key="other", state=Finding.State.PINNED, title="Unused finding")
    _finding(world.school, key="drafted", title="Only drafted")
    Evidence.objects.create(
        assessment=cycle.assessment, question="groups", finding=used, title="Used", link="/"
    )
    html = client_for(world.alice).get(_url("plans-assessment", cycle)).content.decode()
    unused = html.split('id="unused-h"')[1]
    assert "Unused finding" in unused and "Used finding" not in unused
    assert "Only drafted" not in unused


# Answers ----------------------------------------------------------------------------------


def test_a_team_member_writes_an_answer(world: World, cycle: Cycle, client_for: SignIn) -> None:
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    url = _url("plans-answer", cycle, "achievement")
    form = client.get(url).content.decode()
    assert "What do your students&#x27; results tell you?" in form and "Your answer" in form
    assert "Start from the results page" in form and 'name="revision" value="1"' in form
    response = client.post(url, {"text": "Math proficiency fell.", "revision": "1"})
    assert response.status_code == 302
    assert response["Location"] == _url("plans-assessment", cycle) + "#q-achievement"
    answer = Answer.objects.get(assessment=cycle.assessment, question="achievement")
    assert (answer.text, answer.revision) == ("Math proficiency fell.", 2)
    assert answer.updated_by == world.by_role[Role.TEAM_MEMBER]
    assert AuditEvent.objects.filter(action="plan.answer_saved").exists()


def test_two_people_answering_at_once_see_each_others_version(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    url = _url("plans-answer", cycle, "groups")
    first = client_for(world.by_role[Role.TEAM_LEAD])
    first.get(url)
    first.post(url, {"text": "English learners.", "revision": "1"})
    second = client_for(world.by_role[Role.TEAM_MEMBER])
    response = second.post(url, {"text": "Students with disabilities.", "revision": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "Someone else saved first" in html
    assert "The answer was changed by someone else while you were editing." in html
    assert "English learners." in html and "Students with disabilities." in html
    assert 'name="revision" value="2"' in html
    answer = Answer.objects.get(assessment=cycle.assessment, question="groups")
    assert (answer.text, answer.revision) == ("English learners.", 2)
    second.post(url, {"text": "Students with disabilities.", "revision": "2"})
    answer.refresh_from_db()
    assert (answer.text, answer.revision) == ("Students with disabilities.", 3)


def test_an_unknown_question_is_not_found(world: World, cycle: Cycle, client_for: SignIn) -> None:
    client = client_for(world.alice)
    assert client.get(_url("plans-answer", cycle, "weather")).status_code == 404
    assert client.get(_url("plans-pin", cycle, "weather")).status_code == 404
    assert not Answer.objects.exists()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.VIEWER, Role.DATA_STEWARD])
def test_people_who_do_not_contribute_may_not_write(
    world: World, cycle: Cycle, client_for: SignIn, role: Role
) -> None:
    client = client_for(world.by_role[role])
    url = _url("plans-answer", cycle, "achievement")
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "x", "revision": "1"}).status_code == 403
    assert not Answer.objects.exists()


def test_another_districts_admin_cannot_tell_the_cycle_exists(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    client = client_for(world.dave)
    assert client.get(_url("plans-assessment", cycle)).status_code == 404
    assert client.get(_url("plans-answer", cycle, "achievement")).status_code == 404


# Pinning findings -------------------------------------------------------------------------


def test_pinning_keeps_the_findings_words_and_numbers_as_they_were(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    finding = _finding(world.school)
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    url = _url("plans-pin", cycle, "groups")
    assert finding.title in client.get(url).content.decode()
    data = {"action": "findings", "findings": [str(finding.code)], "note": "Our biggest gap."}
    response = client.post(url, data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(assessment=cycle.assessment, question="groups")
    assert (evidence.finding, evidence.title, evidence.note) == (
        finding,
        finding.title,
        "Our biggest gap.",
    )
    assert evidence.link == (
        reverse("explore-results", args=[world.school.code]) + "?" + finding.chart_query
    )
    assert evidence.frozen["text"] == finding.text and evidence.frozen["numbers"] == NUMBERS
    assert evidence.frozen["pinned_from"] == "finding" and evidence.frozen["at"]
    finding.text, finding.numbers = "Now 30% proficient.", {**NUMBERS, "value": 0.3}
    finding.save()
    evidence.refresh_from_db()
    assert evidence.frozen["text"].endswith("(40%).") and evidence.frozen["numbers"] == NUMBERS
    html = client.get(_url("plans-assessment", cycle)).content.decode()
    assert "15 points below all (40%)." in html and "Now 30% proficient." not in html
    assert "Changed since" in html and "See it live" in html and "Our biggest gap." in html
    assert "Gap to all students" in html and "−15 points" in html and "25%" in html
    assert "Pinned on" in html and "by Team_Member" in html


def test_pinning_the_same_finding_twice_is_refused(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    finding = _finding(world.school)
    client = client_for(world.alice)
    url = _url("plans-pin", cycle, "groups")
    data = {"action": "findings", "findings": [str(finding.code)]}
    client.post(url, data)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Already pinned to this question" in response.content.decode()
    assert Evidence.objects.count() == 1
    assert client.post(_url("plans-pin", cycle, "equity"), data).status_code == 302
    assert Evidence.objects.count() == 2


def test_another_organizations_findings_cannot_be_pinned(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    _finding(world.school, title="Ours")
    theirs = _finding(world.other_school, title="Elm Street's")
    dismissed = _finding(world.school, key="d", title="Dismissed", state=Finding.State.DISMISSED)
    client = client_for(world.alice)
    url = _url("plans-pin", cycle, "groups")
    page = client.get(url).content.decode()
    assert "Ours" in page and "Elm Street&#x27;s" not in page and "Dismissed" not in page
    for finding in (theirs, dismissed):
        response = client.post(url, {"action": "findings", "findings": [str(finding.code)]})
        assert response.status_code == 200
        assert "not one of this organization&#x27;s findings" in response.content.decode()
    assert not Evidence.objects.exists()


def test_pinning_without_a_finding_ticked_says_so(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    _finding(world.school)
    response = client_for(world.alice).post(
        _url("plans-pin", cycle, "groups"), {"action": "findings"}
    )
    assert "Tick at least one finding to pin." in response.content.decode()


def test_the_pin_page_explains_where_findings_come_from(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    html = client_for(world.alice).get(_url("plans-pin", cycle, "groups")).content.decode()
    assert "Alder Creek Elementary has no findings yet." in html
    assert reverse("explore-results", args=[world.school.code]) in html


def test_a_reviewer_may_not_pin(world: World, cycle: Cycle, client_for: SignIn) -> None:
    finding = _finding(world.school)
    client = client_for(world.by_role[Role.REVIEWER])
    url = _url("plans-pin", cycle, "groups")
    assert client.get(url).status_code == 403
    data = {"action": "findings", "findings": [str(finding.code)]}
    assert client.post(url, data).status_code == 403


# Removing evidence ------------------------------------------------------------------------


def test_removing_evidence_asks_first(world: World, cycle: Cycle, client_for: SignIn) -> None:
    evidence = Evidence.objects.create(
        assessment=cycle.assessment, question="trends", title="Math is falling", link="/"
    )
    client = client_for(world.by_role[Role.TEAM_MEMBER])
    url = _url("plans-evidence-remove", cycle, evidence.code)
    page = client.get(url).content.decode()
    assert "Remove “Math is falling”?" in page and "Remove the evidence" in page
    response = client.post(url)
    assert response["Location"] == _url("plans-assessment", cycle) + "#q-trends"
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.filter(action="plan.evidence_removed").exists()


def test_evidence_of_another_cycle_cannot_be_removed(
    world: World, cycle: Cycle, client_for: SignIn
) -> None:
    other = Cycle.objects.create(org=world.school, first_year=2030)
    evidence = Evidence.objects.create(
        assessment=cycle.assessment, question="trends", title="t", link="/"
    )
    client = client_for(world.alice)
    assert client.post(_url("plans-evidence-remove", other, evidence.code)).status_code == 404
    assert (
        client_for(world.by_role[Role.REVIEWER])
        .post(_url("plans-evidence-remove", cycle, evidence.code))
        .status_code
        == 403
    )
    assert Evidence.objects.count() == 1


# Pinning a figure of the results page -----------------------------------------------------

FIGURE = {
    "year": "2025",
    "subject": "math",
    "grade": "all",
    "metric": "proficiency_rate",
    "compare": "race_ethnicity",
}


def _demo_client(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    return client


def _demo_cycle(district: Organization) -> Cycle:
    cycle = Cycle.objects.create(org=district.children.get(local_id="0101"), first_year=2025)
    NeedsAssessment.objects.create(cycle=cycle)
    return cycle


def test_a_figure_of_the_results_page_is_pinned_with_its_rows_as_shown(
    demo_results: Organization,
) -> None:
    cycle = _demo_cycle(demo_results)
    url = _url("plans-pin", cycle, "groups") + "?" + urlencode(FIGURE | {"title": "Math by race"})
    teacher = _demo_client("teacher@headway.example")
    form = teacher.get(url).content.decode()
    assert 'value="Math by race"' in form and "Pin this figure" in form
    data = {"action": "figure", "figure-title": "Math by race", "figure-note": "Look."}
    response = teacher.post(url, data | {f"figure-{k}": v for k, v in FIGURE.items()})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    rows = evidence.frozen["rows"]
    assert evidence.frozen["audience"] == "internal" and evidence.frozen["pinned_from"] == "results"
    assert rows[0]["label"] == "All students"
    assert {r["group_type"] for r in rows} == {"all", "race_ethnicity"}
    assert evidence.link.endswith("?" + urlencode(FIGURE))
    small = next(r for r in rows if r["public"]["display"] == "n<10")
    member = _demo_client("member@headway.example")
    html = member.get(_url("plans-assessment", cycle)).content.decode()
    line = html.split(f'<th scope="row">{small["label"]}</th>')[1].split("</tr>")[0]
    assert "n&lt;10" in line and f">{small['n']}<" not in line
    assert teacher.post(url, data).status_code == 200  # the same figure twice
    assert Evidence.objects.count() == 1


def test_a_figure_pinned_without_student_access_keeps_only_public_numbers(
    demo_results: Organization,
) -> None:
    cycle = _demo_cycle(demo_results)
    member = _demo_client("member@headway.example")
    url = _url("plans-pin", cycle, "groups") + "?" + urlencode(FIGURE)
    preview = member.get(url).content.decode()
    assert "n&lt;10" in preview and "Proficient · Mathematics · 2025–26" in preview
    member.post(url, {"action": "figure", "figure-title": "Math"})
    rows = Evidence.objects.get().frozen["rows"]
    assert all(r["n"] is None and r["value"] is None for r in rows if r["display"] == "n<10")
    assert all(r["audience"] == "public" for r in rows)


def test_the_results_page_links_its_figures_to_the_needs_assessment(
    demo_results: Organization,
) -> None:
    cycle = _demo_cycle(demo_results)
    results = reverse("explore-results", args=[cycle.org.code]) + "?" + urlencode(FIGURE)
    page = _demo_client("member@headway.example").get(results).content.decode()
    link = re.search(r'<a href="([^"]+)">Pin these figures to the needs assessment</a>', page)
    assert link is not None
    pin_page = _demo_client("member@headway.example").get(link.group(1).replace("&amp;", "&"))
    assert "Pin this figure" in pin_page.content.decode()
    viewer = _demo_client("parent@headway.example").get(results).content.decode()
    assert "Pin these figures" not in viewer
