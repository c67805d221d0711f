"""Schools named in an import file that the district does not have yet."""

from __future__ import annotations

from django.db import transaction

from headway.data.core.mapping import from_yaml
from headway.data.core.schema import STUDENT_KINDS
from headway.data.models import Import
from headway.data.pipeline import known_schools
from headway.data.sources import school_codes
from headway.orgs.models import Organization


def missing_schools(imp: Import) -> list[tuple[str, str]]:
    """(code, name) of each school the file names that the district lacks; none for a
    school-level file (schools), which lists a state's schools, not the district's."""
    mapping = from_yaml(imp.mapping_yaml)
    if not any(kind in STUDENT_KINDS for kind in mapping.kinds):
        return []
    wide = list(mapping.wide.groups.get("school_code", {})) if mapping.wide else []
    pairs = school_codes(imp.source().frame, mapping.columns, wide)
    known = known_schools(imp)
    return [(c, n or f"School {c}") for c, n in pairs.iter_rows() if c not in known]


@transaction.atomic
def add_missing_schools(imp: Import) -> list[Organization]:
    return [
        Organization.objects.create(
            kind=Organization.Kind.SCHOOL, parent=imp.district, local_id=code, name=name[:200]
        )
        for code, name in missing_schools(imp)
    ]
