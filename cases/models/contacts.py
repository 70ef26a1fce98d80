"""Encounters with people, and the services offered to them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

from agencies.limits import NARRATIVE, before_minute_of, limited_text, validate_event_time

from .base import ScopedQuerySet, VoidableModel
from .people import age_group_for


class ContactRole(models.TextChoices):
    POTENTIAL_VICTIM = "potential_victim", "Potential victim"
    CONFIRMED_VICTIM = "confirmed_victim", "Confirmed victim"
    SUSPECTED_TRAFFICKER = "suspected_trafficker", "Suspected trafficker"
    BUYER = "buyer", "Buyer"
    WITNESS = "witness", "Witness"
    ACCOMPANYING_CHILD = "accompanying_child", "Accompanying child"


VICTIM_ROLES = (ContactRole.POTENTIAL_VICTIM, ContactRole.CONFIRMED_VICTIM, ContactRole.ACCOMPANYING_CHILD)


class ContactOutcome(models.TextChoices):
    OFFERED_SERVICES = "offered_services", "Offered services"
    DETAINED = "detained", "Detained"
    ARRESTED = "arrested", "Arrested"
    PROTECTIVE_CUSTODY = "protective_custody", "Taken into protective custody"
    RELEASED = "released", "Released"
    NO_ACTION = "no_action", "No action"


class Contact(VoidableModel):
    """One encounter with a person, in an operation or as a walk-in."""

    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="contacts")
    operation = models.ForeignKey(
        "cases.Operation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        help_text="Leave empty for a walk-in outside any operation.",
    )
    location = models.ForeignKey(
        "cases.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    place = models.CharField(
        max_length=200, blank=True, help_text="Where it happened, if not one of the operation's locations."
    )
    occurred_at = models.DateTimeField(default=timezone.now, validators=[validate_event_time])
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="contacts", help_text="The contacting agency."
    )
    role = models.CharField(max_length=25, choices=ContactRole.choices)
    age_group = models.CharField(
        max_length=10, editable=False, default="unknown", help_text="The person's age group on the day."
    )
    indicators = models.ManyToManyField("cases.Indicator", blank=True, related_name="contacts")
    outcome = models.CharField(max_length=25, choices=ContactOutcome.choices)
    narrative = limited_text(NARRATIVE, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["operation", "role"]),
            models.Index(fields=["agency", "occurred_at"]),
            models.Index(fields=["person", "occurred_at"]),
            # The default order of every contact list: newest first, read straight off the index.
            models.Index(fields=["occurred_at", "id"], name="contact_newest_first"),
            # One operation's contacts, newest first (the operation page's section): the global
            # index above walked past half a million rows to find one operation's 25.
            models.Index("operation", F("occurred_at").desc(), F("id").desc(), name="contact_of_operation"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} contact {self.occurred_at:%Y-%m-%d}"

    def owner_agency_id(self) -> int | None:
        return self.agency_id

    @property
    def is_victim(self) -> bool:
        return self.role in VICTIM_ROLES

    def clean(self) -> None:
        errors = {}
        if self.location_id and self.operation_id and self.location.operation_id != self.operation_id:
            errors["location"] = "This location belongs to another operation."
        if self.location_id and not self.operation_id:
            errors["location"] = "A location can only be chosen for a contact in an operation."
        if self.occurred_at and self.occurred_at > timezone.now() + timezone.timedelta(minutes=5):
            errors["occurred_at"] = "A contact cannot be recorded in the future."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.person_id:
            self.age_group = age_group_for(self.person.age_on(timezone.localtime(self.occurred_at).date()))
        existing = not self._state.adding
        super().save(*args, **kwargs)
        if existing:
            self._carry_operation()

    def _carry_operation(self) -> None:
        """Referrals and detentions out of this contact follow it to its (new) operation."""
        for records in (self.referrals, self.detentions):
            for record in records.exclude(operation_id=self.operation_id):
                record.contact = self
                record.save(update_fields=["operation"])


class OfferResponse(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    UNDECIDED = "undecided", "Undecided"


class ServiceOffer(VoidableModel):
    """A service offered to a person, during a contact or while a referral is open."""

    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="service_offers")
    contact = models.ForeignKey(
        "cases.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="service_offers"
    )
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="service_offers"
    )
    service_type = models.ForeignKey("cases.ServiceType", on_delete=models.PROTECT, related_name="offers")
    offered_by = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="service_offers")
    offered_at = models.DateTimeField(default=timezone.now, validators=[validate_event_time])
    response = models.CharField(max_length=10, choices=OfferResponse.choices, default=OfferResponse.UNDECIDED)
    delivered_at = models.DateTimeField(
        null=True, blank=True, help_text="When the service was actually given.", validators=[validate_event_time]
    )
    provider = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provided_services",
        help_text="The agency giving the service, if not the one offering it.",
    )
    notes = limited_text(NARRATIVE, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-offered_at", "-id"]
        indexes = [
            models.Index(fields=["person", "offered_at"]),
            models.Index(fields=["service_type", "response"]),
            # The default order of offer lists (API pages read it from a cursor onwards).
            models.Index(fields=["offered_at", "id"], name="serviceoffer_newest_first"),
            # A contact's and a referral's offers, newest first.
            models.Index("contact", F("offered_at").desc(), F("id").desc(), name="serviceoffer_of_contact"),
            models.Index("referral", F("offered_at").desc(), F("id").desc(), name="serviceoffer_of_referral"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False) | models.Q(referral__isnull=False),
                name="offer_made_in_contact_or_referral",
                violation_error_message="An offer is made during a contact or under a referral.",
            ),
            models.CheckConstraint(
                condition=models.Q(delivered_at__isnull=True) | models.Q(response="accepted"),
                name="offer_delivered_only_if_accepted",
                violation_error_message="Only an accepted service can be delivered.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type} — {self.get_response_display()}"

    def owner_agency_id(self) -> int | None:
        return self.offered_by_id

    def clean(self) -> None:
        errors = {}
        if self.contact_id and self.person_id and self.contact.person_id != self.person_id:
            errors["contact"] = "This contact is with another person."
        if self.referral_id and self.person_id and self.referral.person_id != self.person_id:
            errors["referral"] = "This referral is for another person."
        if not self.contact_id and not self.referral_id:
            errors["contact"] = "An offer is made during a contact or under a referral."
        if self.delivered_at and self.response != OfferResponse.ACCEPTED:
            errors["delivered_at"] = "Only an accepted service can be delivered."
        elif before_minute_of(self.delivered_at, self.offered_at):
            errors["delivered_at"] = "A service cannot be delivered before it was offered."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.contact_id and not self.person_id:
            self.person_id = self.contact.person_id
        if self.referral_id and not self.person_id:
            self.person_id = self.referral.person_id
        super().save(*args, **kwargs)
