"""An improvement cycle's needs assessment: evidence, root causes, practices, priorities, goals.

A ``Cycle`` is one school's (or district's) plan period of one to three school years. Its
``NeedsAssessment`` holds the team's answers to the guided questions with pinned evidence,
the root-cause work (five-whys chains and a fishbone), the practice self-assessment, the
beginning- and end-of-year snapshots, the priorities and the SMART goals.

Editable records carry a ``revision`` (headway.lib.revisions): two people editing the same
answer or goal never overwrite each other silently.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from headway.orgs.models import Organization, school_year_label


class Cycle(models.Model):
    """A plan period of one to three school years for a school or a district."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cycles")
    first_year = models.PositiveSmallIntegerField(
        _("first school year"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The calendar year the plan's first school year starts in."),
    )
    years = models.PositiveSmallIntegerField(
        _("length in school years"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["org", "-first_year"]
        constraints = [
            models.UniqueConstraint(fields=["org", "first_year"], name="one_cycle_per_start")
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("plans-assessment", args=[self.org.code, self.code])

    @property
    def last_year(self) -> int:
        return self.first_year + self.years - 1

    @property
    def label(self) -> str:
        first, last = school_year_label(self.first_year), school_year_label(self.last_year)
        return first if first == last else f"{first} to {last}"


class NeedsAssessment(models.Model):
    """The diagnosis behind a cycle's plan; one per cycle."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="assessment")
    equity_reason = models.TextField(
        _("why no goal closes a gap"),
        blank=True,
        help_text=_("Only when none of the goals is about a gap between student groups."),
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"needs assessment of {self.cycle}"


class Answer(models.Model):
    """The team's narrative answer to one guided question (questions.py names them)."""

    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.CharField(max_length=40)
    text = models.TextField(_("your answer"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"answer to {self.question}"


class Evidence(models.Model):
    """A finding or a figure pinned to a question: a live link and the numbers as pinned."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    question = models.CharField(max_length=40)
    finding = models.ForeignKey(
        "explore.Finding", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=300)
    link = models.CharField(max_length=500, help_text="The data page that shows it, live.")
    frozen: models.JSONField[Any, Any] = models.JSONField(
        default=dict, help_text="The text and numbers at the moment of pinning."
    )
    note = models.TextField(_("why it matters"), blank=True)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "question", "pinned_at"]

    def __str__(self) -> str:
        return self.title


class WhyChain(models.Model):
    """A five-whys chain from a problem in the data down to a cause the team can act on."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="why_chains"
    )
    problem = models.TextField(_("the problem"))
    whys: models.JSONField[Any, Any] = models.JSONField(default=list)  # up to five answers
    findings = models.ManyToManyField("explore.Finding", blank=True, related_name="+")
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "created_at"]

    def __str__(self) -> str:
        return self.problem[:80]

    @property
    def root_cause(self) -> str:
        """The last answer: the deepest cause the chain reached."""
        return self.whys[-1] if self.whys else ""


class Cause(models.Model):
    """One bone of the fishbone: a possible cause, in one of six categories."""

    class Category(models.TextChoices):
        STUDENTS = "students", _("Students")
        INSTRUCTION = "instruction", _("Instruction")
        CURRICULUM = "curriculum", _("Curriculum")
        STAFF = "staff", _("Staff")
        SYSTEMS = "systems", _("Systems and organization")
        FAMILIES = "families", _("Families and community")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="causes")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.CharField(_("possible cause"), max_length=500)
    findings = models.ManyToManyField("explore.Finding", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "category", "created_at"]

    def __str__(self) -> str:
        return self.text


class IndicatorSet(models.Model):
    """Indicators of effective practice: Headway's default set, or one a district loaded."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_sets",
        help_text="Empty for the set Headway ships.",
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(max_length=200, blank=True)  # the file it was loaded from
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district", "name"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators"
    )
    ref = models.CharField(_("reference"), max_length=20)
    area = models.CharField(_("area"), max_length=100)
    text = models.TextField(_("indicator"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["indicator_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "ref"], name="unique_indicator_ref")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}"


class PracticeRating(models.Model):
    """How fully the school implements one indicator, with evidence and a priority."""

    class Status(models.TextChoices):
        FULL = "full", _("Full implementation")
        LIMITED = "limited", _("Limited implementation")
        NONE = "none", _("No implementation")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="practice_ratings"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="ratings")
    status = models.CharField(_("implementation"), max_length=10, choices=Status.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="one_rating_each")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.ref}: {self.status}"


class Snapshot(models.Model):
    """The school's key figures at the beginning or the end of a school year, kept as taken."""

    class Moment(models.TextChoices):
        BEGINNING = "beginning", _("Beginning of the year")
        END = "end", _("End of the year")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="snapshots"
    )
    moment = models.CharField(_("when"), max_length=10, choices=Moment.choices)
    school_year = models.PositiveSmallIntegerField(_("school year"))
    figures: models.JSONField[Any, Any] = models.JSONField(default=list)
    notes = models.TextField(_("notes"), blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "school_year", "moment"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "school_year", "moment"], name="one_snapshot_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} {school_year_label(self.school_year)}"


class Priority(models.Model):
    """One of the few things the plan will focus on, tied to its evidence and causes."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField(_("priority"), max_length=300)
    description = models.TextField(_("what it means for students"), blank=True)
    barriers = models.TextField(_("barriers to overcome"), blank=True)
    over_limit_reason = models.TextField(
        _("why this many priorities"),
        blank=True,
        help_text=_("Needed only beyond four priorities."),
    )
    order = models.PositiveSmallIntegerField(default=0)
    findings = models.ManyToManyField("explore.Finding", blank=True, related_name="+")
    why_chains = models.ManyToManyField(WhyChain, blank=True, related_name="priorities")
    causes = models.ManyToManyField(Cause, blank=True, related_name="priorities")
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "order", "created_at"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    """A SMART goal: a population, an outcome from the metrics catalog, baseline and targets.

    ``compare_value`` makes it a gap goal (an equity goal): the outcome is the difference
    between the group and the comparison group, in points, and usually should shrink.
    ``measure`` is empty when the goal uses a catalog metric; otherwise it names another
    measure in words (which Headway has no data for).
    """

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    class MeasureKind(models.TextChoices):
        OUTCOME = "outcome", _("A result for students")
        ACTIVITY = "activity", _("Something adults do")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="goals")
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="goals"
    )
    statement = models.TextField(_("goal statement"), blank=True)
    # The outcome indicator: one cell family of the aggregate table, at the cycle's org.
    metric = models.CharField(_("outcome"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=20, default="all")
    grade = models.CharField(_("grade"), max_length=4, default="all")
    group_type = models.CharField(_("student group"), max_length=40, default="all")
    group_value = models.CharField(max_length=60, default="all")
    compare_type = models.CharField(max_length=40, blank=True)
    compare_value = models.CharField(_("compared with"), max_length=60, blank=True)
    measure = models.CharField(_("other measure"), max_length=300, blank=True)
    measure_kind = models.CharField(
        _("the measure is"), max_length=10, choices=MeasureKind.choices, blank=True
    )
    # Numbers are on the metric's scale (rates 0–1; a gap in rate points, 0–1).
    baseline = models.FloatField(_("baseline"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_n = models.PositiveIntegerField(null=True, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(
        _("target school year"),
        null=True,
        blank=True,
        help_text=_("The school year by whose results the target is met."),
    )
    interim: models.JSONField[Any, Any] = models.JSONField(default=dict)  # {"2026": 0.42, …}
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "created_at"]

    def __str__(self) -> str:
        return self.statement[:80] or f"goal {self.code}"

    @property
    def is_gap(self) -> bool:
        return bool(self.compare_value)
