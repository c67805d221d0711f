from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from headway.ops.models import WorkerHeartbeat

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_it_is_healthy_with_tasks_run_inline(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "inline"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_reports_a_missing_worker(client: Client, settings: SettingsWrapper) -> None:
    settings.TASKS = DB_BACKEND
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["worker"] == "down"


@pytest.mark.django_db
def test_it_sees_a_worker_by_its_heartbeat(client: Client, settings: SettingsWrapper) -> None:
    settings.TASKS = DB_BACKEND
    WorkerHeartbeat.beat("w1")
    assert client.get("/health/").json() == {"status": "ok", "database": "ok", "worker": "ok"}
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=5))
    assert client.get("/health/").status_code == 503


@pytest.mark.django_db
def test_it_reports_a_broken_database(client: Client) -> None:
    with mock.patch("headway.ops.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unhealthy", "database": "down", "worker": "unknown"}
