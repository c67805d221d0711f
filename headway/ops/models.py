from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Each running task worker touches its row every few seconds; /health/ reads them."""

    worker_id = models.CharField(max_length=64, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.last_seen:%H:%M:%S}"

    @classmethod
    def beat(cls, worker_id: str) -> None:
        cls.objects.update_or_create(worker_id=worker_id, defaults={"last_seen": timezone.now()})

    @classmethod
    def alive_ids(cls) -> list[str]:
        """The workers seen recently enough to count as running."""
        cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        return list(cls.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True))

    @classmethod
    def alive(cls) -> int:
        return len(cls.alive_ids())
