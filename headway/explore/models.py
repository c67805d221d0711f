from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from headway.data.core.metrics import Combo, Options
from headway.data.core.suppression import Policy
from headway.explore.state_policy import reporting_n


class ReportingSettings(models.Model):
    """How a district's results are computed and protected; one row per district."""

    district = models.OneToOneField(
        "orgs.Organization", on_delete=models.CASCADE, related_name="reporting"
    )
    min_n = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=10,
        help_text=_("Groups with fewer students are hidden from everyone without student access."),
    )
    change_min_n = models.PositiveSmallIntegerField(
        _("smallest group for a change between years"),
        null=True,
        blank=True,
        help_text=_("Both years need at least this many students. Empty: the same as above."),
    )
    use_accountability_flags = models.BooleanField(
        _("count only students who count for the school or district"),
        default=True,
        help_text=_(
            "Use the full-academic-year flags your files carry. Files without them report "
            "every student."
        ),
    )
    combos: models.JSONField[Any, Any] = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Combined groups, e.g. English learners with disabilities."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"reporting settings of {self.district}"

    @property
    def state_min_n(self) -> int:
        return reporting_n(self.district.state)

    def clean(self) -> None:
        floor = self.state_min_n
        if self.min_n < floor:
            raise ValidationError(
                {
                    "min_n": _("Your state's minimum is %(n)s students; choose %(n)s or more.")
                    % {"n": floor}
                }
            )
        if self.change_min_n is not None and self.change_min_n < self.min_n:
            raise ValidationError(
                {"change_min_n": _("A change needs at least as many students as a single year.")}
            )

    def policy(self) -> Policy:
        return Policy(
            min_n=max(self.min_n, self.state_min_n),
            state_min_n=self.state_min_n,
            change_min_n=self.change_min_n,
        )

    def options(self) -> Options:
        combos = tuple(Combo(c["name"], dict(c["flags"])) for c in self.combos)
        return Options(use_accountability_flags=self.use_accountability_flags, combos=combos)


class ResultsTable(models.Model):
    """One computation of a district's aggregate table: internal and public Parquet files.

    Pages, exports and the command line read the newest ready one. Each refresh writes new
    files beside the old ones and only then marks itself ready, so a reader never sees a
    half-written table.
    """

    class Status(models.TextChoices):
        COMPUTING = "computing", _("Computing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="results_tables"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPUTING)
    internal_path = models.CharField(max_length=500, blank=True)
    public_path = models.CharField(max_length=500, blank=True)
    profiles_path = models.CharField(
        max_length=500, blank=True, help_text="Each school's enrollment and group shares."
    )
    rows = models.BigIntegerField(default=0)
    years: models.JSONField[Any, Any] = models.JSONField(default=list)
    levels: models.JSONField[Any, Any] = models.JSONField(
        default=list, help_text="Performance levels from lowest to highest."
    )
    error = models.TextField(blank=True)
    seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"results of {self.district} ({self.get_status_display()})"


class Finding(models.Model):
    """An observation drafted from the data that a team pins, edits or dismisses.

    ``key`` names the observation independently of the numbers, so a team's decision
    survives the next import: the draft's text and numbers are refreshed, the decision kept.
    """

    class State(models.TextChoices):
        DRAFTED = "drafted", _("Drafted")
        PINNED = "pinned", _("Pinned")
        DISMISSED = "dismissed", _("Dismissed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="findings")
    key = models.CharField(max_length=300)
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=300)
    text = models.TextField()
    edited_text = models.TextField(blank=True)
    numbers: models.JSONField[Any, Any] = models.JSONField(default=dict)
    filters: models.JSONField[Any, Any] = models.JSONField(default=dict)
    rank = models.PositiveIntegerField(default=0)
    current = models.BooleanField(default=True, help_text="Still drafted from today's data.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["org", "key"], name="unique_finding_key"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_text(self) -> str:
        return self.edited_text or self.text

    @property
    def chart_query(self) -> str:
        """The results page's parameters that show this finding's figures."""
        f = self.filters
        group_type = f.get("group_type", "all")
        return urlencode(
            {
                "year": f.get("school_year", ""),
                "subject": f.get("subject", ""),
                "grade": f.get("grade", ""),
                "metric": f.get("metric", ""),
                "compare": group_type if group_type != "all" else "race_ethnicity",
            }
        )
