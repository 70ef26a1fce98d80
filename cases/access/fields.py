"""What each viewer may see *of* a record it can see: which fields of a person or an
operation, whether detentions show, and what an export blanks.

Templates, serializers, the admin and the exports all ask here, so a page and a
download of the same record show the same fields.
"""

from __future__ import annotations

from functools import cache

from ..models import Person
from .viewer import ADVOCATE, COORDINATOR, OFFICER, viewer_for

# The minimum an advocate learns about a referred person (DESIGN.md).
PERSON_MINIMUM_FIELDS = (
    "reference",
    "legal_name",
    "age_group",
    "is_minor",
    "languages",
    "interpreter_needed",
    "phone",
    "email",
    "safe_contact_notes",
)
# What a service provider learns of an operation: the briefing, no investigative detail.
OPERATION_BRIEFING_FIELDS = (
    "code",
    "name",
    "kind",
    "trafficking_type",
    "status",
    "starts_at",
    "ends_at",
    "lead_agency",
    "expected_victims",
    "expected_genders",
    "expected_languages",
    "minors_expected",
    "briefing_notes",
)


def person_disclosure(user, person: Person | None = None) -> str:
    """ "full" or "minimum": how much of a person's record the user may see."""
    v = viewer_for(user)
    if v.scope != ADVOCATE:
        return "full"
    if person is not None and person.created_by_agency_id == v.agency_id:
        return "full"
    return "minimum"


def person_fields(user, person: Person | None = None) -> tuple[str, ...] | None:
    """The Person fields the user may read, or None for all of them."""
    return PERSON_MINIMUM_FIELDS if person_disclosure(user, person) == "minimum" else None


def operation_fields(user) -> tuple[str, ...] | None:
    """The Operation fields the user may read, or None for all of them."""
    v = viewer_for(user)
    if v.scope == ADVOCATE:
        return OPERATION_BRIEFING_FIELDS
    return None


def sees_detentions(user) -> bool:
    v = viewer_for(user)
    return v.scope in (COORDINATOR, OFFICER)


@cache
def _every_person_field() -> frozenset[str]:
    # Fields, many-to-many lists and the records about the person (its contacts, offers…).
    return frozenset(field.name for field in Person._meta.get_fields())


def visible_person_fields(user, person: Person | None = None) -> frozenset[str]:
    """The names of the fields (and related lists, such as "contacts") of a person the user may read.

    The one answer for the person's page, the API, the admin and the exports; without
    `person`, what the user may read of people in general (lists, filters, search).
    """
    allowed = person_fields(user, person)
    return _every_person_field() if allowed is None else frozenset(allowed)


# A minor's names, blanked in downloads for all but the task-force-wide view.
MINOR_NAME_FIELDS = ("legal_name", "aliases")


def export_blanks_minor_names(user) -> bool:
    """Does a download blank the names of minors (MINOR_NAME_FIELDS) for this user?"""
    return not viewer_for(user).task_force_wide


# What the advocate of a victim or witness, or the caseworker of a child, is told of a
# court date (victim-witness notification): when, what kind, where; nothing of the case,
# its investigation or its defendant.
COURT_EVENT_NOTICE_FIELDS = ("kind", "scheduled_at", "court", "courtroom", "status")


def court_event_fields(user) -> tuple[str, ...] | None:
    """The CourtEvent fields the user may read, or None for all of them (the prosecution team).

    Reading every field is not seeing the prosecution: a page names and links a court date's
    prosecution only where the prosecution is visible to the user (rules.visible_ids)."""
    return None if viewer_for(user).scope in (COORDINATOR, OFFICER) else COURT_EVENT_NOTICE_FIELDS


def sees_investigations(user) -> bool:
    """Does the user's role see investigations and prosecutions at all (to offer their pages)?"""
    return viewer_for(user).scope in (COORDINATOR, OFFICER)
