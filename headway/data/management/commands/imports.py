from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from headway.data.models import Coverage, Snapshot
from headway.orgs.management.commands.orgs import find_org


class Command(BaseCommand):
    help = "List a district's snapshots; the current one for each table and year is starred."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="the district's code or exact name")

    def handle(self, *args: Any, **options: Any) -> None:
        district = find_org(options["district"], "district")
        current = set(
            Coverage.objects.filter(district=district).values_list("snapshot_id", flat=True)
        )
        snapshots = Snapshot.objects.filter(district=district).select_related("source")
        if not snapshots:
            self.stdout.write(f"{district.name} has no imported data yet.")
        for s in snapshots:
            star = "*" if s.pk in current else " "
            years = ",".join(str(y) for y in s.years)
            self.stdout.write(
                f"{star} {s.code}  {s.created_at:%Y-%m-%d %H:%M}  {s.kind:<10} "
                f"years {years:<24} {s.rows:>10} rows  {s.source.file_name}"
            )
