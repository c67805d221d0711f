"""Each refresh of a district's results gives its goals' measures a new point."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from headway.explore.signals import results_refreshed
from headway.monitor import goalpoints
from headway.orgs.models import Organization


@receiver(results_refreshed)
def _record_goals(sender: Any, district: Organization, **kwargs: Any) -> None:
    for cycle in goalpoints.cycles_of(district):
        goalpoints.track_goals(cycle)
    goalpoints.record(district)
