"""Beginning- and end-of-year snapshots: taken from the aggregate table, compared side by side."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.test import Client
from django.urls import reverse

from headway.audit.models import AuditEvent
from headway.data.core.aggregates import SCHEMA, SUPPRESSION_SCHEMA
from headway.explore import cube
from headway.explore.cube import Audience
from headway.orgs.demo import DEMO_PASSWORD
from headway.orgs.models import Organization
from headway.plans import snapshots as snaps
from headway.plans.models import Cycle, NeedsAssessment, Snapshot

ALDER = "0101"


def _row(year: int, value: float | None, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "org_code": ALDER,
        "org_level": "school",
        "school_year": year,
        "subject": "math",
        "grade": "all",
        "group_type": "all",
        "group_value": "all",
        "metric": "proficiency_rate",
        "n": 60,
        "count": None,
        "value": value,
        "ci_low": None,
        "ci_high": None,
        "se": None,
        "suppressed": False,
        "reason": "",
        "display": "",
    }
    return row | fields


def _frame(*rows: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=SCHEMA | SUPPRESSION_SCHEMA)


# The pure part ----------------------------------------------------------------------------


def test_a_snapshot_keeps_the_key_figures_of_the_newest_year_up_to_its_own() -> None:
    frame = _frame(
        _row(2024, 0.30),
        _row(2025, 0.35),
        _row(2026, 0.99),  # a later year is not known at the snapshot's time
        _row(2024, 0.10, metric="chronic_absence_rate", subject="all"),
        _row(2025, 0.50, metric="participation_rate"),  # not a key figure
        _row(2025, 0.20, grade="03"),  # not all grades
        _row(2025, 0.20, org_code="0102"),  # another school
    )
    figures = snaps.extract(frame, ALDER, 2025, Audience.INTERNAL)
    assert [(f["metric"], f["school_year"], f["display"]) for f in figures] == [
        ("proficiency_rate", 2025, "35%"),
        ("chronic_absence_rate", 2024, "10%"),
    ]
    assert figures[0]["label"] == "All students" and figures[0]["audience"] == "internal"
    assert snaps.extract(frame, ALDER, 2020, Audience.INTERNAL) == []


def test_an_internal_figure_carries_what_the_public_sees_of_it() -> None:
    small = _row(2025, 0.6, group_type="race_ethnicity", group_value="AS", n=5)
    small |= {"suppressed": True, "reason": "MIN_N", "display": "n<10"}
    coded = _row(2025, 0.03, group_type="sex", group_value="F", n=30)
    coded |= {"reason": "BOTTOM_CODE", "display": "≤5%"}
    figures = snaps.extract(_frame(small, coded), ALDER, 2025, Audience.INTERNAL)
    by_group = {f["group_type"]: f for f in figures}
    assert by_group["race_ethnicity"]["display"] == "60%"
    assert by_group["race_ethnicity"]["public"] == {"n": None, "value": None, "display": "n<10"}
    assert by_group["sex"]["public"] == {"n": 30, "value": None, "display": "≤5%"}
    public = snaps.shown(by_group["race_ethnicity"], internal=False)
    assert (public["n"], public["value"], public["display"]) == (None, None, "n<10")
    assert snaps.shown(by_group["race_ethnicity"], internal=True)["n"] == 5


def test_the_comparison_shows_the_change_in_points_where_it_may() -> None:
    def taken(year: int, everyone: float, group: float, n: int) -> list[snaps.Figure]:
        rows = _frame(
            _row(year, everyone),
            _row(year, group, group_type="english_learner", group_value="true", n=n),
            _row(year, 300.0, metric="mean_scale_score"),
        )
        return snaps.extract(rows, ALDER, 2025, Audience.INTERNAL)

    beginning, end = taken(2024, 0.30, 0.20, 12), taken(2025, 0.334, 0.10, 25)
    end[-1]["value"] = 296.4
    measures = snaps.compare(beginning, end, school_year=2025, internal=True, change_n=20)
    proficiency, scores = measures
    assert (proficiency.title, proficiency.in_points) == ("Proficient · Mathematics", True)
    assert [(r.label, r.change) for r in proficiency.rows] == [
        ("All students", "+3"),
        ("English learners", "\N{MINUS SIGN}10"),
    ]
    assert proficiency.rows[0].beginning_from == "2024–25" and proficiency.rows[0].end_from == ""
    assert [r.change for r in scores.rows] == ["\N{MINUS SIGN}4"] and not scores.in_points
    public = snaps.compare(beginning, end, school_year=2025, internal=False, change_n=20)
    assert [r.change for r in public[0].rows] == ["+3", ""]  # 12 students: too few


def test_a_figure_present_at_one_moment_only_has_no_change() -> None:
    end = snaps.extract(_frame(_row(2025, 0.4)), ALDER, 2025, Audience.PUBLIC)
    (measure,) = snaps.compare([], end, school_year=2025, internal=False, change_n=10)
    assert measure.rows[0].beginning is None and measure.rows[0].change == ""


# Taking and showing snapshots of the demo district ----------------------------------------


def _client(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    return client


def _alder_cycle(district: Organization) -> Cycle:
    school = district.children.get(local_id=ALDER)
    cycle = Cycle.objects.create(org=school, first_year=2024, years=2)
    NeedsAssessment.objects.create(cycle=cycle)
    return cycle


def _url(cycle: Cycle) -> str:
    return reverse("plans-snapshots", args=[cycle.org.code, cycle.code])


def _everyone_math(figures: list[snaps.Figure]) -> snaps.Figure:
    return next(
        f
        for f in figures
        if f["metric"] == "proficiency_rate" and f["subject"] == "math" and f["group_type"] == "all"
    )


def test_the_two_snapshots_of_a_year_are_compared_side_by_side(
    demo_results: Organization,
) -> None:
    cycle = _alder_cycle(demo_results)
    internal = cube.load(demo_results, Audience.INTERNAL).frame
    # The beginning of 2025–26 was taken before that year's results came in.
    before = snaps.extract(
        internal.filter(pl.col("school_year") <= 2024), ALDER, 2025, Audience.INTERNAL
    )
    cycle.assessment.snapshots.create(school_year=2025, moment="beginning", figures=before)
    teacher = _client("teacher@headway.example")
    empty = teacher.get(_url(cycle)).content.decode()
    assert "Take the end-of-year snapshot" in empty
    response = teacher.post(_url(cycle), {"school_year": "2025", "moment": "end"})
    assert response.status_code == 302 and response["Location"] == _url(cycle) + "?year=2025"
    end = Snapshot.objects.get(moment="end")
    assert end.school_year == 2025 and snaps.audience_of(end.figures) is Audience.INTERNAL
    assert {f["school_year"] for f in end.figures} == {2025}
    assert AuditEvent.objects.get(action="plan.snapshot_taken").detail["audience"] == "internal"
    html = " ".join(teacher.get(_url(cycle) + "?year=2025").content.decode().split())
    first, last = _everyone_math(before), _everyone_math(end.figures)
    moved = round(last["value"] * 100) - round(first["value"] * 100)
    change = f"+{moved}" if moved > 0 else f"\N{MINUS SIGN}{abs(moved)}" if moved else "0"
    expected = (
        f'<td class="num">{first["display"]} <span class="muted">({first["n"]} students)'
        f'</span><br><span class="muted">figures of 2024–25</span></td> '
        f'<td class="num">{last["display"]} <span class="muted">({last["n"]} students)'
        f'</span></td> <td class="num">{change}</td>'
    )
    assert expected in html and "Internal figures." in html
    assert "Proficient · Mathematics" in html and "Chronically absent" in html


def test_a_snapshot_is_never_taken_twice(demo_results: Organization) -> None:
    cycle = _alder_cycle(demo_results)
    member = _client("member@headway.example")
    data = {"school_year": "2024", "moment": "beginning"}
    member.post(_url(cycle), data)
    taken = Snapshot.objects.get()
    again = member.post(_url(cycle), data, follow=True).content.decode()
    assert "was already taken on" in again and "cannot be taken again" in again
    assert Snapshot.objects.get() == taken
    assert _client("reviewer@headway.example").post(_url(cycle), data).status_code == 404
    assert member.post(_url(cycle), {"school_year": "2031", "moment": "end"}).status_code == 302
    assert Snapshot.objects.count() == 1


def test_people_without_student_access_see_no_small_group_numbers(
    demo_results: Organization,
) -> None:
    cycle = _alder_cycle(demo_results)
    _client("teacher@headway.example").post(_url(cycle), {"school_year": "2025", "moment": "end"})
    stored = Snapshot.objects.get().figures
    small = next(
        f for f in stored if f["public"]["display"] == "n<10" and f["metric"] == "proficiency_rate"
    )
    html = _client("member@headway.example").get(_url(cycle) + "?year=2025").content.decode()
    row = html.split(f'<th scope="row">{small["label"]}</th>')
    assert "n&lt;10" in html and "Internal figures." not in html
    assert "as the public does" in html
    hidden_rows = [part.split("</tr>")[0] for part in row[1:]]
    assert hidden_rows and all(f"({small['n']} student" not in part for part in hidden_rows)
    member = _client("member@headway.example")
    member.post(_url(cycle), {"school_year": "2025", "moment": "beginning"})
    public = Snapshot.objects.get(moment="beginning").figures
    assert snaps.audience_of(public) is Audience.PUBLIC
    assert all(f["n"] is None for f in public if f["display"] == "n<10")


def test_the_snapshot_page_says_what_a_snapshot_is_when_there_is_none(
    demo_results: Organization,
) -> None:
    cycle = _alder_cycle(demo_results)
    page = _client("lead@headway.example").get(_url(cycle) + "?year=2024").content.decode()
    assert "No snapshot of 2024–25 yet." in page and "Take the beginning-of-year snapshot" in page
    assert 'aria-current="page"><strong>2024–25</strong>' in page
