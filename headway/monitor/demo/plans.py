"""The demo school's two cycles: goals, plans, strategies, the evaluation and the reviews."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from headway.accounts.models import User
from headway.data.core.gains import Indicator
from headway.data.models import Coverage
from headway.explore import cube
from headway.explore.cube import Audience
from headway.monitor import flags
from headway.monitor.demo.common import Built, Calendar
from headway.monitor.models import (
    Evaluation,
    GoalVerdict,
    Initiative,
    StrategyReview,
    StrategyVerdict,
)
from headway.orgs.models import Organization, school_year_label
from headway.plans import baselines, document
from headway.plans.models import (
    ActionStep,
    Answer,
    BudgetLine,
    Cycle,
    Goal,
    NeedsAssessment,
    Plan,
    PlanVersion,
    Priority,
    Rock,
    Strategy,
)
from headway.plans.models import Decision as PlanDecision


@dataclass(frozen=True)
class GoalSpec:
    """A goal on one of the demo data's indicators, with the figures to fall back on."""

    metric: str
    subject: str
    statement: str
    target: float
    interim: float | None  # for the cycle's first year
    fallback: tuple[float, float, float]  # three and two years ago, and last year
    direction: str = Goal.Direction.INCREASE


ELA = ("proficiency_rate", "ela")
MATH = ("proficiency_rate", "math")
ABSENCE = ("chronic_absence_rate", "all")
FALLBACK = {ELA: (0.272, 0.284, 0.327), MATH: (0.282, 0.295, 0.310), ABSENCE: (0.155, 0.160, 0.140)}


def spec(key: tuple[str, str], statement: str, target: float, interim: float | None) -> GoalSpec:
    metric, subject = key
    decrease = metric == "chronic_absence_rate"
    direction = Goal.Direction.DECREASE if decrease else Goal.Direction.INCREASE
    return GoalSpec(metric, subject, statement, target, interim, FALLBACK[key], direction)


EARLIER_GOALS = [
    spec(ELA, "Raise the share of students proficient in reading to 32% by {year}.", 0.32, 0.30),
    spec(ABSENCE, "Bring chronic absence down to 12% by {year}.", 0.12, 0.14),
]  # fmt: skip
# priority, its description, the goal
CURRENT_GOALS = [
    (
        "Early literacy",
        "Students who read on grade level by third grade, with families as partners.",
        spec(ELA, "Raise the share of students proficient in reading to 40% by {year}.", 0.40,
             0.36),
    ),
    (
        "Mathematics",
        "Students who explain their thinking and solve problems with confidence.",
        spec(MATH, "Raise the share of students proficient in mathematics to 38% by {year}.",
             0.38, 0.34),
    ),
    (
        "Attendance",
        "Students in school every day, so the other priorities can work.",
        spec(ABSENCE, "Bring chronic absence down to 10% by {year}.", 0.10, 0.12),
    ),
]  # fmt: skip


# --- the figures goals are read against ---------------------------------------------------------


def ensure_results(district: Organization) -> None:
    """Compute the district's results now if its data were imported but not yet summed up
    (the task worker does it later too; goals need the figures at once)."""
    if cube.latest(district) is None and Coverage.objects.filter(district=district).exists():
        cube.refresh(district)


class Figures:
    """A goal indicator's yearly figures at the school: from the data, else written down."""

    def __init__(self, school: Organization, year: int) -> None:
        self.school, self.year = school, year
        self._read: dict[tuple[str, str], dict[int, baselines.Figure]] = {}

    def _figures(self, goal: GoalSpec) -> dict[int, baselines.Figure]:
        key = (goal.metric, goal.subject)
        if key not in self._read:
            indicator = Indicator(metric=goal.metric, subject=goal.subject)
            found = baselines.read(self.school, Audience.INTERNAL, indicator, self.year)
            self._read[key] = found.figures
        return self._read[key]

    def of(self, goal: GoalSpec) -> dict[int, float]:
        """The figure for each of the last three school years, oldest first."""
        found = self._figures(goal)
        years = [self.year - 3, self.year - 2, self.year - 1]
        values = {}
        for year, fallback in zip(years, goal.fallback, strict=True):
            figure = found.get(year)
            values[year] = fallback if figure is None or figure.value is None else figure.value
        return values

    def n(self, goal: GoalSpec, year: int) -> int | None:
        figure = self._figures(goal).get(year)
        return figure.n if figure is not None else None


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


# --- the cycles -----------------------------------------------------------------------------------


def _cycle(school: Organization, first_year: int, lead: User | None) -> Cycle:
    cycle = Cycle.objects.create(org=school, first_year=first_year, years=2, created_by=lead)
    NeedsAssessment.objects.create(cycle=cycle)
    return cycle


def _goal(cycle: Cycle, goal: GoalSpec, figures: Figures, priority: Priority | None) -> Goal:
    baseline_year = cycle.first_year - 1
    values = figures.of(goal)
    target_year = cycle.last_year
    interim = {str(cycle.first_year): goal.interim} if goal.interim is not None else {}
    statement = goal.statement.format(year=school_year_label(target_year))
    return Goal.objects.create(
        assessment=cycle.assessment, priority=priority, statement=statement,
        metric=goal.metric, subject=goal.subject, baseline=values.get(baseline_year),
        baseline_year=baseline_year, baseline_n=figures.n(goal, baseline_year),
        target=goal.target, target_year=target_year, interim=interim, direction=goal.direction,
        measure_kind=Goal.MeasureKind.OUTCOME,
    )  # fmt: skip


# title, lever, driver, tier, description, teacher hours a month, students, budget lines
STRATEGIES: dict[str, tuple[Any, ...]] = {
    "plc": (
        "Weekly reading PLC cycles with coaching",
        Strategy.Lever.PLC, Strategy.Driver.COMPETENCY, Strategy.Tier.MODERATE,
        "Grade-level teams meet weekly with the reading coach: plan a lesson, try it, bring "
        "student work back, and decide the next step.",
        Decimal(60), None,
        [("Instructional coach (half time)", 42000, BudgetLine.Source.TITLE_I),
         ("Substitutes for PLC release time", 9600, BudgetLine.Source.SCHOOL_IMPROVEMENT)],
    ),
    "awards": (
        "Perfect-attendance awards",
        Strategy.Lever.OTHER, Strategy.Driver.ORGANIZATION, Strategy.Tier.RATIONALE,
        "Monthly certificates and a prize draw for students with perfect attendance.",
        Decimal(4), None,
        [("Prizes and certificates", 3500, BudgetLine.Source.LOCAL)],
    ),
    "math": (
        "Computer-based math intervention block",
        Strategy.Lever.OTHER, Strategy.Driver.ORGANIZATION, Strategy.Tier.PROMISING,
        "Thirty minutes a day on an adaptive math program for students below grade level.",
        Decimal(30), 120,
        [("Software licences (120 students)", 38000, BudgetLine.Source.SCHOOL_IMPROVEMENT),
         ("Headphones and devices", 6500, BudgetLine.Source.GRANT)],
    ),
    "outreach": (
        "Family attendance outreach",
        Strategy.Lever.LEADERSHIP_TEAM, Strategy.Driver.ORGANIZATION, Strategy.Tier.MODERATE,
        "A family liaison calls home on the first day of absence and meets every family of a "
        "chronically absent student to remove what keeps the child at home.",
        Decimal(12), 65,
        [("Family liaison (part time)", 18500, BudgetLine.Source.TITLE_I),
         ("Bus passes and alarm clocks for families", 2400, BudgetLine.Source.LOCAL)],
    ),
}  # fmt: skip


def _strategies(
    plan: Plan, keys: Sequence[str], starts: dict[str, date], goals: dict[str, Goal]
) -> list[Strategy]:
    made = []
    for order, key in enumerate(keys):
        title, lever, driver, tier, description, hours, students, budget = STRATEGIES[key]
        strategy = Strategy.objects.create(
            plan=plan, title=title, lever=lever, driver=driver, tier=tier,
            description=description, teacher_hours=hours, students=students,
            started_on=starts.get(key), review_weeks=12, order=order,
        )  # fmt: skip
        BudgetLine.objects.bulk_create(
            BudgetLine(strategy=strategy, item=item, amount=Decimal(amount), source=source)
            for item, amount, source in budget
        )
        if key in goals:
            strategy.goals.add(goals[key])
        made.append(strategy)
    return made


def earlier_cycle(school: Organization, cal: Calendar, figures: Figures, lead: User) -> Built:
    cycle = _cycle(school, cal.year - 2, lead)
    goals = [_goal(cycle, g, figures, None) for g in EARLIER_GOALS]
    plan = Plan.objects.create(
        cycle=cycle,
        vision="Every Alder Creek student reads on grade level and comes to school every day.",
        theory_of_action="If teachers plan reading lessons together with a coach and we reward "
        "good attendance, then more students will read on grade level, because instruction "
        "improves and students are in class to benefit from it.",
    )
    starts = {"plc": date(cal.year - 2, 9, 8), "awards": date(cal.year - 2, 9, 8),
              "math": date(cal.year - 1, 1, 12)}  # fmt: skip
    links = {"plc": goals[0], "awards": goals[1]}
    strategies = _strategies(plan, ["plc", "awards", "math"], starts, links)
    return Built(cycle, plan, goals, strategies)


ANSWERS = {
    "achievement": "Reading proficiency rose to about a third of students last year after "
    "two flat years; mathematics barely moved.",
    "trends": "Chronic absence came down last year but is still higher than four years ago, "
    "and it is highest in kindergarten and first grade.",
    "causes": "Students who miss school miss the reading block; teachers have had little time "
    "to plan mathematics together.",
    "focus": "Early literacy, mathematics and attendance, with families as partners.",
}


def current_cycle(school: Organization, cal: Calendar, figures: Figures, lead: User) -> Built:
    cycle = _cycle(school, cal.year, lead)
    Answer.objects.bulk_create(
        Answer(assessment=cycle.assessment, question=q, text=text, updated_by=lead)
        for q, text in ANSWERS.items()
    )
    NeedsAssessment.objects.filter(pk=cycle.assessment.pk).update(
        equity_reason="Our student groups are within a few points of each other in reading; "
        "the whole school is behind, so the goals are for all students this cycle."
    )
    goals = []
    for order, (title, description, goal) in enumerate(CURRENT_GOALS):
        priority = Priority.objects.create(
            assessment=cycle.assessment, title=title, description=description, order=order
        )
        goals.append(_goal(cycle, goal, figures, priority))
    plan = Plan.objects.create(cycle=cycle, **PLAN_TEXT)
    starts = {"plc": cal.weeks_ago(25), "outreach": cal.weeks_ago(20), "math": cal.weeks_ago(16)}
    links = {"plc": goals[0], "math": goals[1], "outreach": goals[2]}
    strategies = _strategies(plan, ["plc", "outreach", "math"], starts, links)
    built = Built(cycle, plan, goals, strategies)
    _actions_and_rocks(built, cal)
    return built


PLAN_TEXT = {
    "vision": "Every Alder Creek reader on grade level by third grade, every student in school "
    "every day, with families as partners in the work.",
    "theory_of_action": "If teachers plan and study lessons together every week, if families "
    "hear from us on the first day a child is absent, and if we stop what does not work, then "
    "more students will read and calculate on grade level, because they are in class and the "
    "teaching they get keeps getting better.",
    "assets": "A reading coach teachers trust; grade-level teams that already meet; a family "
    "resource center next door.",
    "involvement": "Families answered a survey in English and Spanish and two parents sit on "
    "the team; their answers put attendance among the priorities.",
}

# strategy key, title, owner, due (days from today), status
ACTIONS = [
    ("plc", "Set the PLC calendar and the coaching schedule", "Marisol Vega", -110, "done"),
    ("plc", "Train grade-level leads on the lesson-study cycle", "Priya Natarajan", -60, "done"),
    ("plc", "Share three lesson-study videos with the staff", "Priya Natarajan", 4, "under_way"),
    ("plc", "Review student work samples from every grade", "Marcus Bell", 18, "not_started"),
    ("outreach", "Hire the family liaison", "Marisol Vega", -150, "done"),
    ("outreach", "Start first-day absence calls", "Hannah Kim", -135, "done"),
    ("outreach", "Meet every family of a chronically absent student", "Priya Natarajan", 12,
     "under_way"),
    ("math", "Schedule the daily intervention block", "Lena Fischer", -100, "done"),
    ("math", "Move the intervention students to small-group lessons", "Lena Fischer", -6,
     "stuck"),
]  # fmt: skip
# title, owner, set (days ago), due (days from today), status, strategy key
ROCKS = [
    ("Every K–2 classroom teaches the new reading block", "Marcus Bell", 25, 20, "on_track", "plc"),
    ("Call every family of a chronically absent student", "Priya Natarajan", 30, 10,
     "off_track", "outreach"),
    ("Put up the grade 3–5 math data wall", "Lena Fischer", 45, -5, "on_track", "math"),
    ("Publish the PLC norms", "Marisol Vega", 60, -20, "done", "plc"),
]  # fmt: skip


def _actions_and_rocks(built: Built, cal: Calendar) -> None:
    by_key = dict(zip(["plc", "outreach", "math"], built.strategies, strict=True))
    goal_of = {s.pk: s.goals.first() for s in built.strategies}
    ActionStep.objects.bulk_create(
        ActionStep(plan=built.plan, strategy=by_key[key], title=title, owner=owner,
                   due=cal.days(due), status=status, order=i)
        for i, (key, title, owner, due, status) in enumerate(ACTIONS)
    )  # fmt: skip
    Rock.objects.bulk_create(
        Rock(plan=built.plan, title=title, owner=owner, set_on=cal.days(-set_ago),
             due=cal.days(due), status=status, strategy=by_key[key],
             goal=goal_of[by_key[key].pk],
             milestones=[{"text": "Plan it with the team", "done": True},
                         {"text": "Do it", "done": status == "done"}])
        for title, owner, set_ago, due, status, key in ROCKS
    )  # fmt: skip


def approve(plan: Plan, lead: User, when: datetime) -> None:
    """The plan as submitted and approved by the district and the state (a CSI school)."""
    plan.refresh_from_db()
    version = PlanVersion.objects.create(
        plan=plan, number=1, content=document.build(plan).to_json(), submitted_by=lead
    )
    approved = when + timedelta(days=12)
    PlanVersion.objects.filter(pk=version.pk).update(submitted_at=when, approved_at=approved)
    admin = User.objects.filter(email="admin@headway.example").first()
    PlanDecision.objects.bulk_create(
        [
            PlanDecision(version=version, level=PlanDecision.Level.DISTRICT,
                         outcome=PlanDecision.Outcome.APPROVED, decided_by=admin,
                         decided_on=(when + timedelta(days=7)).date()),
            PlanDecision(version=version, level=PlanDecision.Level.STATE,
                         outcome=PlanDecision.Outcome.APPROVED, decided_by=admin,
                         name="Office of School Improvement", decided_on=approved.date()),
        ]
    )  # fmt: skip
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.APPROVED)


# --- the earlier cycle's evaluation, and the strategy reviews ------------------------------------


def evaluation(earlier: Built, current: Built, cal: Calendar, figures: Figures, lead: User) -> None:
    finished = cal.at(date(cal.year, 6, 24), 15)
    evaluation = Evaluation.objects.create(
        cycle=earlier.cycle, learned=LEARNED, finished_at=finished, finished_by=lead,
        next_cycle=current.cycle,
    )  # fmt: skip
    verdicts = [GoalVerdict.Verdict.MET, GoalVerdict.Verdict.PARTLY]
    notes = [
        "Reading proficiency rose from {start} to {end}, past the target of {target}.",
        "Chronic absence fell from {start} to {end}, short of the target of {target}.",
    ]
    rows = []
    for goal, spec_, verdict, note in zip(
        earlier.goals, EARLIER_GOALS, verdicts, notes, strict=True
    ):
        values = figures.of(spec_)
        start, end = values[cal.year - 3], values[cal.year - 1]
        said = note.format(start=percent(start), end=percent(end), target=percent(spec_.target))
        rows.append(GoalVerdict(evaluation=evaluation, goal=goal, verdict=verdict, value=end,
                                value_text=percent(end), note=said))  # fmt: skip
    GoalVerdict.objects.bulk_create(rows)
    StrategyVerdict.objects.bulk_create(
        StrategyVerdict(evaluation=evaluation, strategy=s, continues=goes_on, note=note)
        for s, (goes_on, note) in zip(earlier.strategies, STRATEGY_VERDICTS, strict=True)
    )


LEARNED = (
    "Planning lessons together with the coach moved reading more than anything else we tried. "
    "Awards did not bring the chronically absent students back: the students who won them "
    "were already coming. What works with those families is a call on the first day and a "
    "conversation about what keeps the child at home."
)
STRATEGY_VERDICTS = [
    (True, "The PLC cycles carried the reading gains: keep them and add grades 4 and 5."),
    (False, "Awards went to students who already came; chronic absence barely moved. Family "
     "outreach replaces them."),
    (True, "Started late in the cycle: give it one more review window before deciding."),
]  # fmt: skip


def reviews(current: Built, cal: Calendar) -> None:
    """Three reviews: the PLC cycles continue, the outreach is adjusted, the math program is
    stopped with the flags Headway showed the team that day."""
    plc, outreach, math = current.strategies
    stopped_on = cal.days(-21)
    shown = flags.flags_for(flags.gather(current.plan, internal=False), stopped_on)
    candidates = [f.to_dict() for f in shown.get(math.pk, []) if f.stop_candidate]
    StrategyReview.objects.bulk_create(
        [
            StrategyReview(strategy=plc, verdict=StrategyReview.Verdict.CONTINUE,
                           reviewed_on=cal.days(-7 * 13), decided_by="The leadership team",
                           evidence="Two in three classrooms now show the look-for on "
                           "walkthroughs, up from under half; teachers ask for more cycles."),
            StrategyReview(strategy=outreach, verdict=StrategyReview.Verdict.ADJUST,
                           reviewed_on=cal.days(-7 * 8), decided_by="Marisol Vega and the team",
                           evidence="Weekly attendance has been above its old level every "
                           "week since the first calls began.",
                           changes="Add home visits for kindergarten and first grade, where "
                           "chronic absence is highest."),
            StrategyReview(strategy=math, verdict=StrategyReview.Verdict.STOP,
                           reviewed_on=stopped_on, decided_by="The leadership team, by "
                           "consensus", flags=candidates,
                           evidence="The math check-in average has not moved in 12 weeks and "
                           "stays below the line to its target; the program costs the most per "
                           "student and takes 30 teacher hours a month to schedule.",
                           changes="Stop the licences at the end of the month; the "
                           "intervention time goes to small-group lessons with the teacher."),
        ]
    )  # fmt: skip
    Strategy.objects.filter(pk=math.pk).update(status=Strategy.Status.STOPPED)


# --- the initiative inventory ---------------------------------------------------------------------

INITIATIVES = [
    ("Reading points and prizes", "Students earn points for quizzes on books they read.",
     "6200", "10", 300, Initiative.Status.STOP),
    ("After-school homework club", "Two afternoons a week with a teacher and volunteers.",
     "12000", "16", 45, Initiative.Status.KEEP),
]  # fmt: skip


def initiatives(school: Organization) -> None:
    Initiative.objects.bulk_create(
        Initiative(org=school, name=name, purpose=purpose, cost=Decimal(cost),
                   teacher_hours=Decimal(hours), students=students, status=status)
        for name, purpose, cost, hours, students, status in INITIATIVES
    )  # fmt: skip
