"""A network's own figures: its districts' results counted together, for student access only."""

from __future__ import annotations

import polars as pl
from django.test import Client
from django.urls import reverse

from headway.explore import cube
from headway.explore.cube import Audience
from headway.explore.tasks import refresh_results
from headway.orgs.demo import DEMO_PASSWORD
from headway.orgs.models import Organization


def _all_students(frame: pl.DataFrame, code: str) -> dict[str, object]:
    return (
        frame.filter(
            (pl.col("org_code") == code)
            & (pl.col("metric") == "proficiency_rate")
            & (pl.col("subject") == "math")
            & (pl.col("grade") == "all")
            & (pl.col("group_type") == "all")
        )
        .sort("school_year")
        .row(-1, named=True)
    )


def test_the_network_counts_its_districts_together(demo_results: Organization) -> None:
    refresh_results.call(str(demo_results.code))
    network = demo_results.networks.get()
    internal = cube.load(network, Audience.INTERNAL).frame
    district = _all_students(
        cube.load(demo_results, Audience.INTERNAL).frame, cube.org_code(demo_results)
    )
    total = _all_students(internal, cube.org_code(network))
    assert (total["n"], total["count"]) == (district["n"], district["count"])
    assert cube.load(network, Audience.PUBLIC).frame.is_empty()

    admin = Client()
    assert admin.login(email="network@headway.example", password=DEMO_PASSWORD)
    page = admin.get(reverse("explore-results", args=[network.code])).content.decode()
    assert "Internal figures." in page and "Riverbend Unified School District" in page
    parent = Client()
    assert parent.login(email="parent@headway.example", password=DEMO_PASSWORD)
    school = demo_results.children.get(local_id="0101")
    assert parent.get(reverse("explore-results", args=[school.code])).status_code == 200
