"""Referrals of a person to a partner agency, and the workflow they move through.

draft → sent → acknowledged → accepted | declined; accepted → in service → closed;
accepted → closed (the client withdrew before service began); sent → revoked.
Every move is a ReferralEvent with who, which agency and when.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from agencies.limits import NARRATIVE, SHORT_TEXT, check_length, limited_text, validate_event_time

from .base import AppendOnlyModel, OperationOfContact, ScopedQuerySet, VoidableModel


class TransitionError(ValidationError):
    """A workflow step that is not allowed from the record's current state."""


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    IN_SERVICE = "in_service", "In service"
    CLOSED = "closed", "Closed"
    REVOKED = "revoked", "Revoked"


class ConsentType(models.TextChoices):
    WRITTEN = "written", "Written consent"
    VERBAL = "verbal", "Verbal consent"
    DECLINED = "declined", "Consent declined"
    NOT_REQUIRED_MINOR = "not_required_minor", "Not required: minor in protective custody"


class ReferralClosure(models.TextChoices):
    COMPLETED = "completed", "Service completed"
    LOST_CONTACT = "lost_contact", "Lost contact"
    CLIENT_WITHDREW = "client_withdrew", "Client withdrew"


# action name → (states it may start from, state it leads to, verb for messages)
REFERRAL_TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "send": ((ReferralStatus.DRAFT,), ReferralStatus.SENT, "sent"),
    "acknowledge": ((ReferralStatus.SENT,), ReferralStatus.ACKNOWLEDGED, "acknowledged"),
    "accept": ((ReferralStatus.ACKNOWLEDGED,), ReferralStatus.ACCEPTED, "accepted"),
    "decline": ((ReferralStatus.ACKNOWLEDGED,), ReferralStatus.DECLINED, "declined"),
    "start_service": ((ReferralStatus.ACCEPTED,), ReferralStatus.IN_SERVICE, "put in service"),
    "close": ((ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE), ReferralStatus.CLOSED, "closed"),
    "revoke": ((ReferralStatus.SENT,), ReferralStatus.REVOKED, "revoked"),
}

# Which side of the referral takes each step.
SENDER_ACTIONS = {"send", "revoke"}
RECEIVER_ACTIONS = {"acknowledge", "accept", "decline", "start_service", "close"}


class Referral(OperationOfContact, VoidableModel):
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="referrals")
    contact = models.ForeignKey(
        "cases.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text="The contact the referral came out of.",
    )
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="referrals_sent")
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="referrals_received")
    service_types = models.ManyToManyField("cases.ServiceType", related_name="referrals")
    reason = limited_text(NARRATIVE, help_text="What the person needs and why this partner.")
    status = models.CharField(max_length=15, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)

    consent = models.CharField(max_length=20, choices=ConsentType.choices, blank=True)
    consent_date = models.DateField(null=True, blank=True, validators=[validate_event_time])
    consent_override_reason = limited_text(SHORT_TEXT, blank=True)
    consent_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledge_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True, editable=False)
    decline_reason = limited_text(SHORT_TEXT, blank=True, editable=False)
    closure = models.CharField(max_length=20, choices=ReferralClosure.choices, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "status"]),
            models.Index(fields=["from_agency", "status"]),
            models.Index(fields=["status", "acknowledge_due_at"]),
            # The default order of every referral list: newest first, read straight off the index.
            models.Index(fields=["created_at", "id"], name="referral_newest_first"),
            # One operation's referrals, newest first (the operation page's section).
            models.Index("operation", F("created_at").desc(), F("id").desc(), name="referral_of_operation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_agency=models.F("to_agency")),
                name="referral_to_another_agency",
                violation_error_message="A referral goes to another agency.",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_referral_has_reason",
                violation_error_message="Give a reason for declining the referral.",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closure=""),
                name="closed_referral_has_outcome",
                violation_error_message="Choose how the referral ended.",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral R-{self.pk or 0:06d}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}" if self.pk else "new referral"

    def owner_agency_id(self) -> int | None:
        return self.from_agency_id

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ReferralStatus.SENT
            and self.acknowledge_due_at is not None
            and self.acknowledge_due_at < timezone.now()
        )

    def clean(self) -> None:
        if self.from_agency_id and self.from_agency_id == self.to_agency_id:
            raise ValidationError({"to_agency": "A referral goes to another agency."})
        if self.contact_id and self.person_id and self.contact.person_id != self.person_id:
            raise ValidationError({"contact": "This contact is with another person."})
        if self.consent in (ConsentType.WRITTEN, ConsentType.VERBAL) and not self.consent_date:
            raise ValidationError({"consent_date": "Give the date the person consented."})

    # --- workflow -----------------------------------------------------------

    def allowed_actions(self) -> list[str]:
        if self.is_voided:
            return []
        return [name for name, (sources, _, _) in REFERRAL_TRANSITIONS.items() if self.status in sources]

    def consent_problem(self) -> str | None:
        """Why the referral may not be sent as it stands, or None."""
        if self.consent in (ConsentType.WRITTEN, ConsentType.VERBAL):
            return None if self.consent_date else "Give the date the person consented."
        if self.consent == ConsentType.NOT_REQUIRED_MINOR:
            in_custody = self.person.custody_handoffs.filter(voided_at__isnull=True).exists()
            if self.person.is_minor and in_custody:
                return None
            return "Consent can only be skipped for a minor in protective custody."
        if self.consent_override_reason.strip():
            return None
        return "The person has not consented. Record their consent, or override it with a reason if you are allowed to."

    def _move(self, action: str, user, agency, note: str = "", at=None) -> ReferralEvent:
        if self.is_voided:
            raise TransitionError("This referral is void and can no longer change.")
        sources, target, verb = REFERRAL_TRANSITIONS[action]
        if self.status not in sources:
            raise TransitionError(f"A referral that is {self.get_status_display().lower()} cannot be {verb}.")
        previous = self.status
        self.status = target
        self.save()
        return ReferralEvent.objects.create(
            referral=self,
            action=action,
            from_status=previous,
            to_status=target,
            user=user,
            agency=agency,
            note=note,
            at=at or timezone.now(),
        )

    @transaction.atomic
    def apply(
        self,
        action: str,
        user,
        agency,
        *,
        note: str = "",
        reason: str = "",
        closure: str = "",
        override_reason: str = "",
        at=None,
    ) -> ReferralEvent:
        """Take one workflow step. Permission is checked by cases.actions.

        `at` is when the step happened, for steps recorded after the fact; it defaults to now.
        """
        now = at or timezone.now()
        if action not in REFERRAL_TRANSITIONS:
            raise TransitionError(f"Unknown referral action: {action}.")
        for name, text in (("note", note), ("reason", reason), ("override_reason", override_reason)):
            check_length(name, text, SHORT_TEXT)
        if at is not None:
            validate_event_time(at)
        if action == "send":
            if override_reason.strip():
                self.consent_override_reason = override_reason.strip()
                self.consent_override_by = user
            problem = self.consent_problem()
            if problem:
                raise TransitionError({"consent": problem})
            if not self.service_types.exists():
                raise TransitionError({"service_types": "Choose at least one service the person is referred for."})
            self.sent_at = now
            self.acknowledge_due_at = now + timedelta(hours=settings.REFERRAL_ACKNOWLEDGE_HOURS)
        elif action == "acknowledge":
            self.acknowledged_at = now
        elif action == "decline":
            if not reason.strip():
                raise TransitionError({"reason": "Give a reason for declining the referral."})
            self.decline_reason = reason.strip()
            note = note or reason.strip()
        elif action == "close":
            if closure not in ReferralClosure.values:
                raise TransitionError({"closure": "Choose how the referral ended."})
            self.closure = closure
            self.closed_at = now
        elif action == "revoke" and not (reason.strip() or note.strip()):
            raise TransitionError({"reason": "Give a reason for revoking the referral."})
        return self._move(action, user, agency, note or reason.strip() or override_reason.strip(), at=now)


class ReferralEvent(AppendOnlyModel):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=15, choices=ReferralStatus.choices)
    to_status = models.CharField(max_length=15, choices=ReferralStatus.choices)
    at = models.DateTimeField(default=timezone.now, validators=[validate_event_time])
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, related_name="+")
    note = limited_text(SHORT_TEXT, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} at {self.at:%Y-%m-%d %H:%M}"
