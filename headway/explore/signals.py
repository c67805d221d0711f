"""Recompute a district's results whenever its current data changes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from headway.data.signals import data_changed
from headway.orgs.models import Organization


@receiver(data_changed)
def _recompute(sender: Any, district: Organization, **kwargs: Any) -> None:
    # Imported here: a task binds its backend when defined, and app loading is too early
    # for that (settings may still change, as they do in the test suite).
    from headway.explore.tasks import refresh_results

    refresh_results.enqueue(str(district.code))
