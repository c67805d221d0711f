from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from headway.lib.env import envbool, envchoice, envint, envlist, envsecret, envstr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("YES", True), ("on", True), ("0", False), ("no", False), ("", False)],
)
def test_booleans_accept_the_usual_spellings(raw: str, expected: bool) -> None:
    assert envbool("X", not expected, {"X": raw}) is expected


def test_a_bad_boolean_names_the_variable_and_the_choices() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"HEADWAY_DEBUG='maybe': expected one of true"):
        envbool("HEADWAY_DEBUG", False, {"HEADWAY_DEBUG": "maybe"})


def test_missing_values_fall_back_to_the_default() -> None:
    assert envbool("X", True, {}) is True
    assert envint("X", 8, {}) == 8
    assert envstr("X", "a", {}) == "a"
    assert envlist("X", ["a"], {}) == ["a"]


def test_whole_numbers_are_checked_for_form_and_range() -> None:
    assert envint("P", 1, {"P": " 8080 "}, maximum=65535) == 8080
    with pytest.raises(ImproperlyConfigured, match=r"HEADWAY_PORT='80a': expected a whole number"):
        envint("HEADWAY_PORT", 8000, {"HEADWAY_PORT": "80a"})
    with pytest.raises(ImproperlyConfigured, match=r"HEADWAY_PORT=70000: must be at most 65535"):
        envint("HEADWAY_PORT", 8000, {"HEADWAY_PORT": "70000"}, maximum=65535)
    with pytest.raises(
        ImproperlyConfigured, match=r"HEADWAY_SESSION_IDLE_HOURS=0: must be at least 1"
    ):
        envint("HEADWAY_SESSION_IDLE_HOURS", 8, {"HEADWAY_SESSION_IDLE_HOURS": "0"}, minimum=1)


def test_lists_are_comma_separated_and_trimmed() -> None:
    hosts = envlist("H", [], {"H": " a.example.org, b.example.org ,,"})
    assert hosts == ["a.example.org", "b.example.org"]


def test_choices_are_case_insensitive_and_checked() -> None:
    assert (
        envchoice("HEADWAY_DB", "sqlite", ["sqlite", "postgres"], {"HEADWAY_DB": "Postgres"})
        == "postgres"
    )
    with pytest.raises(
        ImproperlyConfigured, match=r"HEADWAY_DB='mysql': expected one of sqlite, postgres"
    ):
        envchoice("HEADWAY_DB", "sqlite", ["sqlite", "postgres"], {"HEADWAY_DB": "mysql"})


def test_secrets_can_come_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    assert envsecret("K", "", {"K_FILE": str(secret), "K": "ignored"}) == "s3cret"
    assert envsecret("K", "default", {"K": "direct"}) == "direct"


def test_an_unreadable_secret_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(ImproperlyConfigured, match=r"K_FILE=.*nope.*cannot read the file"):
        envsecret("K", "", {"K_FILE": str(missing)})
