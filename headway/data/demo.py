"""The demo district's student data, loaded through the real import path."""

from __future__ import annotations

import tempfile
from pathlib import Path

from headway.data import pipeline, storage
from headway.data.core.demo_files import DemoSpec, generate
from headway.data.models import Import
from headway.orgs.models import Organization

MAPPINGS = Path(__file__).resolve().parent / "demo"


def import_demo_files(district: Organization, spec: DemoSpec | None = None) -> list[Import]:
    """Generate the demo files and import each with its mapping; returns the imports."""
    imports = []
    with tempfile.TemporaryDirectory(dir=storage.data_dir()) as scratch:
        for kind, path in generate(spec or DemoSpec(), Path(scratch)).items():
            imports.append(_import_one(district, kind, path))
    return imports


def _import_one(district: Organization, kind: str, path: Path) -> Import:
    mapping = (MAPPINGS / f"{kind}.yaml").read_text(encoding="utf-8")
    imp = pipeline.register_file(district, path, mapping_yaml=mapping, name=f"demo-{path.name}")
    pipeline.run(imp)
    imp.refresh_from_db()
    return imp
