"""Import a file from the command line (nightly loads), with the same checks as the web page.

Run as ``headway import --district CODE --mapping FILE PATH``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from headway.data import pipeline, storage
from headway.data.core.mapping import MappingError, from_yaml, to_yaml
from headway.data.core.schema import Kind
from headway.data.models import Import
from headway.orgs.management.commands.orgs import find_org


class Command(BaseCommand):
    help = (
        "Check a file against a mapping and store it as a new snapshot; nothing changes on error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--district", required=True, help="the district's code or exact name")
        parser.add_argument("--mapping", required=True, type=Path, help="a mapping YAML file")
        parser.add_argument(
            "--kind",
            default="",
            help="only these tables from the file, comma-separated: " + ", ".join(Kind),
        )
        parser.add_argument("--sheet", default="", help="the sheet of an Excel file")
        parser.add_argument(
            "--groups", type=Path, help="a OneRoster package's student-group file (CEDS names)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        district = find_org(options["district"], "district")
        mapping = _mapping(options["mapping"], options["kind"])
        path: Path = options["path"]
        try:
            imp = pipeline.register_file(
                district, path, mapping_yaml=to_yaml(mapping), sheet=options["sheet"]
            )
            if options["groups"] is not None:
                imp.groups_path = str(storage.save_local(options["groups"])[0])
                imp.save(update_fields=["groups_path"])
        except OSError as error:
            raise CommandError(str(error)) from None
        pipeline.run(imp)
        imp.refresh_from_db()
        self._summarize(imp)

    def _summarize(self, imp: Import) -> None:
        if imp.status == Import.Status.DONE:
            years = sorted({y for s in imp.snapshots.all() for y in s.years})
            tables = ", ".join(sorted(s.kind for s in imp.snapshots.all()))
            self.stdout.write(
                f"{imp.file_name}: stored {imp.rows_stored} rows ({tables}) for school years "
                f"starting {', '.join(map(str, years))}; "
                f"{imp.report.get('warnings', 0)} warnings."
            )
            return
        lines = [f"{imp.file_name}: {imp.get_status_display()}. Nothing was stored."]
        lines += [imp.error] if imp.error else []
        lines += [_describe(p) for p in imp.report.get("detail", [])[:50]]
        raise CommandError("\n".join(lines))


def _mapping(path: Path, kinds: str) -> Any:
    try:
        mapping = from_yaml(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read the mapping {path}: {error}") from None
    except MappingError as error:
        raise CommandError(str(error)) from None
    if kinds:
        try:
            mapping.kinds = [Kind(k.strip()) for k in kinds.split(",")]
        except ValueError:
            raise CommandError(f"--kind {kinds!r}: expected some of {', '.join(Kind)}.") from None
    return mapping


def _describe(problem: dict[str, Any]) -> str:
    where = ", ".join(
        part
        for part in (
            f"row {problem['row']}" if problem.get("row") else "",
            f"column {problem['column']}" if problem.get("column") else "",
            f"value {problem['value']!r}" if problem.get("value") else "",
        )
        if part
    )
    return f"  {problem['severity']}: {where + ': ' if where else ''}{problem['message']}"
