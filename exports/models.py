"""An export job: one list, filtered, written to a file by a worker for the user who asked."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models.base import ScopedQuerySet

from . import progress


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Being written"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"


class ExportJob(models.Model):
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs")
    # The API list it exports ("contact-list" is /api/v1/contacts/), its filters as a query
    # string, and its name in files and the access log ("contacts").
    list_name = models.CharField(max_length=60)
    what = models.CharField(max_length=60)
    query = models.TextField(blank=True, default="")
    format = models.CharField(max_length=4, choices=ExportFormat.choices)
    raw = models.BooleanField(default=False, help_text="The machine form (API field names and codes).")
    status = models.CharField(max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveBigIntegerField(null=True, blank=True, help_text="Rows counted before writing.")
    rows_written = models.PositiveBigIntegerField(default=0)
    file_name = models.CharField(max_length=80, blank=True, default="", help_text="Inside EXPORT_DIR.")
    size = models.PositiveBigIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True, default="", help_text="SHA-256 of the file.")
    task_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker writes this as it goes; a running job that stops reporting has died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="The file is deleted after this.")
    purged_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_own_newest")]

    def __str__(self) -> str:
        return f"{self.what} ({self.get_format_display()}), {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def is_expired(self) -> bool:
        return self.purged_at is not None or (self.expires_at is not None and self.expires_at <= timezone.now())

    @property
    def is_downloadable(self) -> bool:
        return self.status == ExportStatus.DONE and bool(self.file_name) and not self.is_expired

    @property
    def percent(self) -> int | None:
        return progress.percent(self.status == ExportStatus.DONE, self.rows_written, self.rows_total)

    @property
    def path(self) -> Path:
        return Path(settings.EXPORT_DIR) / self.file_name

    @property
    def download_name(self) -> str:
        return f"{self.what}-{timezone.localtime(self.created_at):%Y-%m-%d}.{self.format}"
