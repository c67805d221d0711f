"""ESSA's evidence and funding rules for strategies, each checked both ways."""

from __future__ import annotations

from decimal import Decimal

import pytest

from headway.plans import evidence_rules as rules


def fields(problems: list[rules.Problem]) -> list[str]:
    return [problem.field for problem in problems]


@pytest.mark.parametrize("tier", [1, 2, 3, None])
def test_only_tier_4_needs_a_logic_model_and_an_evaluation_plan(tier: int | None) -> None:
    assert not rules.needs_logic_model(tier)
    assert rules.tier_problems(tier, "", "") == []


def test_tier_4_without_a_logic_model_or_evaluation_plan_is_refused() -> None:
    assert rules.needs_logic_model(4)
    assert fields(rules.tier_problems(4, "", "  ")) == ["logic_model", "evaluation"]
    assert fields(rules.tier_problems(4, "Coaching → practice → reading", "")) == ["evaluation"]
    problems = rules.tier_problems(4, "", "Compare spring scores")
    assert fields(problems) == ["logic_model"] and "logic model" in problems[0].message


def test_tier_4_with_both_is_accepted() -> None:
    assert rules.tier_problems(4, "Coaching → practice → reading", "Spring scores") == []


@pytest.mark.parametrize("tier", [1, 2, 3])
def test_1003_funds_may_pay_for_tiers_1_to_3(tier: int) -> None:
    assert rules.fundable_by_1003(tier)
    assert rules.funding_problems(tier, rules.SCHOOL_IMPROVEMENT) == []


@pytest.mark.parametrize("tier", [4, None])
def test_1003_funds_may_not_pay_for_tier_4_or_an_unknown_tier(tier: int | None) -> None:
    assert not rules.fundable_by_1003(tier)
    problems = rules.funding_problems(tier, rules.SCHOOL_IMPROVEMENT)
    assert fields(problems) == ["source"]
    assert "§1003 funds may pay only for strategies with strong, moderate or promising" in (
        problems[0].message
    )


@pytest.mark.parametrize("source", ["title_i", "local", "grant", "other"])
def test_other_sources_pay_for_any_tier(source: str) -> None:
    assert rules.funding_problems(4, source) == []
    assert rules.funding_problems(None, source) == []


def test_every_source_of_a_strategy_is_checked() -> None:
    assert rules.sources_allowed(4, ["title_i", "local"])
    assert not rules.sources_allowed(4, ["title_i", "sec1003"])
    assert rules.sources_allowed(2, ["title_i", "sec1003"])


@pytest.mark.parametrize("amount", ["0", "0.5", "1250.50", "1250.500", "9999999999.99"])
def test_amounts_of_0_or_more_in_cents_are_accepted(amount: str) -> None:
    assert rules.amount_problems(Decimal(amount)) == []


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("-1", "0 or more"),
        ("-0.01", "0 or more"),
        ("10.005", "at most 2 decimals"),
        ("10000000000", "under ten billion"),
        ("1e40", "under ten billion"),
    ],
)
def test_negative_amounts_fractions_of_cents_and_huge_amounts_are_refused(
    amount: str, words: str
) -> None:
    problems = rules.amount_problems(Decimal(amount))
    assert fields(problems) == ["amount"] and words in problems[0].message


def test_every_tier_and_not_yet_known_is_explained() -> None:
    assert set(rules.TIER_WORDS) == {1, 2, 3, 4, None}
    assert "experiment" in str(rules.TIER_WORDS[1])
