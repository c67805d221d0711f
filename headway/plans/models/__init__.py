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
from headway.plans.models.review import Comment, Decision, Notice, PlanVersion

__all__ = [
    "ActionStep",
    "Answer",
    "BudgetLine",
    "Cause",
    "Comment",
    "Communication",
    "Cycle",
    "Decision",
    "Evidence",
    "Goal",
    "Indicator",
    "IndicatorSet",
    "Inequity",
    "NeedsAssessment",
    "Notice",
    "Plan",
    "PlanVersion",
    "PracticeRating",
    "Priority",
    "Rock",
    "Snapshot",
    "Strategy",
    "Support",
    "WhyChain",
]
