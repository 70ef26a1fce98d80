"""Investigations: what an operation becomes in the months after it.

An investigation has a lead agency and the agencies working it with it, among them the
prosecuting agencies it has been referred to; the operations it came from; the people
in it with their role (suspect, victim, witness); and arrests linked to it
(Detention.investigation). open → referred for prosecution → closed (with a reason);
a closed investigation may be reopened.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from agencies.limits import NARRATIVE, SHORT_TEXT, limited_text, validate_event_time

from .base import ScopedQuerySet, VoidableModel, next_yearly_code
from .operations import TraffickingType


class InvestigationStatus(models.TextChoices):
    OPEN = "open", "Open"
    REFERRED = "referred", "Referred for prosecution"
    CLOSED = "closed", "Closed"


class ClosingReason(models.TextChoices):
    CLEARED_BY_ARREST = "cleared_by_arrest", "Cleared by arrest"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", "Insufficient evidence"
    OTHER_JURISDICTION = "other_jurisdiction", "Referred to another jurisdiction"
    OTHER = "other", "Other"


class InvestigationAgencyRole(models.TextChoices):
    LEAD = "lead", "Lead"
    PARTICIPANT = "participant", "Participating"
    PROSECUTION = "prosecution", "Referred for prosecution"


class InvestigationPersonRole(models.TextChoices):
    SUSPECT = "suspect", "Suspect"
    VICTIM = "victim", "Victim"
    WITNESS = "witness", "Witness"
    OTHER = "other", "Other"


# The people in an investigation whose advocates are told when court is.
NOTIFIED_ROLES = (InvestigationPersonRole.VICTIM, InvestigationPersonRole.WITNESS)


class Investigation(VoidableModel):
    reference = models.CharField(
        max_length=20, unique=True, blank=True, help_text="For example INV-2026-0003. Left empty, one is assigned."
    )
    title = models.CharField(max_length=200)
    trafficking_type = models.CharField(max_length=10, choices=TraffickingType.choices, default=TraffickingType.UNKNOWN)
    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="led_investigations")
    status = models.CharField(max_length=10, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN)
    opened_on = models.DateField(default=timezone.localdate, validators=[validate_event_time])
    closed_on = models.DateField(null=True, blank=True, validators=[validate_event_time])
    closing_reason = models.CharField(max_length=25, choices=ClosingReason.choices, blank=True)
    closing_note = limited_text(SHORT_TEXT, blank=True, help_text="Why it closed, when the reason is “Other”.")
    summary = limited_text(NARRATIVE, blank=True, help_text="Investigative summary; never shown to service providers.")
    operations = models.ManyToManyField(
        "cases.Operation", blank=True, related_name="investigations", help_text="The operations it came from."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["status", "opened_on"]),
            models.Index(fields=["opened_on", "id"], name="investigation_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(closing_reason="") & Q(closed_on__isnull=False)),
                name="closed_investigation_has_reason",
                violation_error_message="Give the date and the reason the investigation closed.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="investigation_closes_after_opening",
                violation_error_message="An investigation cannot close before it opened.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def owner_agency_id(self) -> int | None:
        return self.lead_agency_id

    def clean(self) -> None:
        errors = {}
        if self.status == InvestigationStatus.CLOSED:
            if not self.closing_reason:
                errors["closing_reason"] = "Choose why the investigation closed."
            if not self.closed_on:
                errors["closed_on"] = "Give the date the investigation closed."
            if self.closing_reason == ClosingReason.OTHER and not self.closing_note.strip():
                errors["closing_note"] = "Say why the investigation closed."
        elif self.closing_reason or self.closed_on:
            errors["closing_reason"] = "Only a closed investigation has a closing date and reason."
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            errors["closed_on"] = "An investigation cannot close before it opened."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if not self.reference:
                self.reference = next_yearly_code(Investigation, "reference", "INV", self.opened_on)
            super().save(*args, **kwargs)
            self._sync_lead()

    def _sync_lead(self) -> None:
        """Keep exactly one lead among the agencies, the lead agency."""
        agencies = self.agencies.all()
        agencies.filter(role=InvestigationAgencyRole.LEAD).exclude(agency_id=self.lead_agency_id).update(
            role=InvestigationAgencyRole.PARTICIPANT
        )
        if not agencies.filter(agency_id=self.lead_agency_id).update(role=InvestigationAgencyRole.LEAD):
            InvestigationAgency.objects.create(
                investigation=self, agency_id=self.lead_agency_id, role=InvestigationAgencyRole.LEAD
            )

    @property
    def prosecuting_agency_ids(self) -> set[int]:
        return set(self.agencies.filter(role=InvestigationAgencyRole.PROSECUTION).values_list("agency_id", flat=True))


def investigations_of(investigations: models.QuerySet, person) -> models.QuerySet:
    """Of these investigations, those the person is in (in any role)."""
    return investigations.filter(people__person=person).distinct()


class InvestigationAgency(models.Model):
    """An agency working an investigation: the lead, a participant, or a prosecutor it was referred to."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="investigation_roles")
    role = models.CharField(max_length=12, choices=InvestigationAgencyRole.choices)
    since = models.DateField(default=timezone.localdate, validators=[validate_event_time])

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["investigation", "role", "id"]
        verbose_name_plural = "investigation agencies"
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "agency"],
                name="one_role_per_agency_per_investigation",
                violation_error_message="This agency already works on the investigation.",
            ),
        ]
        indexes = [models.Index(fields=["agency", "investigation"])]

    def __str__(self) -> str:
        return f"{self.agency} ({self.get_role_display()})"


class InvestigationPerson(models.Model):
    """A person in an investigation, with their role in it."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="investigation_roles")
    role = models.CharField(max_length=10, choices=InvestigationPersonRole.choices)
    note = limited_text(SHORT_TEXT, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["investigation", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "person", "role"],
                name="one_role_per_person_per_investigation",
                violation_error_message="This person already has this role in the investigation.",
            ),
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"
