"""Beginning- and end-of-year snapshots: the school's key figures, taken and compared.

A snapshot keeps, as display-ready dicts, the figures the team watches for one school year:
proficiency and the average scale score per subject, chronic absence and suspensions, for
all grades, all students and every student group. Each figure also carries what the public
sees of it (``public``), so a snapshot taken with internal figures is shown to people
without student access only as the public would see it.

Plain Python and Polars over rows of the aggregate table; no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from headway.data.core.aggregates import ALL
from headway.data.core.words import shown_number
from headway.explore import labels
from headway.explore.cube import Audience
from headway.explore.present import is_rate, number
from headway.orgs.models import school_year_label

KEY_METRICS = ("proficiency_rate", "mean_scale_score", "chronic_absence_rate", "suspension_rate")
SUBJECT_ORDER = ("math", "ela", "science", "social_studies", "other", ALL)
GROUP_ORDER = tuple(labels.GROUP_TYPES)
MINUS = "\N{MINUS SIGN}"

Figure = dict[str, Any]


def _public(row: dict[str, Any], internal: bool) -> Figure:
    """What the public sees of a row (an internal row carries suppression's marks)."""
    metric, reason = row["metric"], row.get("reason") or ""
    if not internal:
        return {"n": row["n"], "value": row["value"], "display": _text(row, internal=False)}
    hidden = bool(row.get("suppressed"))
    return {
        "n": None if hidden else row["n"],
        "value": None if reason else row["value"],  # coded and hidden cells lose their value
        "display": row.get("display") or number(None if reason else row["value"], metric),
    }


def _text(row: dict[str, Any], *, internal: bool) -> str:
    shown = number(row["value"], row["metric"])
    return shown if internal else (row.get("display") or shown)


def figure(row: dict[str, Any], audience: Audience) -> Figure:
    """One row of the aggregate table as a snapshot keeps it."""
    internal = audience is Audience.INTERNAL
    return {
        "metric": row["metric"],
        "subject": row["subject"],
        "group_type": row["group_type"],
        "group_value": row["group_value"],
        "label": labels.group(row["group_type"], row["group_value"]),
        "school_year": int(row["school_year"]),
        "n": row["n"],
        "value": row["value"],
        "display": _text(row, internal=internal),
        "audience": audience.value,
        "public": _public(row, internal),
    }


def _order(fig: Figure) -> tuple[int, int, int, str]:
    group = fig["group_type"]
    return (
        KEY_METRICS.index(fig["metric"]),
        SUBJECT_ORDER.index(fig["subject"]) if fig["subject"] in SUBJECT_ORDER else 99,
        GROUP_ORDER.index(group) if group in GROUP_ORDER else 99,
        fig["label"],
    )


def extract(
    frame: pl.DataFrame, org_code: str, school_year: int, audience: Audience
) -> list[Figure]:
    """The organization's key figures for ``school_year``.

    Each measure comes from the newest year of data up to the school year: at the beginning
    of a year, last spring's results are the newest there are.
    """
    rows = frame.filter(
        (pl.col("org_code") == org_code)
        & (pl.col("grade") == ALL)
        & pl.col("metric").is_in(KEY_METRICS)
        & (pl.col("school_year") <= school_year)
    )
    if rows.is_empty():
        return []
    newest = rows.group_by("metric", "subject").agg(pl.col("school_year").max())
    rows = rows.join(newest, on=["metric", "subject", "school_year"])
    found = [figure(row, audience) for row in rows.iter_rows(named=True)]
    return sorted(found, key=_order)


def audience_of(figures: Sequence[Figure]) -> Audience:
    """Whose figures a snapshot holds; an empty one holds nothing to protect."""
    if figures and figures[0].get("audience") == Audience.INTERNAL.value:
        return Audience.INTERNAL
    return Audience.PUBLIC


def shown(fig: Figure, internal: bool) -> Figure:
    """The figure as a viewer may see it: internal viewers all of it, others the public part."""
    if internal or fig.get("audience") != Audience.INTERNAL.value:
        return fig
    return {**fig, **fig["public"]}


def change_text(before: Figure, after: Figure, *, internal: bool, change_n: int) -> str:
    """The change between two shown figures in plain words, or "" when it cannot be shown.

    The public sees a change only where both figures are shown and both groups have at
    least ``change_n`` students (the same rule as the results pages' year-over-year changes).
    """
    if before["value"] is None or after["value"] is None:
        return ""
    if not internal and (min(before["n"] or 0, after["n"] or 0) < change_n):
        return ""
    rate = is_rate(after["metric"])
    moved = shown_number(after["value"], rate) - shown_number(before["value"], rate)
    if moved == 0:
        return "0"
    sign = "+" if moved > 0 else MINUS
    return f"{sign}{abs(moved)}"


@dataclass(frozen=True)
class Row:
    label: str
    beginning: Figure | None
    end: Figure | None
    change: str  # "+3", "−2", "0" (points for rates), "" when not shown
    beginning_from: str = ""  # the data's school year, when older than the snapshot's
    end_from: str = ""


@dataclass
class Measure:
    """One measure of the comparison: proficiency in math, chronic absence, …"""

    metric: str
    subject: str
    rows: list[Row] = field(default_factory=list)

    @property
    def title(self) -> str:
        name = labels.metric(self.metric)
        return name if self.subject == ALL else f"{name} · {labels.subject(self.subject)}"

    @property
    def in_points(self) -> bool:
        return is_rate(self.metric)


def _key(fig: Figure) -> tuple[str, str, str, str]:
    return (fig["metric"], fig["subject"], fig["group_type"], fig["group_value"])


def _older(fig: Figure | None, school_year: int) -> str:
    if fig is None or fig["school_year"] == school_year:
        return ""
    return school_year_label(fig["school_year"])


def compare(
    beginning: Iterable[Figure],
    end: Iterable[Figure],
    *,
    school_year: int,
    internal: bool,
    change_n: int,
) -> list[Measure]:
    """The two snapshots of ``school_year`` side by side, measure by measure, as the viewer
    may see them."""
    before = {_key(f): shown(f, internal) for f in beginning}
    after = {_key(f): shown(f, internal) for f in end}
    both = before | after
    keys = sorted(both, key=lambda k: _order(both[k]))
    measures: dict[tuple[str, str], Measure] = {}
    for key in keys:
        first, last = before.get(key), after.get(key)
        known = last or first
        assert known is not None
        measure = measures.setdefault(key[:2], Measure(key[0], key[1]))
        change = (
            change_text(first, last, internal=internal, change_n=change_n) if first and last else ""
        )
        older = _older(first, school_year), _older(last, school_year)
        measure.rows.append(Row(known["label"], first, last, change, *older))
    return list(measures.values())
