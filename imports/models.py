"""A contact import: a night sheet or an intake list uploaded, checked row by row, then imported at once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models.base import ScopedQuerySet
from exports import progress


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked, waiting for your confirmation"
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Being imported"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed, nothing imported"
    CANCELLED = "cancelled", "Cancelled, nothing imported"


class ContactImport(models.Model):
    """One uploaded file of contacts and what became of it.

    `rows` keeps every cell as uploaded (text, never evaluated); `decisions` the uploader's
    answer per row to "is this one of these people?"; `row_keys` one key per imported row,
    so a row already imported by this agency is never imported twice.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contact_imports")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="contact_imports", help_text="The contacting agency."
    )
    operation = models.ForeignKey(
        "cases.Operation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_imports",
        help_text="Empty for walk-ins outside any operation.",
    )
    file_name = models.CharField(max_length=200)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the uploaded file.")
    size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    headers = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True, help_text="Every row as uploaded, as text.")
    decisions = models.JSONField(default=dict, blank=True, help_text="Row number → a person's id, or 'new'.")
    row_keys = models.JSONField(default=list, blank=True, help_text="The keys of the rows imported.")
    rows_total = models.PositiveIntegerField(default=0)
    rows_with_errors = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0, help_text="Rows imported so far (the progress bar).")
    contacts_created = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    people_matched = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0, help_text="Rows this agency had already imported.")
    task_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True, default="")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["uploaded_by", "-created_at"], name="import_own_newest"),
            models.Index(fields=["agency", "checksum"], name="import_agency_checksum"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name}, {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED)

    @property
    def is_open(self) -> bool:
        """Still waiting for its uploader's confirmation."""
        return self.status == ImportStatus.CHECKED

    @property
    def percent(self) -> int | None:
        return progress.percent(self.status == ImportStatus.DONE, self.rows_done, self.rows_total)
