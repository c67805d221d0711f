"""The initiative inventory: everything the school spends money and teacher time on.

One table of the plan's strategies (cost: their budget lines; teacher time, reach and status
from the plan) and the organization's other initiatives, so a team can see what it carries
and clear the deck. Totals count what is still going on: a stopped strategy is listed but
no longer counted. "Freed" is the teacher time that stopping the initiatives the team marked
"stop" would give back.

No queries here: the view passes strategies with their budget lines prefetched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from headway.explore.charts import BAR, CONFIG, NARROW, SCHEMA_URL, WRAP_LABEL, Chart, Spec
from headway.monitor.flags import per_student
from headway.monitor.models import Initiative
from headway.plans.models import Strategy

ZERO = Decimal(0)
BAND = 34  # pixels per initiative in the chart


@dataclass(frozen=True)
class Row:
    name: str
    cost: Decimal
    teacher_hours: Decimal | None
    students: int | None  # reached; the school's enrollment when it reaches everyone
    whole_school: bool
    status: str  # in words
    running: bool  # counted in the totals
    marked_stop: bool  # an initiative the team marked "stop"
    strategy: Strategy | None = None
    initiative: Initiative | None = None

    @property
    def cost_per_student(self) -> Decimal | None:
        return per_student(self.cost, self.students)

    @property
    def hours(self) -> Decimal:
        return self.teacher_hours or ZERO


@dataclass(frozen=True)
class Totals:
    cost: Decimal
    hours: Decimal  # teacher hours a month
    freed: Decimal  # by stopping the initiatives marked "stop"
    to_stop: list[str] = field(default_factory=list)  # their names
    stopped_hours: Decimal = ZERO  # already freed by stopping strategies


def strategy_row(strategy: Strategy, enrollment: int | None) -> Row:
    """A strategy with its budget lines prefetched."""
    cost = sum((line.amount for line in strategy.budget.all()), ZERO)
    running = strategy.status == Strategy.Status.ACTIVE
    return Row(
        name=strategy.title,
        cost=cost,
        teacher_hours=strategy.teacher_hours,
        students=strategy.students or enrollment,
        whole_school=not strategy.students,
        status=_("Plan strategy, under way") if running else _("Plan strategy, stopped"),
        running=running,
        marked_stop=False,
        strategy=strategy,
    )


def initiative_row(initiative: Initiative, enrollment: int | None) -> Row:
    return Row(
        name=initiative.name,
        cost=initiative.cost,
        teacher_hours=initiative.teacher_hours,
        students=initiative.students or enrollment,
        whole_school=not initiative.students,
        status=initiative.get_status_display(),
        running=True,
        marked_stop=initiative.status == Initiative.Status.STOP,
        initiative=initiative,
    )


def rows(
    strategies: Iterable[Strategy], initiatives: Iterable[Initiative], enrollment: int | None
) -> list[Row]:
    """The plan's strategies first, in the plan's order, then the other initiatives by name."""
    return [strategy_row(s, enrollment) for s in strategies] + [
        initiative_row(i, enrollment) for i in initiatives
    ]


def totals(table: Sequence[Row]) -> Totals:
    running = [row for row in table if row.running]
    to_stop = [row for row in running if row.marked_stop]
    return Totals(
        cost=sum((row.cost for row in running), ZERO),
        hours=sum((row.hours for row in running), ZERO),
        freed=sum((row.hours for row in to_stop), ZERO),
        to_stop=[row.name for row in to_stop],
        stopped_hours=sum((row.hours for row in table if not row.running), ZERO),
    )


# --- the chart ----------------------------------------------------------------------------------


def hours(value: Decimal) -> str:
    """Hours as the page shows them: "12", "12.5", "1,240"."""
    places = 0 if value == value.to_integral_value() else 1
    return number_format(value, places, force_grouping=True)


def hours_chart(table: Sequence[Row]) -> Chart | None:
    """Teacher hours a month by initiative, of what is going on; None without any hours."""
    shown = sorted((row for row in table if row.running and row.hours), key=lambda r: -r.hours)
    if not shown:
        return None
    spec: Spec = {
        "$schema": SCHEMA_URL,
        "description": _(
            "Horizontal bar chart of the teacher time each initiative takes, in hours a month, "
            "longest first."
        ),
        "width": "container",
        "height": len(shown) * BAND,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": CONFIG,
        "data": {"values": [_value(row) for row in shown]},
        "mark": {"type": "bar", "color": BAR, "height": {"band": 0.6}},
        "encoding": {"y": _name_axis(), "x": _hours_axis()},
    }
    columns = [_("Initiative"), _("Teacher hours a month"), _("Decision")]
    data = [[row.name, hours(row.hours), row.status] for row in shown]
    title = _("Teacher time by initiative")
    return Chart("teacher-time", title, _summary(shown), spec, columns, data)


def _value(row: Row) -> dict[str, Any]:
    return {"name": row.name, "hours": float(row.hours)}


def _name_axis() -> Spec:
    axis = {"labelLimit": {"expr": f"{NARROW} ? 120 : 240"}, "labelExpr": WRAP_LABEL}
    return {"field": "name", "type": "nominal", "sort": None, "title": None, "axis": axis}


def _hours_axis() -> Spec:
    return {"field": "hours", "type": "quantitative", "title": _("Teacher hours a month")}


def _summary(shown: Sequence[Row]) -> str:
    total = sum((row.hours for row in shown), ZERO)
    top = shown[0]
    return ngettext(
        "%(n)s initiative takes %(total)s teacher hours a month. The most: %(name)s, "
        "%(hours)s hours.",
        "%(n)s initiatives take %(total)s teacher hours a month together. The most: "
        "%(name)s, %(hours)s hours.",
        len(shown),
    ) % {"n": len(shown), "total": hours(total), "name": top.name, "hours": hours(top.hours)}
