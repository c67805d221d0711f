"""Django for a benchmark script: the project importable, a throwaway data folder, tasks
run at once and quiet logs. Call ``start`` before importing anything from Django's ORM or
Headway."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start(name: str) -> Path:
    """Set Django up on a new empty data folder (returned), named after the benchmark."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headway.settings")
    data = Path(tempfile.mkdtemp(prefix=f"headway-{name}-bench-"))
    os.environ["HEADWAY_DATA_DIR"] = str(data)
    os.environ["HEADWAY_TASKS"] = "immediate"
    os.environ["HEADWAY_LOG_LEVEL"] = "warning"
    import django  # noqa: PLC0415  (settings are read now, from the variables above)

    django.setup()
    return data
