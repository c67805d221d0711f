"""ESSA's evidence and funding rules for a strategy (standards.md §2.4), in one place.

Small functions over plain values, so the strategy form, the plan page and the completeness
checklist all apply the same rules. Each problem names the form field it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RATIONALE = 4  # tier 4: a rationale, with ongoing efforts to examine the effects
SCHOOL_IMPROVEMENT = "sec1003"  # BudgetLine.Source for §1003 school-improvement funds
FUNDABLE_BY_1003 = frozenset({1, 2, 3})  # ESEA §8101(21)(B)
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # what BudgetLine.amount can hold

# What each tier means, in plain words (ESEA §8101(21)(A) and ED's guidance).
TIER_WORDS = {
    1: gettext_lazy(
        "Strong evidence: at least one well-run experiment, where students or schools were "
        "assigned by chance, found a clear positive effect."
    ),
    2: gettext_lazy(
        "Moderate evidence: at least one well-run study compared similar groups that were not "
        "assigned by chance, and found a clear positive effect."
    ),
    3: gettext_lazy(
        "Promising evidence: at least one well-run study found a clear positive link, after "
        "taking differences between the groups into account."
    ),
    4: gettext_lazy(
        "A rationale: good research suggests it is likely to work, and the team studies its "
        "effects as it goes. It needs a logic model and an evaluation plan."
    ),
    None: gettext_lazy(
        "Not yet known: the team has not checked the evidence yet. Strategies paid with "
        "§1003 school-improvement funds need tier 1, 2 or 3."
    ),
}


@dataclass(frozen=True)
class Problem:
    """A broken rule, and the form field where the person can fix it."""

    field: str
    message: str


def needs_logic_model(tier: int | None) -> bool:
    """Tier 4 rests on a rationale, so it must say how it should work and how it is checked."""
    return tier == RATIONALE


def fundable_by_1003(tier: int | None) -> bool:
    """§1003 school-improvement funds may pay only for tiers 1 to 3."""
    return tier in FUNDABLE_BY_1003


def tier_problems(tier: int | None, logic_model: str, evaluation: str) -> list[Problem]:
    if not needs_logic_model(tier):
        return []
    problems = []
    if not logic_model.strip():
        problems.append(
            Problem(
                "logic_model",
                _(
                    "A tier 4 strategy needs a logic model: write the steps by which it "
                    "should lead to better results for students."
                ),
            )
        )
    if not evaluation.strip():
        problems.append(
            Problem(
                "evaluation",
                _(
                    "A tier 4 strategy needs an evaluation plan: say how the team will find "
                    "out whether it works."
                ),
            )
        )
    return problems


def funding_problems(tier: int | None, source: str) -> list[Problem]:
    """What is wrong with paying for a strategy of ``tier`` from ``source``."""
    if source != SCHOOL_IMPROVEMENT or fundable_by_1003(tier):
        return []
    message = _(
        "§1003 funds may pay only for strategies with strong, moderate or promising evidence "
        "(tiers 1 to 3). Choose another funding source, or set the strategy's evidence tier."
    )
    return [Problem("source", message)]


def amount_problems(amount: Decimal) -> list[Problem]:
    if amount < 0:
        return [Problem("amount", _("Enter an amount of 0 or more."))]
    if amount > MAX_AMOUNT:
        return [Problem("amount", _("Enter an amount under ten billion."))]
    if amount != amount.quantize(CENT):
        return [Problem("amount", _("Enter dollars and cents, with at most 2 decimals."))]
    return []


def sources_allowed(tier: int | None, sources: Iterable[str]) -> bool:
    """Whether every funding source of a strategy may pay for its tier."""
    return not any(funding_problems(tier, source) for source in sources)
