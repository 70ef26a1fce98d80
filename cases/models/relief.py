"""Immigration relief that law enforcement must request or sign for a foreign-national victim.

Continued Presence is requested by a federal law-enforcement agency and granted for a
year (renewable); a T-visa declaration (Form I-914 Supplement B) is signed by any
law-enforcement agency; a U-visa certification (Form I-918 Supplement B) likewise. An
advocate or a legal-services agency asks the law-enforcement agency for it, with the
person's consent, and the request moves

    requested → under review → signed (granted) | declined → expired | renewed;
    requested or under review → withdrawn (by the asking agency).

Every step is a ReliefEvent with who, which agency and when. A request not answered in
RELIEF_ANSWER_DAYS is overdue; one that expires within RELIEF_EXPIRY_NOTICE_DAYS is
expiring.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from agencies.limits import SHORT_TEXT, check_length, limited_text, validate_event_time, validate_scheduled_time
from agencies.models import AgencyKind, AgencyLevel

from .base import AppendOnlyModel, ScopedQuerySet, VoidableModel
from .referrals import ConsentType, TransitionError


class ReliefKind(models.TextChoices):
    CONTINUED_PRESENCE = "continued_presence", "Continued Presence"
    T_VISA = "t_visa", "T-visa declaration (I-914 Supplement B)"
    U_VISA = "u_visa", "U-visa certification (I-918 Supplement B)"


class ReliefStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    UNDER_REVIEW = "under_review", "Under review"
    GRANTED = "granted", "Signed or granted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    RENEWED = "renewed", "Renewed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# action name → (states it may start from, state it leads to, verb for messages)
RELIEF_TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "review": ((ReliefStatus.REQUESTED,), ReliefStatus.UNDER_REVIEW, "put under review"),
    "grant": ((ReliefStatus.UNDER_REVIEW,), ReliefStatus.GRANTED, "signed or granted"),
    "decline": ((ReliefStatus.UNDER_REVIEW,), ReliefStatus.DECLINED, "declined"),
    "expire": ((ReliefStatus.GRANTED,), ReliefStatus.EXPIRED, "marked expired"),
    "renew": ((ReliefStatus.GRANTED,), ReliefStatus.RENEWED, "renewed"),
    "withdraw": ((ReliefStatus.REQUESTED, ReliefStatus.UNDER_REVIEW), ReliefStatus.WITHDRAWN, "withdrawn"),
}

# Which side takes each step: the law-enforcement agency asked, or the agency that asked.
ANSWERING_ACTIONS = {"review", "grant", "decline", "expire"}
ASKING_ACTIONS = {"renew", "withdraw"}

# The person's consent to a request: written or verbal (never declined, never waived).
RELIEF_CONSENT = ConsentType.choices[:2]

# Continued Presence is granted for a year at a time.
CONTINUED_PRESENCE_DAYS = 365
OPEN_RELIEF_STATUSES = (ReliefStatus.REQUESTED, ReliefStatus.UNDER_REVIEW)


class ReliefRequest(VoidableModel):
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="relief_requests")
    kind = models.CharField(max_length=20, choices=ReliefKind.choices)
    requested_by_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="relief_requests_made",
        help_text="The advocate or legal-services agency asking.",
    )
    requested_of_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="relief_requests_received",
        help_text="The law-enforcement agency asked to request, sign or certify.",
    )
    investigation = models.ForeignKey(
        "cases.Investigation", on_delete=models.PROTECT, null=True, blank=True, related_name="relief_requests"
    )
    consent = models.CharField(max_length=20, choices=RELIEF_CONSENT)
    consent_date = models.DateField(validators=[validate_event_time])
    status = models.CharField(max_length=15, choices=ReliefStatus.choices, default=ReliefStatus.REQUESTED)
    requested_on = models.DateField(default=timezone.localdate, validators=[validate_event_time])
    answer_due_on = models.DateField(editable=False, null=True)
    reviewed_on = models.DateField(null=True, blank=True, editable=False)
    decided_on = models.DateField(null=True, blank=True, editable=False)
    expires_on = models.DateField(
        null=True, blank=True, validators=[validate_scheduled_time], help_text="When the relief granted runs out."
    )
    decline_reason = limited_text(SHORT_TEXT, blank=True, editable=False)
    renewal_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewal", editable=False
    )
    notes = limited_text(SHORT_TEXT, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [
            models.Index(fields=["requested_of_agency", "status"]),
            models.Index(fields=["requested_by_agency", "status"]),
            models.Index(fields=["status", "expires_on"]),
            models.Index(fields=["requested_on", "id"], name="relief_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requested_by_agency=models.F("requested_of_agency")),
                name="relief_asked_of_another_agency",
                violation_error_message="Relief is asked of another agency.",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_relief_has_reason",
                violation_error_message="Give a reason for declining the request.",
            ),
            models.CheckConstraint(
                condition=Q(consent_date__lte=models.F("requested_on")),
                name="relief_consent_before_request",
                violation_error_message="The person consents before the request is made.",
            ),
        ]

    def __str__(self) -> str:
        return f"Relief request {self.reference}"

    @property
    def reference(self) -> str:
        return f"IR-{self.pk:06d}" if self.pk else "new relief request"

    def owner_agency_id(self) -> int | None:
        return self.requested_by_agency_id

    def save(self, *args, **kwargs) -> None:
        if self.requested_on:
            self.answer_due_on = self.requested_on + timedelta(days=settings.RELIEF_ANSWER_DAYS)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if self.requested_by_agency_id and self.requested_by_agency_id == self.requested_of_agency_id:
            errors["requested_of_agency"] = "Relief is asked of another agency."
        if self.consent_date and self.requested_on and self.consent_date > self.requested_on:
            errors["consent_date"] = "The person consents before the request is made."
        asked = self.requested_of_agency if self.requested_of_agency_id else None
        if asked is not None and asked.kind != AgencyKind.LAW_ENFORCEMENT:
            errors["requested_of_agency"] = "Relief is requested or certified by a law-enforcement agency."
        elif asked is not None and self.kind == ReliefKind.CONTINUED_PRESENCE and asked.level != AgencyLevel.FEDERAL:
            errors["requested_of_agency"] = "Continued Presence is requested by a federal law-enforcement agency."
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_RELIEF_STATUSES and self.answer_due_on is not None and self.answer_due_on < _today()

    @property
    def is_expiring(self) -> bool:
        """Granted, and running out within the notice period (or already past its date)."""
        if self.status != ReliefStatus.GRANTED or self.expires_on is None:
            return False
        return self.expires_on <= _today() + timedelta(days=settings.RELIEF_EXPIRY_NOTICE_DAYS)

    # --- workflow -----------------------------------------------------------

    def allowed_actions(self) -> list[str]:
        if self.is_voided:
            return []
        return [name for name, (sources, _, _) in RELIEF_TRANSITIONS.items() if self.status in sources]

    @transaction.atomic
    def apply(
        self, action: str, user, agency, *, note: str = "", reason: str = "", expires_on: date | None = None, on=None
    ) -> ReliefEvent:
        """Take one workflow step. Permission is checked by cases.access (`relief.<action>`).

        `on` is the day the step happened, for steps recorded after the fact; today by default.
        Renewing returns the event; the new request is `self.renewal`.
        """
        if self.is_voided:
            raise TransitionError("This relief request is void and can no longer change.")
        if action not in RELIEF_TRANSITIONS:
            raise TransitionError(f"Unknown relief action: {action}.")
        sources, target, verb = RELIEF_TRANSITIONS[action]
        if self.status not in sources:
            raise TransitionError(f"A relief request that is {self.get_status_display().lower()} cannot be {verb}.")
        for name, text in (("note", note), ("reason", reason)):
            check_length(name, text, SHORT_TEXT)
        day = on or _today()
        validate_event_time(day)
        if day < self.requested_on:
            raise TransitionError({"on": "A step cannot come before the request was made."})
        if action == "review":
            self.reviewed_on = day
        elif action == "grant":
            self.decided_on = day
            if expires_on is None and self.kind == ReliefKind.CONTINUED_PRESENCE:
                expires_on = day + timedelta(days=CONTINUED_PRESENCE_DAYS)
            if expires_on is not None and expires_on <= day:
                raise TransitionError({"expires_on": "The relief must run out after the day it is granted."})
            if expires_on is not None:
                validate_scheduled_time(expires_on)
            self.expires_on = expires_on
        elif action == "decline":
            if not reason.strip():
                raise TransitionError({"reason": "Give a reason for declining the request."})
            self.decided_on = day
            self.decline_reason = reason.strip()
        previous = self.status
        self.status = target
        self.save()
        if action == "renew":
            ReliefRequest.objects.create(
                person=self.person,
                kind=self.kind,
                requested_by_agency=self.requested_by_agency,
                requested_of_agency=self.requested_of_agency,
                investigation=self.investigation,
                consent=self.consent,
                consent_date=self.consent_date,
                requested_on=day,
                renewal_of=self,
                created_by=user,
            )
        return ReliefEvent.objects.create(
            request=self,
            action=action,
            from_status=previous,
            to_status=target,
            on=day,
            user=user,
            agency=agency,
            note=note or reason.strip(),
        )


def _today() -> date:
    return timezone.localdate()


class ReliefEvent(AppendOnlyModel):
    request = models.ForeignKey(ReliefRequest, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=15, choices=ReliefStatus.choices)
    to_status = models.CharField(max_length=15, choices=ReliefStatus.choices)
    on = models.DateField(validators=[validate_event_time])
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, null=True, related_name="+")
    note = limited_text(SHORT_TEXT, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} on {self.on:%Y-%m-%d}"
