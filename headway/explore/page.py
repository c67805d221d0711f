"""Everything one results page shows, built from the rows of the aggregate table it loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from django.utils.translation import gettext as _

from headway.data.core.aggregates import ALL
from headway.data.core.gaps import gaps, trends
from headway.data.core.suppression import Policy
from headway.data.core.words import capital
from headway.explore import charts, cube, labels
from headway.explore.charts import Chart
from headway.explore.cube import Results, org_code
from headway.explore.filters import Filters
from headway.explore.present import Cell, cells, is_rate
from headway.orgs.models import Organization, school_year_label

TREND_YEARS = 5


@dataclass(frozen=True)
class Compared:
    """A group's cell with how it compares with all students, in plain words."""

    cell: Cell
    gap: str  # "−19 points", "" when there is nothing to compare
    sentence: str
    supported: bool | None  # the difference is larger than chance (None: not testable)


@dataclass
class ResultsPage:
    org: Organization
    filters: Filters
    internal: bool
    everyone: Cell | None = None  # all students, for the chosen measure
    groups: list[Compared] = field(default_factory=list)  # the compared groups
    levels: dict[str, list[Cell]] = field(default_factory=dict)  # group label → level shares
    level_names: list[str] = field(default_factory=list)
    trend: dict[str, list[Cell | None]] = field(default_factory=dict)  # label → cell per year
    trend_sentences: list[str] = field(default_factory=list)
    trend_years: list[int] = field(default_factory=list)
    schools: list[tuple[Organization, Cell]] = field(default_factory=list)
    charts: dict[str, Chart] = field(default_factory=dict)  # "groups", "trend", "levels"

    @property
    def title(self) -> str:
        f = self.filters
        parts = [labels.metric(f.metric), school_year_label(f.school_year)]
        if f.subject != ALL:
            parts.insert(1, labels.subject(f.subject))
        if f.grade != ALL:
            parts.insert(-1, labels.grade(f.grade))
        return " · ".join(parts)

    @property
    def metric_label(self) -> str:
        return labels.metric(self.filters.metric)

    @property
    def year_labels(self) -> list[str]:
        return [school_year_label(y) for y in self.trend_years]


def build(org: Organization, results: Results, filters: Filters, policy: Policy) -> ResultsPage:
    """The page for one organization's rows (``results.frame`` holds only that org)."""
    frame = results.frame
    page = ResultsPage(org, filters, results.internal)
    year = frame.filter(filters.where())
    compared = _compared(filters)
    measure = year.filter((pl.col("metric") == filters.metric) & compared)
    chosen = cells(measure, page.internal)
    page.everyone = next((c for c in chosen if c.is_all), None)
    page.groups = _with_gaps([c for c in chosen if not c.is_all], measure, policy)
    _levels(page, year.filter(compared), results.table.levels if results.table else [])
    _trend(page, frame, compared, policy)
    if is_rate(filters.metric):
        page.charts = _charts(page)
    return page


def _charts(page: ResultsPage) -> dict[str, Chart]:
    measure = page.metric_label
    shown = ([page.everyone] if page.everyone else []) + [g.cell for g in page.groups]
    out = {
        "groups": charts.group_bars(
            "chart-groups",
            _("By student group"),
            _bars_summary(shown),
            measure,
            [charts.GroupRate(c.label, c.value, c.ci_low, c.ci_high, c.n, c.text) for c in shown],
        )
    }
    if len(page.trend_years) > 1:
        points = [
            charts.TrendPoint(label, cell.school_year, cell.value, cell.text)
            for label, row in page.trend.items()
            for cell in row
            if cell is not None
        ]
        summary = " ".join(page.trend_sentences[:2]) or _("Each group's figure in each year.")
        out["trend"] = charts.gap_trends("chart-trend", _("Over time"), summary, measure, points)
    if page.levels and 1 <= len(page.level_names) <= len(charts.LEVEL_RAMP):
        rows = [
            charts.LevelRow(
                label,
                {labels.metric(c.metric): c.value for c in row},
                {labels.metric(c.metric): c.text for c in row},
            )
            for label, row in page.levels.items()
        ]
        out["levels"] = charts.level_distribution(
            "chart-levels",
            _("Performance levels"),
            _("Each group's tested students by level, lowest level first."),
            page.level_names,
            rows,
        )
    return out


def _bars_summary(shown: list[Cell]) -> str:
    known = [c for c in shown if c.value is not None and not c.is_all]
    everyone = next((c for c in shown if c.is_all), None)
    parts = []
    if everyone is not None:
        parts.append(_("All students: %(v)s.") % {"v": everyone.text})
    if len(known) >= 2:
        high = max(known, key=lambda c: c.value or 0)
        low = min(known, key=lambda c: c.value or 0)
        parts.append(
            _("Highest: %(high)s (%(hv)s); lowest: %(low)s (%(lv)s).")
            % {"high": high.label, "hv": high.text, "low": low.label, "lv": low.text}
        )
    return " ".join(parts) or _("No group has a figure to show for these choices.")


def _with_gaps(groups: list[Cell], measure: pl.DataFrame, policy: Policy) -> list[Compared]:
    found = {
        (row["group_type"], row["group_value"]): row
        for row in gaps(measure, policy=policy).iter_rows(named=True)
    }
    out = []
    for cell in groups:
        row = found.get((cell.group_type, cell.group_value))
        if row is None or row["gap_to_all"] is None:
            out.append(Compared(cell, "", "", None))
            continue
        points = round(row["gap_to_all"])
        gap = f"{points:+d}".replace("-", "−") if points else "0"
        out.append(Compared(cell, gap, capital(row["sentence"] or ""), row["all_supported"]))
    return out


def _compared(filters: Filters) -> pl.Expr:
    return pl.col("group_type").is_in([ALL, filters.group_type])


def _levels(page: ResultsPage, year: pl.DataFrame, levels: list[str]) -> None:
    shares = year.filter(pl.col("metric").str.starts_with(labels.LEVEL_PREFIX))
    if shares.is_empty() or page.filters.metric not in labels.ASSESSMENT_METRICS:
        return
    seen = {labels.metric(m) for m in shares.get_column("metric").unique()}
    page.level_names = [name for name in levels if name in seen]
    order = {name: i for i, name in enumerate(page.level_names)}
    for cell in cells(shares.sort("group_type", "group_value"), page.internal):
        if labels.metric(cell.metric) in order:
            page.levels.setdefault(cell.label, []).append(cell)
    for row in page.levels.values():
        row.sort(key=lambda c: order[labels.metric(c.metric)])


def _trend(page: ResultsPage, frame: pl.DataFrame, compared: pl.Expr, policy: Policy) -> None:
    f = page.filters
    rows = frame.filter(
        (pl.col("subject") == f.subject)
        & (pl.col("grade") == f.grade)
        & (pl.col("metric") == f.metric)
        & compared
    )
    years = sorted(set(rows.get_column("school_year").to_list()))[-TREND_YEARS:]
    page.trend_years = years
    recent = rows.filter(pl.col("school_year").is_in(years)).sort("school_year")
    column = {year: i for i, year in enumerate(years)}
    for cell in cells(recent, page.internal):
        row = page.trend.setdefault(cell.label, [None] * len(years))
        row[column[cell.school_year]] = cell
    if len(years) > 1:
        page.trend_sentences = _trend_sentences(recent, policy)


def _trend_sentences(recent: pl.DataFrame, policy: Policy) -> list[str]:
    """One sentence per group on its first-to-last change, and one on its gap."""
    found = trends(recent, policy=policy, years=TREND_YEARS)
    last = found.filter(pl.col("school_year") == pl.col("last_year"))
    out = []
    for row in last.sort("group_type", "group_value").iter_rows(named=True):
        for text in (row["trend_sentence"], row["gap_sentence"]):
            if text:
                out.append(capital(text))
    return out


def school_rows(
    district: Organization, results: Results, filters: Filters
) -> list[tuple[Organization, Cell]]:
    """Each school's all-students figure for the filters, for the district page."""
    schools = {org_code(s): s for s in district.children.order_by("name")}
    frame = results.frame.filter(
        filters.where()
        & (pl.col("metric") == filters.metric)
        & (pl.col("group_type") == ALL)
        & pl.col("org_code").is_in(list(schools))
    )
    by_code = {c.org_code: c for c in _with_org(frame, results.internal)}
    return [(s, by_code[code].cell) for code, s in schools.items() if code in by_code]


def district_rows(network: Organization, filters: Filters) -> list[tuple[Organization, Cell]]:
    """Each member district's all-students figure, as its own internal table has it."""
    districts = {d.pk: d for d in network.members.filter(kind=Organization.Kind.DISTRICT)}
    found = cube.latest_of(network.members.filter(kind=Organization.Kind.DISTRICT))
    rows = []
    for pk, table in sorted(found.items(), key=lambda item: districts[item[0]].name):
        frame = pl.scan_parquet(table.internal_path).filter(
            filters.where()
            & (pl.col("org_level") == "district")
            & (pl.col("metric") == filters.metric)
            & (pl.col("group_type") == ALL)
        )
        shown = cells(frame.collect(), internal=True)
        if shown:
            rows.append((districts[pk], shown[0]))
    return rows


@dataclass(frozen=True)
class _OrgCell:
    org_code: str
    cell: Cell


def _with_org(frame: pl.DataFrame, internal: bool) -> list[_OrgCell]:
    return [
        _OrgCell(code, cell)
        for code, cell in zip(frame.get_column("org_code"), cells(frame, internal), strict=True)
    ]
