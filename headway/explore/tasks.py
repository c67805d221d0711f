from __future__ import annotations

import logging

from django.tasks import task

from headway.explore import cube, findings
from headway.explore.signals import results_refreshed
from headway.orgs.models import Organization

log = logging.getLogger("headway.explore")


@task()
def refresh_results(code: str) -> str:
    """Recompute a district's results and its networks', then draft its findings again and
    tell the apps that read them (``results_refreshed``)."""
    district = Organization.objects.get(code=code)
    table = cube.refresh(district)
    if table.status == table.Status.READY:
        for network in district.networks.all():
            cube.refresh_network(network)
        findings.redraft(district)
        _tell(district)
    return table.status


def _tell(district: Organization) -> None:
    """A receiver's failure is logged: the results themselves are ready and stay so."""
    for receiver, outcome in results_refreshed.send_robust(sender=Organization, district=district):
        if isinstance(outcome, Exception):
            log.error(
                "after the results of %s: %r failed", district.code, receiver, exc_info=outcome
            )
