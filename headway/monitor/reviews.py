"""Recording a strategy review: the decision with its evidence, the flags the team was
shown, and what it does to the strategy (stop sets it stopped; continue or adjust restarts
a stopped one).

Only the strategy's status is saved, with ``update_fields``: stopping is progress, not a
change to the plan, so an approved plan stays approved (plans.review.NOT_CONTENT).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from headway.accounts.models import User
from headway.monitor.flags import Flag
from headway.monitor.models import StrategyReview
from headway.plans.models import Strategy


def record_review(
    review: StrategyReview, flags: Sequence[Flag], user: User | None = None
) -> StrategyReview:
    """Save ``review`` (its strategy set, not saved yet) and stop or restart its strategy."""
    stops = review.verdict == StrategyReview.Verdict.STOP
    with transaction.atomic():
        review.flags = [flag.to_dict() for flag in flags]
        review.created_by = user
        review.save()
        set_status(review.strategy, Strategy.Status.STOPPED if stops else Strategy.Status.ACTIVE)
    return review


def set_status(strategy: Strategy, status: str) -> None:
    if strategy.status != status:
        strategy.status = status
        strategy.save(update_fields=["status"])
