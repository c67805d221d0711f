from __future__ import annotations

from django.tasks import task

from headway.explore import cube, findings
from headway.orgs.models import Organization


@task()
def refresh_results(code: str) -> str:
    """Recompute a district's results and its networks', then draft its findings again."""
    district = Organization.objects.get(code=code)
    table = cube.refresh(district)
    if table.status == table.Status.READY:
        for network in district.networks.all():
            cube.refresh_network(network)
        findings.redraft(district)
    return table.status
