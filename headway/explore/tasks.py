from __future__ import annotations

from django.tasks import task

from headway.explore import cube
from headway.orgs.models import Organization


@task()
def refresh_results(code: str) -> str:
    """Recompute a district's results."""
    district = Organization.objects.get(code=code)
    return cube.refresh(district).status
