from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from headway.data.core.schema import Kind
from headway.data.sources import Source, open_source
from headway.orgs.models import school_year_label

KIND_CHOICES = [(kind.value, kind.value.title()) for kind in Kind]  # the order tables are shown in


class SavedMapping(models.Model):
    """A named mapping of a district's file layout to Headway's canonical fields (YAML)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="mappings"
    )
    name = models.CharField(_("name"), max_length=120)
    yaml = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="unique_mapping_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Import(models.Model):
    """One upload of one file, from upload through mapping and checks to a stored snapshot."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for a mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        REFUSED = "refused", _("Refused: problems found")
        DONE = "done", _("Stored")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    FINISHED = (Status.REFUSED, Status.DONE, Status.FAILED, Status.CANCELLED)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="imports"
    )
    file_name = models.CharField(max_length=255)
    upload_path = models.CharField(max_length=500, blank=True)
    groups_path = models.CharField(
        max_length=500, blank=True, help_text="A OneRoster package's student-group file."
    )
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    detected = models.CharField(max_length=200, blank=True)
    sheet = models.CharField(max_length=120, blank=True)
    mapping_yaml = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    phase = models.CharField(max_length=20, blank=True)
    rows_read = models.BigIntegerField(default=0)
    rows_validated = models.BigIntegerField(default=0)
    rows_stored = models.BigIntegerField(default=0)
    report: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    worker_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    def reset(self, status: str) -> None:
        """Forget the last run's outcome, to map again (uploaded) or run again (queued)."""
        Import.objects.filter(pk=self.pk).update(
            status=status,
            report={},
            error="",
            cancel_requested=False,
            rows_read=0,
            rows_validated=0,
            rows_stored=0,
            finished_at=None,
        )

    @property
    def unknown_school_rows(self) -> int:
        totals = self.report.get("totals", []) if isinstance(self.report, dict) else []
        return sum(t["count"] for t in totals if t["kind"] == "unknown_school")

    def source(self) -> Source:
        """The uploaded file's rows; raises ReadError when it cannot be read (or was pruned)."""
        groups = Path(self.groups_path) if self.groups_path else None
        return open_source(
            Path(self.upload_path), name=self.file_name, sheet=self.sheet, groups=groups
        )


class Snapshot(models.Model):
    """An immutable Parquet file holding one canonical table from one import."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="snapshots"
    )
    source = models.ForeignKey(Import, on_delete=models.PROTECT, related_name="snapshots")
    kind = models.CharField(max_length=12, choices=KIND_CHOICES)
    years: models.JSONField[Any, Any] = models.JSONField(default=list)
    rows_by_year: models.JSONField[Any, Any] = models.JSONField(default=dict)
    path = models.CharField(max_length=500)
    rows = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.years} ({self.rows} rows)"


class Coverage(models.Model):
    """Which snapshot currently supplies a district's table for one school year.

    Replacing or rolling back data only moves these pointers, inside one transaction,
    after the new Parquet file is complete: readers never see a half-written state.
    """

    district = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=KIND_CHOICES)
    school_year = models.PositiveSmallIntegerField()
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="coverage")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "kind", "school_year"], name="unique_coverage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year_label} → {self.snapshot}"

    @property
    def year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def rows(self) -> int:
        return int(self.snapshot.rows_by_year.get(str(self.school_year), 0))
