"""Who may see which person, kept as rows so the policy reads an index instead of re-deriving it.

A person is visible to a scoped user through the records its agency holds about them (the
person rule in cases/access/rules.py). Deriving that for every row of a people page
(seven EXISTS per person for an officer) cost a subplan per person read (figures in
docs/PERFORMANCE.md). These rows hold the same answer,
one per (agency, person, way), kept in step by cases/access/people_access.py on every write of the
records it is derived from, and rebuilt by `manage.py rebuild_people_access`.
"""

from __future__ import annotations

from django.db import models

from .base import ScopedQuerySet


class PersonAccess(models.Model):
    """One way an agency's staff may see a person. Derived data: never edited by hand."""

    # The unique index serves the policy's probe (this person, this agency, these ways: an
    # index-only scan per person read) and a refresh (every row of a person).
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+", db_index=False)
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+", db_index=False)
    # Which scope of the agency's staff the row opens the person to (cases/access/people_access.py, AccessWay).
    way = models.CharField(max_length=10)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "person access row"
        indexes = [
            # An advocate's or caseworker's people read first, as a list (cases/access/rules.py).
            models.Index(fields=["agency", "way", "person"], name="person_access_of_agency"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "agency", "way"],
                name="person_access_once",
                violation_error_message="This agency already has this way to this person.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} → {self.person_id} ({self.way})"
