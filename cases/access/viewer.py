"""The signed-in user as the policy sees them: the membership, the role, the role's view."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from agencies.models import AgencyKind, Membership, Role
from agencies.roles import membership_of

COORDINATOR, OFFICER, ADVOCATE, CASEWORKER = Role.COORDINATOR, Role.OFFICER, Role.ADVOCATE, Role.CASEWORKER
ANALYST, AUDITOR, SUPERVISOR = Role.ANALYST, Role.AUDITOR, Role.SUPERVISOR

# The roles that work with person-level records (the others read reports or the audit trail).
WORKING_SCOPES = (COORDINATOR, OFFICER, ADVOCATE, CASEWORKER)


class OutOfScope(PermissionDenied):
    """A write would leave the record outside its writer's view; it is rolled back."""


def scope_role(membership: Membership | None) -> str | None:
    """The role whose visibility a membership has.

    A supervisor sees what the working staff of its agency see: officers in law
    enforcement and prosecution, advocates in service agencies, caseworkers in child
    welfare, and, in the task force itself, what the coordinator sees.
    """
    if membership is None:
        return None
    if membership.role != SUPERVISOR:
        return membership.role
    kind = membership.agency.kind
    if kind == AgencyKind.TASK_FORCE:
        return COORDINATOR
    if kind in (AgencyKind.LAW_ENFORCEMENT, AgencyKind.PROSECUTOR):
        return OFFICER
    if kind == AgencyKind.CHILD_WELFARE:
        return CASEWORKER
    return ADVOCATE


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as the policy sees them."""

    user: object
    membership: Membership | None
    sysadmin: bool = False

    @property
    def agency_id(self) -> int | None:
        return self.membership.agency_id if self.membership else None

    @property
    def role(self) -> str | None:
        """The role held; a supervisor is a supervisor here."""
        return self.membership.role if self.membership else None

    @property
    def scope(self) -> str | None:
        """The role whose visibility applies; a supervisor sees as its staff."""
        return scope_role(self.membership)

    @property
    def is_supervisor(self) -> bool:
        return self.role == SUPERVISOR

    @property
    def is_task_force_auditor(self) -> bool:
        return self.role == AUDITOR and self.membership.agency.kind == AgencyKind.TASK_FORCE

    @property
    def task_force_wide(self) -> bool:
        """Sees every agency's case records: the coordinator, and the task force's supervisors."""
        return self.scope == COORDINATOR


def viewer_for(user) -> Viewer:
    if user is not None and getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
        return Viewer(user, membership_of(user), sysadmin=True)
    return Viewer(user, membership_of(user))
