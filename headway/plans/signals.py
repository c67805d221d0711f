"""Every change to a plan's content reopens it if it was submitted or approved (review.py).

The receivers listen to the plan and the records it is made of, whichever way they are
saved: ``save()`` and ``delete()`` (post_save, post_delete) and ``save_revision`` (which
writes with update() and sends ``revision_saved`` instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from headway.lib.revisions import revision_saved
from headway.plans import review
from headway.plans.models import (
    ActionStep,
    BudgetLine,
    Communication,
    Inequity,
    Plan,
    Rock,
    Strategy,
    Support,
)

CONTENT: tuple[type[models.Model], ...] = (
    Plan,
    Strategy,
    BudgetLine,
    ActionStep,
    Rock,
    Communication,
    Support,
    Inequity,
)


def plan_id_of(instance: Any) -> int | None:
    if isinstance(instance, Plan):
        return instance.pk
    if isinstance(instance, BudgetLine):
        # A query, not instance.strategy: the strategy may be gone already (a cascade).
        rows = Strategy.objects.filter(pk=instance.strategy_id).values_list("plan_id", flat=True)
        return rows.first()
    return instance.plan_id  # type: ignore[no-any-return]


def _changed(instance: Any, fields: Iterable[str] | None) -> None:
    if not review.is_content_change(fields):
        return
    plan_id = plan_id_of(instance)
    if plan_id is not None:
        review.reopen_if_locked(plan_id)


def on_save(sender: Any, instance: Any, created: bool, update_fields: Any, **kwargs: Any) -> None:
    if isinstance(instance, Plan) and created:
        return  # a new plan is a draft already
    _changed(instance, update_fields)


def on_delete(sender: Any, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    # When the plan itself (its cycle, its school) is removed, nothing is left to reopen.
    source = origin.model if isinstance(origin, QuerySet) else type(origin)
    if source in CONTENT and source is not Plan:
        _changed(instance, None)


def on_revision(sender: Any, instance: Any, fields: frozenset[str], **kwargs: Any) -> None:
    if isinstance(instance, CONTENT):
        _changed(instance, fields)


def connect() -> None:
    for model in CONTENT:
        post_save.connect(on_save, sender=model, dispatch_uid=f"plan-reopen-save-{model.__name__}")
        post_delete.connect(
            on_delete, sender=model, dispatch_uid=f"plan-reopen-delete-{model.__name__}"
        )
    revision_saved.connect(on_revision, dispatch_uid="plan-reopen-revision")
