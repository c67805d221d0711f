"""Recompute a district's results whenever its current data changes, and say when done."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal, receiver

from headway.data.signals import data_changed
from headway.orgs.models import Organization

# Sent after a district's results were recomputed and are ready (tasks.refresh_results),
# with ``district``: figures read from them (goals' points in the monitor) are taken again.
results_refreshed = Signal()


@receiver(data_changed)
def _recompute(sender: Any, district: Organization, **kwargs: Any) -> None:
    # Imported here: a task binds its backend when defined, and app loading is too early
    # for that (settings may still change, as they do in the test suite).
    from headway.explore.tasks import refresh_results

    refresh_results.enqueue(str(district.code))
