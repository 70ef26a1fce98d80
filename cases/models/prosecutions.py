"""Prosecutions: the charges filed in court against a defendant, count by count.

A prosecution belongs to an investigation and is brought by a prosecuting agency (a
county prosecutor, the Attorney General, a U.S. Attorney's Office) in a state or
federal court. Each count cites a statute from the catalogue and has its own
disposition and, on a conviction or plea, its sentence. Court events (hearings, trial
dates, sentencing) are scheduled on the prosecution; the advocates of its victims and
witnesses are told the date, the kind and the court, and nothing else.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.limits import SHORT_TEXT, limited_text, validate_event_time, validate_scheduled_time

from .base import ScopedQuerySet, VoidableModel
from .catalogues import CatalogueEntry


class Jurisdiction(models.TextChoices):
    STATE = "state", "State (Missouri)"
    FEDERAL = "federal", "Federal"


class Statute(CatalogueEntry):
    """An offence a count may cite: RSMo 566 and 567, 18 U.S.C. 1589–1594 and 2421–2423."""

    citation = models.CharField(max_length=40, unique=True, help_text="For example RSMo 566.209 or 18 U.S.C. 1591.")
    jurisdiction = models.CharField(max_length=10, choices=Jurisdiction.choices)
    is_trafficking = models.BooleanField(
        default=False, verbose_name="trafficking offence", help_text="Counted apart in the grant reports."
    )

    class Meta(CatalogueEntry.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.citation} {self.name}"


class Prosecution(VoidableModel):
    investigation = models.ForeignKey("cases.Investigation", on_delete=models.PROTECT, related_name="prosecutions")
    prosecuting_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="prosecutions",
        help_text="A prosecutor's office: county prosecutor, Attorney General or U.S. Attorney.",
    )
    court_jurisdiction = models.CharField(max_length=10, choices=Jurisdiction.choices)
    court = models.CharField(max_length=200, help_text="For example Buchanan County Circuit Court.")
    docket_number = models.CharField(max_length=60, blank=True)
    defendant = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="prosecutions")
    filed_on = models.DateField(validators=[validate_event_time])
    notes = limited_text(SHORT_TEXT, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-id"]
        indexes = [
            models.Index(fields=["prosecuting_agency", "filed_on"]),
            models.Index(fields=["filed_on", "id"], name="prosecution_newest_first"),
        ]

    def __str__(self) -> str:
        return f"Prosecution {self.reference}"

    @property
    def reference(self) -> str:
        return f"PR-{self.pk:06d}" if self.pk else "new prosecution"

    def owner_agency_id(self) -> int | None:
        return self.prosecuting_agency_id

    def clean(self) -> None:
        if self.investigation_id and self.filed_on and self.filed_on < self.investigation.opened_on:
            raise ValidationError({"filed_on": "A prosecution cannot be filed before its investigation opened."})


class Disposition(models.TextChoices):
    PENDING = "pending", "Pending"
    DISMISSED = "dismissed", "Dismissed"
    NOLLE_PROSEQUI = "nolle_prosequi", "Nolle prosequi"
    PLEADED_GUILTY = "pleaded_guilty", "Pleaded guilty"
    CONVICTED = "convicted", "Convicted at trial"
    ACQUITTED = "acquitted", "Acquitted"


CONVICTIONS = (Disposition.PLEADED_GUILTY, Disposition.CONVICTED)


class Count(models.Model):
    """One charge in a prosecution, its disposition and, on a conviction, its sentence."""

    prosecution = models.ForeignKey(Prosecution, on_delete=models.PROTECT, related_name="counts")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)], help_text="Count I is 1.")
    statute = models.ForeignKey(Statute, on_delete=models.PROTECT, related_name="counts")
    disposition = models.CharField(max_length=15, choices=Disposition.choices, default=Disposition.PENDING)
    disposition_on = models.DateField(null=True, blank=True, validators=[validate_event_time])
    custody_months = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(1200)], help_text="Months of custody (prison or jail)."
    )
    probation_months = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(1200)])
    restitution = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)], help_text="US$."
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["prosecution", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["prosecution", "number"],
                name="one_count_number_per_prosecution",
                violation_error_message="The prosecution already has a count with this number.",
            ),
            models.CheckConstraint(
                condition=Q(disposition="pending") | Q(disposition_on__isnull=False),
                name="disposed_count_has_date",
                violation_error_message="Give the date of the disposition.",
            ),
            models.CheckConstraint(
                condition=Q(disposition__in=["pleaded_guilty", "convicted"])
                | (Q(custody_months__isnull=True) & Q(probation_months__isnull=True) & Q(restitution__isnull=True)),
                name="sentence_only_on_conviction",
                violation_error_message="A sentence follows only a guilty plea or a conviction.",
            ),
        ]

    def __str__(self) -> str:
        return f"Count {self.number}: {self.statute.citation}"

    @property
    def is_conviction(self) -> bool:
        return self.disposition in CONVICTIONS

    @property
    def is_sentenced(self) -> bool:
        return any(v is not None for v in (self.custody_months, self.probation_months, self.restitution))

    def clean(self) -> None:
        errors = {}
        if self.disposition != Disposition.PENDING and not self.disposition_on:
            errors["disposition_on"] = "Give the date of the disposition."
        if self.disposition == Disposition.PENDING and self.disposition_on:
            errors["disposition_on"] = "A pending count has no disposition date yet."
        if self.disposition_on and self.prosecution_id and self.disposition_on < self.prosecution.filed_on:
            errors["disposition_on"] = "A count cannot be disposed of before the prosecution was filed."
        if self.is_sentenced and not self.is_conviction:
            errors["custody_months"] = "A sentence follows only a guilty plea or a conviction."
        if errors:
            raise ValidationError(errors)


class CourtEventKind(models.TextChoices):
    ARRAIGNMENT = "arraignment", "Arraignment"
    PRELIMINARY = "preliminary", "Preliminary hearing"
    HEARING = "hearing", "Hearing"
    PLEA = "plea", "Plea hearing"
    TRIAL = "trial", "Trial"
    SENTENCING = "sentencing", "Sentencing"
    OTHER = "other", "Other"


class CourtEventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CONTINUED = "continued", "Continued (postponed)"
    CANCELLED = "cancelled", "Cancelled"


class CourtEvent(models.Model):
    """A date in court. Its advocates' view: when, what kind, which court, nothing else."""

    prosecution = models.ForeignKey(Prosecution, on_delete=models.PROTECT, related_name="court_events")
    kind = models.CharField(max_length=12, choices=CourtEventKind.choices)
    scheduled_at = models.DateTimeField(validators=[validate_scheduled_time])
    court = models.CharField(max_length=200, blank=True, help_text="Left empty: the prosecution's court.")
    courtroom = models.CharField(max_length=60, blank=True, help_text="Division or courtroom.")
    status = models.CharField(max_length=10, choices=CourtEventStatus.choices, default=CourtEventStatus.SCHEDULED)
    notes = limited_text(SHORT_TEXT, blank=True, help_text="For the prosecution team; not shown to advocates.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["scheduled_at", "id"], name="court_event_by_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scheduled_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self.court and self.prosecution_id:
            self.court = self.prosecution.court
        super().save(*args, **kwargs)
