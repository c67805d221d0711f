"""The Plan section's records: the needs assessment (needs.py) and the plan itself (plan.py)."""

from headway.plans.models.needs import (
    Answer,
    Cause,
    Cycle,
    Evidence,
    Goal,
    Indicator,
    IndicatorSet,
    NeedsAssessment,
    PracticeRating,
    Priority,
    Snapshot,
    WhyChain,
)
from headway.plans.models.plan import (
    ActionStep,
    BudgetLine,
    Communication,
    Inequity,
    Plan,
    Rock,
    Strategy,
    Support,
)

__all__ = [
    "ActionStep",
    "Answer",
    "BudgetLine",
    "Cause",
    "Communication",
    "Cycle",
    "Evidence",
    "Goal",
    "Indicator",
    "IndicatorSet",
    "Inequity",
    "NeedsAssessment",
    "Plan",
    "PracticeRating",
    "Priority",
    "Rock",
    "Snapshot",
    "Strategy",
    "Support",
    "WhyChain",
]
