"""The improvement plan of a cycle: what the team will do, by whom and when, and why.

A ``Plan`` belongs to one cycle and builds on its needs assessment (priorities and goals).
Strategies serve goals, action steps carry strategies out, 45-day rocks keep the next few
weeks in focus. Communication, district support and resource inequities complete what
districts and ESSA ask a plan to say (plans/completeness.py checks it).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from headway.plans.models.needs import Cycle, Goal

ROCK_DAYS = 45  # a rock is due within this many days of being set


class Plan(models.Model):
    """The plan of one cycle: vision, theory of action, assets, and how families took part."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGES = "changes", _("Changes requested")
        APPROVED = "approved", _("Approved")

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="plan")
    vision = models.TextField(_("vision"), blank=True)
    theory_of_action = models.TextField(
        _("theory of action"),
        blank=True,
        help_text=_("If we do these things, then these results will follow for students, because…"),
    )
    assets = models.TextField(
        _("what already works"),
        blank=True,
        help_text=_("Bright spots and strengths the plan builds on."),
    )
    involvement = models.TextField(
        _("how students and families took part"),
        blank=True,
        help_text=_("Who was asked, how, in which languages, and what changed because of it."),
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)  # the version being written or reviewed
    published = models.BooleanField(
        _("publish the summary"),
        default=False,
        help_text=_("Families and the community then see the plan's public summary."),
    )
    summary = models.TextField(
        _("summary for families"),
        blank=True,
        help_text=_("A few sentences in plain words that open the public summary."),
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"plan of {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("plans-plan", args=[self.cycle.org.code, self.cycle.code])


class Strategy(models.Model):
    """A strategy the plan carries out, with its evidence, its budget and the goals it serves."""

    class Lever(models.TextChoices):
        LEADERSHIP_TEAM = "leadership_team", _("Instructional leadership team")
        COACHING = "coaching", _("Instructional coaching")
        PLC = "plc", _("Professional learning communities")
        OTHER = "other", _("Other")

    class Driver(models.TextChoices):
        COMPETENCY = "competency", _("Competency (people and their skills)")
        ORGANIZATION = "organization", _("Organization (processes, data, barriers)")
        LEADERSHIP = "leadership", _("Leadership (technical and adaptive)")

    class Tier(models.IntegerChoices):
        STRONG = 1, _("Tier 1: strong evidence (an experimental study)")
        MODERATE = 2, _("Tier 2: moderate evidence (a quasi-experimental study)")
        PROMISING = 3, _("Tier 3: promising evidence (a correlational study with controls)")
        RATIONALE = 4, _("Tier 4: a rationale, with its effects being studied")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Under way")
        STOPPED = "stopped", _("Stopped")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategies")
    title = models.CharField(_("strategy"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lever = models.CharField(_("lever"), max_length=20, choices=Lever.choices)
    driver = models.CharField(_("implementation driver"), max_length=20, choices=Driver.choices)
    tier = models.PositiveSmallIntegerField(
        _("ESSA evidence tier"), choices=Tier.choices, null=True, blank=True
    )
    citation = models.TextField(
        _("evidence"), blank=True, help_text=_("The study or review behind the tier, with a link.")
    )
    logic_model = models.TextField(
        _("logic model"),
        blank=True,
        help_text=_("For tier 4: the steps by which the strategy should lead to the results."),
    )
    evaluation = models.TextField(
        _("evaluation plan"),
        blank=True,
        help_text=_("For tier 4: how the team will find out whether it works."),
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="strategies")
    started_on = models.DateField(
        _("starts"),
        null=True,
        blank=True,
        help_text=_("When the strategy begins in classrooms; run charts mark the date."),
    )
    review_weeks = models.PositiveSmallIntegerField(
        _("review every (weeks)"),
        default=12,
        validators=[MinValueValidator(2), MaxValueValidator(52)],
        help_text=_("How often the team decides to continue, adjust or stop it."),
    )
    teacher_hours = models.DecimalField(
        _("teacher time (hours a month)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("All teachers together: meetings, training, preparation."),
    )
    students = models.PositiveIntegerField(
        _("students it reaches"),
        null=True,
        blank=True,
        help_text=_("Leave empty when it reaches the whole school."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    order = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "order", "created_at"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    class Source(models.TextChoices):
        TITLE_I = "title_i", _("Title I")
        SCHOOL_IMPROVEMENT = "sec1003", _("School improvement funds (§1003)")
        LOCAL = "local", _("Local funds")
        GRANT = "grant", _("A grant")
        OTHER = "other", _("Other")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="budget")
    item = models.CharField(_("what it pays for"), max_length=300)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    source = models.CharField(_("funding source"), max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["strategy", "pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


class ActionStep(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        UNDER_WAY = "under_way", _("Under way")
        DONE = "done", _("Done")
        STUCK = "stuck", _("Stuck")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(_("action step"), max_length=300)
    owner = models.CharField(_("who leads it"), max_length=200)
    start = models.DateField(_("starts"), null=True, blank=True)
    due = models.DateField(_("due"))
    resources = models.TextField(_("resources"), blank=True)
    professional_learning = models.BooleanField(_("professional learning"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    order = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "due", "order", "created_at"]

    def __str__(self) -> str:
        return self.title


class Rock(models.Model):
    """A 45-day rock: one thing that must be done in the next six weeks or so."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        OFF_TRACK = "off_track", _("Off track")
        DONE = "done", _("Done")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rocks")
    title = models.CharField(_("rock"), max_length=300)
    owner = models.CharField(_("who owns it"), max_length=200)
    set_on = models.DateField(_("set on"))
    due = models.DateField(_("due"))
    milestones: models.JSONField[Any, Any] = models.JSONField(default=list)  # [{text, done}]
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ON_TRACK
    )
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="rocks"
    )
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="rocks"
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "due", "created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def latest_due(self) -> Any:
        return self.set_on + timedelta(days=ROCK_DAYS)


class Communication(models.Model):
    """One line of the communication plan."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="communications")
    audience = models.CharField(_("audience"), max_length=200)
    message = models.TextField(_("message"))
    channel = models.CharField(_("channel"), max_length=200)
    when = models.CharField(_("when"), max_length=200)

    class Meta:
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return f"{self.audience}: {self.channel}"


class Support(models.Model):
    """A commitment of the district to support the school's plan."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="supports")
    commitment = models.TextField(_("what the district will do"))
    by_whom = models.CharField(_("who at the district"), max_length=200)
    when = models.CharField(_("when"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.commitment[:80]


class Inequity(models.Model):
    """A resource inequity the plan addresses (ESSA asks CSI and ATSI plans to name them)."""

    class Kind(models.TextChoices):
        SPENDING = "spending", _("Spending per student")
        TEACHERS = "teachers", _("Teachers: experience, out-of-field or ineffective")
        COURSES = "courses", _("Access to courses")
        STAFFING = "staffing", _("Staffing")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="inequities")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    evidence = models.TextField(_("what shows it"))
    action = models.TextField(_("what the plan does about it"))

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name_plural = "inequities"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.action[:60]}"
