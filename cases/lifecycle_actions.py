"""Domain actions after the operation: who works an investigation, who is in it, reopening
it, and the steps of a relief request.

Like cases.actions (and called the same way by the browser, the API and the admin):
each checks the policy, validates through the model and keeps the change only if the
record is still visible to its writer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.acting import acts
from agencies.roles import membership_of

from . import access
from .models import (
    Investigation,
    InvestigationAgency,
    InvestigationAgencyRole,
    InvestigationPerson,
    InvestigationStatus,
    ReliefEvent,
    ReliefRequest,
)


@acts  # the change history records this user as the actor
@transaction.atomic
def add_investigation_agency(user, investigation: Investigation, row: InvestigationAgency) -> InvestigationAgency:
    """An agency joins the investigation; one with the prosecution role is a referral for prosecution."""
    access.require(user, "investigation.change", investigation)
    if row.role == InvestigationAgencyRole.LEAD:
        raise ValidationError({"role": "Change the lead agency on the investigation itself."})
    row.investigation = investigation
    row.full_clean()
    row.save()
    if row.role == InvestigationAgencyRole.PROSECUTION and investigation.status == InvestigationStatus.OPEN:
        investigation._change_reason = "Referred for prosecution"
        investigation.status = InvestigationStatus.REFERRED
        investigation.save()
    access.ensure_visible(user, investigation)
    return row


@acts
@transaction.atomic
def remove_investigation_agency(user, row: InvestigationAgency) -> None:
    investigation = row.investigation
    access.require(user, "investigation.change", investigation)
    if row.role == InvestigationAgencyRole.LEAD or row.agency_id == investigation.lead_agency_id:
        raise ValidationError("The lead agency cannot be removed; choose another lead first.")
    row.delete()
    access.ensure_visible(user, investigation)


@acts
@transaction.atomic
def add_investigation_person(user, investigation: Investigation, row: InvestigationPerson) -> InvestigationPerson:
    access.require(user, "investigation.change", investigation)
    row.investigation = investigation
    row.full_clean()
    row.save()
    access.ensure_visible(user, investigation)
    return row


@acts
@transaction.atomic
def remove_investigation_person(user, row: InvestigationPerson) -> None:
    investigation = row.investigation
    access.require(user, "investigation.change", investigation)
    row.delete()
    access.ensure_visible(user, investigation)


@acts
@transaction.atomic
def close_investigation(user, investigation: Investigation, reason: str, on=None, note: str = "") -> Investigation:
    access.require(user, "investigation.change", investigation)
    investigation._change_reason = f"Closed: {reason}"[:100]
    investigation.status = InvestigationStatus.CLOSED
    investigation.closing_reason = reason
    investigation.closed_on = on or timezone.localdate()
    investigation.closing_note = note
    investigation.full_clean()
    investigation.save()
    access.ensure_visible(user, investigation)
    return investigation


@acts
@transaction.atomic
def reopen_investigation(user, investigation: Investigation) -> Investigation:
    """A closed investigation is open again; its closing date and reason are kept in its history."""
    access.require(user, "investigation.reopen", investigation)
    investigation._change_reason = "Reopened"
    investigation.status = InvestigationStatus.OPEN
    investigation.closed_on = None
    investigation.closing_reason = ""
    investigation.closing_note = ""
    investigation.full_clean()
    investigation.save()
    access.ensure_visible(user, investigation)
    return investigation


@acts
@transaction.atomic
def transition_relief(
    user, request: ReliefRequest, action: str, *, note: str = "", reason: str = "", expires_on=None, on=None
) -> ReliefEvent:
    """review / grant / decline / expire / renew / withdraw (ReliefRequest.apply)."""
    access.require(user, f"relief.{action}", request)
    membership = membership_of(user)
    request._change_reason = " ".join(filter(None, [f"Relief {action}:", reason, note]))[:100]
    event = request.apply(
        action,
        user,
        membership.agency if membership else None,
        note=note,
        reason=reason,
        expires_on=expires_on,
        on=on,
    )
    access.ensure_visible(user, request)
    return event
