"""Editable lists: service types, trafficking indicators and vulnerability factors."""

from django.db import models

from agencies.limits import SHORT_TEXT, limited_text

from .base import ScopedQuerySet


class CatalogueEntry(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = limited_text(SHORT_TEXT, blank=True)
    order = models.PositiveSmallIntegerField(default=100, help_text="Position in lists; smaller first.")
    active = models.BooleanField(default=True, help_text="Inactive entries stay on old records but are not offered.")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceType(CatalogueEntry):
    """A service that can be offered to a person: food, shelter, medical care…"""

    class Meta(CatalogueEntry.Meta):
        pass


class IndicatorCategory(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    BEHAVIOURAL = "behavioural", "Behavioural"
    CONTROL = "control", "Control by others"
    CIRCUMSTANCE = "circumstance", "Living or working conditions"


class Indicator(CatalogueEntry):
    """A sign of trafficking observed during a contact."""

    category = models.CharField(max_length=20, choices=IndicatorCategory.choices)

    class Meta(CatalogueEntry.Meta):
        pass


class VulnerabilityFactor(CatalogueEntry):
    """A circumstance that makes a person more vulnerable to trafficking."""

    class Meta(CatalogueEntry.Meta):
        pass
