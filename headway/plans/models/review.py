"""Review and approval of a plan: submitted versions, decisions, comments and notices.

Submitting freezes the plan's content into a ``PlanVersion``; the district (and, for CSI
schools, the state) approves it or asks for changes. An approved version never changes:
editing the plan afterwards starts the next version as a draft (plans/review.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from headway.plans.models.plan import Plan


class PlanVersion(models.Model):
    """The plan's whole content as it was submitted (and, if approved, as approved)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content: models.JSONField[Any, Any] = models.JSONField(default=dict)
    note = models.TextField(_("note to the reviewers"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version")
        ]

    def __str__(self) -> str:
        return f"version {self.number} of {self.plan}"


class Decision(models.Model):
    """A reviewer's decision on a submitted version: approved, or changes requested."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        STATE = "state", _("State")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        CHANGES = "changes", _("Changes requested")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="decisions")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(
        _("approved by"),
        max_length=200,
        blank=True,
        help_text=_("For the state's approval: who approved it at the state."),
    )
    decided_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.get_outcome_display()}"


class Comment(models.Model):
    """A comment on one section of a plan; replies form a thread."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(max_length=40)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Notice(models.Model):
    """A note to one person about their plans: a submission, a decision, a comment."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_notices"
    )
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at"]

    def __str__(self) -> str:
        return self.text
