"""Domain actions of investigations and prosecutions, for the browser views, the API and the admin.

Each checks the policy (403 when the role lacks the action), makes the change through
the model (a ValidationError lands on the form), names the change in the record's
history in plain words, and keeps it only if the record is still visible to its writer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from agencies.acting import acts
from agencies.models import Agency, AgencyKind

from . import access
from .actions import create_record
from .models import (
    Detention,
    Investigation,
    InvestigationAgency,
    InvestigationAgencyRole,
    InvestigationPerson,
    InvestigationPersonRole,
    InvestigationStatus,
    Operation,
    Person,
    Prosecution,
)


def _save(investigation: Investigation, reason: str) -> None:
    investigation._change_reason = reason[:100]
    investigation.full_clean()
    investigation.save()


def _visible(user, obj: models.Model, message: str) -> None:
    if not access.is_visible(user, obj):
        raise ValidationError(message)


@acts
@transaction.atomic
def open_investigation(user, investigation: Investigation, operation: Operation | None = None) -> Investigation:
    """Open an investigation (its lead agency becomes its first agency), from an operation or not."""
    if operation is not None:
        _visible(user, operation, "Choose an operation you can see.")
    investigation = create_record(user, investigation, "investigation.add")
    if operation is not None:
        investigation.operations.add(operation)
    return investigation


@acts
@transaction.atomic
def add_agency(user, investigation: Investigation, agency: Agency) -> InvestigationAgency:
    access.require(user, "investigation.change", investigation)
    link = InvestigationAgency(investigation=investigation, agency=agency, role=InvestigationAgencyRole.PARTICIPANT)
    link._change_reason = f"{agency.short_name} joins the investigation"
    link.full_clean()
    link.save()
    access.ensure_visible(user, investigation)
    return link


@acts
@transaction.atomic
def remove_agency(user, link: InvestigationAgency) -> None:
    investigation = link.investigation
    access.require(user, "investigation.change", investigation)
    if link.role == InvestigationAgencyRole.LEAD:
        raise ValidationError("The lead agency cannot be removed; change the lead first.")
    if (
        link.role == InvestigationAgencyRole.PROSECUTION
        and investigation.prosecutions.filter(prosecuting_agency_id=link.agency_id).exists()
    ):
        raise ValidationError(f"{link.agency.name} has filed a prosecution in this investigation; it stays.")
    link._change_reason = f"{link.agency.short_name} no longer works on the investigation"
    link.delete()
    if (
        investigation.status == InvestigationStatus.REFERRED
        and not investigation.agencies.filter(role=InvestigationAgencyRole.PROSECUTION).exists()
    ):
        _save_status(investigation, InvestigationStatus.OPEN, "No longer referred for prosecution")
    access.ensure_visible(user, investigation)


@acts
@transaction.atomic
def join_investigation(user, investigation: Investigation, agency: Agency, role: str) -> InvestigationAgency:
    """An agency joins as a participant, or (role "prosecution") the investigation is referred to it."""
    if role == InvestigationAgencyRole.PROSECUTION:
        return refer_for_prosecution(user, investigation, agency)
    if role == InvestigationAgencyRole.LEAD:
        raise ValidationError({"role": "Change the lead agency on the investigation itself."})
    return add_agency(user, investigation, agency)


def _save_status(investigation: Investigation, status: str, reason: str) -> None:
    investigation.status = status
    _save(investigation, reason)


@acts
@transaction.atomic
def refer_for_prosecution(user, investigation: Investigation, agency: Agency) -> InvestigationAgency:
    """Refer the investigation to a prosecutor's office: it joins with the role "prosecution"."""
    access.require(user, "investigation.change", investigation)
    if agency.kind != AgencyKind.PROSECUTOR:
        raise ValidationError({"agency": "Choose a prosecutor's office."})
    link, _created = InvestigationAgency.objects.get_or_create(
        investigation=investigation, agency=agency, defaults={"role": InvestigationAgencyRole.PROSECUTION}
    )
    if link.role != InvestigationAgencyRole.PROSECUTION:
        if link.role == InvestigationAgencyRole.LEAD:
            raise ValidationError({"agency": "The lead agency cannot refer the investigation to itself."})
        link.role = InvestigationAgencyRole.PROSECUTION
        link.save()
    _save_status(investigation, InvestigationStatus.REFERRED, f"Referred for prosecution to {agency.short_name}")
    access.ensure_visible(user, investigation)
    return link


@acts
@transaction.atomic
def close_investigation(user, investigation: Investigation, reason: str, note: str = "", closed_on=None) -> None:
    access.require(user, "investigation.change", investigation)
    investigation.status = InvestigationStatus.CLOSED
    investigation.closing_reason = reason
    investigation.closing_note = note
    investigation.closed_on = closed_on or timezone.localdate()
    label = investigation.get_closing_reason_display()
    _save(investigation, f"Closed: {label}")
    access.ensure_visible(user, investigation)


@acts
@transaction.atomic
def reopen_investigation(user, investigation: Investigation) -> None:
    """Reopen: referred again if a prosecutor still has it, else open."""
    access.require(user, "investigation.reopen", investigation)
    referred = investigation.agencies.filter(role=InvestigationAgencyRole.PROSECUTION).exists()
    investigation.status = InvestigationStatus.REFERRED if referred else InvestigationStatus.OPEN
    investigation.closing_reason = ""
    investigation.closing_note = ""
    investigation.closed_on = None
    _save(investigation, "Reopened")
    access.ensure_visible(user, investigation)


@acts
@transaction.atomic
def add_person(user, investigation: Investigation, person: Person, role: str, note: str = "") -> InvestigationPerson:
    access.require(user, "investigation.change", investigation)
    _visible(user, person, "Choose a person you can see.")
    link = InvestigationPerson(investigation=investigation, person=person, role=role, note=note)
    link.full_clean()
    link.save()
    return link


@acts
@transaction.atomic
def remove_person(user, link: InvestigationPerson) -> None:
    access.require(user, "investigation.change", link.investigation)
    if (
        link.role == InvestigationPersonRole.SUSPECT
        and link.investigation.prosecutions.filter(defendant_id=link.person_id).exists()
    ):
        raise ValidationError("This suspect is a defendant in a prosecution of the investigation; they stay.")
    link.delete()


@acts
@transaction.atomic
def link_operations(user, investigation: Investigation, operations) -> None:
    access.require(user, "investigation.change", investigation)
    for operation in operations:
        _visible(user, operation, "Choose operations you can see.")
    investigation.operations.add(*operations)


@acts
@transaction.atomic
def link_detention(user, investigation: Investigation, detention: Detention) -> None:
    access.require(user, "investigation.change", investigation)
    _visible(user, detention, "Choose a detention you can see.")
    detention.investigation = investigation
    detention._change_reason = f"Linked to investigation {investigation.reference}"
    detention.save(update_fields=["investigation"])


@acts
@transaction.atomic
def unlink_operation(user, investigation: Investigation, operation: Operation) -> None:
    """Take an operation off the investigation: it no longer counts as one it came from.

    The investigation's history says an operation was unlinked, not which one: whoever reads
    that history may not see the operation (its link to the record stays in the audit trail).
    """
    access.require(user, "investigation.change", investigation)
    _visible(user, operation, "Choose an operation you can see.")
    if not investigation.operations.filter(pk=operation.pk).exists():
        raise ValidationError("This operation is not linked to the investigation.")
    investigation.operations.remove(operation)
    _save(investigation, "An operation was unlinked")
    access.ensure_visible(user, investigation)


@acts
@transaction.atomic
def unlink_detention(user, detention: Detention) -> Investigation:
    """Take an arrest or detention off the investigation it was linked to; both records stay."""
    investigation = detention.investigation
    if investigation is None:
        raise ValidationError("This arrest is not linked to an investigation.")
    access.require(user, "investigation.change", investigation)
    _visible(user, detention, "Choose a detention you can see.")
    detention.investigation = None
    detention._change_reason = "Unlinked from its investigation"
    detention.save(update_fields=["investigation"])
    _save(investigation, "An arrest was unlinked")
    access.ensure_visible(user, investigation)
    return investigation


# --- prosecutions -------------------------------------------------------------------


@acts
@transaction.atomic
def file_prosecution(user, prosecution: Prosecution) -> Prosecution:
    """File charges in an investigation; the defendant becomes one of its suspects and the
    prosecuting agency one of its agencies, if they are not yet."""
    investigation = prosecution.investigation
    prosecution = create_record(user, prosecution, "prosecution.add", investigation)
    InvestigationAgency.objects.get_or_create(
        investigation=investigation,
        agency=prosecution.prosecuting_agency,
        defaults={"role": InvestigationAgencyRole.PROSECUTION},
    )
    InvestigationPerson.objects.get_or_create(
        investigation=investigation, person=prosecution.defendant, role=InvestigationPersonRole.SUSPECT
    )
    return prosecution


@acts
@transaction.atomic
def save_in_prosecution(user, obj: models.Model, prosecution: Prosecution) -> models.Model:
    """Record or correct a count or a court date of a prosecution."""
    access.require(user, "prosecution.change", prosecution)
    obj.prosecution = prosecution
    obj.full_clean()
    obj.save()
    access.ensure_visible(user, prosecution)
    return obj
