"""Run the background-task worker, with a heartbeat that /health/ can see."""

from __future__ import annotations

import threading
from typing import Any

from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from headway.ops.models import WorkerHeartbeat

BEAT_SECONDS = 15


def _beat_forever(worker_id: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            WorkerHeartbeat.beat(worker_id)
        finally:
            close_old_connections()
        stop.wait(BEAT_SECONDS)


class Command(DbWorkerCommand):
    help = "Run background tasks (imports, exports, metrics) and report a heartbeat."

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("worker_id"):
            options["worker_id"] = get_random_string(32)
        stop = threading.Event()
        beater = threading.Thread(
            target=_beat_forever, args=(options["worker_id"], stop), daemon=True
        )
        beater.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=options["worker_id"]).delete()
