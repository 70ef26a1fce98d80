"""Detentions and arrests, and the charges that follow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

from agencies.limits import NARRATIVE, before_minute_of, limited_text, validate_event_time

from .base import OperationOfContact, ScopedQuerySet, VoidableModel


class DetentionOutcome(models.TextChoices):
    RELEASED = "released", "Released"
    CITED = "cited", "Cited"
    ARRESTED = "arrested", "Arrested"
    REFERRED = "referred", "Referred for prosecution"


class Detention(OperationOfContact, VoidableModel):
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="detentions")
    contact = models.ForeignKey(
        "cases.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="detentions"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="detentions")
    investigation = models.ForeignKey(
        "cases.Investigation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="detentions",
        help_text="The investigation this arrest or detention belongs to.",
    )
    detained_at = models.DateTimeField(default=timezone.now, validators=[validate_event_time])
    outcome = models.CharField(max_length=10, choices=DetentionOutcome.choices)
    pending = models.BooleanField(default=False, help_text="The case is still open with the prosecutor.")
    notes = limited_text(NARRATIVE, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-detained_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "detained_at"]),
            models.Index(fields=["detained_at", "id"], name="detention_newest_first"),
            # One operation's detentions, newest first (the operation page's section).
            models.Index("operation", F("detained_at").desc(), F("id").desc(), name="detention_of_operation"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.detained_at:%Y-%m-%d}"

    def owner_agency_id(self) -> int | None:
        return self.agency_id

    @property
    def is_arrest(self) -> bool:
        return self.outcome in (DetentionOutcome.ARRESTED, DetentionOutcome.REFERRED)

    def clean(self) -> None:
        if self.contact_id and self.person_id and self.contact.person_id != self.person_id:
            raise ValidationError({"contact": "This contact is with another person."})
        if self.contact_id and before_minute_of(self.detained_at, self.contact.occurred_at):
            raise ValidationError({"detained_at": "A detention cannot be before the contact it came out of."})


class ChargeClass(models.TextChoices):
    FELONY = "felony", "Felony"
    MISDEMEANOR = "misdemeanor", "Misdemeanor"
    INFRACTION = "infraction", "Infraction"
    FEDERAL = "federal", "Federal offense"


class Charge(models.Model):
    detention = models.ForeignKey(Detention, on_delete=models.CASCADE, related_name="charges")
    statute = models.CharField(max_length=80, help_text="For example RSMo 566.209.")
    description = models.CharField(max_length=300)
    charge_class = models.CharField(max_length=12, choices=ChargeClass.choices)
    is_trafficking = models.BooleanField(default=False, verbose_name="trafficking charge")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["detention", "id"]

    def __str__(self) -> str:
        return f"{self.statute} {self.description}"
