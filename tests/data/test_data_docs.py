"""docs/data.md describes every canonical field, with its codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from headway.data.core.schema import TABLES, Kind

DOC = (Path(__file__).resolve().parents[2] / "docs" / "data.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", list(Kind))
def test_every_field_and_code_is_documented(kind: Kind) -> None:
    section = DOC.split(f"### {kind.value}\n", 1)[1].split("\n### ", 1)[0]
    for field in TABLES[kind]:
        assert f"| `{field.name}` |" in section, f"{field.name} is missing from docs/data.md"
        for code in field.codes:
            assert f"`{code}`" in section
