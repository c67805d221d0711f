from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from headway.lib.logs import JsonFormatter
from tests.conftest import World

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_pages_carry_security_headers(client: Client) -> None:
    response = client.get(reverse("accounts-login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_errors_show_a_friendly_page_without_a_trace(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.alice)
    client.raise_request_exception = False
    from unittest import mock

    with mock.patch("headway.orgs.views.reachable_for_request", side_effect=RuntimeError("boom")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "boom" not in page and "Traceback" not in page


def test_unknown_pages_get_the_not_found_page(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.alice).get("/no/such/page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def _headway(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HEADWAY_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environment.update(env)
    command = [sys.executable, "-c", "from headway.cli import main; main()", *args]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)


PRODUCTION = {
    "HEADWAY_ENV": "production",
    "HEADWAY_SECRET_KEY": "x7#Lq9!vZ2@pR4$wT6^yU8&iO0*aS1(dF3)gH5_jK7+lM9=nB2-cV4",
    "HEADWAY_ALLOWED_HOSTS": "headway.example.org",
    "HEADWAY_EMAIL_HOST": "smtp.example.org",
}


def test_deployment_checks_pass_with_production_settings(tmp_path: Path) -> None:
    result = _headway("check", HEADWAY_DATA_DIR=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deployment_checks_fail_on_development_settings(tmp_path: Path) -> None:
    result = _headway("check", HEADWAY_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert (
        "security.W004" in result.stderr and "security.W016" in result.stderr
    )  # no HSTS, CSRF cookie not secure


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**PRODUCTION, "HEADWAY_SECRET_KEY": "", "HEADWAY_DATA_DIR": str(tmp_path)}
    result = _headway("check", **env)
    assert result.returncode != 0
    assert "HEADWAY_SECRET_KEY (or HEADWAY_SECRET_KEY_FILE) must be set" in result.stderr


def test_log_lines_are_json_with_request_fields() -> None:
    record = logging.LogRecord("headway.request", logging.INFO, "", 0, "GET / 200", (), None)
    record.status = 200
    record.path = "/"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET / 200" and entry["status"] == 200 and entry["level"] == "info"
    assert entry["ts"].endswith("+00:00")
