"""Journal entries on operations, people and referrals."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from agencies.limits import NARRATIVE, limited_text

from .base import ScopedQuerySet, VoidableModel

NOTE_TARGETS = ("operation", "person", "referral")


class Note(VoidableModel):
    operation = models.ForeignKey(
        "cases.Operation", on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="notes")
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="notes", help_text="The writer's agency."
    )
    text = limited_text(NARRATIVE)
    private = models.BooleanField(
        default=False, editable=False, help_text="Visible only to the writing agency (all victim-services notes)."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(operation__isnull=False, person__isnull=True, referral__isnull=True)
                    | Q(operation__isnull=True, person__isnull=False, referral__isnull=True)
                    | Q(operation__isnull=True, person__isnull=True, referral__isnull=False)
                ),
                name="note_on_exactly_one_record",
                violation_error_message="A note is written on exactly one operation, person or referral.",
            ),
        ]

    def __str__(self) -> str:
        return f"Note by {self.agency.short_name} on {self.created_at:%Y-%m-%d}"

    def owner_agency_id(self) -> int | None:
        return self.agency_id

    @property
    def target(self):
        return self.operation or self.person or self.referral

    def clean(self) -> None:
        if sum(1 for name in NOTE_TARGETS if getattr(self, f"{name}_id")) != 1:
            raise ValidationError("A note is written on exactly one operation, person or referral.")
        if not (self.text or "").strip():
            raise ValidationError({"text": "Write the note."})

    def save(self, *args, **kwargs) -> None:
        # Victim-services notes are confidential to the writing agency by law.
        if self.agency_id and self.agency.kind == "victim_services":
            self.private = True
        super().save(*args, **kwargs)
