"""Every environment variable Headway reads is documented, in the docs and the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from headway.lib import env

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = (ROOT / "headway" / "settings.py").read_text()
NAMES = sorted(set(re.findall(r'env\w+\(\s*"(HEADWAY_\w+)"', SETTINGS)))
SECRETS = sorted(set(re.findall(r'envsecret\(\s*"(HEADWAY_\w+)"', SETTINGS)))


def test_the_settings_read_only_the_variables_found_here() -> None:
    read = {name for name in env.READ if name.startswith("HEADWAY_") and not name.endswith("_FILE")}
    assert read <= set(NAMES)


@pytest.mark.parametrize("doc", ["docs/configuration.md", "README.md"])
@pytest.mark.parametrize("name", NAMES + [f"{name}_FILE" for name in SECRETS])
def test_every_setting_is_documented(doc: str, name: str) -> None:
    assert name in (ROOT / doc).read_text(), f"{name} is not described in {doc}"


def test_the_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_ci_runs_make_test_and_nothing_else() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))
    ]
    assert lines == ["make test"]
