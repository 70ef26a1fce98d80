"""People contacted in operations, known by a pseudonymous reference."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.limits import (
    ALIASES,
    NAME,
    SHORT_TEXT,
    age_limit,
    limited_text,
    validate_birth_date,
    validate_past_day,
)

from .base import ScopedQuerySet, VoidableModel
from .sounds import stored_keys

ADULT_AGE = 18
NAME_KEYS = 300
ALIAS_KEYS = 1_000


class AgeGroup(models.TextChoices):
    INFANT = "infant", "Infant (under 2)"
    CHILD = "child", "Child (2–12)"
    TEEN = "teen", "Teen (13–17)"
    ADULT = "adult", "Adult (18 and over)"
    UNKNOWN = "unknown", "Unknown"


MINOR_AGE_GROUPS = (AgeGroup.INFANT, AgeGroup.CHILD, AgeGroup.TEEN)


def age_group_for(age: int | None) -> str:
    if age is None:
        return AgeGroup.UNKNOWN
    if age < 2:
        return AgeGroup.INFANT
    if age < 13:
        return AgeGroup.CHILD
    if age < ADULT_AGE:
        return AgeGroup.TEEN
    return AgeGroup.ADULT


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    TRANSGENDER = "transgender", "Transgender"
    NON_BINARY = "non_binary", "Non-binary"
    UNKNOWN = "unknown", "Unknown or not stated"


class Citizenship(models.TextChoices):
    US = "us", "U.S. citizen or lawful permanent resident"
    FOREIGN = "foreign", "Foreign national"
    UNKNOWN = "unknown", "Unknown"


def _years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def validate_aliases(value: str) -> None:
    """Each alias is a name, and a name fits on a line."""
    if any(len(line.strip()) > NAME for line in value.splitlines()):
        raise ValidationError(f"Each alias can have at most {NAME} characters; put one alias per line.")


class Person(VoidableModel):
    reference = models.CharField(
        max_length=12, unique=True, editable=False, help_text="Pseudonymous reference, e.g. P-000123."
    )
    legal_name = models.CharField(max_length=200, blank=True)
    aliases = limited_text(ALIASES, blank=True, help_text="Other names, one per line.", validators=[validate_aliases])
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_birth_date])
    estimated_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="When the date of birth is not known.", validators=[age_limit]
    )
    age_estimated_on = models.DateField(
        null=True, blank=True, help_text="The day the age was estimated.", validators=[validate_past_day]
    )
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN, editable=False)
    is_minor = models.BooleanField(
        default=False, editable=False, help_text="Set when the person was a minor on record; never cleared."
    )
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.UNKNOWN)
    citizenship = models.CharField(max_length=10, choices=Citizenship.choices, default=Citizenship.UNKNOWN)
    languages = models.CharField(max_length=200, blank=True, help_text="Languages spoken, separated by commas.")
    interpreter_needed = models.BooleanField(default=False)
    vulnerabilities = models.ManyToManyField("cases.VulnerabilityFactor", blank=True, related_name="people")
    phone = models.CharField(max_length=40, blank=True, help_text="A number that is safe to call.")
    email = models.EmailField(blank=True)
    safe_contact_notes = limited_text(SHORT_TEXT, blank=True, help_text="How and when it is safe to reach the person.")
    created_by_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency that first recorded the person.",
    )

    # Sound-alike keys of the name and the aliases (cases/models/sounds.py), kept on save:
    # the forgiving search and the duplicate finder look for them.
    name_keys = models.CharField(max_length=NAME_KEYS, blank=True, default="", editable=False)
    alias_keys = models.CharField(max_length=ALIAS_KEYS, blank=True, default="", editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_away",
        help_text="Set when this record was merged into another: the person is that one now.",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["age_group"]),
            models.Index(fields=["legal_name"]),
            # The people list's default order, newest first (its pages stop after their rows).
            models.Index(fields=["created_at", "id"], name="person_newest_first"),
            models.Index(fields=["name_keys"], name="person_name_keys"),
            # Sorted by name (people list and API): read in order, each person checked, stopped at
            # the page's end; by the name alone the ties were sorted after reading thousands.
            models.Index(fields=["legal_name", "id"], name="person_by_name"),
        ]
        constraints = [
            # A minor flag follows from the age group and is never lost.
            models.CheckConstraint(
                condition=Q(is_minor=True) | ~Q(age_group__in=["infant", "child", "teen"]),
                name="person_minor_flag_follows_age",
                violation_error_message="A person once recorded as a minor stays flagged as a minor.",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or "new person"

    def owner_agency_id(self) -> int | None:
        return self.created_by_agency_id

    def age_on(self, day: date | None = None) -> int | None:
        day = day or timezone.localdate()
        if self.date_of_birth:
            return _years_between(self.date_of_birth, day)
        if self.estimated_age is not None:
            since = self.age_estimated_on or (self.created_at.date() if self.created_at else day)
            return self.estimated_age + max(0, _years_between(since, day))
        return None

    def is_minor_on(self, day: date) -> bool:
        age = self.age_on(day)
        return age is not None and age < ADULT_AGE

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def language_list(self) -> list[str]:
        return [part.strip() for part in self.languages.split(",") if part.strip()]

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def refresh_keys(self) -> None:
        self.name_keys = stored_keys(self.legal_name, NAME_KEYS)
        self.alias_keys = stored_keys(self.aliases, ALIAS_KEYS)

    def save(self, *args, **kwargs) -> None:
        self.refresh_keys()
        fields = kwargs.get("update_fields")
        if fields is not None and {"legal_name", "aliases"} & set(fields):
            kwargs["update_fields"] = list({*fields, "name_keys", "alias_keys"})
        if self.estimated_age is not None and not self.age_estimated_on:
            self.age_estimated_on = timezone.localdate()
        self.age_group = age_group_for(self.age_on())
        if self.age_group in MINOR_AGE_GROUPS:
            self.is_minor = True
        if not self.reference:
            # A unique placeholder until the id is known.
            self.reference = f"N-{uuid.uuid4().hex[:10]}"
            super().save(*args, **kwargs)
            self.reference = f"P-{self.pk:06d}"
            Person.objects.filter(pk=self.pk).update(reference=self.reference)
            return
        super().save(*args, **kwargs)
