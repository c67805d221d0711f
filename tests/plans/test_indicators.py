"""Indicator sets: Headway's default, the file loader, a district's upload, which set applies."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from headway.orgs.roles import Role
from headway.plans import indicators
from headway.plans.indicators import (
    DEFAULT_NAME,
    IndicatorFileError,
    Row,
    load_indicator_file,
    set_for,
)
from headway.plans.models import Cycle, IndicatorSet, PracticeRating
from tests.conftest import World

SignIn = Callable[..., Client]

GOOD_CSV = (
    "Ref,Area,Indicator\n"
    "L1,Leadership team,The team meets weekly.\n"
    '"C1",Coaching,"Coaching is individualized, intensive and sustained."\n'
)
GOOD_YAML = """\
- ref: L1
  area: Leadership team
  indicator: The team meets weekly.
- ref: C1
  area: Coaching
  indicator: Coaching is individualized, intensive and sustained.
"""
EXPECTED = [
    Row("L1", "Leadership team", "The team meets weekly."),
    Row("C1", "Coaching", "Coaching is individualized, intensive and sustained."),
]


def refused(name: str, text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(IndicatorFileError) as caught:
        load_indicator_file(name, data)
    return str(caught.value)


# The loader ---------------------------------------------------------------------------------


def test_it_reads_a_csv_file() -> None:
    assert load_indicator_file("framework.csv", GOOD_CSV.encode()) == EXPECTED


def test_it_tolerates_a_byte_order_mark_extra_columns_and_semicolons() -> None:
    text = "\ufeffindicator;REF;notes;area\nThe team meets weekly.;L1;x;Leadership team\n"
    rows = load_indicator_file("Framework.CSV", text.encode("utf-8"))
    assert rows == [EXPECTED[0]]


def test_it_reads_a_csv_saved_by_excel_on_windows() -> None:
    text = "ref,area,indicator\nL1,Équipe,Réunions chaque semaine\n"
    rows = load_indicator_file("f.csv", text.encode("cp1252"))
    assert rows == [Row("L1", "Équipe", "Réunions chaque semaine")]


def test_it_reads_a_yaml_file() -> None:
    assert load_indicator_file("framework.yaml", GOOD_YAML.encode()) == EXPECTED
    assert load_indicator_file("framework.yml", GOOD_YAML.encode()) == EXPECTED


def test_a_missing_column_is_named() -> None:
    message = refused("f.csv", "ref,indicator\nL1,The team meets.\n")
    assert "Row 1" in message and "“area”" in message


def test_a_duplicate_column_is_named() -> None:
    message = refused("f.csv", "ref,area,indicator,Area\nL1,A,B,C\n")
    assert "Row 1" in message and "“area” appears 2 times" in message


def test_a_duplicate_ref_names_both_rows() -> None:
    text = "ref,area,indicator\nL1,A,First\n\nl1,A,Second\n"
    message = refused("f.csv", text)
    assert message.startswith("Row 4:") and "“l1” is already used (row 2)" in message


def test_an_empty_cell_names_the_row_and_column() -> None:
    message = refused("f.csv", "ref,area,indicator\nL1,A,First\nL2,,Second\n")
    assert message == "Row 3: the area is empty."


def test_an_empty_file_is_refused() -> None:
    assert refused("f.csv", b"") == "The file is empty."
    assert refused("f.yaml", "  \n") == "The file is empty."
    assert "no indicators" in refused("f.csv", "ref,area,indicator\n")
    assert "empty" in refused("f.yaml", "[]")
    assert "no column names" in refused("f.csv", ",,,\n,,,\n")  # separators only


def test_bad_yaml_names_the_line() -> None:
    message = refused("f.yaml", "- ref: L1\n  area: A\n  indicator: [unclosed\n")
    assert message.startswith("Line ") and "not valid YAML" in message


def test_a_yaml_item_without_a_key_names_its_line() -> None:
    text = "- ref: L1\n  area: A\n  indicator: First\n- ref: L2\n  indicator: Second\n"
    assert refused("f.yaml", text) == "Line 4: the area is empty."


def test_a_duplicate_ref_in_yaml_names_the_line() -> None:
    text = "- {ref: L1, area: A, indicator: First}\n- {ref: L1, area: A, indicator: Again}\n"
    assert refused("f.yaml", text).startswith("Line 2: the ref “L1” is already used (line 1)")


def test_yaml_that_is_not_a_list_is_refused() -> None:
    assert "must be a list" in refused("f.yaml", "ref: L1\narea: A\nindicator: B\n")


def test_other_kinds_of_file_are_refused() -> None:
    assert refused("f.xlsx", GOOD_CSV) == "Choose a .csv, .yaml or .yml file."


def test_too_many_indicators_are_refused() -> None:
    lines = [f"R{n},A,Text {n}" for n in range(indicators.MAX_INDICATORS + 1)]
    message = refused("f.csv", "ref,area,indicator\n" + "\n".join(lines))
    assert f"at most {indicators.MAX_INDICATORS}" in message


# Which set applies --------------------------------------------------------------------------


def test_the_default_set_is_created_once_from_the_drivers_and_levers(db: None) -> None:
    first = indicators.default_set()
    assert indicators.default_set() == first
    assert first.name == DEFAULT_NAME and first.district is None
    texts = list(first.indicators.values_list("text", flat=True))
    assert 12 <= len(texts) <= 15
    assert "The leadership team meets every week and follows an agenda." in texts
    assert "PLCs study student work to plan instruction." in texts
    assert IndicatorSet.objects.count() == 1


def test_a_school_uses_its_districts_newest_set_else_the_default(world: World) -> None:
    assert set_for(world.school).name == DEFAULT_NAME
    older = indicators.create_set(world.district, "Old", "old.csv", EXPECTED)
    newer = indicators.create_set(world.district, "New", "new.csv", EXPECTED[:1])
    assert older != newer
    assert set_for(world.school) == newer
    assert set_for(world.district) == newer
    assert set_for(world.outside_school).name == DEFAULT_NAME


def test_a_cycle_that_started_rating_keeps_its_set(world: World, cycle: Cycle) -> None:
    default = set_for(world.school)
    PracticeRating.objects.create(
        assessment=cycle.assessment, indicator=default.indicators.all()[0], status="full"
    )
    indicators.create_set(world.district, "New", "new.csv", EXPECTED)
    assert indicators.set_for_assessment(cycle.assessment) == default


# The district's page ------------------------------------------------------------------------


def url(org: object) -> str:
    return reverse("plans-indicators", args=[org.code])  # type: ignore[attr-defined]


def upload(name: str, text: str, set_name: str = "State framework") -> dict[str, object]:
    return {"name": set_name, "file": SimpleUploadedFile(name, text.encode())}


def test_a_district_admin_loads_a_set(world: World, client_for: SignIn) -> None:
    client = client_for(world.alice)
    response = client.post(url(world.district), upload("state.csv", GOOD_CSV))
    assert response.status_code == 302
    loaded = IndicatorSet.objects.get(district=world.district)
    assert (loaded.name, loaded.source) == ("State framework", "state.csv")
    assert [(i.ref, i.order) for i in loaded.indicators.all()] == [("L1", 0), ("C1", 1)]
    html = client.get(url(world.district)).content.decode()
    assert "State framework" in html and "In use by the district" in html
    assert set_for(world.school) == loaded


def test_a_bad_file_saves_nothing_and_says_why(world: World, client_for: SignIn) -> None:
    client = client_for(world.alice)
    bad = "ref,area,indicator\nL1,A,First\nL1,A,Again\n"
    response = client.post(url(world.district), upload("state.csv", bad))
    assert response.status_code == 200
    assert "Row 3: the ref “L1” is already used (row 2)" in response.content.decode()
    assert not IndicatorSet.objects.filter(district=world.district).exists()


def test_a_file_over_one_megabyte_is_refused(world: World, client_for: SignIn) -> None:
    big = GOOD_CSV + "x" * (indicators.MAX_BYTES + 1)
    response = client_for(world.alice).post(url(world.district), upload("big.csv", big))
    assert "larger than 1 MB" in response.content.decode()
    assert not IndicatorSet.objects.filter(district=world.district).exists()


def test_a_set_name_is_used_once_per_district(world: World, client_for: SignIn) -> None:
    indicators.create_set(world.district, "State framework", "a.csv", EXPECTED)
    response = client_for(world.alice).post(url(world.district), upload("b.csv", GOOD_CSV))
    assert "already has a set named" in response.content.decode()


def test_the_page_belongs_to_a_district(world: World, client_for: SignIn) -> None:
    assert client_for(world.alice).get(url(world.school)).status_code == 404


def test_only_an_administrator_may_load_a_set(
    world: World, district_people: dict[Role, object], client_for: SignIn
) -> None:
    client = client_for(district_people[Role.TEAM_LEAD])
    html = client.get(url(world.district)).content.decode()
    assert DEFAULT_NAME.replace("'", "&#x27;") in html and "Load the set" not in html
    response = client.post(url(world.district), upload("state.csv", GOOD_CSV))
    assert response.status_code == 403
    assert client_for(world.dave).get(url(world.district)).status_code == 404


def test_a_broken_quote_names_the_row() -> None:
    message = refused("f.csv", 'ref,area,indicator\nL1,"A"x,B\n')
    assert message.startswith("Row 2: a quotation mark is not closed")
