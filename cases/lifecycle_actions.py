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


def _add_row(user, investigation: Investigation, row):
    """An agency or a person joins the investigation, by those who may change it."""
    access.require(user, "investigation.change", investigation)
    row.investigation = investigation
    row.full_clean()
    row.save()
    access.ensure_visible(user, investigation)
    return row


def _remove_row(user, row) -> None:
    investigation = row.investigation
    access.require(user, "investigation.change", investigation)
    row.delete()
    access.ensure_visible(user, investigation)


@acts  # the change history records this user as the actor
@transaction.atomic
def add_investigation_agency(user, investigation: Investigation, row: InvestigationAgency) -> InvestigationAgency:
    """An agency joins the investigation; one with the prosecution role is a referral for prosecution."""
    if row.role == InvestigationAgencyRole.LEAD:
        raise ValidationError({"role": "Change the lead agency on the investigation itself."})
    _add_row(user, investigation, row)
    if row.role == InvestigationAgencyRole.PROSECUTION and investigation.status == InvestigationStatus.OPEN:
        investigation._change_reason = "Referred for prosecution"
        investigation.status = InvestigationStatus.REFERRED
        investigation.save()
    return row


@acts
@transaction.atomic
def remove_investigation_agency(user, row: InvestigationAgency) -> None:
    if row.role == InvestigationAgencyRole.LEAD or row.agency_id == row.investigation.lead_agency_id:
        raise ValidationError("The lead agency cannot be removed; choose another lead first.")
    _remove_row(user, row)


@acts
@transaction.atomic
def add_investigation_person(user, investigation: Investigation, row: InvestigationPerson) -> InvestigationPerson:
    return _add_row(user, investigation, row)


@acts
@transaction.atomic
def remove_investigation_person(user, row: InvestigationPerson) -> None:
    _remove_row(user, row)


def _set_status(user, investigation: Investigation, action: str, change_reason: str, **fields) -> Investigation:
    access.require(user, action, investigation)
    investigation._change_reason = change_reason[:100]
    for name, value in fields.items():
        setattr(investigation, name, value)
    investigation.full_clean()
    investigation.save()
    access.ensure_visible(user, investigation)
    return investigation


@acts
@transaction.atomic
def close_investigation(user, investigation: Investigation, reason: str, on=None, note: str = "") -> Investigation:
    return _set_status(
        user,
        investigation,
        "investigation.change",
        f"Closed: {reason}",
        status=InvestigationStatus.CLOSED,
        closing_reason=reason,
        closed_on=on or timezone.localdate(),
        closing_note=note,
    )


@acts
@transaction.atomic
def reopen_investigation(user, investigation: Investigation) -> Investigation:
    """A closed investigation is open again; its closing date and reason are kept in its history."""
    return _set_status(
        user,
        investigation,
        "investigation.reopen",
        "Reopened",
        status=InvestigationStatus.OPEN,
        closed_on=None,
        closing_reason="",
        closing_note="",
    )


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
