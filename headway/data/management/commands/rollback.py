from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.data import pipeline
from headway.data.models import Snapshot


class Command(BaseCommand):
    help = "Make an earlier snapshot current again for the school years it covers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("snapshot", help="the snapshot's code, as `headway imports` lists it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            snapshot = Snapshot.objects.select_related("district").get(
                code=UUID(options["snapshot"])
            )
        except (ValueError, Snapshot.DoesNotExist):
            raise CommandError(f"No snapshot has the code {options['snapshot']!r}.") from None
        years = pipeline.rollback(snapshot)
        self.stdout.write(
            f"{snapshot.district.name}: {snapshot.kind} for the years starting "
            f"{', '.join(map(str, years))} now come from {snapshot.code}."
        )
