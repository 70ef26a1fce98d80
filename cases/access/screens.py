"""What each screen shows a viewer: the admin's add buttons and inlines, the navigation,
the home page, the report sections and the lists that span every agency.

Screens ask these questions instead of testing roles themselves; each answer follows
from the visibility rules and actions beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from agencies.models import Role

from ..models import (
    Charge,
    Count,
    CourtEvent,
    Detention,
    Investigation,
    InvestigationAgency,
    InvestigationPerson,
    Location,
    Note,
    Participation,
    Prosecution,
    ServiceOffer,
)
from .actions import can
from .fields import sees_detentions, sees_investigations
from .viewer import ADVOCATE, CASEWORKER, COORDINATOR, OFFICER, WORKING_SCOPES, viewer_for

# --- the admin -----------------------------------------------------------------

# Who sees the add button of an admin list whose record is checked against its parent
# on save (a charge under a detention, an offer under a contact or referral…).
_ADMIN_ADDERS = {
    Charge: (OFFICER, COORDINATOR),
    Location: (OFFICER, COORDINATOR),
    Participation: (OFFICER, COORDINATOR),
    ServiceOffer: (OFFICER, ADVOCATE, COORDINATOR),
    Note: (OFFICER, ADVOCATE, CASEWORKER, COORDINATOR),
    # After the operation: a prosecution under an investigation referred to the prosecutor,
    # counts and court dates under a prosecution, agencies and people under an investigation.
    Prosecution: (OFFICER, COORDINATOR),
    Count: (OFFICER, COORDINATOR),
    CourtEvent: (OFFICER, COORDINATOR),
    InvestigationAgency: (OFFICER, COORDINATOR),
    InvestigationPerson: (OFFICER, COORDINATOR),
}
# Investigations and what is recorded in them are law-enforcement and prosecution records.
_INVESTIGATION_MODELS = (Investigation, InvestigationAgency, InvestigationPerson, Prosecution, Count)
# Admin lists and inlines shown only to some roles (locations are investigative detail).
_ADMIN_VIEWERS = {
    Location: (OFFICER, COORDINATOR),
}


def admin_may_add(user, model) -> bool:
    """May the user open the admin's add form for this model (the parent is checked on save)?"""
    return viewer_for(user).scope in _ADMIN_ADDERS[model]


def admin_may_view(user, model) -> bool:
    """Does the admin show this model's list or inline to the user at all?"""
    if model in (Detention, Charge):
        return sees_detentions(user)
    if model in _INVESTIGATION_MODELS:
        return sees_investigations(user)
    roles = _ADMIN_VIEWERS.get(model)
    return roles is None or viewer_for(user).scope in roles


def may_void_any(user) -> bool:
    """The coordinator and supervisors void records (each record is checked again)."""
    v = viewer_for(user)
    return v.task_force_wide or v.is_supervisor


def task_force_wide(user) -> bool:
    """Does the user work on every agency's records (choose any agency, list every agency's referrals)?"""
    return viewer_for(user).task_force_wide


def grantable_roles(user) -> list[tuple[str, str]]:
    """The roles the user may give in a membership: the coordinator role only by those who manage all."""
    if can(user, "membership.manage_all"):
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value != COORDINATOR]


def may_manage_membership_role(user, role: str) -> bool:
    """Only the coordinator (or the system administrator) touches a coordinator's membership."""
    return role != COORDINATOR or can(user, "membership.manage_all")


# --- navigation and the home page ---------------------------------------------

# The sections of person-level records in the navigation, and the views that use them.
_NAVIGATION = {
    "operation": (COORDINATOR, OFFICER, ADVOCATE),
    "person": WORKING_SCOPES,
    "referral": (COORDINATOR, OFFICER, ADVOCATE),
    "handoff": (COORDINATOR, OFFICER, CASEWORKER),
    "detention": (COORDINATOR, OFFICER),
    "investigation": (COORDINATOR, OFFICER),  # as fields.sees_investigations
    # Immigration relief and court dates: every working role sees some (its own rules).
    "relief": WORKING_SCOPES,
    "court_event": WORKING_SCOPES,
    "task": WORKING_SCOPES,
}


def navigation_shows(user, section: str) -> bool:
    """Does the navigation lead this user to the section (it leads only where there is something to see)?"""
    roles = _NAVIGATION.get(section)
    return roles is None or viewer_for(user).scope in roles


# The home page a role gets: what needs its attention.
_WORKSPACES = {
    OFFICER: "investigations",
    ADVOCATE: "services",
    CASEWORKER: "custody",
    COORDINATOR: "task_force",
    Role.ANALYST: "reports",
    Role.AUDITOR: "audit",
}


def workspace(user) -> str | None:
    """Which home page the user gets: "investigations", "services", "custody", "task_force",
    "reports", "audit", or "accounts" for the system administrator."""
    v = viewer_for(user)
    if v.sysadmin and v.membership is None:
        return "accounts"
    return _WORKSPACES.get(v.scope)


def home_shows_agency_work(user) -> bool:
    """A supervisor's home page lists its whole agency's recent work; others their own."""
    return viewer_for(user).is_supervisor


# --- reports ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportParts:
    contacts: bool
    custody: bool
    enforcement: bool
    # Investigations, suspects, prosecutions, convictions and sentences (the prosecution team's numbers).
    investigations: bool = False
    # Immigration relief requested, granted and declined.
    relief: bool = False


def report_scope_key(user) -> str:
    """Users with the same key count exactly the same records in every report.

    The key of a kept report (cases/reports/snapshots.py): the analyst reads the whole
    task force, suppressed, whatever its agency; everyone else what its role sees from
    its agency. The role itself is part of the key, not only the role whose view applies,
    so a supervisor never shares figures with its staff even where they would agree.
    """
    v = viewer_for(user)
    if can(user, "report.suppressed"):
        return "suppressed"
    return f"{v.role}:{v.scope}:{v.agency_id}"


def report_parts(user) -> ReportParts:
    """Which parts of a report the user reads (the analyst: all, as suppressed counts)."""
    v = viewer_for(user)
    suppressed = can(user, "report.suppressed")
    everything = suppressed or v.task_force_wide
    return ReportParts(
        contacts=everything or v.scope == OFFICER,
        custody=everything or v.scope in (OFFICER, CASEWORKER),
        enforcement=suppressed or sees_detentions(user),
        # Advocates and caseworkers see no investigation or prosecution, so their reports
        # count none; each counts the relief requests it sees (those it made, or of its
        # clients or the children it received).
        investigations=suppressed or sees_investigations(user),
        relief=suppressed or v.scope in WORKING_SCOPES,
    )
