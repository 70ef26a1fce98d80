"""One person, one record: merges of two records of one person, and pairs found not to be one.

A merge keeps exactly what it did — the survivor's values before, every row moved from
the merged-away record, the rows that became repeats and were folded — so the
coordinator can undo it exactly (cases/merging.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from agencies.limits import SHORT_TEXT, limited_text

from .base import ScopedQuerySet


class PersonMerge(models.Model):
    survivor = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="merges_kept", help_text="The record that remains."
    )
    merged = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        related_name="merges_away",
        help_text="The record merged into the survivor; it stays, pointing to it.",
    )
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now, editable=False)
    reason = limited_text(SHORT_TEXT, blank=True, help_text="Why these are one person (optional).")
    # {"field": value before} of the survivor's fields taken from the other record.
    survivor_before = models.JSONField(default=dict, blank=True)
    # {"cases.contact.person": [ids]}: every row moved from the merged record to the survivor.
    moved = models.JSONField(default=dict, blank=True)
    # Rows of the merged record that would have repeated one of the survivor's (the same
    # role in the same investigation), as they were: folded into the survivor's, put back on undo.
    folded = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True, editable=False)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(survivor=F("merged")),
                name="merge_of_two_records",
                violation_error_message="A record cannot be merged into itself: choose two different records.",
            ),
        ]

    def __str__(self) -> str:
        return f"Merge of {self.merged.reference} into {self.survivor.reference}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None

    def moved_count(self) -> int:
        return sum(len(ids) for ids in self.moved.values()) + len(self.folded)


class NotSamePerson(models.Model):
    """Two records a supervisor looked at and found to be two people: not proposed again."""

    first = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = "pair found not to be the same person"
        verbose_name_plural = "pairs found not to be the same person"
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"],
                name="one_decision_per_pair",
                violation_error_message="These two records were already found not to be the same person.",
            ),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")),
                name="pair_in_order",
                violation_error_message="A pair is stored with the older record first.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first.reference} and {self.second.reference} are two people"
