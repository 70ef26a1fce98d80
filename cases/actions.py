"""Domain actions, called alike by the browser views, the API and the admin.

Each checks the policy (403 when the role lacks the action), applies the change
through the model, and keeps it only if the record is still visible to its writer.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from agencies.acting import acts
from agencies.roles import membership_of

from . import access
from .models import CustodyEvent, CustodyHandoff, Referral, ReferralEvent, ReliefEvent, ReliefRequest, ServiceOffer


def _agency(user):
    membership = membership_of(user)
    return membership.agency if membership else None


@acts  # the change history records this user as the actor
@transaction.atomic
def create_record(user, obj: models.Model, action: str, parent: models.Model | None = None, *, m2m: dict | None = None):
    """Validate and save a new record in the user's name, then check it is in scope."""
    access.require(user, action, parent)
    if hasattr(obj, "created_by_id") and obj.created_by_id is None:
        obj.created_by = user
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    access.ensure_visible(user, obj)
    return obj


@acts
@transaction.atomic
def update_record(user, obj: models.Model, action: str, *, m2m: dict | None = None, target=None):
    """Validate and save a change; `target` is what the action is checked on (a count's prosecution), else obj."""
    access.require(user, action, obj if target is None else target)
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    access.ensure_visible(user, obj)
    return obj


# A record corrected within a day of being made is still being written up; later, a
# change needs a reason, kept in the record's history.
CORRECTION_WINDOW = timedelta(hours=24)
# simple_history keeps the reason in a 100-character column.
REASON_MAX = 100
REASON_NEEDED = "Say why it changes — the record was made more than 24 hours ago."


def needs_reason(obj: models.Model, now=None) -> bool:
    """Does changing this record now need a reason?"""
    created = getattr(obj, "created_at", None)
    return created is not None and (now or timezone.now()) - created > CORRECTION_WINDOW


@acts
@transaction.atomic
def correct_record(user, obj: models.Model, action: str, reason: str = "", *, m2m: dict | None = None, children=()):
    """Save a correction of an existing record, with its reason in the history.

    `children` are rows saved with it (a detention's charges): each is validated and saved,
    or deleted when marked so, under the same reason. Raises ValidationError on "reason"
    when the record is older than CORRECTION_WINDOW and no reason is given.
    """
    reason = (reason or "").strip()
    access.require(user, action, obj)
    if needs_reason(obj) and not reason:
        raise ValidationError({"reason": REASON_NEEDED})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason to {REASON_MAX} characters or fewer."})
    change_reason = reason or None
    obj._change_reason = change_reason
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    for child, delete in children:
        child._change_reason = change_reason
        if delete:
            if child.pk is not None:
                child.delete()
            continue
        child.full_clean()
        child.save()
    access.ensure_visible(user, obj)
    return obj


@acts
@transaction.atomic
def void_record(user, obj: models.Model, reason: str) -> models.Model:
    """Void a record with a reason; staff never delete case records."""
    access.require(user, "void", obj)
    obj._change_reason = f"Voided: {reason}"[:100]
    obj.mark_voided(user, reason)
    access.ensure_visible(user, obj)
    return obj


@acts
@transaction.atomic
def transition_referral(
    user,
    referral: Referral,
    action: str,
    *,
    note: str = "",
    reason: str = "",
    closure: str = "",
    override_reason: str = "",
    at=None,
) -> ReferralEvent:
    """send / acknowledge / accept / decline / start_service / close / revoke."""
    access.require(user, f"referral.{action}", referral)
    if action == "send" and override_reason.strip():
        access.require(user, "referral.override_consent", referral)
    referral._change_reason = " ".join(filter(None, [f"Referral {action}:", reason, closure, override_reason, note]))[
        :100
    ]
    event = referral.apply(
        action, user, _agency(user), note=note, reason=reason, closure=closure, override_reason=override_reason, at=at
    )
    access.ensure_visible(user, referral)
    return event


@acts
@transaction.atomic
def transition_relief(
    user, request: ReliefRequest, action: str, *, note: str = "", reason: str = "", expires_on=None, on=None
) -> ReliefEvent:
    """review / grant / decline / expire / renew / withdraw a relief request.

    Renewing makes a new request (`request.renewal`), kept only if its asker still sees it.
    """
    access.require(user, f"relief.{action}", request)
    request._change_reason = " ".join(filter(None, [f"Relief {action}:", reason, note]))[:100]
    event = request.apply(action, user, _agency(user), note=note, reason=reason, expires_on=expires_on, on=on)
    access.ensure_visible(user, request)
    if action == "renew":
        access.ensure_visible(user, request.renewal)
    return event


@acts
@transaction.atomic
def hand_over_child(user, handoff: CustodyHandoff, at=None, worker=None) -> CustodyEvent:
    access.require(user, "custody.hand_over", handoff)
    handoff._change_reason = "Child handed over"
    event = handoff.hand_over(user, _agency(user), at=at, worker=worker)
    access.ensure_visible(user, handoff)
    return event


@acts
@transaction.atomic
def acknowledge_custody(user, handoff: CustodyHandoff, note: str = "", at=None) -> CustodyEvent:
    access.require(user, "custody.acknowledge", handoff)
    handoff._change_reason = "Receipt acknowledged"
    event = handoff.acknowledge(user, _agency(user), note=note, at=at)
    access.ensure_visible(user, handoff)
    return event


@acts
@transaction.atomic
def add_custody_event(user, handoff: CustodyHandoff, kind: str, at=None, note: str = "") -> CustodyEvent:
    access.require(user, "custody.add_event", handoff)
    event = CustodyEvent(
        handoff=handoff, kind=kind, at=at or timezone.now(), user=user, agency=_agency(user), note=note
    )
    event.full_clean()
    event.save()
    return event


@acts
@transaction.atomic
def move_operation(user, operation, status: str):
    """Move an operation along planned → active → concluded → closed."""

    access.require(user, "operation.change", operation)
    if not operation.can_move_to(status):
        raise ValidationError(
            f"An operation that is {operation.get_status_display().lower()} cannot become {status.replace('_', ' ')}."
        )
    operation._change_reason = f"Status changed from {operation.status} to {status}"
    operation.status = status
    if status == "concluded" and operation.ends_at is None:
        operation.ends_at = max(timezone.now(), operation.starts_at)
    operation.save()
    access.ensure_visible(user, operation)
    return operation


@acts
@transaction.atomic
def record_contact(
    user, agency, contact, *, person=None, new_person=None, indicators=(), vulnerabilities=(), offers=()
):
    """A contact with an existing `person` or a `new_person`, and the services offered in it.

    The contact forms and the contact import save through here: the same checks of the policy
    (`person.add`, `contact.add`, `serviceoffer.add`) and the same history for each record.
    `offers` are (service type, response) pairs, offered at the contact's time by `agency`.
    """
    if person is None:
        new_person.created_by_agency = agency
        person = create_record(user, new_person, "person.add", m2m={"vulnerabilities": list(vulnerabilities)})
    contact.person = person
    contact.agency = agency
    contact = create_record(user, contact, "contact.add", contact.operation, m2m={"indicators": list(indicators)})
    for service, response in offers:
        offer = ServiceOffer(
            contact=contact,
            person=person,
            service_type=service,
            offered_by=agency,
            offered_at=contact.occurred_at,
            response=response,
        )
        create_record(user, offer, "serviceoffer.add", contact)
    return contact
