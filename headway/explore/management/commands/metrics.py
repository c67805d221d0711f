from __future__ import annotations

import json
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.data.core.aggregates import PUBLISHED
from headway.explore import cube
from headway.explore.cube import Audience
from headway.orgs.management.commands.orgs import find_org
from headway.orgs.models import Organization


class Command(BaseCommand):
    help = (
        "Print a district's results by student group. The public audience sees small groups "
        "hidden, exactly as on public pages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="the district's code or name")
        parser.add_argument("--school", help="only this school (its code or name)")
        parser.add_argument(
            "--audience", choices=[a.value for a in Audience], default=Audience.PUBLIC.value
        )
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "--recompute", action="store_true", help="compute the results from current data first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        district = find_org(options["district"], "district")
        if options["recompute"]:
            cube.refresh(district)
        where = None
        if options["school"]:
            school = self._school(district, options["school"])
            where = pl.col("org_code") == cube.org_code(school)
        results = cube.load(district, Audience(options["audience"]), where)
        if results.table is None:
            raise CommandError(
                f"{district.name} has no results yet: import its data, or run with --recompute."
            )
        frame = results.frame.select(PUBLISHED)
        if options["format"] == "json":
            self.stdout.write(json.dumps(frame.to_dicts(), ensure_ascii=False))
        else:
            self.stdout.write(frame.write_csv(), ending="")

    @staticmethod
    def _school(district: Organization, ref: str) -> Organization:
        schools = district.children.all()
        found = schools.filter(local_id=ref) or schools.filter(name=ref)
        if len(found) != 1:
            raise CommandError(f"{district.name} has no single school coded or named {ref!r}.")
        return found[0]
