"""Alder Creek's year of monitoring, for the demo district: a cycle closed, a cycle under way.

The story, dated from the day the demo is loaded:

- The **earlier cycle** (the two school years up to last school year) had two goals and
  three strategies. Its evaluation is finished: the reading goal was met, the attendance
  goal partly met; the attendance awards were not continued. The evaluation started the
  **current cycle** (this school year and the next).
- The current cycle has a needs assessment with three priorities and goals on the demo
  data's indicators, and an approved plan with three strategies. Family attendance
  outreach began about 20 weeks ago and was adjusted at its review; the computer-based math
  program was stopped at its review; the reading PLC review is overdue.
- A year of **weekly measures** of the team's own, to last Monday: the attendance rate
  (rising clearly since the outreach began), the share of classrooms showing the look-for
  (a p chart, rebased when the new walkthrough schedule began) and the math check-in
  average (an XmR chart, off track). PDSA cycles and changes are annotated.
- Four weekly **meetings** in the last month, one issue solved and two open, to-dos done
  and open (one late, one of Priya Natarajan's due this week), and two initiatives in the
  inventory besides the strategies.

Goals' baselines and the evaluation's figures come from the demo data when its results are
there (``plans.baselines``; computed here if the task worker has not done it yet) and from
the same figures written down here when they are not (a test world without an import). The
goals' measures are tracked and get today's point from the data as after any import
(``monitor.goalpoints``). The weekly measures' noise comes from fixed seeds, so every load
tells the same story.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from headway.monitor.demo import measures, meetings, plans
from headway.monitor.demo.common import LEAD, SCHOOL, Calendar
from headway.orgs.models import Organization
from headway.teams.models import Team

__all__ = ["load_demo_monitor"]


@transaction.atomic
def load_demo_monitor(district: Organization, today: date | None = None) -> None:
    """Alder Creek's cycles, measures, meetings and inventory (the school and its team come
    from the orgs and teams demos)."""
    cal = Calendar(today or timezone.localdate())
    school = Organization.objects.get(parent=district, name=SCHOOL)
    team = Team.objects.filter(org=school).order_by("created_at").first()
    assert team is not None, "load the teams demo first"
    people = {m.name: m for m in team.members.select_related("user")}
    lead = people[LEAD].user
    assert lead is not None, "the team lead signs in as lead@headway.example"
    plans.ensure_results(district)
    figures = plans.Figures(school, cal.year)
    earlier = plans.earlier_cycle(school, cal, figures, lead)
    current = plans.current_cycle(school, cal, figures, lead)
    measures.track_goals(district, [earlier.cycle, current.cycle])  # before the evaluation
    plans.evaluation(earlier, current, cal, figures, lead)
    plans.approve(earlier.plan, lead, cal.at(date(cal.year - 2, 9, 20), 10))
    plans.approve(current.plan, lead, cal.at(date(cal.year, 8, 10), 10))
    weekly = measures.weekly_measures(current, cal, lead)
    plans.reviews(current, cal)
    meetings.hold_meetings(team, current, cal, people, weekly)
    plans.initiatives(school)
