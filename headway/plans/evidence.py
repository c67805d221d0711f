"""Evidence pinned to the needs assessment: a live link and a frozen copy of what it said.

The data change with every import; a needs assessment must still show what the team saw
when it wrote its answer. So pinning copies the finding's sentence and numbers, or a
figure's rows, into ``Evidence.frozen``, and the link keeps showing today's figures.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headway.data.core.aggregates import ALL
from headway.explore.cube import Audience
from headway.explore.filters import Filters
from headway.explore.models import Finding
from headway.explore.present import is_rate, number
from headway.orgs.models import Organization, school_year_label
from headway.plans.models import Evidence
from headway.plans.snapshots import Figure, figure, shown

FROM_FINDING = "finding"
FROM_RESULTS = "results"

# How the numbers of a finding read, by the names the findings give them.
YEARS = ("school_year", "prior_year", "first_year", "last_year")
VALUES = {
    "value": gettext_lazy("The group"),
    "all_value": gettext_lazy("All students"),
    "prior_value": gettext_lazy("The year before"),
    "first_value": gettext_lazy("First year"),
    "last_value": gettext_lazy("Latest year"),
    "outcome": gettext_lazy("This school"),
}
DIFFERENCES = {
    "gap": gettext_lazy("Gap to all students"),
    "gap_first": gettext_lazy("Gap in the first year"),
    "gap_last": gettext_lazy("Gap in the latest year"),
    "change": gettext_lazy("Change"),
}
COUNTS = {
    "n": gettext_lazy("Students in the group"),
    "all_n": gettext_lazy("All students counted"),
    "similar_schools": gettext_lazy("Similar schools compared"),
    "better_than": gettext_lazy("Similar schools it does better than"),
}
YEAR_LABELS = {
    "school_year": gettext_lazy("School year"),
    "prior_year": gettext_lazy("Compared with"),
    "first_year": gettext_lazy("From"),
    "last_year": gettext_lazy("To"),
}


def _now() -> str:
    return timezone.now().isoformat(timespec="seconds")


def results_link(org: Organization, query: str) -> str:
    """The results page of the organization with the given filters: the live figure."""
    return reverse("explore-results", args=[org.code]) + "?" + query


def freeze_finding(finding: Finding) -> dict[str, Any]:
    """The finding's sentence and numbers as they are now."""
    return {
        "text": finding.shown_text,
        "numbers": dict(finding.numbers),
        "metric": finding.filters.get("metric", ""),
        "pinned_from": FROM_FINDING,
        "at": _now(),
    }


def figure_rows(frame: pl.DataFrame, filters: Filters, audience: Audience) -> list[Figure]:
    """The rows a results page shows for its measure: all students, then the compared groups."""
    groups = pl.col("group_type").is_in([ALL, filters.group_type])
    rows = frame.filter(filters.where() & (pl.col("metric") == filters.metric) & groups)
    found = [figure(row, audience) for row in rows.iter_rows(named=True)]
    return sorted(found, key=lambda f: (f["group_type"] != ALL, f["label"]))


def freeze_figure(
    title: str, filters: Filters, frame: pl.DataFrame, audience: Audience
) -> dict[str, Any]:
    """A results page's figure as it is now: its rows, for the pinning person's audience."""
    return {
        "text": title,
        "rows": figure_rows(frame, filters, audience),
        "filters": filters.query(),
        "metric": filters.metric,
        "audience": audience.value,
        "pinned_from": FROM_RESULTS,
        "at": _now(),
    }


def shown_rows(frozen: dict[str, Any], internal: bool) -> list[Figure]:
    """A frozen figure's rows as the viewer may see them (the public's part, or all)."""
    return [shown(row, internal) for row in frozen.get("rows", [])]


def _difference(value: float, metric: str) -> str:
    if is_rate(metric):
        points = round(value * 100)
        return _("%(n)s points") % {"n": f"{points:+d}".replace("-", "\N{MINUS SIGN}")}
    return f"{round(value):+d}".replace("-", "\N{MINUS SIGN}")


def numbers_shown(frozen: dict[str, Any]) -> list[tuple[str, str]]:
    """A frozen finding's numbers in words: [("Gap to all students", "−34"), …]."""
    numbers, metric = frozen.get("numbers") or {}, frozen.get("metric", "")
    out: list[tuple[str, str]] = []
    for name, value in numbers.items():
        if value is None:
            continue
        if name in YEAR_LABELS:
            out.append((str(YEAR_LABELS[name]), school_year_label(int(value))))
        elif name in VALUES:
            out.append((str(VALUES[name]), number(float(value), metric)))
        elif name in DIFFERENCES:
            out.append((str(DIFFERENCES[name]), _difference(float(value), metric)))
        elif name in COUNTS:
            out.append((str(COUNTS[name]), f"{int(value):,}"))
    return out


def changed_since(evidence: Evidence) -> bool:
    """Whether the finding behind the evidence now reads differently from its frozen copy."""
    finding, frozen = evidence.finding, evidence.frozen
    if finding is None or frozen.get("pinned_from") != FROM_FINDING:
        return False
    return bool(
        finding.shown_text != frozen.get("text") or finding.numbers != frozen.get("numbers")
    )
