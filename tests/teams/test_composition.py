"""The composition checklist on crafted rosters: every rule met and not met."""

from __future__ import annotations

import pytest

from headway.teams.composition import RULES, Line, Seat, checklist
from headway.teams.models import Category, CustomRule, Team, TeamRole

K = Team.Kind
C = Category


def seat(category: str, *roles: str) -> Seat:
    return Seat(category, frozenset(roles))


def line(kind: str, seats: list[Seat], key: str, **kwargs: object) -> Line:
    lines = checklist(kind, seats, **kwargs)  # type: ignore[arg-type]
    return next(entry for entry in lines if entry.key == key)


def keys(kind: str, **kwargs: object) -> set[str]:
    return {entry.key for entry in checklist(kind, [], **kwargs)}  # type: ignore[arg-type]


FULL_SCHOOL_TEAM = [
    seat(C.PRINCIPAL, TeamRole.CO_CHAIR),
    seat(C.UNION_REP, TeamRole.CO_CHAIR),
    seat(C.TEACHER),
    seat(C.PARAPROFESSIONAL),
    seat(C.PARENT),
    seat(C.STUDENT),
    seat(C.DISTRICT_STAFF),
    seat(C.COMMUNITY),
]


@pytest.mark.parametrize(
    ("key", "category", "kind"),
    [
        ("principal", C.PRINCIPAL, K.IMPROVEMENT),
        ("principal", C.PRINCIPAL, K.INSTRUCTIONAL),
        ("union_rep", C.UNION_REP, K.IMPROVEMENT),
        ("union_rep", C.UNION_REP, K.DISTRICT),
        ("teachers", C.TEACHER, K.IMPROVEMENT),
        ("teachers", C.TEACHER, K.INSTRUCTIONAL),
        ("paraprofessional", C.PARAPROFESSIONAL, K.IMPROVEMENT),
        ("parent", C.PARENT, K.IMPROVEMENT),
        ("parent", C.PARENT, K.DISTRICT),
        ("student", C.STUDENT, K.IMPROVEMENT),
        ("district_staff", C.DISTRICT_STAFF, K.IMPROVEMENT),
        ("district_staff", C.DISTRICT_STAFF, K.DISTRICT),
        ("community", C.COMMUNITY, K.IMPROVEMENT),
        ("community", C.COMMUNITY, K.DISTRICT),
    ],
)
def test_a_group_rule_is_met_once_someone_speaks_for_the_group(
    key: str, category: str, kind: str
) -> None:
    missing = line(kind, [seat(C.OTHER), seat(C.BOARD)], key)
    assert not missing.met
    assert line(kind, [seat(C.OTHER), seat(category)], key).met


def test_a_group_rule_says_how_many_are_on_the_team() -> None:
    lines = checklist(K.IMPROVEMENT, [seat(C.TEACHER), seat(C.TEACHER)])
    teachers = next(entry for entry in lines if entry.key == "teachers")
    assert teachers.detail == "2 on the team now: Teacher."
    assert teachers.title == "Teachers" and "classrooms" in teachers.reason


@pytest.mark.parametrize("key", ["visionary", "integrator"])
def test_a_role_rule_is_met_once_someone_holds_the_role(key: str) -> None:
    assert not line(K.INSTRUCTIONAL, [seat(C.TEACHER, TeamRole.MEMBER)], key).met
    assert line(K.INSTRUCTIONAL, [seat(C.TEACHER, key)], key).met


def test_an_ilt_with_a_visionary_but_no_integrator_is_not_complete() -> None:
    seats = [seat(C.PRINCIPAL, TeamRole.VISIONARY), seat(C.TEACHER)]
    lines = {entry.key: entry for entry in checklist(K.INSTRUCTIONAL, seats)}
    assert lines["visionary"].met
    assert not lines["integrator"].met
    assert lines["integrator"].detail == "0 on the team now: Integrator."


def test_no_community_partner_is_not_met() -> None:
    missing = line(K.IMPROVEMENT, [seat(C.PARENT)], "community")
    assert not missing.met and missing.detail == "No community partner yet."


def test_an_elected_official_does_not_count_as_the_community_partner() -> None:
    missing = line(K.IMPROVEMENT, [seat(C.ELECTED)], "community")
    assert not missing.met
    assert "elected official is on the team, but does not take the community partner" in (
        missing.detail
    )


def test_an_elected_official_with_a_community_partner_is_met() -> None:
    met = line(K.DISTRICT, [seat(C.ELECTED), seat(C.COMMUNITY)], "community")
    assert met.met and met.detail == "1 community partner(s) on the team."


def test_co_chairs_from_labor_and_management_are_met() -> None:
    seats = [seat(C.TEACHER, TeamRole.CO_CHAIR), seat(C.DISTRICT_STAFF, TeamRole.CO_CHAIR)]
    assert line(K.DISTRICT, seats, "co_chairs").met


def test_co_chairs_both_from_labor_are_not_met() -> None:
    seats = [seat(C.TEACHER, TeamRole.CO_CHAIR), seat(C.UNION_REP, TeamRole.CO_CHAIR)]
    missing = line(K.IMPROVEMENT, seats, "co_chairs")
    assert not missing.met and missing.detail == "No co-chair from management yet."


def test_co_chairs_both_from_management_are_not_met() -> None:
    seats = [seat(C.PRINCIPAL, TeamRole.CO_CHAIR), seat(C.ASSISTANT_PRINCIPAL, TeamRole.CO_CHAIR)]
    assert line(K.IMPROVEMENT, seats, "co_chairs").detail == "No co-chair from labor yet."


def test_no_co_chairs_names_both_sides() -> None:
    seats = [seat(C.PRINCIPAL), seat(C.UNION_REP)]
    assert (
        line(K.IMPROVEMENT, seats, "co_chairs").detail
        == "No co-chair from labor or management yet."
    )


def test_each_kind_of_team_gets_its_own_rules() -> None:
    assert keys(K.IMPROVEMENT) == {
        "principal",
        "union_rep",
        "teachers",
        "paraprofessional",
        "parent",
        "student",
        "district_staff",
        "community",
        "co_chairs",
    }
    assert keys(K.INSTRUCTIONAL) == {"principal", "teachers", "visionary", "integrator"}
    assert keys(K.DISTRICT) == {"union_rep", "parent", "district_staff", "community", "co_chairs"}


def test_a_full_school_team_meets_every_rule() -> None:
    assert all(entry.met for entry in checklist(K.IMPROVEMENT, FULL_SCHOOL_TEAM))


def test_disabled_rules_disappear() -> None:
    left = keys(K.IMPROVEMENT, disabled=["student", "paraprofessional"])
    assert "student" not in left and "paraprofessional" not in left and "principal" in left
    every = [rule.slug for rule in RULES]
    assert checklist(K.IMPROVEMENT, FULL_SCHOOL_TEAM, disabled=every) == []


def test_a_custom_rule_counts_members_by_category() -> None:
    rule = CustomRule(title="Two parents", category=C.PARENT, minimum=2)
    one = checklist(K.IMPROVEMENT, [seat(C.PARENT)], custom=[rule])[-1]
    assert (one.title, one.met, one.custom) == ("Two parents", False, True)
    assert one.detail == "1 of at least 2 on the team now."
    two = checklist(K.IMPROVEMENT, [seat(C.PARENT), seat(C.PARENT)], custom=[rule])[-1]
    assert two.met


def test_a_custom_rule_counts_members_by_role() -> None:
    rule = CustomRule(title="A note-taker", role=TeamRole.NOTE_TAKER, minimum=1)
    assert not checklist(K.DISTRICT, [seat(C.PARENT)], custom=[rule])[-1].met
    seats = [seat(C.PARENT, TeamRole.NOTE_TAKER)]
    assert checklist(K.DISTRICT, seats, custom=[rule])[-1].met


def test_a_custom_rule_applies_only_to_its_team_kinds() -> None:
    rule = CustomRule(title="Coach", category=C.COACH, team_kinds=[K.INSTRUCTIONAL])
    assert str(rule.code) in keys(K.INSTRUCTIONAL, custom=[rule])
    assert str(rule.code) not in keys(K.IMPROVEMENT, custom=[rule])
    everywhere = CustomRule(title="Coach", category=C.COACH, team_kinds=[])
    assert str(everywhere.code) in keys(K.DISTRICT, custom=[everywhere])
