"""Multi-agency operations, where they happen and who takes part."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q

from agencies.limits import NARRATIVE, limited_text, validate_event_time

from .base import ScopedQuerySet, VoidableModel, next_yearly_code


class OperationKind(models.TextChoices):
    STING = "sting", "Sting"
    RESCUE = "rescue", "Rescue or raid"
    PROACTIVE = "proactive", "Proactive investigation"
    OUTREACH = "outreach", "Outreach"
    BUSINESS_CLOSURE = "business_closure", "Business-closure initiative"
    OTHER = "other", "Other"


class TraffickingType(models.TextChoices):
    SEX = "sex", "Sex trafficking"
    LABOR = "labor", "Labor trafficking"
    BOTH = "both", "Sex and labor trafficking"
    UNKNOWN = "unknown", "Unknown"


class OperationStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    CONCLUDED = "concluded", "Concluded"
    CLOSED = "closed", "Closed"


# planned → active → concluded → closed; a planned operation may also be closed
# (called off), and a concluded one reopened to active for late records.
OPERATION_TRANSITIONS: dict[str, set[str]] = {
    OperationStatus.PLANNED: {OperationStatus.ACTIVE, OperationStatus.CLOSED},
    OperationStatus.ACTIVE: {OperationStatus.CONCLUDED},
    OperationStatus.CONCLUDED: {OperationStatus.CLOSED, OperationStatus.ACTIVE},
    OperationStatus.CLOSED: set(),
}


class BriefingGender(models.TextChoices):
    FEMALE = "female", "Mostly women or girls"
    MALE = "male", "Mostly men or boys"
    MIXED = "mixed", "Mixed"
    UNKNOWN = "unknown", "Unknown"


class Operation(VoidableModel):
    code = models.CharField(
        max_length=20, unique=True, blank=True, help_text="For example OP-2026-0007. Left empty, one is assigned."
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OperationKind.choices)
    trafficking_type = models.CharField(max_length=10, choices=TraffickingType.choices, default=TraffickingType.UNKNOWN)
    status = models.CharField(max_length=10, choices=OperationStatus.choices, default=OperationStatus.PLANNED)
    starts_at = models.DateTimeField(validators=[validate_event_time])
    ends_at = models.DateTimeField(null=True, blank=True, validators=[validate_event_time])
    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="led_operations")
    summary = limited_text(NARRATIVE, blank=True, help_text="Investigative summary; not shown to service providers.")
    # The briefing for service providers: what they should be ready for.
    expected_victims = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Expected number of potential victims.",
        validators=[MaxValueValidator(10_000, message="Enter an expected number of victims up to 10,000.")],
    )
    expected_genders = models.CharField(max_length=10, choices=BriefingGender.choices, default=BriefingGender.UNKNOWN)
    expected_languages = models.CharField(max_length=200, blank=True, help_text="Languages, separated by commas.")
    minors_expected = models.BooleanField(default=False)
    briefing_notes = limited_text(
        NARRATIVE, blank=True, help_text="What service providers need to know (no investigative detail)."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["starts_at", "id"], name="operation_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="operation_ends_after_start",
                violation_error_message="The operation cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def owner_agency_id(self) -> int | None:
        return self.lead_agency_id

    def clean(self) -> None:
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "The operation cannot end before it starts."})

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if not self.code:
                self.code = self._next_code()
            super().save(*args, **kwargs)
            self._sync_lead_participation()

    def _next_code(self) -> str:
        return next_yearly_code(Operation, "code", "OP", self.starts_at)

    def _sync_lead_participation(self) -> None:
        """Keep exactly one lead participation, for the lead agency."""
        self.participations.filter(role=ParticipationRole.LEAD).exclude(agency_id=self.lead_agency_id).update(
            role=ParticipationRole.SUPPORT
        )
        updated = self.participations.filter(agency_id=self.lead_agency_id).update(role=ParticipationRole.LEAD)
        if not updated:
            Participation.objects.create(operation=self, agency_id=self.lead_agency_id, role=ParticipationRole.LEAD)

    def can_move_to(self, status: str) -> bool:
        return status in OPERATION_TRANSITIONS[self.status]


class VenueType(models.TextChoices):
    TRUCK_STOP = "truck_stop", "Truck stop"
    HOTEL = "hotel", "Hotel or motel"
    MASSAGE = "massage", "Massage business"
    RESIDENCE = "residence", "Residence"
    RESTAURANT = "restaurant", "Restaurant"
    FARM = "farm", "Farm"
    CONSTRUCTION = "construction", "Construction site"
    STREET = "street", "Street"
    ONLINE = "online", "Online"
    OTHER = "other", "Other"


LATITUDE_MESSAGE = "Latitude must be between -90 and 90."
LONGITUDE_MESSAGE = "Longitude must be between -180 and 180."
LATITUDE_RANGE = [MinValueValidator(-90, message=LATITUDE_MESSAGE), MaxValueValidator(90, message=LATITUDE_MESSAGE)]
LONGITUDE_RANGE = [
    MinValueValidator(-180, message=LONGITUDE_MESSAGE),
    MaxValueValidator(180, message=LONGITUDE_MESSAGE),
]


class Location(VoidableModel):
    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="locations")
    venue_name = models.CharField(max_length=200)
    venue_type = models.CharField(max_length=20, choices=VenueType.choices)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True, help_text="Two-letter state code.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE_RANGE)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE_RANGE)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["operation", "venue_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="location_latitude_range",
                violation_error_message=LATITUDE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="location_longitude_range",
                violation_error_message=LONGITUDE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue_name} ({self.get_venue_type_display()})"

    def owner_agency_id(self) -> int | None:
        return self.operation.lead_agency_id


class ParticipationRole(models.TextChoices):
    LEAD = "lead", "Lead"
    SUPPORT = "support", "Support"
    VICTIM_SERVICES = "victim_services", "Victim services"
    CHILD_WELFARE = "child_welfare", "Child welfare"
    PROSECUTION = "prosecution", "Prosecution"
    OBSERVER = "observer", "Observer"


class Participation(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="participations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=ParticipationRole.choices, default=ParticipationRole.SUPPORT)
    staff_count = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(5_000, message="Enter a staff count up to 5,000.")]
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["operation", "role", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "agency"],
                name="one_participation_per_agency",
                violation_error_message="This agency already takes part in the operation.",
            ),
            models.UniqueConstraint(
                fields=["operation"],
                condition=Q(role="lead"),
                name="one_lead_agency_per_operation",
                violation_error_message="An operation has only one lead agency; change the lead agency instead.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name} — {self.get_role_display()}"

    def owner_agency_id(self) -> int | None:
        return self.operation.lead_agency_id

    def clean(self) -> None:
        if (
            self.role == ParticipationRole.LEAD
            and self.operation_id
            and self.agency_id != self.operation.lead_agency_id
        ):
            raise ValidationError(
                {"role": "Only the operation's lead agency can take part as lead; change the lead agency instead."}
            )
