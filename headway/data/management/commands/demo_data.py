"""Write the demo district's files (assessments, attendance, discipline, class links).

Run as ``headway demo-data --out DIR``; the files can then be imported like any others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from headway.data.core.demo_files import DemoSpec, generate
from headway.data.demo import MAPPINGS


class Command(BaseCommand):
    help = "Generate realistic, fictional district files for trying out imports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=Path("demo-files"))
        parser.add_argument("--seed", type=int, default=DemoSpec.seed)
        parser.add_argument("--years", type=int, default=DemoSpec.years)
        parser.add_argument(
            "--scale", type=float, default=DemoSpec.scale, help="multiply every school's enrollment"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        spec = DemoSpec(seed=options["seed"], years=options["years"], scale=options["scale"])
        for kind, path in generate(spec, out).items():
            rows = sum(1 for _ in path.open(encoding="utf-8")) - 1
            self.stdout.write(f"{kind:<12} {rows:>9} rows  {path}")
        self.stdout.write(f"Mappings for these files: {MAPPINGS}")
