"""Similar schools: the pools a school is compared within, read from stored results.

The district pool holds the district's own schools, with the figures the viewer may see.
The network pool adds the schools of every other district in the district's networks,
always as the public sees them: a district's people have no right to another district's
internal figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headway.data import pipeline
from headway.data.core.aggregates import ALL
from headway.data.core.schema import Kind
from headway.data.core.similar import (
    FEATURES,
    PROFILE_SCHEMA,
    WEIGHTS,
    Outcome,
    Similar,
    with_outcome,
)
from headway.data.core.similar import nearest as nearest_schools
from headway.explore import charts, cube, labels
from headway.explore.cube import Audience
from headway.explore.filters import Filters
from headway.explore.present import is_rate, number
from headway.orgs.models import Organization

POOLS = {
    "district": gettext_lazy("in the district"),
    "network": gettext_lazy("in the network"),
    "file": gettext_lazy("in the public school-level file your district imported"),
}
FILE_PREFIX = "file:"  # keys of the public file's schools, apart from the district's codes
K = 5


@dataclass(frozen=True)
class Peer:
    name: str
    org: Organization | None
    distance: float
    features: list[str]  # display texts in FEATURES order
    outcome: str


@dataclass(frozen=True)
class Peers:
    pool: str
    found: Similar
    peers: list[Peer]
    chart: charts.Chart | None

    @property
    def pool_label(self) -> str:
        return str(POOLS[self.pool])

    @property
    def compared_on(self) -> str:
        return ", ".join(_(FEATURES[f]).lower() for f in self.found.features)

    @property
    def own_features(self) -> list[tuple[str, str]]:
        return [(name, _feature(name, self.found.profile.get(name))) for name in FEATURES]

    @property
    def own_outcome(self) -> str:
        measure = self.found.measure
        return number(self.found.outcome, measure.metric if measure else "proficiency_rate")

    @property
    def percentile(self) -> str:
        p = self.found.percentile
        return "" if p is None else f"{p:.0f}"


def features() -> list[tuple[str, float]]:
    """What is compared and how much it counts, as shown to people."""
    return [(_(label), WEIGHTS[name]) for name, label in FEATURES.items()]


def _pool(
    school: Organization, audience: Audience, filters: Filters, pool: str
) -> tuple[pl.DataFrame, dict[str, Organization]]:
    """Profiles with level and outcome of every school in the pool, and their orgs by key."""
    district = school.district()
    assert district is not None
    districts = [district]
    if pool == "network":
        districts += list(
            Organization.objects.filter(kind="district", networks__in=district.networks.all())
            .exclude(pk=district.pk)
            .distinct()
        )
    frames: list[pl.DataFrame] = []
    orgs: dict[str, Organization] = {}
    if pool == "file":
        frames.append(_file_pool(district, school, filters))
    for d in districts:
        own = d == district
        seen_as = audience if own else Audience.PUBLIC
        frame, by_key = _district_pool(d, seen_as, filters, prefix="" if own else f"{d.pk}:")
        frames.append(frame)
        orgs |= by_key
    return pl.concat(frames, how="vertical_relaxed"), orgs


POOL_SCHEMA = PROFILE_SCHEMA | {"outcome": pl.Float64(), "level": pl.String()}


def _file_pool(district: Organization, school: Organization, filters: Filters) -> pl.DataFrame:
    """The schools of the district's imported public school-level file, as a pool.

    Each school counts with the newest year the file has up to the year on screen (public
    files lag), labelled as that year; its outcome is the file's proficiency rate. A file
    without levels is taken to hold schools of the same level as this one.
    """
    rows = pipeline.current(district.pk, Kind.SCHOOLS)
    have = rows.collect_schema()
    if "school_code" not in have:
        return pl.DataFrame(schema=POOL_SCHEMA)
    latest = (
        rows.filter(pl.col("school_year") <= filters.school_year)
        .sort("school_year")
        .group_by("school_code")
        .last()
    )
    given = {name: name for name in PROFILE_SCHEMA if name in have} | {
        "outcome": "proficiency_rate",
        "level": "level",
    }
    columns = {
        name: pl.col(source) if source in have else pl.lit(None) for name, source in given.items()
    } | {
        "school_code": FILE_PREFIX + pl.col("school_code"),
        "school_year": pl.lit(filters.school_year),
    }
    frame = latest.select(
        (columns.get(name, pl.lit(None))).cast(dtype).alias(name)
        for name, dtype in POOL_SCHEMA.items()
    ).collect()
    return frame.with_columns(pl.col("level").fill_null(school.level or None))


def _district_pool(
    district: Organization, audience: Audience, filters: Filters, prefix: str
) -> tuple[pl.DataFrame, dict[str, Organization]]:
    table = cube.latest(district)
    schools = {cube.org_code(s): s for s in district.children.all()}
    if table is None or not table.profiles_path or not Path(table.profiles_path).exists():
        return pl.DataFrame(schema=PROFILE_SCHEMA | {"level": pl.String()}), {}
    where = (
        (pl.col("school_year") == filters.school_year)
        & (pl.col("group_type") == ALL)
        & (pl.col("metric") == filters.metric)
        & (pl.col("subject") == filters.subject)
        & (pl.col("grade") == filters.grade)
    )
    outcomes = cube.load(district, audience, where).frame
    profiles = pl.read_parquet(table.profiles_path).filter(
        pl.col("school_year") == filters.school_year
    )
    measure = Outcome(filters.metric, filters.subject, filters.grade)
    levels = {code: s.level or None for code, s in schools.items()}
    frame = with_outcome(profiles, outcomes, measure).with_columns(
        pl.col("school_code")
        .replace_strict(levels, default=None, return_dtype=pl.String)
        .alias("level"),
        (prefix + pl.col("school_code")).alias("school_code"),
    )
    return frame, {prefix + code: s for code, s in schools.items()}


def similar(
    school: Organization, audience: Audience, filters: Filters, pool: str = "district"
) -> Peers | None:
    """The school's most similar schools in ``pool`` for the filters' year and measure."""
    frame, orgs = _pool(school, audience, filters, pool)
    return similar_in(frame, orgs, school, filters, pool)


def district_pool(
    district: Organization, audience: Audience, filters: Filters
) -> tuple[pl.DataFrame, dict[str, Organization]]:
    """The district pool, for comparing each of its schools in turn (findings)."""
    return _district_pool(district, audience, filters, prefix="")


def similar_in(
    frame: pl.DataFrame,
    orgs: dict[str, Organization],
    school: Organization,
    filters: Filters,
    pool: str,
) -> Peers | None:
    """The school's most similar schools within an already gathered pool."""
    code = cube.org_code(school)
    if frame.filter(pl.col("school_code") == code).is_empty():
        return None
    measure = Outcome(filters.metric, filters.subject, filters.grade)
    others = frame.filter(pl.col("school_code") != code)
    features = [f for f in FEATURES if others.get_column(f).is_not_null().any()] or None
    found = nearest_schools(
        frame,
        code,
        year=filters.school_year,
        k=K,
        pool=pool,
        measure=measure,
        features=features,
    )
    peers = [
        Peer(
            name=_name(orgs, row["school_code"]),
            org=orgs.get(row["school_code"]),
            distance=row["distance"],
            features=[_feature(name, row[name]) for name in FEATURES],
            outcome=number(row["outcome"], filters.metric),
        )
        for row in found.schools.iter_rows(named=True)
    ]
    return Peers(pool, found, peers, _chart(school, found, peers, filters))


def _name(orgs: dict[str, Organization], key: str) -> str:
    return orgs[key].name if key in orgs else key.removeprefix(FILE_PREFIX)


def _feature(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if name == "enrollment" else f"{value * 100:.0f}%"


def _chart(
    school: Organization, found: Similar, peers: list[Peer], filters: Filters
) -> charts.Chart | None:
    if not is_rate(filters.metric) or not peers:
        return None
    me = found.profile
    points = [
        charts.SchoolPoint(
            school.name,
            me.get("econ_share"),
            me.get("outcome"),
            _feature("econ_share", me.get("econ_share")),
            number(me.get("outcome"), filters.metric),
            is_self=True,
        )
    ]
    for peer, row in zip(peers, found.schools.iter_rows(named=True), strict=True):
        points.append(
            charts.SchoolPoint(
                peer.name,
                row["econ_share"],
                row["outcome"],
                _feature("econ_share", row["econ_share"]),
                peer.outcome,
            )
        )
    summary = _(
        "%(school)s and its most similar schools: the share of economically disadvantaged "
        "students across, %(measure)s up."
    ) % {"school": school.name, "measure": labels.metric(filters.metric).lower()}
    return charts.similar_schools(  # the school's feature against the measure
        "chart-similar",
        _("Similar schools"),
        summary,
        str(FEATURES["econ_share"]),
        labels.metric(filters.metric),
        points,
    )
