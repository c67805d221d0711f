from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from headway.data import storage


class Command(BaseCommand):
    help = "Delete uploaded originals older than HEADWAY_UPLOAD_RETENTION_DAYS."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = storage.prune_uploads(settings.UPLOAD_RETENTION_DAYS)
        self.stdout.write(
            f"Removed {removed} uploaded files older than {settings.UPLOAD_RETENTION_DAYS} days."
        )
