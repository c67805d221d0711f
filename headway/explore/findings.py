"""Findings: observations drafted from each organization's public figures, kept by the team.

After every refresh the core drafts findings for the district and each school, from the
PUBLIC table (so a finding can be quoted anywhere, including the plan). Each draft updates
the Finding with the same key: its text and numbers follow the data, while the team's
decision (pinned, dismissed) and its own wording stay. A finding the data no longer
supports is kept but marked as not current.
"""

from __future__ import annotations

import polars as pl
from django.db import transaction

from headway.data.core import findings as core
from headway.data.core.gaps import GAP_SCHEMA, TREND_SCHEMA, gaps, trends
from headway.data.core.similar import Similar
from headway.data.core.suppression import Policy
from headway.explore import cube, peers
from headway.explore.cube import Audience
from headway.explore.filters import Filters
from headway.explore.models import Finding
from headway.orgs.models import Organization

SIMILAR_MEASURES = (("proficiency_rate", "math"), ("proficiency_rate", "ela"))


def redraft(district: Organization) -> int:
    """Draft every organization's findings again; returns how many are current.

    Gaps and trends are computed once for the whole table and the similar-schools pool once
    per measure, then cut per organization: a district of a hundred schools takes seconds.
    """
    table = cube.load(district, Audience.PUBLIC)
    if table.table is None or table.frame.is_empty():
        return 0
    policy = cube.settings_for(district).policy()
    frame = table.frame
    all_gaps, all_trends = gaps(frame, policy=policy), trends(frame, policy=policy)
    pools = _pools(district, frame)
    orgs = [district, *district.children.all()]
    drafted: dict[Organization, list[core.Finding]] = {}
    for org in orgs:
        mine = pl.col("org_code") == cube.org_code(org)
        own = frame.filter(mine)
        if own.is_empty():
            continue
        similar = _similar(org, pools) if org.is_school else []
        drafted[org] = _draft(own, all_gaps.filter(mine), all_trends.filter(mine), similar, policy)
    return _save(orgs, drafted)


Pool = tuple[Filters, pl.DataFrame, dict[str, Organization]]


def _pools(district: Organization, frame: pl.DataFrame) -> list[Pool]:
    """The district's schools with their outcome in the latest year, per compared measure."""
    year = int(frame.get_column("school_year").max())  # type: ignore[arg-type]
    out = []
    for metric, subject in SIMILAR_MEASURES:
        filters = Filters(year, subject, "all", metric, "all")
        pool, orgs = peers.district_pool(district, Audience.PUBLIC, filters)
        out.append((filters, pool, orgs))
    return out


def _similar(school: Organization, pools: list[Pool]) -> list[Similar]:
    found = (peers.similar_in(pool, orgs, school, f, "district") for f, pool, orgs in pools)
    return [p.found for p in found if p is not None]


def _draft(
    frame: pl.DataFrame,
    gaps_: pl.DataFrame,
    trends_: pl.DataFrame,
    similar: list[Similar],
    policy: Policy,
) -> list[core.Finding]:
    """The core's drafts; a school is also compared with similar schools in each subject."""
    found = core.draft(frame, gaps_, trends_, similar[0] if similar else None, policy=policy)
    nothing, still = pl.DataFrame(schema=GAP_SCHEMA), pl.DataFrame(schema=TREND_SCHEMA)
    for other in similar[1:]:
        more = core.draft(frame, nothing, still, other, policy=policy)
        found += [f for f in more if f.kind == core.BELOW_SIMILAR]
    return found


@transaction.atomic
def _save(orgs: list[Organization], drafted: dict[Organization, list[core.Finding]]) -> int:
    Finding.objects.filter(org__in=orgs).update(current=False)
    count = 0
    for org, found in drafted.items():
        existing = {f.key: f for f in Finding.objects.filter(org=org)}
        for rank, item in enumerate(found):
            fields = {
                "kind": item.kind,
                "title": item.title[:300],
                "text": item.text,
                "numbers": item.numbers,
                "filters": dict(item.filters),
                "rank": rank,
                "current": True,
            }
            if item.key in existing:
                Finding.objects.filter(pk=existing[item.key].pk).update(**fields)
            else:
                Finding.objects.create(org=org, key=item.key[:300], **fields)
            count += 1
    return count
