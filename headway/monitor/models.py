"""Monitoring a plan week by week, the leadership team's meetings, and the cycle's end.

- ``Measure``: something the team watches over time — a goal's indicator (a point from every
  import) or a short-cycle measure of its own (points by hand or from a CSV). ``Rebase``
  starts a new phase of its chart at a change; ``Annotation`` marks what happened when.
- ``Meeting``: a weekly leadership-team meeting with its agenda (``AgendaItem``, each with a
  timer and minutes), attendance, headlines, decisions and ratings. ``Todo`` and ``Issue``
  belong to the team and outlive the meeting that raised them.
- ``StrategyReview``: continue, adjust or stop a strategy, with the evidence; ``Initiative``:
  what else the school spends money and teacher time on (the initiative inventory).
- ``Evaluation``: at the cycle's end, each goal met or not and which strategies continue.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from headway.orgs.models import Organization
from headway.plans.models import Cycle, Goal, Strategy
from headway.teams.models import Team, TeamMember

TODO_DAYS = 7  # a to-do is due a week after it is made unless the team says otherwise


class Measure(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", _("Percent (0–100)")
        NUMBER = "number", _("Number")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    class Chart(models.TextChoices):
        RUN = "run", _("Run chart (median line)")
        XMR = "xmr", _("Control chart for single values (XmR)")
        P = "p", _("Control chart for proportions (p chart)")

    class Rules(models.TextChoices):
        ANHOEJ = "anhoej", _("Anhøj rules (long runs, too few crossings)")
        IHI = "ihi", _("IHI rules (shift, trend, a result far out)")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="measures")
    goal = models.OneToOneField(
        Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="tracked_by"
    )  # set: the goal's indicator, a point from every import
    name = models.CharField(_("measure"), max_length=200)
    description = models.TextField(
        _("how it is measured"),
        blank=True,
        help_text=_("Who collects it, when, and what counts — so every week means the same."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    chart = models.CharField(_("chart"), max_length=4, choices=Chart.choices, default=Chart.RUN)
    rules = models.CharField(
        _("rules for signals"), max_length=8, choices=Rules.choices, default=Rules.ANHOEJ
    )
    baseline_points = models.PositiveSmallIntegerField(
        _("freeze the baseline after"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2)],
        help_text=_("The centre line is drawn from the first points only; later points are "
                    "read against it. Leave empty to use all points."),
    )  # fmt: skip
    target = models.FloatField(_("target"), null=True, blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    start_value = models.FloatField(
        _("starting value"),
        null=True,
        blank=True,
        help_text=_("Where the measure stood when the target was set; empty: the first point."),
    )
    order = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "order", "created_at"]

    def __str__(self) -> str:
        return self.name


class Point(models.Model):
    class Source(models.TextChoices):
        IMPORT = "import", _("From an import")
        HAND = "hand", _("Entered by hand")
        CSV = "csv", _("From a CSV file")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    on = models.DateField(_("date"))
    value = models.FloatField(_("value"))  # a percent measure stores 0–1
    numerator = models.FloatField(_("count"), null=True, blank=True)  # p charts
    denominator = models.FloatField(_("out of"), null=True, blank=True)  # p charts
    n = models.PositiveIntegerField(null=True, blank=True)  # students behind an import's figure
    # The school year an import's figure is for (an August import may bring last year's).
    school_year = models.PositiveSmallIntegerField(null=True, blank=True)
    public_value = models.FloatField(null=True, blank=True)  # the public figure; None: hidden
    public_text = models.CharField(max_length=40, blank=True)  # e.g. "n<10" when hidden
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.HAND)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "on"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "on"], name="one_point_per_measure_day")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.on}: {self.value}"


class Rebase(models.Model):
    """A change after which the chart starts a new phase with its own centre line."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="rebases")
    on = models.DateField(_("new phase starts on"))
    reason = models.CharField(_("what changed"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "on"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "on"], name="one_rebase_per_measure_day")
        ]

    def __str__(self) -> str:
        return f"{self.measure}: new phase on {self.on}"


class Annotation(models.Model):
    """Something that happened on a date, shown on the cycle's charts (or on one chart)."""

    class Kind(models.TextChoices):
        PDSA = "pdsa", _("PDSA cycle")
        CHANGE = "change", _("A change we made")
        EVENT = "event", _("Something that happened")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="annotations")
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="annotations"
    )  # empty: every chart of the cycle
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PDSA)
    text = models.CharField(_("what happened"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "on", "created_at"]

    def __str__(self) -> str:
        return f"{self.on}: {self.text}"


# --- the weekly meeting ----------------------------------------------------------------------


class Meeting(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", _("In progress")
        ENDED = "ended", _("Ended")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )  # the cycle whose measures and rocks the agenda was built from
    held_on = models.DateField(_("date"), default=timezone.localdate)
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    notes = models.TextField(_("general notes"), blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recap_sent_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["team", "-held_on", "-started_at"]

    def __str__(self) -> str:
        return f"{self.team} meeting on {self.held_on}"


class AgendaItem(models.Model):
    """A section of a meeting's agenda with what needs attention, a timer and minutes."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        MEASURES = "measures", _("Measures")
        ROCKS = "rocks", _("Rocks")
        HEADLINES = "headlines", _("Headlines")
        TODOS = "todos", _("To-dos")
        ISSUES = "issues", _("Issues")
        WRAP_UP = "wrap_up", _("Wrap-up")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField()
    minutes = models.PositiveSmallIntegerField(
        _("minutes planned"), validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    # What needed attention when the meeting started, kept as it was: [{"text", "why", "link"}]
    items: models.JSONField[Any, Any] = models.JSONField(default=list)
    seconds_used = models.PositiveIntegerField(default=0)  # the timer, stopped
    timer_started_at = models.DateTimeField(null=True, blank=True)  # the timer, running
    notes = models.TextField(_("minutes"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="one_agenda_item_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_kind_display()}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_row")
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.meeting}"


class Rating(models.Model):
    """How a member rates the meeting, 1–10, at its end."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_rating_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.score}"


class Headline(models.Model):
    """Good news or a heads-up shared in a meeting, without discussion."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="headlines")
    text = models.CharField(_("headline"), max_length=300)
    by = models.CharField(_("shared by"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created_at"]

    def __str__(self) -> str:
        return self.text


class Issue(models.Model):
    """An impediment on the team's issues list: identify → discuss → solved."""

    class State(models.TextChoices):
        IDENTIFY = "identify", _("Identified")
        DISCUSS = "discuss", _("Being discussed")
        SOLVED = "solved", _("Solved")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(_("issue"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.IDENTIFY)
    raised_by = models.CharField(_("raised by"), max_length=200, blank=True)
    raised_in = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues_raised"
    )
    decision = models.TextField(_("what was decided"), blank=True)
    decided_by = models.CharField(_("decided by"), max_length=300, blank=True)
    solved_in = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues_solved"
    )
    solved_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "order", "created_at"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """Something a meeting decided (on an issue or otherwise), and who decided it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField(_("decision"))
    decided_by = models.CharField(_("decided by"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]


def default_due() -> Any:
    return timezone.localdate() + timedelta(days=TODO_DAYS)


class Todo(models.Model):
    """A small task someone takes on, due in a week unless the team says otherwise."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="todos")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="todos"
    )
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="todos"
    )
    text = models.CharField(_("to-do"), max_length=300)
    owner = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="todos")
    due = models.DateField(_("due"), default=default_due)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "due", "created_at"]

    def __str__(self) -> str:
        return self.text


# --- strategy reviews, the initiative inventory, the cycle's evaluation ------------------------


class StrategyReview(models.Model):
    class Verdict(models.TextChoices):
        CONTINUE = "continue", _("Continue")
        ADJUST = "adjust", _("Adjust")
        STOP = "stop", _("Stop")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="reviews")
    verdict = models.CharField(_("decision"), max_length=10, choices=Verdict.choices)
    evidence = models.TextField(_("the evidence"))
    changes = models.TextField(_("what changes"), blank=True)
    flags: models.JSONField[Any, Any] = models.JSONField(default=list)  # flags shown at review
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    decided_by = models.CharField(_("decided by"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["strategy", "-reviewed_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.strategy}: {self.verdict} on {self.reviewed_on}"


class Initiative(models.Model):
    """Something else the school spends money or teacher time on (the inventory)."""

    class Status(models.TextChoices):
        KEEP = "keep", _("Keep")
        REVIEW = "review", _("Look at it again")
        STOP = "stop", _("Stop")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="initiatives")
    name = models.CharField(_("initiative"), max_length=200)
    purpose = models.TextField(_("what it is for"), blank=True)
    cost = models.DecimalField(
        _("cost a year"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    teacher_hours = models.DecimalField(
        _("teacher time (hours a month)"),
        max_digits=7,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    students = models.PositiveIntegerField(_("students it reaches"), null=True, blank=True)
    status = models.CharField(
        _("decision"), max_length=8, choices=Status.choices, default=Status.REVIEW
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["org", "name"]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="evaluation")
    learned = models.TextField(_("what we learned"), blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_cycle = models.OneToOneField(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluated_from"
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    def __str__(self) -> str:
        return f"evaluation of {self.cycle}"


class GoalVerdict(models.Model):
    class Verdict(models.TextChoices):
        MET = "met", _("Met")
        PARTLY = "partly", _("Partly met")
        NOT_MET = "not_met", _("Not met")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="goals")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="verdicts")
    verdict = models.CharField(_("the goal was"), max_length=8, choices=Verdict.choices)
    value = models.FloatField(null=True, blank=True)  # the final figure, on the metric's scale
    value_text = models.CharField(max_length=40, blank=True)  # as shown then ("n<10", "42%")
    note = models.TextField(_("what the data show"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal"], name="one_verdict_per_goal")
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.verdict}"


class StrategyVerdict(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="strategies")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="verdicts")
    continues = models.BooleanField(_("continue it in the next cycle"))
    note = models.TextField(_("why"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "strategy"], name="one_verdict_per_strategy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.strategy}: {'continues' if self.continues else 'ends'}"
