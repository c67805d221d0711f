"""What every part of the demo shares: its calendar, the school, the team lead, a cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from headway.orgs.models import current_start_year
from headway.plans.models import Cycle, Goal, Plan, Strategy

SCHOOL = "Alder Creek Elementary"
LEAD = "Priya Natarajan"  # lead@headway.example, the team's facilitator
WEEKS = 52


@dataclass(frozen=True)
class Calendar:
    """Every date of the story, counted from the day the demo is loaded."""

    today: date

    @property
    def year(self) -> int:
        """This school year (the calendar year it starts in)."""
        return current_start_year(self.today)

    @property
    def monday(self) -> date:
        """Last Monday: the most recent Monday before today."""
        return self.today - timedelta(days=self.today.weekday() or 7)

    def weeks_ago(self, n: int) -> date:
        """The Monday ``n`` weeks before last Monday."""
        return self.monday - timedelta(weeks=n)

    def days(self, n: int) -> date:
        return self.today + timedelta(days=n)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def weekly(self) -> list[date]:
        """The Mondays of the last year, oldest first, ending last Monday."""
        return [self.weeks_ago(WEEKS - 1 - i) for i in range(WEEKS)]


@dataclass
class Built:
    cycle: Cycle
    plan: Plan
    goals: list[Goal]
    strategies: list[Strategy]
