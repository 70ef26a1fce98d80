"""Domain actions for planning an operation: who takes part and where.

Like cases.actions (and called the same way by the browser, the API and the admin):
each checks the policy, validates through the model and keeps the change only if the
operation is still visible to its writer. Only the lead agency's officers and the
coordinator change an operation ("operation.change").
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.acting import acts

from . import access
from .models import Location, Operation, Participation, ParticipationRole


@acts  # the change history records this user as the actor
@transaction.atomic
def add_participant(user, operation: Operation, participation: Participation) -> Participation:
    access.require(user, "operation.change", operation)
    participation.operation = operation
    if participation.role == ParticipationRole.LEAD:
        raise ValidationError({"role": "Change the lead agency on the operation itself."})
    participation.full_clean()
    participation.save()
    access.ensure_visible(user, operation)
    return participation


@acts  # the change history records this user as the actor
@transaction.atomic
def add_participants(user, operation: Operation, participations: list[Participation]) -> list[Participation]:
    """Several agencies at once: all are added, or none (the error names the agency)."""
    added = []
    for participation in participations:
        try:
            added.append(add_participant(user, operation, participation))
        except ValidationError as error:
            raise ValidationError(f"{participation.agency.name}: {' '.join(error.messages)}") from error
    return added


@acts  # the change history records this user as the actor
@transaction.atomic
def copy_participants(user, operation: Operation, source: Operation) -> tuple[list[Participation], int]:
    """The agencies of an earlier operation the user sees, with their roles and staff counts.

    Agencies already taking part are skipped (how many is returned); the earlier lead
    takes part as support, since an operation has one lead; inactive agencies are left out.
    """
    access.require(user, "operation.change", operation)
    present = set(operation.participations.values_list("agency_id", flat=True))
    rows = (
        Participation.objects.visible_to(user)
        .filter(operation=source, agency__active=True)
        .select_related("agency")
        .order_by("agency__name")
    )
    new, skipped = [], 0
    for row in rows:
        if row.agency_id in present:
            skipped += 1
            continue
        role = ParticipationRole.SUPPORT if row.role == ParticipationRole.LEAD else row.role
        new.append(Participation(agency=row.agency, role=role, staff_count=row.staff_count))
    return add_participants(user, operation, new), skipped


@acts  # the change history records this user as the actor
@transaction.atomic
def remove_participant(user, participation: Participation) -> None:
    operation = participation.operation
    access.require(user, "operation.remove_participant", operation)
    if participation.role == ParticipationRole.LEAD or participation.agency_id == operation.lead_agency_id:
        raise ValidationError("The lead agency cannot be removed; choose another lead first.")
    participation.delete()
    access.ensure_visible(user, operation)


@acts  # the change history records this user as the actor
@transaction.atomic
def add_location(user, operation: Operation, location: Location) -> Location:
    access.require(user, "operation.change", operation)
    location.operation = operation
    if location.created_by_id is None:
        location.created_by = user
    location.full_clean()
    location.save()
    access.ensure_visible(user, operation)
    return location


@acts  # the change history records this user as the actor
@transaction.atomic
def remove_location(user, location: Location, reason: str) -> Location:
    """A location is voided, not deleted: contacts may point at it."""
    access.require(user, "operation.change", location.operation)
    location.mark_voided(user, reason)
    access.ensure_visible(user, location.operation)
    return location
