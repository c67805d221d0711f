from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import World

GOOD_CSV = """StudentID,SchoolYear,SchoolCode,Grade,Gender,Subject,ScaleScore,PerformanceLevel
S1,2023-24,A1,3,Female,Math,412,Proficient
S1,2023-24,A1,3,Female,ELA,398,Basic
S2,2023-24,A1,4,Male,Math,455,Advanced
S2,2023-24,A1,4,Male,ELA,421,Proficient
S3,2023-24,E2,7,Female,Math,,No Score
"""


@pytest.fixture
def coded_world(world: World) -> World:
    """The fixture world with school codes that the test files use."""
    world.school.local_id = "A1"
    world.school.save()
    world.other_school.local_id = "E2"
    world.other_school.save()
    return world


@pytest.fixture
def good_csv(tmp_path: Path) -> Path:
    path = tmp_path / "results.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    return path
