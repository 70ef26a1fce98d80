"""Protective custody of children and the hand-off to child welfare.

The chain of custody is a list of append-only events. The database itself refuses a
hand-off before custody began and a "child" who was 18 or older at the time.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from agencies.limits import NARRATIVE, SHORT_TEXT, before_minute_of, check_length, limited_text, validate_event_time

from .base import AppendOnlyModel, ScopedQuerySet, VoidableModel
from .people import ADULT_AGE


class WaitingRank(models.IntegerChoices):
    """Where a hand-off stands in the custody list: the ones awaiting receipt first."""

    AWAITING_RECEIPT = 0, "Handed over, awaiting receipt"
    IN_CUSTODY = 1, "In protective custody"
    RECEIVED = 2, "Received by child welfare"
    VOID = 3, "Void"


def waiting_rank_of(handoff) -> int:
    if handoff.voided_at is not None:
        return WaitingRank.VOID
    if handoff.handed_over_at is None:
        return WaitingRank.IN_CUSTODY
    if handoff.acknowledged_at is None:
        return WaitingRank.AWAITING_RECEIPT
    return WaitingRank.RECEIVED


class CustodyHandoff(VoidableModel):
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="custody_handoffs", verbose_name="child"
    )
    contact = models.ForeignKey(
        "cases.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="custody_handoffs"
    )
    operation = models.ForeignKey(
        "cases.Operation", on_delete=models.PROTECT, null=True, blank=True, related_name="custody_handoffs"
    )
    taken_at = models.DateTimeField(verbose_name="taken into custody at", validators=[validate_event_time])
    place = models.CharField(max_length=200, blank=True, verbose_name="where custody began")
    custody_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="custody_taken", verbose_name="agency taking custody"
    )
    custody_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="officer",
    )
    reason = limited_text(NARRATIVE, help_text="Why the child was taken into protective custody.")
    receiving_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="custody_received",
        help_text="The child-welfare agency receiving the child.",
    )
    receiving_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="receiving caseworker",
    )
    handed_over_at = models.DateTimeField(null=True, blank=True, validators=[validate_event_time])
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    child_age_at_custody = models.PositiveSmallIntegerField(
        editable=False, help_text="The child's age in years when custody began, from the person's record."
    )
    # The custody list's order, stored and indexed so a page is read off the index instead of
    # sorting every hand-off on a CASE expression (docs/PERFORMANCE.md). Set on every save.
    waiting_rank = models.PositiveSmallIntegerField(
        choices=WaitingRank.choices,
        default=WaitingRank.IN_CUSTODY,
        editable=False,
        help_text="Where the hand-off stands: awaiting receipt, in custody, received or void.",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [
            models.Index(fields=["receiving_agency", "acknowledged_at"]),
            models.Index(fields=["taken_at", "id"], name="custodyhandoff_newest_first"),
            # The custody list: awaiting receipt first, then newest first.
            models.Index("waiting_rank", F("taken_at").desc(), F("id").desc(), name="custodyhandoff_waiting_first"),
            # An operation's hand-offs, newest first.
            models.Index("operation", F("taken_at").desc(), F("id").desc(), name="custodyhandoff_of_operation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(handed_over_at__isnull=True) | Q(handed_over_at__gte=F("taken_at")),
                name="handoff_not_before_custody",
                violation_error_message="The hand-off cannot be before the child was taken into custody.",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(handed_over_at__isnull=False),
                name="handoff_acknowledged_after_handover",
                violation_error_message="Receipt can only be acknowledged once the child has been handed over.",
            ),
            models.CheckConstraint(
                condition=Q(child_age_at_custody__lt=ADULT_AGE),
                name="handoff_child_under_18",
                violation_error_message="Protective custody hand-offs are for children under 18.",
            ),
        ]

    def __str__(self) -> str:
        return f"Custody H-{self.pk or 0:06d}"

    @property
    def reference(self) -> str:
        return f"H-{self.pk:06d}" if self.pk else "new hand-off"

    def owner_agency_id(self) -> int | None:
        return self.custody_agency_id

    @property
    def status_label(self) -> str:
        if self.acknowledged_at:
            return "Received by child welfare"
        if self.handed_over_at:
            return "Handed over, awaiting receipt"
        return "In protective custody"

    def clean(self) -> None:
        errors = {}
        if self.person_id and self.taken_at:
            age = self.person.age_on(timezone.localtime(self.taken_at).date())
            if age is None:
                errors["person"] = "Record the child's date of birth or estimated age before protective custody."
            elif age >= ADULT_AGE:
                errors["person"] = f"Protective custody hand-offs are for children; this person was {age} at the time."
        if self.handed_over_at and self.taken_at and self.handed_over_at < self.taken_at:
            errors["handed_over_at"] = "The hand-off cannot be before the child was taken into custody."
        if self.receiving_agency_id and self.receiving_agency.kind != "child_welfare":
            errors["receiving_agency"] = "Children are handed to a child-welfare agency."
        if self.contact_id and self.person_id and self.contact.person_id != self.person_id:
            errors["contact"] = "This contact is with another person."
        if self.contact_id and before_minute_of(self.taken_at, self.contact.occurred_at):
            errors["taken_at"] = "Custody cannot begin before the contact it came out of."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.operation_id is None and self.contact_id:
            self.operation_id = self.contact.operation_id
        age = self.person.age_on(timezone.localtime(self.taken_at).date())
        # An unknown age is stored as 18 so the database refuses it like an adult.
        self.child_age_at_custody = ADULT_AGE if age is None else age
        self.waiting_rank = waiting_rank_of(self)
        fields = kwargs.get("update_fields")
        if fields is not None and "waiting_rank" not in fields:
            kwargs["update_fields"] = [*fields, "waiting_rank"]
        creating = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if creating:
                CustodyEvent.objects.create(
                    handoff=self,
                    kind=CustodyEventKind.TAKEN,
                    at=self.taken_at,
                    user=self.created_by or self.custody_officer,
                    agency=self.custody_agency,
                    note=self.place,
                )
                if self.handed_over_at:
                    CustodyEvent.objects.create(
                        handoff=self,
                        kind=CustodyEventKind.HANDED_OVER,
                        at=self.handed_over_at,
                        user=self.created_by,
                        agency=self.custody_agency,
                    )

    @transaction.atomic
    def hand_over(self, user, agency, at=None, worker=None) -> CustodyEvent:
        if self.is_voided:
            raise ValidationError("This hand-off is void and can no longer change.")
        if self.handed_over_at:
            raise ValidationError("This child has already been handed over.")
        self.handed_over_at = at or timezone.now()
        if worker is not None:
            self.receiving_worker = worker
        self.full_clean(exclude=["person", "contact", "operation", "custody_officer", "receiving_worker"])
        self.save()
        return CustodyEvent.objects.create(
            handoff=self, kind=CustodyEventKind.HANDED_OVER, at=self.handed_over_at, user=user, agency=agency
        )

    @transaction.atomic
    def acknowledge(self, user, agency, note: str = "", at=None) -> CustodyEvent:
        if self.is_voided:
            raise ValidationError("This hand-off is void and can no longer change.")
        if self.acknowledged_at:
            raise ValidationError("Receipt of this child has already been acknowledged.")
        if not self.handed_over_at:
            raise ValidationError("The child has not been handed over yet.")
        check_length("note", note, SHORT_TEXT)
        if at is not None:
            validate_event_time(at)
        self.acknowledged_at = at or timezone.now()
        self.acknowledged_by = user
        if self.receiving_worker_id is None:
            self.receiving_worker = user
        self.save()
        return CustodyEvent.objects.create(
            handoff=self,
            kind=CustodyEventKind.ACKNOWLEDGED,
            at=self.acknowledged_at,
            user=user,
            agency=agency,
            note=note,
        )


class CustodyEventKind(models.TextChoices):
    TAKEN = "taken", "Taken into protective custody"
    TRANSPORTED = "transported", "Transported"
    MEDICAL = "medical", "Medical check"
    HANDED_OVER = "handed_over", "Handed over to child welfare"
    ACKNOWLEDGED = "acknowledged", "Receipt acknowledged by child welfare"
    PLACED = "placed", "Placed"
    NOTE = "note", "Note"


class CustodyEvent(AppendOnlyModel):
    """One link in the chain of custody. Never changed or removed once written."""

    handoff = models.ForeignKey(CustodyHandoff, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=15, choices=CustodyEventKind.choices)
    at = models.DateTimeField(default=timezone.now, validators=[validate_event_time])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, related_name="+")
    note = limited_text(SHORT_TEXT, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.handoff_id and self.at and self.at < self.handoff.taken_at:
            raise ValidationError({"at": "A custody event cannot be before custody began."})
